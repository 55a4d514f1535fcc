import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../connection';

/**
 * The period report's rollup, kept by the database itself so that a year of a large log is read from a few thousand
 * rows instead of every publication (issue 15, item 5):
 * - `report_daily`: settled publications (published, withdrawn, failed, unconfirmed, expired, cancelled) counted per
 *   Vietnam day, channel, plan, content area, state and reason, with the on-time counts, the retried ones and their
 *   attempts. A withdrawn one (published, then taken down) is keyed by its withdrawal reason, and counts as gone out
 *   in the on-time counts, the reach and the latest (see WENT_OUT).
 *   Publications still on their way (scheduled, queued, publishing) are left out: they change state several times a
 *   minute on the publish path, and the report counts them live from the raw table (there are few of them).
 * - `report_monthly`: the same per Vietnam month, kept from report_daily by triggers on it; a period's whole months
 *   are read from it and only its partial months at the edges (a from–to period) from report_daily.
 * - `report_item_reach`: per item, the first and last Vietnam day it was published and on how many channels, for the
 *   whole province (unit_id '') and for each unit whose channels published it; the report counts items reaching
 *   several channels from it, and reads the raw log only for the items whose publications straddle the period's edge.
 * - `report_reach_cells`: the reach rows counted by unit, first and last day, area and channels (kept by triggers on
 *   report_item_reach), so the items wholly inside a period are summed from a few rows per day.
 * - `report_worst`: the 5 latest publications (largest delay from their time) of each day and channel, so the report's
 *   "worst delays" is read from at most 5 rows per channel-day.
 *
 * Triggers on publications (and on an item's area or plan, and a channel's unit) keep the three in step, inside the
 * writing transaction, on both databases: the fenced publish protocol is untouched, and nothing can write the log
 * without the rollup following. The day is the Vietnam day, UTC+7: Asia/Ho_Chi_Minh has had no other offset or
 * summer time since 1975, and SQLite has no zone database to ask.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  // A take-down's who, when and why (the `withdrawn` state of 0012). They are added here, not in 0012, because the
  // rollup below keys withdrawn posts by their withdrawal reason and its triggers and backfill read the column.
  for (const column of ['withdrawn_at', 'withdrawn_by', 'withdrawal_reason']) {
    await db.schema.alterTable('publications').addColumn(column, 'text').execute();
  }
  await db.schema
    .createTable('report_daily')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'integer', (c) => c.notNull())
    .addColumn('area_key', 'text', (c) => c.notNull())
    // '' for none, and always '' for published ones: a key column cannot be NULL and stay one group.
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('publications', 'integer', (c) => c.notNull())
    .addColumn('within1', 'integer', (c) => c.notNull())
    .addColumn('within5', 'integer', (c) => c.notNull())
    .addColumn('retried', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_daily_pk', ['state', 'day', 'channel_id', 'plan_id', 'area_key', 'reason'])
    .modifyEnd(dialect === 'sqlite' ? sql`WITHOUT ROWID` : sql``)
    .execute();

  // The same by Vietnam month (kept from report_daily by triggers): whole months of a period read 30 times fewer rows.
  await db.schema
    .createTable('report_monthly')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'integer', (c) => c.notNull())
    .addColumn('area_key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('publications', 'integer', (c) => c.notNull())
    .addColumn('within1', 'integer', (c) => c.notNull())
    .addColumn('within5', 'integer', (c) => c.notNull())
    .addColumn('retried', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_monthly_pk', ['state', 'month', 'channel_id', 'plan_id', 'area_key', 'reason'])
    .modifyEnd(dialect === 'sqlite' ? sql`WITHOUT ROWID` : sql``)
    .execute();

  await db.schema
    .createTable('report_item_reach')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.notNull())
    .addColumn('first_day', 'text', (c) => c.notNull())
    .addColumn('last_day', 'text', (c) => c.notNull())
    .addColumn('span_days', 'integer', (c) => c.notNull())
    .addColumn('channels', 'integer', (c) => c.notNull())
    .addColumn('area_key', 'text', (c) => c.notNull())
    // Item first: every refresh deletes an item's rows by item_id; the report reads them by unit through the indexes below.
    .addPrimaryKeyConstraint('report_item_reach_pk', ['item_id', 'unit_id'])
    .execute();
  await db.schema
    .createIndex('report_item_reach_period')
    .on('report_item_reach')
    .columns(['unit_id', 'first_day', 'last_day', 'area_key', 'channels', 'item_id'])
    .execute();
  await db.schema
    .createIndex('report_item_reach_span')
    .on('report_item_reach')
    .columns(['unit_id', 'span_days'])
    .execute();
  await db.schema
    .createIndex('report_item_reach_end')
    .on('report_item_reach')
    .columns(['unit_id', 'last_day', 'first_day', 'item_id'])
    .execute();
  await db.schema
    .createTable('report_reach_cells')
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('first_day', 'text', (c) => c.notNull())
    .addColumn('last_day', 'text', (c) => c.notNull())
    .addColumn('area_key', 'text', (c) => c.notNull())
    .addColumn('channels', 'integer', (c) => c.notNull())
    .addColumn('items', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_reach_cells_pk', ['unit_id', 'first_day', 'last_day', 'area_key', 'channels'])
    .modifyEnd(dialect === 'sqlite' ? sql`WITHOUT ROWID` : sql``)
    .execute();

  await db.schema
    .createTable('report_worst')
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('publication_id', 'text', (c) => c.notNull())
    .addColumn('delay', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_worst_pk', ['day', 'channel_id', 'publication_id'])
    .execute();
  await db.schema
    .createIndex('report_worst_day')
    .on('report_worst')
    .columns(['day', 'delay', 'publication_id', 'channel_id'])
    .execute();

  await rebuildReportRollup(db, dialect);
}

const SETTLED = `('published', 'withdrawn', 'failed', 'unconfirmed', 'expired', 'cancelled')`;
/**
 * Publications that went out: published, and published then taken down (withdrawn). A withdrawn post did go out at
 * its time, so it keeps its place in every "published" figure (by channel, area, unit, month, reach, punctuality,
 * latest); the report lists it besides as taken down, by its withdrawal reason.
 */
