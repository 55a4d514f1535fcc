import { createAdapters } from '../channels';
import { Templates } from '../channels/template';
import { listAttempts } from '../src/store/attempts';
import { pauseChannel, resumeChannel } from '../src/store/channel-pause';
import { pausePublishing, resumePublishing } from '../src/store/pauses';
import { getPublication, schedulePublications } from '../src/store/publications';
import { claimAndOpenAttempt, confirmClaim } from '../src/store/publish-protocol';
import { withdrawItem } from '../src/store/withdrawals';
import { NotYet, type PublishDeps, publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { FakePlatform, FakePlatformAdapter } from './support/fake-platform';
import { saveCommunePage, seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The claim's eligibility is one predicate of its SQL: approved, not withdrawn, channel and unit not
 * paused, due on the database's clock. Each refusal is read in the claim's own transaction, so nothing can change
 * between the check and the claim.
 */
describe.each(DATABASE_KINDS)('who may be claimed, on %s', (kind) => {
  let store: FreshStore;
  let platform: FakePlatform;
  let itemId: number;
  let id: string;

  beforeEach(async () => {
    store = await freshStore(kind);
    platform = await new FakePlatform().start();
    await saveCommunePage(store.db.kysely);
    [itemId] = (await seedItems(store.db.kysely, 1)) as [number];
    const { created } = await schedulePublications(
      store.db.kysely,
      [{ itemId, channelId: 'trang-xa', scheduledAt: new Date(Date.now() - 60_000) }],
      'cán bộ A',
    );
    id = created[0]!.id;
  });
  afterEach(async () => {
    await platform.stop();
    await store.dispose();
  });

  const deps = (worker: string): PublishDeps => ({
    db: store.db.kysely,
    adapters: {
      ...createAdapters(store.config),
      facebook: new FakePlatformAdapter(new Templates(store.config.templatesDir), () => platform.url),
    },
    worker,
    leaseMs: 300,
    log: () => undefined,
  });

  test('a withdrawn item is never posted after a worker died mid-attempt: the next claim leaves it for a person', async () => {
    // The finding: the attempt is written, the worker dies before the call, the item is withdrawn (listed in
    // flight), the lease runs out, and the next claim posted it.
    const dead = await claimAndOpenAttempt(store.db.kysely, id, 'dead-worker', 200);
    expect(dead.status).toBe('claimed');
    const withdrawal = await withdrawItem(store.db.kysely, itemId, 'cán bộ A', 'thông tin đã thay đổi');
    expect(withdrawal.inFlight.map((p) => p.id)).toEqual([id]);
    await sleep(300);
    expect(await publishOne(deps('w1'), id, false)).toBe('withheld');
    expect(platform.requests).toHaveLength(0);
    expect(await getPublication(store.db.kysely, id)).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('đã bị rút'),
    });
    expect((await listAttempts(store.db.kysely, id)).map((a) => a.outcome)).toEqual(['interrupted']);
  });

  test('the fence holds only for the token of the claim while the item may go out; it writes only when half the lease is gone', async () => {
    const answer = await claimAndOpenAttempt(store.db.kysely, id, 'w1', 60_000);
    if (answer.status !== 'claimed') throw new Error(`expected claimed, got ${answer.status}`);
    const lease = async () => (await getPublication(store.db.kysely, id))!.leaseUntil;
    const claimed = await lease();
    // A fresh lease: the fence is a read, and the lease stays as the claim set it.
    expect(await confirmClaim(store.db.kysely, answer.claim, 60_000)).toBe(true);
    expect(await lease()).toEqual(claimed);
    // Asked for a ten-minute lease, the minute left is less than half: the fence extends it.
    expect(await confirmClaim(store.db.kysely, answer.claim, 600_000)).toBe(true);
    expect((await lease())!.getTime()).toBeGreaterThan(claimed!.getTime() + 400_000);
    expect(await confirmClaim(store.db.kysely, { ...answer.claim, token: 'not-the-claim' }, 60_000)).toBe(false);
    await store.db.kysely
      .updateTable('content_items')
      .set({ withdrawn_at: new Date().toISOString(), withdrawn_by: 'cán bộ A', withdrawal_reason: 'sai số liệu' })
      .where('id', '=', itemId)
      .execute();
    expect(await confirmClaim(store.db.kysely, answer.claim, 60_000)).toBe(false);
    expect(await confirmClaim(store.db.kysely, answer.claim, 600_000)).toBe(false);
  });

  test('a pending publication whose item was withdrawn under it is cancelled by the claim, with who and why', async () => {
    // As if the withdrawal committed between the scheduler's read and the claim: only the item is marked.
    await store.db.kysely
      .updateTable('content_items')
      .set({ withdrawn_at: new Date().toISOString(), withdrawn_by: 'cán bộ A', withdrawal_reason: 'sai số liệu' })
      .where('id', '=', itemId)
      .execute();
    expect((await claimAndOpenAttempt(store.db.kysely, id, 'w1', 60_000)).status).toBe('withdrawn');
    expect(await getPublication(store.db.kysely, id)).toMatchObject({
      state: 'cancelled',
      reason: expect.stringContaining('sai số liệu'),
      attempts: 0,
    });
    expect(await listAttempts(store.db.kysely, id)).toHaveLength(0);
  });

  test('a paused channel, unit or province is refused by the claim itself, nothing changed; a resume lets it through', async () => {
    const refusedFor = async () => {
      const answer = await claimAndOpenAttempt(store.db.kysely, id, 'w1', 60_000);
      expect(answer.status).toBe('not-yet');
      expect(await getPublication(store.db.kysely, id)).toMatchObject({ state: 'scheduled', attempts: 0 });
      return answer.status === 'not-yet' ? answer.why : '';
    };
    await pauseChannel(store.db.kysely, 'trang-xa', 'token bị thu hồi', 'hệ thống');
    expect(await refusedFor()).toContain('token bị thu hồi');
    await resumeChannel(store.db.kysely, 'trang-xa');
    await pausePublishing(store.db.kysely, 'ubnd-xa-tan-lap', 'có sự cố thông tin', 'lãnh đạo B');
    expect(await refusedFor()).toContain('có sự cố thông tin');
    await resumePublishing(store.db.kysely, 'ubnd-xa-tan-lap', 'lãnh đạo B');
    await pausePublishing(store.db.kysely, null, 'quốc tang', 'lãnh đạo tỉnh');
    expect(await refusedFor()).toContain('quốc tang');
    await resumePublishing(store.db.kysely, null, 'lãnh đạo tỉnh');
    expect((await claimAndOpenAttempt(store.db.kysely, id, 'w1', 60_000)).status).toBe('claimed');
  });

  test('a publication not due on the database clock is refused and waits the time left; the worker never calls', async () => {
    const { created } = await schedulePublications(
      store.db.kysely,
      [{ itemId, channelId: 'trang-xa', scheduledAt: new Date(Date.now() + 3_600_000) }],
      'cán bộ A',
    );
    const later = created[0]!.id;
    const answer = await claimAndOpenAttempt(store.db.kysely, later, 'w1', 60_000);
    if (answer.status !== 'not-yet') throw new Error(`expected not-yet, got ${answer.status}`);
    expect(answer.delayMs).toBeGreaterThan(3_000_000);
    expect(answer.delayMs).toBeLessThanOrEqual(3_600_000);
    await expect(publishOne(deps('w1'), later, false)).rejects.toBeInstanceOf(NotYet);
    expect(platform.requests).toHaveLength(0);
    expect(await getPublication(store.db.kysely, later)).toMatchObject({ state: 'scheduled', attempts: 0 });
  });
});
