import type { Kysely } from 'kysely';

/** Who added each unit and channel account, like every other change in Loa ("loa" for the ones it made itself). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('units')
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo('loa'))
    .execute();
  await db.schema
    .alterTable('channels')
    .addColumn('created_by', 'text', (c) => c.notNull().defaultTo('loa'))
    .execute();
}
