import { isDay, isMonth, sayDay, sayMonth } from './calendar';
import { sayCardinal } from './cardinal';
import { END, START } from './patterns';
import { romanValue } from './roman-numerals';
import { rule } from './rule';
import type { Rule, RuleContext } from './segments';

function sayDate(
  day: number,
  month: number,
  year: string | undefined,
  ngay: string | undefined,
  context: RuleContext,
): string {
  const d = context.dialect;
  const words = [ngay?.trim() ?? 'ngày', sayDay(day, d), 'tháng', sayMonth(month, d)];
  if (year !== undefined) words.push('năm', sayCardinal(year, d));
  return words.join(' ');
}

/** 28/3/2025, 18/02/2022, 25-03-1975, 10.05.2000, "20 - 03 - 2023". */
const fullDate = rule(
  'date',
  `${START}(ngày\\s+)?(\\d{1,2})(\\s*[/.-]\\s*)(\\d{1,2})\\3(\\d{4})${END}`,
  (m, context) => {
    const [, ngay, day, , month, year] = m;
    if (!isDay(Number(day)) || !isMonth(Number(month))) return null;
    return sayDate(Number(day), Number(month), year, ngay, context);
  },
  { ignoreCase: true },
);

/** 3/2026 and "tháng 04/1969" → tháng … năm …. */
const monthYear = rule(
  'month-year',
  `${START}(tháng\\s+)?(\\d{1,2})\\s*/\\s*(\\d{4})${END}`,
  (m, context) => {
    const [, thang, month, year = ''] = m;
    if (!isMonth(Number(month))) return null;
    return `${thang?.trim() ?? 'tháng'} ${sayMonth(Number(month), context.dialect)} năm ${sayCardinal(year, context.dialect)}`;
  },
  { ignoreCase: true },
);

/** quý I/2025, quý 2/2024 → quý một năm …. */
const quarterYear = rule(
  'quarter-year',
  `${START}(quý)\\s+([IV]{1,3}|[1-4])\\s*/\\s*(\\d{4})${END}`,
  (m, context) => {
    const [, quy = '', quarter = '', year = ''] = m;
    const value = /\d/.test(quarter) ? Number(quarter) : romanValue(quarter);
    if (value === null || value < 1 || value > 4) return null;
    return `${quy} ${sayCardinal(String(value), context.dialect)} năm ${sayCardinal(year, context.dialect)}`;
  },
  { ignoreCase: true },
);

/**
 * 21/02 or "ngày 14/4": a date only when "ngày" comes first or a part is zero-padded,
 * because 1/2 and 3/4 are fractions.
 */
const dayMonth = rule(
  'day-month',
  `${START}(ngày\\s+)?(\\d{1,2})/(\\d{1,2})(?![/\\d]|[.,]\\d)${END}`,
  (m, context) => {
    const [, ngay, day = '', month = ''] = m;
    const padded = /^0\d$/.test(day) || /^0\d$/.test(month);
    if (!ngay && !padded) return null;
    if (!isDay(Number(day)) || !isMonth(Number(month))) return null;
    return sayDate(Number(day), Number(month), undefined, ngay, context);
  },
  { ignoreCase: true },
);

/** "tháng 4" → tháng tư; "tháng 1 2024" → tháng một năm …; "4 tháng" is a count and stays a number. */
const monthName = rule(
  'month',
  `${START}(tháng)\\s+(\\d{1,2})(?:\\s+(năm\\s+)?(\\d{4}))?${END}(?![.,/]\\d)`,
  (m, context) => {
    const [, thang = '', month = '', , year] = m;
    if (!isMonth(Number(month))) return null;
    const said = `${thang} ${sayMonth(Number(month), context.dialect)}`;
    return year === undefined ? said : `${said} năm ${sayCardinal(year, context.dialect)}`;
  },
  { ignoreCase: true },
);

/** "ngày 5" → ngày mồng năm; "5 ngày" is a count. */
const dayName = rule(
  'day',
  `${START}(ngày)\\s+(\\d{1,2})${END}(?![.,/]\\d)`,
  (m, context) => {
    const [, ngay = '', day = ''] = m;
    if (!isDay(Number(day))) return null;
    return `${ngay} ${sayDay(Number(day), context.dialect)}`;
  },
  { ignoreCase: true },
);

export const DATE_RULES: Rule[] = [fullDate, quarterYear, monthYear, dayMonth, monthName, dayName];
