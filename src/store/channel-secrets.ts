import type { Kysely } from 'kysely';

import { NotFoundError, ValidationError } from '../domain/errors';
import type { Database } from './schema';
import { decryptSecret, encryptSecret, type SecretKey, secretKeyFromEnv } from './secret-cipher';

/** A secret larger than this is not a token: refuse it rather than store it. */
export const MAX_SECRET_BYTES = 16 * 1024;

/** A decrypted secret and its version (opaque), for a compare-and-set rotation. */
export interface VersionedSecret {
  value: string;
  version: string;
}

function checkPlaintext(plaintext: string): void {
  if (plaintext.length === 0) throw new ValidationError('bí mật', 'trống');
  if (Buffer.byteLength(plaintext, 'utf8') > MAX_SECRET_BYTES)
    throw new ValidationError('bí mật', `dài quá ${MAX_SECRET_BYTES} byte`);
}

/**
 * Stores a channel's secret, encrypted, set by a person (`by`). Replacing the credentials is what reconnects an
 * account, so a paused channel resumes in the same write; `resumed` says whether it was paused.
 * Without LOA_SECRET_KEY nothing is written (SecretKeyError says why).
 */
export async function setChannelSecret(
  db: Kysely<Database>,
  channelId: string,
  plaintext: string,
  by: string,
  key: SecretKey = secretKeyFromEnv(),
  now = new Date(),
): Promise<{ resumed: boolean }> {
  checkPlaintext(plaintext);
  const stored = encryptSecret(key, channelId, plaintext);
  const work = async (tx: Kysely<Database>) => {
    const before = await tx.selectFrom('channels').select('paused_at').where('id', '=', channelId).executeTakeFirst();
    if (!before) throw new NotFoundError('kênh', channelId);
    await tx
      .updateTable('channels')
      .set({
        secret: stored,
        secret_set_by: by,
        secret_set_at: now.toISOString(),
        paused_at: null,
        paused_reason: null,
        paused_by: null,
      })
      .where('id', '=', channelId)
      .execute();
    return { resumed: before.paused_at !== null };
  };
  // Inside a caller's transaction (a channel saved with its secret) it joins it; otherwise it is its own.
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** The channel's secret with its version, decrypted; null when none is stored. */
export async function readChannelSecretVersioned(
  db: Kysely<Database>,
  channelId: string,
  key?: SecretKey,
): Promise<VersionedSecret | null> {
  const row = await db.selectFrom('channels').select('secret').where('id', '=', channelId).executeTakeFirst();
  if (!row) throw new NotFoundError('kênh', channelId);
  if (row.secret === null) return null;
  return { value: decryptSecret(key ?? secretKeyFromEnv(), channelId, row.secret), version: row.secret };
}

/** The channel's secret, decrypted; null when none is stored. */
export async function readChannelSecret(
  db: Kysely<Database>,
  channelId: string,
  key?: SecretKey,
): Promise<string | null> {
  return (await readChannelSecretVersioned(db, channelId, key))?.value ?? null;
}

/** Whether a secret is stored, without decrypting it (for listings and doctor). */
export async function hasChannelSecret(db: Kysely<Database>, channelId: string): Promise<boolean> {
  const row = await db.selectFrom('channels').select('secret').where('id', '=', channelId).executeTakeFirst();
  return Boolean(row?.secret);
}

/**
 * Rotation by the platform's adapter (a refreshed token pair): writes `plaintext` only if the stored secret is
 * still `version`, in one conditional UPDATE, so of two processes rotating at once exactly one wins; the loser
 * gets false and must read the secret again. Does not resume a paused channel (that is a person's reconnect).
 */
export async function replaceChannelSecret(
  db: Kysely<Database>,
  channelId: string,
  version: string,
  plaintext: string,
  by: string,
  key: SecretKey = secretKeyFromEnv(),
  now = new Date(),
): Promise<boolean> {
  checkPlaintext(plaintext);
  const result = await db
    .updateTable('channels')
    .set({ secret: encryptSecret(key, channelId, plaintext), secret_set_by: by, secret_set_at: now.toISOString() })
    .where('id', '=', channelId)
    .where('secret', '=', version)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
