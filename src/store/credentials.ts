import type { Kysely } from 'kysely';

import { NotFoundError } from '../domain/errors';
import type { Database } from './schema';
import { hashSecret, newSecret } from './secrets';

/** API tokens (Authorization: Bearer) and browser sessions. Only their hashes are stored. */

export interface ApiToken {
  id: number;
  userId: number;
  label: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
}

export async function createToken(
  db: Kysely<Database>,
  userId: number,
  label: string,
): Promise<{ token: string; record: ApiToken }> {
  const token = newSecret('loa_');
  const now = new Date().toISOString();
  const row = await db
    .insertInto('api_tokens')
    .values({ user_id: userId, token_hash: hashSecret(token), label, created_at: now })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, record: { id: row.id, userId, label, createdAt: new Date(now), lastUsedAt: null, revoked: false } };
}

export async function listTokens(db: Kysely<Database>, userId: number): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    label: r.label,
    createdAt: new Date(r.created_at),
    lastUsedAt: r.last_used_at ? new Date(r.last_used_at) : null,
    revoked: r.revoked_at !== null,
  }));
}

/** Revokes one of the user's tokens; another user's token is "not found". */
export async function revokeToken(db: Kysely<Database>, userId: number, tokenId: number): Promise<void> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', tokenId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new NotFoundError('mã truy cập', tokenId);
}

/** The user id a live token belongs to (an enabled user), or null. */
export async function userOfToken(db: Kysely<Database>, token: string): Promise<number | null> {
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id'])
    .where('t.token_hash', '=', hashSecret(token))
    .where('t.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return null;
  await db.updateTable('api_tokens').set({ last_used_at: new Date().toISOString() }).where('id', '=', row.id).execute();
  return row.user_id;
}

export const SESSION_HOURS = 12;

export async function createSession(
  db: Kysely<Database>,
  userId: number,
  now = new Date(),
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const sessionId = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
  await db
    .insertInto('sessions')
    .values({
      id_hash: hashSecret(sessionId),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt.toISOString(),
    })
    .execute();
  return { sessionId, csrfToken, expiresAt };
}

export async function readSession(
  db: Kysely<Database>,
  sessionId: string,
  now = new Date(),
): Promise<{ userId: number; csrfToken: string } | null> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.user_id', 's.csrf_token'])
    .where('s.id_hash', '=', hashSecret(sessionId))
    .where('s.expires_at', '>', now.toISOString())
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row ? { userId: row.user_id, csrfToken: row.csrf_token } : null;
}

export async function endSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', hashSecret(sessionId)).execute();
}

/**
 * Login throttling, kept in the database so every server process counts the same failures: at most
 * `perAccount` failures for one account and `perAddress` from one address within `windowMs`.
 */
export const LOGIN_LIMITS = { perAccount: 5, perAddress: 20, windowMs: 15 * 60_000 };

export async function loginBlocked(
  db: Kysely<Database>,
  account: string,
  address: string,
  now = new Date(),
): Promise<'account' | 'address' | null> {
  const since = new Date(now.getTime() - LOGIN_LIMITS.windowMs).toISOString();
  const count = async (column: 'account' | 'address', value: string) =>
    Number(
      (
        await db
          .selectFrom('login_failures')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where(column, '=', value)
          .where('at', '>', since)
          .executeTakeFirstOrThrow()
      ).n,
    );
  if ((await count('account', account)) >= LOGIN_LIMITS.perAccount) return 'account';
  if ((await count('address', address)) >= LOGIN_LIMITS.perAddress) return 'address';
  return null;
}

export async function recordLoginFailure(
  db: Kysely<Database>,
  account: string,
  address: string,
  now = new Date(),
): Promise<void> {
  await db.insertInto('login_failures').values({ account, address, at: now.toISOString() }).execute();
}

export async function clearLoginFailures(db: Kysely<Database>, account: string): Promise<void> {
  await db.deleteFrom('login_failures').where('account', '=', account).execute();
}
