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
  { ignoreCase: true, needs: /\d\s*[/.-]\s*\d/u },
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
  { ignoreCase: true, needs: /\d\s*\/\s*\d/u },
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
  { ignoreCase: true, needs: /\/\s*\d/u },
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
  { ignoreCase: true, needs: /\d\/\d/u },
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
  { ignoreCase: true, needs: /tháng\s+\d/iu },
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
  { ignoreCase: true, needs: /ngày\s+\d/iu },
);

/**
 * Words that put a date right after them without "ngày": the time of day a news item opens with ("Sáng 19/7",
 * "Chiều 02/2", "Tối 20/4", "Đêm 30/4", "Sáng nay (19/7)"). After them "19/7" and "19-7" are a day and a month,
 * never a fraction or a range, and are said as announcers say them: "Sáng mười chín tháng bảy".
 */
const TIME_OF_DAY =
  '(?:rạng sáng|sáng sớm|sáng|trưa|chiều|tối|đêm|khuya)(?:\\s+(?:nay|qua|mai|cùng ngày))?|hôm nay|hôm qua|ngày mai';

function sayDayMonth(day: number, month: number, year: string | undefined, context: RuleContext): string {
  const words = [sayDay(day, context.dialect), 'tháng', sayMonth(month, context.dialect)];
  if (year !== undefined) words.push('năm', sayCardinal(year, context.dialect));
  return words.join(' ');
}

/** "Sáng 19/7", "Chiều 19-7", "Tối 20/4/2025", "Sáng nay (19/7)": a date after a time of day. */
const dateAfterTimeOfDay = rule(
  'date-after-time-of-day',
  `${START}(${TIME_OF_DAY})(\\s*\\(?\\s*)(\\d{1,2})\\s*([/-])\\s*(\\d{1,2})(?:\\s*\\4\\s*(\\d{4}))?${END}(?![.,/-]\\d)`,
  (m, context) => {
    const [, when = '', between = '', day = '', , month = '', year] = m;
    if (!isDay(Number(day)) || !isMonth(Number(month))) return null;
    return { text: `${when}${between}${sayDayMonth(Number(day), Number(month), year, context)}`, kind: 'words' };
  },
  { ignoreCase: true, needs: /\d\s*[/-]\s*\d/u },
);

/**
 * "từ ngày 19 - 20/7", "ngày 19-20/7/2025", "Sáng 19 và 20/7": two days of one month. Said with the month once, at
 * the end, as it is written: "từ ngày mười chín đến ngày hai mươi tháng bảy".
 */
const dayRange = rule(
  'day-range',
  `${START}(ngày|${TIME_OF_DAY})\\s+(\\d{1,2})\\s*([-–]|và|đến)\\s*(\\d{1,2})\\s*/\\s*(\\d{1,2})(?:\\s*/\\s*(\\d{4}))?${END}(?![.,/]\\d)`,
  (m, context) => {
    const [, lead = '', first = '', joiner = '', second = '', month = '', year] = m;
    if (!isDay(Number(first)) || !isDay(Number(second)) || !isMonth(Number(month))) return null;
    const isNgay = lead.toLowerCase() === 'ngày';
    const link = joiner === 'và' ? 'và' : 'đến';
    const tail = sayDayMonth(Number(second), Number(month), year, context);
    return {
      text: `${lead} ${sayDay(Number(first), context.dialect)} ${link} ${isNgay ? 'ngày ' : ''}${tail}`,
      kind: 'words',
    };
  },
  { ignoreCase: true, needs: /\d\s*\/\s*\d/u },
);

/**
 * A dateline: "24/7, …" or "(GLO)- 13-3, …" opening a line, followed by a comma. A news item starts with its date;
 * a fraction does not open a sentence. Read as a date with a warning, since it is a guess.
 */
const datelineDate = rule(
  'dateline-date',
  `(?<=^\\s*(?:\\([\\p{Lu}.]{2,10}\\)\\s*[-–]\\s*)?)(\\d{1,2})([/-])(\\d{1,2})(?:\\2(\\d{4}))?(?=\\s*,)`,
  (m, context) => {
    const [, day = '', , month = '', year] = m;
    if (!isDay(Number(day)) || !isMonth(Number(month))) return null;
    context.warn(
      `"${m[0]}" ở đầu câu được đọc là ngày ${Number(day)} tháng ${Number(month)}; nếu không phải, hãy sửa lại`,
    );
    return { text: `ngày ${sayDayMonth(Number(day), Number(month), year, context)}`, kind: 'words' };
  },
  { needs: /\d[/-]\d/u },
);

/**
 * Streets, parks and squares named after a day: "đường 3/2", "công viên 30.4", "Quảng trường 2-9". After such a place
 * word the number pair is the day's name, written with a slash, dot or dash, never a fraction or a decimal; a name is
 * said without "mồng": "đường ba tháng hai", "công viên ba mươi tháng tư".
 */
const PLACE_NAMED_FOR_A_DAY = '(?:đường|phố|công viên|vườn hoa|quảng trường|sân vận động|hội trường|nhà văn hóa)';
const placeNamedForADay = rule(
  'place-named-for-a-day',
  `${START}(${PLACE_NAMED_FOR_A_DAY})\\s+(\\d{1,2})([/.-])(\\d{1,2})${END}(?![.,/-]\\d)`,
  (m, context) => {
    const [, place = '', day = '', , month = ''] = m;
    if (!isDay(Number(day)) || !isMonth(Number(month))) return null;
    const name = [sayCardinal(day, context.dialect), 'tháng', sayMonth(Number(month), context.dialect)].join(' ');
    return { text: `${place} ${name}`, kind: 'words' };
  },
  { ignoreCase: true, needs: /\d[/.-]\d/u },
);

export const DATE_RULES: Rule[] = [
  placeNamedForADay,
  dayRange,
  dateAfterTimeOfDay,
  datelineDate,
  fullDate,
  quarterYear,
  monthYear,
  dayMonth,
  monthName,
  dayName,
];
