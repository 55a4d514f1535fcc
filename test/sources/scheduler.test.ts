import { Queue } from 'bullmq';

import { redisConnection } from '../../src/queue/settings';
import { SOURCE_POLL_QUEUE, SourcePollQueue } from '../../src/queue/source-polls';
import type { PollReport } from '../../src/sources/poll-source';
import type { Db } from '../../src/store';
import { listItems } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { addSource, getSource, listSources, removeSource } from '../../src/store/sources';
import { type SourcePolling, startSourcePolling } from '../../worker/poll-sources';
import { startWorker } from '../../worker/worker';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { minimalPlan } from '../support/seed';
import { testConfig, waitFor } from '../support/services';
import { type FeedServer, rssXml, startFeedServer } from './feed-server';

process.env.LOA_SOURCES_ALLOW_PRIVATE = '1';
// Every source is polled twice a second here instead of every 30 minutes.
process.env.LOA_SOURCES_POLL_EVERY_MS = '500';

const feed = rssXml('Cổng thông tin xã Tân Lập', [
  {
    guid: 'a',
    link: 'https://cong.example.vn/a',
    title: 'Một cửa liên thông ở xã',
    pubDate: 'Mon, 02 Nov 2026 01:00:00 GMT',
  },
  { guid: 'b', link: 'https://cong.example.vn/b', title: 'Chuyển đổi số', pubDate: 'Mon, 02 Nov 2026 02:00:00 GMT' },
]);

describe.each(DATABASE_KINDS)('feed polling on a BullMQ job scheduler, %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: FeedServer;
  const running: SourcePolling[] = [];

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await savePlan(db.kysely, { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' }, 'kiểm thử');
    server = await startFeedServer();
    server.state.feed = feed;
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.close()));
    await server.close();
    await db.close();
    await database.drop();
  });

  const add = (path: string) =>
    addSource(
      db.kysely,
      { url: server.url(path), unitId: 'ubnd-xa-tan-lap', planId: null, everyMinutes: 30, proposals: [] },
      'quản trị',
    );

  it('polls each source on its own, one poll at a time across two workers, one scheduler per source', async () => {
    const config = testConfig(database.url);
    const source = await add('/feed.xml');
    // Each answer takes longer than the interval, so the next turn comes while a poll is still running.
    server.state.feedDelayMs = 1_200;
    const reports: PollReport[] = [];
    for (let i = 0; i < 2; i++) {
      const polling = await startSourcePolling(config, db.kysely);
      polling.onPoll((r) => reports.push(r));
      running.push(polling);
    }
    await waitFor(() => server.feedRequests().length >= 3, 30_000, 'three polls');
    expect(server.state.maxInFlight).toBe(1);
    expect(reports.some((r) => r.outcome === 'not-polled' && r.why === 'busy')).toBe(true);
    expect((await listItems(db.kysely)).map((i) => i.title)).toEqual(['Chuyển đổi số', 'Một cửa liên thông ở xã']);
    expect(
      server
        .feedRequests()
        .slice(1)
        .every((r) => r.headers['if-none-match']),
    ).toBe(true);
    expect((await getSource(db.kysely, source.id)).state).toBe('ok');

    const queue = new Queue(SOURCE_POLL_QUEUE, {
      connection: redisConnection(config.redisUrl),
      prefix: config.queuePrefix,
    });
    try {
      expect((await queue.getJobSchedulers(0, -1)).map((s) => [s.key, s.every])).toEqual([
        [`source-${source.id}`, 500],
      ]);
    } finally {
      await queue.close();
    }
  });

  it('keeps Redis in step with the database: a removed source loses its scheduler at the next start', async () => {
    const config = testConfig(database.url);
    const kept = await add('/feed.xml');
    const removed = await add('/missing.xml');
    const schedulers = new SourcePollQueue(config.redisUrl, config.queuePrefix);
    try {
      await schedulers.sync(await listSources(db.kysely));
      await removeSource(db.kysely, removed.id);
      running.push(await startSourcePolling(config, db.kysely));
      expect((await schedulers.queue.getJobSchedulers(0, -1)).map((s) => s.key)).toEqual([`source-${kept.id}`]);
    } finally {
      await schedulers.close();
    }
  });

  it('runs inside loa worker, and a broken source never stops it', async () => {
    const config = testConfig(database.url);
    const broken = await add('/broken.xml');
    const good = await add('/feed.xml');
    const worker = await startWorker(config, { log: () => undefined });
    try {
      await waitFor(
        async () =>
          (await getSource(db.kysely, good.id)).state === 'ok' &&
          (await getSource(db.kysely, broken.id)).state === 'failing',
        30_000,
        'both sources polled',
      );
      expect((await getSource(db.kysely, broken.id)).status).toMatch(/không phải RSS hay Atom hợp lệ/);
      expect((await listItems(db.kysely)).length).toBe(2);
      // A later feed's new entry still arrives: the worker is alive and polling.
      server.state.feed = rssXml('Cổng', [{ guid: 'c', link: 'https://cong.example.vn/c', title: 'Tin mới nhất' }]);
      await waitFor(async () => (await listItems(db.kysely)).length === 3, 30_000, 'the new entry');
    } finally {
      await worker.stop();
    }
  });
});
