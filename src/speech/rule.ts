import type { Rule } from './segments';

/**
 * A rule from a regular-expression source; `i` is added for rules keyed on Vietnamese words. `needs` (see Rule) must
 * match wherever the pattern does, in any text: with the pattern's own case folding, and not global, since `test` on a
 * global pattern moves its lastIndex.
 */
export function rule(
  name: string,
  source: string,
  say: Rule['say'],
  options: { ignoreCase?: boolean; needs?: RegExp } = {},
): Rule {
  const { needs } = options;
  if (needs && (needs.global || needs.sticky)) throw new Error(`rule ${name}: needs must not be global or sticky`);
  return { name, pattern: new RegExp(source, options.ignoreCase ? 'giu' : 'gu'), say, ...(needs ? { needs } : {}) };
}

export { CONTEXT_CHARS, textAfter, textBefore } from './match-context';
