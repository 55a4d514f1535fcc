/** Keyword matching over Vietnamese text (NFC). JS `\b` only knows ASCII, so word edges are letters or marks. */

const NOT_LETTER_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}])';
const NOT_LETTER_AFTER = '(?![\\p{L}\\p{M}\\p{N}])';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A case-insensitive regex matching `phrase` as whole words; spaces in the phrase match any run of spaces. */
export function wordPattern(phrase: string, flags = 'giu'): RegExp {
  const body = escapeRegExp(phrase.normalize('NFC')).replace(/ +/g, '\\s+');
  return new RegExp(`${NOT_LETTER_BEFORE}${body}${NOT_LETTER_AFTER}`, flags);
}

export interface KeywordRule<K> {
  key: K;
  /** Phrases matched as whole words, case-insensitively; a RegExp when a phrase needs an exception. */
  keywords: readonly (string | RegExp)[];
}

interface CompiledRule<K> {
  key: K;
  patterns: RegExp[];
}

export interface KeywordHit<K> {
  key: K;
  index: number;
  length: number;
}

/** Compiles a keyword table once; `hits` lists every rule that matches, with its earliest position. */
export function keywordMatcher<K>(rules: readonly KeywordRule<K>[]) {
  const compiled: CompiledRule<K>[] = rules.map((rule) => ({
    key: rule.key,
    patterns: rule.keywords.map((keyword) => (typeof keyword === 'string' ? wordPattern(keyword, 'iu') : keyword)),
  }));

  function hits(text: string): KeywordHit<K>[] {
    const found: KeywordHit<K>[] = [];
    for (const rule of compiled) {
      let best: KeywordHit<K> | null = null;
      for (const pattern of rule.patterns) {
        const match = pattern.exec(text);
        if (match && (best === null || match.index < best.index)) {
          best = { key: rule.key, index: match.index, length: match[0].length };
        }
      }
      if (best) found.push(best);
    }
    return found.sort((a, b) => a.index - b.index || b.length - a.length);
  }

  /** The rule whose keyword appears first: a Vietnamese sentence names its subject early. */
  function earliest(text: string): K | null {
    return hits(text)[0]?.key ?? null;
  }

  return { hits, earliest };
}

/** ASCII kebab-case: "Văn phòng Sở" → "van-phong-so". */
export function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Uppercases the first letter, leaving the rest as written. */
export function capitalize(text: string): string {
  return text.charAt(0).toLocaleUpperCase('vi') + text.slice(1);
}

/** Drops list markers, trailing separators and closing marks ("./.") around an item. */
export function trimItem(text: string): string {
  return text
    .replace(/^\s*(?:[-+•*–]\s*|\d+\.\s+|[a-zđ]\)\s*)/u, '')
    .replace(/\s*(?:\.\/\.|[.;,])\s*$/u, '')
    .trim();
}
