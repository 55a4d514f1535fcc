import type { Kysely } from 'kysely';

import { type Actor, requireRole, requireUnit } from '../domain/access';
import { ValidationError } from '../domain/errors';
import { recordAudit } from '../store/audit';
import { activePauses, heldPublications, type Pause, pausePublishing, resumePublishing } from '../store/pauses';
import { movePublication } from '../store/publications';
import type { Database } from '../store/schema';
import { getUnit } from '../store/units';

/**
 * Emergency pause: an admin pauses the whole province (unit null) or any unit, a supervisor their own unit.
 * Workers read it before every claim, so it holds across every worker at once; publications that fall due
 * meanwhile wait in their queue state and show up as held.
 */
async function scopeFor(db: Kysely<Database>, actor: Actor, unit: string | null | undefined): Promise<string | null> {
  if (unit === null || unit === undefined || unit === '') {
    if (actor.role === 'admin') return null;
    requireRole(actor, 'supervisor', 'tạm dừng đăng bài');
    return actor.unitId;
  }
  const found = await getUnit(db, unit);
  requireUnit(actor, found.id, 'đơn vị', unit);
  requireRole(actor, 'supervisor', 'tạm dừng đăng bài');
  return found.id;
}

export async function pauseAs(
  db: Kysely<Database>,
  actor: Actor,
  unit: string | null | undefined,
  reason: string,
): Promise<Pause> {
  const text = reason.normalize('NFC').trim();
  if (!text) throw new ValidationError('reason', 'cần ghi lý do tạm dừng (ví dụ: ngày quốc tang, bài đăng sai)');
  if (text.length > 2000) throw new ValidationError('reason', 'dài quá 2000 ký tự');
  const unitId = await scopeFor(db, actor, unit);
  const pause = await pausePublishing(db, unitId, text, actor.name);
  await recordAudit(db, actor, 'publishing.pause', unitId ?? 'toàn tỉnh', unitId, { reason: text });
  return pause;
}

/**
 * Lifts the pause. What is still wanted goes out at once (the jobs were only delayed); the publications listed in
 * `drop` (ones that fell due during the pause and should not go out late) are cancelled first.
 */
export async function resumeAs(
  db: Kysely<Database>,
  actor: Actor,
  unit: string | null | undefined,
  drop: string[] = [],
): Promise<{ pause: Pause; dropped: string[] }> {
  const unitId = await scopeFor(db, actor, unit);
  const held = await heldPublications(db, unitId);
  const heldIds = new Set(held.map((h) => h.id));
  for (const id of drop)
    if (!heldIds.has(id))
      throw new ValidationError('drop', `bài đăng ${id} không nằm trong số bài đang chờ vì tạm dừng`);
  for (const id of drop)
    await movePublication(db, id, 'cancelled', `bỏ khi tiếp tục đăng sau tạm dừng (${actor.name})`);
  const pause = await resumePublishing(db, unitId, actor.name);
  await recordAudit(db, actor, 'publishing.resume', unitId ?? 'toàn tỉnh', unitId, { dropped: drop });
  return { pause, dropped: drop };
}

/** Active pauses the actor is concerned by, and what each holds. */
export async function pauseStatusFor(db: Kysely<Database>, actor: Actor): Promise<Array<Pause & { held: string[] }>> {
  const pauses = (await activePauses(db)).filter(
    (p) => p.unitId === null || actor.role === 'admin' || p.unitId === actor.unitId,
  );
  const result = [];
  for (const pause of pauses) {
    const held = await heldPublications(db, pause.unitId ?? (actor.role === 'admin' ? null : actor.unitId));
    result.push({ ...pause, held: held.map((h) => h.id) });
  }
  return result;
}
