import type { Kysely } from 'kysely';

/** Broadcast priority of Thông tư 39/2020/TT-BTTTT, carried from the item to radio scripts. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('content_items')
    .addColumn('priority', 'text', (c) => c.notNull().defaultTo('thong-thuong'))
    .execute();
}
