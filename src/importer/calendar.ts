import { DateTime } from 'luxon';
import { LOCAL_ZONE } from '../domain/time';
import type { ContentArea, ContentAreaKey, PlatformKey, RecurrenceUnit, StructuredPlan, Timing } from '../domain/plan';
import { platformsNamedIn } from './parse-channels';

/**
 * Proposes a draft content calendar from a plan: which content to write each week, and when it goes out on each
 * Loa platform the plan names. Pure: the officer reviews the proposal before anything is stored or published.
 */


export interface CalendarOptions {
  /** First day of the period, YYYY-MM-DD, local time. */
  from: string;
  /** Last day of the period (included), YYYY-MM-DD, local time. */
  to: string;
  /** How often to publish on a platform no activity of the plan gives a timing for. Default: 'week'. */
  defaultEvery?: RecurrenceUnit;
}

export interface DraftContentItem {
  id: string;
  areaKey: ContentAreaKey;
  title: string;
  body: string;
  /** The plan's key activities (list labels) this item's slots carry out, so the report can count them done. */
  activityLabels: string[];
}

export interface PublicationSlot {
  itemId: string;
  platform: PlatformKey;
  /** Local date-time with offset, e.g. 2024-06-04T08:00:00+07:00. */
  at: string;
  /** Why this slot exists, in Vietnamese, for the officer reviewing the proposal. */
  reason: string;
  /** The key activity whose timing gave this slot, or null when the plan gives none for the platform. */
  activityLabel: string | null;
}

export interface ProposedCalendar {
  items: DraftContentItem[];
  slots: PublicationSlot[];
}

/** When each platform's audience is there: portal news in the morning, Facebook in the evening, commune radio at its
 * 6 a.m. broadcast. Platforms get different weekdays so one week's item reaches people several times. */
const PUBLISHING_TIMES: Record<PlatformKey, { weekday: number; hour: number; minute: number }> = {
  rss: { weekday: 2, hour: 8, minute: 0 },
  facebook: { weekday: 3, hour: 19, minute: 30 },
  zalo: { weekday: 4, hour: 9, minute: 0 },
  radio: { weekday: 5, hour: 6, minute: 0 },
};

const EVERY_LABEL: Record<RecurrenceUnit, string> = {
  week: 'hằng tuần',
  month: 'hằng tháng',
  quarter: 'hằng quý',
  year: 'hằng năm',
};

const TITLE_LENGTH = 100;

interface Period {
  from: DateTime;
  to: DateTime;
}

interface Cadence extends Period {
  /** null: a single day (a deadline). */
  every: RecurrenceUnit | null;
  reason: string;
  activityLabel: string | null;
}

function localDay(iso: string, field: string): DateTime {
  const day = DateTime.fromISO(iso, { zone: LOCAL_ZONE });
  if (!day.isValid) throw new RangeError(`${field}: "${iso}" không phải ngày hợp lệ (YYYY-MM-DD).`);
  return day.startOf('day');
}

function periodKey(day: DateTime, every: RecurrenceUnit): string {
  switch (every) {
    case 'week':
      return `${day.weekYear}-W${day.weekNumber}`;
    case 'month':
      return `${day.year}-${day.month}`;
    case 'quarter':
      return `${day.year}-Q${day.quarter}`;
    case 'year':
      return `${day.year}`;
  }
}

function latest(a: DateTime, b: DateTime): DateTime {
  return a > b ? a : b;
}

function earliest(a: DateTime, b: DateTime): DateTime {
  return a < b ? a : b;
}

/** The cadence an activity's timing gives a platform, clipped to the period. */
function cadenceFromTiming(timing: Timing | null, label: string, period: Period, fallback: RecurrenceUnit): Cadence | null {
  const cadence = timingCadence(timing, label, period, fallback);
  return cadence && { ...cadence, activityLabel: label };
}

function timingCadence(timing: Timing | null, label: string, period: Period, fallback: RecurrenceUnit): Omit<Cadence, 'activityLabel'> | null {
  const said = timing === null ? '' : ` "${timing.wording}"`;
  const source = `Hoạt động ${label})${said}`;
  switch (timing?.kind) {
    case 'recurring':
      return { ...period, every: timing.every, reason: `${source}: ${EVERY_LABEL[timing.every]}` };
    case 'window': {
      const from = latest(period.from, localDay(timing.from, 'timing.from'));
      const to = earliest(period.to, localDay(timing.to, 'timing.to'));
      return from <= to ? { every: fallback, from, to, reason: `${source}: ${EVERY_LABEL[fallback]} trong thời gian này` } : null;
    }
    case 'deadline': {
      const by = localDay(timing.by, 'timing.by');
      return by >= period.from && by <= period.to ? { every: null, from: by, to: by, reason: `${source}: đăng trước hạn` } : null;
    }
    default:
      return { ...period, every: fallback, reason: `${source}: không rõ thời gian, mặc định ${EVERY_LABEL[fallback]}` };
  }
}

