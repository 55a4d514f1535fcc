import type { Kysely } from 'kysely';

/**
 * Connections under way (issue 26): a person asked to connect a channel through the platform's consent screen and has
 * not come back yet. `state_hash` is the SHA-256 of the `state` sent to the platform (the state itself is never
 * stored), `holder_hash` the SHA-256 of what ties it to the person's session (or to one `loa channels connect` run),
 * `keep` what the platform flow keeps meanwhile (a PKCE verifier) and `choices` the accounts offered after consent
 * (with their tokens), both encrypted under LOA_SECRET_KEY like a channel's secret. A row lives minutes: it is
 * deleted when used, and rows past `expires_at` are refused and swept.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('channel_connections')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('holder_hash', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('keep', 'text', (c) => c.notNull())
    .addColumn('choices', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}
