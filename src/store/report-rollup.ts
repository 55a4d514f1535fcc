import { type Kysely, type RawBuilder, sql } from 'kysely';

import type { DialectName } from './connection';
import type { Database } from './schema';

/**
 * The period report's rollup (tables of migration 0011), kept up to date off the publish path (migration 0021).
 * A write that can change it appends what it touched to `report_changes`; `catchUpReportRollup` recomputes, from the
 * raw log, the rollup rows of the noted keys and deletes the notes, in one transaction:
 * - per (Vietnam day, channel): that day's report_daily cells, its 5 latest (report_worst), and its month's
 *   report_monthly cells (summed again from report_daily);
 * - per item: its report_item_reach rows, and the report_reach_cells they were and are counted in.
 * A burst of publications on one feed touches one channel-day and one reach row per item, so the catch-up after it is
 * a few hundred statements instead of the dozens of trigger statements each settle ran inside its transaction.
 *
 * The worker catches up after a burst (worker/report-rollup.ts); the report catches up before it reads
 * (report-figures.ts), so its figures are the raw log's whatever the worker did. `recountReportRollup` computes the
 * whole rollup afresh (a bulk load, and the tests' recount).
 */
type AnyDb = Kysely<Database>;

const SETTLED = `('published', 'withdrawn', 'failed', 'unconfirmed', 'expired', 'cancelled')`;
/** Published, and published then taken down: what went out (see report-figures.ts). */
const WENT_OUT = `('published', 'withdrawn')`;

/** SQL pieces in each dialect; `r` is a row alias. */
function dialectSql(dialect: DialectName) {
  const pg = dialect === 'postgres';
  return {
    day: (ts: string) =>
      pg ? `to_char(${ts}::timestamp + interval '7 hours', 'YYYY-MM-DD')` : `date(${ts}, '+7 hours')`,
    delay: (r: string) =>
      pg
        ? `extract(epoch from (${r}.published_at::timestamptz - ${r}.scheduled_at::timestamptz))::double precision`
        : `((julianday(${r}.published_at) - julianday(${r}.scheduled_at)) * 86400.0)`,
    span: (first: string, last: string) =>
      pg ? `(${last}::date - ${first}::date)` : `CAST(julianday(${last}) - julianday(${first}) AS INTEGER)`,
  };
}

/** The rollup columns of publications `p` joined to their item `i`, one row each (grouped by the caller). */
function dailyColumns(dialect: DialectName): string {
  const d = dialectSql(dialect);
  const out = (cond: string) => `CASE WHEN p.state IN ${WENT_OUT} AND ${cond} THEN 1 ELSE 0 END`;
  return `p.state AS state, ${d.day('p.scheduled_at')} AS day, p.channel_id AS channel_id, i.plan_id AS plan_id, i.area_key AS area_key,
    CASE WHEN p.state = 'published' THEN '' WHEN p.state = 'withdrawn' THEN coalesce(p.withdrawal_reason, p.reason, '') ELSE coalesce(p.reason, '') END AS reason,
    ${out(`${d.delay('p')} <= 60`)} AS within1, ${out(`${d.delay('p')} <= 300`)} AS within5,
    ${out('p.attempts > 1')} AS retried, p.attempts AS attempts`;
}

const DAILY_INSERT = `INSERT INTO report_daily (state, day, channel_id, plan_id, area_key, reason, publications, within1, within5, retried, attempts)`;
/** report_daily's cells of the settled publications `p` that satisfy `where` (a condition that starts with AND). */
const groupedDaily = (dialect: DialectName, where: RawBuilder<unknown>) => sql`${sql.raw(DAILY_INSERT)}
  SELECT g.state, g.day, g.channel_id, g.plan_id, g.area_key, g.reason, count(*), sum(g.within1), sum(g.within5), sum(g.retried), sum(g.attempts)
  FROM (SELECT ${sql.raw(dailyColumns(dialect))} FROM publications p JOIN content_items i ON i.id = p.item_id
    WHERE p.state IN ${sql.raw(SETTLED)} ${where}) g
  GROUP BY g.state, g.day, g.channel_id, g.plan_id, g.area_key, g.reason`;
const MONTHLY_INSERT = `INSERT INTO report_monthly (state, month, channel_id, plan_id, area_key, reason, publications, within1, within5, retried, attempts)
  SELECT state, substr(day, 1, 7), channel_id, plan_id, area_key, reason, sum(publications), sum(within1), sum(within5), sum(retried), sum(attempts)
  FROM report_daily`;
const MONTHLY_GROUP = `GROUP BY state, substr(day, 1, 7), channel_id, plan_id, area_key, reason`;
const REACH_INSERT = `INSERT INTO report_item_reach (unit_id, item_id, first_day, last_day, span_days, channels, area_key)`;
const REACH_KEY = ['unit_id', 'first_day', 'last_day', 'area_key', 'channels'] as const;

