import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../../domain/time';

export interface GridDay<T> {
  /** ISO date in Vietnam, e.g. 2026-12-07. */
  date: string;
  label: string;
  inPeriod: boolean;
  entries: T[];
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

/** Places entries on the days of the period's grid by their local date. */
export function fillGrid<T extends { scheduledAt: Date }>(period: Period, entries: T[]): GridDay<T>[][] {
  const byDay = new Map<string, T[]>();
  for (const entry of entries) {
    const key = DateTime.fromJSDate(entry.scheduledAt).setZone(LOCAL_ZONE).toISODate()!;
    byDay.set(key, [...(byDay.get(key) ?? []), entry]);
  }
  const from = DateTime.fromJSDate(period.from).setZone(LOCAL_ZONE);
  const to = DateTime.fromJSDate(period.to).setZone(LOCAL_ZONE);
  return period.weeks.map((week) =>
    week.map((day) => ({
      date: day.toISODate()!,
      label: day.toFormat('d/L'),
      inPeriod: day >= from && day < to,
      entries: byDay.get(day.toISODate()!) ?? [],
    })),
  );
}
