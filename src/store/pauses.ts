import type { Kysely } from 'kysely';

import { StateError } from '../domain/errors';
import { PENDING_STATES } from '../domain/publication';
import type { Database, Row } from './schema';

/** An emergency pause: nothing of its scope is published while it is active. `unitId` null = the whole province. */
export interface Pause {
  id: number;
  unitId: string | null;
  reason: string;
  pausedBy: string;
  pausedAt: Date;
}

function toPause(row: Row<'publishing_pauses'>): Pause {
  return {
    id: row.id,
    unitId: row.unit_id,
    reason: row.reason,
    pausedBy: row.paused_by,
    pausedAt: new Date(row.paused_at),
  };
}

/** Of the active pauses that cover a unit, the one that holds it: the province's first. */
function holdingOf(rows: Row<'publishing_pauses'>[]): Pause | null {
  const province = rows.find((r) => r.unit_id === null);
  return province ? toPause(province) : rows[0] ? toPause(rows[0]) : null;
}

export async function activePauses(db: Kysely<Database>): Promise<Pause[]> {
  const rows = await db
    .selectFrom('publishing_pauses')
    .selectAll()
    .where('resumed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toPause);
}

/** The pause that holds this unit's publishing (the province's first), or null. Read on every job: one indexed query. */
export async function isPublishingPaused(db: Kysely<Database>, unitId: string): Promise<Pause | null> {
  const rows = await db
    .selectFrom('publishing_pauses')
    .selectAll()
    .where('resumed_at', 'is', null)
    .where((eb) => eb.or([eb('unit_id', 'is', null), eb('unit_id', '=', unitId)]))
    .orderBy('unit_id')
    .execute();
  return holdingOf(rows);
}

export async function pausePublishing(
  db: Kysely<Database>,
  unitId: string | null,
  reason: string,
  by: string,
  now = new Date(),
): Promise<Pause> {
  return db.transaction().execute(async (tx) => {
    let existing = tx.selectFrom('publishing_pauses').select('id').where('resumed_at', 'is', null);
    existing = unitId === null ? existing.where('unit_id', 'is', null) : existing.where('unit_id', '=', unitId);
    if (await existing.executeTakeFirst())
      throw new StateError(
        unitId === null ? 'toàn tỉnh đang tạm dừng đăng bài rồi' : `đơn vị ${unitId} đang tạm dừng đăng bài rồi`,
      );
    const row = await tx
      .insertInto('publishing_pauses')
      .values({ unit_id: unitId, reason, paused_by: by, paused_at: now.toISOString() })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPause(row);
  });
}

export async function resumePublishing(
  db: Kysely<Database>,
  unitId: string | null,
  by: string,
  now = new Date(),
): Promise<Pause> {
  let query = db
    .updateTable('publishing_pauses')
    .set({ resumed_by: by, resumed_at: now.toISOString() })
    .where('resumed_at', 'is', null);
  query = unitId === null ? query.where('unit_id', 'is', null) : query.where('unit_id', '=', unitId);
  const row = await query.returningAll().executeTakeFirst();
  if (!row) throw new StateError(unitId === null ? 'toàn tỉnh không tạm dừng' : `đơn vị ${unitId} không tạm dừng`);
  return toPause(row);
}

/** Publications that fell due while a pause holds them: they wait, visibly, for the resume (or to be dropped). */
export async function heldPublications(
  db: Kysely<Database>,
  unitId: string | null,
  now = new Date(),
): Promise<Array<{ id: string; unitId: string; scheduledAt: Date }>> {
  let query = db
    .selectFrom('publications as p')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .select(['p.id', 'c.unit_id', 'p.scheduled_at'])
    .where('p.state', 'in', PENDING_STATES)
    .where('p.scheduled_at', '<=', now.toISOString())
    .orderBy('p.scheduled_at');
  if (unitId !== null) query = query.where('c.unit_id', '=', unitId);
  return (await query.execute()).map((r) => ({ id: r.id, unitId: r.unit_id, scheduledAt: new Date(r.scheduled_at) }));
}
