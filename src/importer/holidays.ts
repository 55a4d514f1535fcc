import type { DateTime } from 'luxon';

import { LOCAL_ZONE, LOCAL_ZONE_NAME } from '../domain/time';

/**
 * Vietnam's public holidays (ngày nghỉ lễ, Tết of Bộ luật Lao động 2019, Điều 112), from date-holidays rather than a
 * hand-typed table: its VN rules compute the lunar days (Tết Nguyên Đán, Giỗ tổ Hùng Vương) for any year. Its
 * "Giao thừa Tết Nguyên Đán" entry spans five days (P5D: the eve and mồng 1 to mồng 4), which is the Tết break the
 * calendar must avoid. Only the "public" type counts: observances (8/3, 20/11…) are ordinary working days.
 * Not covered: the second Quốc khánh day (1/9 or 3/9, chosen by the government each year) and compensatory days off.
 */

interface HolidaySpan {
  start: number;
  end: number;
  name: string;
}

type HolidaysLib = { getHolidays(year: number): Array<{ start: Date; end: Date; name: string; type: string }> };

const DAY_MS = 86_400_000;

let calendar: HolidaysLib | null = null;
const byYear = new Map<number, HolidaySpan[]>();

function spansOf(year: number): HolidaySpan[] {
  let spans = byYear.get(year);
  if (!spans) {
    // Loaded on first use: only the calendar needs it, and the CLI starts faster without it.
    if (!calendar) {
      const Holidays = require('date-holidays') as new (
        country: string,
        options?: { timezone?: string },
      ) => HolidaysLib;
      calendar = new Holidays('VN', { timezone: LOCAL_ZONE_NAME });
    }
    spans = calendar
      .getHolidays(year)
      .filter((h) => h.type === 'public')
      .map((h) => ({ start: h.start.getTime(), end: h.end.getTime(), name: h.name }));
    byYear.set(year, spans);
  }
  return spans;
}

/** The public holiday a local day falls on (its name, as date-holidays gives it in Vietnamese), or null. */
export function publicHolidayOn(day: DateTime): string | null {
  const noon = day.setZone(LOCAL_ZONE).set({ hour: 12, minute: 0, second: 0, millisecond: 0 }).toMillis();
  // A span that starts in late December can reach into January: look at the year before too.
  const found = [...spansOf(day.year - 1), ...spansOf(day.year)]
    .filter((span) => span.start <= noon && noon < span.end)
    .sort((a, b) => a.end - a.start - (b.end - b.start))[0];
  if (!found) return null;
  // The five-day Tết break is named after its first day (the eve); its later days are Tết itself.
  return noon - found.start > DAY_MS ? found.name.replace(/^Giao thừa /, '') : found.name;
}