function cadencesFor(plan: StructuredPlan, platform: PlatformKey, period: Period, fallback: RecurrenceUnit): Cadence[] {
  const fromActivities = plan.activities
    .filter((activity) => platformsNamedIn(activity.title).includes(platform))
    .map((activity) => cadenceFromTiming(activity.timing, activity.label, period, fallback))
    .filter((cadence): cadence is Cadence => cadence !== null);
  if (fromActivities.length > 0) return fromActivities;
  return [{ ...period, every: fallback, reason: `Kế hoạch không nêu thời gian cho kênh này: mặc định ${EVERY_LABEL[fallback]}`, activityLabel: null }];
}

/** The platform's publishing days: its weekday, once per cadence period (or the single day of a deadline). */
function publishingDays(platform: PlatformKey, cadence: Cadence): DateTime[] {
  const { weekday, hour, minute } = PUBLISHING_TIMES[platform];
  const at = (day: DateTime) => day.set({ hour, minute, second: 0, millisecond: 0 });
  if (cadence.every === null) return [at(cadence.from)];
  const days: DateTime[] = [];
  const seen = new Set<string>();
  for (let day = cadence.from; day <= cadence.to; day = day.plus({ days: 1 })) {
    const key = periodKey(day, cadence.every);
    if (day.weekday === weekday && !seen.has(key)) {
      seen.add(key);
      days.push(at(day));
    }
  }
  return days;
}

/** A title short enough for a list: the wording up to a comma or semicolon when one leaves enough to read, else whole words. */
function titleOf(area: ContentArea): string {
  const { wording } = area;
  if (wording.length <= TITLE_LENGTH) return wording;
  const clause = Math.max(wording.lastIndexOf(',', TITLE_LENGTH), wording.lastIndexOf(';', TITLE_LENGTH));
  if (clause >= TITLE_LENGTH / 2) return wording.slice(0, clause);
  const cut = wording.lastIndexOf(' ', TITLE_LENGTH);
  return `${wording.slice(0, cut > 0 ? cut : TITLE_LENGTH)}…`;
}

function draftOf(area: ContentArea, id: string): DraftContentItem {
  const body = [area.wording, ...area.details.map((detail) => `- ${detail}`)].join('\n');
  return { id, areaKey: area.key, title: titleOf(area), body, activityLabels: [] };
}

export function proposeCalendar(plan: StructuredPlan, options: CalendarOptions): ProposedCalendar {
  const from = localDay(options.from, 'from');
  const to = localDay(options.to, 'to');
  if (to < from) throw new RangeError(`Khoảng thời gian không hợp lệ: ${options.from} đến ${options.to}.`);
  const fallback = options.defaultEvery ?? 'week';
  const period: Period = { from, to: to.endOf('day') };
  const platforms = [...new Set(plan.channels.flatMap((channel) => (channel.platform ? [channel.platform] : [])))];
  if (plan.contentAreas.length === 0 || platforms.length === 0) return { items: [], slots: [] };

  const planned = platforms
    .flatMap((platform) =>
      cadencesFor(plan, platform, period, fallback).flatMap((cadence) =>
        publishingDays(platform, cadence).map((at) => ({ platform, at, reason: cadence.reason, activityLabel: cadence.activityLabel })),
      ),
    )
    .sort((a, b) => a.at.toMillis() - b.at.toMillis())
    // Two activities on one platform (both "thường xuyên") must not publish twice at the same moment.
    .filter((slot, index, all) => all.findIndex((other) => other.platform === slot.platform && +other.at === +slot.at) === index);

  // One item per week that has slots; the plan's content entries take turns so every area gets written about.
  const items = new Map<string, DraftContentItem>();
  const slots: PublicationSlot[] = [];
  for (const { platform, at, reason, activityLabel } of planned) {
    const week = at.startOf('week').toISODate() ?? '';
    let item = items.get(week);
    if (!item) {
      const area = plan.contentAreas[items.size % plan.contentAreas.length] as ContentArea;
      item = draftOf(area, `${week}-${area.key}`);
      items.set(week, item);
    }
    if (activityLabel !== null && !item.activityLabels.includes(activityLabel)) item.activityLabels.push(activityLabel);
    slots.push({ itemId: item.id, platform, at: at.toISO({ suppressMilliseconds: true }) ?? '', reason, activityLabel });
  }
  return { items: [...items.values()], slots };
}
