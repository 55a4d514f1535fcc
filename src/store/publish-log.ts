import type { Kysely } from 'kysely';

import { ledgerOf, type PublicationLedger } from '../domain/platform-post';
import type { AttemptOutcome, PublicationState } from '../domain/publication';
import { platformPostsOf } from './platform-posts';
import type { Database } from './schema';

/** One line of the publish log: a publication and one of its attempts (none yet for one still waiting). */
export interface LogEntry {
  publicationId: string;
  channelId: string;
  platform: string;
  unitId: string;
  itemId: number;
  title: string;
  areaKey: string;
  state: PublicationState;
  scheduledAt: string;
  publishedAt: string | null;
  externalId: string | null;
  externalUrl: string | null;
  reason: string | null;
  /** The channel's pause reason while it is paused (its pending publications wait), else null. */
  channelPausedReason: string | null;
  queuedBy: string;
  approvedBy: string | null;
  /** The last person who edited the item (0012), null when never edited. */
  editedBy: string | null;
  attemptNo: number | null;
  worker: string | null;
  attemptStartedAt: string | null;
  attemptFinishedAt: string | null;
  attemptOutcome: AttemptOutcome | null;
  attemptError: string | null;
  /** A published post taken down (0012): who, when (UTC ISO) and why; null otherwise. */
  withdrawal: { by: string; at: string; reason: string } | null;
  /** The ledger of the publication: what exists where, follow-ups done or pending, what to remove by hand. */
  ledger: PublicationLedger;
}

export interface LogFilter {
  channelId?: string;
  platform?: string;
  unitId?: string;
  states?: PublicationState[];
  /** Period on the scheduled time, UTC, `to` exclusive. */
  from?: Date;
  to?: Date;
  /** The item's content area key. */
  areaKey?: string;
}

/** Which lines of the log to read: the newest scheduled first (what a person looks for), a window of them. */
export interface LogWindow {
  newestFirst?: boolean;
  offset?: number;
  limit?: number;
}

/**
 * The log's lines (a publication and one of its attempts) that the filter keeps, as keys. Only publications and their
 * attempts are joined: the unit, platform and area filters are subqueries, so a count or a page of keys reads the
 * indexes (publications by channel and time, attempts by publication; migration 0026) and never an item's or a
 * publication's row. Joining the items for every line made the desk's count read all of a unit's item rows.
 */
function filtered(db: Kysely<Database>, filter: LogFilter) {
  let query = db.selectFrom('publications as p').leftJoin('publish_attempts as a', 'a.publication_id', 'p.id');
  if (filter.channelId) query = query.where('p.channel_id', '=', filter.channelId);
  if (filter.platform || filter.unitId) {
    let channels = db.selectFrom('channels').select('id');
    if (filter.platform) channels = channels.where('platform', '=', filter.platform);
    if (filter.unitId) channels = channels.where('unit_id', '=', filter.unitId);
    query = query.where('p.channel_id', 'in', channels);
  }
  if (filter.states?.length) query = query.where('p.state', 'in', filter.states);
  if (filter.from) query = query.where('p.scheduled_at', '>=', filter.from.toISOString());
  if (filter.to) query = query.where('p.scheduled_at', '<', filter.to.toISOString());
  if (filter.areaKey)
    query = query.where(
      'p.item_id',
      'in',
      db.selectFrom('content_items').select('id').where('area_key', '=', filter.areaKey),
    );
  return query;
}

/** How many lines the filter keeps (what a paged list says it shows a part of). */
export async function countPublishLog(db: Kysely<Database>, filter: LogFilter = {}): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function readPublishLog(
  db: Kysely<Database>,
  filter: LogFilter = {},
  window: LogWindow = {},
): Promise<LogEntry[]> {
  const order = window.newestFirst ? 'desc' : 'asc';
  // The page's keys first, ordered and cut from the indexes alone; then the columns of those lines only. (One query
  // with the keys as a subquery was planned the wrong way round on SQLite: every publication of every channel read,
  // then matched against the 50 keys.)
  let keyQuery = filtered(db, filter)
    .select(['p.id as publicationId', 'a.id as attemptId'])
    .orderBy('p.scheduled_at', order)
    .orderBy('p.id', order)
    .orderBy('a.id', order);
  if (window.limit !== undefined) keyQuery = keyQuery.limit(window.limit).offset(window.offset ?? 0);
  const keys = await keyQuery.execute();
  if (keys.length === 0) return [];
  const lineKey = (publicationId: string, attemptId: number | null) => `${publicationId} ${attemptId ?? ''}`;
  const position = new Map(keys.map((k, n) => [lineKey(k.publicationId, k.attemptId), n]));
  const paged = window.limit !== undefined;
  const query = db
    .selectFrom('publications as p')
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .leftJoin('publish_attempts as a', 'a.publication_id', 'p.id')
    .select([
      'a.id as attemptId',
      'p.id as publicationId',
      'p.channel_id as channelId',
      'c.platform as platform',
      'c.unit_id as unitId',
      'i.id as itemId',
      (eb) => eb.fn.coalesce('p.published_title', 'i.title').as('title'),
      'i.area_key as areaKey',
      'p.state as state',
      'p.scheduled_at as scheduledAt',
      'p.published_at as publishedAt',
      'p.external_id as externalId',
      'p.external_url as externalUrl',
      'p.reason as reason',
      (eb) =>
        eb
          .case()
          .when('c.paused_at', 'is not', null)
          .then(eb.fn.coalesce('c.paused_reason', eb.val('')))
          .else(eb.val<string | null>(null))
          .end()
          .as('channelPausedReason'),
      'p.queued_by as queuedBy',
      'i.approved_by as approvedBy',
      'i.edited_by as editedBy',
      'a.attempt_no as attemptNo',
      'a.worker as worker',
      'a.started_at as attemptStartedAt',
      'a.finished_at as attemptFinishedAt',
      'a.outcome as attemptOutcome',
      'a.error as attemptError',
      'p.withdrawn_by as withdrawnBy',
      'p.withdrawn_at as withdrawnAt',
      'p.withdrawal_reason as withdrawalReason',
    ])
    // A page's few publications by id; the whole log (the CLI's) by the same filter.
    .where('p.id', 'in', paged ? [...new Set(keys.map((k) => k.publicationId))] : filtered(db, filter).select('p.id'));
  const rows = (await query.execute())
    .filter((row) => position.has(lineKey(row.publicationId, row.attemptId)))
    .sort(
      (x, y) =>
        position.get(lineKey(x.publicationId, x.attemptId))! - position.get(lineKey(y.publicationId, y.attemptId))!,
    );
  const ledgers = await platformPostsOf(db, [...new Set(rows.map((r) => r.publicationId))]);
  return rows.map(({ attemptId: _attempt, withdrawnBy, withdrawnAt, withdrawalReason, ...row }) => ({
    ...row,
    state: row.state as PublicationState,
    attemptOutcome: row.attemptOutcome as AttemptOutcome | null,
    // The three columns are written together (store/withdrawals.ts): one object, as on a publication.
    withdrawal: withdrawnBy ? { by: withdrawnBy, at: withdrawnAt ?? '', reason: withdrawalReason ?? '' } : null,
    ledger: ledgerOf(row.state, ledgers.get(row.publicationId) ?? []),
  }));
}
