import { randomUUID } from 'node:crypto';

import {
  type ExpressionBuilder,
  type Kysely,
  PostgresAdapter,
  type QueryCreator,
  type RawBuilder,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';

import type { ChannelAccount, Platform, Unit } from '../domain/channel';
import type { ContentItem, Priority } from '../domain/content-item';
import { NotFoundError } from '../domain/errors';
import { MAIN_POST, type PlatformPost } from '../domain/platform-post';
import { type AttemptOutcome, PENDING_STATES, type Publication, type PublishAttempt } from '../domain/publication';
import { toAttempt } from './attempts';
import { commitBatchOf } from './commit-batch';
import { dbTime } from './db-clock';
import { hotQuery } from './hot-query';
import { toPlatformPost } from './platform-posts';
import { toPublication } from './publications';
import type { Database } from './schema';
import { type Answered, answered, batchedPer } from './tick-batch';

/**
 * The publish protocol as the store's own operations, each one transaction:
 *
 *   claimAndOpenAttempt → (recordProgress | recordPlatformPost | confirmClaim | renewLease)* → recordOutcomeAndSettle
 *
 * (recordPostAndSettle is the last two for a post a platform has just accepted: the ledger row and the settle in one
 * transaction, each with its own rules.)
 *
 * The claim issues a fencing token; every later write of that attempt presents it, and a write with a token that is
 * no longer in force changes nothing and answers `false`, so a worker that lost its claim learns it instead of
 * settling over someone else's attempt. Leases, due times and every time the protocol stores are the database's
 * clock, never the worker's.
 *
 * The ledger (`platform_posts`) is the one record of what exists on each platform: one row per thing a platform
 * created (the publication's post, kind 'post'; a follow-up such as a broadcast, under its own kind), unique on
 * (channel, external id), so a post is owned by exactly one publication. The rules it keeps:
 * - the claim's eligibility is one predicate of its update (approved, not withdrawn, nothing paused, due);
 * - `recordPlatformPost` is written the moment an adapter learns an id, before any follow-up call, and even when the
 *   claim was lost meanwhile (a fact about the platform is never discarded); an id owned by another publication is
 *   refused;
 * - a publication settles `published` only with a post the ledger gives to it; follow-ups are ledger rows of their
 *   own, not the publication's state;
 * - a side effect that is not a platform call (a file) is made visible only after `confirmClaim` (the token, and the
 *   item still approved and not withdrawn), and checked again after it;
 * - a withdrawal removes through the adapter what the platform lets Loa delete and marks the rest `remove-by-hand`
 *   (`markPlatformPosts`), which the log shows a person.
 * Adapter authors' side of it is in channels/types.ts (ChannelAdapter's numbered rules).
 */

/** What a worker holds while it publishes: present it to every later write of this attempt. */
export interface Claim {
  publicationId: string;
  /** The channel the ledger's rows of this attempt belong to. */
  channelId: string;
  token: string;
  attemptId: number;
  attemptNo: number;
  startedAt: Date;
  worker: string;
}

/** A publication with everything a channel needs to render it, read in the claim's transaction. */
export interface ClaimedPost {
  publication: Publication;
  item: ContentItem;
  channel: ChannelAccount;
  unit: Unit;
  areaName: string;
}

export type ClaimAnswer =
  | {
      status: 'claimed';
      claim: Claim;
      post: ClaimedPost;
      earlier: PublishAttempt[];
      interrupted: boolean;
      /** What the ledger already holds for this publication: what earlier attempts created on the platform. */
      posts: PlatformPost[];
    }
  /** Another worker holds a live claim (or took it a moment ago): try again later, never drop the job. */
  | { status: 'busy'; publication: Publication }
  /** Nothing is owed any more: published, failed, waiting for a person, cancelled or expired. */
  | { status: 'settled'; publication: Publication }
  /** The item is not approved (never was, or was edited since): the claim moved it out of the way, with a reason. */
  | { status: 'not-approved'; publication: Publication }
  /** The item was withdrawn: the claim cancelled the publication, or left it for a person if it may have posted. */
  | { status: 'withdrawn'; publication: Publication }
  /**
   * Not now, and nothing changed: its channel, its unit or the province is paused, or its time has not come on the
   * database's clock. The job waits `delayMs` (measured on the database's clock) and asks again.
   */
  | {
      status: 'not-yet';
      publication: Publication;
      delayMs: number;
      why: string;
      /** Held by a pause: its channel's own, or an emergency pause over its unit or the province. */
      pausedBy?: 'channel' | 'emergency';
    };

const INTERRUPTED = 'tiến trình đăng bị dừng giữa chừng';
const NOT_APPROVED_DUE = 'nội dung chưa được duyệt khi đến giờ đăng';
const EDITED_MID_PUBLISH =
  'nội dung đã được sửa (chưa duyệt lại) sau một lần đăng bị gián đoạn; cần người kiểm tra trên nền tảng trước khi đăng lại';
const WITHDRAWN_MID_PUBLISH =
  'nội dung đã bị rút sau một lần đăng bị gián đoạn; bài có thể đã lên nền tảng: cần người kiểm tra và gỡ bằng tay nếu có';
/** How soon a paused publication's job asks again (a resume made anywhere is seen within this time). */
const PAUSED_RECHECK_MS = 2_000;

class ClaimRace extends Error {}

const isPostgres = (db: Kysely<Database>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * A step's writes as one unit: in the database handle's group commit (src/store/commit-batch.ts), where the steps of
 * the publications a process has in flight share a transaction, each in its own savepoint, and each caller hears its
 * answer only after that transaction has committed; inside a caller's own transaction, in that transaction.
 */
function committed<R>(
  db: Kysely<Database>,
  work: (tx: Transaction<Database>) => Promise<R>,
  alone?: (db: Kysely<Database>) => Promise<R>,
): Promise<R> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  const batch = commitBatchOf(db);
  if (!batch) return alone ? alone(db) : db.transaction().execute(work);
  return batch.run(work, alone);
}

/**
 * Claims the publication for `worker` and opens its attempt, in one transaction: a conditional update only one
 * worker can win (pending, or publishing with its lease run out on the database clock, and the item approved),
 * returning the row; the attempts left `started` by a dead worker marked interrupted; the new attempt row with
 * the fencing token; the post's context and the earlier attempts, read under the same claim.
 */
export async function claimAndOpenAttempt(
  db: Kysely<Database>,
  publicationId: string,
  worker: string,
  leaseMs: number,
): Promise<ClaimAnswer> {
  try {
    return await committed(
      db,
      (tx) => claimIn(tx, publicationId, worker, leaseMs),
      isPostgres(db) ? (alone) => claimOnPostgresWithOthers(alone, { publicationId, worker, leaseMs }) : undefined,
    );
  } catch (error) {
    // The item lost its approval between the claim's update and its read (an edit committed in between): the
    // transaction is rolled back whole, and the job tries again.
    if (error instanceof ClaimRace) return { status: 'busy', publication: await readPublication(db, publicationId) };
    throw error;
  }
}

/** The claim's conditional update: only one worker can win it (see eligibleNow). The lease (ms) is its variant. */
const claimUpdate = hotQuery((db, p: ClaimParams, leaseMs) => claimQuery(db, p, leaseMs));

interface ClaimParams extends Record<string, unknown> {
  id: string;
  token: string;
  worker: string;
}

function claimQuery(db: Kysely<Database>, p: ClaimParams, leaseMs: string) {
  const now = dbTime(db);
  return db
    .updateTable('publications')
    .set((eb) => claimSet(eb, db, p.token, p.worker, leaseMs))
    .where('id', '=', p.id)
    .where((eb) => claimable(eb, now))
    .returningAll();
}

/** What a claim writes: the token (a value, or the batch's column), who holds it and the lease on the database clock. */
function claimSet(
  eb: ExpressionBuilder<Database, 'publications'>,
  db: Kysely<Database>,
  token: string | RawBuilder<string>,
  worker: string,
  leaseMs: string,
) {
  return {
    state: 'publishing',
    attempts: eb('attempts', '+', 1),
    claim_token: token,
    claimed_by: worker,
    lease_until: dbTime(db, Number(leaseMs)),
    updated_at: dbTime(db),
  };
}

/** Waiting, or held by a worker whose lease has run out on the database clock, and eligible now (eligibleNow). */
function claimable(eb: ExpressionBuilder<Database, 'publications'>, now: RawBuilder<string>) {
  return eb.and([
    eb.or([eb('state', 'in', PENDING_STATES), eb.and([eb('state', '=', 'publishing'), eb('lease_until', '<', now)])]),
    eligibleNow(eb, now),
  ]);
}

const openAttempt = hotQuery((db, p: { id: string; attemptNo: number; worker: string; token: string }) =>
  db
    .insertInto('publish_attempts')
    .values({
      publication_id: p.id,
      attempt_no: p.attemptNo,
      worker: p.worker,
      started_at: dbTime(db),
      outcome: 'started',
      claim_token: p.token,
    })
    .returning(['id', 'started_at']),
);

async function claimIn(
  tx: Transaction<Database>,
  publicationId: string,
  worker: string,
  leaseMs: number,
): Promise<ClaimAnswer> {
  const token = randomUUID();
  const params = { id: publicationId, token, worker };
  let row: Selectable<Database['publications']>;
  let attempt: { id: number; started_at: string };
  let read: ReturnType<typeof postOf>;
  if (tx.getExecutor().adapter instanceof PostgresAdapter) {
    // The update, the attempt and the context in one round trip (claimInOneStatement).
    const [r] = (await claimInOneStatement(tx, params, String(leaseMs))).rows;
    if (!r) return refuse(tx, publicationId);
    row = r;
    attempt = { id: Number(r.attempt_id), started_at: r.attempt_started_at };
    read = postOf(r);
  } else {
    const [claimed] = (await claimUpdate(tx, params, String(leaseMs))).rows;
    if (!claimed) return refuse(tx, publicationId);
    row = claimed;
    // The post's context, with whether earlier attempts left anything: a first attempt (nearly every one) reads no more.
    read = await readPost(tx, publicationId);
    [attempt] = (await openAttempt(tx, { id: publicationId, attemptNo: row.attempts, worker, token })).rows as [
      typeof attempt,
    ];
  }
  const { post, history } = read;
  // Rolls back the claim and its attempt: the item lost its approval under the claim.
  if (!post.item.approvedAt || post.item.withdrawal) throw new ClaimRace();
  return claimedAnswer(
    { publicationId, token, worker },
    row,
    attempt,
    post,
    await readHistory(tx, publicationId, attempt.id, history),
  );
}

/**
 * PostgreSQL with no transaction of the caller's: the claim as ONE statement committed on its own (one round trip
 * where BEGIN, the statement and COMMIT took three). It needs no transaction around it because the statement locks
 * the item row, approved and not withdrawn, before it updates the publication (claimInOneStatement): no edit can take
 * the approval away between the check and the claim, so there is nothing to roll back afterwards. What earlier
 * attempts left (rare: a retry) is read and marked in a transaction of its own after the claim; the claim's new
 * token already fences every write of the attempts it finds.
 */
async function claimOnPostgres(
  db: Kysely<Database>,
  publicationId: string,
  worker: string,
  leaseMs: number,
): Promise<ClaimAnswer> {
  const token = randomUUID();
  const [r] = (await claimInOneStatement(db, { id: publicationId, token, worker }, String(leaseMs))).rows;
  if (!r) return db.transaction().execute((tx) => refuse(tx, publicationId));
  return wonOnPostgres(db, { publicationId, token, worker }, r);
}

/** A claim the one statement won: its answer, with what earlier attempts left read in a transaction of its own. */
async function wonOnPostgres(
  db: Kysely<Database>,
  who: { publicationId: string; token: string; worker: string },
  r: ClaimRow,
): Promise<ClaimAnswer> {
  const attempt = { id: Number(r.attempt_id), started_at: r.attempt_started_at };
  const { post, history } = postOf(r);
  // Cannot happen (the item row was locked approved before the update); if it ever did, the job tries again and
  // the claim's lease decides, as after a crash.
  if (!post.item.approvedAt || post.item.withdrawal) throw new ClaimRace();
  const found =
    history.started || history.attempted || history.posted
      ? await db.transaction().execute((tx) => readHistory(tx, who.publicationId, attempt.id, history))
      : NO_HISTORY;
  return claimedAnswer(who, r, attempt, post, found);
}

type ClaimRow = Awaited<ReturnType<typeof claimInOneStatement>>['rows'][number];

interface ClaimRequest {
  publicationId: string;
  worker: string;
  leaseMs: number;
}

/**
 * PostgreSQL: at most this many publications' claims, fences or settles in one statement: one process's local
 * channels in flight (LOA_LOCAL_CONCURRENCY, 16 by default).
 */
const ROWS_PER_STATEMENT = 16;

/**
 * PostgreSQL: the claims asked for in the same turn of the event loop go out as one statement
 * (claimManyInOneStatement); a lone one as claimOnPostgres. Each keeps its own answer.
 */
const claimOnPostgresWithOthers = batchedPer(claimMany, ROWS_PER_STATEMENT);

async function claimMany(db: Kysely<Database>, requests: ClaimRequest[]): Promise<Array<Answered<ClaimAnswer>>> {
  const one = (r: ClaimRequest) => answered(claimOnPostgres(db, r.publicationId, r.worker, r.leaseMs));
  const [first] = requests;
  if (requests.length === 1 || requests.some((r) => r.worker !== first!.worker || r.leaseMs !== first!.leaseMs))
    return Promise.all(requests.map(one));
  // In id order, so two statements that want the same rows lock them in the same order.
  const order = requests
    .map((r, i) => i)
    .sort((a, b) => compare(requests[a]!.publicationId, requests[b]!.publicationId));
  const tokens = requests.map(() => randomUUID());
  let rows: ClaimRow[];
  try {
    ({ rows } = await claimManyInOneStatement(
      db,
      {
        ids: order.map((i) => requests[i]!.publicationId),
        tokens: order.map((i) => tokens[i]!),
        worker: first!.worker,
      },
      String(first!.leaseMs),
    ));
  } catch {
    // The statement wrote nothing (a deadlock with another statement over the same rows, or anything else): each
    // claim goes alone, and a failure is only its own.
    rows = [];
  }
  // Matched by id AND token: a publication asked for twice in one batch is won by one token at most.
  const won = new Map(rows.map((r) => [`${r.id}\u0000${r.claim_token}`, r]));
  return Promise.all(
    requests.map((r, i) => {
      const row = won.get(`${r.publicationId}\u0000${tokens[i]}`);
      // Not won: asked again alone, which says why (a pause, the time not come, another worker's live claim…).
      return row ? answered(wonOnPostgres(db, { ...r, token: tokens[i]! }, row)) : one(r);
    }),
  );
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const NO_HISTORY = { interrupted: false, earlier: [], posts: [] } as const;

/** What earlier attempts of the publication left, read under the claim: a dead worker's `started` attempt marked interrupted. */
async function readHistory(
  tx: Kysely<Database>,
  publicationId: string,
  attemptId: number,
  history: { started: boolean; attempted: boolean; posted: boolean },
): Promise<{
  interrupted: boolean;
  earlier: Array<Selectable<Database['publish_attempts']>>;
  posts: Array<Selectable<Database['platform_posts']>>;
}> {
  const interrupted = history.started
    ? await tx
        .updateTable('publish_attempts')
        .set({ outcome: 'interrupted', finished_at: dbTime(tx), error: INTERRUPTED })
        .where('publication_id', '=', publicationId)
        .where('outcome', '=', 'started')
        .where('id', '<', attemptId) // not the attempt just opened
        .executeTakeFirst()
    : null;
  const earlier = history.attempted
    ? await tx
        .selectFrom('publish_attempts')
        .selectAll()
        .where('publication_id', '=', publicationId)
        .where('id', '<', attemptId)
        .orderBy('id')
        .execute()
    : [];
  const posts = history.posted
    ? await tx
        .selectFrom('platform_posts')
        .selectAll()
        .where('publication_id', '=', publicationId)
        .orderBy('id')
        .execute()
    : [];
  return { interrupted: interrupted !== null && Number(interrupted.numUpdatedRows) > 0, earlier, posts };
}

function claimedAnswer(
  who: { publicationId: string; token: string; worker: string },
  row: Selectable<Database['publications']>,
  attempt: { id: number; started_at: string },
  post: Omit<ClaimedPost, 'publication'>,
  found: Awaited<ReturnType<typeof readHistory>> | typeof NO_HISTORY,
): ClaimAnswer {
  return {
    status: 'claimed',
    claim: {
      publicationId: who.publicationId,
      channelId: row.channel_id,
      token: who.token,
      attemptId: attempt.id,
      attemptNo: row.attempts,
      startedAt: new Date(attempt.started_at),
      worker: who.worker,
    },
    post: { ...post, publication: toPublication(row) },
    earlier: found.earlier.map(toAttempt),
    interrupted: found.interrupted,
    posts: found.posts.map(toPlatformPost),
  };
}

/**
 * Whether a publication may be published now, as ONE predicate of the claim's conditional update, so nothing can
 * change between the check and the claim: its item approved and not withdrawn; its channel not paused; no emergency
 * pause over the channel's unit or the province; its time come on the database's clock (a worker whose clock runs
 * ahead cannot publish early). Each part is correlated on the one row (EXISTS by primary key), so a claim reads a
 * handful of rows however many items the store holds (an `IN (SELECT … FROM content_items)` read them all).
 */
function eligibleNow(eb: ExpressionBuilder<Database, 'publications'>, now: RawBuilder<string>) {
  return eb.and([
    eb('publications.scheduled_at', '<=', now),
    itemMayGoOut(eb),
    eb.exists(
      eb
        .selectFrom('channels as c')
        .select(sql.lit(1).as('one'))
        .whereRef('c.id', '=', 'publications.channel_id')
        .where('c.paused_at', 'is', null)
        .where((inner) =>
          inner.not(
            inner.exists(
              inner
                .selectFrom('publishing_pauses as pp')
                .select(sql.lit(1).as('one'))
                .where('pp.resumed_at', 'is', null)
                .where((pause) =>
                  pause.or([pause('pp.unit_id', 'is', null), pause('pp.unit_id', '=', pause.ref('c.unit_id'))]),
                ),
            ),
          ),
        ),
    ),
  ]);
}

/** Its item is approved and not withdrawn: correlated on the one publication row (EXISTS by primary key). */
function itemMayGoOut(eb: ExpressionBuilder<Database, 'publications'>) {
  return eb.exists(
    eb
      .selectFrom('content_items as ci')
      .select(sql.lit(1).as('one'))
      .whereRef('ci.id', '=', 'publications.item_id')
      .where('ci.approved_at', 'is not', null)
      .where('ci.withdrawn_at', 'is', null),
  );
}

/**
 * Why the claim was not won, read in the claim's transaction. An unapproved item's publication is moved out of the
 * way (its job ends), a withdrawn item's is cancelled or, if an interrupted attempt may have posted it, left for a
 * person; a paused or not-yet-due one is left as it is and its job waits.
 */
async function refuse(tx: Transaction<Database>, publicationId: string): Promise<ClaimAnswer> {
  const now = dbTime(tx);
  const current = await tx
    .selectFrom('publications as p')
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .select((eb) => [
      'p.state',
      'p.scheduled_at',
      'i.approved_at',
      'i.withdrawn_at',
      'i.withdrawn_by',
      'i.withdrawal_reason',
      'c.id as channel_id',
      'c.paused_at',
      'c.paused_reason',
      eb('p.lease_until', '<', now).as('lease_over'),
      now.as('db_now'),
      eb
        .selectFrom('publishing_pauses as pp')
        .select('pp.reason')
        .where('pp.resumed_at', 'is', null)
        .where((pause) => pause.or([pause('pp.unit_id', 'is', null), pause('pp.unit_id', '=', pause.ref('c.unit_id'))]))
        .orderBy('pp.id')
        .limit(1)
        .as('unit_pause'),
    ])
    .where('p.id', '=', publicationId)
    .executeTakeFirst();
  if (!current) throw new NotFoundError('bài đăng', publicationId);
  const approved = current.approved_at !== null;
  const leaseOver = Boolean(current.lease_over);
  const pending = PENDING_STATES.includes(current.state as Publication['state']);
  const open = pending || (current.state === 'publishing' && leaseOver);
  if (open && current.withdrawn_at !== null) return refuseWithdrawn(tx, publicationId, pending, current);
  if (!approved && pending) {
    await closePending(tx, publicationId, 'expired', NOT_APPROVED_DUE);
    return { status: 'not-approved', publication: await readPublication(tx, publicationId) };
  }
  if (!approved && current.state === 'publishing' && leaseOver) {
    // The earlier attempt may have posted the approved text; the edited text must not go out without a person.
    await leaveForPerson(tx, publicationId, EDITED_MID_PUBLISH);
    return { status: 'not-approved', publication: await readPublication(tx, publicationId) };
  }
  const publication = await readPublication(tx, publicationId);
  if (open && (current.paused_at !== null || current.unit_pause !== null)) {
    const why = current.paused_at
      ? `kênh ${current.channel_id} đang tạm dừng: ${current.paused_reason ?? ''}`
      : `tạm dừng đăng bài: ${current.unit_pause ?? ''}`;
    const pausedBy = current.paused_at ? 'channel' : 'emergency';
    return { status: 'not-yet', publication, delayMs: PAUSED_RECHECK_MS, why, pausedBy };
  }
  const dueInMs = Date.parse(current.scheduled_at) - Date.parse(current.db_now);
  if (open && dueInMs > 0) {
    return {
      status: 'not-yet',
      publication,
      delayMs: dueInMs,
      why: `chưa đến giờ đăng (còn ${Math.ceil(dueInMs / 1000)} giây theo đồng hồ cơ sở dữ liệu)`,
    };
  }
  return publication.state === 'publishing' || pending
    ? { status: 'busy', publication }
    : { status: 'settled', publication };
}

/**
 * A withdrawn item's publication: a pending one is cancelled with who and why. One whose attempt was interrupted
 * may be on the platform: it is left `unconfirmed` for a person, never published and never silently cancelled.
 */
async function refuseWithdrawn(
  tx: Transaction<Database>,
  publicationId: string,
  pending: boolean,
  item: { withdrawn_by: string | null; withdrawal_reason: string | null },
): Promise<ClaimAnswer> {
  if (pending)
    await closePending(
      tx,
      publicationId,
      'cancelled',
      `nội dung bị rút bởi ${item.withdrawn_by ?? ''}: ${item.withdrawal_reason ?? ''}`,
    );
  else await leaveForPerson(tx, publicationId, WITHDRAWN_MID_PUBLISH);
  return { status: 'withdrawn', publication: await readPublication(tx, publicationId) };
}

/** A pending publication that must not go out: moved out of the way with its reason (its job ends). */
async function closePending(
  tx: Transaction<Database>,
  publicationId: string,
  state: 'expired' | 'cancelled',
  reason: string,
): Promise<void> {
  await tx
    .updateTable('publications')
    .set({ state, reason, updated_at: dbTime(tx) })
    .where('id', '=', publicationId)
    .where('state', 'in', PENDING_STATES)
    .execute();
}

/**
 * A publication whose interrupted attempt may have posted, and which must not go out again as it is now (edited
 * since, or withdrawn): its started attempt is marked interrupted and it is left `unconfirmed` for a person, with why.
 */
async function leaveForPerson(tx: Transaction<Database>, publicationId: string, reason: string): Promise<void> {
  const now = dbTime(tx);
  await tx
    .updateTable('publish_attempts')
    .set({ outcome: 'interrupted', finished_at: now, error: INTERRUPTED })
    .where('publication_id', '=', publicationId)
    .where('outcome', '=', 'started')
    .execute();
  await tx
    .updateTable('publications')
    .set({ state: 'unconfirmed', reason, lease_until: null, updated_at: now })
    .where('id', '=', publicationId)
    .where('state', '=', 'publishing')
    .where('lease_until', '<', now)
    .execute();
}

async function readPublication(db: Kysely<Database>, id: string): Promise<Publication> {
  const row = await db.selectFrom('publications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('bài đăng', id);
  return toPublication(row);
}

/**
 * The post's context in one query, and what earlier attempts of the publication left (an attempt still `started`,
 * any attempt, any ledger row), read before this attempt's row is written; on PostgreSQL the item row is
 * share-locked so no edit commits under the claim.
 */
const postQuery = hotQuery((db, p: { id: string }) => {
  const query = postContext(db, 'publications').where('p.id', '=', p.id);
  return db.getExecutor().adapter instanceof PostgresAdapter ? query.forShare('i') : query;
});

/**
 * PostgreSQL: the claim in one statement, committed on its own (claimOnPostgres): the item row share-locked while
 * approved and not withdrawn, then the conditional update under that lock, the new attempt with the fencing token
 * (written from the row the update returned), and the post's context, as readPost reads it. The history's EXISTS see
 * the statement's snapshot, from before this attempt's row. A locking read sees the item's newest version
 * (PostgreSQL's row lock follows a concurrent edit), so an edit that took the approval away and committed while the
 * claim waited for the lock leaves the item out, and the update claims nothing; an edit that starts later waits for
 * the claim to commit. The item is locked before the publication, in the order the desk's edits take them.
 * No row: the claim was not won, and nothing was written.
 */
const claimInOneStatement = hotQuery((db, p: ClaimParams, leaseMs) => {
  const withClaim = db
    // The item row, share-locked first and only while approved and not withdrawn (a locking read sees the newest
    // version: an edit that committed meanwhile leaves it out): the publication is claimed only under that lock.
    .with('item_lock', (qc) =>
      qc
        .selectFrom('content_items as ci')
        .select('ci.id')
        .where('ci.id', '=', (eb) => eb.selectFrom('publications').select('item_id').where('id', '=', p.id))
        .where('ci.approved_at', 'is not', null)
        .where('ci.withdrawn_at', 'is', null)
        .forShare(),
    )
    .with('claimed', () => claimQuery(db, p, leaseMs).where(sql<boolean>`exists (select 1 from item_lock)`))
    .with('attempt', (qc) =>
      qc
        .insertInto('publish_attempts')
        .columns(['publication_id', 'attempt_no', 'worker', 'started_at', 'outcome', 'claim_token'])
        .expression(sql`select id, attempts, ${p.worker}, ${dbTime(db)}, 'started', ${p.token} from claimed`)
        .returning(['id', 'started_at']),
    );
  return postContext(withClaim as unknown as QueryCreator<Database>, 'claimed')
    .selectAll('p')
    .select([
      sql<number>`(select id from attempt)`.as('attempt_id'),
      sql<string>`(select started_at from attempt)`.as('attempt_started_at'),
    ])
    .forShare('i');
});

interface ClaimManyParams extends Record<string, unknown> {
  ids: string[];
  tokens: string[];
  worker: string;
}

/**
 * PostgreSQL: the claims of several publications one process is about to publish, as ONE statement committed on its
 * own: claimInOneStatement for each pair of `ids` and `tokens` (each publication its own token, its own attempt, its
 * own conditional update and item lock), so a burst pays one round trip and one commit for up to a batch of claims.
 * Only the claims won come back, each with the token it was given; the caller finds the rest's reasons one by one.
 */
const claimManyInOneStatement = hotQuery((db, p: ClaimManyParams, leaseMs) => {
  const now = dbTime(db);
  const withClaim = db
    .with('wanted(id, token)', (qc) =>
      qc
        .selectFrom(sql<{ id: string; token: string }>`unnest(${p.ids}::text[], ${p.tokens}::text[])`.as('w'))
        .selectAll(),
    )
    // The items' rows share-locked first, in one order, and only while approved and not withdrawn (as above).
    .with('item_lock', (qc) =>
      qc
        .selectFrom('content_items as ci')
        .select('ci.id')
        .where('ci.id', 'in', (eb) =>
          eb
            .selectFrom('publications')
            .select('item_id')
            .where('id', 'in', sql<string>`(select id from wanted)`),
        )
        .where('ci.approved_at', 'is not', null)
        .where('ci.withdrawn_at', 'is', null)
        .orderBy('ci.id')
        .forShare(),
    )
    .with('claimed', (qc) =>
      qc
        .updateTable('publications')
        .from('wanted')
        .set((eb) => claimSet(eb, db, sql<string>`wanted.token`, p.worker, leaseMs))
        .whereRef('publications.id', '=', sql<string>`wanted.id`)
        .where((eb) => claimable(eb, now))
        .where('publications.item_id', 'in', sql<number>`(select id from item_lock)`)
        .returningAll('publications'),
    )
    .with('attempt', (qc) =>
      qc
        .insertInto('publish_attempts')
        .columns(['publication_id', 'attempt_no', 'worker', 'started_at', 'outcome', 'claim_token'])
        .expression(sql`select id, attempts, ${p.worker}, ${dbTime(db)}, 'started', claim_token from claimed`)
        .returning(['id', 'started_at', 'publication_id']),
    );
  return postContext(withClaim as unknown as QueryCreator<Database>, 'claimed')
    .innerJoin(
      sql<{ id: number; started_at: string; publication_id: string }>`attempt`.as('at'),
      'at.publication_id',
      'p.id',
    )
    .selectAll('p')
    .select(['at.id as attempt_id', 'at.started_at as attempt_started_at'])
    .forShare('i');
});

/** The post's context and its history, read from the publication row `p` of `source` (the table, or the claim's row). */
function postContext(db: QueryCreator<Database>, source: 'publications' | 'claimed') {
  return db
    .selectFrom(sql<Selectable<Database['publications']>>`${sql.table(source)}`.as('p'))
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .leftJoin('content_areas as a', 'a.key', 'i.area_key')
    .select((eb) => [
      'i.id as item_id',
      'i.plan_id',
      'i.area_key',
      'i.unit_id as item_unit_id',
      'i.title',
      'i.body',
      'i.link',
      'i.image',
      'i.priority',
      'i.author',
      'i.approved_by',
      'i.approved_at',
      // Named apart from the publication's own withdrawal columns, which the claim's statement reads beside them.
      'i.withdrawn_at as item_withdrawn_at',
      'i.withdrawn_by as item_withdrawn_by',
      'i.withdrawal_reason as item_withdrawal_reason',
      'i.created_at as item_created_at',
      'i.updated_at as item_updated_at',
      'c.id as channel_id',
      'c.unit_id as channel_unit_id',
      'c.platform',
      'c.name as channel_name',
      'c.settings',
      'u.id as unit_id',
      'u.name as unit_name',
      'a.name as area_name',
      eb
        .exists(
          eb
            .selectFrom('publish_attempts as pa')
            .select(sql.lit(1).as('one'))
            .whereRef('pa.publication_id', '=', 'p.id')
            .where('pa.outcome', '=', 'started'),
        )
        .as('started'),
      eb
        .exists(
          eb
            .selectFrom('publish_attempts as pa')
            .select(sql.lit(1).as('one'))
            .whereRef('pa.publication_id', '=', 'p.id'),
        )
        .as('attempted'),
      eb
        .exists(
          eb.selectFrom('platform_posts as pp').select(sql.lit(1).as('one')).whereRef('pp.publication_id', '=', 'p.id'),
        )
        .as('posted'),
    ]);
}

async function readPost(
  tx: Transaction<Database>,
  publicationId: string,
): Promise<{
  post: Omit<ClaimedPost, 'publication'>;
  history: { started: boolean; attempted: boolean; posted: boolean };
}> {
  const [r] = (await postQuery(tx, { id: publicationId })).rows;
  if (!r) throw new NotFoundError('bài đăng', publicationId);
  return postOf(r);
}

type PostRow = Awaited<ReturnType<typeof postQuery>>['rows'][number];

/** The post's context and history as a row of postContext gives them. */
function postOf(r: PostRow): {
  post: Omit<ClaimedPost, 'publication'>;
  history: { started: boolean; attempted: boolean; posted: boolean };
} {
  return {
    history: { started: Boolean(r.started), attempted: Boolean(r.attempted), posted: Boolean(r.posted) },
    post: {
      item: {
        id: r.item_id,
        planId: r.plan_id,
        areaKey: r.area_key,
        unitId: r.item_unit_id,
        title: r.title,
        body: r.body,
        link: r.link,
        image: r.image,
        priority: r.priority as Priority,
        author: r.author,
        approvedBy: r.approved_by,
        approvedAt: r.approved_at ? new Date(r.approved_at) : null,
        withdrawal: r.item_withdrawn_at
          ? { by: r.item_withdrawn_by ?? '', at: new Date(r.item_withdrawn_at), reason: r.item_withdrawal_reason ?? '' }
          : null,
        createdAt: new Date(r.item_created_at),
        updatedAt: new Date(r.item_updated_at),
      },
      channel: {
        id: r.channel_id,
        unitId: r.channel_unit_id,
        platform: r.platform as Platform,
        name: r.channel_name,
        settings: JSON.parse(r.settings) as Record<string, unknown>,
      },
      unit: { id: r.unit_id, name: r.unit_name },
      areaName: r.area_name ?? r.area_key,
    },
  };
}

/** Only the holder of the claim in force may write; a settled publication takes no more writes of its attempt. */
function holding(tx: Kysely<Database>, claim: Claim) {
  return tx
    .selectFrom('publications')
    .select('id')
    .where('id', '=', claim.publicationId)
    .where('claim_token', '=', claim.token)
    .where('state', '=', 'publishing');
}

/** What an adapter learned the moment a platform created something: the publication's post, or a follow-up (`kind`). */
export interface PostRecord {
  kind: string;
  externalId: string;
  externalUrl: string | null;
}

export type RecordedPost =
  /** In the ledger, owned by this publication. `held`: the claim is still in force (false: stop before the next call). */
  | { status: 'recorded'; held: boolean }
  /** The ledger gives this id to another publication of the channel: nothing was written. */
  | { status: 'owned-elsewhere'; owner: string };

/**
 * Records in the ledger what a platform created for the claim's publication, the moment its id is known and before
 * any follow-up call. The row is a fact about the platform, so it is written even when the claim was lost meanwhile
 * (`held: false`): an id a platform returned is never discarded. An id the ledger already gives to another publication
 * of the channel is refused, and nothing is written; the same id again is harmless, and a URL learned later (a
 * permalink) fills or corrects the one recorded.
 */
export async function recordPlatformPost(
  db: Kysely<Database>,
  claim: Claim,
  record: PostRecord,
): Promise<RecordedPost> {
  return db.transaction().execute(async (tx) => {
    const owner = await ledgerInsert(tx, claim, record);
    if (owner !== claim.publicationId) return { status: 'owned-elsewhere', owner };
    return { status: 'recorded', held: Boolean(await holding(tx, claim).executeTakeFirst()) };
  });
}

const ledgerRow = hotQuery((db, p: LedgerParams) => ledgerInsertQuery(db, p).returning('id'));

/** The ledger's row, unless the channel's id is already there (then nothing is written). */
function ledgerInsertQuery(db: Kysely<Database>, p: LedgerParams) {
  return db
    .insertInto('platform_posts')
    .values({
      publication_id: p.publicationId,
      channel_id: p.channelId,
      kind: p.kind,
      external_id: p.externalId,
      external_url: p.externalUrl,
      attempt_id: p.attemptId,
      recorded_at: dbTime(db),
    })
    .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing());
}

interface LedgerParams extends Record<string, unknown> {
  publicationId: string;
  channelId: string;
  kind: string;
  externalId: string;
  externalUrl: string | null;
  attemptId: number;
}

/**
 * Writes the ledger row unless the channel's id is already there, and answers which publication owns it. The same id
 * again is harmless, and a URL learned later (a permalink) fills or corrects the one recorded by this publication.
 */
async function ledgerInsert(tx: Kysely<Database>, claim: Claim, record: PostRecord): Promise<string> {
  const inserted = await ledgerRow(tx, {
    publicationId: claim.publicationId,
    channelId: claim.channelId,
    kind: record.kind,
    externalId: record.externalId,
    externalUrl: record.externalUrl,
    attemptId: claim.attemptId,
  });
  if (inserted.rows.length > 0) return claim.publicationId;
  const row = await tx
    .selectFrom('platform_posts')
    .select(['id', 'publication_id', 'external_url'])
    .where('channel_id', '=', claim.channelId)
    .where('external_id', '=', record.externalId)
    .executeTakeFirstOrThrow();
  if (row.publication_id !== claim.publicationId) return row.publication_id;
  if (record.externalUrl && row.external_url !== record.externalUrl) {
    await tx.updateTable('platform_posts').set({ external_url: record.externalUrl }).where('id', '=', row.id).execute();
  }
  return claim.publicationId;
}

/** Records the attempt's partial ids durably before the adapter goes on. False: the claim is lost, stop. */
export async function recordProgress(
  db: Kysely<Database>,
  claim: Claim,
  steps: Readonly<Record<string, string>>,
): Promise<boolean> {
  const result = await db
    .updateTable('publish_attempts')
    .set({ steps: JSON.stringify(steps) })
    .where('id', '=', claim.attemptId)
    .where('claim_token', '=', claim.token)
    .where('publication_id', 'in', holding(db, claim))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Extends the lease by `leaseMs` from the database's now. False: the claim is lost (someone else holds it, or it was settled). */
export async function renewLease(db: Kysely<Database>, claim: Claim, leaseMs: number): Promise<boolean> {
  const result = await db
    .updateTable('publications')
    .set({ lease_until: dbTime(db, leaseMs) })
    .where('id', '=', claim.publicationId)
    .where('claim_token', '=', claim.token)
    .where('state', '=', 'publishing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * The fenced step before a side effect that is not a platform call (a file made visible by a rename) or before a call
 * that cannot be taken back: true only while the claim's token still holds the publication and the item is still
 * approved and not withdrawn. False: the claim is lost, or the item may no longer go out; the adapter must not make
 * its side effect visible (and undoes it if it already did).
 *
 * It is a read while more than half the lease is left: nobody can take a claim over before its lease runs out, so a
 * write would add nothing but a commit (two a radio publication, on SQLite each its own; the radio bench's profile).
 * With less left, the lease is extended by the same conditional update, so a slow step keeps its claim.
 */
export async function confirmClaim(db: Kysely<Database>, claim: Claim, leaseMs: number): Promise<boolean> {
  const params = { id: claim.publicationId, token: claim.token };
  const margin = String(Math.round(leaseMs / 2));
  const held =
    isPostgres(db) && !db.isTransaction
      ? await confirmOnPostgresWithOthers(db, { ...params, margin })
      : (await confirmRead(db, params, margin)).rows.map((r) => Number(r.fresh) === 1)[0];
  if (held === undefined) return false;
  if (held) return true;
  const result = await confirmUpdate(db, params, String(leaseMs));
  return Number(result.numAffectedRows) === 1;
}

interface FenceRequest {
  id: string;
  token: string;
  margin: string;
}

/** Answered undefined: not held (or the item may not go out); else whether the lease has the margin left. */
type FenceAnswer = boolean | undefined;

/**
 * PostgreSQL: the fences asked for in the same turn of the event loop read their rows in one statement
 * (confirmManyRead), one round trip for a burst's radio files instead of one each.
 */
const confirmOnPostgresWithOthers = batchedPer(confirmMany, ROWS_PER_STATEMENT);

async function confirmMany(db: Kysely<Database>, requests: FenceRequest[]): Promise<Array<Answered<FenceAnswer>>> {
  const [first] = requests as [FenceRequest];
  if (requests.length === 1 || requests.some((r) => r.margin !== first.margin)) {
    return Promise.all(
      requests.map((r) =>
        answered(
          confirmRead(db, { id: r.id, token: r.token }, r.margin).then(
            ({ rows }) => rows.map((row) => Number(row.fresh) === 1)[0],
          ),
        ),
      ),
    );
  }
  const ids = requests.map((r) => r.id);
  const tokens = requests.map((r) => r.token);
  const { rows } = await confirmManyRead(db, { ids, tokens }, first.margin);
  const held = new Map(rows.map((r) => [`${r.id}\u0000${r.claim_token}`, Number(r.fresh) === 1]));
  return requests.map((r) => ({ ok: true, value: held.get(`${r.id}\u0000${r.token}`) }));
}

/** 1 when the lease has more than `marginMs` left on the database clock, else 0 (as `fresh`). */
const leaseLeft = (db: Kysely<Database>, marginMs: string) =>
  sql<number>`case when ${sql.ref('lease_until')} > ${dbTime(db, Number(marginMs))} then 1 else 0 end`.as('fresh');

/** confirmRead for several claims at once: a row for each one held whose item may go out. */
const confirmManyRead = hotQuery((db, p: { ids: string[]; tokens: string[] }, marginMs) =>
  db
    .selectFrom('publications')
    .select(['id', 'claim_token', leaseLeft(db, marginMs)])
    .where(sql<boolean>`(id, claim_token) in (select * from unnest(${p.ids}::text[], ${p.tokens}::text[]))`)
    .where('state', '=', 'publishing')
    .where(itemMayGoOut),
);

/** The fence's read: the claim held and the item may go out (a row), and whether the lease has `variant` ms left. */
const confirmRead = hotQuery((db, p: { id: string; token: string }, marginMs) =>
  db
    .selectFrom('publications')
    .select(leaseLeft(db, marginMs))
    .where('id', '=', p.id)
    .where('claim_token', '=', p.token)
    .where('state', '=', 'publishing')
    .where(itemMayGoOut),
);

/** Compiled once (hotQuery): in the profile of a radio burst Kysely building the fence's statement cost 0.5 ms a
 * publication more than on the portal feed, which never fences. */
const confirmUpdate = hotQuery((db, p: { id: string; token: string }, leaseMs) =>
  db
    .updateTable('publications')
    .set({ lease_until: dbTime(db, Number(leaseMs)) })
    .where('id', '=', p.id)
    .where('claim_token', '=', p.token)
    .where('state', '=', 'publishing')
    .where(itemMayGoOut),
);

export interface PlatformTraceFields {
  code?: string | number;
  subcode?: string | number;
  traceId?: string;
}

/** How an attempt ended, as the worker records it. */
export type Settlement =
  | {
      kind: 'published';
      /** `reconciled`: found on the platform, posted by an earlier attempt. */
      attemptOutcome: Extract<AttemptOutcome, 'published' | 'reconciled'>;
      externalId: string;
      externalUrl: string | null;
      /** What went out, as rendered: the feed, post pages and the log show this. */
      content: string;
      title: string;
      note?: string;
    }
  | { kind: 'unconfirmed' | 'failed' | 'retry'; reason: string; trace?: PlatformTraceFields };

const STATE_OF = { published: 'published', unconfirmed: 'unconfirmed', failed: 'failed', retry: 'queued' } as const;

const text = (value: string | number | undefined) => (value === undefined ? null : String(value));

/**
 * Records the attempt's outcome and settles the publication, in one transaction, presenting the claim's token.
 * False: the claim was lost (another worker holds it now, or it was settled): nothing was changed.
 */
export async function recordOutcomeAndSettle(
  db: Kysely<Database>,
  claim: Claim,
  settlement: Settlement,
): Promise<boolean> {
  const work = (tx: Kysely<Database>) => settleIn(tx, claim, settlement);
  // PostgreSQL settles in one statement: alone in its batch, it needs no transaction around it.
  return committed(db, work, db.getExecutor().adapter instanceof PostgresAdapter ? work : undefined);
}

export type SettledWithPost =
  /** The ledger holds the post, owned by this publication; `settled` false: the claim was lost, nothing else changed. */
  | { status: 'recorded'; settled: boolean }
  /** The ledger gives this id to another publication of the channel: nothing was written. */
  | { status: 'owned-elsewhere'; owner: string };

/**
 * What a platform's accepted call ends with, in one transaction: the post into the ledger (recordPlatformPost's
 * rules: written even when the claim was lost meanwhile, refused when another publication owns the id), then the
 * outcome recorded and the publication settled `published` with the claim's token (recordOutcomeAndSettle's rules).
 * One commit where there were two; every guarantee of the two steps is kept.
 */
export async function recordPostAndSettle(
  db: Kysely<Database>,
  claim: Claim,
  settlement: Extract<Settlement, { kind: 'published' }>,
): Promise<SettledWithPost> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // One statement with the settles of the other publications whose posts were accepted in the same turn of the
    // event loop (postsAndSettlesInOneStatement): one round trip, no BEGIN or COMMIT of its own.
    const recorded = await settleOnPostgresWithOthers(db, { claim, settlement });
    if (recorded) return recorded;
    // The channel's id was in the ledger already and nothing was written: who owns it decides, below.
  }
  return committed(db, async (tx) => {
    const owner = await ledgerInsert(tx, claim, {
      kind: MAIN_POST,
      externalId: settlement.externalId,
      externalUrl: settlement.externalUrl,
    });
    if (owner !== claim.publicationId) return { status: 'owned-elsewhere', owner };
    return { status: 'recorded', settled: await settleIn(tx, claim, settlement) };
  });
}

async function settleIn(db: Kysely<Database>, claim: Claim, settlement: Settlement): Promise<boolean> {
  const { settle, finish, variant } = settleParams(claim, settlement);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const [row] = (await settleInOneStatement(db, { ...settle, ...finish }, variant)).rows;
    return Number(row!.settled) === 1;
  }
  const settled = await settlePublication(db, settle, variant);
  if (Number(settled.numAffectedRows) !== 1) return false;
  await finishAttempt(db, finish);
  return true;
}

/** The settle's and the attempt's parameters, and the settle's variant (its text differs when published). */
function settleParams(
  claim: Claim,
  settlement: Settlement,
): { settle: SettleParams; finish: FinishParams; variant: 'published' | 'other' } {
  const published = settlement.kind === 'published' ? settlement : null;
  const failure = published ? null : (settlement as Exclude<Settlement, { kind: 'published' }>);
  // Only the parameters the variant's text uses (hotQuery checks each one it is given reaches the statement).
  const settle = (published
    ? {
        id: claim.publicationId,
        token: claim.token,
        state: STATE_OF.published,
        channelId: claim.channelId,
        externalId: published.externalId,
        externalUrl: published.externalUrl,
        content: published.content,
        title: published.title,
      }
    : {
        id: claim.publicationId,
        token: claim.token,
        state: STATE_OF[failure!.kind],
        reason: failure!.reason,
      }) as unknown as SettleParams;
  const finish: FinishParams = {
    attemptId: claim.attemptId,
    token: claim.token,
    outcome: published ? published.attemptOutcome : failure!.kind,
    externalId: published?.externalId ?? null,
    externalUrl: published?.externalUrl ?? null,
    error: published?.note ?? failure?.reason ?? null,
    code: text(failure?.trace?.code),
    subcode: text(failure?.trace?.subcode),
    traceId: failure?.trace?.traceId ?? null,
  };
  return { settle, finish, variant: published ? 'published' : 'other' };
}

/** What the settle's update is given; `reason` only when not published, the post's fields only when published. */
interface SettleParams extends Record<string, unknown> {
  id: string;
  token: string;
  state: string;
  reason: string | null;
  channelId: string;
  externalId: string | null;
  externalUrl: string | null;
  content: string;
  title: string;
}

interface FinishParams extends Record<string, unknown> {
  attemptId: number;
  token: string;
  outcome: string;
  externalId: string | null;
  externalUrl: string | null;
  error: string | null;
  code: string | null;
  subcode: string | null;
  traceId: string | null;
}

/**
 * PostgreSQL: the publication and its attempt in one statement, so in one round trip (a settle's rows stay locked
 * from its first statement to its commit, while this worker's event loop is busy with other jobs).
 */
const settleInOneStatement = hotQuery((db, p: SettleParams & FinishParams, variant) =>
  db
    .with('settled', () => settleQuery(db, p, variant === 'published').returning('id'))
    .with('finished', () =>
      finishQuery(db, p)
        .where('publication_id', 'in', sql<string>`(select id from settled)`)
        .returning('id'),
    )
    .selectNoFrom((eb) =>
      eb
        .selectFrom('settled')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('settled'),
    ),
);

/**
 * PostgreSQL, recordPostAndSettle in one statement: the ledger's row (nothing when the channel's id is already there),
 * then the settle and the attempt's outcome, the settle only with the row this statement wrote (rows written by a
 * statement are not visible to its own reads, so the ledger's table would not show it). `recorded` 0: nothing at all
 * was written, and the caller goes the way of an id already in the ledger.
 */
const postAndSettleInOneStatement = hotQuery((db, p: LedgerParams & SettleParams & FinishParams) =>
  db
    .with('recorded', () => ledgerInsertQuery(db, p).returning('id'))
    .with('settled', () => settleQuery(db, p, true, 'recorded').returning('id'))
    .with('finished', () =>
      finishQuery(db, p)
        .where('publication_id', 'in', sql<string>`(select id from settled)`)
        .returning('id'),
    )
    .selectNoFrom((eb) => [
      eb
        .selectFrom('recorded')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('recorded'),
      eb
        .selectFrom('settled')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('settled'),
    ]),
);

interface PostAndSettleRequest {
  claim: Claim;
  settlement: Extract<Settlement, { kind: 'published' }>;
}

/** Answered null: the channel's id was in the ledger already, and nothing was written for this publication. */
type PostAndSettleAnswer = { status: 'recorded'; settled: boolean } | null;

/** PostgreSQL: the posts accepted in the same turn of the event loop are recorded and settled in one statement. */
const settleOnPostgresWithOthers = batchedPer(postsAndSettles, ROWS_PER_STATEMENT);

/** A lone request as postAndSettleInOneStatement; several as postsAndSettlesInOneStatement, each its own answer. */
async function postsAndSettles(
  db: Kysely<Database>,
  requests: PostAndSettleRequest[],
): Promise<Array<Answered<PostAndSettleAnswer>>> {
  if (requests.length === 1) {
    const [{ claim, settlement }] = requests as [PostAndSettleRequest];
    const { settle, finish } = settleParams(claim, settlement);
    const parameters = { ...settle, ...finish, publicationId: claim.publicationId, kind: MAIN_POST };
    const [row] = (await postAndSettleInOneStatement(db, { ...parameters, externalId: settlement.externalId })).rows;
    return [
      {
        ok: true,
        value: Number(row!.recorded) === 1 ? { status: 'recorded', settled: Number(row!.settled) === 1 } : null,
      },
    ];
  }
  const column = <T>(pick: (r: PostAndSettleRequest) => T) => requests.map(pick);
  const rows = await postsAndSettlesInOneStatement(db, {
    ids: column((r) => r.claim.publicationId),
    tokens: column((r) => r.claim.token),
    channelIds: column((r) => r.claim.channelId),
    attemptIds: column((r) => r.claim.attemptId),
    externalIds: column((r) => r.settlement.externalId),
    externalUrls: column((r) => r.settlement.externalUrl),
    contents: column((r) => r.settlement.content),
    titles: column((r) => r.settlement.title),
    outcomes: column((r) => r.settlement.attemptOutcome),
    errors: column((r) => r.settlement.note ?? null),
  }).then(
    ({ rows }) => rows,
    // The statement wrote nothing: each settle goes alone, and a failure is only its own.
    () => null,
  );
  if (!rows) {
    const alone = (request: PostAndSettleRequest) =>
      postsAndSettles(db, [request]).then(
        ([answer]) => answer!,
        (error: unknown) => ({ ok: false as const, error }),
      );
    return Promise.all(requests.map(alone));
  }
  // Matched by attempt and token: each request is one attempt of one claim.
  const byAttempt = new Map(rows.map((r) => [`${r.attempt_id}\u0000${r.token}`, r]));
  return requests.map(({ claim }) => {
    const row = byAttempt.get(`${claim.attemptId}\u0000${claim.token}`);
    return { ok: true, value: row?.recorded ? { status: 'recorded', settled: Boolean(row.settled) } : null };
  });
}

/** One accepted post of postsAndSettlesInOneStatement, as its `given` row. */
type GivenRow = Record<
  'id' | 'token' | 'channel_id' | 'external_id' | 'external_url' | 'content' | 'title' | 'outcome' | 'error',
  string
> & { attempt_id: number };

interface PostsAndSettlesParams extends Record<string, unknown> {
  ids: string[];
  tokens: string[];
  channelIds: string[];
  attemptIds: number[];
  externalIds: string[];
  externalUrls: Array<string | null>;
  contents: string[];
  titles: string[];
  outcomes: string[];
  errors: Array<string | null>;
}

/**
 * PostgreSQL: postAndSettleInOneStatement for several accepted posts at once, one row of `given` each: its ledger row
 * (nothing when the channel's id is already there), then its settle, presenting its own token and only with the row
 * this statement wrote for it, then its attempt's outcome. Answers, per attempt, whether its row was written and
 * whether it settled; each publication's guarantees are those of the statement for one.
 */
const postsAndSettlesInOneStatement = hotQuery((db, p: PostsAndSettlesParams) => {
  const now = dbTime(db);
  const given = sql<GivenRow>`unnest(${p.ids}::text[], ${p.tokens}::text[], ${p.channelIds}::text[],
    ${p.attemptIds}::integer[], ${p.externalIds}::text[], ${p.externalUrls}::text[], ${p.contents}::text[],
    ${p.titles}::text[], ${p.outcomes}::text[], ${p.errors}::text[])`;
  return db
    .with('given(id, token, channel_id, attempt_id, external_id, external_url, content, title, outcome, error)', (qc) =>
      qc.selectFrom(given.as('g')).selectAll(),
    )
    .with('recorded', (qc) =>
      qc
        .insertInto('platform_posts')
        .columns(['publication_id', 'channel_id', 'kind', 'external_id', 'external_url', 'attempt_id', 'recorded_at'])
        .expression(sql`select id, channel_id, ${MAIN_POST}, external_id, external_url, attempt_id, ${now} from given`)
        .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
        .returning(['publication_id', 'attempt_id']),
    )
    .with('settled', (qc) =>
      qc
        .updateTable('publications')
        .from(sql`given`.as('g'))
        .set({
          state: STATE_OF.published,
          reason: null,
          lease_until: null,
          updated_at: now,
          content: sql`g.content`,
          published_title: sql`g.title`,
          external_id: sql`g.external_id`,
          external_url: sql`g.external_url`,
          published_at: now,
        })
        .whereRef('publications.id', '=', sql`g.id`)
        .whereRef('publications.claim_token', '=', sql`g.token`)
        .where('publications.state', '=', 'publishing')
        // Published only with the ledger's row this statement wrote for this very attempt.
        .where(
          sql<boolean>`exists (select 1 from recorded r where r.attempt_id = g.attempt_id and r.publication_id = g.id)`,
        )
        .returning(sql<number>`g.attempt_id`.as('attempt_id')),
    )
    .with('finished', (qc) =>
      qc
        .updateTable('publish_attempts')
        .from(sql`given`.as('g'))
        .set({
          outcome: sql`g.outcome`,
          external_id: sql`g.external_id`,
          external_url: sql`g.external_url`,
          error: sql`g.error`,
          platform_code: null,
          platform_subcode: null,
          platform_trace_id: null,
          finished_at: now,
        })
        .whereRef('publish_attempts.id', '=', sql`g.attempt_id`)
        .whereRef('publish_attempts.claim_token', '=', sql`g.token`)
        .where(sql<boolean>`g.attempt_id in (select attempt_id from settled)`)
        .returning('publish_attempts.id'),
    )
    .selectFrom(sql<{ attempt_id: number; token: string }>`given`.as('g'))
    .select([
      sql<number>`g.attempt_id`.as('attempt_id'),
      sql<string>`g.token`.as('token'),
      sql<boolean>`exists (select 1 from recorded r where r.attempt_id = g.attempt_id)`.as('recorded'),
      sql<boolean>`exists (select 1 from settled s where s.attempt_id = g.attempt_id)`.as('settled'),
    ]);
});

const settlePublication = hotQuery((db, p: SettleParams, variant) => settleQuery(db, p, variant === 'published'));

const finishAttempt = hotQuery((db, p: FinishParams) => finishQuery(db, p));

/**
 * `ledger`: where the settle of a published post finds the ledger's row that gives the post to the publication, its
 * table, or the row written by the same statement (`recorded`, postAndSettleInOneStatement).
 */
function settleQuery(
  db: Kysely<Database>,
  p: SettleParams,
  published: boolean,
  ledger: 'table' | 'recorded' = 'table',
) {
  return db
    .updateTable('publications')
    .set({
      state: p.state,
      reason: published ? null : p.reason,
      lease_until: null,
      updated_at: dbTime(db),
      ...(published
        ? {
            content: p.content,
            published_title: p.title,
            external_id: p.externalId,
            external_url: p.externalUrl,
            published_at: dbTime(db),
          }
        : {}),
    })
    .where('id', '=', p.id)
    .where('claim_token', '=', p.token)
    .where('state', '=', 'publishing')
    .where((eb) =>
      // A publication is published only with a post the ledger gives to it (recordPlatformPost comes first).
      published && ledger === 'recorded'
        ? sql<boolean>`exists (select 1 from recorded)`
        : published
          ? eb.exists(
              eb
                .selectFrom('platform_posts as pp')
                .select(sql.lit(1).as('one'))
                .where('pp.publication_id', '=', p.id)
                .where('pp.channel_id', '=', p.channelId)
                .where('pp.external_id', '=', p.externalId)
                .where('pp.kind', '=', MAIN_POST),
            )
          : eb.lit(true),
    );
}

function finishQuery(db: Kysely<Database>, p: FinishParams) {
  return db
    .updateTable('publish_attempts')
    .set({
      outcome: p.outcome,
      external_id: p.externalId,
      external_url: p.externalUrl,
      error: p.error,
      platform_code: p.code,
      platform_subcode: p.subcode,
      platform_trace_id: p.traceId,
      finished_at: dbTime(db),
    })
    .where('id', '=', p.attemptId)
    .where('claim_token', '=', p.token);
}
