import { spellLetters } from './lexicon';
import { alternation } from './patterns';
import { withoutRepeatedLead } from './repeated-lead';
import type { Rule } from './segments';
import type { AbbreviationDictionary } from './types';

const patterns = new WeakMap<AbbreviationDictionary, RegExp | null>();

function patternFor(dictionary: AbbreviationDictionary): RegExp | null {
  if (!patterns.has(dictionary)) {
    const keys = [...dictionary.keys()];
    // A key ending in "." (KT.) already ends at a boundary; a key ending in a letter must not run on.
    patterns.set(dictionary, keys.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation(keys)})(?:(?<=\\.)|(?![\\p{L}\\p{N}]))`, 'gu') : null);
  }
  return patterns.get(dictionary) ?? null;
}

/** "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)": the name has just been said, so say the short form instead. */
function followsItsOwnName(match: RegExpExecArray, full: string): boolean {
  const before = match.input.slice(0, match.index);
  const after = match.input.slice(match.index + match[0].length);
  return /\(\s*$/.test(before) && /^\s*\)/.test(after) && before.replace(/\s*\(\s*$/, '').toLowerCase().endsWith(full.toLowerCase());
}

/** Expands abbreviations from the editable dictionary (templates/abbreviations.tsv). */
export function abbreviationRule(dictionary: AbbreviationDictionary): Rule | null {
  const pattern = patternFor(dictionary);
  if (!pattern) return null;
  return {
    name: 'abbreviation',
    pattern,
    say(match) {
      const entry = dictionary.get(match[0]);
      if (!entry) return null;
      const text = followsItsOwnName(match, entry.full)
        ? entry.short ?? spellLetters(match[0])
        : withoutRepeatedLead(match.input.slice(0, match.index), entry.full);
      return { text, kind: 'words' };
    },
  };
}
