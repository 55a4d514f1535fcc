import { AccessError, NotFoundError, ValidationError } from './errors';

/**
 * Roles, narrowest first: an officer writes and queues the items of their unit; a supervisor also approves them
 * and reads the unit's audit trail; an admin manages units, channels and users province-wide.
 */
export const ROLES = ['officer', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  officer: 'cán bộ',
  supervisor: 'lãnh đạo duyệt bài',
  admin: 'quản trị',
};

/** Where a change came from, as the audit trail says it. */
export type Source = 'CLI' | 'API' | 'browser';

/** The person acting, as every action sees them. The CLI acts as an admin named by --as (whoever opens the database holds everything). */
export interface Actor {
  name: string;
  role: Role;
  /** null only for an admin without a unit (province-wide). */
  unitId: string | null;
  source: Source;
}

export function atLeast(actor: Actor, role: Role): boolean {
  return ROLES.indexOf(actor.role) >= ROLES.indexOf(role);
}

/** Refuses with 403 when the role is too narrow. */
export function requireRole(actor: Actor, role: Role, doing: string): void {
  if (!atLeast(actor, role))
    throw new AccessError(`${ROLE_LABELS[actor.role]} không được ${doing}; cần quyền ${ROLE_LABELS[role]}`);
}

/** Whether the actor may see things of this unit: an admin sees all, everyone else only their own unit. */
export function seesUnit(actor: Actor, unitId: string): boolean {
  return actor.role === 'admin' || actor.unitId === unitId;
}

/**
 * Another unit's things are "not found", never "forbidden": whether they exist is not the actor's business.
 * `what` and `id` are what a NotFoundError for a missing one would say, so both answers read the same.
 */
export function requireUnit(actor: Actor, unitId: string, what: string, id: string | number): void {
  if (!seesUnit(actor, unitId)) throw new NotFoundError(what, id);
}

/** The unit filter a listing gets: none for an admin, the actor's own unit otherwise. */
export function unitScope(actor: Actor): string | undefined {
  return actor.role === 'admin' ? undefined : (actor.unitId ?? '\u0000no-unit');
}

/**
 * Four-eyes: an item is approved by a supervisor of its unit (or an admin) who is not its author. Names are
 * compared as people write them (NFC, case and surrounding spaces ignored), so the rule also holds on the CLI.
 */
export function checkApprover(actor: Actor, item: { author: string; unitId: string; id: number }): void {
  requireUnit(actor, item.unitId, 'nội dung', item.id);
  requireRole(actor, 'supervisor', 'duyệt nội dung');
  if (sameName(actor.name, item.author))
    throw new AccessError(`không được tự duyệt nội dung số ${item.id} do chính mình viết; cần một người duyệt khác`);
}

export function sameName(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('vi');
  return norm(a) === norm(b);
}

export function parseRole(text: string, field: string): Role {
  if (!(ROLES as readonly string[]).includes(text))
    throw new ValidationError(field, `"${text}" không có; chọn một trong: ${ROLES.join(', ')}`);
  return text as Role;
}
