import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import { type Db, openStore } from '../../src/store';
import { channelPause } from '../../src/store/channel-pause';
import { readChannelSecret } from '../../src/store/channel-secrets';
import { getPublication, schedulePublications } from '../../src/store/publications';
import { secretKeyFromEnv } from '../../src/store/secret-cipher';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { seedItems } from '../support/seed';
import { envFor, PROJECT, runLoa, startWorkerProcess, stopChild, testConfig, waitFor } from '../support/services';

jest.setTimeout(240_000); // several loa processes per test, on a shared 2-core machine

/** See test/zalo/publish-job.test.ts: these need the worker to record the adapter's steps. */
const NEEDS_CORE = fs
  .readFileSync(path.join(PROJECT, 'worker/publish-job.ts'), 'utf8')
  .includes('progress is not recorded yet');
const describeWithProgress = NEEDS_CORE ? describe.skip : describe;

const KEY_TEXT = randomBytes(32).toString('base64');
const KEY = secretKeyFromEnv({ LOA_SECRET_KEY: KEY_TEXT });

describe.each(DATABASE_KINDS)('Zalo with real worker processes, Redis and %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeZalo;
  let env: NodeJS.ProcessEnv;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    database = await freshDatabase(kind);
    fake = new FakeZalo();
    fake.processingDelayMs = 200;
    await fake.start();
    const config = testConfig(database.url);
    env = envFor(config, {
      LOA_SECRET_KEY: KEY_TEXT,
      LOA_ZALO_API_URL: fake.url,
      LOA_ZALO_OAUTH_URL: fake.url,
      LOA_ZALO_APP_ID: fake.appId,
      LOA_ZALO_SECRET_KEY: fake.secretKey,
      LOA_LOCK_MS: '3000',
      LOA_SCHEDULER_EVERY_MS: '1000',
    });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  });
  afterEach(async () => {
    for (const child of children.splice(0)) await stopChild(child, 'SIGKILL');
    await fake.stop();
    await db.close();
    await database.drop();
  });

  async function addChannel(
    pair: { accessToken: string; refreshToken: string },
    settings: Record<string, unknown> = {},
  ) {
    const result = await runLoa(
      [
        'channels',
        'add',
        '--unit',
        'UBND xã Tân Lập',
        '--platform',
        'zalo',
        '--name',
        'Zalo OA xã',
        '--id',
        'zalo-xa',
        '--settings',
        JSON.stringify({ coverUrl: fake.imageUrl(20_000), ...settings }),
        '--secret-stdin',
      ],
      env,
      JSON.stringify(pair),
    );
    expect(result.stderr).toBe('');
  }

  async function scheduleItems(count: number, inMs = 0): Promise<string[]> {
    const items = await seedItems(db.kysely, count);
    const at = new Date(Date.now() + inMs);
    const { created } = await schedulePublications(
      db.kysely,
      items.map((itemId) => ({ itemId, channelId: 'zalo-xa', scheduledAt: at })),
      'cán bộ A',
    );
    return created.map((p) => p.id);
  }

  async function worker() {
    const started = await startWorkerProcess(env);
    children.push(started.child);
    return started;
  }

  async function settled(ids: string[], timeoutMs = 90_000) {
    await waitFor(
      async () => {
        for (const id of ids)
          if (!['published', 'failed', 'unconfirmed'].includes((await getPublication(db.kysely, id)).state))
            return false;
        return true;
      },
      timeoutMs,
      'publications did not settle',
    );
  }

  test('a pair that is not JSON is refused naming --secret-stdin, and nothing of it is printed', async () => {
    const result = await runLoa(
      [
        'channels',
        'add',
        '--unit',
        'UBND xã Tân Lập',
        '--platform',
        'zalo',
        '--name',
        'Zalo OA xã',
        '--id',
        'zalo-xa',
        '--secret-stdin',
      ],
      env,
      'at-bi-mat-khong-phai-json',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/--secret-stdin.*JSON \{"accessToken":"…","refreshToken":"…"\}/);
    expect(result.stdout + result.stderr).not.toContain('at-bi-mat-khong-phai-json');
    const missing = await runLoa(
      [
        'channels',
        'add',
        '--unit',
        'UBND xã Tân Lập',
        '--platform',
        'zalo',
        '--name',
        'Zalo OA xã',
        '--id',
        'zalo-xa',
        '--secret-stdin',
      ],
      env,
      '{"accessToken":"at-1"}',
    );
    expect(missing.stderr).toMatch(/--secret-stdin.*"refreshToken"/);
    expect(
      await db.kysely.selectFrom('channels').select('id').where('id', '=', 'zalo-xa').executeTakeFirst(),
    ).toBeUndefined();
  });

  test('a refresh token Zalo refuses pauses the channel with a Vietnamese reason; no token in the log, --json or the database', async () => {
    const pair = fake.issuePair();
    await addChannel(pair);
    fake.revokeAccess(pair.accessToken);
    fake.revokeRefresh(pair.refreshToken);
    const [first, second] = await scheduleItems(2);
    const running = await worker();
    await waitFor(
      async () =>
        (await getPublication(db.kysely, first!)).state === 'failed' ||
        (await getPublication(db.kysely, second!)).state === 'failed',
      60_000,
      'no publication failed',
    );
    const pause = await channelPause(db.kysely, 'zalo-xa');
    expect(pause?.reason).toMatch(/Zalo từ chối mã làm mới.*kết nối lại Zalo OA/);
    expect(fake.articles).toHaveLength(0);

    const log = await runLoa(['log', '--json'], env);
    const rows = await db.kysely.selectFrom('channels').selectAll().execute();
    const attempts = await db.kysely.selectFrom('publish_attempts').selectAll().execute();
    const everything = [
      running.output(),
      log.stdout,
      log.stderr,
      JSON.stringify(rows),
      JSON.stringify(attempts),
      (await runLoa(['channels', '--json'], env)).stdout,
    ].join('\n');
    expect(everything).toContain('kết nối lại Zalo OA');
    for (const token of [pair.accessToken, pair.refreshToken]) expect(everything).not.toContain(token);
  });

  test('LOA_ZALO_ACCESS_TOKEN/REFRESH_TOKEN give the unit a zalo channel, stored encrypted; loa doctor checks it and says when the refresh token expires', async () => {
    const pair = fake.issuePair();
    const seeded = { ...env, LOA_ZALO_ACCESS_TOKEN: pair.accessToken, LOA_ZALO_REFRESH_TOKEN: pair.refreshToken };
    const started = await startWorkerProcess(seeded);
    children.push(started.child);
    await waitFor(
      async () =>
        !!(await db.kysely.selectFrom('channels').select('secret').where('id', '=', 'zalo').executeTakeFirst())?.secret,
      30_000,
      'zalo channel not created',
    );
    const row = await db.kysely.selectFrom('channels').selectAll().where('id', '=', 'zalo').executeTakeFirstOrThrow();
    expect(row.secret).not.toContain(pair.accessToken);
    expect(JSON.parse((await readChannelSecret(db.kysely, 'zalo', KEY))!)).toMatchObject({
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
    });
    const doctor = await runLoa(['doctor'], seeded);
    expect(doctor.stdout).toMatch(
      /Kênh zalo \(zalo.*OA "UBND xã Tân Lập" trả lời, đã xác thực.*mã làm mới hết hạn \d\d\/\d\d\/\d{4}/,
    );
    expect(doctor.stdout + doctor.stderr).not.toContain(pair.accessToken);
  });

  describeWithProgress('publishing (needs fenced progress)', () => {
    test('two worker processes needing a refresh at once: one refresh, one valid pair, every item published once', async () => {
      const pair = fake.issuePair();
      await addChannel(pair);
      fake.revokeAccess(pair.accessToken);
      fake.delay('/v4/oa/access_token', 300);
      // Both processes are running before the items fall due, so they meet the refused token at the same moment.
      await worker();
      await worker();
      const ids = await scheduleItems(4, 4_000);
      await settled(ids);
      for (const id of ids) expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'published' });
      const workers = await db.kysely.selectFrom('publish_attempts').select('worker').distinct().execute();
      expect(workers).toHaveLength(2);
      expect(fake.refreshes).toEqual({ accepted: 1, refused: 0 });
      const stored = JSON.parse((await readChannelSecret(db.kysely, 'zalo-xa', KEY))!) as {
        accessToken: string;
        refreshToken: string;
      };
      expect(fake.isValidAccess(stored.accessToken) && fake.isValidRefresh(stored.refreshToken)).toBe(true);
      for (let i = 1; i <= 4; i++) expect(fake.createdWithTitle(`Bài ${i}`)).toBe(1);
    });

    test('a worker killed between create and verify: the next one verifies the recorded job, the article exists once', async () => {
      const pair = fake.issuePair();
      await addChannel(pair);
      fake.processingDelayMs = 6_000;
      const [id] = await scheduleItems(1);
      const first = await worker();
      await waitFor(() => fake.articles.length === 1, 60_000, 'article not created');
      await stopChild(first.child, 'SIGKILL');
      fake.processingDelayMs = 200;
      await worker();
      await settled([id!]);
      expect(await getPublication(db.kysely, id!)).toMatchObject({
        state: 'published',
        externalId: fake.articles[0]!.id,
      });
      expect(fake.createdWithTitle('Bài 1')).toBe(1);
    });
  });
});
