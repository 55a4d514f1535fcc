import type { Rule } from './segments';

/** A rule from a regular-expression source; `i` is added for rules keyed on Vietnamese words. */
export function rule(name: string, source: string, say: Rule['say'], options: { ignoreCase?: boolean } = {}): Rule {
  return { name, pattern: new RegExp(source, options.ignoreCase ? 'giu' : 'gu'), say };
}

export { CONTEXT_CHARS, textAfter, textBefore } from './match-context';
