import type { Kysely } from 'kysely';

/**
 * What Loa knows of each channel's credentials, beside the encrypted secret (issue 26), so the desk, `loa doctor`
 * and /metrics can say how long a connection has left without decrypting anything:
 * - `token_expires_at`: when the token that publishes stops working (a Zalo access token, a Facebook user-derived
 *   token that expires); NULL when it does not expire or is not known;
 * - `refresh_expires_at`: when the token that renews it stops working (a Zalo refresh token, about three months);
 * - `last_success_at`: the last time the platform accepted the credentials (a connection, a check, a refresh);
 * - `token_checked_at`: when the state was last looked at (connection, paste, check, scheduled refresh);
 * - `token_summary`: what the platform said, for people (the account's name, the permissions it has);
 * - `token_problem`: set when the connection is lost (refused, or a refresh whose answer never came), with the
 *   reason in Vietnamese; cleared by a new connection.
 * All times are ISO text in UTC, as every other time in the schema.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of [
    'token_expires_at',
    'refresh_expires_at',
    'last_success_at',
    'token_checked_at',
    'token_summary',
    'token_problem',
  ])
    await db.schema.alterTable('channels').addColumn(column, 'text').execute();
}
