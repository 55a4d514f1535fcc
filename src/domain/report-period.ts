import { DateTime } from 'luxon';

import { ValidationError } from './errors';
import { LOCAL_ZONE } from './time';

/**
 * A reporting period: whole Vietnam-time days, as units report them (quý, 6 tháng, năm, tháng, or from–to).
 * Boundaries are UTC instants so the store compares them with stored times; `end` is exclusive.
 */
export interface ReportPeriod {
  /** As given or derived: "2026-Q1", "2026-H1", "2026", "2026-03", "2026-01-05..2026-02-10". */
  key: string;
  /** For people, as it is written in a report's title: "quý I năm 2026". */
  label: string;
  /** First and last local day, YYYY-MM-DD (both included). */
  firstDay: string;
  lastDay: string;
  start: Date;
  end: Date;
  months: PeriodMonth[];
}

export interface PeriodMonth {
  /** "2026-03" */
  key: string;
  /** "Tháng 3/2026" */
  label: string;
  start: Date;
  end: Date;
}

const ROMAN = ['I', 'II', 'III', 'IV'];
/** Long ranges make long tables and month lists; a report covers at most this many years. */
const MAX_YEARS = 10;

function localDay(value: string, field: string): DateTime {
  for (const format of ['d/L/yyyy', 'yyyy-LL-dd']) {
    const day = DateTime.fromFormat(value.trim(), format, { zone: LOCAL_ZONE });
    if (day.isValid) return day.startOf('day');
  }
  throw new ValidationError(field, `"${value}" không phải ngày hợp lệ (dùng 01/01/2026 hoặc 2026-01-01)`);
}

function build(key: string, label: string, first: DateTime, last: DateTime): ReportPeriod {
  const endLocal = last.plus({ days: 1 }).startOf('day');
  const months: PeriodMonth[] = [];
  for (let month = first.startOf('month'); month < endLocal; month = month.plus({ months: 1 })) {
    const start = month < first ? first : month;
    const next = month.plus({ months: 1 });
    const end = next > endLocal ? endLocal : next;
    months.push({
      key: month.toFormat('yyyy-LL'),
      label: `Tháng ${month.month}/${month.year}`,
      start: start.toJSDate(),
      end: end.toJSDate(),
    });
  }
  return {
    key,
    label,
    firstDay: first.toISODate()!,
    lastDay: last.toISODate()!,
    start: first.toJSDate(),
    end: endLocal.toJSDate(),
    months,
  };
}

/** "2026-Q1" | "2026-H1" | "2026" | "2026-03" → the period of those local days. */
export function parsePeriod(text: string, field = '--period'): ReportPeriod {
  const value = text.trim().toUpperCase();
  const year = (y: string) => DateTime.fromObject({ year: Number(y), month: 1, day: 1 }, { zone: LOCAL_ZONE });
  let m = /^(\d{4})-Q([1-4])$/.exec(value);
  if (m) {
    const q = Number(m[2]);
    const first = year(m[1]!).plus({ months: (q - 1) * 3 });
    return build(value, `quý ${ROMAN[q - 1]} năm ${m[1]}`, first, first.plus({ months: 3 }).minus({ days: 1 }));
  }
  m = /^(\d{4})-H([12])$/.exec(value);
  if (m) {
    const first = year(m[1]!).plus({ months: m[2] === '1' ? 0 : 6 });
    return build(
      value,
      `6 tháng ${m[2] === '1' ? 'đầu' : 'cuối'} năm ${m[1]}`,
      first,
      first.plus({ months: 6 }).minus({ days: 1 }),
    );
  }
  m = /^(\d{4})$/.exec(value);
  if (m) return build(value, `năm ${m[1]}`, year(m[1]!), year(m[1]!).endOf('year').startOf('day'));
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(value);
  if (m) {
    const first = year(m[1]!).set({ month: Number(m[2]) });
    return build(value, `tháng ${Number(m[2])} năm ${m[1]}`, first, first.endOf('month').startOf('day'));
  }
  throw new ValidationError(
    field,
    `"${text}" không phải kỳ báo cáo; dùng 2026-Q1 (quý), 2026-H1 (6 tháng), 2026 (năm) hoặc 2026-03 (tháng)`,
  );
}

/** From one local day to another, both included. */
export function periodBetween(from: string, to: string): ReportPeriod {
  const first = localDay(from, '--from');
  const last = localDay(to, '--to');
  if (last < first) throw new ValidationError('--to', `ngày cuối ${to} đứng trước ngày đầu ${from}`);
  if (last.diff(first, 'years').years > MAX_YEARS)
    throw new ValidationError('--to', `kỳ báo cáo dài quá ${MAX_YEARS} năm`);
  const label = `từ ngày ${first.toFormat('dd/LL/yyyy')} đến ngày ${last.toFormat('dd/LL/yyyy')}`;
  return build(`${first.toISODate()}..${last.toISODate()}`, label, first, last);
}
