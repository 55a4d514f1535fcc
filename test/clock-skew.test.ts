import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

import { PublishQueues } from '../src/queue/queues';
import { getPublication, schedulePublications } from '../src/store/publications';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, PROJECT, startWorkerProcess, waitFor } from './support/services';
import { type FreshStore, freshStore } from './support/store-fixture';

const SKEW_PRELOAD = path.join(PROJECT, 'test/support/skewed-clock.cjs');

/**
 * A worker process whose clock is wrong: due times are measured on the database's clock, by the
 * scheduler and inside the claim, and the times the protocol stores come from the database. The process's clock is
 * shifted by a preload (test/support/skewed-clock.cjs); the databases' clocks are not.
 */
describe.each(DATABASE_KINDS)('a worker process with a skewed clock, on %s', (kind) => {
  let store: FreshStore;
  let queues: PublishQueues;
  let worker: { child: ChildProcess; output: () => string } | null = null;

  beforeEach(async () => {
    store = await freshStore(kind);
    queues = new PublishQueues(store.config.redisUrl, store.config.queuePrefix);
  });
  afterEach(async () => {
    if (worker && worker.child.exitCode === null) {
      const exited = new Promise((resolve) => worker!.child.once('exit', resolve));
      worker.child.kill('SIGTERM');
      await exited;
    }
    worker = null;
    for (const platform of ['rss', 'radio'] as const) await queues.queue(platform).obliterate({ force: true });
    await queues.close();
    await store.dispose();
  });

  const start = (skewMs: number) =>
    startWorkerProcess(
      envFor(store.config, {
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${SKEW_PRELOAD}`.trim(),
        LOA_TEST_CLOCK_SKEW_MS: String(skewMs),
      }),
    );

  test('two hours ahead: nothing is published early, neither by its scheduler nor from a job already in Redis', async () => {
    const [soon, other] = (await seedItems(store.db.kysely, 2)) as [number, number];
    const inHalfAnHour = new Date(Date.now() + 30 * 60_000);
    const { created } = await schedulePublications(
      store.db.kysely,
      [
        { itemId: soon, channelId: 'rss', scheduledAt: inHalfAnHour },
        { itemId: other, channelId: 'rss', scheduledAt: inHalfAnHour },
      ],
      'cán bộ A',
    );
    const [queuedByScheduler, early] = created as [(typeof created)[0], (typeof created)[0]];
    // A job with no delay, as a skewed scheduler of the release before queued it.
    await queues.add(early, 'rss', new Date(Date.now() + 2 * 3_600_000));
    worker = await start(2 * 3_600_000);
    await waitFor(() => worker!.output().includes('chưa đến giờ đăng'), 60_000, 'the claim refused the early job');
    // The worker's own scheduler gave the other its job with the delay left on the database's clock.
    await waitFor(async () => Boolean(await queues.queue('rss').getJob(queuedByScheduler.id)), 30_000, 'job added');
    const job = await queues.queue('rss').getJob(queuedByScheduler.id);
    expect(job!.opts.delay).toBeGreaterThan(25 * 60_000);
    for (const publication of created) {
      expect(await getPublication(store.db.kysely, publication.id)).toMatchObject({ state: 'queued', attempts: 0 });
    }
  });

  test('ten minutes behind: a due publication goes out now, and its publish time is the database clock', async () => {
    const [itemId] = (await seedItems(store.db.kysely, 1)) as [number];
    const due = new Date(Date.now() - 1_000);
    const { created } = await schedulePublications(
      store.db.kysely,
      [{ itemId, channelId: 'rss', scheduledAt: due }],
      'cán bộ A',
    );
    const before = Date.now();
    worker = await start(-10 * 60_000);
    // Before the fix its scheduler delayed the job by the ten minutes its clock was behind.
    await waitFor(
      async () => (await getPublication(store.db.kysely, created[0]!.id)).state === 'published',
      60_000,
      'published without waiting out the skew',
    );
    const published = await getPublication(store.db.kysely, created[0]!.id);
    expect(published.publishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1_000);
    expect(published.publishedAt!.getTime()).toBeGreaterThanOrEqual(due.getTime());
  });
});
