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
 * Finds what is left as written and probably cannot be read aloud as is: upper-case abbreviations missing from
 * the dictionary, and signs no rule says. Each is reported once; the text itself is not changed.
 */
export function findUnsaid(segments: Segment[]): string[] {
  const found = new Set<string>();
  for (const segment of segments) {
    if (segment.spoken) continue;
    for (const [word] of segment.text.matchAll(/(?<![\p{L}\p{N}])[\p{Lu}][\p{Lu}\p{N}&]+(?![\p{L}\p{N}])/gu)) {
      if (!looksLikeVietnameseWord(word)) found.add(`Chữ viết tắt chưa có trong từ điển, để nguyên: "${word}"`);
    }
    for (const [sign] of segment.text.matchAll(/[#@^*\\|{}<>≥≤±≈~$€£¥₫]/gu)) {
      found.add(`Ký hiệu chưa đọc được, để nguyên: "${sign}"`);
    }
  }
  return [...found];
}
