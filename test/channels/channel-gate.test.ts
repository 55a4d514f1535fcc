import { randomBytes } from 'node:crypto';

import { createAdapters } from '../../channels';
import { Templates } from '../../channels/template';
import type { Config } from '../../src/config';
import { wakeWaiting } from '../../src/queue/wake-waiting';
import type { Db } from '../../src/store';
import { listAttempts } from '../../src/store/attempts';
import { dueWaitingPublications, pauseChannel } from '../../src/store/channel-pause';
import { setChannelSecret } from '../../src/store/channel-secrets';
import { getPublication, listPublications, schedulePublications } from '../../src/store/publications';
import { readPublishLog } from '../../src/store/publish-log';
import { secretKeyFromEnv } from '../../src/store/secret-cipher';
import { type RunningWorker, startWorker } from '../../worker/worker';
import { DATABASE_KINDS } from '../support/databases';
import { FakePlatform, FakePlatformAdapter } from '../support/fake-platform';
import { saveCommunePage, seedItems } from '../support/seed';
import { waitFor } from '../support/services';
import { type FreshStore, freshStore } from '../support/store-fixture';

const KEY = secretKeyFromEnv({ LOA_SECRET_KEY: randomBytes(32).toString('base64') });

describe.each(DATABASE_KINDS)('paused channels and account pace with the real worker on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let worker: RunningWorker | undefined;
  let config: Config;

  beforeEach(async () => {
    store = await freshStore(kind);
    ({ db, config } = store);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await store.dispose();
  });

  const delayedJob = async (id: string) => (await worker!.queues.queue('rss').getJob(id))?.isDelayed();

  test('a paused channel claims nothing and fails nothing; its publications go out after the new secret', async () => {
    await pauseChannel(db.kysely, 'rss', 'token bị thu hồi', 'kiểm thử');
    const itemIds = await seedItems(db.kysely, 2);
    const { created } = await schedulePublications(
      db.kysely,
      itemIds.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: new Date() })),
      'cán bộ A',
    );
    worker = await startWorker(config, { log: () => undefined });
    await worker.schedule();
    await waitFor(
      async () => (await Promise.all(created.map((p) => delayedJob(p.id)))).every(Boolean),
      20_000,
      'both jobs delayed',
    );
    for (const p of created) {
      expect((await getPublication(db.kysely, p.id)).state).toBe('queued');
      expect(await listAttempts(db.kysely, p.id)).toEqual([]);
      expect(await delayedJob(p.id)).toBe(true);
    }
    const log = await readPublishLog(db.kysely, { channelId: 'rss' });
    expect(log.every((e) => e.channelPausedReason === 'token bị thu hồi')).toBe(true);

    expect(await setChannelSecret(db.kysely, 'rss', 'token-mới', 'quản trị', KEY)).toEqual({ resumed: true });
    expect(await wakeWaiting(worker.queues, 'rss', await dueWaitingPublications(db.kysely, 'rss'))).toBe(2);
    await waitFor(
      async () => (await listPublications(db.kysely, { states: ['published'] })).length === 2,
      20_000,
      'published after resume',
    );
    for (const p of created) expect((await listAttempts(db.kysely, p.id)).map((a) => a.outcome)).toEqual(['published']);
  });

  test('an account over its pace waits in a delayed job while other channels publish', async () => {
    // A platform's account (the portal and the stations have no pace: nothing is read before their claims).
    const platform = await new FakePlatform().start();
    try {
      await saveCommunePage(db.kysely, { pageId: '1', postsPerHour: 2 });
      const itemIds = await seedItems(db.kysely, 3);
      const now = new Date();
      await schedulePublications(
        db.kysely,
        [
          ...itemIds.map((itemId) => ({ itemId, channelId: 'trang-xa', scheduledAt: now })),
          { itemId: itemIds[0]!, channelId: 'radio', scheduledAt: now },
        ],
        'cán bộ A',
      );
      worker = await startWorker(config, {
        log: () => undefined,
        adapters: {
          ...createAdapters(config),
          facebook: new FakePlatformAdapter(new Templates(config.templatesDir), () => platform.url),
        },
      });
      await worker.schedule();
      const pageQueued = async () =>
        (await listPublications(db.kysely, { channelId: 'trang-xa', states: ['queued'] }))[0];
      const delayedOnPage = async (id: string) => (await worker!.queues.queue('facebook').getJob(id))?.isDelayed();
      await waitFor(
        async () =>
          (await listPublications(db.kysely, { states: ['published'] })).length === 3 &&
          Boolean(await delayedOnPage((await pageQueued())?.id ?? '')),
        20_000,
        'two on the page and the radio published, one on the page delayed',
      );
      const held = (await pageQueued())!;
      expect(await listAttempts(db.kysely, held.id)).toEqual([]);
      expect(platform.posts).toHaveLength(2);
      const job = (await worker.queues.queue('facebook').getJob(held.id))!;
      expect(await job.isDelayed()).toBe(true);
      // Delayed for about the rest of the hour, not retried in a loop; and not counted as an attempt.
      expect(job.delay).toBeGreaterThan(50 * 60_000);
      expect(job.attemptsMade).toBe(0);
      expect((await listPublications(db.kysely, { channelId: 'radio' }))[0]!.state).toBe('published');
    } finally {
      await worker?.stop();
      worker = undefined;
      await platform.stop();
    }
  });
});
