import { sayCardinal } from './cardinal';
import { lexicon } from './lexicon';
import { MINUS, NUMBER } from './patterns';
import type { Dialect } from './types';
import { sayWrittenNumber } from './written-number';

/** A fraction "3/4" or "-12 1/4" (mixed). */
export const FRACTION = `${MINUS}(?:\\d+\\s+)?\\d+/\\d+`;

/** A number or a fraction, optionally signed. */
export const QUANTITY = `(?:${FRACTION}|${MINUS}${NUMBER})`;

/** Denominators are said like counts, except 4, which is "tư": ba phần tư. */
function sayDenominator(digits: string, dialect: Dialect): string {
  return digits === '4' ? 'tư' : sayCardinal(digits, dialect);
}

/**
 * 3/4 → ba phần tư; 23 1/5 → hai mươi ba và một phần năm. A slash with a large denominator
 * (123/4 is a house number) is read "trên" (Southern "xẹt").
 */
/** After a slash number, these words make it an address (123/4 đường Nguyễn Trãi), not a fraction. */
const ADDRESS_WORD = /^\s*(?:đường|phố|ngõ|ngách|hẻm|kiệt|khu phố|tổ|ấp|thôn)(?![\p{L}])/iu;

export function isAddressNumber(after: string): boolean {
  return ADDRESS_WORD.test(after);
}

export function sayFraction(written: string, dialect: Dialect, asAddress = false): string {
  const negative = /^[-−]/.test(written);
  const parts = written.replace(/^[-−]/, '').trim().split(/\s+/);
  const [numerator = '', denominator = ''] = (parts.pop() ?? '').split('/');
  const whole = parts[0];
  const isFraction =
    !asAddress && Number(denominator) > 0 && (Number(denominator) <= 10 || Number(numerator) < Number(denominator));
  const said = isFraction
    ? `${sayCardinal(numerator, dialect)} phần ${sayDenominator(denominator, dialect)}`
    : `${sayCardinal(numerator, dialect)} ${lexicon(dialect).slash} ${sayCardinal(denominator, dialect)}`;
  const withWhole = whole === undefined ? said : `${sayCardinal(whole, dialect)} và ${said}`;
  return negative ? `âm ${withWhole}` : withWhole;
}

export function sayQuantity(written: string, dialect: Dialect, warn: (message: string) => void): string {
  return written.includes('/') ? sayFraction(written, dialect) : sayWrittenNumber(written, dialect, warn);
}
