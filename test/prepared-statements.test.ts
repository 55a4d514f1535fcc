import { type Kysely, sql } from 'kysely';
import { Client } from 'pg';

import type { Db } from '../src/store';
import { listAttempts } from '../src/store/attempts';
import { connect } from '../src/store/connection';
import { schedulePublications } from '../src/store/publications';
import {
  claimAndOpenAttempt,
  confirmClaim,
  recordOutcomeAndSettle,
  recordPostAndSettle,
} from '../src/store/publish-protocol';
import type { Database } from '../src/store/schema';
import { DATABASE_KINDS } from './support/databases';
import { accepted, claimOrThrow } from './support/protocol';
import { seedItems } from './support/seed';
import { type FreshStore, freshStore } from './support/store-fixture';

const onPostgres = DATABASE_KINDS.includes('postgres') ? describe : describe.skip;

/** PostgreSQL: the publish path's statements are prepared once per connection (src/store/prepared-statements.ts). */
onPostgres('prepared statements on PostgreSQL', () => {
  let store: FreshStore;
  /** One connection, so what it has prepared can be read from it. */
  let single: Db;
  beforeEach(async () => {
    store = await freshStore('postgres');
    single = connect(store.database.url, { poolSize: 1 });
  });
  afterEach(async () => {
    await single.close();
    await store.dispose();
  });

  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(single.kysely)).rows.map(
      (r) => r.statement,
    );

  const due = (items: number[]) => dueOnPortal(store.db.kysely, items);

  test('the claim and the settle run as statements the connection prepared; an ad-hoc statement does not', async () => {
    const [id, sent] = await due(await seedItems(store.db.kysely, 2));
    const answer = await claimAndOpenAttempt(single.kysely, id!, 'w1', 60_000);
    if (answer.status !== 'claimed') throw new Error(answer.status);
    await recordOutcomeAndSettle(single.kysely, answer.claim, { kind: 'failed', reason: 'thử' });
    // An accepted post: its ledger row, settle and outcome in one statement (recordPostAndSettle on PostgreSQL).
    const accepted = await claimAndOpenAttempt(single.kysely, sent!, 'w1', 60_000);
    if (accepted.status !== 'claimed') throw new Error(accepted.status);
    expect(
      await recordPostAndSettle(single.kysely, accepted.claim, {
        kind: 'published',
        attemptOutcome: 'published',
        externalId: 'bai-1',
        externalUrl: null,
        content: 'nội dung',
        title: 'tiêu đề',
      }),
    ).toEqual({ status: 'recorded', settled: true });
    await single.kysely.selectFrom('units').select('id').where('id', 'in', ['a', 'b', 'c']).execute();

    const statements = await prepared();
    // The claim: the item lock, its update, the attempt and the post's context in one statement.
    expect(statements.some((s) => s.startsWith('with "item_lock" as (select'))).toBe(true);
    expect(statements.some((s) => s.startsWith('with "settled" as'))).toBe(true);
    expect(statements.some((s) => s.startsWith('with "recorded" as'))).toBe(true);
    expect(statements.some((s) => s.includes('from "units"'))).toBe(false);
  });

  test('each run keeps its own parameters, past the runs after which PostgreSQL may keep a generic plan', async () => {
    const approved = await due(await seedItems(store.db.kysely, 8));
    const [unapproved] = await due(await seedItems(store.db.kysely, 1, false));
    for (const [i, id] of approved.entries()) {
      const answer = await claimAndOpenAttempt(single.kysely, id, `w${i}`, 60_000);
      if (answer.status !== 'claimed') throw new Error(`${id}: ${answer.status}`);
      expect(answer.claim.publicationId).toBe(id);
      expect(answer.post.publication.claimedBy).toBe(`w${i}`);
      // A stale token changes nothing, with the statement prepared as with it fresh.
      expect(await recordOutcomeAndSettle(single.kysely, { ...answer.claim, token: 'cũ' }, failed)).toBe(false);
      expect(await recordOutcomeAndSettle(single.kysely, answer.claim, failed)).toBe(true);
    }
    // The claim's predicate still refuses with the plan kept: an item not approved, one already settled.
    expect((await claimAndOpenAttempt(single.kysely, unapproved!, 'w', 60_000)).status).toBe('not-approved');
    expect((await claimAndOpenAttempt(single.kysely, approved[0]!, 'w', 60_000)).status).toBe('settled');
    const states = await store.db.kysely
      .selectFrom('publications')
      .select(['id', 'state', 'claimed_by'])
      .where('id', 'in', approved)
      .execute();
    expect(states.every((p) => p.state === 'failed')).toBe(true);
    expect(new Set(states.map((p) => p.claimed_by)).size).toBe(approved.length);
  });

  // Claims, fences and settles asked for in the same turn of the event loop go out as one statement each
  // (claimManyInOneStatement, confirmManyRead, postsAndSettlesInOneStatement); what a batch does not win is asked
  // again alone, which says why.
  const claimTogether = (ids: string[]) =>
    Promise.all(ids.map((id) => claimAndOpenAttempt(single.kysely, id, 'w1', 60_000)));

  test("each claim of the batch holds its own token and attempt; a neighbour's token settles nothing", async () => {
    // Asked for out of id order: the statement takes them in id order, and each answer must still get its own.
    const ids = (await dueOnPortal(store.db.kysely, await seedItems(store.db.kysely, 6))).reverse();
    const answers = await claimTogether(ids);
    const claims = answers.map((answer, i) => {
      if (answer.status !== 'claimed') throw new Error(`${ids[i]}: ${answer.status}`);
      expect(answer.claim.publicationId).toBe(ids[i]);
      expect(answer.post.publication.id).toBe(ids[i]);
      return answer.claim;
    });
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      single.kysely,
    );
    // The one statement this connection prepared: no claim of the batch went alone.
    expect(rows.map((r) => r.statement.slice(0, 32))).toEqual(['with "wanted"("id", "token") as ']);
    const publications = await store.db.kysely
      .selectFrom('publications')
      .select(['id', 'claim_token', 'state'])
      .where('id', 'in', ids)
      .execute();
    const attempts = await store.db.kysely
      .selectFrom('publish_attempts')
      .select(['id', 'publication_id', 'claim_token', 'outcome'])
      .where('publication_id', 'in', ids)
      .execute();
    for (const claim of claims) {
      expect(publications.find((p) => p.id === claim.publicationId)).toMatchObject({
        state: 'publishing',
        claim_token: claim.token,
      });
      expect(attempts.filter((a) => a.publication_id === claim.publicationId)).toEqual([
        { id: claim.attemptId, publication_id: claim.publicationId, claim_token: claim.token, outcome: 'started' },
      ]);
    }
    expect(new Set(claims.map((c) => c.token)).size).toBe(ids.length);
    // Settled with the next one's token: refused, nothing changed; with its own: settled.
    for (const [i, claim] of claims.entries()) {
      const neighbour = claims[(i + 1) % claims.length]!;
      expect(await recordOutcomeAndSettle(single.kysely, { ...claim, token: neighbour.token }, failed)).toBe(false);
      expect(await recordOutcomeAndSettle(single.kysely, claim, failed)).toBe(true);
    }
  });

  test("accepted posts settled together: each by its own token, each its own ledger row; a neighbour's token or another's id settles nothing", async () => {
    const ids = (await dueOnPortal(store.db.kysely, await seedItems(store.db.kysely, 5))).reverse();
    const claims = (await claimTogether(ids)).map((answer) => {
      if (answer.status !== 'claimed') throw new Error(answer.status);
      return answer.claim;
    });
    const published = (externalId: string) =>
      accepted(externalId, {
        externalUrl: `https://cong.example/${externalId}`,
        content: `nội dung ${externalId}`,
        title: `tiêu đề ${externalId}`,
      });
    // 0, 1: their own; 2: the token of 3 (refused, its ledger row kept: a fact about the platform is never dropped);
    // 3: the id 0 was given (owned by 0: nothing written); 4: its own.
    const answers = await Promise.all([
      recordPostAndSettle(single.kysely, claims[0]!, published('bai-0')),
      recordPostAndSettle(single.kysely, claims[1]!, published('bai-1')),
      recordPostAndSettle(single.kysely, { ...claims[2]!, token: claims[3]!.token }, published('bai-2')),
      recordPostAndSettle(single.kysely, claims[3]!, published('bai-0')),
      recordPostAndSettle(single.kysely, claims[4]!, published('bai-4')),
    ]);
    expect(answers).toEqual([
      { status: 'recorded', settled: true },
      { status: 'recorded', settled: true },
      { status: 'recorded', settled: false },
      { status: 'owned-elsewhere', owner: ids[0] },
      { status: 'recorded', settled: true },
    ]);
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      single.kysely,
    );
    expect(rows.some((r) => r.statement.startsWith('with "given"('))).toBe(true);
    const publications = await store.db.kysely
      .selectFrom('publications')
      .select(['id', 'state', 'external_id', 'content', 'published_title'])
      .where('id', 'in', ids)
      .execute();
    const state = (i: number) => publications.find((p) => p.id === ids[i]);
    for (const i of [0, 1, 4])
      expect(state(i)).toEqual({
        id: ids[i],
        state: 'published',
        external_id: `bai-${i}`,
        content: `nội dung bai-${i}`,
        published_title: `tiêu đề bai-${i}`,
      });
    expect(state(2)).toMatchObject({ state: 'publishing', external_id: null });
    expect(state(3)).toMatchObject({ state: 'publishing', external_id: null });
    const attempts = await store.db.kysely
      .selectFrom('publish_attempts')
      .select(['publication_id', 'outcome', 'external_id'])
      .where('publication_id', 'in', ids)
      .execute();
    const attempt = (i: number) => attempts.find((a) => a.publication_id === ids[i]);
    for (const i of [0, 1, 4]) expect(attempt(i)).toMatchObject({ outcome: 'published', external_id: `bai-${i}` });
    for (const i of [2, 3]) expect(attempt(i)).toMatchObject({ outcome: 'started', external_id: null });
    const ledger = await store.db.kysely
      .selectFrom('platform_posts')
      .select(['publication_id', 'external_id', 'attempt_id'])
      .orderBy('external_id')
      .execute();
    expect(ledger).toEqual([
      { publication_id: ids[0], external_id: 'bai-0', attempt_id: claims[0]!.attemptId },
      { publication_id: ids[1], external_id: 'bai-1', attempt_id: claims[1]!.attemptId },
      { publication_id: ids[2], external_id: 'bai-2', attempt_id: claims[2]!.attemptId },
      { publication_id: ids[4], external_id: 'bai-4', attempt_id: claims[4]!.attemptId },
    ]);
  });

  test('fences asked together read in one statement, each for its own token and item', async () => {
    const items = await seedItems(store.db.kysely, 4);
    const ids = (await dueOnPortal(store.db.kysely, items)).reverse();
    const claims = (await claimTogether(ids)).map((answer) => {
      if (answer.status !== 'claimed') throw new Error(answer.status);
      return answer.claim;
    });
    // ids[3] is the first item's: withdrawn under its claim.
    await store.db.kysely
      .updateTable('content_items')
      .set({ withdrawn_at: new Date().toISOString(), withdrawn_by: 'cán bộ A', withdrawal_reason: 'sai' })
      .where('id', '=', items[0]!)
      .execute();
    const fences = await Promise.all([
      confirmClaim(single.kysely, claims[0]!, 60_000),
      confirmClaim(single.kysely, { ...claims[1]!, token: claims[2]!.token }, 60_000),
      confirmClaim(single.kysely, claims[2]!, 60_000),
      confirmClaim(single.kysely, claims[3]!, 60_000),
    ]);
    expect(fences).toEqual([true, false, true, false]);
    const { rows } = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(
      single.kysely,
    );
    expect(rows.some((r) => r.statement.includes('in (select * from unnest('))).toBe(true);
  });

  test('a settle the batch statement cannot take fails alone: the others of its batch are settled', async () => {
    const ids = await dueOnPortal(store.db.kysely, await seedItems(store.db.kysely, 3));
    const claims = (await claimTogether(ids)).map((answer) => {
      if (answer.status !== 'claimed') throw new Error(answer.status);
      return answer.claim;
    });
    // An attempt id no integer column holds: the batch's statement fails on it as a whole, before writing anything.
    const answers = await Promise.allSettled([
      recordPostAndSettle(single.kysely, claims[0]!, accepted('bai-0')),
      recordPostAndSettle(single.kysely, { ...claims[1]!, attemptId: 2 ** 40 }, accepted('bai-1')),
      recordPostAndSettle(single.kysely, claims[2]!, accepted('bai-2')),
    ]);
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const states = await store.db.kysely
      .selectFrom('publications')
      .select(['id', 'state'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();
    expect(Object.fromEntries(states.map((p) => [p.id, p.state]))).toEqual({
      [ids[0]!]: 'published',
      [ids[1]!]: 'publishing',
      [ids[2]!]: 'published',
    });
  });

  test("a batch's claims that are not won are refused each for its own reason, the others claimed", async () => {
    const [approved, later] = await dueOnPortal(store.db.kysely, await seedItems(store.db.kysely, 2));
    const [unapproved] = await dueOnPortal(store.db.kysely, await seedItems(store.db.kysely, 1, false));
    await store.db.kysely
      .updateTable('publications')
      .set({ scheduled_at: new Date(Date.now() + 3_600_000).toISOString() })
      .where('id', '=', later!)
      .execute();
    const answers = await claimTogether([approved!, later!, unapproved!, approved!]);
    expect(answers.map((a) => a.status)).toEqual(['claimed', 'not-yet', 'not-approved', 'busy']);
    expect(await listAttempts(store.db.kysely, approved!)).toHaveLength(1);
    expect(await listAttempts(store.db.kysely, later!)).toEqual([]);
  });

  test("an edit that takes one item's approval away while the batch waits for its row leaves that claim unmade", async () => {
    const items = await seedItems(store.db.kysely, 3);
    const ids = await dueOnPortal(store.db.kysely, items);
    const editor = new Client({ connectionString: store.database.url });
    await editor.connect();
    try {
      await editor.query('begin');
      await editor.query('update content_items set approved_at = null, approved_by = null where id = $1', [items[1]]);
      let done = false;
      const claims = claimTogether(ids).finally(() => (done = true));
      await untilALockIsAwaited(store.db.kysely, () => done);
      await editor.query('commit');
      expect((await claims).map((a) => a.status)).toEqual(['claimed', 'not-approved', 'claimed']);
    } finally {
      await editor.end();
    }
    expect(await listAttempts(store.db.kysely, ids[1]!)).toEqual([]);
    expect(
      await store.db.kysely
        .selectFrom('publications')
        .select('claim_token')
        .where('id', '=', ids[1]!)
        .executeTakeFirst(),
    ).toEqual({ claim_token: null });
  });
});