/** Reach rows (province-wide, unit_id '', and per unit) of the items whose id satisfies `items` ("IN (…)"). */
function reachSelect(dialect: DialectName, items: RawBuilder<unknown>): RawBuilder<unknown> {
  const d = dialectSql(dialect);
  const first = d.day('min(p.scheduled_at)');
  const last = d.day('max(p.scheduled_at)');
  const rows = (unit: string, join: string, group: string) => sql`
    SELECT ${sql.raw(`${unit} AS unit_id, p.item_id, ${first} AS first_day, ${last} AS last_day, ${d.span(first, last)} AS span_days`)},
      count(DISTINCT p.channel_id) AS channels, i.area_key
    FROM publications p JOIN content_items i ON i.id = p.item_id ${sql.raw(join)}
    WHERE p.state IN ${sql.raw(WENT_OUT)} AND p.item_id ${items}
    GROUP BY p.item_id, i.area_key${sql.raw(group)}`;
  return sql`${rows(`''`, '', '')} UNION ALL ${rows('c.unit_id', 'JOIN channels c ON c.id = p.channel_id', ', c.unit_id')}`;
}

/** The UTC instants (stored text) a Vietnam day, UTC+7 all year since 1975, starts and ends at. */
function dayBounds(day: string): [string, string] {
  const start = Date.parse(`${day}T00:00:00Z`) - 7 * 3_600_000;
  return [new Date(start).toISOString(), new Date(start + 86_400_000).toISOString()];
}

const lastDayOf = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

/**
 * On PostgreSQL catch-ups take turns (this lock conflicts with itself, not with the writers' appends); SQLite has one
 * writer at a time, and the catch-up's first statement is a write, so it holds the write lock from its start.
 */
async function takeTurn(tx: AnyDb, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') await sql`LOCK TABLE report_changes IN SHARE UPDATE EXCLUSIVE MODE`.execute(tx);
}

/** How many item ids go in one IN list (well under both databases' limits on bound values). */
const ITEM_CHUNK = 500;

/**
 * Applies the noted changes to the rollup, inside the caller's transaction. Returns how many notes it took. A note
 * appended by a transaction that commits meanwhile is not seen by the DELETE and stays for the next catch-up.
 */
export async function applyReportChanges(tx: AnyDb, dialect: DialectName): Promise<number> {
  await takeTurn(tx, dialect);
  const notes = await sql<{
    day: string | null;
    channel_id: string | null;
    item_id: number | string | null;
  }>`DELETE FROM report_changes RETURNING day, channel_id, item_id`.execute(tx);
  if (notes.rows.length === 0) return 0;
  const days = new Map<string, { day: string; channel: string }>();
  const items = new Set<number>();
  const addDay = (day: string, channel: string) => days.set(`${day}|${channel}`, { day, channel });
  const d = dialectSql(dialect);
  for (const note of notes.rows) {
    const item = note.item_id === null ? null : Number(note.item_id);
    if (note.day !== null && note.channel_id !== null && item !== null) {
      addDay(note.day, note.channel_id);
      items.add(item);
    } else if (item !== null) {
      // An item moved to another plan or area: the cells of all its settled publications, and its reach.
      items.add(item);
      const { rows } = await sql<{ day: string; channel_id: string }>`
        SELECT DISTINCT ${sql.raw(d.day('p.scheduled_at'))} AS day, p.channel_id FROM publications p
        WHERE p.item_id = ${item} AND p.state IN ${sql.raw(SETTLED)}`.execute(tx);
      for (const row of rows) addDay(row.day, row.channel_id);
    } else if (note.channel_id !== null) {
      // A channel moved to another unit: the reach of the items it published (the cells are not kept by unit).
      const { rows } = await sql<{ item_id: number | string }>`
        SELECT DISTINCT item_id FROM publications WHERE channel_id = ${note.channel_id} AND state IN ${sql.raw(WENT_OUT)}`.execute(
        tx,
      );
      for (const row of rows) items.add(Number(row.item_id));
    }
  }

  const months = new Map<string, { month: string; channel: string }>();
  for (const { day, channel } of days.values()) {
    const [start, end] = dayBounds(day);
    const theDay = sql`AND p.channel_id = ${channel} AND p.scheduled_at >= ${start} AND p.scheduled_at < ${end}`;
    await sql`DELETE FROM report_daily WHERE state IN ${sql.raw(SETTLED)} AND day = ${day} AND channel_id = ${channel}`.execute(
      tx,
    );
    await groupedDaily(dialect, theDay).execute(tx);
    await sql`DELETE FROM report_worst WHERE day = ${day} AND channel_id = ${channel}`.execute(tx);
    await sql`INSERT INTO report_worst (day, channel_id, publication_id, delay)
      SELECT ${day}, p.channel_id, p.id, ${sql.raw(d.delay('p'))} FROM publications p
      WHERE p.state IN ${sql.raw(WENT_OUT)} ${theDay} ORDER BY 4 DESC, p.id LIMIT 5`.execute(tx);
    months.set(`${day.slice(0, 7)}|${channel}`, { month: day.slice(0, 7), channel });
  }
  // A month's cells are its days' cells summed (state is named so both read through their primary keys).
  for (const { month, channel } of months.values()) {
    await sql`DELETE FROM report_monthly WHERE state IN ${sql.raw(SETTLED)} AND month = ${month} AND channel_id = ${channel}`.execute(
      tx,
    );
    await sql`${sql.raw(MONTHLY_INSERT)} WHERE state IN ${sql.raw(SETTLED)} AND day >= ${`${month}-01`} AND day <= ${lastDayOf(month)}
      AND channel_id = ${channel} ${sql.raw(MONTHLY_GROUP)}`.execute(tx);
  }

  const ids = [...items];
  for (let from = 0; from < ids.length; from += ITEM_CHUNK) {
    const chunk = sql.join(ids.slice(from, from + ITEM_CHUNK));
    const cells = new Map<string, Record<(typeof REACH_KEY)[number], unknown>>();
    const noteCells = async () => {
      const { rows } = await sql<Record<(typeof REACH_KEY)[number], unknown>>`
        SELECT DISTINCT ${sql.raw(REACH_KEY.join(', '))} FROM report_item_reach WHERE item_id IN (${chunk})`.execute(
        tx,
      );
      for (const row of rows) cells.set(REACH_KEY.map((k) => String(row[k])).join('|'), row);
    };
    await noteCells();
    await sql`DELETE FROM report_item_reach WHERE item_id IN (${chunk})`.execute(tx);
    await sql`${sql.raw(REACH_INSERT)} ${reachSelect(dialect, sql`IN (${chunk})`)}`.execute(tx);
    await noteCells();
    // Each cell the chunk's items were or are counted in is counted again (through report_item_reach_period).
    for (const cell of cells.values()) {
      const key = sql.join(
        REACH_KEY.map((k) => sql`${sql.ref(k)} = ${cell[k]}`),
        sql` AND `,
      );
      await sql`DELETE FROM report_reach_cells WHERE ${key}`.execute(tx);
      await sql`INSERT INTO report_reach_cells (${sql.raw(REACH_KEY.join(', '))}, items)
        SELECT ${sql.raw(REACH_KEY.join(', '))}, count(*) FROM report_item_reach WHERE ${key}
        GROUP BY ${sql.raw(REACH_KEY.join(', '))}`.execute(tx);
    }
  }
  return notes.rows.length;
}

