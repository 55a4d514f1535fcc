import { DateTime } from 'luxon';

import {
  CONTENT_AREAS,
  type KeyActivity,
  OFFLINE_FORMS,
  type PlanPeriod,
  type RecurrenceUnit,
  type StructuredPlan,
} from '../domain/plan';
import type { Platforms } from '../domain/platforms';
import type { ReportPeriod } from '../domain/report-period';
import { LOCAL_ZONE } from '../domain/time';
import { platformsNamedIn } from '../importer/parse-channels';
import { ACTIVITY_STATUS_LABELS, type ActivityStatus, type PlanCoverage } from './report';

/** A plan as the coverage check needs it. */
export interface CoveredPlan {
  id: number;
  code: string | null;
  title: string;
  year: number | null;
  structure: StructuredPlan;
}

export interface CoverageFigures {
  /** Publications of this plan's items published in the period, by content area and by platform. */
  publishedByArea: Map<string, number>;
  publishedByPlatform: Map<string, number>;
  /** Published publications of items tied to each activity (label), by UTC hour "YYYY-MM-DDTHH". */
  activityHours: Map<string, Array<{ hour: string; published: number }>>;
  /** Platforms Loa has at least one channel for. */
  platformsWithChannel: Set<string>;
}

/** A plan is in force in a period when its year falls in it; a plan that states no year, when it was issued in it. */
export function inForce(plan: { year: number | null; structure: StructuredPlan }, period: ReportPeriod): boolean {
  const first = Number(period.firstDay.slice(0, 4));
  const last = Number(period.lastDay.slice(0, 4));
  const year =
    plan.year ?? (plan.structure.identity.issueDate ? Number(plan.structure.identity.issueDate.slice(0, 4)) : null);
  return year !== null && year >= first && year <= last;
}

/** The years the plan is in force: its one year, its stated period, or the year it was issued; null if none is known. */
function planYears(plan: { year: number | null; structure: StructuredPlan }): PlanPeriod | null {
  if (plan.year !== null) return { from: plan.year, to: plan.year };
  if (plan.structure.identity.period) return plan.structure.identity.period;
  const issued = plan.structure.identity.issueDate;
  return issued ? { from: Number(issued.slice(0, 4)), to: Number(issued.slice(0, 4)) } : null;
}

/** The earliest instant the activity check needs published items from: windows and deadlines may start before the period. */
export function coverageFrom(plans: CoveredPlan[], period: ReportPeriod): Date {
  let from = DateTime.fromJSDate(period.start);
  for (const activity of plans.flatMap((p) => p.structure.activities)) {
    const timing = activity.timing;
    const start =
      timing?.kind === 'window' ? timing.from : timing?.kind === 'deadline' ? `${timing.by.slice(0, 4)}-01-01` : null;
    if (!start) continue;
    const day = DateTime.fromISO(start, { zone: LOCAL_ZONE });
    if (day.isValid && day < from && day > from.minus({ years: 5 })) from = day;
  }
  return from.toJSDate();
}

const UNIT_OF: Record<RecurrenceUnit, 'week' | 'month' | 'quarter' | 'year'> = {
  week: 'week',
  month: 'month',
  quarter: 'quarter',
  year: 'year',
};

interface Occurrence {
  start: DateTime;
  end: DateTime;
}

/** Published publications among `hours` between two instants (whole hours: Vietnam's offset is whole hours). */
function covered(hours: Array<{ hour: string; published: number }>, from: DateTime, to: DateTime): number {
  const a = from.toUTC().toFormat("yyyy-LL-dd'T'HH");
  const b = to.toUTC().toFormat("yyyy-LL-dd'T'HH");
  return hours.reduce((n, h) => (h.hour >= a && h.hour < b ? n + h.published : n), 0);
}

/** Judges one activity by its timing: its occurrences in the period and whether a published tied item covers each. */
function judge(
  activity: KeyActivity,
  period: ReportPeriod,
  asOf: DateTime,
  hours: Array<{ hour: string; published: number }>,
  years: PlanPeriod | null,
) {
  // Recurring duties fall due only while the plan is in force: a 2024 plan seen over 2024–2026 owes 2024's weeks.
  const inForceFrom = years ? DateTime.fromObject({ year: years.from }, { zone: LOCAL_ZONE }) : null;
  const inForceUntil = years ? DateTime.fromObject({ year: years.to + 1 }, { zone: LOCAL_ZONE }) : null;
  const periodStart = DateTime.fromJSDate(period.start).setZone(LOCAL_ZONE);
  const periodEnd = DateTime.fromJSDate(period.end).setZone(LOCAL_ZONE);
  const start = inForceFrom && inForceFrom > periodStart ? inForceFrom : periodStart;
  const end = inForceUntil && inForceUntil < periodEnd ? inForceUntil : periodEnd;
  const published = covered(hours, start, end);
  const timing = activity.timing;
  const result = (status: ActivityStatus, due: number, done: number) => ({ status, due, done, published });

  if (timing?.kind === 'recurring') {
    if (end <= start) return result('outside', 0, 0);
    const occurrences: Occurrence[] = [];
    const step = { [`${timing.every}s`]: 1 };
    for (let at = start.startOf(UNIT_OF[timing.every]); at < end; at = at.plus(step)) {
      const next = at.plus(step);
      occurrences.push({ start: at < start ? start : at, end: next > end ? end : next });
    }
    const started = occurrences.filter((o) => o.start < asOf);
    const done = started.filter((o) => covered(hours, o.start, o.end) > 0).length;
    const missed = started.filter((o) => o.end <= asOf && covered(hours, o.start, o.end) === 0).length;
    if (started.length === 0) return result('not-yet', 0, 0);
    if (missed > 0) return result('overdue', started.length, done);
    return result(done === started.length ? 'done' : 'due', started.length, done);
  }
  if (timing?.kind === 'window' || timing?.kind === 'deadline') {
    const from =
      timing.kind === 'window'
        ? DateTime.fromISO(timing.from, { zone: LOCAL_ZONE })
        : DateTime.fromISO(`${timing.by.slice(0, 4)}-01-01`, { zone: LOCAL_ZONE });
    const last = DateTime.fromISO(timing.kind === 'window' ? timing.to : timing.by, { zone: LOCAL_ZONE });
    const until = last.plus({ days: 1 }).startOf('day');
    const dueFrom = timing.kind === 'window' ? from : last.startOf('day');
    if (until <= start || dueFrom >= end) return result('outside', 0, 0);
    const done = covered(hours, from, until < end ? until : end) > 0;
    if (done) return result('done', 1, 1);
    if (until <= asOf) return result('overdue', 1, 0);
    return dueFrom < asOf ? result('due', 1, 0) : result('not-yet', 0, 0);
  }
  return published > 0 ? result('done', 1, 1) : result('unknown', 0, 0);
}

