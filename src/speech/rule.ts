import type { Rule } from './segments';

/** A rule from a regular-expression source; `i` is added for rules keyed on Vietnamese words. */
export function rule(name: string, source: string, say: Rule['say'], options: { ignoreCase?: boolean } = {}): Rule {
  return { name, pattern: new RegExp(source, options.ignoreCase ? 'giu' : 'gu'), say };
}

/** The text after the match, for rules that look ahead beyond what they replace. */
export function textAfter(match: RegExpExecArray): string {
  return match.input.slice(match.index + match[0].length);
}
