import type { Segment } from './segments';

const INITIALS = '(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])';
const FINALS = '(?:ch|ng|nh|[cmnptiyou])';
/** Rough shape of one Vietnamese syllable, tone marks removed: BAN, TIẾP, CÔNG are words; PCI, VT are not. */
const SYLLABLE = new RegExp(`^${INITIALS}?[aeiouy]{1,3}${FINALS}?$`);

function looksLikeVietnameseWord(word: string): boolean {
  const bare = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return SYLLABLE.test(bare);
}

/**
 * A word of capitals (and digits or "&") standing alone. The capital comes before the look behind it, which says the
 * same as a look behind placed first (nothing but a capital sits between the two places) and is searched about twice
 * as fast: a look behind placed first is tried at every position of the text.
 */
const CAPITALS_WORD = /\p{Lu}(?<![\p{L}\p{N}]\p{Lu})[\p{Lu}\p{N}&]+(?![\p{L}\p{N}])/gu;
const TWO_CAPITALS = /\p{Lu}[\p{Lu}\p{N}&]/u;
const SIGNS = /[#@^*\\|{}<>≥≤±≈~$€£¥₫]/gu;
const SIGN = /[#@^*\\|{}<>≥≤±≈~$€£¥₫]/u;

/**
 * Finds what is left as written and probably cannot be read aloud as is: upper-case abbreviations missing from
 * the dictionary, and signs no rule says. Each is reported once; the text itself is not changed.
 */
export function findUnsaid(segments: Segment[]): string[] {
  const found = new Set<string>();
  for (const segment of segments) {
    if (segment.spoken) continue;
    // Each search only where it can find something: most text has no two capitals in a row and no sign.
    if (TWO_CAPITALS.test(segment.text)) {
      for (const [word] of segment.text.matchAll(CAPITALS_WORD)) {
        if (!looksLikeVietnameseWord(word)) found.add(`Chữ viết tắt chưa có trong từ điển, để nguyên: "${word}"`);
      }
    }
    if (SIGN.test(segment.text)) {
      for (const [sign] of segment.text.matchAll(SIGNS)) found.add(`Ký hiệu chưa đọc được, để nguyên: "${sign}"`);
    }
  }
  return [...found];
}
