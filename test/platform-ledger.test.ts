import { createAdapters } from '../channels';
import { Templates } from '../channels/template';
import type { AttemptContext, PostContext, PublishOutcome } from '../channels/types';
import { listAttempts } from '../src/store/attempts';
import { platformPostsOf, siblingMayHavePosted } from '../src/store/platform-posts';
import { getPublication, movePublication, schedulePublications } from '../src/store/publications';
import { claimAndOpenAttempt, recordOutcomeAndSettle, recordPlatformPost } from '../src/store/publish-protocol';
import { type PublishDeps, publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { FakePlatform, FakePlatformAdapter } from './support/fake-platform';
import { claimOrThrow } from './support/protocol';
import { saveCommunePage, seedItems } from './support/seed';
import { waitFor } from './support/services';
import { type FreshStore, freshStore } from './support/store-fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function signalSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason as Error)), { once: true });
  });
}

/**
 * The ledger of what exists on each platform: one owner per post, written the moment an id is known,
 * never discarded; and the exactly-once paths a reviewer's mutations once left untested.
 */
describe.each(DATABASE_KINDS)('the platform ledger on %s', (kind) => {
  let store: FreshStore;
  let platform: FakePlatform;
  let itemId: number;
  let first: string;
  let second: string;

  beforeEach(async () => {
    store = await freshStore(kind);
    platform = await new FakePlatform().start();
    await saveCommunePage(store.db.kysely);
    [itemId] = (await seedItems(store.db.kysely, 1)) as [number];
    // The same item twice on one Page (a repeat a week later): the same text.
    const at = Date.now() - 120_000;
    const { created } = await schedulePublications(
      store.db.kysely,
      [
        { itemId, channelId: 'trang-xa', scheduledAt: new Date(at) },
        { itemId, channelId: 'trang-xa', scheduledAt: new Date(at + 60_000) },
      ],
      'cán bộ A',
    );
    [first, second] = created.map((p) => p.id) as [string, string];
  });
  afterEach(async () => {
    await platform.stop();
    await store.dispose();
  });

  const fake = () => new FakePlatformAdapter(new Templates(store.config.templatesDir), () => platform.url);
  const deps = (worker: string, overrides: Partial<PublishDeps> = {}, adapter = fake()): PublishDeps => ({
    db: store.db.kysely,
    adapters: { ...createAdapters(store.config), facebook: adapter },
    worker,
    leaseMs: 300,
    log: () => undefined,
    ...overrides,
  });
  const ledger = async (id: string) =>
    ((await platformPostsOf(store.db.kysely, [id])).get(id) ?? []).map((p) => [p.kind, p.externalId]);

  test("the item's other publication may have posted while it is being published or unconfirmed without a ledger row", async () => {
    const db = store.db.kysely;
    expect(await siblingMayHavePosted(db, 'trang-xa', first)).toBe(false);
    const { claim } = await claimOrThrow(db, second);
    // Its call may be in flight: a post with the item's text could be its.
    expect(await siblingMayHavePosted(db, 'trang-xa', first)).toBe(true);
    expect(await siblingMayHavePosted(db, 'trang-xa', second)).toBe(false);
    // Once its post is in the ledger, it is owned there, and nothing else of it is unknown.
    await recordPlatformPost(db, claim, { kind: 'post', externalId: 'p-second', externalUrl: null });
    expect(await siblingMayHavePosted(db, 'trang-xa', first)).toBe(false);
  });

  test("reconciliation never takes another publication's post: the same text twice on one Page", async () => {
    expect(await publishOne(deps('w1'), first, false)).toBe('published');
    expect(await ledger(first)).toEqual([['post', 'post-1']]);
    // The second publication's worker dies after writing its attempt, before its call.
    expect((await claimAndOpenAttempt(store.db.kysely, second, 'dead-worker', 100)).status).toBe('claimed');
    await sleep(200);
    expect(await publishOne(deps('w2'), second, false)).toBe('published');
    expect(platform.posts).toHaveLength(2);
    expect(await getPublication(store.db.kysely, second)).toMatchObject({ state: 'published', externalId: 'post-2' });
    expect(await ledger(second)).toEqual([['post', 'post-2']]);
  });

  test('a dropped answer after the platform accepted: the second publication reconciles its own post, not the first', async () => {
    expect(await publishOne(deps('w1'), first, false)).toBe('published');
    platform.script = ['accept-then-fail'];
    expect(await publishOne(deps('w2'), second, false)).toBe('unconfirmed');
    await movePublication(store.db.kysely, second, 'scheduled', 'cán bộ A cho đăng lại');
    expect(await publishOne(deps('w2'), second, false)).toBe('reconciled');
    expect(await getPublication(store.db.kysely, second)).toMatchObject({ externalId: 'post-2' });
    expect(platform.posts).toHaveLength(2);
  });

  test('an id is owned by one publication: the ledger refuses it to another, and no settle publishes with it', async () => {
    expect(await publishOne(deps('w1'), first, false)).toBe('published');
    const answer = await claimOrThrow(store.db.kysely, second, 'w2');
    expect(
      await recordPlatformPost(store.db.kysely, answer.claim, {
        kind: 'post',
        externalId: 'post-1',
        externalUrl: null,
      }),
    ).toEqual({
      status: 'owned-elsewhere',
      owner: first,
    });
    const settle = {
      kind: 'published',
      attemptOutcome: 'reconciled',
      externalId: 'post-1',
      externalUrl: null,
      content: 'c',
      title: 't',
    } as const;
    expect(await recordOutcomeAndSettle(store.db.kysely, answer.claim, settle)).toBe(false);
    expect(await getPublication(store.db.kysely, second)).toMatchObject({ state: 'publishing', externalId: null });
  });

  test('a settle presenting a token already used changes nothing: published stays published', async () => {
    const answer = await claimOrThrow(store.db.kysely, first, 'w1');
    await recordPlatformPost(store.db.kysely, answer.claim, { kind: 'post', externalId: 'x-1', externalUrl: null });
    const published = {
      kind: 'published',
      attemptOutcome: 'published',
      externalId: 'x-1',
      externalUrl: null,
      content: 'c',
      title: 't',
    } as const;
    expect(await recordOutcomeAndSettle(store.db.kysely, answer.claim, published)).toBe(true);
    expect(await recordOutcomeAndSettle(store.db.kysely, answer.claim, { kind: 'failed', reason: 'muộn' })).toBe(false);
    expect(await getPublication(store.db.kysely, first)).toMatchObject({ state: 'published', externalId: 'x-1' });
  });

  test('an unexpected error from a non-idempotent platform is an unknown outcome, reconciled, never sent again', async () => {
    class ThrowsAfterPosting extends FakePlatformAdapter {
      override async publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
        await super.publish(post, rendered, attempt);
        throw new TypeError('Cannot read properties of undefined');
      }
    }
    const adapter = new ThrowsAfterPosting(new Templates(store.config.templatesDir), () => platform.url);
    await expect(publishOne(deps('w1', {}, adapter), first, false)).rejects.toThrow(/Cannot read/);
    expect(await getPublication(store.db.kysely, first)).toMatchObject({ state: 'unconfirmed' });
    await movePublication(store.db.kysely, first, 'scheduled', 'cán bộ A cho đăng lại');
    expect(await publishOne(deps('w1'), first, false)).toBe('reconciled');
    expect(platform.posts).toHaveLength(1);
  });

  test('a claim lost during a call stops the next side effect (the guard watches the lease)', async () => {
    class TwoSteps extends FakePlatformAdapter {
      followUps = 0;
      override async publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
        const sent = await super.publish(post, rendered, attempt);
        if (sent.status === 'sent') await attempt.recordPost('post', sent.externalId, sent.externalUrl); // rule 6
        await signalSleep(1_500, attempt.signal);
        this.followUps += 1; // a second call to the platform, e.g. a broadcast
        return sent;
      }
    }
    const adapter = new TwoSteps(new Templates(store.config.templatesDir), () => platform.url);
    const losing = publishOne(deps('w1', {}, adapter), first, false);
    await waitFor(() => platform.posts.length === 1, 5_000, 'the first step');
    // The lease runs out and w2 claims. w1's guard renews every 100 ms and may renew in between (its lease then
    // still ran, and w2 is told busy): the lease is run out again until w2 wins, as a worker's retry would.
    await waitFor(
      async () => {
        await store.db.kysely
          .updateTable('publications')
          .set({ lease_until: '2000-01-01T00:00:00.000Z' })
          .where('id', '=', first)
          .execute();
        return (await claimAndOpenAttempt(store.db.kysely, first, 'w2', 60_000)).status === 'claimed';
      },
      5_000,
      'w2 takes the claim',
    );
    await expect(losing).rejects.toThrow(/mất quyền đăng|tiến trình khác/);
    await sleep(1_700);
    expect(adapter.followUps).toBe(0);
    // The id the platform returned is in the ledger all the same.
    expect(await ledger(first)).toEqual([['post', 'post-1']]);
  });

  test('a worker told to stop before its call never calls (the last look before the side effect)', async () => {
    // An adapter whose call cannot be aborted: only the worker's own look keeps it from being sent.
    class Unabortable extends FakePlatformAdapter {
      override publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
        return super.publish(post, rendered, { ...attempt, signal: new AbortController().signal });
      }
    }
    const adapter = new Unabortable(new Templates(store.config.templatesDir), () => platform.url);
    const stopping = new AbortController();
    stopping.abort();
    expect(await publishOne(deps('w1', { stopping: stopping.signal }, adapter), first, false)).toBe('abandoned');
    await sleep(500); // a call made anyway would have reached the local platform by now
    expect(platform.requests).toHaveLength(0);
  });

  test('a BullMQ lock that cannot be extended does not throw away a post the platform accepted', async () => {
    platform.delayMs = 1_500; // five lease beats
    const extendJobLock = () => Promise.reject(new Error('Missing lock for job'));
    expect(await publishOne(deps('w1', { extendJobLock }), first, false)).toBe('published');
    expect(await getPublication(store.db.kysely, first)).toMatchObject({ state: 'published', externalId: 'post-1' });
  });

  test('a follow-up that fails after the id was recorded keeps the post: published, with the failure as a note', async () => {
    class FollowUpFails extends FakePlatformAdapter {
      override async publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
        const sent = await super.publish(post, rendered, attempt);
        if (sent.status !== 'sent') return sent;
        await attempt.recordPost('post', sent.externalId, sent.externalUrl);
        throw new Error('holdAccount: Redis không trả lời'); // e.g. the pace hold or the permalink lookup
      }
    }
    const adapter = new FollowUpFails(new Templates(store.config.templatesDir), () => platform.url);
    expect(await publishOne(deps('w1', {}, adapter), first, false)).toBe('published');
    expect(await getPublication(store.db.kysely, first)).toMatchObject({ state: 'published', externalId: 'post-1' });
    const [attempt] = await listAttempts(store.db.kysely, first);
    expect(attempt!.error).toContain('Redis không trả lời');
  });

  test('a call abandoned at its deadline and accepted later is in the ledger; the next claim publishes it without calling', async () => {
    // A call that cannot be aborted once sent (an SDK without a signal): it outlives the attempt.
    class Unabortable extends FakePlatformAdapter {
      override publish(post: PostContext, rendered: string, attempt: AttemptContext): Promise<PublishOutcome> {
        return super.publish(post, rendered, { ...attempt, signal: new AbortController().signal });
      }
    }
    const adapter = new Unabortable(new Templates(store.config.templatesDir), () => platform.url);
    platform.delayMs = 1_200;
    expect(await publishOne(deps('w1', { publishTimeoutMs: 400 }, adapter), first, false)).toBe('unconfirmed');
    await waitFor(async () => (await ledger(first)).length === 1, 10_000, 'the late id in the ledger');
    platform.lookupsFail = true; // the ledger answers, not the platform's listing
    await movePublication(store.db.kysely, first, 'scheduled', 'cán bộ A cho đăng lại');
    expect(await publishOne(deps('w1'), first, false)).toBe('reconciled');
    expect(await getPublication(store.db.kysely, first)).toMatchObject({ state: 'published', externalId: 'post-1' });
    expect(platform.requests).toHaveLength(1);
  });
});
