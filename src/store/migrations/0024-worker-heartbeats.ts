import type { Kysely } from 'kysely';

/**
 * What `/health` and `loa doctor` need to say "publishing works" (issue 30): `worker_heartbeats`, one row per running
 * worker process, its last beat on the database's clock and how far its own clock was from the database's at that
 * beat. A worker whose beat is older than the deadline (frozen, stopped, cut off) no longer counts as alive, whatever
 * Redis says about its connections. (A channel's token expiry, for `/metrics`, is migration 0022's.)
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('worker_heartbeats')
    .addColumn('worker', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('beat_at', 'text', (c) => c.notNull())
    .addColumn('clock_offset_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('beat_every_ms', 'integer', (c) => c.notNull())
    .execute();
}
