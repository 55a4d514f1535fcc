/** Regular-expression fragments shared by the rules. All rules use the `u` flag. */

/** No letter or digit just before / after: \b only knows ASCII, and Vietnamese is not ASCII. */
export const START = '(?<![\\p{L}\\p{N}_])';
export const END = '(?![\\p{L}\\p{N}_])';

/**
 * A written number: 1.000.005 or 98,5 (Vietnamese separators), 521,973,993 (English thousands, only when
 * unambiguous), 192.168.1.1 (dotted, not thousands), or plain digits.
 */
export const NUMBER =
  '(?:\\d{1,3}(?:\\.\\d{3})+(?![.\\d])(?:,\\d+)?|\\d{1,3}(?:,\\d{3}){2,}(?![,\\d])|\\d{1,3}(?:,\\d{3})+\\.\\d+|\\d+(?:\\.\\d+)+|\\d+(?:,\\d+)?)';

/** A minus sign only where it cannot be a range dash: at the start, or after a space or bracket. */
export const MINUS = '(?:(?<=^|[\\s(\\[;:])[-−](?=\\d))?';

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Longest first, so "km/h" wins over "km" and "PAR INDEX" over "PAR". */
export function alternation(words: Iterable<string>): string {
  return [...words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
}
