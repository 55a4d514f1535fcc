import { type Kysely, sql } from 'kysely';

import type { Priority } from '../domain/content-item';
import { NotFoundError } from '../domain/errors';
import type { StoredPost } from '../domain/publication';
import {
  assertMove,
  PENDING_STATES,
  type Publication,
  publicationId,
  type PublicationState,
} from '../domain/publication';
import { fromStored } from '../domain/time';
import { dbTime } from './db-clock';
import type { Database, Row } from './schema';

export function toPublication(row: Row<'publications'>): Publication {
  return {
    id: row.id,
    itemId: row.item_id,
    channelId: row.channel_id,
    scheduledAt: new Date(row.scheduled_at),
    state: row.state as PublicationState,
    reason: row.reason,
    content: row.content,
    externalId: row.external_id,
    externalUrl: row.external_url,
    attempts: row.attempts,
    queuedBy: row.queued_by,
    claimedBy: row.claimed_by,
    leaseUntil: row.lease_until ? new Date(row.lease_until) : null,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    withdrawal: row.withdrawn_at
      ? { by: row.withdrawn_by!, at: new Date(row.withdrawn_at), reason: row.withdrawal_reason! }
      : null,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export interface Slot {
  itemId: number;
  channelId: string;
  scheduledAt: Date;
}

/** Records publications; one that exists already (same item, channel, time) is left as it is. */
export async function schedulePublications(
  db: Kysely<Database>,
  slots: Slot[],
  queuedBy: string,
): Promise<{ created: Publication[]; existing: string[] }> {
  return db.transaction().execute(async (tx) => {
    const created: Publication[] = [];
    const existing: string[] = [];
    for (const slot of slots) {
      const now = new Date().toISOString();
      const row = await tx
        .insertInto('publications')
        .values({
          id: publicationId(slot.itemId, slot.channelId, slot.scheduledAt),
          item_id: slot.itemId,
          channel_id: slot.channelId,
          scheduled_at: slot.scheduledAt.toISOString(),
          state: 'scheduled',
          attempts: 0,
          queued_by: queuedBy,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) created.push(toPublication(row));
      else existing.push(publicationId(slot.itemId, slot.channelId, slot.scheduledAt));
    }
    return { created, existing };
  });
}

export async function getPublication(db: Kysely<Database>, id: string): Promise<Publication> {
  const row = await db.selectFrom('publications').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('bài đăng', id);
  return toPublication(row);
}

/**
 * What the queue owes a job to: pending publications due before `until`, and those whose worker died
 * mid-publish (lease run out), so that a flushed Redis loses nothing.
 */
/** What the scheduler needs of an owed publication to give it its job. */
export type OwedJob = Pick<Publication, 'id' | 'channelId' | 'scheduledAt' | 'state'>;

export async function findOwedJobs(
  db: Kysely<Database>,
  until: Date,
  options: { includeQueued: boolean },
): Promise<OwedJob[]> {
  const pending = options.includeQueued ? PENDING_STATES : ['scheduled'];
  const rows = await db
    .selectFrom('publications')
    .select(['id', 'channel_id', 'scheduled_at', 'state'])
    .where((eb) =>
      eb.or([
        eb.and([eb('state', 'in', pending), eb('scheduled_at', '<=', until.toISOString())]),
        // Lease expiry is judged on the database's clock, the one the claim was written with.
        eb.and([eb('state', '=', 'publishing'), eb('lease_until', '<', dbTime(db))]),
      ]),
    )
    .orderBy('scheduled_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channelId: r.channel_id,
    scheduledAt: fromStored(r.scheduled_at),
    state: r.state as PublicationState,
  }));
}

/**
 * Publications held by a worker that stopped renewing its lease (died, or hung past its heartbeat) for longer than
 * `graceMs`, by which time the scheduler should have re-owned them: a stuck worker, for health and doctor.
 */
export async function countStuck(db: Kysely<Database>, graceMs: number): Promise<number> {
  const row = await db
    .selectFrom('publications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'publishing')
    .where('lease_until', '<', dbTime(db, -graceMs))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every IN list stays under both databases' limits on bound values. */
const IN_CHUNK = 500;

export async function markQueued(db: Kysely<Database>, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  // In id order: the primary key and the indexes led by state then id or item (an id begins with its item) are then
  // walked front to back, each page visited once, instead of jumping about them for every id. Marking 33,334 of
  // 100,000 on SQLite, 10,000 per call, took 1.1 s of CPU in id order, 1.7-1.9 s in the caller's (due time) order.
  const sorted = [...ids].sort();
  await db.transaction().execute(async (tx) => {
    for (let start = 0; start < sorted.length; start += IN_CHUNK) {
      await tx
        .updateTable('publications')
        .set({ state: 'queued', updated_at: new Date().toISOString() })
        .where('id', 'in', sorted.slice(start, start + IN_CHUNK))
        // `state || ''`, not `state`: SQLite, without statistics, chose an index on state and read every scheduled
        // publication for each chunk of ids (a rebuild of 100,000 spent 5 s here); this leaves it the primary key.
        .where((eb) => eb(sql<string>`${sql.ref('state')} || ''`, '=', 'scheduled'))
        .execute();
    }
  });
}

/** Moves a publication by a person's or a rule's decision (cancel, expire, re-queue a failed one). */
export async function movePublication(
  db: Kysely<Database>,
  id: string,
  to: PublicationState,
  reason: string | null = null,
): Promise<Publication> {
  return db.transaction().execute(async (tx) => {
    const current = await getPublication(tx, id);
    assertMove(id, current.state, to);
    const row = await tx
      .updateTable('publications')
      .set({ state: to, reason, updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .where('state', '=', current.state)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPublication(row);
  });
}

export interface PublicationFilter {
  channelId?: string;
  states?: PublicationState[];
  from?: Date;
  to?: Date;
  itemId?: number;
  /** The publications of several items at once (a page of cards). */
  itemIds?: number[];
}

export async function listPublications(db: Kysely<Database>, filter: PublicationFilter = {}): Promise<Publication[]> {
  let query = db.selectFrom('publications').selectAll().orderBy('scheduled_at').orderBy('id');
  if (filter.channelId) query = query.where('channel_id', '=', filter.channelId);
  if (filter.states?.length) query = query.where('state', 'in', filter.states);
  if (filter.from) query = query.where('scheduled_at', '>=', filter.from.toISOString());
  if (filter.to) query = query.where('scheduled_at', '<', filter.to.toISOString());
  if (filter.itemId !== undefined) query = query.where('item_id', '=', filter.itemId);
  if (filter.itemIds !== undefined) {
    if (filter.itemIds.length === 0) return [];
    query = query.where('item_id', 'in', filter.itemIds);
  }
  return (await query.execute()).map(toPublication);
}

export interface FeedEntry {
  publicationId: string;
  channelId: string;
  title: string;
  content: string;
  link: string | null;
  areaName: string;
  unitName: string;
  publishedAt: Date;
}

interface FeedRow {
  id: string;
  channel_id: string;
  title: string;
  content: string | null;
  external_url: string | null;
  area_name: string;
  unit_name: string;
  published_at: string | null;
}

function toFeedEntry(r: FeedRow): FeedEntry {
  return {
    publicationId: r.id,
    channelId: r.channel_id,
    title: r.title,
    content: r.content ?? '',
    link: r.external_url,
    areaName: r.area_name,
    unitName: r.unit_name,
    publishedAt: new Date(r.published_at!),
  };
}

function publishedPosts(db: Kysely<Database>) {
  return db
    .selectFrom('publications as p')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .innerJoin('content_areas as a', 'a.key', 'i.area_key')
    .innerJoin('units as u', 'u.id', 'c.unit_id')
    .select(
      (eb) =>
        [
          'p.id',
          'p.channel_id',
          eb.fn.coalesce('p.published_title', 'i.title').as('title'),
          'p.content',
          'p.external_url',
          'a.name as area_name',
          'u.name as unit_name',
          'p.published_at',
        ] as const,
    )
    .where('p.state', '=', 'published');
}

/** Published posts of one platform (optionally one channel), newest first: what a feed shows. */
export async function listPublished(
  db: Kysely<Database>,
  platform: string,
  options: { channelId?: string; limit: number },
): Promise<FeedEntry[]> {
  let query = publishedPosts(db)
    .where('c.platform', '=', platform)
    .orderBy('p.published_at', 'desc')
    .orderBy('p.id', 'desc')
    .limit(options.limit);
  if (options.channelId) query = query.where('p.channel_id', '=', options.channelId);
  return (await query.execute()).map(toFeedEntry);
}

/**
 * A cheap validator of every feed: the newest publication published and the newest take-down (published changes
 * only to withdrawn, so nothing else changes a feed's entries). Two rows read, each from its own index.
 */
export async function latestPublishedStamp(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom('publications')
    .select(['published_at', 'id'])
    .where('state', '=', 'published')
    .orderBy('published_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  // Ordered by the indexed column alone: a tie-break on id made SQLite scan the whole table on every poll.
  const takenDown = await db
    .selectFrom('publications')
    .select(['withdrawn_at', 'id'])
    .where('withdrawn_at', 'is not', null)
    .orderBy('withdrawn_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return `${row ? `${row.published_at}|${row.id}` : ''}|${takenDown ? `${takenDown.withdrawn_at}|${takenDown.id}` : ''}`;
}

/** One published portal post, for its own page. */
export async function getPublished(db: Kysely<Database>, id: string): Promise<FeedEntry | null> {
  const row = await publishedPosts(db).where('p.id', '=', id).executeTakeFirst();
  return row ? toFeedEntry(row) : null;
}

/** A channel's published posts scheduled in [from, to), exactly as sent (see ChannelServices.publishedBetween). */
export async function listPublishedPosts(
  db: Kysely<Database>,
  channelId: string,
  from: Date,
  to: Date,
): Promise<StoredPost[]> {
  const rows = await db
    .selectFrom('publications as p')
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .select(
      (eb) =>
        [
          'p.id',
          'p.scheduled_at',
          eb.fn.coalesce('p.published_title', 'i.title').as('title'),
          'i.priority',
          'p.content',
        ] as const,
    )
    .where('p.channel_id', '=', channelId)
    .where('p.state', '=', 'published')
    .where('p.scheduled_at', '>=', from.toISOString())
    .where('p.scheduled_at', '<', to.toISOString())
    .orderBy('p.scheduled_at')
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({
    publicationId: r.id,
    scheduledAt: new Date(r.scheduled_at),
    title: r.title,
    priority: r.priority as Priority,
    content: r.content ?? '',
  }));
}
