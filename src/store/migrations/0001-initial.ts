import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../connection';

/** An auto-numbered primary key, spelled the way each database wants it. */
function autoId(dialect: DialectName) {
  return dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
}

export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('plans')
    .addColumn('id', autoId(dialect))
    .addColumn('code', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('issuer', 'text')
    .addColumn('year', 'integer')
    .addColumn('issued_on', 'text')
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull().unique())
    .addColumn('structure', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('content_areas')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('plan_areas')
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id').onDelete('cascade'))
    .addColumn('area_key', 'text', (c) => c.notNull().references('content_areas.key'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('wording', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_areas_pk', ['plan_id', 'position'])
    .execute();

  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('content_items')
    .addColumn('id', autoId(dialect))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('area_key', 'text', (c) => c.notNull().references('content_areas.key'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('link', 'text')
    .addColumn('image', 'text')
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('approved_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('content_items_plan').on('content_items').column('plan_id').execute();

  await db.schema
    .createTable('publications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_id', 'integer', (c) => c.notNull().references('content_items.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('scheduled_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('content', 'text')
    .addColumn('external_id', 'text')
    .addColumn('external_url', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued_by', 'text', (c) => c.notNull())
    .addColumn('claimed_by', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publications_due').on('publications').columns(['state', 'scheduled_at']).execute();
  await db.schema.createIndex('publications_item').on('publications').column('item_id').execute();

  await db.schema
    .createTable('publish_attempts')
    .addColumn('id', autoId(dialect))
    .addColumn('publication_id', 'text', (c) => c.notNull().references('publications.id'))
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text')
    .addColumn('external_url', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('publish_attempts_publication').on('publish_attempts').column('publication_id').execute();
  await db.schema.createIndex('publish_attempts_started').on('publish_attempts').column('started_at').execute();
}
