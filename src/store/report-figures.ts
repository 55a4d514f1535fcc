import { sql, type RawBuilder } from 'kysely';
import type { Db } from './connection';

/**
 * The period report's figures, aggregated in the database (never the rows themselves): each query reads one range
 * of the `publications_report_*` indexes of migration 0008 and returns a few hundred grouped rows at most.
 * A publication counts once however many attempts it took: figures read publications (their final state), and the
 * attempt count kept on each one, never the attempt rows.
 */
export interface FigureScope {
  /** UTC instants; a publication belongs to the period by its scheduled time. `end` is exclusive. */
  start: Date;
  end: Date;
  /** Local months of the period, in order: [key, first instant]. */
  months: Array<{ key: string; start: Date }>;
  /** Only publications on this unit's channels. */
  unitId?: string;
}

export interface PublishedCell {
  channelId: string;
  planId: number;
  areaKey: string;
  month: string;
  published: number;
  withinOneMinute: number;
  withinFiveMinutes: number;
  /** Published after more than one attempt. */
  retried: number;
  attempts: number;
}

export interface OtherCell {
  channelId: string;
  state: string;
  reason: string | null;
  month: string;
  count: number;
  attempts: number;
}

export interface ReachCell {
  planId: number;
  areaKey: string;
  /** On how many different channels the item was published in the period. */
  channels: number;
  items: number;
}

export interface LatePublication {
  publicationId: string;
  channelId: string;
  title: string;
  scheduledAt: string;
  publishedAt: string;
  delaySeconds: number;
}

export interface ActivityHour {
  planId: number;
  label: string;
  /** UTC hour, "2026-03-31T16". */
  hour: string;
  published: number;
}

const num = (value: unknown) => Number(value ?? 0);

/**
 * Runs the report's queries in one read transaction, so every figure comes from the same snapshot of the log, with
 * room for their grouping in memory: SQLite keeps temporary B-trees in memory and a larger page cache (its default
 * is 2 MB and temp files), PostgreSQL gets a larger work_mem for this transaction only, so hash aggregates do not spill.
 */
export async function withAggregates<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite') {
    await sql`PRAGMA temp_store = MEMORY`.execute(db.kysely);
    await sql`PRAGMA cache_size = -65536`.execute(db.kysely);
  }
  return db.kysely.transaction().execute(async (tx) => {
    if (db.dialect === 'postgres') await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
    return work({ ...db, kysely: tx });
  });
}

/** The local month of p.scheduled_at as a CASE over the month boundaries (computed in the Vietnam zone by luxon). */
function monthOf(scope: FigureScope): RawBuilder<string> {
  const [first, ...rest] = scope.months;
  if (!first) return sql<string>`''`;
  if (rest.length === 0) return sql<string>`${sql.lit(first.key)}`;
  const branches = rest.map((month, i) => sql`WHEN p.scheduled_at < ${sql.lit(month.start.toISOString())} THEN ${sql.lit(scope.months[i]!.key)}`);
  return sql<string>`CASE ${sql.join(branches, sql` `)} ELSE ${sql.lit(scope.months.at(-1)!.key)} END`;
}

/** Seconds from the scheduled time to publication. */
function delayOf(db: Db): RawBuilder<number> {
  return db.dialect === 'postgres'
    ? sql<number>`extract(epoch from (p.published_at::timestamptz - p.scheduled_at::timestamptz))`
    : sql<number>`((julianday(p.published_at) - julianday(p.scheduled_at)) * 86400.0)`;
}

function inScope(scope: FigureScope, from = scope.start): RawBuilder<unknown> {
  const unit = scope.unitId === undefined ? sql`` : sql` AND p.channel_id IN (SELECT id FROM channels WHERE unit_id = ${scope.unitId})`;
  return sql`p.scheduled_at >= ${from.toISOString()} AND p.scheduled_at < ${scope.end.toISOString()}${unit}`;
}