const WENT_OUT = `('published', 'withdrawn')`;

/** SQL pieces in each dialect. `r` is a row alias (NEW, OLD, p). */
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
    /** The UTC instants a Vietnam day starts and ends at, as stored text. */
    dayStart: (day: string) =>
      pg
        ? `to_char(${day}::date - interval '7 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : `strftime('%Y-%m-%dT%H:%M:%fZ', ${day}, '-7 hours')`,
    dayEnd: (day: string) =>
      pg
        ? `to_char(${day}::date + interval '17 hours', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        : `strftime('%Y-%m-%dT%H:%M:%fZ', ${day}, '+17 hours')`,
  };
}

/** The rollup row(s) of publications `r` (one row, or a grouped set), joined to their item `i`. */
function dailyColumns(dialect: DialectName, r: string, sign: string): string {
  const d = dialectSql(dialect);
  const published = (cond: string) => `CASE WHEN ${r}.state IN ${WENT_OUT} AND ${cond} THEN ${sign} ELSE 0 END`;
  return `${r}.state AS state, ${d.day(`${r}.scheduled_at`)} AS day, ${r}.channel_id AS channel_id, i.plan_id AS plan_id, i.area_key AS area_key,
    CASE WHEN ${r}.state = 'published' THEN '' WHEN ${r}.state = 'withdrawn' THEN coalesce(${r}.withdrawal_reason, ${r}.reason, '') ELSE coalesce(${r}.reason, '') END AS reason,
    ${sign} AS one, ${published(`${d.delay(r)} <= 60`)} AS within1, ${published(`${d.delay(r)} <= 300`)} AS within5,
    ${published(`${r}.attempts > 1`)} AS retried, ${sign} * ${r}.attempts AS attempts`;
}

const DAILY_INSERT = `INSERT INTO report_daily (state, day, channel_id, plan_id, area_key, reason, publications, within1, within5, retried, attempts)`;
const DAILY_MERGE = `ON CONFLICT (state, day, channel_id, plan_id, area_key, reason) DO UPDATE SET
    publications = report_daily.publications + excluded.publications, within1 = report_daily.within1 + excluded.within1,
    within5 = report_daily.within5 + excluded.within5, retried = report_daily.retried + excluded.retried,
    attempts = report_daily.attempts + excluded.attempts`;

