import type { CodeOccurrence } from './document-codes';

/** Dates as plans write them: "ngày 19/3/2024", "ngày 08 tháng 01 năm 2023". */
const AFTER_CODE = /^\s*,?\s*(?:ban hành\s+)?ngày\s*(\d{1,2})\s*(?:[/-]|tháng)\s*(\d{1,2})\s*(?:[/-]|năm)\s*(\d{4})/iu;
export const NUMERIC_DATE = /(?<![\p{L}\p{N}])ngày\s*(\d{1,2})\s*\/\s*(\d{1,2})\s*\/\s*(\d{4})/giu;
/** "Ngày 19/02, UBND huyện … ban hành …": a news item leaves the year out. */
/** "Ngày 18 tháng 7 năm 2025, UBND xã … ban hành …": a date in words in a news item's sentence. */
export const WORDED_DATE = /(?<![\p{L}\p{N}])ngày\s*(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})/giu;
export const YEARLESS_DATE = /(?<![\p{L}\p{N}])ngày\s*(\d{1,2})\s*\/\s*(\d{1,2})(?!\s*\/\s*\d)/giu;
export const HEADER_DATE = /ngày\s+(\d{1,2})?\s*tháng\s+(\d{1,2})\s+năm\s+(\d{4})/iu;

export function isoDate(day: string | number, month: string | number, year: string | number): string | null {
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  const valid = date.getUTCDate() === d && date.getUTCMonth() === m - 1 && date.getUTCFullYear() === y;
  return valid ? date.toISOString().slice(0, 10) : null;
}

/** The date written right after a code: "Kế hoạch số 96/KH-UBND ngày 19/3/2024". */
export function codeDate(text: string, occurrence: CodeOccurrence): string | null {
  const match = AFTER_CODE.exec(text.slice(occurrence.end, occurrence.end + 40));
  return match ? isoDate(match[1] ?? '', match[2] ?? '', match[3] ?? '') : null;
}

/** A formal header date ("Bình Phước, ngày tháng 5 năm 2024"): null when the day is left blank. */
export function headerDate(text: string): string | null {
  const match = HEADER_DATE.exec(text);
  return match?.[1] === undefined ? null : isoDate(match[1], match[2] ?? '', match[3] ?? '');
}

export interface PostedAt {
  day: number;
  month: number;
  year: number;
}

/** "Thứ tư - 11/02/2026 10:22", "20:18 31/12/2025": the time a page was posted, a date beside a time of day. */
const POSTED_AT =
  /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})\s+\d{1,2}:\d{2}|\d{1,2}:\d{2}(?::\d{2})?\s+(?:-\s+)?(\d{1,2})\/(\d{1,2})\/(\d{4})/u;

/** When a page was posted: a date beside a time of day near its top. */
export function postedAt(text: string): PostedAt | null {
  const match = POSTED_AT.exec(text.slice(0, 600));
  if (!match) return null;
  const [day, month, year] = (match[1] === undefined ? match.slice(4, 7) : match.slice(1, 4)).map(Number);
  return day === undefined || month === undefined || year === undefined ? null : { day, month, year };
}
