import { alternation } from './patterns';
import { withoutRepeatedLead } from './repeated-lead';
import { textAfter, textBefore } from './rule';
import type { Rule } from './segments';
import type { AbbreviationDictionary } from './types';

const patterns = new WeakMap<AbbreviationDictionary, RegExp | null>();

function patternFor(dictionary: AbbreviationDictionary): RegExp | null {
  if (!patterns.has(dictionary)) {
    const keys = [...dictionary.keys()];
    // A key ending in "." (KT.) already ends at a boundary; a key ending in a letter must not run on.
    patterns.set(
      dictionary,
      keys.length
        ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternation(keys)})(?:(?<=\\.)|(?![\\p{L}\\p{N}]))`, 'gu')
        : null,
    );
  }
  return patterns.get(dictionary) ?? null;
}

/** "Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)", or after a list head "các Chỉ số: năng lực cạnh tranh cấp tỉnh
 * (PCI)": the name has just been said, whole or without its head words, so say the short form instead. */
function followsItsOwnName(match: RegExpExecArray, full: string): boolean {
  const before = textBefore(match);
  const after = textAfter(match);
  if (!/\(\s*$/.test(before) || !/^\s*\)/.test(after)) return false;
  const said = before.replace(/\s*\(\s*$/, '').toLowerCase();
  const words = full.toLowerCase().split(/\s+/u);
  for (let dropped = 0; dropped <= Math.min(2, words.length - 2); dropped += 1) {
    if (said.endsWith(words.slice(dropped).join(' '))) return true;
  }
  // A long name quoted with a word left out ("hài lòng của người dân đối với … nhà nước (SIPAS)"): its last words.
  return words.length >= 6 && said.endsWith(words.slice(-5).join(' '));
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
      // Right after its own full name the short form adds nothing a listener needs: it is dropped, brackets and all
      // (normalise() removes the empty brackets), unless the dictionary says how people say it (PCI: pê xê i), for
      // an acronym listeners will hear again on its own.
      const text = followsItsOwnName(match, entry.full)
        ? (entry.short ?? '')
        : withoutRepeatedLead(match.input.slice(0, match.index), entry.full);
      return { text, kind: 'words' };
    },
  };
}
