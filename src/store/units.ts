import type { Kysely } from 'kysely';

import type { Unit } from '../domain/channel';
import { NotFoundError, ValidationError } from '../domain/errors';
import { nfc, slugify } from '../domain/text';
import { kindOfUnitName, type UnitEvent, type UnitKind, type UnitRecord } from '../domain/unit';
import type { Database } from './schema';

/**
 * The province's units (src/domain/unit.ts): departments, communes and wards. A unit keeps its id for life; a rename,
 * a merger or a retirement is an event kept in `unit_events`, so a report shows the units as they were.
 */

/** Adds the unit if Loa does not know it yet; the id is the slug of its name unless given, the kind read from its name unless given. */
export async function ensureUnit(
  db: Kysely<Database>,
  name: string,
  createdBy: string,
  id = slugify(name),
  kind?: UnitKind,
): Promise<Unit> {
  const unit = { id, name: nfc(name).trim() };
  // Read first: a process that only reads (loa log) never asks for the write lock, so it never waits on a writer.
  if (await db.selectFrom('units').select('id').where('id', '=', id).executeTakeFirst()) return unit;
  await db
    .insertInto('units')
    .values({
      ...unit,
      kind: kind ?? kindOfUnitName(unit.name),
      created_by: createdBy,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  return unit;
}

/** The units working now (not merged or retired), by name. */
export async function listUnits(db: Kysely<Database>): Promise<Unit[]> {
  return db.selectFrom('units').select(['id', 'name']).where('retired_at', 'is', null).orderBy('name').execute();
}

/** Every unit ever known, retired ones included, with its kind: for administration and for reports of the past. */
export async function listUnitRecords(db: Kysely<Database>): Promise<UnitRecord[]> {
  const rows = await db
    .selectFrom('units')
    .select(['id', 'name', 'kind', 'retired_at', 'merged_into'])
    .orderBy('name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as UnitKind,
    retiredAt: r.retired_at === null ? null : new Date(r.retired_at),
    mergedInto: r.merged_into,
  }));
}

/** Finds a unit by id or by exact name (retired ones too: their history is still asked for). */
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

async function activeRecord(db: Kysely<Database>, idOrName: string, field: string) {
  const unit = await getUnit(db, idOrName);
  const row = await db
    .selectFrom('units')
    .select(['id', 'name', 'retired_at'])
    .where('id', '=', unit.id)
    .executeTakeFirstOrThrow();
  if (row.retired_at !== null) throw new ValidationError(field, `đơn vị ${row.id} "${row.name}" đã ngừng hoạt động`);
  return row;
}

/** Renames a unit; its id, channels, users and items stay, and the old name is kept for the reports of the past. */
export async function renameUnit(db: Kysely<Database>, idOrName: string, newName: string, by: string, at = new Date()) {
  const name = nfc(newName).trim();
  return db.transaction().execute(async (tx) => {
    const unit = await activeRecord(tx, idOrName, 'unit');
    if (unit.name === name) return { id: unit.id, name };
    const clash = await tx
      .selectFrom('units')
      .select('id')
      .where('name', '=', name)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    if (clash) throw new ValidationError('name', `đã có đơn vị ${clash.id} tên "${name}"`);
    await tx
      .updateTable('units')
      .set({ name, kind: kindOfUnitName(name) })
      .where('id', '=', unit.id)
      .execute();
    await tx
      .insertInto('unit_events')
      .values({
        unit_id: unit.id,
        action: 'rename',
        name_before: unit.name,
        name_after: name,
        into_unit_id: null,
        at: at.toISOString(),
        by,
      })
      .execute();
    return { id: unit.id, name, before: unit.name };
  });
}

export interface MergeResult {
  into: Unit;
  merged: Unit[];
  channels: number;
  users: number;
  items: number;
}

/**
 * Merges units into another (communes into the new commune, departments into the new department): their channels,
 * users, items and feed sources move to it, the merged units are retired with `merged_into` set, and who owned each
 * channel until now is written to `channel_owners` so that reports of the past show the units as they were.
 * All in one transaction: a merger is done whole or not at all.
 */
