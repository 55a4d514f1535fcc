import { type ChildProcess, spawn } from 'node:child_process';

import { Client } from 'pg';

import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { getPublication, schedulePublications } from '../src/store/publications';
import { claimAndOpenAttempt } from '../src/store/publish-protocol';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { FakePlatform } from './support/fake-platform';
import { openStore } from './support/open-store';
import { saveCommunePage, seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { envFor, PROJECT, testConfig, waitFor } from './support/services';

/** `loa worker` with the fake platform, in its own process. */
async function startFakeWorker(
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; output: () => string; exited: Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    ['-e', "require('tsx/cjs/api').register(); require('./test/support/fake-worker.ts')"],
    { env, cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitFor(() => output.includes('đang chạy') || child.exitCode !== null, 90_000, 'worker did not start');
  if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
  return { child, output: () => output, exited };
}

describe.each(DATABASE_KINDS)('operations on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let config: ReturnType<typeof testConfig>;
  let platform: FakePlatform;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    platform = await new FakePlatform().start();
    await saveCommunePage(db.kysely);
  });
  afterEach(async () => {
    await platform.stop();
    await db.close();
    await database.drop();
  });

  test('SIGTERM ends the worker within LOA_DRAIN_MS even with a hung channel call, leaving it for reconciliation', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'trang-xa', scheduledAt: new Date() }],
      'cán bộ A',
    );
    const id = created[0]!.id;
    platform.script = ['hang'];
    const worker = await startFakeWorker(
      envFor(config, { FAKE_PLATFORM_URL: platform.url, LOA_DRAIN_MS: '2000', LOA_LOCK_MS: '3000' }),
    );
    await waitFor(() => platform.requests.length === 1, 20_000, 'the call under way');
    worker.child.kill('SIGTERM');
    const code = await Promise.race([
      worker.exited,
      new Promise<'still running'>((resolve) => setTimeout(resolve, 15_000, 'still running')),
    ]);
    if (code === 'still running') worker.child.kill('SIGKILL');
    expect(code).not.toBe('still running');
    // Abandoned, not settled: the lease runs out and the next claim reconciles it against the platform.
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'publishing' });
    expect((await listAttempts(db.kysely, id)).map((a) => a.outcome)).toEqual(['started']);
    expect(worker.output()).toContain('bỏ dở khi dừng tiến trình');
  }, 180_000);

  test('/health answers 503 at once when Redis is down, and counts a publication stuck with a dead worker', async () => {
    const server = await serveForTest(db, database, { ...config, redisUrl: 'redis://127.0.0.1:9' });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit }); // serveForTest closes the one it was given
    try {
      const [itemId] = await seedItems(db.kysely, 1);
      const { created } = await schedulePublications(
        db.kysely,
        [{ itemId: itemId!, channelId: 'trang-xa', scheduledAt: new Date() }],
        'cán bộ A',
      );
      await claimAndOpenAttempt(db.kysely, created[0]!.id, 'dead-worker', 10);
      await db.kysely.updateTable('publications').set({ lease_until: '2000-01-01T00:00:00.000Z' }).execute();
      const health = await fetch(`${server.base}/health`, { signal: AbortSignal.timeout(3_000) });
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ database: true, redis: false, workers: 0, stuck: 1 });
    } finally {
      await server.app.close();
    }
  });

  (kind === 'postgres' ? test : test.skip)(
    'connections dropped while the worker is publishing (mid-transaction) do not end it; everything is published once (found by npm run chaos)',
    async () => {
      const itemIds = await seedItems(db.kysely, 20);
      const worker = await startFakeWorker(
        envFor(config, { FAKE_PLATFORM_URL: platform.url, LOA_SCHEDULER_EVERY_MS: '300', LOA_LOCK_MS: '3000' }),
      );
      try {
        const start = Date.now() + 1_000;
        await schedulePublications(
          db.kysely,
          itemIds.flatMap((itemId, i) =>
            ['rss', 'radio'].map((channelId) => ({ itemId, channelId, scheduledAt: new Date(start + i * 150) })),
          ),
          'cán bộ A',
        );
        // Several rounds while publications are in flight, so some connection is held inside a transaction when it drops.
        await waitFor(
          async () =>
            (await db.kysely.selectFrom('publications').select('id').where('state', '=', 'published').execute())
              .length > 0,
          30_000,
          'publishing under way',
        );
        for (let round = 0; round < 4; round++) {
          const admin = new Client({ connectionString: database.url });
          await admin.connect();
          await admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = ''",
          );
          await admin.end();
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
        await db.close();
        db = await openStore(database.url, { defaultUnit: config.defaultUnit });
        await waitFor(
          async () =>
            worker.child.exitCode !== null ||
            (await db.kysely.selectFrom('publications').select('id').where('state', '=', 'published').execute())
              .length === 40,
          60_000,
          'all published',
        );
        expect(worker.child.exitCode).toBeNull();
        for (const p of await db.kysely.selectFrom('publications').select('id').execute())
          expect((await listAttempts(db.kysely, p.id)).filter((a) => a.outcome === 'published')).toHaveLength(1);
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    },
    180_000,
  );

  (kind === 'postgres' ? test : test.skip)(
    'a PostgreSQL restart (every connection dropped) does not end the worker; it publishes after',
    async () => {
      const worker = await startFakeWorker(
        envFor(config, { FAKE_PLATFORM_URL: platform.url, LOA_SCHEDULER_EVERY_MS: '300' }),
      );
      try {
        const admin = new Client({ connectionString: database.url });
        await admin.connect();
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        await admin.end();
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(worker.child.exitCode).toBeNull();
        db = await openStore(database.url, { defaultUnit: config.defaultUnit });
        const [itemId] = await seedItems(db.kysely, 1);
        await schedulePublications(
          db.kysely,
          [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date() }],
          'cán bộ A',
        );
        await waitFor(
          async () =>
            (await db.kysely.selectFrom('publications').select('state').executeTakeFirst())?.state === 'published',
          20_000,
          'published after the restart',
        );
      } finally {
        worker.child.kill('SIGTERM');
        await worker.exited;
      }
    },
    180_000,
  );
});
