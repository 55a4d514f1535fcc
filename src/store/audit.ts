import type { Kysely } from 'kysely';

import type { Actor, Source } from '../domain/access';
import type { AuditAction } from '../domain/audit';
import type { Database } from './schema';

/** One change in the audit trail: who, from where, what, on what, when. Nothing updates or deletes these rows. */
export interface AuditEntry {
  id: number;
  at: Date;
  actor: string;
  source: Source;
  unitId: string | null;
  action: string;
  subject: string;
  detail: Record<string, unknown> | null;
}

export async function recordAudit(
  db: Kysely<Database>,
  actor: Actor,
  action: AuditAction,
  subject: string | number,
  unitId: string | null,
  detail?: Record<string, unknown>,
  at = new Date(),
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: at.toISOString(),
      actor: actor.name,
      source: actor.source,
      unit_id: unitId,
      action,
      subject: String(subject),
      detail: detail ? JSON.stringify(detail) : null,
    })
    .execute();
}

export interface AuditFilter {
  unitId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  /** Entries skipped before the first returned (paging). */
  offset?: number;
}

/** Province-wide rows a unit's reader sees: what stopped or restarted its publishing. */
export const PROVINCE_WIDE_ACTIONS = ['publishing.pause', 'publishing.resume'];

function auditWhere(db: Kysely<Database>, filter: AuditFilter) {
  let query = db.selectFrom('audit_log');
  if (filter.unitId !== undefined)
    query = query.where((eb) =>
      eb.or([
        eb('unit_id', '=', filter.unitId!),
        // Of the province-wide rows, only those that hold every unit (a province pause): never admins' sign-ins,
        // other units' plan updates or account changes.
        eb.and([eb('unit_id', 'is', null), eb('action', 'in', PROVINCE_WIDE_ACTIONS)]),
      ]),
    );
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', filter.from.toISOString());
  if (filter.to) query = query.where('at', '<', filter.to.toISOString());
  return query;
}

/** How many entries the filter keeps (limit and offset aside). */
export async function countAudit(db: Kysely<Database>, filter: AuditFilter = {}): Promise<number> {
  const row = await auditWhere(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Newest first. A unit filter also shows the province-wide pauses (unit null) that held the unit. */
export async function readAudit(db: Kysely<Database>, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  const rows = await auditWhere(db, filter)
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit ?? 500)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    at: new Date(r.at),
    actor: r.actor,
    source: r.source as Source,
    unitId: r.unit_id,
    action: r.action,
    subject: r.subject,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  }));
}
