/**
 * How far a rule may look around its match. Rules look for a few words ("ngày", "của Bộ…", "(PCI)"); a bounded
 * window keeps each match's cost constant, so a line of any length is read in linear time.
 */
export const CONTEXT_CHARS = 200;

/** The text after the match (at most CONTEXT_CHARS), for rules that look ahead beyond what they replace. */
export function textAfter(match: RegExpExecArray): string {
  const start = match.index + match[0].length;
  return match.input.slice(start, start + CONTEXT_CHARS);
}

/** The text before the match (at most CONTEXT_CHARS). */
export function textBefore(match: RegExpExecArray): string {
  return match.input.slice(Math.max(0, match.index - CONTEXT_CHARS), match.index);
}