export async function mergeUnits(
  db: Kysely<Database>,
  fromIdsOrNames: string[],
  intoIdOrName: string,
  by: string,
  at = new Date(),
): Promise<MergeResult> {
  if (fromIdsOrNames.length === 0) throw new ValidationError('from', 'cần ít nhất một đơn vị để sáp nhập');
  const when = at.toISOString();
  return db.transaction().execute(async (tx) => {
    const into = await activeRecord(tx, intoIdOrName, 'into');
    const merged: Unit[] = [];
    const result: MergeResult = { into: { id: into.id, name: into.name }, merged, channels: 0, users: 0, items: 0 };
    for (const key of fromIdsOrNames) {
      const from = await activeRecord(tx, key, 'from');
      if (from.id === into.id) throw new ValidationError('from', `không sáp nhập đơn vị ${from.id} vào chính nó`);
      if (merged.some((u) => u.id === from.id)) continue;
      const channels = await tx.selectFrom('channels').select('id').where('unit_id', '=', from.id).execute();
      if (channels.length > 0) {
        await tx
          .insertInto('channel_owners')
          .values(channels.map((c) => ({ channel_id: c.id, unit_id: from.id, until: when })))
          .execute();
        await tx.updateTable('channels').set({ unit_id: into.id }).where('unit_id', '=', from.id).execute();
      }
      const users = await tx
        .updateTable('users')
        .set({ unit_id: into.id, updated_at: when })
        .where('unit_id', '=', from.id)
        .executeTakeFirst();
      // An item's origin is unique per unit: one the new unit also has (the same plan week) keeps its own, marked.
      const taken = tx
        .selectFrom('content_items')
        .select('origin_key')
        .where('unit_id', '=', into.id)
        .where('origin_key', 'is not', null);
      const clashing = await tx
        .selectFrom('content_items')
        .select(['id', 'origin_key'])
        .where('unit_id', '=', from.id)
        .where('origin_key', 'in', taken)
        .execute();
      for (const item of clashing)
        await tx
          .updateTable('content_items')
          .set({ origin_key: `${item.origin_key} (${from.id})` })
          .where('id', '=', item.id)
          .execute();
      const items = await tx
        .updateTable('content_items')
        .set({ unit_id: into.id })
        .where('unit_id', '=', from.id)
        .executeTakeFirst();
      await tx.updateTable('sources').set({ unit_id: into.id }).where('unit_id', '=', from.id).execute();
      // A feed entry is remembered once per unit by guid and by link: one both units saw stays with the merged unit.
      const seenGuids = tx
        .selectFrom('source_entries')
        .select('guid')
        .where('unit_id', '=', into.id)
        .where('guid', 'is not', null);
      const seenLinks = tx
        .selectFrom('source_entries')
        .select('link')
        .where('unit_id', '=', into.id)
        .where('link', 'is not', null);
      await tx
        .updateTable('source_entries')
        .set({ unit_id: into.id })
        .where('unit_id', '=', from.id)
        .where((eb) => eb.or([eb('guid', 'is', null), eb('guid', 'not in', seenGuids)]))
        .where((eb) => eb.or([eb('link', 'is', null), eb('link', 'not in', seenLinks)]))
        .execute();
      await tx
        .updateTable('units')
        .set({ retired_at: when, retired_by: by, merged_into: into.id })
        .where('id', '=', from.id)
        .execute();
      await tx
        .insertInto('unit_events')
        .values({
          unit_id: from.id,
          action: 'merge',
          name_before: from.name,
          name_after: into.name,
          into_unit_id: into.id,
          at: when,
          by,
        })
        .execute();
      merged.push({ id: from.id, name: from.name });
      result.channels += channels.length;
      result.users += Number(users.numUpdatedRows);
      result.items += Number(items.numUpdatedRows);
    }
    return result;
  });
}

/**
 * Retires a unit that stops without a successor: kept with its history, its channels paused and its accounts
 * disabled (not deleted). Refused while it still has posts waiting to go out: cancel them, or merge the unit instead.
 */
