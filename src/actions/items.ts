import type { Kysely } from 'kysely';

import type { Adapters } from '../../channels';
import { type Actor, checkApprover, requireRole, requireUnit, sameName, unitScope } from '../domain/access';
import type { ContentItem, ContentItemInput, ContentItemPatch } from '../domain/content-item';
import { AccessError, NotFoundError, ValidationError } from '../domain/errors';
import { checkTypedText } from '../domain/text';
import { recordAudit } from '../store/audit';
import {
  addItems,
  addItemsOnce,
  approveItem,
  editItem,
  getItem,
  type ItemFilter,
  listItems,
  rejectItem,
} from '../store/items';
import { listPublications, movePublication } from '../store/publications';
import type { Database } from '../store/schema';
import { getUnit } from '../store/units';
import { type Withdrawal, withdrawItem } from '../store/withdrawals';
import { importOrigin } from './items-file';
import { type LeftStanding, takeDownWithdrawn } from './take-down';

/**
 * What a person may do with content items, shared by the CLI and the HTTP API: the role and unit checks,
 * the four-eyes rule and the audit trail live here once.
 */

/** An item the actor may see; another unit's item is "not found". */
export async function itemFor(db: Kysely<Database>, actor: Actor, id: number): Promise<ContentItem> {
  const item = await getItem(db, id);
  requireUnit(actor, item.unitId, 'nội dung', id);
  return item;
}

export async function listItemsFor(
  db: Kysely<Database>,
  actor: Actor,
  filter: ItemFilter = {},
): Promise<ContentItem[]> {
  const scope = unitScope(actor);
  if (scope !== undefined && filter.unitId !== undefined && filter.unitId !== scope) return [];
  return listItems(db, { ...filter, unitId: scope ?? filter.unitId });
}

/** Officers write only for their own unit; the unit of each row is checked before anything is stored. */
async function checkWritableUnit(db: Kysely<Database>, actor: Actor, unit: string, field: string): Promise<void> {
  if (actor.role === 'admin') return;
  const found = await getUnit(db, unit).catch((error: unknown) => {
    if (error instanceof NotFoundError) throw new ValidationError(field, `đơn vị "${unit}" chưa có trong Loa`);
    throw error;
  });
  if (found.id !== actor.unitId)
    throw new ValidationError(field, `chỉ được viết nội dung cho đơn vị của mình (${actor.unitId})`);
}

export async function addItemsAs(
  db: Kysely<Database>,
  actor: Actor,
  inputs: ContentItemInput[],
  where: (i: number) => string = () => '',
  onProgress?: (done: number) => void,
): Promise<ContentItem[]> {
  requireRole(actor, 'officer', 'viết nội dung');
  for (const [i, input] of inputs.entries())
    await checkWritableUnit(db, actor, input.unit, [where(i), 'unit'].filter(Boolean).join('.'));
  const created = await addItems(db, inputs, actor.name, where, onProgress);
  for (const item of created) await recordAudit(db, actor, 'item.add', item.id, item.unitId, { title: item.title });
  return created;
}

/**
 * The rows of an items file: all or nothing, and idempotent: a row already imported (same content, same unit) is
 * found, not added again, so importing the same file twice adds nothing the second time.
 */
export async function importItemsAs(
  db: Kysely<Database>,
  actor: Actor,
  inputs: ContentItemInput[],
  where: (i: number) => string = () => '',
  onProgress?: (done: number) => void,
): Promise<{ created: ContentItem[]; existing: ContentItem[] }> {
  requireRole(actor, 'officer', 'viết nội dung');
  for (const [i, input] of inputs.entries())
    await checkWritableUnit(db, actor, input.unit, [where(i), 'unit'].filter(Boolean).join('.'));
  const { created, existing } = await addItemsOnce(
    db,
    inputs.map((input) => ({ ...input, originKey: importOrigin(input) })),
    actor.name,
    where,
    onProgress,
  );
  for (const item of created)
    await recordAudit(db, actor, 'item.add', item.id, item.unitId, { title: item.title, imported: true });
  return { created, existing };
}

