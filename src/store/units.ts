import type { Kysely } from 'kysely';

import type { Unit } from '../domain/channel';
import { NotFoundError } from '../domain/errors';
import { nfc, slugify } from '../domain/text';
import type { Database } from './schema';

/** Adds the unit if Loa does not know it yet; the id is the slug of its name unless given. */
export async function ensureUnit(
  db: Kysely<Database>,
  name: string,
  createdBy: string,
  id = slugify(name),
): Promise<Unit> {
  const unit = { id, name: nfc(name).trim() };
  await db
    .insertInto('units')
    .values({ ...unit, created_by: createdBy, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return unit;
}

export async function listUnits(db: Kysely<Database>): Promise<Unit[]> {
  return db.selectFrom('units').select(['id', 'name']).orderBy('name').execute();
}

/** Finds a unit by id or by exact name. */
export async function getUnit(db: Kysely<Database>, idOrName: string): Promise<Unit> {
  const key = nfc(idOrName).trim();
  const unit = await db
    .selectFrom('units')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', key), eb('id', '=', slugify(key)), eb('name', '=', key)]))
    .executeTakeFirst();
  if (!unit) throw new NotFoundError('đơn vị', idOrName);
  return unit;
}

/** The unit with this id, or null. */
export async function findUnit(db: Kysely<Database>, id: string): Promise<Unit | null> {
  return (await db.selectFrom('units').select(['id', 'name']).where('id', '=', id).executeTakeFirst()) ?? null;
}
