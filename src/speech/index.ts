import { abbreviationRule } from './abbreviations';
import { sayConnectors } from './connectors';
import { DATE_RULES } from './dates';
import { DOCUMENT_NUMBER_RULES } from './document-numbers';
import { FURNITURE_RULES } from './furniture';
import { LETTER_RULES } from './letters';
import { MARKUP_RULES } from './markup';
import { MEASURE_RULES } from './measures';
import { NUMBER_RULES } from './numbers';
import { ORDINAL_RULES } from './ordinals';
import { PHONE_RULES } from './phone-numbers';
import { splitIntoPieces } from './pieces';
import { PLACE_RULES } from './place-abbreviations';
import { ROMAN_RULES } from './roman-numerals';
import { applyRule, joinSegments, type Rule, type RuleContext, type Segment } from './segments';
import { SYMBOL_RULES } from './symbols';
import { TIME_RULES } from './times';
import type { AbbreviationDictionary, NormaliseOptions, NormaliseResult } from './types';
import { findUnsaid } from './unsaid';
import { WEB_ADDRESS_RULES } from './web-addresses';

export type { AbbreviationDictionary, AbbreviationEntry, Dialect, NormaliseOptions, NormaliseResult } from './types';

/**
 * Order matters: the most specific shapes go first, because a spoken piece is never read again.
 * An e-mail contains dots and digits, a document number contains a slash, a date contains numbers.
 */
const RULES_BEFORE_ABBREVIATIONS: Rule[] = [
  ...MARKUP_RULES,
  ...WEB_ADDRESS_RULES,
  ...FURNITURE_RULES,
  ...PLACE_RULES,
  ...PHONE_RULES,
  ...DOCUMENT_NUMBER_RULES,
  ...DATE_RULES,
  ...TIME_RULES,
  ...ROMAN_RULES,
  ...ORDINAL_RULES,
  ...MEASURE_RULES,
  ...NUMBER_RULES,
];

const RULES_AFTER_ABBREVIATIONS: Rule[] = [...LETTER_RULES, ...SYMBOL_RULES];

/** Every rule normalise() applies but the dictionary's, in order: the tests compare them with and without `needs`. */
export const FIXED_RULES: readonly Rule[] = [...RULES_BEFORE_ABBREVIATIONS, ...RULES_AFTER_ABBREVIATIONS];

const NO_ABBREVIATIONS: AbbreviationDictionary = new Map();

/** Written Vietnamese → what an announcer or a TTS box should say. Pure: no I/O. */
export function normalise(text: string, options: NormaliseOptions = {}): NormaliseResult {
  const warnings: string[] = [];
  const abbreviations = options.abbreviations ?? NO_ABBREVIATIONS;
  const context: RuleContext = {
    dialect: options.dialect ?? 'north',
    abbreviations,
    warn: (message) => warnings.push(message),
  };
  const abbreviation = abbreviationRule(abbreviations);
  const said = splitIntoPieces(text.normalize('NFC')).map((piece) => {
    let segments: Segment[] = [{ spoken: false, text: piece }];
    for (const rule of RULES_BEFORE_ABBREVIATIONS) segments = applyRule(segments, rule, context);
    segments = sayConnectors(segments);
    if (abbreviation) segments = applyRule(segments, abbreviation, context);
    for (const rule of RULES_AFTER_ABBREVIATIONS) segments = applyRule(segments, rule, context);
    warnings.push(...findUnsaid(segments));
    return joinSegments(segments);
  });
  return {
    text: said
      .join('')
      // A short form dropped after its full name leaves its brackets empty: "thủ tục hành chính (TTHC)".
      .replace(/[ \t]*\(\s*\)/g, '')
      .replace(/[ \t]{2,}/g, ' ')
      .replace(/ +,/g, ',')
      .replace(/([:;.,!?]),/g, '$1'),
    warnings: [...new Set(warnings)],
  };
}
