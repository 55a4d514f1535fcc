import { type Kysely, sql } from 'kysely';

/**
 * What the desk's pages read, indexed (issue 28; EXPLAIN QUERY PLAN over `npm run bench:desk`'s 10,000 items):
 * - every page counts the items waiting for approval (the number beside "Duyệt bài"): without an index that is a scan
 *   of the unit's items; a partial index holds only the waiting ones, so the count reads a few hundred entries;
 * - the calendar and the publish log of one unit or channel read its publications in time order: by channel, then
 *   time, then id (the id makes it covering for the log's count, which joins the attempts on it);
 * - the whole log, newest first (an admin's), walks publications by time and stops at the page's end.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('content_items_waiting')
    .on('content_items')
    .column('unit_id')
    .where(sql<boolean>`approved_at IS NULL AND rejected_at IS NULL AND withdrawn_at IS NULL`)
    .execute();
  await db.schema
    .createIndex('publications_channel_time')
    .on('publications')
    .columns(['channel_id', 'scheduled_at', 'id'])
    .execute();
  await db.schema.createIndex('publications_time').on('publications').columns(['scheduled_at', 'id']).execute();
}
