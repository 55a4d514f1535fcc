import { spellLetters } from './lexicon';
import { rule } from './rule';
import type { Rule } from './segments';

/** "chữ B", "ký tự w": the letter is named (bê, vê kép). */
const afterLetterWord = rule(
  'letter-after-word',
  `(?<=(?:chữ|chữ cái|ký tự|kí tự)\\s+)['"‘“]?([\\p{L}])['"’”]?(?![\\p{L}\\p{N}])`,
  (m) => ({ text: spellLetters(m[1] ?? ''), kind: 'words' }),
  { ignoreCase: true, needs: /chữ|ký tự|kí tự/iu },
);

/**
 * A capital letter standing alone (Mục B, Anh M., vitamin G) is named, so a TTS box does not read
 * it as a syllable. Runs after abbreviations, so dictionary entries win.
 */
const loneCapital = rule(
  'lone-capital',
  `(?<![\\p{L}\\p{N}'’.])([A-Z])(?![\\p{L}\\p{N}'’/&-])`,
  (m) => ({
    text: spellLetters(m[1] ?? ''),
    kind: 'words',
  }),
  { needs: /[A-Z]/u },
);

export const LETTER_RULES: Rule[] = [afterLetterWord, loneCapital];
