import { type RawBuilder, sql } from 'kysely';

import type { Db } from './connection';
import { applyReportChanges, catchUpReportRollup, rollupBehind } from './report-rollup';

/**
 * The period report's figures, aggregated in the database (never the rows themselves). Settled publications are read
 * from the rollup of migration 0011 (per Vietnam day, channel, plan, area, state and reason, kept by report-rollup.ts), so a
 * year is a few thousand rows; publications still on their way, the items straddling the period's edges and the
 * activities' hours are read from the raw table through the indexes of migration 0008, and are few.
 * A publication counts once however many attempts it took: figures count publications (their final state), and the
 * attempt count kept on each one, never the attempt rows.
 *
 * A withdrawn publication (published, then taken down by an officer) went out at its time: it counts as published in
 * every published figure (by channel, area, unit, month, reach, punctuality, latest, the plan's coverage), so a later
 * take-down does not falsify what was done against the plan; it is also counted apart as taken down, by withdrawal
 * reason and channel (withdrawnCells), which the report shows beside the published figures.
 */
export interface FigureScope {
  /** UTC instants; a publication belongs to the period by its scheduled time. `end` is exclusive. */
  start: Date;
  end: Date;
  /** The same period as Vietnam days, YYYY-MM-DD, both included: the rollup's key. */
  firstDay: string;
  lastDay: string;
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

/** Published, then taken down: by channel, withdrawal reason and month. */
export interface WithdrawnCell {
  channelId: string;
  reason: string;
  month: string;
  count: number;
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
 *
 * The rollup is brought up to date first (report-rollup.ts), and the snapshot is used only if no change is waiting
 * in it: the rollup and the raw rows it reads beside then say the same. PostgreSQL reads in REPEATABLE READ for that
 * (one snapshot for all the statements). If publishing never leaves a gap, the last try catches up inside the
 * snapshot's own transaction, holding the writers off for the report's time.
 */
export async function withAggregates<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite') {
    await sql`PRAGMA temp_store = MEMORY`.execute(db.kysely);
    await sql`PRAGMA cache_size = -65536`.execute(db.kysely);
  }
  const behind = Symbol('behind');
  const snapshot = <R>(read: (tx: Db) => Promise<R>, access: 'read only' | 'read write' = 'read only') =>
    (db.dialect === 'postgres'
      ? db.kysely.transaction().setIsolationLevel('repeatable read').setAccessMode(access)
      : db.kysely.transaction().setAccessMode(access)
    ).execute(async (tx) => {
      if (db.dialect === 'postgres') await sql`SET LOCAL work_mem = '64MB'`.execute(tx);
      return read({ ...db, kysely: tx });
    });
  for (let attempt = 0; attempt < 3; attempt++) {
    await catchUpReportRollup(db.kysely, db.dialect);
    const figures = await snapshot(async (tx) => ((await rollupBehind(tx.kysely)) ? behind : work(tx)));
    if (figures !== behind) return figures;
  }
  return snapshot(async (tx) => {
    // A lock no writer's note can pass, taken before the snapshot (LOCK takes none); SQLite's catch-up starts with a write.
    if (db.dialect === 'postgres') await sql`LOCK TABLE report_changes IN SHARE ROW EXCLUSIVE MODE`.execute(tx.kysely);
    await applyReportChanges(tx.kysely, db.dialect);
    return work(tx);
  }, 'read write');
}

/** The local month of p.scheduled_at as a CASE over the month boundaries (computed in the Vietnam zone by luxon). */
function monthOf(scope: FigureScope): RawBuilder<string> {
  const [first, ...rest] = scope.months;
  if (!first) return sql<string>`''`;
  if (rest.length === 0) return sql<string>`${sql.lit(first.key)}`;
  const branches = rest.map(
    (month, i) =>
      sql`WHEN p.scheduled_at < ${sql.lit(month.start.toISOString())} THEN ${sql.lit(scope.months[i]!.key)}`,
  );
  return sql<string>`CASE ${sql.join(branches, sql` `)} ELSE ${sql.lit(scope.months.at(-1)!.key)} END`;
}