export async function editItemAs(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  patch: ContentItemPatch,
): Promise<ContentItem> {
  requireRole(actor, 'officer', 'sửa nội dung');
  const before = await itemFor(db, actor, id);
  if (patch.unit !== undefined) await checkWritableUnit(db, actor, patch.unit, 'unit');
  const item = await editItem(db, id, patch, actor.name);
  await recordAudit(db, actor, 'item.edit', id, before.unitId, {
    fields: Object.keys(patch),
    approvalWithdrawn: before.approvedAt !== null,
  });
  return item;
}

/**
 * Four-eyes approval: a supervisor of the item's unit who is not its author. With `requeue`, publications that
 * expired while the item waited are queued again (now); without it they stay expired.
 */
export async function approveAs(
  db: Kysely<Database>,
  actor: Actor,
  id: number,
  options: { requeue?: boolean } = {},
): Promise<{ item: ContentItem; requeued: string[]; expired: string[] }> {
  const before = await getItem(db, id);
  checkApprover(actor, before);
  const item = await approveItem(db, id, actor.name);
  const expired = (await listPublications(db, { itemId: id, states: ['expired'] })).map((p) => p.id);
  const requeued: string[] = [];
  if (options.requeue) {
    for (const publicationId of expired) {
      // Back to scheduled: the scheduler gives it a fresh job as newly owed (a queued one would wait for a full re-check).
      await movePublication(db, publicationId, 'scheduled', `${actor.name} duyệt muộn và cho đăng lại`);
      requeued.push(publicationId);
    }
  }
  await recordAudit(db, actor, 'item.approve', id, item.unitId, { requeued });
  return { item, requeued, expired: expired.filter((e) => !requeued.includes(e)) };
}

export async function rejectAs(db: Kysely<Database>, actor: Actor, id: number, reason: string): Promise<ContentItem> {
  const text = checkTypedText('reason', reason, 2000, 'cần ghi lý do trả lại để người viết biết sửa gì');
  const before = await getItem(db, id);
  requireUnit(actor, before.unitId, 'nội dung', id);
  requireRole(actor, 'supervisor', 'trả lại nội dung');
  if (sameName(actor.name, before.author))
    throw new AccessError('không tự trả lại nội dung của chính mình; hãy sửa nó');
  const item = await rejectItem(db, id, actor.name, text);
  await recordAudit(db, actor, 'item.reject', id, item.unitId, { reason: text });
  return item;
}

export interface WithdrawalResult extends Withdrawal {
  /** Withdrawn posts still up where they were published (an outside platform, a script Loa could not delete). */
  removeByHand: LeftStanding[];
}

/**
 * An officer of the item's unit takes it back, with a reason: what is not sent is cancelled, what is published is
 * marked withdrawn (kept in the log, with who and why) and taken down where it is Loa's own: off the feed and the
 * post pages, a station's script and programme rewritten without it. The database is marked first, then the
 * adapters take down: a take-down that fails never undoes the withdrawal, and nothing rebuilt from the database
 * brings the post back. What stays up (outside platforms, a failed take-down) is listed for a person to remove.
 */
export async function withdrawAs(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  id: number,
  reason: string,
): Promise<WithdrawalResult> {
  const text = checkTypedText('reason', reason, 2000, 'cần ghi lý do rút nội dung (ví dụ: thông tin đã thay đổi)');
  const before = await itemFor(db, actor, id);
  requireRole(actor, 'officer', 'rút nội dung');
  const result = await withdrawItem(db, id, actor.name, text);
  const removeByHand = await takeDownWithdrawn(db, adapters, result.withdrawn, result.cancelled);
  await recordAudit(db, actor, 'item.withdraw', id, before.unitId, {
    reason: text,
    cancelled: result.cancelled.map((p) => p.id),
    withdrawn: result.withdrawn.map((p) => p.id),
    inFlight: result.inFlight.map((p) => p.id),
    removeByHand: removeByHand.map((l) => l.publication.id),
  });
  return { ...result, removeByHand };
}