export async function publishedCells(db: Db, scope: FigureScope): Promise<PublishedCell[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT d.channel_id, i.plan_id, i.area_key, d.month, count(*) AS published,
      sum(CASE WHEN d.delay <= 60 THEN 1 ELSE 0 END) AS within1,
      sum(CASE WHEN d.delay <= 300 THEN 1 ELSE 0 END) AS within5,
      sum(CASE WHEN d.attempts > 1 THEN 1 ELSE 0 END) AS retried,
      sum(d.attempts) AS attempts
    FROM (
      SELECT p.channel_id, p.item_id, p.attempts, ${monthOf(scope)} AS month, ${delayOf(db)} AS delay
      FROM publications p WHERE p.state = 'published' AND ${inScope(scope)}
    ) d JOIN content_items i ON i.id = d.item_id
    GROUP BY d.channel_id, i.plan_id, i.area_key, d.month`.execute(db.kysely);
  return rows.map((r) => ({
    channelId: String(r.channel_id),
    planId: num(r.plan_id),
    areaKey: String(r.area_key),
    month: String(r.month),
    published: num(r.published),
    withinOneMinute: num(r.within1),
    withinFiveMinutes: num(r.within5),
    retried: num(r.retried),
    attempts: num(r.attempts),
  }));
}

/** Everything in the period that is not published: failed, unconfirmed, expired, cancelled, and still pending. */
export async function otherCells(db: Db, scope: FigureScope): Promise<OtherCell[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT p.channel_id, p.state, p.reason, ${monthOf(scope)} AS month, count(*) AS n, sum(p.attempts) AS attempts
    FROM publications p
    WHERE p.state IN ('failed', 'unconfirmed', 'expired', 'cancelled', 'scheduled', 'queued', 'publishing') AND ${inScope(scope)}
    GROUP BY p.channel_id, p.state, p.reason, 4`.execute(db.kysely);
  return rows.map((r) => ({
    channelId: String(r.channel_id),
    state: String(r.state),
    reason: r.reason === null ? null : String(r.reason),
    month: String(r.month),
    count: num(r.n),
    attempts: num(r.attempts),
  }));
}

/** Published items by how many channels each reached, per plan and content area. */
export async function reachCells(db: Db, scope: FigureScope): Promise<ReachCell[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT i.plan_id, i.area_key, x.channels, count(*) AS items
    FROM (
      SELECT p.item_id, count(DISTINCT p.channel_id) AS channels
      FROM publications p WHERE p.state = 'published' AND ${inScope(scope)}
      GROUP BY p.item_id
    ) x JOIN content_items i ON i.id = x.item_id
    GROUP BY i.plan_id, i.area_key, x.channels`.execute(db.kysely);
  return rows.map((r) => ({ planId: num(r.plan_id), areaKey: String(r.area_key), channels: num(r.channels), items: num(r.items) }));
}

export async function latestPublications(db: Db, scope: FigureScope, limit: number): Promise<LatePublication[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT d.id, d.channel_id, i.title, d.scheduled_at, d.published_at, d.delay
    FROM (
      SELECT p.id, p.channel_id, p.item_id, p.scheduled_at, p.published_at, ${delayOf(db)} AS delay
      FROM publications p WHERE p.state = 'published' AND ${inScope(scope)}
      ORDER BY 6 DESC, p.id LIMIT ${sql.lit(limit)}
    ) d JOIN content_items i ON i.id = d.item_id
    ORDER BY d.delay DESC, d.id`.execute(db.kysely);
  return rows.map((r) => ({
    publicationId: String(r.id),
    channelId: String(r.channel_id),
    title: String(r.title),
    scheduledAt: String(r.scheduled_at),
    publishedAt: String(r.published_at),
    delaySeconds: Math.round(num(r.delay)),
  }));
}

/** Published publications of items tied to plan activities, by UTC hour, from `from` to the end of the period. */
export async function activityHours(db: Db, scope: FigureScope, from: Date): Promise<ActivityHour[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT i.plan_id, ia.activity_label, substr(p.scheduled_at, 1, 13) AS hour, count(*) AS n
    FROM item_activities ia
    JOIN content_items i ON i.id = ia.item_id
    JOIN publications p ON p.item_id = ia.item_id
    WHERE p.state = 'published' AND ${inScope(scope, from)}
    GROUP BY i.plan_id, ia.activity_label, substr(p.scheduled_at, 1, 13)`.execute(db.kysely);
  return rows.map((r) => ({ planId: num(r.plan_id), label: String(r.activity_label), hour: String(r.hour), published: num(r.n) }));
}
