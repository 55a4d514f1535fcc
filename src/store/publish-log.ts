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
  /** The ledger of the publication (issue 25): what exists where, follow-ups done or pending, what to remove by hand. */
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

/** The log's rows (a publication and one of its attempts) that the filter keeps, before any column is chosen. */
function filtered(db: Kysely<Database>, filter: LogFilter) {
  let query = db
    .selectFrom('publications as p')
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .leftJoin('publish_attempts as a', 'a.publication_id', 'p.id');
  if (filter.channelId) query = query.where('p.channel_id', '=', filter.channelId);
  if (filter.platform) query = query.where('c.platform', '=', filter.platform);
  if (filter.unitId) query = query.where('c.unit_id', '=', filter.unitId);
  if (filter.states?.length) query = query.where('p.state', 'in', filter.states);
  if (filter.from) query = query.where('p.scheduled_at', '>=', filter.from.toISOString());
  if (filter.to) query = query.where('p.scheduled_at', '<', filter.to.toISOString());
  if (filter.areaKey) query = query.where('i.area_key', '=', filter.areaKey);
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
  let query = filtered(db, filter)
    .select([
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
    .orderBy('p.scheduled_at', order)
    .orderBy('p.id', order)
    .orderBy('a.id', order);
  if (window.limit !== undefined) query = query.limit(window.limit).offset(window.offset ?? 0);
  const rows = await query.execute();
  const ledgers = await platformPostsOf(db, [...new Set(rows.map((r) => r.publicationId))]);
  return rows.map(({ withdrawnBy, withdrawnAt, withdrawalReason, ...row }) => ({
    ...row,
    state: row.state as PublicationState,
    attemptOutcome: row.attemptOutcome as AttemptOutcome | null,
    // The three columns are written together (store/withdrawals.ts): one object, as on a publication.
    withdrawal: withdrawnBy ? { by: withdrawnBy, at: withdrawnAt ?? '', reason: withdrawalReason ?? '' } : null,
    ledger: ledgerOf(row.state, ledgers.get(row.publicationId) ?? []),
  }));
}