/** Adds (sign 1) or takes away (sign -1) one publication row's part of report_daily. */
function dailyDelta(dialect: DialectName, r: string, sign: 1 | -1): string {
  const cleanup =
    sign < 0
      ? `; DELETE FROM report_daily WHERE publications = 0 AND state = ${r}.state AND channel_id = ${r}.channel_id AND day = ${dialectSql(dialect).day(`${r}.scheduled_at`)}`
      : '';
  return `${DAILY_INSERT} SELECT ${dailyColumns(dialect, r, String(sign))} FROM content_items i WHERE i.id = ${r}.item_id AND ${r}.state IN ${SETTLED} ${DAILY_MERGE}${cleanup}`;
}

/**
 * On PostgreSQL two transactions may refresh the same item or channel-day at once (two channels of one item settle
 * together): each deletes the rows it sees and inserts its own, and the second would trip over the first's new rows.
 * A transaction-scoped advisory lock per refreshed key makes the second wait, then read what the first committed.
 * (SQLite has one writer at a time.) Namespace 20261115 keeps these keys apart from any other advisory lock.
 */
function serialised(dialect: DialectName, key: string): string {
  return dialect === 'postgres' ? `PERFORM pg_advisory_xact_lock(20261115, hashtext(${key})); ` : '';
}

/** Recomputes an item's reach rows (province and per unit) from its published publications, when `condition` holds. */
function reachRefresh(dialect: DialectName, item: string, condition = 'TRUE'): string {
  return `${serialised(dialect, `'reach|' || ${item}`)}DELETE FROM report_item_reach WHERE (${condition}) AND item_id = ${item};
    INSERT INTO report_item_reach (unit_id, item_id, first_day, last_day, span_days, channels, area_key)
    SELECT * FROM (${reachSelect(dialect, `= ${item}`)}) r WHERE ${condition}`;
}

/** Recomputes the 5 latest publications of one channel on one Vietnam day. */
function worstRefresh(dialect: DialectName, day: string, channel: string, condition = 'TRUE'): string {
  const d = dialectSql(dialect);
  return `${serialised(dialect, `'worst|' || ${day} || '|' || ${channel}`)}DELETE FROM report_worst WHERE (${condition}) AND day = ${day} AND channel_id = ${channel};
    INSERT INTO report_worst (day, channel_id, publication_id, delay)
    SELECT ${day}, p.channel_id, p.id, ${d.delay('p')} FROM publications p
    WHERE (${condition}) AND p.state IN ${WENT_OUT} AND p.channel_id = ${channel} AND p.scheduled_at >= ${d.dayStart(day)} AND p.scheduled_at < ${d.dayEnd(day)}
    ORDER BY 4 DESC, p.id LIMIT 5`;
}

/**
 * The common case of worstRefresh, as a step: publication `r` has just gone out (it was not out before, and its day
 * and channel are the ones it had). The 5 latest of a set with one more row are the 5 latest of the old 5 and that
 * row, so the row is added and the sixth dropped: a handful of rows by the primary key, where a full refresh reads
 * the whole channel-day (the portal feed's day grows to hundreds, and every settle read them all).
 */
function worstAdd(dialect: DialectName, r: string, condition: string): string {
  const d = dialectSql(dialect);
  const day = d.day(`${r}.scheduled_at`);
  const same = `day = ${day} AND channel_id = ${r}.channel_id`;
  return `${serialised(dialect, `'worst|' || ${day} || '|' || ${r}.channel_id`)}INSERT INTO report_worst (day, channel_id, publication_id, delay)
    SELECT ${day}, ${r}.channel_id, ${r}.id, ${d.delay(r)} WHERE ${condition};
    DELETE FROM report_worst WHERE (${condition}) AND ${same} AND publication_id NOT IN (
      SELECT publication_id FROM report_worst WHERE ${same} ORDER BY delay DESC, publication_id LIMIT 5)`;
}

/**
 * Fills the rollup from the raw log, from nothing, with the triggers off, and puts the triggers (back) in place. The
 * migration backfills with it; a bulk load that ran with the triggers dropped (the benchmark) calls it afterwards; the
 * rollup test compares the triggers' work against it. It is not for a live system: dropping a trigger locks the table.
 */