const failed = { kind: 'failed', reason: 'thử' } as const;

/**
 * Until some session waits for a row lock (or `done`, or 5 s). Asked on a connection of its own: within a
 * transaction PostgreSQL shows the same snapshot of pg_stat_activity at every read.
 */
async function untilALockIsAwaited(db: Kysely<Database>, done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) {
    const { rows } = await sql`select 1 from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Publications on the portal feed of `items`, due a minute ago (a millisecond apart, in order): their ids. */
async function dueOnPortal(db: Kysely<Database>, items: number[]): Promise<string[]> {
  const { created } = await schedulePublications(
    db,
    items.map((itemId, i) => ({ itemId, channelId: 'rss', scheduledAt: new Date(Date.now() - 60_000 + i) })),
    'kiểm thử',
  );
  return created.map((p) => p.id);
}

onPostgres('the claim in one statement on PostgreSQL', () => {
  let store: FreshStore;
  beforeEach(async () => {
    store = await freshStore('postgres');
  });
  afterEach(() => store.dispose());

  test('an edit that takes the approval away while the claim waits for the item row leaves the claim unmade', async () => {
    const [itemId] = await seedItems(store.db.kysely, 1);
    const [id] = (await dueOnPortal(store.db.kysely, [itemId!])) as [string];
    const editor = new Client({ connectionString: store.database.url });
    await editor.connect();
    try {
      // An edit under way: the item is no longer approved, not committed yet (the claim's snapshot still sees it).
      await editor.query('begin');
      await editor.query('update content_items set approved_at = null, approved_by = null where id = $1', [itemId]);
      let done = false;
      const claim = claimAndOpenAttempt(store.db.kysely, id, 'w1', 60_000).finally(() => (done = true));
      // The claim waits for the item row's lock the edit holds (or, wrongly, does not wait at all).
      await untilALockIsAwaited(store.db.kysely, () => done);
      await editor.query('commit');
      // Refused as the item now is: not approved (the job ends); before the item lock, the claim was made and
      // rolled back.
      expect((await claim).status).toBe('not-approved');
    } finally {
      await editor.end();
    }
    const publication = await store.db.kysely
      .selectFrom('publications')
      .select(['state', 'claim_token', 'attempts'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(publication).toMatchObject({ claim_token: null, attempts: 0 });
    expect(await listAttempts(store.db.kysely, id)).toEqual([]);
  });
});

/**
 * The claim on both databases (on PostgreSQL one statement, src/store/publish-protocol.ts claimInOneStatement): after
 * a worker died mid-attempt, the next claim marks that attempt interrupted, and only that one.
 */
describe.each(DATABASE_KINDS)('a claim after a dead worker on %s', (kind) => {
  let store: FreshStore;
  beforeEach(async () => {
    store = await freshStore(kind);
  });
  afterEach(() => store.dispose());

  test('marks the dead attempt interrupted and leaves the one it opens started', async () => {
    const [itemId] = await seedItems(store.db.kysely, 1);
    const [id] = (await dueOnPortal(store.db.kysely, [itemId!])) as [string];
    // A lease already over on the database's clock: the worker that took it counts as dead.
    await claimOrThrow(store.db.kysely, id, 'w-chet', -60_000);
    const again = await claimOrThrow(store.db.kysely, id, 'w2');
    expect(again.interrupted).toBe(true);
    expect(again.earlier.map((a) => a.outcome)).toEqual(['interrupted']);
    const attempts = await listAttempts(store.db.kysely, id);
    expect(attempts.map((a) => [a.worker, a.outcome])).toEqual([
      ['w-chet', 'interrupted'],
      ['w2', 'started'],
    ]);
    expect(attempts[1]!.id).toBe(again.claim.attemptId);
  });
});
