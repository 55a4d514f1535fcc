import { sql } from 'kysely';

import { MAIN_POST } from '../src/domain/platform-post';
import { listAttempts } from '../src/store/attempts';
import { platformPostsOf } from '../src/store/platform-posts';
import { getPublication, schedulePublications } from '../src/store/publications';
import { recordPlatformPost, recordPostAndSettle } from '../src/store/publish-protocol';
import { DATABASE_KINDS } from './support/databases';
import { claimOrThrow } from './support/protocol';
import { seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

/**
 * recordPostAndSettle: the ledger row of an accepted post and the settle in one transaction, with the rules
 * of the two steps it merges: the row is written even when the claim was lost, the settle presents the claim's token,
 * and an id another publication owns is refused with nothing written. A first claim also skips the reads of earlier
 * attempts; a later claim still finds them.
 */
describe.each(DATABASE_KINDS)('the ledger row and the settle in one transaction on %s', (kind) => {
  let store: FreshStore;
  beforeEach(async () => {
    store = await freshStore(kind);
  });
  afterEach(() => store.dispose());

  async function twoPublications(): Promise<[string, string]> {
    const items = await seedItems(store.db.kysely, 2);
    const { created } = await schedulePublications(
      store.db.kysely,
      items.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: new Date(Date.now() - 60_000) })),
      'cán bộ A',
    );
    return [created[0]!.id, created[1]!.id];
  }

  const ledgerOf = async (id: string) => (await platformPostsOf(store.db.kysely, [id])).get(id) ?? [];

  const sent = (externalId: string) => ({
    kind: 'published' as const,
    attemptOutcome: 'published' as const,
    externalId,
    externalUrl: `https://cong.example/${externalId}`,
    content: 'nội dung',
    title: 'tiêu đề',
  });

  test('settles its own publication with its own token, and the ledger gives the post to it', async () => {
    const [a, b] = await twoPublications();
    const first = await claimOrThrow(store.db.kysely, a, 'w1');
    const second = await claimOrThrow(store.db.kysely, b, 'w2');
    expect(await recordPostAndSettle(store.db.kysely, first.claim, sent('bai-a'))).toEqual({
      status: 'recorded',
      settled: true,
    });
    expect(await getPublication(store.db.kysely, a)).toMatchObject({ state: 'published', externalId: 'bai-a' });
    // The other claim of the same moment is untouched: still publishing, its attempt still started.
    expect((await getPublication(store.db.kysely, b)).state).toBe('publishing');
    expect((await listAttempts(store.db.kysely, b)).map((x) => x.outcome)).toEqual(['started']);
    expect((await ledgerOf(a)).map((p) => p.externalId)).toEqual(['bai-a']);
    expect(second.claim.token).not.toBe(first.claim.token);
  });

  test("another publication's token settles nothing, yet the post stays in the ledger", async () => {
    const [a, b] = await twoPublications();
    const first = await claimOrThrow(store.db.kysely, a, 'w1');
    const second = await claimOrThrow(store.db.kysely, b, 'w2');
    // The claim of A presented with B's token: the settle must refuse it.
    const mixed = { ...first.claim, token: second.claim.token };
    expect(await recordPostAndSettle(store.db.kysely, mixed, sent('bai-a'))).toEqual({
      status: 'recorded',
      settled: false,
    });
    expect((await getPublication(store.db.kysely, a)).state).toBe('publishing');
    expect((await getPublication(store.db.kysely, b)).state).toBe('publishing');
    expect((await listAttempts(store.db.kysely, a)).map((x) => x.outcome)).toEqual(['started']);
    expect((await ledgerOf(a)).map((p) => p.externalId)).toEqual(['bai-a']);
  });

  test('an id the ledger gives to another publication is refused and nothing is settled', async () => {
    const [a, b] = await twoPublications();
    const first = await claimOrThrow(store.db.kysely, a, 'w1');
    const second = await claimOrThrow(store.db.kysely, b, 'w2');
    await recordPlatformPost(store.db.kysely, second.claim, {
      kind: MAIN_POST,
      externalId: 'bai-x',
      externalUrl: null,
    });
    expect(await recordPostAndSettle(store.db.kysely, first.claim, sent('bai-x'))).toEqual({
      status: 'owned-elsewhere',
      owner: b,
    });
    expect((await getPublication(store.db.kysely, a)).state).toBe('publishing');
    expect(await ledgerOf(a)).toEqual([]);
  });

  test('a later claim still finds what earlier attempts left (interrupted attempt, ledger row)', async () => {
    const [a] = await twoPublications();
    const dead = await claimOrThrow(store.db.kysely, a, 'dead', 60_000);
    await recordPlatformPost(store.db.kysely, dead.claim, {
      kind: 'follow-up',
      externalId: 'phu-1',
      externalUrl: null,
    });
    // The dead worker's lease runs out (on the database's clock).
    await sql`update publications set lease_until = '2000-01-01T00:00:00.000Z' where id = ${a}`.execute(
      store.db.kysely,
    );
    const next = await claimOrThrow(store.db.kysely, a, 'w2');
    expect(next.interrupted).toBe(true);
    expect(next.earlier.map((x) => [x.attemptNo, x.outcome])).toEqual([[1, 'interrupted']]);
    expect(next.posts.map((p) => p.externalId)).toEqual(['phu-1']);
  });
});
