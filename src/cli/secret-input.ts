import { ValidationError } from '../domain/errors';
import { MAX_SECRET_BYTES } from '../store/channel-secrets';

/**
 * Reads a secret from standard input, never from the command line (where `ps` and shell history keep it).
 * One trailing line break is dropped (`echo … |`, a file); the secret is never echoed back.
 */
export async function readSecretFromStdin(stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) process.stderr.write('Dán bí mật (token) rồi nhấn Enter và Ctrl+D:\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_SECRET_BYTES + 2)
      throw new ValidationError('--secret-stdin', `bí mật dài quá ${MAX_SECRET_BYTES} byte`);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
  if (text.trim() === '')
    throw new ValidationError(
      '--secret-stdin',
      'không đọc được bí mật nào từ đầu vào chuẩn (ví dụ: loa channels edit KÊNH --secret-stdin < tep-token.txt)',
    );
  return text;
}