/** Seconds from the scheduled time to publication. */
function delayOf(db: Db): RawBuilder<number> {
  return db.dialect === 'postgres'
    ? sql<number>`extract(epoch from (p.published_at::timestamptz - p.scheduled_at::timestamptz))`
    : sql<number>`((julianday(p.published_at) - julianday(p.scheduled_at)) * 86400.0)`;
}

function inScope(scope: FigureScope, from = scope.start): RawBuilder<unknown> {
  const unit =
    scope.unitId === undefined
      ? sql``
      : sql` AND p.channel_id IN (SELECT id FROM channels WHERE unit_id = ${scope.unitId})`;
  return sql`p.scheduled_at >= ${from.toISOString()} AND p.scheduled_at < ${scope.end.toISOString()}${unit}`;
}

/**
 * The period's settled cells by month: its whole months from report_monthly, the days of a partial month at either
 * edge (a from–to period) from report_daily. `state` is a condition on the rows' state.
 */
function settledRows(scope: FigureScope, state: RawBuilder<unknown>): RawBuilder<unknown> {
  const monthEnd = (key: string) =>
    new Date(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const whole = scope.months
    .map((m) => m.key)
    .filter((key) => `${key}-01` >= scope.firstDay && monthEnd(key) <= scope.lastDay);
  const partial = scope.months
    .map((m) => m.key)
    .filter((key) => !whole.includes(key))
    .map(
      (key) =>
        sql`(d.day >= ${`${key}-01` < scope.firstDay ? scope.firstDay : `${key}-01`} AND d.day <= ${monthEnd(key) > scope.lastDay ? scope.lastDay : monthEnd(key)})`,
    );
  const unit = (alias: string) =>
    scope.unitId === undefined
      ? sql``
      : sql` AND ${sql.raw(alias)}.channel_id IN (SELECT id FROM channels WHERE unit_id = ${scope.unitId})`;
  const months = whole.length ? sql`m.month >= ${whole[0]!} AND m.month <= ${whole.at(-1)!}` : sql`1 = 0`;
  const days = partial.length ? sql`(${sql.join(partial, sql` OR `)})` : sql`1 = 0`;
  return sql`
    SELECT m.state, m.month, m.channel_id, m.plan_id, m.area_key, m.reason, m.publications, m.within1, m.within5, m.retried, m.attempts
    FROM report_monthly m WHERE m.state ${state} AND ${months}${unit('m')}
    UNION ALL
    SELECT d.state, substr(d.day, 1, 7), d.channel_id, d.plan_id, d.area_key, d.reason, d.publications, d.within1, d.within5, d.retried, d.attempts
    FROM report_daily d WHERE d.state ${state} AND ${days}${unit('d')}`;
}

/** The rollup's rows in the scope: its days, and the unit's channels. */
function inDays(scope: FigureScope, alias: string): RawBuilder<unknown> {
  const a = sql.raw(alias);
  const unit =
    scope.unitId === undefined
      ? sql``
      : sql` AND ${a}.channel_id IN (SELECT id FROM channels WHERE unit_id = ${scope.unitId})`;
  return sql`${a}.day >= ${scope.firstDay} AND ${a}.day <= ${scope.lastDay}${unit}`;
}

export async function publishedCells(db: Db, scope: FigureScope): Promise<PublishedCell[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT r.channel_id, r.plan_id, r.area_key, r.month, sum(r.publications) AS published,
      sum(r.within1) AS within1, sum(r.within5) AS within5, sum(r.retried) AS retried, sum(r.attempts) AS attempts
    FROM (${settledRows(scope, sql`IN ('published', 'withdrawn')`)}) r
    GROUP BY r.channel_id, r.plan_id, r.area_key, r.month`.execute(db.kysely);
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

/** The period's publications that went out and were taken down later, by channel, withdrawal reason and month. */
export async function withdrawnCells(db: Db, scope: FigureScope): Promise<WithdrawnCell[]> {
  const { rows } = await sql<Record<string, unknown>>`
    SELECT r.channel_id, r.reason, r.month, sum(r.publications) AS n
    FROM (${settledRows(scope, sql`= 'withdrawn'`)}) r
    GROUP BY r.channel_id, r.reason, r.month`.execute(db.kysely);
  return rows.map((r) => ({
    channelId: String(r.channel_id),
    reason: String(r.reason ?? ''),
    month: String(r.month),
    count: num(r.n),
  }));
}

/**
 * Everything in the period that is not published (nor published and withdrawn): failed, unconfirmed, expired, cancelled from the rollup, and the
 * publications still pending (scheduled, queued, publishing) from the raw table, which the rollup leaves out.
 */
export async function otherCells(db: Db, scope: FigureScope): Promise<OtherCell[]> {
  const settled = await sql<Record<string, unknown>>`
    SELECT r.channel_id, r.state, r.reason, r.month, sum(r.publications) AS n, sum(r.attempts) AS attempts
    FROM (${settledRows(scope, sql`IN ('failed', 'unconfirmed', 'expired', 'cancelled')`)}) r
    GROUP BY r.channel_id, r.state, r.reason, r.month`.execute(db.kysely);
  const pending = await sql<Record<string, unknown>>`
    SELECT p.channel_id, p.state, p.reason, ${monthOf(scope)} AS month, count(*) AS n, sum(p.attempts) AS attempts
    FROM publications p
    WHERE p.state IN ('scheduled', 'queued', 'publishing') AND ${inScope(scope)}
    GROUP BY p.channel_id, p.state, p.reason, 4`.execute(db.kysely);
  return [...settled.rows, ...pending.rows].map((r) => ({
    channelId: String(r.channel_id),
    state: String(r.state),
    reason: r.reason === null || r.reason === '' ? null : String(r.reason),
    month: String(r.month),
    count: num(r.n),
    attempts: num(r.attempts),
  }));
}

const dayShift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Published items by how many channels each reached in the period, per content area. Items whose publications all
 * fall inside the period are summed from the reach cells (a few rows per day); an item whose publications straddle
 * an edge of the period is counted from its publications inside the period. No item spans more days than the longest
 * span kept, so the straddling ones are found in two short ranges of days at the edges (a few days in a real log,
 * where an item goes out on its channels within a week), never by reading the whole past.
 */
export async function reachCells(db: Db, scope: FigureScope): Promise<ReachCell[]> {
  const unit = scope.unitId ?? '';
  const span = await sql<{
    span: unknown;
  }>`SELECT max(span_days) AS span FROM report_item_reach WHERE unit_id = ${unit}`.execute(db.kysely);
  const longest = num(span.rows[0]?.span);
  const inside = await sql<Record<string, unknown>>`
    SELECT c.area_key, c.channels, sum(c.items) AS items FROM report_reach_cells c
    WHERE c.unit_id = ${unit} AND c.first_day >= ${scope.firstDay} AND c.first_day <= ${scope.lastDay} AND c.last_day <= ${scope.lastDay}
    GROUP BY c.area_key, c.channels`.execute(db.kysely);
  if (longest === 0)
    return inside.rows.map((r) => ({ areaKey: String(r.area_key), channels: num(r.channels), items: num(r.items) }));
  const edges = await sql<Record<string, unknown>>`
    SELECT i.area_key, e.channels, count(*) AS items
    FROM (
      SELECT p.item_id, count(DISTINCT p.channel_id) AS channels
      FROM publications p
      WHERE p.state IN ('published', 'withdrawn') AND ${inScope(scope)} AND p.item_id IN (
        SELECT x.item_id FROM report_item_reach x
        WHERE x.unit_id = ${unit} AND x.last_day > ${scope.lastDay} AND x.last_day <= ${dayShift(scope.lastDay, longest)} AND x.first_day <= ${scope.lastDay}
        UNION
        SELECT x.item_id FROM report_item_reach x
        WHERE x.unit_id = ${unit} AND x.first_day >= ${dayShift(scope.firstDay, -longest)} AND x.first_day < ${scope.firstDay} AND x.last_day >= ${scope.firstDay})
      GROUP BY p.item_id
    ) e JOIN content_items i ON i.id = e.item_id
    GROUP BY i.area_key, e.channels`.execute(db.kysely);
  return [...inside.rows, ...edges.rows].map((r) => ({
    areaKey: String(r.area_key),
    channels: num(r.channels),
    items: num(r.items),
  }));
}

/** How many latest publications the rollup keeps per channel and day (report_worst); more are read from the raw log. */
const WORST_KEPT = 5;

export async function latestPublications(db: Db, scope: FigureScope, limit: number): Promise<LatePublication[]> {
  // The rollup keeps each channel-day's 5 latest, and the period's latest few are among them.
  const latest =
    limit <= WORST_KEPT
      ? sql`SELECT w.publication_id AS id, w.delay FROM report_worst w WHERE ${inDays(scope, 'w')} ORDER BY w.delay DESC, w.publication_id LIMIT ${sql.lit(limit)}`
      : sql`SELECT p.id, ${delayOf(db)} AS delay FROM publications p WHERE p.state IN ('published', 'withdrawn') AND ${inScope(scope)} ORDER BY 2 DESC, p.id LIMIT ${sql.lit(limit)}`;
  const { rows } = await sql<Record<string, unknown>>`
    SELECT p.id, p.channel_id, i.title, p.scheduled_at, p.published_at, d.delay
    FROM (${latest}) d JOIN publications p ON p.id = d.id JOIN content_items i ON i.id = p.item_id
    ORDER BY d.delay DESC, p.id`.execute(db.kysely);
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
  // Items tied to activities are few next to the log: each one's publications are counted by hour through the index
  // on (state, item_id, scheduled_at) of 0008. The per-item count is a LATERAL subquery on PostgreSQL, whose grouping
  // keeps the planner from hashing the whole year's publications instead (0.4 s on a million attempts); SQLite has no
  // LATERAL and its planner loops over the few items already.
  const perItem = (item: RawBuilder<unknown>) =>
    sql`SELECT substr(p.scheduled_at, 1, 13) AS hour, count(*) AS n FROM publications p WHERE p.item_id = ${item} AND p.state IN ('published', 'withdrawn') AND ${inScope(scope, from)} GROUP BY 1`;
  const { rows } =
    db.dialect === 'postgres'
      ? await sql<Record<string, unknown>>`
          SELECT i.plan_id, ia.activity_label, h.hour, sum(h.n) AS n
          FROM item_activities ia JOIN content_items i ON i.id = ia.item_id
          JOIN LATERAL (${perItem(sql`ia.item_id`)}) h ON true
          GROUP BY i.plan_id, ia.activity_label, h.hour`.execute(db.kysely)
      : await sql<Record<string, unknown>>`
          SELECT i.plan_id, ia.activity_label, substr(p.scheduled_at, 1, 13) AS hour, count(*) AS n
          FROM item_activities ia JOIN content_items i ON i.id = ia.item_id
          JOIN publications p ON p.item_id = ia.item_id AND p.state IN ('published', 'withdrawn') AND ${inScope(scope, from)}
          GROUP BY i.plan_id, ia.activity_label, substr(p.scheduled_at, 1, 13)`.execute(db.kysely);
  return rows.map((r) => ({
    planId: num(r.plan_id),
    label: String(r.activity_label),
    hour: String(r.hour),
    published: num(r.n),
  }));
}
