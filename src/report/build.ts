import { CONTENT_AREAS, type ContentAreaKey } from '../domain/plan';
import type { Platforms } from '../domain/platforms';
import { type PublicationState, STATE_LABELS } from '../domain/publication';
import type { ReportPeriod } from '../domain/report-period';
import { COMMUNE_KINDS } from '../domain/unit';
import type { Db } from '../store';
import { listChannels } from '../store/channels';
import { getPlan, listPlans, type StoredPlan } from '../store/plans';
import {
  activityHours,
  type FigureScope,
  latestPublications,
  otherCells,
  publishedCells,
  reachCells,
  withAggregates,
  withdrawnCells,
} from '../store/report-figures';
import { listUnitRecords, unitsAsTheyWere } from '../store/units';
import { coverageFrom, inForce, planCoverage } from './coverage';
import type { PeriodReport, ProblemRow, StateCounts, WithdrawalRow } from './report';

export interface ReportOptions {
  period: ReportPeriod;
  /** The platforms Loa publishes to (the registry in channels/: `PLATFORMS`): their names and the words plans use. */
  platforms: Platforms;
  /** Only this unit's channels (a unit id). */
  unitId?: string;
  /** Check these plans instead of the plans in force in the period. */
  planIds?: number[];
  /** Judge activities at this instant; default the period's end, or now if earlier. */
  now?: Date;
  /** How many of the latest publications to list. Default 5. */
  worst?: number;
}

const PROBLEM_STATES = ['failed', 'unconfirmed', 'expired', 'cancelled'] as const;
const PENDING = new Set(['scheduled', 'queued', 'publishing']);

function emptyCounts(): StateCounts {
  return { published: 0, withdrawn: 0, failed: 0, unconfirmed: 0, expired: 0, cancelled: 0, pending: 0 };
}

/** A grouping key → StateCounts map that keeps first-seen order. */
class Tally<T extends StateCounts> {
  readonly rows = new Map<string, T>();
  constructor(private readonly make: (key: string) => T) {}
  add(key: string, state: string, count: number): void {
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = this.make(key)));
    const field = PENDING.has(state) ? 'pending' : (state as keyof StateCounts);
    row[field] += count;
  }
  list(): T[] {
    return [...this.rows.values()];
  }
}

const byPublished = <T extends { published: number }>(a: T, b: T) => b.published - a.published;

