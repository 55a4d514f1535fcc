import type { Kysely } from 'kysely';

import type { Adapters } from '../../channels';
import { type Actor, requireRole, requireUnit, unitScope } from '../domain/access';
import { NotFoundError, ValidationError } from '../domain/errors';
import type { Publication } from '../domain/publication';
import { parseLocal } from '../domain/time';
import { recordAudit } from '../store/audit';
import { getChannel } from '../store/channels';
import { getItem } from '../store/items';
import { getPublication, movePublication, schedulePublications, type Slot } from '../store/publications';
import { countPublishLog, type LogEntry, type LogFilter, type LogWindow, readPublishLog } from '../store/publish-log';
import type { Database } from '../store/schema';
import { getUnit } from '../store/units';
import { refuseIfWithdrawn } from '../store/withdrawals';

/** "30s", "5m", "2h", "1d" → milliseconds. */
export function parseSpacing(text: string, field: string): number {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!m) throw new ValidationError(field, `"${text}" không hợp lệ; dùng ví dụ 30s, 5m, 2h, 1d`);
  return Number(m[1]) * { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[m[2] as 's' | 'm' | 'h' | 'd'];
}

export interface QueueRequest {
  itemIds: number[];
  channelIds: string[];
  start: Date;
  /** Between one item and the next. */
  spacingMs: number;
}

export interface QueueResult {
  created: Publication[];
  existing: string[];
  /** Items not approved yet: they expire if still unapproved when due. */
  unapproved: number[];
}

/**
 * Schedules items on channels of the actor's unit. Each channel's own rules are asked first (adapter.checkItem):
 * a publication the channel cannot take is refused now, with its reason, and nothing is stored.
 */
export async function queueAs(
  db: Kysely<Database>,
  actor: Actor,
  adapters: Adapters,
  request: QueueRequest,
): Promise<QueueResult> {
  requireRole(actor, 'officer', 'lên lịch đăng');
  if (request.itemIds.length === 0) throw new ValidationError('items', 'cần ít nhất một nội dung');
  if (request.channelIds.length === 0) throw new ValidationError('channels', 'cần ít nhất một kênh');
  const channels = [];
  for (const id of request.channelIds) {
    const channel = await getChannel(db, id);
    requireUnit(actor, channel.unitId, 'kênh', id);
    channels.push(channel);
  }
  const slots: Slot[] = [];
  const unapproved: number[] = [];
  for (const [index, itemId] of request.itemIds.entries()) {
    const item = await getItem(db, itemId);
    requireUnit(actor, item.unitId, 'nội dung', itemId);
    refuseIfWithdrawn(item);
    if (!item.approvedAt) unapproved.push(itemId);
    for (const channel of channels) {
      const refusal = adapters[channel.platform]?.checkItem?.(item, channel);
      if (refusal)
        throw new ValidationError(
          `channels.${channel.id}`,
          `kênh ${channel.id} không nhận nội dung số ${itemId}: ${refusal}`,
        );
      slots.push({
        itemId,
        channelId: channel.id,
        scheduledAt: new Date(request.start.getTime() + index * request.spacingMs),
      });
    }
  }
  const { created, existing } = await schedulePublications(db, slots, actor.name);
  for (const p of created)
    await recordAudit(db, actor, 'publication.queue', p.id, channels.find((c) => c.id === p.channelId)!.unitId, {
      at: p.scheduledAt.toISOString(),
    });
  return { created, existing, unapproved };
}

/** A publication the actor may see (through its channel's unit); another unit's is "not found". */
export async function publicationFor(
  db: Kysely<Database>,
  actor: Actor,
  id: string,
): Promise<{ publication: Publication; unitId: string }> {
  const publication = await getPublication(db, id);
  const channel = await getChannel(db, publication.channelId);
  requireUnit(actor, channel.unitId, 'bài đăng', id);
  return { publication, unitId: channel.unitId };
}

export async function cancelAs(db: Kysely<Database>, actor: Actor, id: string, reason?: string): Promise<Publication> {
  const { unitId } = await publicationFor(db, actor, id);
  requireRole(actor, 'officer', 'hủy bài đăng');
  const moved = await movePublication(
    db,
    id,
    'cancelled',
    reason ? `hủy bởi ${actor.name}: ${reason}` : `hủy bởi ${actor.name}`,
  );
  await recordAudit(db, actor, 'publication.cancel', id, unitId, reason ? { reason } : undefined);
  return moved;
}

export async function retryAs(db: Kysely<Database>, actor: Actor, id: string): Promise<Publication> {
  const { publication, unitId } = await publicationFor(db, actor, id);
  requireRole(actor, 'officer', 'cho đăng lại');
  refuseIfWithdrawn(await getItem(db, publication.itemId));
  // Back to scheduled: the scheduler gives it a fresh job (replacing the finished one) as newly owed.
  const moved = await movePublication(db, id, 'scheduled', `${actor.name} cho đăng lại`);
  await recordAudit(db, actor, 'publication.retry', id, unitId);
  return moved;
}

/** The publish log, limited to the actor's unit unless an admin. */
export async function readLogFor(
  db: Kysely<Database>,
  actor: Actor,
  filter: LogFilter,
  window: LogWindow = {},
): Promise<LogEntry[]> {
  const scope = unitScope(actor);
  if (scope !== undefined && filter.unitId !== undefined && filter.unitId !== scope) return [];
  return readPublishLog(db, { ...filter, unitId: scope ?? filter.unitId }, window);
}

/** How many lines of the publish log the actor's filter keeps (for a paged list's count). */
export async function countLogFor(db: Kysely<Database>, actor: Actor, filter: LogFilter): Promise<number> {
  const scope = unitScope(actor);
  if (scope !== undefined && filter.unitId !== undefined && filter.unitId !== scope) return 0;
  return countPublishLog(db, { ...filter, unitId: scope ?? filter.unitId });
}

/** A unit filter as a person gives it (id or name, any case) → its id; an unknown unit is bad input, not an empty log. */
export async function unitFilter(
  db: Kysely<Database>,
  text: string | undefined,
  field: string,
): Promise<string | undefined> {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return (await getUnit(db, text)).id;
  } catch (error) {
    if (error instanceof NotFoundError)
      throw new ValidationError(field, `đơn vị "${text}" chưa có trong Loa (xem: loa units)`);
    throw error;
  }
}

/** The log's period (local times typed by a person); a start after the end is refused in one sentence. */
export function logPeriod(
  from: string | undefined,
  to: string | undefined,
  fromField: string,
  toField: string,
): { from?: Date; to?: Date } {
  const start = from ? parseLocal(from, fromField) : undefined;
  const end = to ? parseLocal(to, toField) : undefined;
  if (start && end && start > end)
    throw new ValidationError(fromField, `"${from}" ở sau ${toField} "${to}": hãy đổi chỗ hai ngày`);
  return { from: start, to: end };
}
