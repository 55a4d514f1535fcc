import type { Kysely } from 'kysely';

import type { StructuredPlan } from '../domain/plan';
import type { PublicationState } from '../domain/publication';
import type { Database } from './schema';

/** One publication as the calendar shows it. */
export interface CalendarEntry {
  publicationId: string;
  scheduledAt: Date;
  state: PublicationState;
  channelId: string;
  channelName: string;
  platform: string;
  unitId: string;
  areaKey: string;
  itemId: number;
  title: string;
  /** A published post taken down: who and why; null otherwise. */
  withdrawnBy: string | null;
  withdrawalReason: string | null;
}

export interface CalendarFilter {
  /** UTC instants, `to` exclusive. */
  from: Date;
  to: Date;
  channelId?: string;
  areaKey?: string;
  unitId?: string;
}

/** Publications scheduled in a period, with what the calendar needs, in time order. */
export async function listCalendar(db: Kysely<Database>, filter: CalendarFilter): Promise<CalendarEntry[]> {
  let query = db
    .selectFrom('publications as p')
    .innerJoin('content_items as i', 'i.id', 'p.item_id')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .select([
      'p.id',
      'p.scheduled_at',
      'p.state',
      'p.channel_id',
      'c.name as channel_name',
      'c.platform',
      'c.unit_id',
      'i.area_key',
      'i.id as item_id',
      'i.title',
      'p.withdrawn_by',
      'p.withdrawal_reason',
    ])
    .where('p.scheduled_at', '>=', filter.from.toISOString())
    .where('p.scheduled_at', '<', filter.to.toISOString())
    .orderBy('p.scheduled_at')
    .orderBy('p.id');
  if (filter.channelId) query = query.where('p.channel_id', '=', filter.channelId);
  if (filter.areaKey) query = query.where('i.area_key', '=', filter.areaKey);
  if (filter.unitId) query = query.where('c.unit_id', '=', filter.unitId);
  const rows = await query.execute();
  return rows.map((r) => ({
    publicationId: r.id,
    scheduledAt: new Date(r.scheduled_at),
    state: r.state as PublicationState,
    channelId: r.channel_id,
    channelName: r.channel_name,
    platform: r.platform,
    unitId: r.unit_id,
    areaKey: r.area_key,
    itemId: r.item_id,
    title: r.title,
    withdrawnBy: r.withdrawn_by,
    withdrawalReason: r.withdrawal_reason,
  }));
}

/** What the plans of a year call for: their content areas and the platforms Loa publishes to. */
export async function planDemands(
  db: Kysely<Database>,
  year: number,
): Promise<{ areaKeys: string[]; platforms: string[] }> {
  const plans = await db.selectFrom('plans').select(['id', 'structure']).where('year', '=', year).execute();
  const areas = plans.length
    ? await db
        .selectFrom('plan_areas')
        .select('area_key')
        .distinct()
        .where(
          'plan_id',
          'in',
          plans.map((p) => p.id),
        )
        .execute()
    : [];
  const platforms = new Set<string>();
  for (const plan of plans) {
    for (const channel of (JSON.parse(plan.structure) as StructuredPlan).channels)
      if (channel.platform) platforms.add(channel.platform);
  }
  return { areaKeys: areas.map((a) => a.area_key).sort(), platforms: [...platforms].sort() };
}
