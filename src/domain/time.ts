import { DateTime, FixedOffsetZone } from 'luxon';

import { ValidationError } from './errors';

/**
 * Every time Loa shows or reads from a person is in Vietnam's zone (Asia/Ho_Chi_Minh); every stored time is UTC.
 * Vietnam has kept UTC+7, without daylight saving, since 1975, so the zone is that fixed offset: the same times as
 * the IANA zone for every date Loa handles, and a conversion costs arithmetic instead of an Intl.formatToParts call
 * (luxon's IANA zones make one per conversion: a fifth of a radio publish's CPU, and every log line's timestamp).
 */
export const LOCAL_ZONE = FixedOffsetZone.instance(7 * 60);
/** The zone's IANA name, for libraries that take a name (date-holidays). */
export const LOCAL_ZONE_NAME = 'Asia/Ho_Chi_Minh';

/** The stored form: ISO 8601 UTC with milliseconds, fixed width, so text order is time order in both databases. */
export function toStored(date: Date): string {
  return date.toISOString();
}

export function fromStored(stored: string): Date {
  return new Date(stored);
}

/** Formats a UTC instant for a person, e.g. "23/11/2026 08:30". */
export function formatLocal(date: Date | string, format = 'dd/LL/yyyy HH:mm'): string {
  const instant = typeof date === 'string' ? fromStored(date) : date;
  return numericFormat(format)?.(instant) ?? DateTime.fromJSDate(instant).setZone(LOCAL_ZONE).toFormat(format);
}

type Formatter = (instant: Date) => string | null;

/** The numeric tokens of luxon's formats, each read from the local time's UTC fields (the offset is fixed). */
const TOKENS: Record<string, (local: Date) => string> = {
  yyyy: (t) => String(t.getUTCFullYear()),
  LL: (t) => String(t.getUTCMonth() + 1).padStart(2, '0'),
  MM: (t) => String(t.getUTCMonth() + 1).padStart(2, '0'),
  dd: (t) => String(t.getUTCDate()).padStart(2, '0'),
  HH: (t) => String(t.getUTCHours()).padStart(2, '0'),
  mm: (t) => String(t.getUTCMinutes()).padStart(2, '0'),
  ss: (t) => String(t.getUTCSeconds()).padStart(2, '0'),
  SSS: (t) => String(t.getUTCMilliseconds()).padStart(3, '0'),
  // The fixed offset, as luxon writes it: +07:00.
  ZZ: () => OFFSET_TEXT,
  "'T'": () => 'T',
};
const formatters = new Map<string, Formatter | null>();

/**
 * The formats Loa uses on the publish path and in log lines ("dd/LL/yyyy", "HH:mm", …: numbers and separators) as
 * arithmetic on the fixed offset; null for any other format, which luxon formats. luxon's `toFormat` parses its
 * format on every call: three calls a publication (the template's date and time, the log line's stamp) were 7 % of a
 * portal publication's worker CPU in the profile. The log line's stamp (yyyy-LL-dd'T'HH:mm:ss.SSSZZ) is one of them:
 * luxon formatting it was 5 % of a burst's worker CPU.
 */
function numericFormat(format: string): Formatter | null {
  let formatter = formatters.get(format);
  if (formatter !== undefined) return formatter;
  const parts = format.match(/yyyy|LL|MM|dd|HH|mm|ss|SSS|ZZ|'T'|[/:. -]/g);
  formatter =
    parts && parts.join('') === format
      ? (instant) => {
          const local = new Date(instant.getTime() + OFFSET_MS);
          const year = local.getUTCFullYear();
          // Four-digit years only: luxon's own padding and signs decide the rest.
          if (!(year >= 1000 && year <= 9999)) return null;
          return parts.map((part) => TOKENS[part]?.(local) ?? part).join('');
        }
      : null;
  formatters.set(format, formatter);
  return formatter;
}
const OFFSET_MS = LOCAL_ZONE.offset(0) * 60_000;
const OFFSET_TEXT = LOCAL_ZONE.formatOffset(0, 'short');

const LOCAL_INPUT_FORMATS = [
  'dd/LL/yyyy HH:mm',
  'd/L/yyyy H:mm',
  'dd/LL/yyyy',
  'd/L/yyyy',
  "yyyy-LL-dd'T'HH:mm",
  "yyyy-LL-dd'T'HH:mm:ss",
  'yyyy-LL-dd HH:mm',
  'yyyy-LL-dd',
];

/**
 * Reads a time a person typed. Without an offset it is local Vietnam time; ISO strings with an offset or Z
 * are taken as they say. "+5m" / "+2h" / "+3d" mean from `now`.
 */
