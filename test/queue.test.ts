import fs from 'node:fs';
import path from 'node:path';

import { buildServer } from '../src/http/server';
import { PublishQueues } from '../src/queue/queues';
import { scheduleDue } from '../src/queue/scheduler';
import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { listPublications, schedulePublications } from '../src/store/publications';
import { startWorker } from '../worker/worker';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { testConfig, waitFor } from './support/services';

describe.each(DATABASE_KINDS)('queue and worker on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let config: ReturnType<typeof testConfig>;
  let queues: PublishQueues;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  });
  afterEach(async () => {
    await queues.queue('rss').obliterate({ force: true });
    await queues.queue('radio').obliterate({ force: true });
    await queues.close();
    await db.close();
    await database.drop();
  });

  test('queueing the same publication twice gives one job', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const later = new Date(Date.now() + 10 * 60_000);
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: later }],
      'cán bộ A',
    );
    expect(await scheduleDue(db.kysely, queues)).toEqual({ owed: 1, newlyQueued: 1 });
    // A tick looks only at what is newly owed; the full re-check (start, loa reschedule) confirms the job again.
    expect(await scheduleDue(db.kysely, queues)).toEqual({ owed: 0, newlyQueued: 0 });
    expect(await scheduleDue(db.kysely, queues, { full: true })).toEqual({ owed: 1, newlyQueued: 0 });
    await queues.add(created[0]!, 'rss');
    const jobs = await queues.queue('rss').getJobs(['delayed', 'waiting', 'active']);
    expect(jobs.map((j) => j.id)).toEqual([created[0]!.id]);
    expect((await listPublications(db.kysely))[0]!.state).toBe('queued');
  });

  test('publications beyond the window wait in the database, not in Redis', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const farAway = new Date(Date.now() + 3 * 24 * 3600_000);
    await schedulePublications(db.kysely, [{ itemId: itemId!, channelId: 'rss', scheduledAt: farAway }], 'cán bộ A');
    expect(await scheduleDue(db.kysely, queues)).toEqual({ owed: 0, newlyQueued: 0 });
    expect((await listPublications(db.kysely))[0]!.state).toBe('scheduled');
  });

  test('the worker publishes rss and radio at their time, once, logs each attempt, and health sees it', async () => {
    const itemIds = await seedItems(db.kysely, 3);
    const soon = Date.now() + 800;
    await schedulePublications(
      db.kysely,
      itemIds.flatMap((itemId, i) =>
        ['rss', 'radio'].map((channelId) => ({ itemId, channelId, scheduledAt: new Date(soon + i * 300) })),
      ),
      'cán bộ A',
    );
    const worker = await startWorker(config, { log: () => undefined }); // its lines are not what this test reads
    const app = await buildServer(db, config);
    try {
      const health = await app.listen({ port: 0, host: '127.0.0.1' }).then((base) => fetch(`${base}/health`));
      expect(await health.json()).toMatchObject({ database: true, redis: true, workers: 1, stuck: 0 });
      expect(health.status).toBe(200);
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['published'] })).length === 6,
        20_000,
        'all published',
      );
    } finally {
      await app.close();
      await worker.stop();
    }
    const published = await listPublications(db.kysely);
    for (const publication of published) {
      expect(publication.publishedAt!.getTime()).toBeGreaterThanOrEqual(publication.scheduledAt.getTime());
      const attempts = await listAttempts(db.kysely, publication.id);
      expect(attempts.map((a) => a.outcome)).toEqual(['published']);
    }
    const radioDir = path.join(config.exportDir, 'radio', 'radio');
    const days = fs.readdirSync(radioDir).filter((name) => name.endsWith('.txt'));
    expect(days).toHaveLength(1);
    const programme = fs.readFileSync(path.join(radioDir, days[0]!), 'utf8');
    for (const n of [1, 2, 3]) expect(programme.split(`Bài ${n}.`)).toHaveLength(2);
  });

  test('an item not approved by its time expires instead of being published', async () => {
    const [itemId] = await seedItems(db.kysely, 1, false);
    await schedulePublications(db.kysely, [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date() }], 'cán bộ A');
    const worker = await startWorker(config, { log: () => undefined }); // its lines are not what this test reads
    try {
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['expired'] })).length === 1,
        15_000,
        'expired',
      );
    } finally {
      await worker.stop();
    }
    expect(await listAttempts(db.kysely, (await listPublications(db.kysely))[0]!.id)).toEqual([]);
  });
});
