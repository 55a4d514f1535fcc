import type { Kysely } from 'kysely';

/**
 * `publications_due (state, scheduled_at)` of 0001 is the first two columns of 0008's `publications_report_period
 * (state, scheduled_at, channel_id, item_id, published_at, attempts)`, so whatever it served the longer index serves
 * by the same keys. Checked on SQLite with EXPLAIN QUERY PLAN over the 90 statements on publications that the
 * store's, queue's, report's, desk's and worker's tests run: 14 chose `publications_due`; without it, each searches
 * `publications_report_period` (or `publications_report_item`, which also starts with state) on the same terms.
 * Every change of a publication's state rewrote both; a queue rebuild marks tens of thousands `queued` at once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('publications_due').ifExists().execute();
}