export async function rebuildReportRollup(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const d = dialectSql(dialect);
  const run = (text: string) => sql.raw(text).execute(db);
  await dropReportTriggers(db, dialect);
  await run(`DELETE FROM report_daily`);
  await run(`DELETE FROM report_monthly`);
  await run(`DELETE FROM report_item_reach`);
  await run(`DELETE FROM report_reach_cells`);
  await run(`DELETE FROM report_worst`);
  await run(`${DAILY_INSERT}
    SELECT g.state, g.day, g.channel_id, g.plan_id, g.area_key, g.reason, count(*), sum(g.within1), sum(g.within5), sum(g.retried), sum(g.attempts)
    FROM (SELECT ${dailyColumns(dialect, 'p', '1')} FROM publications p JOIN content_items i ON i.id = p.item_id WHERE p.state IN ${SETTLED}) g
    GROUP BY g.state, g.day, g.channel_id, g.plan_id, g.area_key, g.reason`);
  await run(
    `INSERT INTO report_item_reach (unit_id, item_id, first_day, last_day, span_days, channels, area_key) ${reachSelect(dialect, 'IS NOT NULL')}`,
  );
  await run(`INSERT INTO report_worst (day, channel_id, publication_id, delay)
    SELECT day, channel_id, id, delay FROM (
      SELECT w.*, row_number() OVER (PARTITION BY w.day, w.channel_id ORDER BY w.delay DESC, w.id) AS n
      FROM (SELECT ${d.day('p.scheduled_at')} AS day, p.channel_id, p.id, ${d.delay('p')} AS delay FROM publications p WHERE p.state IN ${WENT_OUT}) w
    ) ranked WHERE n <= 5`);
  await run(`INSERT INTO report_monthly (${MONTHLY_KEY}, publications, within1, within5, retried, attempts)
    SELECT state, substr(day, 1, 7), channel_id, plan_id, area_key, reason, sum(publications), sum(within1), sum(within5), sum(retried), sum(attempts)
    FROM report_daily GROUP BY state, substr(day, 1, 7), channel_id, plan_id, area_key, reason`);
  await run(`INSERT INTO report_reach_cells (unit_id, first_day, last_day, area_key, channels, items)
    SELECT unit_id, first_day, last_day, area_key, channels, count(*) FROM report_item_reach GROUP BY unit_id, first_day, last_day, area_key, channels`);
  await createReportTriggers(db, dialect);
}

const MONTHLY_KEY = 'state, month, channel_id, plan_id, area_key, reason';
const COUNTS = ['publications', 'within1', 'within5', 'retried', 'attempts'];
/** A report_daily row's change (NEW's counts less OLD's) carried to its month. */
const monthlyDelta = (values: (column: string) => string, r: string) =>
  `INSERT INTO report_monthly (${MONTHLY_KEY}, ${COUNTS.join(', ')})
    VALUES (${r}.state, substr(${r}.day, 1, 7), ${r}.channel_id, ${r}.plan_id, ${r}.area_key, ${r}.reason, ${COUNTS.map(values).join(', ')})
    ON CONFLICT (${MONTHLY_KEY}) DO UPDATE SET ${COUNTS.map((c) => `${c} = report_monthly.${c} + excluded.${c}`).join(', ')};
  DELETE FROM report_monthly WHERE publications = 0 AND state = ${r}.state AND month = substr(${r}.day, 1, 7) AND channel_id = ${r}.channel_id
    AND plan_id = ${r}.plan_id AND area_key = ${r}.area_key AND reason = ${r}.reason`;
const monthlyAdd = monthlyDelta((c) => `NEW.${c}`, 'NEW');
const monthlyChange = monthlyDelta((c) => `NEW.${c} - OLD.${c}`, 'NEW');
const monthlyTake = monthlyDelta((c) => `-OLD.${c}`, 'OLD');

const REACH_KEY = 'unit_id, first_day, last_day, area_key, channels';
const reachCellAdd = (r: string) =>
  `INSERT INTO report_reach_cells (${REACH_KEY}, items) VALUES (${r}.unit_id, ${r}.first_day, ${r}.last_day, ${r}.area_key, ${r}.channels, 1)
    ON CONFLICT (${REACH_KEY}) DO UPDATE SET items = report_reach_cells.items + 1`;
