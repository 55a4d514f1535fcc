import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';

import { type Actor, requireRole, requireUnit, unitScope } from '../domain/access';
import type { Platform } from '../domain/channel';
import { AccessError, ValidationError } from '../domain/errors';
import { LOCAL_ZONE } from '../domain/time';
import type { ProposedCalendar } from '../importer';
import type { AuditEntry } from '../store/audit';
import { recordAudit } from '../store/audit';
import { type AuditFilter, countAudit, readAudit } from '../store/audit';
import { listChannels } from '../store/channels';
import { linkItemActivities } from '../store/item-activities';
import { addItemsOnce } from '../store/items';
import { type PlanImport, type SaveOutcome, savePlan, type StoredPlan, unknownUnits } from '../store/plans';
import { schedulePublications, type Slot } from '../store/publications';
import type { Database } from '../store/schema';
import { getUnit } from '../store/units';

/** A day a person typed (01/06/2026 or 2026-06-01), in Vietnam's zone, as an ISO date. */
export function isoDay(text: string, field: string): string {
  const day = DateTime.fromFormat(text, 'd/L/yyyy', { zone: LOCAL_ZONE });
  const parsed = day.isValid ? day : DateTime.fromISO(text, { zone: LOCAL_ZONE });
  if (!parsed.isValid)
    throw new ValidationError(field, `"${text}" không phải ngày hợp lệ (dùng 01/06/2026 hoặc 2026-06-01)`);
  return parsed.toISODate()!;
}

/** A calendar period typed by a person, as ISO days; the end before the start is refused in one sentence. */
export function calendarPeriod(
  from: string,
  to: string,
  fromField: string,
  toField: string,
): { from: string; to: string } {
  const period = { from: isoDay(from, fromField), to: isoDay(to, toField) };
  if (period.from > period.to)
    throw new ValidationError(fromField, `"${from}" ở sau ${toField} "${to}": hãy đổi chỗ hai ngày`);
  return period;
}

/**
 * Only the unit that imported a plan may replace it with a changed version (its officers, supervisors), and admins;
 * anyone else gets a refusal naming the owner, so a copy edited by another unit cannot rewrite a province plan.
 */
export function checkPlanOwner(actor: Actor, plan: StoredPlan): void {
  if (actor.role === 'admin') return;
  if (plan.importedUnit !== null && plan.importedUnit === actor.unitId) return;
  const owner = plan.importedUnit ? `đơn vị ${plan.importedUnit}` : 'quản trị viên';
  throw new AccessError(
    `kế hoạch số ${plan.id} (${plan.code ?? plan.title}) do ${owner} nhập; chỉ ${owner === 'quản trị viên' ? owner : `cán bộ của ${owner} hoặc quản trị viên`} được cập nhật nó`,
  );
}

export type PlanImportResult = SaveOutcome & {
  /** Units the plan names that Loa does not have: proposed for an admin to add (loa units add), never created here. */
  proposedUnits: Array<{ key: string; name: string }>;
};

/**
 * Plans are province documents: any signed-in officer may import and read them; updating one is its unit's. The
 * units a plan names (under "Nơi nhận": often near-duplicates) are proposed, not created: creating units is an admin's.
 */
export async function importPlanAs(
  db: Kysely<Database>,
  actor: Actor,
  imported: PlanImport,
): Promise<PlanImportResult> {
  requireRole(actor, 'officer', 'nhập kế hoạch');
  const outcome = await savePlan(db, imported, actor.name, {
    unitId: actor.unitId,
    mayUpdate: (earlier) => checkPlanOwner(actor, earlier),
  });
  if (outcome.kind !== 'unchanged')
    await recordAudit(
      db,
      actor,
      outcome.kind === 'created' ? 'plan.import' : 'plan.update',
      outcome.plan.id,
      outcome.plan.importedUnit,
      { source: imported.sourceName },
    );
  return { ...outcome, proposedUnits: await unknownUnits(db, imported.plan) };
}

