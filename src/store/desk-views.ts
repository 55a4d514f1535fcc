import { type Kysely, sql } from 'kysely';

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

/** A calendar period's shown posts: the first ones of each local day, and how many each day has in all. */
export interface CalendarDays {
  /** At most `perDay` a day, in time order. */
  entries: CalendarEntry[];
  /** Posts of each local day (ISO date in Vietnam, e.g. 2026-12-07) in the period, shown or not. */
  dayTotals: Map<string, number>;
  total: number;
}

/** Vietnam's offset: UTC+7 all year, no daylight saving (see domain/time.ts). */
const LOCAL_OFFSET_MS = 7 * 3600 * 1000;
/** The local date of a UTC instant, e.g. 2026-12-07. */
const localDate = (at: Date) => new Date(at.getTime() + LOCAL_OFFSET_MS).toISOString().slice(0, 10);

/**
 * The publications the filter keeps in a period, as keys: the unit and area filters are subqueries, so a month is
 * read from the index of publications by channel and time (migration 0026), never a row of an item.
 */
function inPeriod(db: Kysely<Database>, filter: CalendarFilter) {
  let query = db
    .selectFrom('publications as p')
    .where('p.scheduled_at', '>=', filter.from.toISOString())
    .where('p.scheduled_at', '<', filter.to.toISOString());
  if (filter.channelId) query = query.where('p.channel_id', '=', filter.channelId);
  if (filter.unitId)
    query = query.where(
      'p.channel_id',
      'in',
      db.selectFrom('channels').select('id').where('unit_id', '=', filter.unitId),
    );
  if (filter.areaKey)
    query = query.where(
      'p.item_id',
      'in',
      db.selectFrom('content_items').select('id').where('area_key', '=', filter.areaKey),
    );
  return query;
}

/**
 * The calendar of a period: each local day's first `perDay` posts with what the calendar shows, and each day's count.
 * The database numbers each day's posts and counts them (window functions over the period's keys) and only the shown
 * ones are joined to their item and channel: a province's month is 3,000 posts, of which a month view shows ~120.
 * The local day of a stored UTC time (fixed-width ISO text) is its UTC date, or the next one from 17:00 UTC on
 * (Vietnam is UTC+7 all year): two substrings, the same in SQLite and PostgreSQL.
 */
export async function listCalendarDays(
  db: Kysely<Database>,
  filter: CalendarFilter,
  perDay: number,
): Promise<CalendarDays> {
  const day = sql`substr(p.scheduled_at, 1, 10), substr(p.scheduled_at, 12, 2) >= '17'`;
  const numbered = inPeriod(db, filter).select([
    'p.id',
    sql<number>`row_number() over (partition by ${day} order by p.scheduled_at, p.id)`.as('n'),
    sql<number>`count(*) over (partition by ${day})`.as('day_total'),
  ]);
  const shown = await db
    .selectFrom(numbered.as('k'))
    .innerJoin('publications as p', 'p.id', 'k.id')
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
      'k.day_total',
    ])
    .where('k.n', '<=', perDay)
    .orderBy('p.scheduled_at')
    .orderBy('p.id')
    .execute();
  const dayTotals = new Map<string, number>();
  const entries = shown.map((r) => {
    const scheduledAt = new Date(r.scheduled_at);
    dayTotals.set(localDate(scheduledAt), Number(r.day_total));
    return {
      publicationId: r.id,
      scheduledAt,
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
    };
  });
  let total = 0;
  for (const n of dayTotals.values()) total += n;
  return { entries, dayTotals, total };
}

/**
 * The content areas and platforms that have a post in the period, cancelled ones aside: what the calendar compares
 * with what the year's plans call for.
 */
export async function calendarCoverage(
  db: Kysely<Database>,
  filter: CalendarFilter,
): Promise<{ areaKeys: Set<string>; platforms: Set<string> }> {
  const live = inPeriod(db, filter).where('p.state', '!=', 'cancelled');
  const [areas, channels] = await Promise.all([
    db.selectFrom('content_items').select('area_key').distinct().where('id', 'in', live.select('p.item_id')).execute(),
    db.selectFrom('channels').select('platform').distinct().where('id', 'in', live.select('p.channel_id')).execute(),
  ]);
  return {
    areaKeys: new Set(areas.map((a) => a.area_key)),
    platforms: new Set(channels.map((c) => c.platform)),
  };
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
