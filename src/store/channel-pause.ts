import type { Kysely } from 'kysely';

import { NotFoundError } from '../domain/errors';
import { PENDING_STATES } from '../domain/publication';
import type { Database } from './schema';

/** Why and since when a channel waits. */
export interface ChannelPause {
  since: Date;
  reason: string;
  by: string | null;
}

/**
 * Pauses a channel: its due publications wait (the worker delays their jobs) instead of failing one by one.
 * The first pause is kept (its reason is the cause; later failures of the same kind only repeat it).
 * `credentialsReadBefore`: the failure came from a call that began then; if a person (or a rotation) has set the
 * channel's secret since, the failure is about the old secret and pausing would hold up a channel that now works.
 * Returns true if this call paused it.
 */
export async function pauseChannel(
  db: Kysely<Database>,
  channelId: string,
  reason: string,
  by: string,
  now = new Date(),
  credentialsReadBefore?: Date,
): Promise<boolean> {
  let update = db
    .updateTable('channels')
    .set({ paused_at: now.toISOString(), paused_reason: reason, paused_by: by })
    .where('id', '=', channelId)
    .where('paused_at', 'is', null);
  if (credentialsReadBefore) {
    update = update.where((eb) =>
      eb.or([eb('secret_set_at', 'is', null), eb('secret_set_at', '<=', credentialsReadBefore.toISOString())]),
    );
  }
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Resumes a paused channel; returns true if it was paused. */
export async function resumeChannel(db: Kysely<Database>, channelId: string): Promise<boolean> {
  const exists = await db.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst();
  if (!exists) throw new NotFoundError('kênh', channelId);
  const result = await db
    .updateTable('channels')
    .set({ paused_at: null, paused_reason: null, paused_by: null })
    .where('id', '=', channelId)
    .where('paused_at', 'is not', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function channelPause(db: Kysely<Database>, channelId: string): Promise<ChannelPause | null> {
  const row = await db
    .selectFrom('channels')
    .select(['paused_at', 'paused_reason', 'paused_by'])
    .where('id', '=', channelId)
    .executeTakeFirst();
  if (!row?.paused_at) return null;
  return { since: new Date(row.paused_at), reason: row.paused_reason ?? '', by: row.paused_by };
}

/** Paused channels with how many of their publications are waiting, for `loa doctor`. */
export async function listPausedChannels(
  db: Kysely<Database>,
): Promise<Array<ChannelPause & { channelId: string; waiting: number }>> {
  const rows = await db
    .selectFrom('channels as c')
    .leftJoin('publications as p', (join) =>
      join.onRef('p.channel_id', '=', 'c.id').on('p.state', 'in', PENDING_STATES),
    )
    .select([
      'c.id',
      'c.paused_at',
      'c.paused_reason',
      'c.paused_by',
      (eb) => eb.fn.count<string | number>('p.id').as('waiting'),
    ])
    .where('c.paused_at', 'is not', null)
    .groupBy(['c.id', 'c.paused_at', 'c.paused_reason', 'c.paused_by'])
    .orderBy('c.id')
    .execute();
  return rows.map((r) => ({
    channelId: r.id,
    since: new Date(r.paused_at!),
    reason: r.paused_reason ?? '',
    by: r.paused_by,
    waiting: Number(r.waiting),
  }));
}

/** Pending publications of a channel that are due by `now`: the ones a resume should wake. */
export async function dueWaitingPublications(
  db: Kysely<Database>,
  channelId: string,
  now = new Date(),
): Promise<string[]> {
  const rows = await db
    .selectFrom('publications')
    .select('id')
    .where('channel_id', '=', channelId)
    .where('state', 'in', PENDING_STATES)
    .where('scheduled_at', '<=', now.toISOString())
    .execute();
  return rows.map((r) => r.id);
}

/** Per channel: paused (with reason) and whether a secret is stored; never the secret itself. */
export async function channelStatuses(
  db: Kysely<Database>,
): Promise<Map<string, { pausedReason: string | null; hasSecret: boolean }>> {
  const rows = await db
    .selectFrom('channels')
    .select([
      'id',
      'paused_reason',
      'paused_at',
      (eb) => eb.case().when('secret', 'is not', null).then(1).else(0).end().as('has_secret'),
    ])
    .execute();
  return new Map(
    rows.map((r) => [
      r.id,
      { pausedReason: r.paused_at ? (r.paused_reason ?? '') : null, hasSecret: Number(r.has_secret) === 1 },
    ]),
  );
}