/** The sentence every door shows about proposed units. */
export function proposedUnitsNote(units: Array<{ name: string }>): string | null {
  if (units.length === 0) return null;
  return `Kế hoạch nêu ${units.length} đơn vị chưa có trong Loa (không tự thêm): ${units.map((u) => u.name).join('; ')}. Quản trị viên thêm đơn vị cần dùng bằng "loa units add TÊN" hoặc trang Quản trị.`;
}

/**
 * Stores a calendar proposal for officers to edit: draft items (not approved: nothing goes out until a
 * supervisor approves) and their publications on the unit's channels. Platforms the unit has no channel for are
 * reported. An officer applies it only for their own unit.
 *
 * Applying again adds nothing: a draft is one plan's week for the unit (its origin key), found again if stored,
 * even edited or for an overlapping period; publication ids are (item, channel, time), so they are found too.
 * A withdrawn week's item gets no new publications.
 */
export async function applyCalendarAs(
  db: Kysely<Database>,
  actor: Actor,
  planId: number,
  proposal: ProposedCalendar,
  unitName: string,
) {
  requireRole(actor, 'officer', 'lưu lịch đề xuất');
  const unit = await getUnit(db, unitName);
  requireUnit(actor, unit.id, 'đơn vị', unitName);
  const channels = await listChannels(db);
  const own = channels.filter((c) => c.unitId === unit.id);
  // An admin's set-up may share the province's channels; an officer's publications stay on their unit's channels.
  const channelFor = (platform: Platform) =>
    own.find((c) => c.platform === platform) ??
    (actor.role === 'admin' ? channels.find((c) => c.platform === platform) : undefined);
  const { created, all } = await addItemsOnce(
    db,
    proposal.items.map((draft) => ({
      plan: planId,
      area: draft.areaKey,
      unit: unit.id,
      title: draft.title,
      body: draft.body,
      link: null,
      image: null,
      priority: 'thong-thuong' as const,
      originKey: `calendar:${planId}:${draft.week}`,
    })),
    actor.name,
  );
  const itemOf = new Map(proposal.items.map((draft, i) => [draft.id, all[i]!]));
  const missing = new Set<string>();
  const slots: Slot[] = [];
  for (const slot of proposal.slots) {
    const channel = channelFor(slot.platform);
    const item = itemOf.get(slot.itemId)!;
    if (!channel) missing.add(slot.platform);
    else if (!item.withdrawal) slots.push({ itemId: item.id, channelId: channel.id, scheduledAt: new Date(slot.at) });
  }
  const { created: publications, existing } = await schedulePublications(db, slots, actor.name);
  // Each draft carries out the plan's activities it was proposed for: the period report counts them as done once published.
  for (const draft of proposal.items) {
    if (draft.activityLabels.length)
      await linkItemActivities(db, itemOf.get(draft.id)!.id, draft.activityLabels, actor.name);
  }
  await recordAudit(db, actor, 'calendar.apply', planId, unit.id, {
    items: created.length,
    publications: publications.length,
  });
  return {
    items: created,
    publications,
    existingItems: all.length - created.length,
    existingPublications: existing.length,
    missingPlatforms: [...missing],
  };
}

/** The audit trail: supervisors read their unit's (and province-wide entries), admins everything. */
export async function readAuditFor(
  db: Kysely<Database>,
  actor: Actor,
  filter: AuditFilter = {},
): Promise<AuditEntry[]> {
  requireRole(actor, 'supervisor', 'xem nhật ký thao tác');
  const scope = unitScope(actor);
  if (scope !== undefined && filter.unitId !== undefined && filter.unitId !== scope) return [];
  return readAudit(db, { ...filter, unitId: scope ?? filter.unitId });
}

/** How many entries of the audit trail the actor's filter keeps. */
export async function countAuditFor(db: Kysely<Database>, actor: Actor, filter: AuditFilter = {}): Promise<number> {
  requireRole(actor, 'supervisor', 'xem nhật ký thao tác');
  const scope = unitScope(actor);
  if (scope !== undefined && filter.unitId !== undefined && filter.unitId !== scope) return 0;
  return countAudit(db, { ...filter, unitId: scope ?? filter.unitId });
}
