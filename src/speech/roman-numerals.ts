import { sayCardinal } from './cardinal';
import { sayOrdinal } from './ordinal';
import { END, START } from './patterns';
import { rule } from './rule';
import type { Rule } from './segments';

const VALUES: Record<string, number> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };
const CANONICAL = /^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$/;

/** The value of a well-formed Roman numeral (either case), or null: "IIII" and "IC" are not numerals. */
export function romanValue(text: string): number | null {
  const upper = text.toUpperCase();
  if (upper === '' || !CANONICAL.test(upper)) return null;
  let total = 0;
  [...upper].forEach((ch, i) => {
    const value = VALUES[ch] ?? 0;
    const next = VALUES[upper[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  });
  return total;
}

/** Words after which a Roman numeral is a number: quý I, chương III, thế kỷ XXI, khóa XV, mục IV… */
const KEYWORDS = [
  'quý',
  'phần',
  'chương',
  'khóa',
  'khoá',
  'thế kỷ',
  'thế kỉ',
  'mục',
  'đoạn',
  'khoản',
  'phụ lục',
  'hồi',
  'tập',
  'số',
  'năm',
  'đại hội',
  'kỳ',
  'thứ',
  'bài',
  'tiết',
];

/**
 * Lone c, d, l, m are far more often lettered items ("điểm c", "mục d") than 100, 500, 50, 1000,
 * and a lower-case numeral must be unambiguous, so "mục c" stays a letter.
 */
function acceptable(numeral: string): boolean {
  const upper = numeral === numeral.toUpperCase();
  const lower = numeral === numeral.toLowerCase();
  if (!upper && !lower) return false;
  if (numeral.length === 1) return /^[ivx]$/i.test(numeral);
  return true;
}

const afterKeyword = rule(
  'roman-after-keyword',
  `${START}(${KEYWORDS.join('|')})(\\s+)([ivxlcdm]+)${END}(?!\\.\\p{L})`,
  (m, context) => {
    const [, keyword = '', space = '', numeral = ''] = m;
    const value = romanValue(numeral);
    if (value === null || !acceptable(numeral)) return null;
    const digits = String(value);
    const said =
      keyword.toLowerCase() === 'thứ' ? sayOrdinal(digits, context.dialect) : sayCardinal(digits, context.dialect);
    return `${keyword}${space}${said}`;
  },
  {
    ignoreCase: true,
    needs: new RegExp(`(?:${KEYWORDS.join('|')})\\s+[ivxlcdm]`, 'iu'),
  },
);

/** Section headings at the start of a line: "II. NỘI DUNG" → "hai. NỘI DUNG". */
const heading = rule(
  'roman-heading',
  `(?<=^|\\n)(\\s*)([IVXLCDM]+)(?=[.)]\\s)`,
  (m, context) => {
    const [, indent = '', numeral = ''] = m;
    const value = romanValue(numeral);
    return value === null ? null : `${indent}${sayCardinal(String(value), context.dialect)}`;
  },
  { needs: /[IVXLCDM][.)]\s/u },
);

export const ROMAN_RULES: Rule[] = [afterKeyword, heading];
