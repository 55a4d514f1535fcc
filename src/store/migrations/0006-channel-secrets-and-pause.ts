import type { Kysely } from 'kysely';

/**
 * Each channel account's secret (an access token, or a JSON pair a platform rotates), encrypted with
 * AES-256-GCM under LOA_SECRET_KEY (see store/secret-cipher.ts); never stored in clear. And a pause: a channel
 * whose credentials stopped working waits, with the reason, until an admin reconnects it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('channels').addColumn('secret', 'text').execute();
  await db.schema.alterTable('channels').addColumn('secret_set_by', 'text').execute();
  await db.schema.alterTable('channels').addColumn('secret_set_at', 'text').execute();
  await db.schema.alterTable('channels').addColumn('paused_at', 'text').execute();
  await db.schema.alterTable('channels').addColumn('paused_reason', 'text').execute();
  await db.schema.alterTable('channels').addColumn('paused_by', 'text').execute();
}
