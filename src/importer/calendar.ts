import { DateTime } from 'luxon';

import type { PublishingTime } from '../domain/channel';
import {
  CONTENT_AREAS,
  type ContentArea,
  type ContentAreaKey,
  type PlatformKey,
  type RecurrenceUnit,
  type StructuredPlan,
  type Timing,
} from '../domain/plan';
import type { Platforms } from '../domain/platforms';
import { LOCAL_ZONE } from '../domain/time';
import { publicHolidayOn } from './holidays';
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
  /** Keep to the years the plan is for (its year, or its multi-year period). Default true; the demo turns it off to
   * show a past plan's calendar in the current month. */
  keepToPlanPeriod?: boolean;
  /**
   * The platforms Loa publishes to (the registry in channels/: `platforms`): the words an activity names one with,
   * and when each one's audience is there (a platform without a time publishes on Tuesdays at 08:00).
   */
  platforms: Platforms;
  /**
   * Today (YYYY-MM-DD, Vietnam): nothing is proposed before it, and the days cut off are said in `warnings`. Every
   * caller that proposes slots to be stored passes it (the CLI, the API, the desk); a test passes a fixed day.
   */
  today?: string;
}

/**
 * The standard areas of the national reform programme (Nghị quyết 76/NQ-CP, Chương trình tổng thể cải cách hành
 * chính nhà nước giai đoạn 2021–2030: thể chế, thủ tục hành chính, tổ chức bộ máy, chế độ công vụ, tài chính công,
 * chính phủ điện tử/số), with the direction and awareness areas provincial plans add. Proposed when a plan names no
 * content area, marked for the officer to confirm.
 */
export const STANDARD_AREAS: readonly ContentAreaKey[] = [
  'chu-truong',
  'chi-dao-dieu-hanh',
  'the-che',
  'thu-tuc-hanh-chinh',
  'to-chuc-bo-may',
  'che-do-cong-vu',
  'tai-chinh-cong',
  'chinh-phu-so',
];

export interface DraftContentItem {
  id: string;
  /** The Monday (YYYY-MM-DD, local) of the week the item is for: one item per plan and week. */
  week: string;
  areaKey: ContentAreaKey;
  title: string;
  body: string;
  /** The plan's key activities (list labels) this item's slots carry out, so the report can count them done. */
  activityLabels: string[];
  /** Set when the plan named no content area and this one is a standard area of Nghị quyết 76/NQ-CP: to confirm. */
  toConfirm?: string;
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
  /** What the officer should know about what was left out or moved (dates outside the plan, public holidays). */
  warnings: string[];
}

/** For a platform whose adapter declares no publishing time. */
const DEFAULT_PUBLISHING_TIME: PublishingTime = { weekday: 2, hour: 8, minute: 0 };

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
function cadenceFromTiming(
  timing: Timing | null,
  label: string,
  period: Period,
  fallback: RecurrenceUnit,
): Cadence | null {
  const cadence = timingCadence(timing, label, period, fallback);
  return cadence && { ...cadence, activityLabel: label };
}

function timingCadence(
  timing: Timing | null,
  label: string,
  period: Period,
  fallback: RecurrenceUnit,
): Omit<Cadence, 'activityLabel'> | null {
  const said = timing === null ? '' : ` "${timing.wording}"`;
  const source = `Hoạt động ${label})${said}`;
  switch (timing?.kind) {
    case 'recurring':
      return { ...period, every: timing.every, reason: `${source}: ${EVERY_LABEL[timing.every]}` };
    case 'window': {
      const from = latest(period.from, localDay(timing.from, 'timing.from'));
      const to = earliest(period.to, localDay(timing.to, 'timing.to'));
      return from <= to
        ? { every: fallback, from, to, reason: `${source}: ${EVERY_LABEL[fallback]} trong thời gian này` }
        : null;
    }
    case 'deadline': {
      const by = localDay(timing.by, 'timing.by');
      return by >= period.from && by <= period.to
        ? { every: null, from: by, to: by, reason: `${source}: đăng trước hạn` }
        : null;
    }
    default:
      return { ...period, every: fallback, reason: `${source}: không rõ thời gian, mặc định ${EVERY_LABEL[fallback]}` };
  }
}

function cadencesFor(
  plan: StructuredPlan,
  platforms: Platforms,
  platform: PlatformKey,
  period: Period,
  fallback: RecurrenceUnit,
): Cadence[] {
  const fromActivities = plan.activities
    .filter((activity) => platformsNamedIn(platforms, activity.title).includes(platform))
    .map((activity) => cadenceFromTiming(activity.timing, activity.label, period, fallback))
    .filter((cadence): cadence is Cadence => cadence !== null);
  if (fromActivities.length > 0) return fromActivities;
  return [
    {
      ...period,
      every: fallback,
      reason: `Kế hoạch không nêu thời gian cho kênh này: mặc định ${EVERY_LABEL[fallback]}`,
      activityLabel: null,
    },
  ];
}

