import { sql } from 'kysely';

import { createAdapters } from '../channels';
import { Templates } from '../channels/template';
import { PublishQueues } from '../src/queue/queues';
import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { editItem } from '../src/store/items';
import { getPublication, movePublication, schedulePublications } from '../src/store/publications';
import { claimAndOpenAttempt, recordOutcomeAndSettle, recordProgress, renewLease } from '../src/store/publish-protocol';
import type { LogFields, LogLevel } from '../worker/log';
import { ClaimLost, OutcomeNotRecorded, type PublishDeps, publishOne } from '../worker/publish-job';
import { startWorker } from '../worker/worker';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { FakePlatform, FakePlatformAdapter } from './support/fake-platform';
import { openStore } from './support/open-store';
import { saveCommunePage, seedItems } from './support/seed';
import { testConfig, waitFor } from './support/services';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Exactly once on a platform that cannot take a second call (issue 9): a slow, counting, non-idempotent fake
 * platform served over loopback HTTP, both databases, real Redis where a queue is involved.
 */
describe.each(DATABASE_KINDS)('exactly once on a non-idempotent platform, %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let config: ReturnType<typeof testConfig>;
  let platform: FakePlatform;
  let id: string;
  let itemId: number;
  let lines: { level: LogLevel; message: string; fields: LogFields }[];

  beforeEach(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    platform = await new FakePlatform().start();
    await saveCommunePage(db.kysely);
    [itemId] = (await seedItems(db.kysely, 1)) as [number];
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId, channelId: 'trang-xa', scheduledAt: new Date() }],
      'cán bộ A',
    );
    id = created[0]!.id;
    lines = [];
  });
  afterEach(async () => {
    await platform.stop();
    await db.close();
    await database.drop();
  });

  const adapters = () => ({
    ...createAdapters(config),
    facebook: new FakePlatformAdapter(new Templates(config.templatesDir), () => platform.url),
  });
  const deps = (worker: string, overrides: Partial<PublishDeps> = {}): PublishDeps => ({
    db: db.kysely,
    adapters: adapters(),
    worker,
    leaseMs: 500,
    log: (level, message, fields = {}) => lines.push({ level, message, fields }),
    ...overrides,
  });
  const outcomes = async () => (await listAttempts(db.kysely, id)).map((a) => a.outcome);

  test('a lease shorter than the call is renewed while it runs: a second worker never posts again', async () => {
    platform.delayMs = 2_000;
    const first = publishOne(deps('w1'), id, false);
    await sleep(1_200); // well past the 500 ms lease, had it not been renewed
    await expect(publishOne(deps('w2'), id, false)).rejects.toThrow(/đang được tiến trình w1/);
    expect(await first).toBe('published');
    expect(platform.postsOf(id)).toHaveLength(1);
    expect(await outcomes()).toEqual(['published']);
  });

  test('a write with a stale fencing token changes nothing, and the worker that lost its claim says so', async () => {
    const a = await claimAndOpenAttempt(db.kysely, id, 'w1', 200);
    await sleep(300);
    const b = await claimAndOpenAttempt(db.kysely, id, 'w2', 60_000);
    if (a.status !== 'claimed' || b.status !== 'claimed') throw new Error('both claims were expected to be won');
    expect(b.interrupted).toBe(true);
    expect(
      await recordOutcomeAndSettle(db.kysely, a.claim, {
        kind: 'published',
        attemptOutcome: 'published',
        externalId: 'x',
        externalUrl: null,
        content: 'c',
        title: 't',
      }),
    ).toBe(false);
    expect(await recordProgress(db.kysely, a.claim, { upload: 'u1' })).toBe(false);
    expect(await renewLease(db.kysely, a.claim, 60_000)).toBe(false);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'publishing',
      claimedBy: 'w2',
      externalId: null,
    });
    expect(await recordOutcomeAndSettle(db.kysely, b.claim, { kind: 'failed', reason: 'thử' })).toBe(true);
    expect(await outcomes()).toEqual(['interrupted', 'failed']);

    // Through the worker: its lease is taken over mid-call; it stops and logs instead of settling.
    await movePublication(db.kysely, id, 'scheduled');
    platform.delayMs = 1_500;
    const losing = publishOne(deps('w3', { leaseMs: 600 }), id, false);
    await waitFor(() => platform.requests.length === 1, 5_000, 'the call under way');
    await db.kysely
      .updateTable('publications')
      .set({ lease_until: '2000-01-01T00:00:00.000Z' })
      .where('id', '=', id)
      .execute();
    const taken = await claimAndOpenAttempt(db.kysely, id, 'w4', 60_000);
    expect(taken.status).toBe('claimed');
    await expect(losing).rejects.toBeInstanceOf(ClaimLost);
    expect(lines.some((l) => l.message.startsWith('mất quyền đăng'))).toBe(true);
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'publishing', claimedBy: 'w4' });
  });

  async function failPublishedWrites(): Promise<() => Promise<void>> {
    if (kind === 'sqlite') {
      await sql`CREATE TRIGGER fail_settle BEFORE UPDATE OF state ON publications WHEN NEW.state = 'published' BEGIN SELECT RAISE(ABORT, 'ổ đĩa đầy'); END`.execute(
        db.kysely,
      );
      return async () => void (await sql`DROP TRIGGER fail_settle`.execute(db.kysely));
    }
    await sql`CREATE FUNCTION fail_settle() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'ổ đĩa đầy'; END $$ LANGUAGE plpgsql`.execute(
      db.kysely,
    );
    await sql`CREATE TRIGGER fail_settle BEFORE UPDATE ON publications FOR EACH ROW WHEN (NEW.state = 'published') EXECUTE FUNCTION fail_settle()`.execute(
      db.kysely,
    );
    return async () => void (await sql`DROP TRIGGER fail_settle ON publications`.execute(db.kysely));
  }

  test('an outcome write that fails at first is tried again: the post is recorded once, with its id', async () => {
    const heal = await failPublishedWrites();
    // Healed a moment after the platform accepted the post: the first write fails, a later try succeeds.
    const healed = waitFor(() => platform.posts.length === 1, 5_000, 'the post accepted')
      .then(() => sleep(100))
      .then(heal);
    expect(await publishOne(deps('w1', { outcomeRetryDelaysMs: [400, 400] }), id, false)).toBe('published');
    await healed;
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'published', externalId: 'post-1' });
    expect(platform.postsOf(id)).toHaveLength(1);
  });

  test('an outcome write that keeps failing leaves the attempt publishing with the id in the log; reconciliation finds the post', async () => {
    const heal = await failPublishedWrites();
    await expect(publishOne(deps('w1', { outcomeRetryDelaysMs: [10, 10] }), id, false)).rejects.toBeInstanceOf(
      OutcomeNotRecorded,
    );
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'publishing', externalId: null });
    expect(await outcomes()).toEqual(['started']);
    expect(lines.find((l) => l.level === 'error')?.fields).toMatchObject({ bai: id, ma_ngoai: 'post-1' });

    await heal();
    await sleep(600); // the 500 ms lease runs out
    expect(await publishOne(deps('w2'), id, false)).toBe('reconciled');
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'published', externalId: 'post-1' });
    expect(await outcomes()).toEqual(['interrupted', 'reconciled']);
    expect(platform.postsOf(id)).toHaveLength(1);
  });

  test('an unknown outcome is left unconfirmed, then reconciled before anything is sent again', async () => {
    platform.script = ['accept-then-fail'];
    expect(await publishOne(deps('w1'), id, false)).toBe('unconfirmed');
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('mất kết nối'),
    });
    await movePublication(db.kysely, id, 'scheduled', 'cán bộ A cho đăng lại'); // loa retry
    expect(await publishOne(deps('w1'), id, false)).toBe('reconciled');
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'published', externalId: 'post-1' });
    expect(await outcomes()).toEqual(['unconfirmed', 'reconciled']);
    expect(platform.postsOf(id)).toHaveLength(1);
  });

  test('an unknown outcome the platform cannot check stays unconfirmed for a person, and nothing is sent again', async () => {
    platform.script = ['accept-then-fail'];
    expect(await publishOne(deps('w1'), id, false)).toBe('unconfirmed');
    platform.lookupsFail = true;
    await movePublication(db.kysely, id, 'scheduled', 'cán bộ A cho đăng lại');
    expect(await publishOne(deps('w1'), id, false)).toBe('unconfirmed');
    expect(await outcomes()).toEqual(['unconfirmed', 'unconfirmed']);
    expect(platform.postsOf(id)).toHaveLength(1);
  });

  test('an absent post after an interrupted attempt is sent once, resuming in the same attempt', async () => {
    const dead = await claimAndOpenAttempt(db.kysely, id, 'dead-worker', 100);
    expect(dead.status).toBe('claimed');
    await sleep(200);
    expect(await publishOne(deps('w1'), id, false)).toBe('published');
    const attempts = await listAttempts(db.kysely, id);
    expect(attempts.map((a) => [a.outcome, a.steps])).toEqual([
      ['interrupted', {}],
      ['published', { doi_chieu: 'khong_thay' }],
    ]);
    expect(platform.postsOf(id)).toHaveLength(1);
  });

  test('a re-claimed publication of an item edited after its approval is not published', async () => {
    const dead = await claimAndOpenAttempt(db.kysely, id, 'dead-worker', 100);
    expect(dead.status).toBe('claimed');
    await editItem(db.kysely, itemId, { title: 'Tiêu đề sửa sau khi duyệt' });
    await sleep(200);
    expect(await publishOne(deps('w1'), id, false)).toBe('withheld');
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('đã được sửa'),
    });
    expect(await outcomes()).toEqual(['interrupted']);
    expect(platform.requests).toHaveLength(0);
  });

  test('a call past the publish deadline is abandoned and left unconfirmed; the worker goes on', async () => {
    platform.script = ['hang'];
    expect(await publishOne(deps('w1', { publishTimeoutMs: 800 }), id, false)).toBe('unconfirmed');
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('quá thời hạn'),
    });
  });

  describe('with the queue on real Redis', () => {
    let queues: PublishQueues;
    beforeEach(() => {
      queues = new PublishQueues(config.redisUrl, config.queuePrefix);
    });
    afterEach(async () => {
      for (const p of ['rss', 'radio', 'facebook'] as const) await queues.queue(p).obliterate({ force: true });
      await queues.close();
    });

    test("retry-later waits the platform's own time and keeps its code and trace id", async () => {
      platform.script = ['retry-after'];
      platform.retryAfterSeconds = 4; // the default backoff would wait 2 s
      const worker = await startWorker(config, { adapters: adapters(), log: () => undefined });
      try {
        await waitFor(
          async () => (await getPublication(db.kysely, id)).state === 'published',
          20_000,
          'published after the wait',
        );
      } finally {
        await worker.stop();
      }
      expect(platform.requests[1]!.at - platform.requests[0]!.at).toBeGreaterThanOrEqual(4_000);
      const [refused, sent] = await listAttempts(db.kysely, id);
      expect(refused).toMatchObject({ outcome: 'retry', trace: { code: '429', subcode: '4', traceId: 'trace-1' } });
      expect(sent!.outcome).toBe('published');
      expect(platform.postsOf(id)).toHaveLength(1);
    });

    test('the scheduler re-owns a claim abandoned by a dead worker, which is reconciled before sending', async () => {
      const worker = await startWorker(config, { adapters: adapters(), log: () => undefined });
      try {
        await waitFor(async () => (await getPublication(db.kysely, id)).state === 'published', 10_000, 'first publish');
        const [otherItem] = await seedItems(db.kysely, 1);
        const { created } = await schedulePublications(
          db.kysely,
          [{ itemId: otherItem!, channelId: 'trang-xa', scheduledAt: new Date() }],
          'cán bộ A',
        );
        // A worker claims it and dies (no job left in Redis for it): only the scheduler can give it one again.
        expect((await claimAndOpenAttempt(db.kysely, created[0]!.id, 'dead-worker', 200)).status).toBe('claimed');
        await sleep(300);
        await worker.schedule();
        await waitFor(
          async () => (await getPublication(db.kysely, created[0]!.id)).state === 'published',
          10_000,
          'published after re-owning',
        );
        expect((await listAttempts(db.kysely, created[0]!.id)).map((a) => a.outcome)).toEqual([
          'interrupted',
          'published',
        ]);
        expect(platform.postsOf(created[0]!.id)).toHaveLength(1);
      } finally {
        await worker.stop();
      }
    });

    test('a job that finds the publication claimed by another worker is retried, never dropped', async () => {
      const other = await claimAndOpenAttempt(db.kysely, id, 'other-worker', 1_500);
      if (other.status !== 'claimed') throw new Error('claim expected');
      await queues.add(other.post.publication, 'facebook');
      const worker = await startWorker(config, { adapters: adapters(), log: () => undefined });
      try {
        // The other worker dies holding the claim; this worker's job comes back after its backoff and takes over.
        await waitFor(
          async () => (await getPublication(db.kysely, id)).state === 'published',
          15_000,
          'published by the retried job',
        );
      } finally {
        await worker.stop();
      }
      expect(await outcomes()).toEqual(['interrupted', 'published']);
      expect(platform.postsOf(id)).toHaveLength(1);
    });
  });
});