/** Builds the period report: figures aggregated in the database, then the plans in force checked against them. */
export async function buildReport(db: Db, options: ReportOptions): Promise<PeriodReport> {
  const { period } = options;
  const now = options.now ?? new Date();
  const asOf = now < period.end ? now : period.end;
  const units = await listUnitRecords(db.kysely);
  const unit = options.unitId === undefined ? null : (units.find((u) => u.id === options.unitId) ?? null);
  const unitName = new Map(units.map((u) => [u.id, u.name]));
  // Units as they were when each post went out (renamed, or merged since): by the month of the figures.
  const unitAsOf = await unitsAsTheyWere(db.kysely);
  const monthStart = new Map(period.months.map((m) => [m.key, m.start]));
  const channels = await listChannels(db.kysely);
  const channelOf = new Map(channels.map((c) => [c.id, c]));
  const scope: FigureScope = {
    start: period.start,
    end: period.end,
    firstDay: period.firstDay,
    lastDay: period.lastDay,
    months: period.months.map((m) => ({ key: m.key, start: m.start })),
    unitId: options.unitId,
  };

  const storedPlans: StoredPlan[] = options.planIds?.length
    ? await Promise.all(options.planIds.map((id) => getPlan(db.kysely, id)))
    : (await listPlans(db.kysely)).filter((p) => inForce(p, period));
  const { published, withdrawn, others, reach, worst, hours } = await withAggregates(db, async (snapshot) => ({
    published: await publishedCells(snapshot, scope),
    withdrawn: await withdrawnCells(snapshot, scope),
    others: await otherCells(snapshot, scope),
    reach: await reachCells(snapshot, scope),
    worst: await latestPublications(snapshot, scope, options.worst ?? 5),
    hours: storedPlans.length ? await activityHours(snapshot, scope, coverageFrom(storedPlans, period)) : [],
  }));

  const platformOf = (channelId: string) => channelOf.get(channelId)?.platform ?? 'khac';
  const unitOf = (channelId: string) => channelOf.get(channelId)?.unitId ?? '';
  const byChannel = new Tally((id) => {
    const c = channelOf.get(id);
    return {
      channelId: id,
      name: c?.name ?? id,
      platform: platformOf(id),
      platformLabel: options.platforms.label(platformOf(id)),
      unitName: unitName.get(unitOf(id)) ?? '',
      ...emptyCounts(),
    };
  });
  const byPlatform = new Tally((p) => ({
    platform: p,
    label: options.platforms.label(p),
    channels: 0,
    ...emptyCounts(),
  }));
  const byUnit = new Tally((key) => {
    const [id = key, name] = key.split('\u0000');
    return { unitId: id, name: name ?? unitName.get(id) ?? id, ...emptyCounts() };
  });
  const unitKeyOf = (channelId: string, month: string) => {
    const then = unitAsOf(channelId, unitOf(channelId), monthStart.get(month) ?? period.start);
    return `${then.id}\u0000${then.name}`;
  };
  const monthLabel = new Map(period.months.map((m) => [m.key, m.label]));
  const byMonth = new Tally((m) => ({ month: m, label: monthLabel.get(m) ?? m, ...emptyCounts() }));
  for (const m of period.months) byMonth.add(m.key, 'published', 0);
  const totals = { ...emptyCounts(), items: 0, itemsOnSeveralChannels: 0, publishedAfterRetry: 0, attempts: 0 };
  const tally = (channelId: string, month: string, state: string, count: number) => {
    byChannel.add(channelId, state, count);
    byPlatform.add(platformOf(channelId), state, count);
    byUnit.add(unitKeyOf(channelId, month), state, count);
    byMonth.add(month, state, count);
    totals[PENDING.has(state) ? 'pending' : (state as keyof StateCounts)] += count;
  };

  const areaPublished = new Map<string, number>();
  const planArea = new Map<number, Map<string, number>>();
  const planPlatform = new Map<number, Map<string, number>>();
  const bump = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  const inner = <K>(outer: Map<K, Map<string, number>>, key: K) =>
    outer.get(key) ?? outer.set(key, new Map()).get(key)!;
  let withinOne = 0;
  let withinFive = 0;
  for (const cell of published) {
    tally(cell.channelId, cell.month, 'published', cell.published);
    bump(areaPublished, cell.areaKey, cell.published);
    bump(inner(planArea, cell.planId), cell.areaKey, cell.published);
    bump(inner(planPlatform, cell.planId), platformOf(cell.channelId), cell.published);
    withinOne += cell.withinOneMinute;
    withinFive += cell.withinFiveMinutes;
    totals.publishedAfterRetry += cell.retried;
    totals.attempts += cell.attempts;
  }
  const problems = new Map<string, ProblemRow>();
  for (const cell of others) {
    tally(cell.channelId, cell.month, cell.state, cell.count);
    totals.attempts += cell.attempts;
    if (!(PROBLEM_STATES as readonly string[]).includes(cell.state)) continue;
    const reason = cell.reason?.trim() || 'không ghi lý do';
    const key = `${cell.state}\u0000${reason}`;
    const row = problems.get(key) ?? {
      state: cell.state as ProblemRow['state'],
      stateLabel: STATE_LABELS[cell.state as PublicationState],
      reason,
      count: 0,
    };
    row.count += cell.count;
    problems.set(key, row);
  }
  // Withdrawn ones are already in the published cells (they went out); here they are counted once more, apart.
  const withdrawals = new Map<string, WithdrawalRow>();
  for (const cell of withdrawn) {
    tally(cell.channelId, cell.month, 'withdrawn', cell.count);
    const reason = cell.reason.trim() || 'không ghi lý do';
    const key = `${reason}\u0000${cell.channelId}`;
    const row = withdrawals.get(key) ?? {
      reason,
      channelId: cell.channelId,
      channelName: channelOf.get(cell.channelId)?.name ?? cell.channelId,
      count: 0,
    };
    row.count += cell.count;
    withdrawals.set(key, row);
  }
  const areaItems = new Map<string, number>();
  const reachCount = new Map<number, number>();
  for (const cell of reach) {
    totals.items += cell.items;
    if (cell.channels > 1) totals.itemsOnSeveralChannels += cell.items;
    bump(areaItems, cell.areaKey, cell.items);
    reachCount.set(cell.channels, (reachCount.get(cell.channels) ?? 0) + cell.items);
  }
  for (const row of byPlatform.list())
    row.channels = byChannel.list().filter((c) => c.platform === row.platform).length;

  const platformsWithChannel = new Set(
    channels.filter((c) => !options.unitId || c.unitId === options.unitId).map((c) => c.platform as string),
  );
  const plans = storedPlans.map((plan) => {
    const activityHoursOf = new Map<string, Array<{ hour: string; published: number }>>();
    for (const h of hours.filter((h) => h.planId === plan.id)) {
      const list = activityHoursOf.get(h.label) ?? activityHoursOf.set(h.label, []).get(h.label)!;
      list.push({ hour: h.hour, published: h.published });
    }
    return planCoverage(
      plan,
      period,
      asOf,
      {
        publishedByArea: planArea.get(plan.id) ?? new Map(),
        publishedByPlatform: planPlatform.get(plan.id) ?? new Map(),
        activityHours: activityHoursOf,
        platformsWithChannel,
      },
      options.platforms,
    );
  });

  // Coverage counts communes and wards, each as it was: those not merged or retired before the period began, and
  // whether any post went out on a channel that was theirs at the time.
  const communes = units.filter(
    (u) => COMMUNE_KINDS.includes(u.kind) && (u.retiredAt === null || u.retiredAt > period.start),
  );
  const publishedUnits = new Set(
    byUnit
      .list()
      .filter((row) => row.published > 0)
      .map((row) => row.unitId),
  );
  const silent = communes.filter((u) => !publishedUnits.has(u.id)).map((u) => u.name);

  return {
    communes: { total: communes.length, published: communes.length - silent.length, silent },
    period: {
      key: period.key,
      label: period.label,
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      start: period.start.toISOString(),
      end: period.end.toISOString(),
    },
    unit: unit ? { id: unit.id, name: unit.name } : null,
    asOf: asOf.toISOString(),
    totals,
    byChannel: byChannel.list().sort(byPublished),
    byPlatform: byPlatform.list().sort(byPublished),
    byArea: [...new Set([...areaPublished.keys()])]
      .map((key) => ({
        areaKey: key,
        name: CONTENT_AREAS[key as ContentAreaKey] ?? key,
        published: areaPublished.get(key) ?? 0,
        items: areaItems.get(key) ?? 0,
      }))
      .sort(byPublished),
    byUnit: byUnit.list().sort(byPublished),
    byMonth: byMonth.list().sort((a, b) => a.month.localeCompare(b.month)),
    reach: [...reachCount.entries()].sort((a, b) => a[0] - b[0]).map(([n, items]) => ({ channels: n, items })),
    problems: [...problems.values()].sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    withdrawals: [...withdrawals.values()].sort(
      (a, b) => b.count - a.count || a.reason.localeCompare(b.reason) || a.channelId.localeCompare(b.channelId),
    ),
    punctuality: {
      published: totals.published,
      withinOneMinute: withinOne,
      withinFiveMinutes: withinFive,
      shareWithinOneMinute: totals.published ? withinOne / totals.published : null,
      shareWithinFiveMinutes: totals.published ? withinFive / totals.published : null,
      worst,
    },
    plans,
  };
}
