import { type AbbreviationDictionary, type Dialect, normalise } from '../../src/speech';
import { countSyllables, layoutForBreath } from './breath';

/** What the announcer reads for one publication, and how long it takes at the station's speed. */
export interface Script {
  /** Spoken text: every number and abbreviation in words, one breath a line. */
  text: string;
  syllables: number;
  seconds: number;
  /** What the normaliser could not say with confidence, and sentences too long to breathe; never dropped. */
  warnings: string[];
}

export interface ScriptOptions {
  dialect: Dialect;
  abbreviations: AbbreviationDictionary;
  syllablesPerMinute: number;
  breathSyllables: number;
}

/** Seconds to read `syllables` at `syllablesPerMinute`, rounded up: a slot must never be fuller than it looks. */
export function readingSeconds(syllables: number, syllablesPerMinute: number): number {
  return Math.ceil((syllables * 60) / syllablesPerMinute);
}

/** "2 phút 5 giây", "40 giây", "15 phút". */
export function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} giây`;
  return rest === 0 ? `${minutes} phút` : `${minutes} phút ${rest} giây`;
}

/** Written text (a rendered template) → the script for the ear. Pure. */
export function buildScript(written: string, options: ScriptOptions): Script {
  const spoken = normalise(written, { dialect: options.dialect, abbreviations: options.abbreviations });
  const laid = layoutForBreath(spoken.text, options.breathSyllables);
  const syllables = countSyllables(laid.text);
  const warnings = [
    ...spoken.warnings,
    ...laid.unsplit.map(
      (s) => `câu dài ${countSyllables(s)} âm tiết không có dấu phẩy hay liên từ để ngắt hơi: "${shorten(s)}"`,
    ),
  ];
  return { text: laid.text, syllables, seconds: readingSeconds(syllables, options.syllablesPerMinute), warnings };
}

function shorten(sentence: string): string {
  const words = sentence.split(/\s+/);
  return words.length <= 8 ? sentence : `${words.slice(0, 8).join(' ')} …`;
}
