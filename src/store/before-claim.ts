import { type Kysely, sql } from 'kysely';

import { hotQuery } from './hot-query';
import type { Database } from './schema';

/** What the worker reads before it claims a publication (worker/pause-gate.ts, worker/channel-gate.ts), in one query. */
export interface BeforeClaim {
  state: string;
  channelId: string;
  platform: string;
  /** The channel's settings, as stored (JSON). */
  settings: string;
  pausedAt: string | null;
  pausedReason: string | null;
  /** The emergency pause holding the publication's unit, the province's first: null when none is in force. */
  pause: { unitId: string | null; reason: string } | null;
}

const beforeClaimQuery = hotQuery((db, p: { id: string }) =>
  db
    .selectFrom('publications as p')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .leftJoin('publishing_pauses as pp', (join) =>
      join
        .on('pp.resumed_at', 'is', null)
        .on((eb) => eb.or([eb('pp.unit_id', 'is', null), eb('pp.unit_id', '=', eb.ref('c.unit_id'))])),
    )
    .select([
      'p.state',
      'c.id as channel_id',
      'c.platform',
      'c.settings',
      'c.paused_at',
      'c.paused_reason',
      'pp.id as pause_id',
      'pp.unit_id as pause_unit',
      'pp.reason as pause_reason',
    ])
    .where('p.id', '=', p.id)
    // The province's pause first (its unit is null), then by age: the one a person sees named.
    .orderBy(sql`pp.unit_id is null`, 'desc')
    .orderBy('pp.id'),
);

/**
 * The publication's state, its channel (pause, platform, settings) and the emergency pause over its unit or the
 * province, read in one statement where the two gates read two. Null: no such publication.
 */
export async function readBeforeClaim(db: Kysely<Database>, publicationId: string): Promise<BeforeClaim | null> {
  const { rows } = await beforeClaimQuery(db, { id: publicationId });
  const first = rows[0];
  if (!first) return null;
  return {
    state: first.state,
    channelId: first.channel_id,
    platform: first.platform,
    settings: first.settings,
    pausedAt: first.paused_at,
    pausedReason: first.paused_reason,
    pause: first.pause_id === null ? null : { unitId: first.pause_unit, reason: first.pause_reason! },
  };
}
