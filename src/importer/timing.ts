import { DateTime } from 'luxon';

import type { RecurrenceUnit, Timing } from '../domain/plan';

/**
 * Reads the time expressions of Vietnamese plans ("thường xuyên", "quý I", "6 tháng đầu năm", "trước ngày 15/12",
 * "từ ngày 01/4 đến ngày 30/4/2024" …) into something a scheduler can use. Expressions without a year take the plan's
 * year; when that is unknown too the timing stays `unparsed` rather than guessing one.
 */

export interface TimingContext {
  /** The plan's year, used when the wording leaves it out. */
  year: number | null;
}

const RECURRENCES: readonly [pattern: RegExp, every: RecurrenceUnit][] = [
  [/thường xuyên|liên tục|hằng tuần|hàng tuần/iu, 'week'],
  [/hằng tháng|hàng tháng|định kỳ tháng/iu, 'month'],
  [/hằng quý|hàng quý|định kỳ quý/iu, 'quarter'],
  [/hằng năm|hàng năm/iu, 'year'],
];

const ROMAN_QUARTERS: Record<string, number> = { i: 1, ii: 2, iii: 3, iv: 4 };

const DATE = String.raw`(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?`;
const YEAR_SUFFIX = String.raw`(?:\s*(?:năm\s*|/\s*)?(\d{4}))?`;

type Day = DateTime;

function isoDate(day: Day): string {
  return day.toISODate() ?? '';
}

function resolveYear(stated: string | undefined, context: TimingContext): number | null {
  return stated !== undefined ? Number(stated) : context.year;
}

function makeDay(year: number, month: number, day: number): Day | null {
  const date = DateTime.utc(year, month, day);
  return date.isValid ? date : null;
}

function window(from: Day, to: Day, wording: string): Timing {
  return { kind: 'window', from: isoDate(from), to: isoDate(to), wording };
}

function monthSpan(year: number, firstMonth: number, months: number, wording: string): Timing {
  const from = DateTime.utc(year, firstMonth, 1);
  return window(from, from.plus({ months }).minus({ days: 1 }), wording);
}

/** Each reader returns a timing, or null when its expression is absent. Order matters: specific before general. */
type Reader = (wording: string, context: TimingContext) => Timing | null;

const readDateRange: Reader = (wording, context) => {
  const match = new RegExp(String.raw`(?:từ\s*(?:ngày\s*)?)?${DATE}\s*(?:đến|-|–)\s*(?:ngày\s*)?${DATE}`, 'iu').exec(
    wording,
  );
  if (!match) return null;
  const [, d1, m1, y1, d2, m2, y2] = match;
  const endYear = resolveYear(y2, context);
  const startYear = y1 !== undefined ? Number(y1) : endYear;
  if (endYear === null || startYear === null) return null;
  const from = makeDay(startYear, Number(m1), Number(d1));
  const to = makeDay(endYear, Number(m2), Number(d2));
  return from && to ? window(from, to, wording) : null;
};

const readDeadline: Reader = (wording, context) => {
  const match = new RegExp(String.raw`(?:trước|chậm nhất|hạn chót)[^\d]{0,12}${DATE}`, 'iu').exec(wording);
  if (!match) return null;
  const [, day, month, stated] = match;
  const year = resolveYear(stated, context);
  const by = year === null ? null : makeDay(year, Number(month), Number(day));
  return by ? { kind: 'deadline', by: isoDate(by), wording } : null;
};

const readSingleDate: Reader = (wording, context) => {
  const match = new RegExp(String.raw`ngày\s*${DATE}`, 'iu').exec(wording);
  if (!match) return null;
  const [, day, month, stated] = match;
  const year = resolveYear(stated, context);
  const date = year === null ? null : makeDay(year, Number(month), Number(day));
  return date ? window(date, date, wording) : null;
};

const readHalfYear: Reader = (wording, context) => {
  const match = new RegExp(String.raw`6 tháng (đầu|cuối) năm${YEAR_SUFFIX}`, 'iu').exec(wording);
  if (!match) return null;
  const year = resolveYear(match[2], context);
  if (year === null) return null;
  return monthSpan(year, match[1]?.toLowerCase() === 'đầu' ? 1 : 7, 6, wording);
};