interface PublishingDay {
  at: DateTime;
  /** Set when the usual day was a public holiday and the slot moved to the next working day. */
  movedFrom: { day: DateTime; holiday: string } | null;
}

const shortDay = (day: DateTime) => day.toFormat('dd/LL/yyyy');

/**
 * The first day from `day` on that is not a public holiday, up to `last`; null when the holidays run past it.
 * Tết is the longest break (five days), so the walk is short.
 */
function firstWorkingDay(day: DateTime, last: DateTime): DateTime | null {
  for (let next = day; next <= last; next = next.plus({ days: 1 })) if (publicHolidayOn(next) === null) return next;
  return null;
}

/**
 * The platform's publishing days: its weekday, once per cadence period (or the single day of a deadline). A day
 * that falls on a public holiday (Tết, 30/4, 2/9…) moves to the next working day inside the cadence; when there is
 * none, the slot is dropped with a warning. A deadline moves earlier instead: "before the 20th" stays before it.
 */
function publishingDays(
  platform: PlatformKey,
  time: PublishingTime,
  cadence: Cadence,
  warnings: string[],
): PublishingDay[] {
  const { weekday, hour, minute } = time;
  const at = (day: DateTime) => day.set({ hour, minute, second: 0, millisecond: 0 });
  const wanted: DateTime[] = [];
  if (cadence.every === null) wanted.push(cadence.from);
  else {
    const seen = new Set<string>();
    for (let day = cadence.from; day <= cadence.to; day = day.plus({ days: 1 })) {
      const key = periodKey(day, cadence.every);
      if (day.weekday === weekday && !seen.has(key)) {
        seen.add(key);
        wanted.push(day);
      }
    }
  }
  const days: PublishingDay[] = [];
  for (const day of wanted) {
    const holiday = publicHolidayOn(day);
    if (holiday === null) {
      days.push({ at: at(day), movedFrom: null });
      continue;
    }
    let moved: DateTime | null = null;
    if (cadence.every === null) {
      for (
        let earlier = day.minus({ days: 1 });
        earlier >= day.minus({ days: 7 }) && moved === null;
        earlier = earlier.minus({ days: 1 })
      ) {
        if (publicHolidayOn(earlier) === null) moved = earlier;
      }
    } else moved = firstWorkingDay(day, cadence.to.startOf('day'));
    if (moved) days.push({ at: at(moved), movedFrom: { day, holiday } });
    else
      warnings.push(
        `Bỏ lượt ${platform} ngày ${shortDay(day)}: trùng ngày nghỉ ${holiday} và không còn ngày làm việc nào trong khoảng này.`,
      );
  }
  return days;
}

/**
 * The plan's own period: its year, or the years of a multi-year plan. Null when the document says neither, and
 * then the officer's dates are taken as they are.
 */
function planPeriod(plan: StructuredPlan): { from: DateTime; to: DateTime; label: string } | null {
  const { year, period } = plan.identity;
  const first = period?.from ?? year;
  const last = period?.to ?? year;
  if (first === null || last === null) return null;
  return {
    from: DateTime.fromObject({ year: first, month: 1, day: 1 }, { zone: LOCAL_ZONE }),
    to: DateTime.fromObject({ year: last, month: 12, day: 31 }, { zone: LOCAL_ZONE }).endOf('day'),
    label: first === last ? `năm ${first}` : `giai đoạn ${first}–${last}`,
  };
}

/**
 * The plan's own period as local days (YYYY-MM-DD, both included) with its wording, or null when the document
 * says neither a year nor a period: what a proposal keeps to, and a page's default period.
 */
export function planPeriodDays(plan: StructuredPlan): { from: string; to: string; label: string } | null {
  const own = planPeriod(plan);
  return own ? { from: own.from.toISODate()!, to: own.to.toISODate()!, label: own.label } : null;
}

/** The asked period cut to the plan's; what is cut off is said in `warnings`. Null when nothing of it is left. */
function keepToPlan(plan: StructuredPlan, asked: Period, warnings: string[]): Period | null {
  const own = planPeriod(plan);
  if (!own) return asked;
  const from = latest(asked.from, own.from);
  const to = earliest(asked.to, own.to);
  const askedText = `${shortDay(asked.from)}–${shortDay(asked.to)}`;
  if (from > to) {
    warnings.push(`Khoảng ${askedText} nằm ngoài thời gian của kế hoạch (${own.label}): không đề xuất ngày nào.`);
    return null;
  }
  if (asked.from < own.from)
    warnings.push(
      `Bỏ các ngày từ ${shortDay(asked.from)} đến ${shortDay(own.from.minus({ days: 1 }))}: trước thời gian của kế hoạch (${own.label}).`,
    );
  if (asked.to > own.to)
    warnings.push(
      `Bỏ các ngày từ ${shortDay(own.to.plus({ days: 1 }))} đến ${shortDay(asked.to)}: sau thời gian của kế hoạch (${own.label}).`,
    );
  return { from, to };
}

