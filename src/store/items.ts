import type { Kysely } from 'kysely';

import { type ContentItem, type ContentItemInput, type ContentItemPatch, type Priority } from '../domain/content-item';
import { NotFoundError, ValidationError } from '../domain/errors';
import { nfc, slugify } from '../domain/text';
import type { Database, Row } from './schema';

export function toItem(row: Row<'content_items'>): ContentItem {
  return {
    id: row.id,
    planId: row.plan_id,
    areaKey: row.area_key,
    unitId: row.unit_id,
    title: row.title,
    body: row.body,
    link: row.link,
    image: row.image,
    priority: row.priority as Priority,
    author: row.author,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at ? new Date(row.approved_at) : null,
    rejection: row.rejected_at
      ? { by: row.rejected_by!, at: new Date(row.rejected_at), reason: row.rejection_reason! }
      : null,
    withdrawal: row.withdrawn_at
      ? { by: row.withdrawn_by!, at: new Date(row.withdrawn_at), reason: row.withdrawal_reason! }
      : null,
    editedBy: row.edited_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Checks the references an item makes and returns them as stored keys; errors name the field. */
async function resolveReferences(
  db: Kysely<Database>,
  input: Partial<ContentItemInput>,
  field: (name: string) => string,
) {
  const resolved: { plan_id?: number; area_key?: string; unit_id?: string } = {};
  if (input.plan !== undefined) {
    const plan = await db.selectFrom('plans').select('id').where('id', '=', input.plan).executeTakeFirst();
    if (!plan)
      throw new ValidationError(field('plan'), `không có kế hoạch số ${input.plan} trong Loa (xem: loa plans)`);
    resolved.plan_id = plan.id;
  }
  if (input.area !== undefined) {
    const areas = await db.selectFrom('content_areas').select(['key', 'name']).execute();
    const wanted = nfc(input.area).toLowerCase();
    const area = areas.find((a) => a.key === wanted || a.key === slugify(wanted) || a.name.toLowerCase() === wanted);
    if (!area)
      throw new ValidationError(
        field('area'),
        `lĩnh vực "${input.area}" không có; chọn một trong: ${areas.map((a) => a.key).join(', ')}`,
      );
    resolved.area_key = area.key;
  }
  if (input.unit !== undefined) {
    const key = nfc(input.unit);
    const unit = await db
      .selectFrom('units')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', key), eb('id', '=', slugify(key)), eb('name', '=', key)]))
      .executeTakeFirst();
    if (!unit) throw new ValidationError(field('unit'), `đơn vị "${input.unit}" chưa có trong Loa (xem: loa units)`);
    resolved.unit_id = unit.id;
  }
  return resolved;
}

/**
 * Adds content items all together or not at all: a bad row in a file leaves nothing half-imported.
 * `where(i)` names a row in error messages (e.g. "dòng 3").
 */
export async function addItems(
  db: Kysely<Database>,
  inputs: ContentItemInput[],
  author: string,
  where: (index: number) => string = () => '',
  onProgress?: (done: number) => void,
): Promise<ContentItem[]> {
  return (await addItemsOnce(db, inputs, author, where, onProgress)).created;
}

/** An item to add with where it came from (see `origin_key`, migration 0012). */
export type OriginInput = ContentItemInput & { originKey?: string | null };

/**
 * Adds items all together or not at all, except those whose origin (unit and `originKey`) is already stored: those
 * are returned as `existing`, unchanged, so importing a file or applying a calendar again adds nothing. Two rows of
 * one batch with the same origin give one item.
 */
export async function addItemsOnce(
  db: Kysely<Database>,
  inputs: OriginInput[],
  author: string,
  where: (index: number) => string = () => '',
  onProgress?: (done: number) => void,
): Promise<{ created: ContentItem[]; existing: ContentItem[]; all: ContentItem[] }> {
  return db.transaction().execute(async (tx) => {
    const created: ContentItem[] = [];
    const existing: ContentItem[] = [];
    const all: ContentItem[] = [];
    for (const [index, input] of inputs.entries()) {
      const refs = await resolveReferences(tx, input, (name) => [where(index), name].filter(Boolean).join('.'));
      const originKey = input.originKey ?? null;
      const found =
        originKey === null
          ? undefined
          : await tx
              .selectFrom('content_items')
              .selectAll()
              .where('unit_id', '=', refs.unit_id!)
              .where('origin_key', '=', originKey)
              .executeTakeFirst();
      if (found) {
        const item = toItem(found);
        if (!existing.some((e) => e.id === item.id) && !created.some((c) => c.id === item.id)) existing.push(item);
        all.push(item);
        onProgress?.(index + 1);
        continue;
      }
      const now = new Date().toISOString();
      const row = await tx
        .insertInto('content_items')
        .values({
          plan_id: refs.plan_id!,
          area_key: refs.area_key!,
          unit_id: refs.unit_id!,
          title: input.title,
          body: input.body,
          link: input.link,
          image: input.image,
          priority: input.priority,
          author,
          origin_key: originKey,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const item = toItem(row);
      created.push(item);
      all.push(item);
      onProgress?.(index + 1);
    }
    return { created, existing, all };
  });
}

/** Edits an item. Editing withdraws its approval: a supervisor approves what is actually published. */
export async function editItem(
  db: Kysely<Database>,
  id: number,
  patch: ContentItemPatch,
  editor: string | null = null,
): Promise<ContentItem> {
  return db.transaction().execute(async (tx) => {
    await getItem(tx, id);
    const refs = await resolveReferences(tx, patch, (name) => name);
    const { plan: _p, area: _a, unit: _u, ...fields } = patch;
    const row = await tx
      .updateTable('content_items')
      .set({
        ...fields,
        ...refs,
        approved_by: null,
        approved_at: null,
        rejected_by: null,
        rejected_at: null,
        rejection_reason: null,
        edited_by: editor,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toItem(row);
  });
}

export async function approveItem(
  db: Kysely<Database>,
  id: number,
  approver: string,
  at = new Date(),
): Promise<ContentItem> {
  await getItem(db, id);
  const row = await db
    .updateTable('content_items')
    .set({
      approved_by: approver,
      approved_at: at.toISOString(),
      rejected_by: null,
      rejected_at: null,
      rejection_reason: null,
      updated_at: at.toISOString(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(row);
}

/** Sends the item back to its author with a reason; any approval is withdrawn. */
export async function rejectItem(
  db: Kysely<Database>,
  id: number,
  by: string,
  reason: string,
  at = new Date(),
): Promise<ContentItem> {
  await getItem(db, id);
  const row = await db
    .updateTable('content_items')
    .set({
      approved_by: null,
      approved_at: null,
      rejected_by: by,
      rejected_at: at.toISOString(),
      rejection_reason: reason,
      updated_at: at.toISOString(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItem(row);
}

export async function getItem(db: Kysely<Database>, id: number): Promise<ContentItem> {
  const row = await db.selectFrom('content_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError('nội dung', id);
  return toItem(row);
}

export interface ItemFilter {
  planId?: number;
  unitId?: string;
  approved?: boolean;
}

export async function listItems(db: Kysely<Database>, filter: ItemFilter = {}): Promise<ContentItem[]> {
  let query = db.selectFrom('content_items').selectAll().orderBy('id');
  if (filter.planId !== undefined) query = query.where('plan_id', '=', filter.planId);
  if (filter.unitId !== undefined) query = query.where('unit_id', '=', filter.unitId);
  if (filter.approved === true) query = query.where('approved_at', 'is not', null);
  if (filter.approved === false) query = query.where('approved_at', 'is', null);
  return (await query.execute()).map(toItem);
}
