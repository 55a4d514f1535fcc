import type { Dialect } from './types';

export const DIGIT_WORDS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;

export function digitWord(digit: number): string {
  return DIGIT_WORDS[digit] ?? String(digit);
}

/** The words where Northern and Southern speech differ; everything else is shared. */
export interface Lexicon {
  /** Zero tens digit: 105 = một trăm linh năm / lẻ năm. */
  zeroTens: string;
  thousand: string;
  /** Before days 1–10: mồng năm / mùng năm. */
  earlyDay: string;
  /** A slash that is neither a date, a fraction nor a rate (123/4 đường…). */
  slash: string;
}

const LEXICONS: Record<Dialect, Lexicon> = {
  north: { zeroTens: 'linh', thousand: 'nghìn', earlyDay: 'mồng', slash: 'trên' },
  south: { zeroTens: 'lẻ', thousand: 'ngàn', earlyDay: 'mùng', slash: 'xẹt' },
};

export function lexicon(dialect: Dialect): Lexicon {
  return LEXICONS[dialect];
}

/** Vietnamese letter names, as an announcer spells an acronym or an e-mail address. */
const LETTER_NAMES: Record<string, string> = {
  a: 'a',
  ă: 'á',
  â: 'ớ',
  b: 'bê',
  c: 'xê',
  d: 'dê',
  đ: 'đê',
  e: 'e',
  ê: 'ê',
  f: 'ép',
  g: 'gờ',
  h: 'hát',
  i: 'i',
  j: 'gi',
  k: 'ca',
  l: 'lờ',
  m: 'mờ',
  n: 'nờ',
  o: 'o',
  ô: 'ô',
  ơ: 'ơ',
  p: 'pê',
  q: 'quy',
  r: 'rờ',
  s: 'ét',
  t: 'tê',
  u: 'u',
  ư: 'ư',
  v: 'vê',
  w: 'vê kép',
  x: 'ích',
  y: 'i dài',
  z: 'dét',
};

/** "PCI" → "pê xê i"; digits are read one by one; anything else is kept as written. */
export function spellLetters(text: string): string {
  return [...text.toLowerCase()]
    .map((ch) => LETTER_NAMES[ch] ?? (/\d/.test(ch) ? digitWord(Number(ch)) : ch))
    .filter((word) => word.trim() !== '')
    .join(' ');
}