export async function retireUnit(db: Kysely<Database>, idOrName: string, by: string, at = new Date()) {
  const when = at.toISOString();
  return db.transaction().execute(async (tx) => {
    const unit = await activeRecord(tx, idOrName, 'unit');
    const owed = await tx
      .selectFrom('publications')
      .innerJoin('channels', 'channels.id', 'publications.channel_id')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('channels.unit_id', '=', unit.id)
      .where('publications.state', 'in', ['scheduled', 'queued', 'publishing'])
      .executeTakeFirstOrThrow();
    if (Number(owed.n) > 0)
      throw new ValidationError(
        'unit',
        `đơn vị ${unit.id} còn ${owed.n} bài đăng chưa đăng; hãy hủy các bài đó, hoặc sáp nhập đơn vị vào đơn vị khác`,
      );
    await tx
      .updateTable('channels')
      .set({ paused_at: when, paused_reason: 'đơn vị đã ngừng hoạt động', paused_by: by })
      .where('unit_id', '=', unit.id)
      .where('paused_at', 'is', null)
      .execute();
    const users = await tx
      .selectFrom('users')
      .select('id')
      .where('unit_id', '=', unit.id)
      .where('disabled_at', 'is', null)
      .execute();
    for (const user of users) {
      await tx.updateTable('users').set({ disabled_at: when, updated_at: when }).where('id', '=', user.id).execute();
      await tx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await tx
        .updateTable('api_tokens')
        .set({ revoked_at: when })
        .where('user_id', '=', user.id)
        .where('revoked_at', 'is', null)
        .execute();
    }
    await tx.updateTable('units').set({ retired_at: when, retired_by: by }).where('id', '=', unit.id).execute();
    await tx
      .insertInto('unit_events')
      .values({
        unit_id: unit.id,
        action: 'retire',
        name_before: unit.name,
        name_after: null,
        into_unit_id: null,
        at: when,
        by,
      })
      .execute();
    return { id: unit.id, name: unit.name, usersDisabled: users.length };
  });
}

/** A unit's renames, mergers and retirement, oldest first (every unit's when no id is given). */
export async function unitEvents(db: Kysely<Database>, unitId?: string): Promise<UnitEvent[]> {
  let query = db.selectFrom('unit_events').selectAll().orderBy('at').orderBy('id');
  if (unitId !== undefined) query = query.where('unit_id', '=', unitId);
  return (await query.execute()).map((r) => ({
    unitId: r.unit_id,
    action: r.action as UnitEvent['action'],
    nameBefore: r.name_before,
    nameAfter: r.name_after,
    intoUnitId: r.into_unit_id,
    at: new Date(r.at),
    by: r.by,
  }));
}

/** Who a channel belonged to, and under which name, at an instant. */
export type UnitAsOf = (channelId: string, currentUnitId: string, at: Date) => Unit;

/**
 * Units as they were: the unit that owned a channel at an instant (before a merger moved it) and the name that unit
 * had then (before a rename). Read once per report; the answer is computed in memory.
 */
export async function unitsAsTheyWere(db: Kysely<Database>): Promise<UnitAsOf> {
  const [owners, events, units] = await Promise.all([
    db.selectFrom('channel_owners').selectAll().orderBy('until').execute(),
    unitEvents(db),
    db.selectFrom('units').select(['id', 'name']).execute(),
  ]);
  const current = new Map(units.map((u) => [u.id, u.name]));
  const nameAt = (unitId: string, at: Date): string => {
    // The first change of name after the instant says what the name was then; without one, the name now.
    const later = events.find((e) => e.unitId === unitId && e.action === 'rename' && e.at > at);
    return later?.nameBefore ?? current.get(unitId) ?? unitId;
  };
  return (channelId, currentUnitId, at) => {
    const owner = owners.find((o) => o.channel_id === channelId && new Date(o.until) > at)?.unit_id ?? currentUnitId;
    return { id: owner, name: nameAt(owner, at) };
  };
}
