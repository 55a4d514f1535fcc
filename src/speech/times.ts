import { sayCardinal } from './cardinal';
import { END, START } from './patterns';
import { rule } from './rule';
import type { Rule, RuleContext } from './segments';

const PERIODS: Record<string, string> = { SA: 'sáng', CH: 'chiều', AM: 'sáng', PM: 'chiều' };

/** "bảy giờ ba mươi phút"; zero minutes and seconds are not said. */
function sayClock(
  hours: string,
  minutes: string | undefined,
  seconds: string | undefined,
  context: RuleContext,
): string {
  const words = [sayCardinal(hours, context.dialect), 'giờ'];
  if (minutes && Number(minutes) > 0) words.push(sayCardinal(minutes, context.dialect), 'phút');
  if (seconds && Number(seconds) > 0) words.push(sayCardinal(seconds, context.dialect), 'giây');
  return words.join(' ');
}

function isClock(hours: string, minutes = '0', seconds = '0'): boolean {
  return Number(hours) <= 24 && Number(minutes) <= 59 && Number(seconds) <= 59;
}

/** 7h30, 7h, 14g30, "8g sáng" (a bare "8g" is eight grams). */
const hourLetter = rule(
  'time-h',
  `${START}(\\d{1,2})(?:([hH])|[gG](?=\\d|\\s+(?:sáng|trưa|chiều|tối|đêm)))(?:(\\d{2})(?:p|phút)?)?${END}`,
  (m, context) => {
    const [, hours = '', , minutes] = m;
    return isClock(hours, minutes) ? sayClock(hours, minutes, undefined, context) : null;
  },
  { needs: /\d[hHgG]/u },
);

/** 8:05, 23:59:59, "3:28 CH"; 27:45 cannot be a clock, so it is minutes and seconds. */
const colon = rule(
  'time-colon',
  `${START}(\\d{1,2}):(\\d{2})(?::(\\d{2}))?${END}(?:\\s*(SA|CH|AM|PM)${END}|\\s+(phút|giây)${END})?`,
  (m, context) => {
    const [, hours = '', minutes = '', seconds, period, unitWord] = m;
    const tail = period ? ` ${PERIODS[period]}` : '';
    if (isClock(hours, minutes, seconds)) return sayClock(hours, minutes, seconds, context) + tail;
    if (seconds === undefined && !period && !unitWord && Number(hours) <= 59 && Number(minutes) <= 59) {
      return `${sayCardinal(hours, context.dialect)} phút ${sayCardinal(minutes, context.dialect)} giây`;
    }
    return null;
  },
  { needs: /\d:\d/u },
);

/** "7 giờ 30" → bảy giờ ba mươi phút. */
const hourWord = rule(
  'time-gio',
  `${START}(\\d{1,2})\\s*giờ\\s*(\\d{1,2})${END}(?!\\s*phút)`,
  (m, context) => (isClock(m[1] ?? '', m[2]) ? sayClock(m[1] ?? '', m[2], undefined, context) : null),
  { needs: /\d\s*giờ\s*\d/u },
);

/** 3p20s, 5p, 30s: minutes and seconds in shorthand. */
const shorthand = rule(
  'time-ps',
  `${START}(?:(\\d{1,3})p)?(?:(\\d{1,3})s)?${END}`,
  (m, context) => {
    const [, minutes, seconds] = m;
    if (minutes === undefined && seconds === undefined) return null;
    const words: string[] = [];
    if (minutes !== undefined) words.push(sayCardinal(minutes, context.dialect), 'phút');
    if (seconds !== undefined && (Number(seconds) > 0 || minutes === undefined)) {
      words.push(sayCardinal(seconds, context.dialect), 'giây');
    }
    return words.join(' ');
  },
  { needs: /\d[ps]/u },
);

export const TIME_RULES: Rule[] = [hourLetter, colon, hourWord, shorthand];
