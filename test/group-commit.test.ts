import { sql } from 'kysely';

import { createAdapters } from '../channels';
import type { ChannelAdapter } from '../channels/types';
import { NotFoundError } from '../src/domain/errors';
import { MAIN_POST } from '../src/domain/platform-post';
import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { connect } from '../src/store/connection';
import { getPublication, schedulePublications } from '../src/store/publications';
import {
  type Claim,
  claimAndOpenAttempt,
  type ClaimAnswer,
  recordOutcomeAndSettle,
  recordPostAndSettle,
} from '../src/store/publish-protocol';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

/**
 * Group commit (src/store/commit-batch.ts): the protocol's steps handed in together share one transaction, and every
 * per-row guarantee holds per publication: a claim that fails its condition fails alone, each settle is fenced by its
 * own claim's token, and no platform call is made before its claim's transaction has committed.
 */
describe.each(DATABASE_KINDS)('group commit of the publish protocol on %s', (kind) => {
  let store: FreshStore;
  let db: Db;

  beforeEach(async () => {
    store = await freshStore(kind);
    db = store.db;
  });
  afterEach(() => store.dispose());

  async function due(count: number): Promise<{ ids: string[]; items: number[] }> {
    const items = await seedItems(db.kysely, count);
    const { created } = await schedulePublications(
      db.kysely,
      items.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: new Date(Date.now() - 60_000) })),
      'cán bộ A',
    );
    return { ids: created.map((p) => p.id), items };
  }

  function claimed(answer: ClaimAnswer): Claim {
    if (answer.status !== 'claimed') throw new Error(`không nhận được: ${answer.status}`);
    return answer.claim;
  }

  test('claims handed in together share one transaction, and a claim that fails its condition fails alone', async () => {
    const { ids, items } = await due(4);
    // The second item lost its approval after it was scheduled (an edit not yet approved again).
    await db.kysely.updateTable('content_items').set({ approved_at: null }).where('id', '=', items[1]!).execute();
    const transactions = jest.spyOn(db.kysely, 'transaction');
    const answers = await Promise.allSettled([
      ...ids.map((id) => claimAndOpenAttempt(db.kysely, id, 'w1', 60_000)),
      claimAndOpenAttempt(db.kysely, 'khong-co-bai-nay', 'w1', 60_000),
    ]);
    // Only SQLite batches (PostgreSQL's row locks could deadlock a shared transaction): one there. On PostgreSQL each
    // claim is one statement committed alone, and only the two refused read why in a transaction.
    expect(transactions).toHaveBeenCalledTimes(kind === 'sqlite' ? 1 : 2);
    transactions.mockRestore();

    const statuses = answers.map((a) => (a.status === 'fulfilled' ? a.value.status : a.reason));
    expect(statuses.slice(0, 4)).toEqual(['claimed', 'not-approved', 'claimed', 'claimed']);
    expect(statuses[4]).toBeInstanceOf(NotFoundError);
    // Each claim its own token and attempt; the unapproved item's publication moved out of the way by its own refusal.
    const claims = [0, 2, 3].map((i) => claimed((answers[i] as PromiseFulfilledResult<ClaimAnswer>).value));
    expect(new Set(claims.map((c) => c.token)).size).toBe(3);
    for (const claim of claims) {
      expect(await getPublication(db.kysely, claim.publicationId)).toMatchObject({ state: 'publishing' });
      expect((await listAttempts(db.kysely, claim.publicationId)).map((a) => a.outcome)).toEqual(['started']);
    }
    expect((await getPublication(db.kysely, ids[1]!)).state).toBe('expired');
  });

  test('each settle of a batch is fenced by its own token: a stale one is refused alone, the others record their own outcome', async () => {
    const { ids } = await due(4);
    const claims = (await Promise.all(ids.map((id) => claimAndOpenAttempt(db.kysely, id, 'w1', 60_000)))).map(claimed);
    // The second publication's lease runs out and another worker takes it: w1's token is no longer in force.
    await db.kysely
      .updateTable('publications')
      .set({ lease_until: sql`'2000-01-01T00:00:00.000Z'` })
      .where('id', '=', ids[1]!)
      .execute();
    const taken = claimed(await claimAndOpenAttempt(db.kysely, ids[1]!, 'w2', 60_000));

    const transactions = jest.spyOn(db.kysely, 'transaction');
    const answers = await Promise.all([
      recordPostAndSettle(db.kysely, claims[0]!, {
        kind: 'published',
        attemptOutcome: 'published',
        externalId: 'ngoai-1',
        externalUrl: null,
        content: 'nội dung',
        title: 'tiêu đề',
      }),
      recordOutcomeAndSettle(db.kysely, claims[1]!, { kind: 'failed', reason: 'w1 đã mất quyền' }),
      recordOutcomeAndSettle(db.kysely, claims[2]!, { kind: 'retry', reason: 'thử lại sau' }),
      recordOutcomeAndSettle(db.kysely, claims[3]!, { kind: 'unconfirmed', reason: 'không rõ kết quả' }),
    ]);
    // Only SQLite batches (PostgreSQL's row locks could deadlock a shared transaction): one transaction for all there.
    if (kind === 'sqlite') expect(transactions).toHaveBeenCalledTimes(1);
    transactions.mockRestore();

    expect(answers).toEqual([{ status: 'recorded', settled: true }, false, true, true]);
    const states = await Promise.all(ids.map((id) => getPublication(db.kysely, id)));
    expect(states.map((p) => p.state)).toEqual(['published', 'publishing', 'queued', 'unconfirmed']);
    expect(states[1]).toMatchObject({ claimedBy: 'w2' });
    expect(states[0]).toMatchObject({ externalId: 'ngoai-1' });
    const outcomes = await Promise.all(
      ids.map(async (id) => (await listAttempts(db.kysely, id)).map((a) => a.outcome)),
    );
    expect(outcomes).toEqual([['published'], ['interrupted', 'started'], ['retry'], ['unconfirmed']]);
    // The one still in force, w2's, settles with its own token.
    expect(await recordOutcomeAndSettle(db.kysely, taken, { kind: 'failed', reason: 'w2 kết thúc' })).toBe(true);
    const ledger = await db.kysely.selectFrom('platform_posts').select(['publication_id', 'kind']).execute();
    expect(ledger).toEqual([{ publication_id: ids[0], kind: MAIN_POST }]);
  });

  test('no platform call is made before its claim and attempt are committed, seen from another connection', async () => {
    const { ids } = await due(8);
    const other = connect(store.database.url);
    const uncommitted: string[] = [];
    const adapters = createAdapters(store.config);
    const rss = adapters.rss!;
    adapters.rss = Object.assign(Object.create(rss) as ChannelAdapter, {
      publish: async (...args: Parameters<ChannelAdapter['publish']>) => {
        const id = args[0].publication.id;
        const row = await other.kysely
          .selectFrom('publications')
          .select(['state', 'claim_token'])
          .where('id', '=', id)
          .executeTakeFirst();
        const attempts = await other.kysely
          .selectFrom('publish_attempts')
          .select('claim_token')
          .where('publication_id', '=', id)
          .where('outcome', '=', 'started')
          .execute();
        const committed =
          row?.state === 'publishing' && attempts.length === 1 && attempts[0]!.claim_token === row.claim_token;
        if (!committed) uncommitted.push(id);
        return rss.publish(...args);
      },
    });
    try {
      const deps = { db: db.kysely, adapters, worker: 'w1', log: () => undefined };
      const transactions = jest.spyOn(db.kysely, 'transaction');
      expect(await Promise.all(ids.map((id) => publishOne(deps, id, false)))).toEqual(ids.map(() => 'published'));
      // The eight claims went out in fewer transactions than publications: they were batched.
      if (kind === 'sqlite') expect(transactions.mock.calls.length).toBeLessThan(2 * ids.length);
      transactions.mockRestore();
      expect(uncommitted).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