function timingText(activity: KeyActivity): string {
  return activity.timing?.wording ?? 'không nêu';
}

export function planCoverage(
  plan: CoveredPlan,
  period: ReportPeriod,
  asOf: Date,
  figures: CoverageFigures,
  /** The registry's platforms (channels/): their names and the words an activity names one with. */
  known: Platforms,
): PlanCoverage {
  const s = plan.structure;
  const unitName = new Map(s.units.map((u) => [u.key, u.name]));
  const names = (keys: string[]) => keys.map((k) => unitName.get(k) ?? k);
  const issuer = [
    s.units.find((u) => u.name === s.identity.issuer)?.name ?? s.identity.issuer ?? 'Đơn vị ban hành kế hoạch',
  ];
  const publishing = s.activities.filter((a) => platformsNamedIn(known, a.title).length > 0);
  const publishers = [...new Set(publishing.flatMap((a) => names(a.leadUnitKeys)))];
  const orIssuer = (list: string[]) => (list.length ? list : publishers.length ? publishers : issuer);
  const at = DateTime.fromJSDate(asOf).setZone(LOCAL_ZONE);

  const areaKeys = [...new Set(s.contentAreas.map((a) => a.key))];
  const areas = areaKeys.map((key) => ({
    areaKey: key,
    name: CONTENT_AREAS[key],
    wording: s.contentAreas
      .filter((a) => a.key === key)
      .map((a) => a.wording)
      .join('; '),
    published: figures.publishedByArea.get(key) ?? 0,
    responsible: orIssuer([]),
  }));

  const platforms = [...new Set(s.channels.flatMap((c) => (c.platform ? [c.platform] : [])))];
  const channels = platforms.map((platform) => ({
    platform,
    label: known.label(platform),
    wording: s.channels
      .filter((c) => c.platform === platform)
      .map((c) => c.wording)
      .join('; '),
    published: figures.publishedByPlatform.get(platform) ?? 0,
    hasChannel: figures.platformsWithChannel.has(platform),
    responsible: orIssuer([
      ...new Set(
        s.activities
          .filter((a) => platformsNamedIn(known, a.title).includes(platform))
          .flatMap((a) => names(a.leadUnitKeys)),
      ),
    ]),
  }));

  const activities = s.activities.map((activity) => {
    const verdict = judge(activity, period, at, figures.activityHours.get(activity.label) ?? [], planYears(plan));
    const leads = names(activity.leadUnitKeys);
    return {
      label: activity.label,
      title: activity.title,
      timing: timingText(activity),
      ...verdict,
      statusLabel: ACTIVITY_STATUS_LABELS[verdict.status],
      responsible: leads.length ? leads : issuer,
    };
  });

  const gaps: PlanCoverage['gaps'] = [
    ...areas
      .filter((a) => a.published === 0)
      .map((a) => ({
        kind: 'area' as const,
        what: a.name,
        detail: 'chưa có tin, bài nào được đăng',
        responsible: a.responsible,
      })),
    ...channels
      .filter((c) => c.published === 0)
      .map((c) => ({
        kind: 'channel' as const,
        what: c.label,
        detail: c.hasChannel ? 'chưa đăng tin, bài nào' : 'chưa đăng; Loa chưa có kênh này',
        responsible: c.responsible,
      })),
    ...activities
      .filter((a) => a.status === 'due' || a.status === 'overdue' || a.status === 'unknown')
      .map((a) => ({
        kind: 'activity' as const,
        what: `${a.label}) ${a.title}`,
        detail: a.due > 1 ? `${a.statusLabel} (${a.done}/${a.due} kỳ)` : a.statusLabel,
        responsible: a.responsible,
      })),
  ];

  return {
    planId: plan.id,
    code: plan.code,
    title: plan.title,
    year: plan.year,
    areas,
    channels,
    offlineForms: s.channels
      .flatMap((c) => (c.offlineForm ? [OFFLINE_FORMS[c.offlineForm]] : []))
      .filter((v, i, all) => all.indexOf(v) === i),
    activities,
    gaps,
  };
}