const reachCellTake = (r: string) => {
  const key = `unit_id = ${r}.unit_id AND first_day = ${r}.first_day AND last_day = ${r}.last_day AND area_key = ${r}.area_key AND channels = ${r}.channels`;
  return `UPDATE report_reach_cells SET items = items - 1 WHERE ${key}; DELETE FROM report_reach_cells WHERE ${key} AND items = 0`;
};

/** In an update trigger: the row goes out now, and it is in the channel-day it was in (worstAdd's case). */
const ENTERS_OUT = `OLD.state NOT IN ${WENT_OUT} AND NEW.state IN ${WENT_OUT} AND OLD.channel_id = NEW.channel_id AND OLD.scheduled_at = NEW.scheduled_at`;

const PUBLICATION_COLUMNS =
  'state, reason, withdrawal_reason, attempts, scheduled_at, published_at, channel_id, item_id';

/** The triggers that keep the rollup in step (dropReportTriggers takes them away, for a bulk load or a test). */
export async function createReportTriggers(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const d = dialectSql(dialect);
  const run = (text: string) => sql.raw(text).execute(db);
  if (dialect === 'postgres') {
    await run(`CREATE OR REPLACE FUNCTION report_publication_changed() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state IN ${SETTLED} THEN
          ${dailyDelta(dialect, 'OLD', -1)};
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state IN ${SETTLED} THEN
          ${dailyDelta(dialect, 'NEW', 1)};
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.state IN ${WENT_OUT} THEN
          ${worstRefresh(dialect, d.day('OLD.scheduled_at'), 'OLD.channel_id')};
          ${reachRefresh(dialect, 'OLD.item_id')};
        END IF;
        IF TG_OP = 'INSERT' AND NEW.state IN ${WENT_OUT} THEN
          ${worstAdd(dialect, 'NEW', 'TRUE')};
        ELSIF TG_OP = 'UPDATE' AND ${ENTERS_OUT} THEN
          ${worstAdd(dialect, 'NEW', 'TRUE')};
        ELSIF TG_OP = 'UPDATE' AND NEW.state IN ${WENT_OUT} THEN
          ${worstRefresh(dialect, d.day('NEW.scheduled_at'), 'NEW.channel_id')};
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.state IN ${WENT_OUT} THEN
          ${reachRefresh(dialect, 'NEW.item_id')};
        END IF;
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`);
    await run(`CREATE TRIGGER report_publication_insert AFTER INSERT ON publications FOR EACH ROW
      WHEN (NEW.state IN ${SETTLED}) EXECUTE FUNCTION report_publication_changed()`);
    await run(`CREATE TRIGGER report_publication_update AFTER UPDATE OF ${PUBLICATION_COLUMNS} ON publications FOR EACH ROW
      WHEN (OLD.state IN ${SETTLED} OR NEW.state IN ${SETTLED}) EXECUTE FUNCTION report_publication_changed()`);
    await run(`CREATE TRIGGER report_publication_delete AFTER DELETE ON publications FOR EACH ROW
      WHEN (OLD.state IN ${SETTLED}) EXECUTE FUNCTION report_publication_changed()`);
    await run(`CREATE OR REPLACE FUNCTION report_item_changed() RETURNS trigger AS $$
      BEGIN
        ${itemMove(dialect)};
        ${reachRefresh(dialect, 'NEW.id')};
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`);
    await run(`CREATE TRIGGER report_item_update AFTER UPDATE OF plan_id, area_key ON content_items FOR EACH ROW
      WHEN (OLD.plan_id <> NEW.plan_id OR OLD.area_key <> NEW.area_key) EXECUTE FUNCTION report_item_changed()`);
    await run(`CREATE OR REPLACE FUNCTION report_channel_changed() RETURNS trigger AS $$
      DECLARE moved integer;
      BEGIN
        FOR moved IN SELECT DISTINCT item_id FROM publications WHERE channel_id = NEW.id AND state IN ${WENT_OUT} LOOP
          ${reachRefresh(dialect, 'moved')};
        END LOOP;
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`);
    await run(`CREATE TRIGGER report_channel_update AFTER UPDATE OF unit_id ON channels FOR EACH ROW
      WHEN (OLD.unit_id <> NEW.unit_id) EXECUTE FUNCTION report_channel_changed()`);
    await run(`CREATE OR REPLACE FUNCTION report_daily_changed() RETURNS trigger AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN ${monthlyAdd}; END IF;
        IF TG_OP = 'UPDATE' THEN ${monthlyChange}; END IF;
        IF TG_OP = 'DELETE' THEN ${monthlyTake}; END IF;
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`);
    await run(
      `CREATE TRIGGER report_daily_change AFTER INSERT OR UPDATE OR DELETE ON report_daily FOR EACH ROW EXECUTE FUNCTION report_daily_changed()`,
    );
    await run(`CREATE OR REPLACE FUNCTION report_reach_changed() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN ${reachCellTake('OLD')}; END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN ${reachCellAdd('NEW')}; END IF;
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`);
    await run(
      `CREATE TRIGGER report_reach_change AFTER INSERT OR UPDATE OR DELETE ON report_item_reach FOR EACH ROW EXECUTE FUNCTION report_reach_changed()`,
    );
    return;
  }
  const settled = (r: string) => `${r}.state IN ${SETTLED}`;
  await run(`CREATE TRIGGER report_publication_insert AFTER INSERT ON publications WHEN ${settled('NEW')} BEGIN
      ${dailyDelta(dialect, 'NEW', 1)};
      ${worstAdd(dialect, 'NEW', `NEW.state IN ${WENT_OUT}`)};
      ${reachRefresh(dialect, 'NEW.item_id', `NEW.state IN ${WENT_OUT}`)};
    END`);
  await run(`CREATE TRIGGER report_publication_update AFTER UPDATE OF ${PUBLICATION_COLUMNS} ON publications
    WHEN ${settled('OLD')} OR ${settled('NEW')} BEGIN
      ${dailyDelta(dialect, 'OLD', -1)};
      ${dailyDelta(dialect, 'NEW', 1)};
      ${worstRefresh(dialect, d.day('OLD.scheduled_at'), 'OLD.channel_id', `OLD.state IN ${WENT_OUT} AND (${d.day('OLD.scheduled_at')} <> ${d.day('NEW.scheduled_at')} OR OLD.channel_id <> NEW.channel_id)`)};
      ${worstAdd(dialect, 'NEW', ENTERS_OUT)};
      ${worstRefresh(dialect, d.day('NEW.scheduled_at'), 'NEW.channel_id', `OLD.state IN ${WENT_OUT} OR (NEW.state IN ${WENT_OUT} AND NOT (${ENTERS_OUT}))`)};
      ${reachRefresh(dialect, 'OLD.item_id', `OLD.state IN ${WENT_OUT} OR NEW.state IN ${WENT_OUT}`)};
      ${reachRefresh(dialect, 'NEW.item_id', `OLD.item_id <> NEW.item_id AND (OLD.state IN ${WENT_OUT} OR NEW.state IN ${WENT_OUT})`)};
    END`);
  await run(`CREATE TRIGGER report_publication_delete AFTER DELETE ON publications WHEN ${settled('OLD')} BEGIN
      ${dailyDelta(dialect, 'OLD', -1)};
      ${worstRefresh(dialect, d.day('OLD.scheduled_at'), 'OLD.channel_id', `OLD.state IN ${WENT_OUT}`)};
      ${reachRefresh(dialect, 'OLD.item_id', `OLD.state IN ${WENT_OUT}`)};
    END`);
  await run(`CREATE TRIGGER report_item_update AFTER UPDATE OF plan_id, area_key ON content_items
    WHEN OLD.plan_id <> NEW.plan_id OR OLD.area_key <> NEW.area_key BEGIN
      ${itemMove(dialect)};
      ${reachRefresh(dialect, 'NEW.id')};
    END`);
  await run(`CREATE TRIGGER report_daily_insert AFTER INSERT ON report_daily BEGIN ${monthlyAdd}; END`);
  await run(`CREATE TRIGGER report_daily_update AFTER UPDATE ON report_daily BEGIN ${monthlyChange}; END`);
  await run(`CREATE TRIGGER report_daily_delete AFTER DELETE ON report_daily BEGIN ${monthlyTake}; END`);
  await run(`CREATE TRIGGER report_reach_insert AFTER INSERT ON report_item_reach BEGIN ${reachCellAdd('NEW')}; END`);
  await run(
    `CREATE TRIGGER report_reach_update AFTER UPDATE ON report_item_reach BEGIN ${reachCellTake('OLD')}; ${reachCellAdd('NEW')}; END`,
  );
  await run(`CREATE TRIGGER report_reach_delete AFTER DELETE ON report_item_reach BEGIN ${reachCellTake('OLD')}; END`);
  await run(`CREATE TRIGGER report_channel_update AFTER UPDATE OF unit_id ON channels WHEN OLD.unit_id <> NEW.unit_id BEGIN
      DELETE FROM report_item_reach WHERE item_id IN (SELECT item_id FROM publications WHERE channel_id = NEW.id AND state IN ${WENT_OUT});
      INSERT INTO report_item_reach (unit_id, item_id, first_day, last_day, span_days, channels, area_key)
      ${reachSelect(dialect, `IN (SELECT item_id FROM publications WHERE channel_id = NEW.id AND state IN ${WENT_OUT})`)};
    END`);
}

