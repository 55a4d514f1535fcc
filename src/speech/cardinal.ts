import { digitWord, lexicon } from './lexicon';
import type { Dialect } from './types';

/**
 * Reads a string of digits as a whole number, any size: "2025" → "hai nghìn không trăm hai mươi lăm".
 * Strings, not numbers, so 16-digit amounts keep every digit. Leading zeros are ignored ("05" → "năm").
 */
export function sayCardinal(digits: string, dialect: Dialect = 'north'): string {
  const significant = digits.replace(/^0+/, '');
  if (significant === '') return digitWord(0);
  return sayWithBillions(significant, false, dialect).join(' ');
}

/** "0912" → "không chín một hai". */
export function sayDigits(digits: string): string {
  return [...digits].map((d) => digitWord(Number(d))).join(' ');
}

const BILLION_DIGITS = 9;

/** Vietnamese has no word above tỷ: 10^15 is "một triệu tỷ", 10^18 "một tỷ tỷ". */
function sayWithBillions(digits: string, padded: boolean, dialect: Dialect): string[] {
  if (digits.length <= BILLION_DIGITS) return sayBelowBillion(digits, padded, dialect);
  const high = digits.slice(0, -BILLION_DIGITS);
  const low = digits.slice(-BILLION_DIGITS);
  const words = [...sayWithBillions(high, padded, dialect), 'tỷ'];
  if (/[1-9]/.test(low)) words.push(...sayBelowBillion(low, true, dialect));
  return words;
}

function sayBelowBillion(digits: string, padded: boolean, dialect: Dialect): string[] {
  const scales = ['', lexicon(dialect).thousand, 'triệu'];
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  const words: string[] = [];
  groups.forEach((group, i) => {
    if (!/[1-9]/.test(group)) return;
    // Once something has been said, a group is read in full: 1.000.005 = một triệu không trăm linh năm.
    const full = padded || words.length > 0;
    words.push(...sayGroup(group.padStart(3, '0'), full, dialect));
    const scale = scales[groups.length - 1 - i];
    if (scale) words.push(scale);
  });
  return words;
}

function sayGroup(group: string, full: boolean, dialect: Dialect): string[] {
  const [hundreds, tens, units] = [...group].map(Number) as [number, number, number];
  const words: string[] = [];
  if (full || hundreds > 0) words.push(digitWord(hundreds), 'trăm');
  if (tens === 0) {
    if (units > 0) {
      if (words.length > 0) words.push(lexicon(dialect).zeroTens);
      words.push(digitWord(units));
    }
  } else {
    words.push(...(tens === 1 ? ['mười'] : [digitWord(tens), 'mươi']));
    if (units > 0) words.push(unitsAfterTens(units, tens));
  }
  return words;
}

/** mười lăm, hai mươi mốt, hai mươi tư, hai mươi lăm — but mười một, mười bốn. */
function unitsAfterTens(units: number, tens: number): string {
  if (units === 5) return 'lăm';
  if (tens >= 2 && units === 1) return 'mốt';
  if (tens >= 2 && units === 4) return 'tư';
  return digitWord(units);
}
