import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../../domain/time';

export interface GridDay<T> {
  /** ISO date in Vietnam, e.g. 2026-12-07. */
  date: string;
  label: string;
  inPeriod: boolean;
  /** The day's first entries, at most the grid's limit per day. */
  entries: T[];
  /** How many more the day has than it shows. */
  more: number;
}

export interface Period {
  /** UTC instants of the first local midnight and the one after the period. */
  from: Date;
  to: Date;
  /** The grid: whole weeks, Monday first. */
  weeks: DateTime[][];
  title: string;
  previous: string;
  next: string;
}

const WEEKDAY_NAMES = ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật'];
export { WEEKDAY_NAMES };

function weeksFrom(start: DateTime, end: DateTime): DateTime[][] {
  const weeks: DateTime[][] = [];
  for (let day = start.startOf('week'); day < end; day = day.plus({ weeks: 1 })) {
    weeks.push(Array.from({ length: 7 }, (_, i) => day.plus({ days: i })));
  }
  return weeks;
}

/** A month ("2026-12") or the week containing a day ("2026-12-07"), in Vietnam's zone (luxon weeks start on Monday). */
export function periodOf(view: 'month' | 'week', anchor: string): Period | null {
  const day = DateTime.fromISO(anchor, { zone: LOCAL_ZONE });
  if (!day.isValid) return null;
  if (view === 'month') {
    const start = day.startOf('month');
    const end = start.plus({ months: 1 });
    return {
      from: start.toJSDate(),
      to: end.toJSDate(),
      weeks: weeksFrom(start, end),
      title: `Tháng ${start.toFormat('L/yyyy')}`,
      previous: start.minus({ months: 1 }).toFormat('yyyy-LL'),
      next: end.toFormat('yyyy-LL'),
    };
  }
  const start = day.startOf('week');
  const end = start.plus({ weeks: 1 });
  return {
    from: start.toJSDate(),
    to: end.toJSDate(),
    weeks: weeksFrom(start, end),
    title: `Tuần ${start.toFormat('dd/LL')} – ${end.minus({ days: 1 }).toFormat('dd/LL/yyyy')}`,
    previous: start.minus({ weeks: 1 }).toISODate()!,
    next: end.toISODate()!,
  };
}

/**
 * Places entries on the days of the period's grid by their local date, at most `perDay` of them a day (the rest
 * counted in `more`, from `dayTotals` when the entries are only the shown ones: each local day's count, by ISO date),
 * and only the shown ones go through `show`: a month of 1,000 publications renders a page of a few hundred lines,
 * and nothing is formatted for a line that is not shown. Days are found from their start instants (one luxon date per
 * day of the grid, not per entry).
 */
export function fillGrid<T extends { scheduledAt: Date }, V>(
  period: Period,
  entries: T[],
  perDay: number,
  show: (entry: T) => V,
  dayTotals?: ReadonlyMap<string, number>,
): GridDay<V>[][] {
  const days = period.weeks.flat();
  const starts = days.map((day) => day.toMillis());
  const end = days[days.length - 1]!.plus({ days: 1 }).toMillis();
  const byDay: T[][] = days.map(() => []);
  for (const entry of entries) {
    const at = entry.scheduledAt.getTime();
    // The last day starting at or before the entry (a binary search over at most 42 days).
    let low = 0;
    let high = starts.length - 1;
    if (at < starts[0]! || at >= end) continue;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid]! <= at) low = mid;
      else high = mid - 1;
    }
    byDay[low]!.push(entry);
  }
  const from = DateTime.fromJSDate(period.from).setZone(LOCAL_ZONE);
  const to = DateTime.fromJSDate(period.to).setZone(LOCAL_ZONE);
  let n = 0;
  return period.weeks.map((week) =>
    week.map((day) => {
      const all = byDay[n++]!;
      const date = day.toISODate()!;
      const shown = all.slice(0, perDay);
      return {
        date,
        label: day.toFormat('d/L'),
        inPeriod: day >= from && day < to,
        entries: shown.map(show),
        more: Math.max(0, (dayTotals?.get(date) ?? all.length) - shown.length),
      };
    }),
  );
}
