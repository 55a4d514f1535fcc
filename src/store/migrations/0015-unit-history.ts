import { type Kysely, sql } from 'kysely';

import { kindOfUnitName } from '../../domain/unit';
import type { DialectName } from '../connection';

function autoId(dialect: DialectName) {
  return dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
}

/**
 * The two-tier local government (issue 29): units get a kind (province, department, commune, ward…) and can be
 * renamed, merged and retired with their history kept.
 * - `units.kind`, `retired_at`, `retired_by`, `merged_into`: a retired unit stays, so its past posts keep their name;
 * - `unit_events`: every rename, merger and retirement with the name before and after, when and by whom;
 * - `channel_owners`: which unit owned a channel until when, written when a merger moves the channel, so the report
 *   shows each post under the unit that published it at the time.
 * Existing units get their kind from their name (src/domain/unit.ts; 'khac' when it says nothing).
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  await db.schema
    .alterTable('units')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('khac'))
    .execute();
  for (const column of ['retired_at', 'retired_by', 'merged_into']) {
    await db.schema.alterTable('units').addColumn(column, 'text').execute();
  }
  await db.schema
    .createTable('unit_events')
    .addColumn('id', autoId(dialect))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('name_before', 'text', (c) => c.notNull())
    .addColumn('name_after', 'text')
    .addColumn('into_unit_id', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('unit_events_unit').on('unit_events').columns(['unit_id', 'at']).execute();
  await db.schema
    .createTable('channel_owners')
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('until', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('channel_owners_pk', ['channel_id', 'until'])
    .execute();

  // The kinds of the units already there, read from their names.
  const units = await db.selectFrom('units').select(['id', 'name']).execute();
  for (const unit of units as Array<{ id: string; name: string }>) {
    await db
      .updateTable('units')
      .set({ kind: kindOfUnitName(unit.name) })
      .where('id', '=', unit.id)
      .execute();
  }
}
