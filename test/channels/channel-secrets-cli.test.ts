import { randomBytes } from 'node:crypto';

import { channelPause, pauseChannel } from '../../src/store/channel-pause';
import { readChannelSecret } from '../../src/store/channel-secrets';
import { secretKeyFromEnv } from '../../src/store/secret-cipher';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { envFor, runLoa, testConfig } from '../support/services';

jest.setTimeout(180_000); // several loa processes per test, on a shared 2-core machine

const TOKEN = `EAAG${randomBytes(24).toString('hex')}`;
const KEY_TEXT = randomBytes(32).toString('base64');

describe.each(DATABASE_KINDS)('loa channels --secret-stdin on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(() => database.drop());

  test('without LOA_SECRET_KEY nothing is stored and the reason says how to make a key', async () => {
    const env = envFor(testConfig(database.url));
    delete env.LOA_SECRET_KEY;
    const result = await runLoa(
      [
        'channels',
        'add',
        '--unit',
        'UBND xã Tân Lập',
        '--platform',
        'rss',
        '--name',
        'Cổng xã',
        '--id',
        'cong-xa',
        '--secret-stdin',
      ],
      env,
      `${TOKEN}\n`,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Chưa đặt LOA_SECRET_KEY.*openssl rand -base64 32/);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    const list = await runLoa(['channels', '--json'], env);
    expect(list.stdout).not.toContain('cong-xa');
  });

  test('the secret is read from stdin, stored encrypted, never printed; a new one resumes a paused channel', async () => {
    const env = envFor(testConfig(database.url), { LOA_SECRET_KEY: KEY_TEXT });
    const added = await runLoa(
      [
        'channels',
        'add',
        '--unit',
        'UBND xã Tân Lập',
        '--platform',
        'rss',
        '--name',
        'Cổng xã',
        '--id',
        'cong-xa',
        '--secret-stdin',
      ],
      env,
      `${TOKEN}\n`,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    try {
      expect(await readChannelSecret(db.kysely, 'cong-xa', secretKeyFromEnv({ LOA_SECRET_KEY: KEY_TEXT }))).toBe(TOKEN);
      await pauseChannel(db.kysely, 'cong-xa', 'token bị thu hồi', 'kiểm thử');
      const listed = await runLoa(['channels', '--json'], env);
      expect(JSON.parse(listed.stdout).find((c: { id: string }) => c.id === 'cong-xa')).toMatchObject({
        hasSecret: true,
        paused: 'token bị thu hồi',
      });
      const edited = await runLoa(['channels', 'edit', 'cong-xa', '--secret-stdin'], env, 'token-mới\n');
      expect(edited.code).toBe(0);
      expect(edited.stdout).toContain('kênh chạy lại');
      expect(await channelPause(db.kysely, 'cong-xa')).toBeNull();
      expect(await readChannelSecret(db.kysely, 'cong-xa', secretKeyFromEnv({ LOA_SECRET_KEY: KEY_TEXT }))).toBe(
        'token-mới',
      );
      for (const output of [added, listed, edited, await runLoa(['channels'], env)])
        expect(output.stdout + output.stderr).not.toContain(TOKEN);
      const empty = await runLoa(['channels', 'edit', 'cong-xa', '--secret-stdin'], env, '');
      expect(empty.stderr).toContain('--secret-stdin');
    } finally {
      await db.close();
    }
  });
});
