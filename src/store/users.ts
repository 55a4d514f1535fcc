import type { Kysely } from 'kysely';

import type { Role } from '../domain/access';
import { NotFoundError, ValidationError } from '../domain/errors';
import { nfc } from '../domain/text';
import type { Database, Row } from './schema';
import { hashPassword, hashSecret, verifyPassword } from './secrets';

export interface User {
  id: number;
  name: string;
  unitId: string | null;
  role: Role;
  disabled: boolean;
  createdBy: string;
  createdAt: Date;
}

function toUser(row: Row<'users'>): User {
  return {
    id: row.id,
    name: row.name,
    unitId: row.unit_id,
    role: row.role as Role,
    disabled: row.disabled_at !== null,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
  };
}

export const MIN_PASSWORD = 10;

function checkPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD) throw new ValidationError('mật khẩu', `cần ít nhất ${MIN_PASSWORD} ký tự`);
  if ([...password].length > 256) throw new ValidationError('mật khẩu', 'dài quá 256 ký tự');
}

export interface NewUser {
  name: string;
  unitId: string | null;
  role: Role;
  password: string;
}

export async function createUser(db: Kysely<Database>, input: NewUser, createdBy: string): Promise<User> {
  const name = nfc(input.name).trim();
  if (!name) throw new ValidationError('tên', 'không được để trống');
  if (name.length > 128) throw new ValidationError('tên', 'dài quá 128 ký tự');
  if (input.role !== 'admin' && !input.unitId)
    throw new ValidationError('đơn vị', 'cán bộ và lãnh đạo phải thuộc một đơn vị');
  checkPassword(input.password);
  const existing = await db.selectFrom('users').select('id').where('name', '=', name).executeTakeFirst();
  if (existing) throw new ValidationError('tên', `đã có tài khoản "${name}"`);
  const now = new Date().toISOString();
  const row = await db
    .insertInto('users')
    .values({
      name,
      unit_id: input.unitId,
      role: input.role,
      password_hash: await hashPassword(input.password),
      created_by: createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUser(row);
}

export async function getUserByName(db: Kysely<Database>, name: string): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('name', '=', nfc(name).trim()).executeTakeFirst();
  if (!row) throw new NotFoundError('tài khoản', name);
  return toUser(row);
}

export async function getUserById(db: Kysely<Database>, id: number): Promise<User> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('tài khoản', id);
  return toUser(row);
}

export async function listUsers(db: Kysely<Database>, unitId?: string): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().orderBy('name');
  if (unitId !== undefined) query = query.where('unit_id', '=', unitId);
  return (await query.execute()).map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * A new password ends the account's other sessions and revokes its other API tokens: whoever held the old password
 * (or a token made with it) is out. `keep` is the session or token the change came through, left working.
 */
export async function setPassword(
  db: Kysely<Database>,
  id: number,
  password: string,
  keep: { sessionId?: string | null; token?: string | null } = {},
): Promise<void> {
  checkPassword(password);
  const hash = await hashPassword(password);
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ password_hash: hash, updated_at: now }).where('id', '=', id).execute();
    let sessions = tx.deleteFrom('sessions').where('user_id', '=', id);
    if (keep.sessionId) sessions = sessions.where('id_hash', '!=', hashSecret(keep.sessionId));
    await sessions.execute();
    let tokens = tx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null);
    if (keep.token) tokens = tokens.where('token_hash', '!=', hashSecret(keep.token));
    await tokens.execute();
  });
}

/** Disabling also ends the user's sessions and revokes their tokens: the account stops working at once. */
export async function disableUser(db: Kysely<Database>, id: number): Promise<void> {
  const now = new Date().toISOString();
  await db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ disabled_at: now, updated_at: now }).where('id', '=', id).execute();
    await tx.deleteFrom('sessions').where('user_id', '=', id).execute();
    await tx
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('user_id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
  });
}

/** The user whose name and password these are, or null (unknown name, wrong password, disabled: one answer for all). */
export async function checkLogin(db: Kysely<Database>, name: string, password: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('name', '=', nfc(name).trim()).executeTakeFirst();
  // An unknown name still costs one hash, so the answer time does not tell which names exist.
  const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
  if (!row || !ok || row.disabled_at !== null) return null;
  return toUser(row);
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
