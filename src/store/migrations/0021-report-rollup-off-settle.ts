import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../connection';
import { dropReportTriggers } from './0011-report-rollup';

/**
 * The report's rollup leaves the settle (issue 31). The triggers of 0011/0013 recomputed a publication's rollup rows
 * inside every settle (its day's cells, its month, its channel-day's 5 latest, its item's reach): 0.34 ms of a 0.41 ms
 * settle on SQLite, 16 of its 34 WAL frames. They are dropped; a write that can change the rollup now only notes what
 * it touched in `report_changes` (one small row), and src/store/report-rollup.ts brings the rollup up to date from the
 * raw log for the noted keys: after a burst (the worker) and before every report (so its figures stay exact).
 *
 * A row of report_changes is one of:
 * - (day, channel_id, item_id): a publication that is or was settled changed (each of its old and new keys);
 * - (NULL, NULL, item_id): an item moved to another plan or area (every settled publication of it);
 * - (NULL, channel_id, NULL): a channel moved to another unit (the reach of every item it published).
 * Rows are only appended by the writers and only deleted by the catch-up, so two of them never contend for a row.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await dropReportTriggers(db, dialect);
  await db.schema
    .createTable('report_changes')
    .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) => c.primaryKey())
    .addColumn('day', 'text')
    .addColumn('channel_id', 'text')
    .addColumn('item_id', 'integer')
    .execute();

  const run = (text: string) => sql.raw(text).execute(db);
  const settled = (r: string) =>
    `${r}.state IN ('published', 'withdrawn', 'failed', 'unconfirmed', 'expired', 'cancelled')`;
  const columns = 'state, reason, withdrawal_reason, attempts, scheduled_at, published_at, channel_id, item_id';
  const day = (r: string) =>
    dialect === 'postgres'
      ? `to_char(${r}.scheduled_at::timestamp + interval '7 hours', 'YYYY-MM-DD')`
      : `date(${r}.scheduled_at, '+7 hours')`;
  const note = (r: string) =>
    `INSERT INTO report_changes (day, channel_id, item_id) VALUES (${day(r)}, ${r}.channel_id, ${r}.item_id)`;
  const moved = `(${day('OLD')} <> ${day('NEW')} OR OLD.channel_id <> NEW.channel_id OR OLD.item_id <> NEW.item_id)`;

  if (dialect === 'postgres') {
    await run(`CREATE FUNCTION report_note_publication() RETURNS trigger AS $$
      BEGIN
        IF TG_OP IN ('INSERT', 'UPDATE') THEN ${note('NEW')}; END IF;
        IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ${moved}) THEN ${note('OLD')}; END IF;
        RETURN NULL;
      END; $$ LANGUAGE plpgsql`);
    await run(`CREATE TRIGGER report_note_insert AFTER INSERT ON publications FOR EACH ROW
      WHEN (${settled('NEW')}) EXECUTE FUNCTION report_note_publication()`);
    await run(`CREATE TRIGGER report_note_update AFTER UPDATE OF ${columns} ON publications FOR EACH ROW
      WHEN (${settled('OLD')} OR ${settled('NEW')}) EXECUTE FUNCTION report_note_publication()`);
    await run(`CREATE TRIGGER report_note_delete AFTER DELETE ON publications FOR EACH ROW
      WHEN (${settled('OLD')}) EXECUTE FUNCTION report_note_publication()`);
    await run(`CREATE FUNCTION report_note_item() RETURNS trigger AS $$
      BEGIN INSERT INTO report_changes (item_id) VALUES (NEW.id); RETURN NULL; END; $$ LANGUAGE plpgsql`);
    await run(`CREATE TRIGGER report_note_item AFTER UPDATE OF plan_id, area_key ON content_items FOR EACH ROW
      WHEN (OLD.plan_id <> NEW.plan_id OR OLD.area_key <> NEW.area_key) EXECUTE FUNCTION report_note_item()`);
    await run(`CREATE FUNCTION report_note_channel() RETURNS trigger AS $$
      BEGIN INSERT INTO report_changes (channel_id) VALUES (NEW.id); RETURN NULL; END; $$ LANGUAGE plpgsql`);
    await run(`CREATE TRIGGER report_note_channel AFTER UPDATE OF unit_id ON channels FOR EACH ROW
      WHEN (OLD.unit_id <> NEW.unit_id) EXECUTE FUNCTION report_note_channel()`);
    // The functions of 0011 have no trigger left to call them.
    for (const name of ['publication', 'item', 'channel', 'daily', 'reach']) {
      await run(`DROP FUNCTION IF EXISTS report_${name}_changed()`);
    }
    return;
  }
  await run(`CREATE TRIGGER report_note_insert AFTER INSERT ON publications WHEN ${settled('NEW')} BEGIN
      ${note('NEW')};
    END`);
  await run(`CREATE TRIGGER report_note_update AFTER UPDATE OF ${columns} ON publications
    WHEN ${settled('OLD')} OR ${settled('NEW')} BEGIN
      ${note('NEW')};
      INSERT INTO report_changes (day, channel_id, item_id) SELECT ${day('OLD')}, OLD.channel_id, OLD.item_id WHERE ${moved};
    END`);
  await run(`CREATE TRIGGER report_note_delete AFTER DELETE ON publications WHEN ${settled('OLD')} BEGIN
      ${note('OLD')};
    END`);
  await run(`CREATE TRIGGER report_note_item AFTER UPDATE OF plan_id, area_key ON content_items
    WHEN OLD.plan_id <> NEW.plan_id OR OLD.area_key <> NEW.area_key BEGIN
      INSERT INTO report_changes (item_id) VALUES (NEW.id);
    END`);
  await run(`CREATE TRIGGER report_note_channel AFTER UPDATE OF unit_id ON channels WHEN OLD.unit_id <> NEW.unit_id BEGIN
      INSERT INTO report_changes (channel_id) VALUES (NEW.id);
    END`);
}
