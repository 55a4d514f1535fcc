import { sayDigits } from './cardinal';
import { END, START } from './patterns';
import { rule } from './rule';
import type { Rule } from './segments';

/** How a 10- or 11-digit number is grouped when written without separators: 0912 345 678, 0299 362 3333. */
const DEFAULT_GROUPS: Record<number, number[]> = { 9: [2, 3, 4], 10: [4, 3, 3], 11: [4, 3, 4] };

function group(digits: string): string[] {
  const sizes = DEFAULT_GROUPS[digits.length] ?? [digits.length];
  const groups: string[] = [];
  let at = 0;
  for (const size of sizes) {
    groups.push(digits.slice(at, at + size));
    at += size;
  }
  return groups;
}

/**
 * Telephone numbers are read digit by digit, in the groups they are written in (or 4-3-3), with a
 * comma between groups so the announcer pauses: "0299.3623.333" → không hai chín chín, ba sáu hai ba, ba ba ba.
 */
const phone = rule(
  'phone',
  `${START}(\\+84|0)((?:[ .-]?\\d){8,10})${END}(?![.,]\\d)`,
  (m) => {
    const [, prefix = '', rest = ''] = m;
    const digits = rest.replace(/\D/g, '');
    const national = prefix === '0' ? `0${digits}` : digits;
    if (prefix === '0' ? national.length < 10 : national.length < 9) return null;
    const written = (prefix === '0' ? `0${rest}` : rest).split(/[ .-]+/).filter(Boolean);
    const groups = written.length > 1 ? written : group(national);
    const said = groups.map(sayDigits).join(', ');
    return { text: prefix === '+84' ? `cộng tám bốn, ${said}` : said, kind: 'words' };
  },
  { needs: /(?:\+84|0)(?:[ .-]?\d){8}/u },
);

/** Hotlines 1900 xxxx / 1800 xxxx. */
const hotline = rule(
  'hotline',
  `${START}(1[89]00)[ .]?(\\d{4}|\\d{3}[ .]?\\d{3})${END}`,
  (m) => ({
    text: [m[1] ?? '', (m[2] ?? '').replace(/\D/g, '')].map(sayDigits).join(', '),
    kind: 'words',
  }),
  { needs: /1[89]00/u },
);

export const PHONE_RULES: Rule[] = [phone, hotline];