/** Brings the rollup up to date with the log, in a transaction of its own; returns how many notes it applied. */
export async function catchUpReportRollup(db: AnyDb, dialect: DialectName): Promise<number> {
  return db.transaction().execute((tx) => applyReportChanges(tx, dialect));
}

/** Whether some change is not in the rollup yet (a cheap read: the notes table is kept near empty). */
export async function rollupBehind(db: AnyDb): Promise<boolean> {
  const { rows } = await sql`SELECT 1 AS behind FROM report_changes LIMIT 1`.execute(db);
  return rows.length > 0;
}

/**
 * The whole rollup computed afresh from the raw log, and the notes cleared: after a bulk load, and the tests' recount.
 * It rewrites every row: not for a live system during a burst.
 */
export async function recountReportRollup(db: AnyDb, dialect: DialectName): Promise<void> {
  const d = dialectSql(dialect);
  await db.transaction().execute(async (tx) => {
    await takeTurn(tx, dialect);
    const run = (text: string) => sql.raw(text).execute(tx);
    for (const table of [
      'report_changes',
      'report_daily',
      'report_monthly',
      'report_item_reach',
      'report_reach_cells',
    ]) {
      await run(`DELETE FROM ${table}`);
    }
    await run('DELETE FROM report_worst');
    await groupedDaily(dialect, sql``).execute(tx);
    await sql`${sql.raw(REACH_INSERT)} ${reachSelect(dialect, sql`IS NOT NULL`)}`.execute(tx);
    await run(`INSERT INTO report_worst (day, channel_id, publication_id, delay)
      SELECT day, channel_id, id, delay FROM (
        SELECT w.*, row_number() OVER (PARTITION BY w.day, w.channel_id ORDER BY w.delay DESC, w.id) AS n
        FROM (SELECT ${d.day('p.scheduled_at')} AS day, p.channel_id, p.id, ${d.delay('p')} AS delay FROM publications p WHERE p.state IN ${WENT_OUT}) w
      ) ranked WHERE n <= 5`);
    await run(`${MONTHLY_INSERT} ${MONTHLY_GROUP}`);
    await run(`INSERT INTO report_reach_cells (${REACH_KEY.join(', ')}, items)
      SELECT ${REACH_KEY.join(', ')}, count(*) FROM report_item_reach GROUP BY ${REACH_KEY.join(', ')}`);
  });
}