const readQuarter: Reader = (wording, context) => {
  const match = new RegExp(String.raw`quý\s*(iv|iii|ii|i|[1-4])(?![\p{L}])${YEAR_SUFFIX}`, 'iu').exec(wording);
  if (!match) return null;
  const label = (match[1] ?? '').toLowerCase();
  const quarter = ROMAN_QUARTERS[label] ?? Number(label);
  const year = resolveYear(match[2], context);
  return year === null ? null : monthSpan(year, (quarter - 1) * 3 + 1, 3, wording);
};

const readMonth: Reader = (wording, context) => {
  const match = new RegExp(String.raw`tháng\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?${YEAR_SUFFIX}`, 'iu').exec(wording);
  if (!match) return null;
  const month = Number(match[1]);
  const year = resolveYear(match[2] ?? match[3], context);
  return year === null || month < 1 || month > 12 ? null : monthSpan(year, month, 1, wording);
};

const readYear: Reader = (wording) => {
  const match = /năm\s*(\d{4})/iu.exec(wording);
  return match ? monthSpan(Number(match[1]), 1, 12, wording) : null;
};

const readRecurrence: Reader = (wording) => {
  const found = RECURRENCES.find(([pattern]) => pattern.test(wording));
  return found ? { kind: 'recurring', every: found[1], wording } : null;
};

const READERS: readonly Reader[] = [
  readDateRange,
  readDeadline,
  readHalfYear,
  readQuarter,
  readMonth,
  readSingleDate,
  readRecurrence,
  readYear,
];

/** Parses a plan's time expression; the trimmed original wording is always kept. */
export function parseTiming(wording: string, context: TimingContext = { year: null }): Timing {
  const kept = wording.normalize('NFC').replace(/\s+/g, ' ').trim().replace(/[.;]$/u, '');
  for (const read of READERS) {
    const timing = read(kept, context);
    if (timing) return timing;
  }
  return { kind: 'unparsed', wording: kept };
}

const TIME_DATE = String.raw`\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{4})?`;
const TIME_YEAR = String.raw`(?:\s*[/-]\s*\d{4}|\s+năm\s+\d{4})?`;
/** Time expressions as they sit inside a sentence, most specific first. A bare "năm 2025" counts only at the start
 * of a sentence or after "trong": elsewhere it is usually part of a name ("Kế hoạch … năm 2025"). */
const TIME_PHRASES: readonly RegExp[] = [
  new RegExp(String.raw`từ\s+(?:ngày\s+)?${TIME_DATE}\s*(?:đến|-|–)\s*(?:ngày\s+)?${TIME_DATE}`, 'iu'),
  new RegExp(String.raw`(?:trước|chậm nhất|hạn chót)(?:\s+là)?(?:\s+ngày)?\s+${TIME_DATE}`, 'iu'),
  new RegExp(String.raw`6 tháng (?:đầu|cuối) năm(?:\s+\d{4})?`, 'iu'),
  new RegExp(String.raw`(?:trong\s+)?quý\s*(?:IV|III|II|I|[1-4])(?![\p{L}])${TIME_YEAR}`, 'iu'),
  new RegExp(String.raw`(?:trong\s+)?tháng\s+\d{1,2}(?![\d/.-]\d)${TIME_YEAR}`, 'iu'),
  new RegExp(String.raw`(?:vào\s+)?ngày\s+${TIME_DATE}`, 'iu'),
  /thường xuyên|liên tục|(?:hằng|hàng)\s+(?:tuần|tháng|quý|năm)|định kỳ(?:\s+(?:hằng|hàng))?\s+(?:tuần|tháng|quý|năm)/iu,
  /(?:^|trong\s+)năm\s+\d{4}/iu,
];

/** The time expression a sentence states ("trong Quý II", "hằng tháng", "trước ngày 15/6"), or null. */
export function findTimingWording(sentence: string): string | null {
  for (const phrase of TIME_PHRASES) {
    const match = phrase.exec(sentence);
    if (match) return match[0].trim();
  }
  return null;
}
