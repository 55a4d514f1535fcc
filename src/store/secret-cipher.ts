import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Channel secrets at rest: AES-256-GCM (node:crypto) under one installation key, LOA_SECRET_KEY (32 random bytes,
 * base64 or hex). Each secret gets a fresh 12-byte IV; the channel id is bound in as associated data, so a
 * ciphertext copied onto another channel does not decrypt. Stored form: `v1.<key id>.<iv>.<tag>.<ciphertext>`
 * (base64url), where the key id (8 hex of SHA-256 of the key) lets `loa doctor` say "encrypted under another key".
 * Nothing here ever puts a plaintext or the key into an error message.
 */

/** How a person makes a key; `loa doctor` and every refusal say it. */
export const MAKE_KEY_HINT =
  "tạo khóa bằng: openssl rand -base64 32 (hoặc node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64'))\"), rồi đặt vào biến môi trường LOA_SECRET_KEY của mọi tiến trình Loa (giữ kín, sao lưu riêng)";

/** LOA_SECRET_KEY is missing or not a 32-byte key: Loa refuses to store or read a secret and says why. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

/** A stored secret that does not decrypt under this key (another key, or altered). */
export class SecretUnreadableError extends Error {
  override name = 'SecretUnreadableError';
}

export interface SecretKey {
  readonly id: string;
  readonly bytes: Buffer;
}

/** Reads LOA_SECRET_KEY: 32 bytes as base64 (44 characters) or hex (64 characters). */
export function secretKeyFromEnv(env: NodeJS.ProcessEnv = process.env): SecretKey {
  const text = env.LOA_SECRET_KEY?.trim();
  if (!text)
    throw new SecretKeyError(
      `Chưa đặt LOA_SECRET_KEY nên Loa không lưu hay đọc bí mật của kênh (token được mã hóa bằng khóa này); ${MAKE_KEY_HINT}`,
    );
  const bytes = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (bytes.length !== 32 || (!/^[0-9a-f]{64}$/i.test(text) && bytes.toString('base64') !== text)) {
    throw new SecretKeyError(
      `LOA_SECRET_KEY không phải khóa 32 byte (base64 44 ký tự hoặc hex 64 ký tự); ${MAKE_KEY_HINT}`,
    );
  }
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

function aad(channelId: string): Buffer {
  return Buffer.from(`loa:channel:${channelId}`, 'utf8');
}

export function encryptSecret(key: SecretKey, channelId: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key.bytes, iv);
  cipher.setAAD(aad(channelId));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [
    'v1',
    key.id,
    iv.toString('base64url'),
    cipher.getAuthTag().toString('base64url'),
    body.toString('base64url'),
  ].join('.');
}

/** The key id a stored secret was encrypted under, or null if it is not in Loa's format. */
export function secretKeyId(stored: string): string | null {
  const parts = stored.split('.');
  return parts.length === 5 && parts[0] === 'v1' ? parts[1]! : null;
}

export function decryptSecret(key: SecretKey, channelId: string, stored: string): string {
  const parts = stored.split('.');
  if (parts.length !== 5 || parts[0] !== 'v1')
    throw new SecretUnreadableError(
      `Bí mật của kênh ${channelId} không đúng định dạng Loa lưu; đặt lại bằng loa channels edit ${channelId} --secret-stdin`,
    );
  const [, keyId, iv, tag, body] = parts as [string, string, string, string, string];
  if (keyId !== key.id)
    throw new SecretUnreadableError(
      `Bí mật của kênh ${channelId} được mã hóa bằng một LOA_SECRET_KEY khác (mã khóa ${keyId}, khóa hiện tại ${key.id}); đặt lại khóa cũ, hoặc nhập lại bí mật bằng loa channels edit ${channelId} --secret-stdin`,
    );
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(channelId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // GCM refuses a wrong key, a changed byte or a ciphertext moved from another channel alike; the detail is not a person's to read.
    throw new SecretUnreadableError(
      `Bí mật của kênh ${channelId} không giải mã được (đã bị sửa, hoặc chép từ kênh khác); nhập lại bằng loa channels edit ${channelId} --secret-stdin`,
    );
  }
}
