import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../connection';

/**
 * Feeds Loa reads news from (a portal's category, a department's site) and every entry it has seen in them.
 * An entry is remembered once per unit by its guid and by its link (two unique keys), so a poll, an edit at the
 * source or a restart never makes a second draft of the same news.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const autoId = dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  await db.schema
    .createTable('sources')
    .addColumn('id', autoId)
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    // null: the newest plan at each poll, so a new year's plan is picked up without touching the source.
    .addColumn('plan_id', 'integer', (c) => c.references('plans.id'))
    .addColumn('title', 'text')
    .addColumn('every_minutes', 'integer', (c) => c.notNull())
    .addColumn('proposals', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('etag', 'text')
    .addColumn('last_modified', 'text')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('polled_at', 'text')
    .addColumn('succeeded_at', 'text')
    .addColumn('next_poll_after', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('sources_unit_url', ['unit_id', 'url'])
    .execute();

  await db.schema
    .createTable('source_entries')
    .addColumn('id', autoId)
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('source_id', 'integer', (c) => c.references('sources.id').onDelete('set null'))
    .addColumn('guid', 'text')
    .addColumn('link', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    // draft: became a content item; skipped: over the per-poll cap, remembered so it never floods in later.
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('item_id', 'integer', (c) => c.references('content_items.id'))
    .addColumn('area_key', 'text', (c) => c.references('content_areas.key'))
    .addColumn('area_confirmed_by', 'text')
    .addColumn('slots', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('slots_confirmed_by', 'text')
    .addColumn('seen_at', 'text', (c) => c.notNull())
    .execute();
  // NULLs are distinct in unique indexes on both databases: an entry without a guid is keyed by its link alone.
  await db.schema
    .createIndex('source_entries_guid')
    .unique()
    .on('source_entries')
    .columns(['unit_id', 'guid'])
    .execute();
  await db.schema
    .createIndex('source_entries_link')
    .unique()
    .on('source_entries')
    .columns(['unit_id', 'link'])
    .execute();
  await db.schema.createIndex('source_entries_item').on('source_entries').column('item_id').execute();
}
