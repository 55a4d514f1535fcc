import type { Kysely } from 'kysely';

/**
 * The period report (`loa report`):
 * - `item_activities` ties a content item to the key activities of its plan it carries out (the plan's list labels
 *   'a', 'b', …), so the report can say an activity was done; the calendar proposal sets it, officers can too.
 * - indexes that let the report aggregate a period in the database: the period's publications by scheduled time with
 *   what the figures read (state, channel, item, times, attempts) in the index itself, so a quarter of a large log is
 *   one range scan without visiting the table; and published publications by item, for items reaching several channels.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('item_activities')
    .addColumn('item_id', 'integer', (c) => c.notNull().references('content_items.id').onDelete('cascade'))
    .addColumn('activity_label', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text', (c) => c.notNull())
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('item_activities_pk', ['item_id', 'activity_label'])
    .execute();
  await db.schema
    .createIndex('publications_report_period')
    .on('publications')
    .columns(['state', 'scheduled_at', 'channel_id', 'item_id', 'published_at', 'attempts'])
    .execute();
  await db.schema
    .createIndex('publications_report_item')
    .on('publications')
    .columns(['state', 'item_id', 'scheduled_at', 'channel_id'])
    .execute();
}
