import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import IORedis from 'ioredis';
import Parser from 'rss-parser';

import { buildServer } from '../src/http/server';
import { PublishQueues } from '../src/queue/queues';
import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { listPublications, schedulePublications } from '../src/store/publications';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import {
  envFor,
  privateRedis,
  PROJECT,
  runLoa,
  startWorkerProcess,
  stopChild,
  testConfig,
  waitFor,
} from './support/services';

/** Radio scripts and the feed must show each publication exactly once, whatever happened to the workers. */
async function expectEachPublishedOnce(db: Db, config: ReturnType<typeof testConfig>): Promise<void> {
  const publications = await listPublications(db.kysely);
  expect(publications.every((p) => p.state === 'published')).toBe(true);
  for (const publication of publications) {
    const outcomes = (await listAttempts(db.kysely, publication.id)).map((a) => a.outcome);
    expect(outcomes.filter((o) => o === 'published')).toHaveLength(1);
  }
  const radio = publications.filter((p) => p.channelId === 'radio');
  const dayDir = path.join(config.exportDir, 'radio', 'radio');
  const scripts = fs
    .readdirSync(dayDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.txt') && f.includes('/'));
  expect(scripts).toHaveLength(radio.length);
  for (const publication of radio) expect(scripts.filter((name) => name.includes(publication.id))).toHaveLength(1);

  const app = await buildServer(db, config);
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  const feed = await new Parser().parseURL(`${address}/rss.xml`).finally(() => app.close());
  const guids = feed.items.map((i) => i.guid).sort();
  expect(guids).toEqual(
    publications
      .filter((p) => p.channelId === 'rss')
      .map((p) => p.id)
      .sort(),
  );
}

describe.each(DATABASE_KINDS)('crash and loss recovery on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(async () => {
    await db?.close();
    await database.drop();
  });

  test('a worker killed with SIGKILL mid-publish, then restarted, leaves each publication published exactly once', async () => {
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const itemIds = await seedItems(db.kysely, 3);
    const now = Date.now();
    await schedulePublications(
      db.kysely,
      itemIds.flatMap((itemId) =>
        ['rss', 'radio'].map((channelId) => ({ itemId, channelId, scheduledAt: new Date(now) })),
      ),
      'cán bộ A',
    );
    // A slow channel call (drill knob) and a short lock, so the kill lands mid-publish and the job comes back fast.
    const env = envFor(config, { LOA_FAULT_DELAY_MS: '1500', LOA_LOCK_MS: '2000', LOA_SCHEDULER_EVERY_MS: '500' });

    const first = await startWorkerProcess(env);
    const startedAttempt = async () =>
      (await db.kysely.selectFrom('publish_attempts').select('id').where('outcome', '=', 'started').execute()).length >
      0;
    await waitFor(startedAttempt, 20_000, 'an attempt in flight');
    await stopChild(first.child, 'SIGKILL');
    expect((await listPublications(db.kysely, { states: ['publishing'] })).length).toBeGreaterThan(0);

    const second = await startWorkerProcess({ ...env, LOA_FAULT_DELAY_MS: '0' });
    try {
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['published'] })).length === 6,
        40_000,
        'all published after restart',
      );
    } finally {
      await stopChild(second.child);
    }
    const interrupted = await db.kysely
      .selectFrom('publish_attempts')
      .select('id')
      .where('outcome', '=', 'interrupted')
      .execute();
    expect(interrupted.length).toBeGreaterThan(0);
    await expectEachPublishedOnce(db, config);
    await new PublishQueues(config.redisUrl, config.queuePrefix).close();
  });

  test('FLUSHALL on Redis followed by loa reschedule publishes everything still due', async () => {
    const redis = await privateRedis();
    try {
      const config = testConfig(database.url, { redisUrl: redis.url });
      db = await openStore(database.url, { defaultUnit: config.defaultUnit });
      const itemIds = await seedItems(db.kysely, 2);
      const soon = Date.now() + 4000;
      await schedulePublications(
        db.kysely,
        itemIds.flatMap((itemId) =>
          ['rss', 'radio'].map((channelId) => ({ itemId, channelId, scheduledAt: new Date(soon) })),
        ),
        'cán bộ A',
      );
      const env = envFor(config);
      expect((await runLoa(['reschedule'], env)).stdout).toContain('Đã đưa 4 bài');
      const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
      // Delayed, or already waiting if the command took longer than the 4 s on a loaded machine: either way in Redis.
      const inRedis = async () => {
        const counts = await queues.queue('rss').getJobCounts('delayed', 'waiting');
        return (counts.delayed ?? 0) + (counts.waiting ?? 0);
      };
      expect(await inRedis()).toBe(2);
      const flusher = new IORedis(config.redisUrl);
      await flusher.flushall();
      flusher.disconnect();
      expect(await inRedis()).toBe(0);
      await queues.close();

      const rebuilt = await runLoa(['reschedule'], env);
      expect(rebuilt.code).toBe(0);
      expect(rebuilt.stdout).toContain('Đã đưa 4 bài');
      // The scheduler's own timer is made slow, so only the rebuilt queue can have published these.
      const worker = await startWorkerProcess({ ...env, LOA_SCHEDULER_EVERY_MS: '3600000' });
      try {
        await waitFor(
          async () => (await listPublications(db.kysely, { states: ['published'] })).length === 4,
          30_000,
          'all published after flush',
        );
      } finally {
        await stopChild(worker.child);
      }
      await expectEachPublishedOnce(db, config);
    } finally {
      redis.stop();
    }
  });

  test('FLUSHALL under a running worker: the worker sees its queues are gone and rebuilds them itself (found by npm run chaos)', async () => {
    const redis = await privateRedis();
    try {
      const config = testConfig(database.url, { redisUrl: redis.url });
      db = await openStore(database.url, { defaultUnit: config.defaultUnit });
      const itemIds = await seedItems(db.kysely, 2);
      const worker = await startWorkerProcess(envFor(config, { LOA_SCHEDULER_EVERY_MS: '500' }));
      try {
        // Queued well ahead, so the worker has given them delayed jobs (and marked them queued) before the flush.
        await schedulePublications(
          db.kysely,
          itemIds.flatMap((itemId) =>
            ['rss', 'radio'].map((channelId) => ({ itemId, channelId, scheduledAt: new Date(Date.now() + 8_000) })),
          ),
          'cán bộ A',
        );
        await waitFor(
          async () => (await listPublications(db.kysely, { states: ['queued'] })).length === 4,
          20_000,
          'queued by the worker',
        );
        const flusher = new IORedis(config.redisUrl);
        await flusher.flushall();
        flusher.disconnect();
        await waitFor(
          async () => (await listPublications(db.kysely, { states: ['published'] })).length === 4,
          40_000,
          'all published after the flush, without loa reschedule',
        );
      } finally {
        await stopChild(worker.child);
      }
      expect(worker.output()).toContain('Redis đã mất dữ liệu hàng đợi');
      await expectEachPublishedOnce(db, config);
    } finally {
      redis.stop();
    }
  });

  test('SIGTERM lets the publication in flight finish, then the worker exits cleanly', async () => {
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const [itemId] = await seedItems(db.kysely, 1);
    await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'radio', scheduledAt: new Date() }],
      'cán bộ A',
    );
    const worker = await startWorkerProcess(envFor(config, { LOA_FAULT_DELAY_MS: '1500' }));
    await waitFor(
      async () => (await listPublications(db.kysely, { states: ['publishing'] })).length === 1,
      20_000,
      'in flight',
    );
    const code = await stopChild(worker.child, 'SIGTERM');
    expect(code).toBe(0);
    expect(worker.output()).toContain('Đã dừng');
    expect((await listPublications(db.kysely))[0]!.state).toBe('published');
  });

  test('a publication failed by a broken template is published after the fix and loa retry', async () => {
    const templatesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-tpl-'));
    for (const name of fs.readdirSync(path.join(PROJECT, 'templates')))
      fs.copyFileSync(path.join(PROJECT, 'templates', name), path.join(templatesDir, name));
    const rss = path.join(templatesDir, 'rss.liquid');
    const original = fs.readFileSync(rss, 'utf8');
    fs.writeFileSync(rss, `${original}\n{{ item.khong_co }}`);
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const [itemId] = await seedItems(db.kysely, 1);
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date() }],
      'cán bộ A',
    );
    const env = envFor(config, { LOA_TEMPLATES_DIR: templatesDir });
    const worker = await startWorkerProcess(env);
    try {
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['failed'] })).length === 1,
        20_000,
        'failed',
      );
      fs.writeFileSync(rss, original);
      const retried = await runLoa(['retry', created[0]!.id], env);
      expect(retried.code).toBe(0);
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['published'] })).length === 1,
        20_000,
        'published after retry',
      );
    } finally {
      await stopChild(worker.child);
    }
    expect((await listAttempts(db.kysely, created[0]!.id)).map((a) => a.outcome)).toEqual(['failed', 'published']);
  });
});