export function parseLocal(text: string, field: string, now: Date = new Date()): Date {
  const input = text.trim();
  const relative = /^\+(\d+)\s*(s|m|h|d)$/.exec(input);
  if (relative) {
    const unit = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' } as const;
    const at = DateTime.fromJSDate(now).plus({ [unit[relative[2] as keyof typeof unit]]: Number(relative[1]) });
    // "+99999999d" is past any calendar: said in words, not "Invalid time value" from deep inside.
    if (!at.isValid || at.year > 9999 || relative[1]!.length > 9)
      throw new ValidationError(field, `"${text}" xa quá: không phải thời điểm hợp lệ`);
    return at.toJSDate();
  }
  if (/(Z|[+-]\d\d:?\d\d)$/.test(input)) {
    const withZone = DateTime.fromISO(input, { setZone: true });
    if (withZone.isValid) return withZone.toJSDate();
  }
  for (const format of LOCAL_INPUT_FORMATS) {
    const local = DateTime.fromFormat(input, format, { zone: LOCAL_ZONE });
    if (local.isValid) return local.toJSDate();
  }
  throw new ValidationError(
    field,
    `"${text}" không phải thời điểm hợp lệ (dùng dạng 25/12/2026 08:30, 2026-12-25T08:30 hoặc +10m)`,
  );
}

/**
 * Long forms made so far, by instant: a desk page shows the same few hundred slot times again and again, and luxon's
 * weekday name costs an Intl call each (in the CPU profiles of the approval queue and the log, a tenth of the page).
 * Started afresh when full.
 */
const longForms = new Map<number, string>();
const LONG_FORMS_KEPT = 10_000;

/** A time as people read it on the desk, e.g. "Thứ Hai, 07/12/2026 08:30". */
export function formatLongLocal(date: Date | string): string {
  const instant = typeof date === 'string' ? fromStored(date) : date;
  const ms = instant.getTime();
  let text = longForms.get(ms);
  if (text === undefined) {
    text = DateTime.fromJSDate(instant).setZone(LOCAL_ZONE).setLocale('vi').toFormat('cccc, dd/LL/yyyy HH:mm');
    if (longForms.size >= LONG_FORMS_KEPT) longForms.clear();
    longForms.set(ms, text);
  }
  return text;
}

/** Publication times far outside any plan (year 0001, 9999) are typing mistakes. */
const EARLIEST_YEAR = 2000;
const LATEST_YEAR = 2100;

/** A minute's grace: a time typed as "now" is a little in the past when it arrives. */
const PAST_GRACE_MS = 60_000;

/** A publication time, however it was given: in a sane year and not in the past (a minute's grace). */
export function checkPublishInstant(at: Date, field: string, now: Date): void {
  if (Number.isNaN(at.getTime())) throw new ValidationError(field, 'không phải thời điểm hợp lệ');
  const year = DateTime.fromJSDate(at).setZone(LOCAL_ZONE).year;
  if (year < EARLIEST_YEAR || year > LATEST_YEAR)
    throw new ValidationError(field, `năm ${year} nằm ngoài khoảng ${EARLIEST_YEAR}–${LATEST_YEAR}`);
  if (at.getTime() < now.getTime() - PAST_GRACE_MS)
    throw new ValidationError(
      field,
      `${formatLocal(at)} đã qua (bây giờ là ${formatLocal(now)}); chọn giờ sau, hoặc thêm --ngay-lap-tuc để đăng ngay`,
    );
}

/**
 * A publication time a person typed: it must say the hour (a date alone would silently mean midnight), fall in a
 * sane year, and not be in the past unless `immediately` is given (then a past time means "now").
 */
export function parsePublishTime(
  text: string,
  field: string,
  options: { now?: Date; immediately?: boolean } = {},
): Date {
  const now = options.now ?? new Date();
  const input = text.trim();
  const relative = /^\+\d+\s*(s|m|h|d)$/.test(input);
  if (!relative && !/\d[:h]\d\d|T\d\d/i.test(input)) {
    throw new ValidationError(field, `"${text}" chỉ có ngày, thiếu giờ; ghi cả giờ, ví dụ "${input} 08:30"`);
  }
  const at = parseLocal(input, field, now);
  if (options.immediately && at.getTime() < now.getTime() - PAST_GRACE_MS) {
    checkPublishInstant(at, field, at); // the year only: a past time means now
    return now;
  }
  checkPublishInstant(at, field, now);
  return at;
}
