import { randomBytes } from 'node:crypto';

import type { Db } from '../../src/store';
import { channelPause, pauseChannel } from '../../src/store/channel-pause';
import {
  readChannelSecret,
  readChannelSecretVersioned,
  replaceChannelSecret,
  setChannelSecret,
} from '../../src/store/channel-secrets';
import { saveChannel } from '../../src/store/channels';
import { SecretKeyError, secretKeyFromEnv, SecretUnreadableError } from '../../src/store/secret-cipher';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';

const KEY = secretKeyFromEnv({ LOA_SECRET_KEY: randomBytes(32).toString('base64') });
const OTHER_KEY = secretKeyFromEnv({ LOA_SECRET_KEY: randomBytes(32).toString('hex') });
const TOKEN = 'EAAB-bí-mật-trang-xã-0123456789';

describe('the installation key', () => {
  test('is refused when missing or not 32 bytes, with how to make one, in Vietnamese', () => {
    expect(() => secretKeyFromEnv({})).toThrow(SecretKeyError);
    expect(() => secretKeyFromEnv({})).toThrow(/Chưa đặt LOA_SECRET_KEY.*openssl rand -base64 32/);
    expect(() => secretKeyFromEnv({ LOA_SECRET_KEY: randomBytes(16).toString('base64') })).toThrow(
      /không phải khóa 32 byte/,
    );
    expect(() => secretKeyFromEnv({ LOA_SECRET_KEY: 'mật-khẩu-dễ-đoán' })).toThrow(SecretKeyError);
  });
});

describe.each(DATABASE_KINDS)('encrypted channel secrets on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    for (const id of ['trang-xa', 'trang-huyen'])
      await saveChannel(
        db.kysely,
        { id, unitId: 'ubnd-xa-tan-lap', platform: 'facebook', name: id, settings: {} },
        'quản trị',
      );
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  test('a secret is stored encrypted and reads back; the database never holds it in clear', async () => {
    await setChannelSecret(db.kysely, 'trang-xa', TOKEN, 'quản trị', KEY);
    expect(await readChannelSecret(db.kysely, 'trang-xa', KEY)).toBe(TOKEN);
    const row = await db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', 'trang-xa')
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('EAAB');
    expect(row.secret).toMatch(/^v1\.[0-9a-f]{8}\./);
    expect(row.secret_set_by).toBe('quản trị');
    expect(await readChannelSecret(db.kysely, 'trang-huyen', KEY)).toBeNull();
  });

  test('another key, a changed byte or a ciphertext copied to another channel does not decrypt', async () => {
    await setChannelSecret(db.kysely, 'trang-xa', TOKEN, 'quản trị', KEY);
    await expect(readChannelSecret(db.kysely, 'trang-xa', OTHER_KEY)).rejects.toThrow(/LOA_SECRET_KEY khác/);
    const { secret } = await db.kysely
      .selectFrom('channels')
      .select('secret')
      .where('id', '=', 'trang-xa')
      .executeTakeFirstOrThrow();
    await db.kysely.updateTable('channels').set({ secret }).where('id', '=', 'trang-huyen').execute();
    await expect(readChannelSecret(db.kysely, 'trang-huyen', KEY)).rejects.toBeInstanceOf(SecretUnreadableError);
    const parts = secret!.split('.');
    parts[4] = Buffer.from(Buffer.from(parts[4]!, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString(
      'base64url',
    );
    await db.kysely
      .updateTable('channels')
      .set({ secret: parts.join('.') })
      .where('id', '=', 'trang-xa')
      .execute();
    const failure = await readChannelSecret(db.kysely, 'trang-xa', KEY).catch((error: Error) => error);
    expect(failure).toBeInstanceOf(SecretUnreadableError);
    expect((failure as Error).message).not.toContain(TOKEN);
  });

  test('rotation is compare-and-set: of two rotations from the same version exactly one wins', async () => {
    await setChannelSecret(db.kysely, 'trang-xa', '{"accessToken":"a1","refreshToken":"r1"}', 'quản trị', KEY);
    const current = (await readChannelSecretVersioned(db.kysely, 'trang-xa', KEY))!;
    const results = await Promise.all([
      replaceChannelSecret(
        db.kysely,
        'trang-xa',
        current.version,
        '{"accessToken":"a2","refreshToken":"r2"}',
        'worker-1',
        KEY,
      ),
      replaceChannelSecret(
        db.kysely,
        'trang-xa',
        current.version,
        '{"accessToken":"a3","refreshToken":"r3"}',
        'worker-2',
        KEY,
      ),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results[0] ? 'a2' : 'a3';
    expect(JSON.parse((await readChannelSecret(db.kysely, 'trang-xa', KEY))!).accessToken).toBe(winner);
    expect(
      await replaceChannelSecret(db.kysely, 'trang-xa', current.version, '{"accessToken":"cũ"}', 'worker-3', KEY),
    ).toBe(false);
  });

  test('a person setting a new secret resumes a paused channel; a rotation does not', async () => {
    await setChannelSecret(db.kysely, 'trang-xa', TOKEN, 'quản trị', KEY);
    await pauseChannel(db.kysely, 'trang-xa', 'token bị thu hồi', 'worker-1');
    const current = (await readChannelSecretVersioned(db.kysely, 'trang-xa', KEY))!;
    await replaceChannelSecret(db.kysely, 'trang-xa', current.version, 'xoay vòng', 'worker-1', KEY);
    expect(await channelPause(db.kysely, 'trang-xa')).toMatchObject({ reason: 'token bị thu hồi' });
    expect(await setChannelSecret(db.kysely, 'trang-xa', 'token-mới', 'quản trị', KEY)).toEqual({ resumed: true });
    expect(await channelPause(db.kysely, 'trang-xa')).toBeNull();
  });

  test('a failure from a call that began before a new secret was saved does not pause the channel again', async () => {
    await setChannelSecret(db.kysely, 'trang-xa', TOKEN, 'quản trị', KEY, new Date('2026-03-01T01:00:00Z'));
    // A call with the old token began, the admin saved a new token, then the old call's "token expired" came back.
    const began = new Date('2026-03-01T02:00:00Z');
    await setChannelSecret(db.kysely, 'trang-xa', 'token-mới', 'quản trị', KEY, new Date('2026-03-01T02:00:05Z'));
    expect(
      await pauseChannel(db.kysely, 'trang-xa', 'token hết hạn', 'worker-1', new Date('2026-03-01T02:00:09Z'), began),
    ).toBe(false);
    expect(await channelPause(db.kysely, 'trang-xa')).toBeNull();
    // A call that began after the new token was saved and still fails does pause it: the new token is bad too.
    expect(
      await pauseChannel(
        db.kysely,
        'trang-xa',
        'token hết hạn',
        'worker-1',
        new Date('2026-03-01T02:01:00Z'),
        new Date('2026-03-01T02:00:30Z'),
      ),
    ).toBe(true);
    expect(await channelPause(db.kysely, 'trang-xa')).toMatchObject({ reason: 'token hết hạn' });
  });

  test('an empty or oversized secret is refused, naming it', async () => {
    await expect(setChannelSecret(db.kysely, 'trang-xa', '', 'quản trị', KEY)).rejects.toThrow(/bí mật: trống/);
    await expect(setChannelSecret(db.kysely, 'trang-xa', 'x'.repeat(17_000), 'quản trị', KEY)).rejects.toThrow(
      /dài quá/,
    );
    expect(await readChannelSecret(db.kysely, 'trang-xa', KEY)).toBeNull();
  });
});