/** The period from today on: a proposal never puts a slot in the past. Null when the whole period is over. */
function fromToday(period: Period, today: string | undefined, warnings: string[]): Period | null {
  if (today === undefined) return period;
  const first = localDay(today, 'today');
  if (period.from >= first) return period;
  if (period.to < first) {
    warnings.push(
      `Khoảng ${shortDay(period.from)}–${shortDay(period.to)} đã qua (hôm nay ${shortDay(first)}): không đề xuất ngày nào trong quá khứ.`,
    );
    return null;
  }
  warnings.push(
    `Bỏ các ngày từ ${shortDay(period.from)} đến ${shortDay(first.minus({ days: 1 }))}: đã qua (hôm nay ${shortDay(first)}).`,
  );
  return { from: first, to: period.to };
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

function draftOf(area: ContentArea, week: string): DraftContentItem {
  const body = [area.wording, ...area.details.map((detail) => `- ${detail}`)].join('\n');
  return { id: `${week}-${area.key}`, week, areaKey: area.key, title: titleOf(area), body, activityLabels: [] };
}

export function proposeCalendar(plan: StructuredPlan, options: CalendarOptions): ProposedCalendar {
  const from = localDay(options.from, 'from');
  const to = localDay(options.to, 'to');
  if (to < from) throw new RangeError(`Khoảng thời gian không hợp lệ: ${options.from} đến ${options.to}.`);
  const fallback = options.defaultEvery ?? 'week';
  const warnings: string[] = [];
  const asked: Period = { from, to: to.endOf('day') };
  const platforms = [...new Set(plan.channels.flatMap((channel) => (channel.platform ? [channel.platform] : [])))];
  if (platforms.length === 0) return { items: [], slots: [], warnings };
  const standard = plan.contentAreas.length === 0;
  const areas: ContentArea[] = standard
    ? STANDARD_AREAS.map((key) => ({ key, wording: CONTENT_AREAS[key], details: [] }))
    : plan.contentAreas;
  if (standard)
    warnings.push(
      'Kế hoạch không nêu nội dung tuyên truyền: đề xuất theo các nội dung chuẩn của Chương trình tổng thể cải cách hành chính (Nghị quyết 76/NQ-CP); cán bộ cần xác nhận từng bài.',
    );
  const inPlan = options.keepToPlanPeriod === false ? asked : keepToPlan(plan, asked, warnings);
  const period = inPlan && fromToday(inPlan, options.today, warnings);
  if (!period) return { items: [], slots: [], warnings };

  const planned = platforms
    .flatMap((platform) =>
      cadencesFor(plan, options.platforms, platform, period, fallback).flatMap((cadence) =>
        publishingDays(
          platform,
          options.platforms.get(platform)?.publishingTime ?? DEFAULT_PUBLISHING_TIME,
          cadence,
          warnings,
        ).map(({ at, movedFrom }) => ({
          platform,
          at,
          reason: movedFrom
            ? `${cadence.reason} (dời từ ${shortDay(movedFrom.day)}: nghỉ ${movedFrom.holiday})`
            : cadence.reason,
          activityLabel: cadence.activityLabel,
        })),
      ),
    )
    .sort((a, b) => a.at.toMillis() - b.at.toMillis())
    // Two activities on one platform (both "thường xuyên") must not publish twice at the same moment.
    .filter(
      (slot, index, all) =>
        all.findIndex((other) => other.platform === slot.platform && +other.at === +slot.at) === index,
    );

  // One item per week that has slots; the plan's content entries take turns so every area gets written about.
  const items = new Map<string, DraftContentItem>();
  const slots: PublicationSlot[] = [];
  for (const { platform, at, reason, activityLabel } of planned) {
    const week = at.startOf('week').toISODate() ?? '';
    let item = items.get(week);
    if (!item) {
      const area = areas[items.size % areas.length] as ContentArea;
      item = draftOf(area, week);
      if (standard) item.toConfirm = 'Nội dung chuẩn theo Nghị quyết 76/NQ-CP (kế hoạch không nêu): cần xác nhận';
      items.set(week, item);
    }
    if (activityLabel !== null && !item.activityLabels.includes(activityLabel)) item.activityLabels.push(activityLabel);
    slots.push({
      itemId: item.id,
      platform,
      at: at.toISO({ suppressMilliseconds: true }) ?? '',
      reason,
      activityLabel,
    });
  }
  return { items: [...items.values()], slots, warnings };
}