function reachSelect(dialect: DialectName, itemCondition: string): string {
  const d = dialectSql(dialect);
  const rows = (unit: string, join: string, group: string) => `
    SELECT ${unit} AS unit_id, p.item_id, ${d.day('min(p.scheduled_at)')} AS first_day, ${d.day('max(p.scheduled_at)')} AS last_day,
      ${d.span(d.day('min(p.scheduled_at)'), d.day('max(p.scheduled_at)'))} AS span_days, count(DISTINCT p.channel_id) AS channels, i.area_key
    FROM publications p JOIN content_items i ON i.id = p.item_id ${join}
    WHERE p.state IN ${WENT_OUT} AND p.item_id ${itemCondition}
    GROUP BY p.item_id, i.area_key${group}`;
  return `${rows(`''`, '', '')} UNION ALL ${rows('c.unit_id', 'JOIN channels c ON c.id = p.channel_id', ', c.unit_id')}`;
}

/** An item moved to another plan or area: its settled publications move from the old cells to the new. */
function itemMove(dialect: DialectName): string {
  const moved = (sign: string, item: string) =>
    `${DAILY_INSERT} SELECT g.state, g.day, g.channel_id, g.plan_id, g.area_key, g.reason, sum(g.one), sum(g.within1), sum(g.within5), sum(g.retried), sum(g.attempts)
    FROM (SELECT ${dailyColumns(dialect, 'p', sign)} FROM publications p JOIN (SELECT ${item}.plan_id AS plan_id, ${item}.area_key AS area_key) i ON 1 = 1
      WHERE p.item_id = NEW.id AND p.state IN ${SETTLED}) g
    WHERE 1 = 1 GROUP BY g.state, g.day, g.channel_id, g.plan_id, g.area_key, g.reason ${DAILY_MERGE}`;
  return `${moved('-1', 'OLD')}; ${moved('1', 'NEW')}; DELETE FROM report_daily WHERE publications = 0 AND plan_id = OLD.plan_id AND area_key = OLD.area_key`;
}

export async function dropReportTriggers(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const run = (text: string) => sql.raw(text).execute(db);
  for (const [name, table] of [
    ['report_publication_insert', 'publications'],
    ['report_publication_update', 'publications'],
    ['report_publication_delete', 'publications'],
    ['report_item_update', 'content_items'],
    ['report_channel_update', 'channels'],
    ['report_daily_change', 'report_daily'],
    ['report_daily_insert', 'report_daily'],
    ['report_daily_update', 'report_daily'],
    ['report_daily_delete', 'report_daily'],
    ['report_reach_change', 'report_item_reach'],
    ['report_reach_insert', 'report_item_reach'],
    ['report_reach_update', 'report_item_reach'],
    ['report_reach_delete', 'report_item_reach'],
  ]) {
    // Each database has its own names (PostgreSQL one trigger on report_item_reach, SQLite three): drop what is there.
    await run(dialect === 'postgres' ? `DROP TRIGGER IF EXISTS ${name} ON ${table}` : `DROP TRIGGER IF EXISTS ${name}`);
  }
}
