import fs from 'node:fs';
import path from 'node:path';

import fc from 'fast-check';

import { FIXED_RULES, normalise } from '../../src/speech';
import { loadAbbreviations } from '../../src/speech/dictionary';
import type { Rule } from '../../src/speech/segments';

/**
 * A rule's `needs` lets the normaliser skip text the rule cannot match in (most rules need a digit, a slash or a
 * keyword most text lacks). It is only a shortcut: whatever the text, what is said and what is warned must be the same
 * byte for byte as with every rule tried everywhere.
 */
const abbreviations = loadAbbreviations();
const PLANS = path.join(__dirname, '../fixtures/plans');

function textsIn(folder: string): string[] {
  return fs
    .readdirSync(folder)
    .filter((name) => name.endsWith('.txt'))
    .map((name) => fs.readFileSync(path.join(folder, name), 'utf8'));
}

/** Each document whole, and each of its lines, as a radio script would hold it. */
const documents = [...textsIn(PLANS), ...textsIn(path.join(PLANS, 'corpus'))];
const lines = documents.flatMap((text) => text.split('\n')).filter((line) => line.trim() !== '');
/** The written column (the second) of the rule cases and of the news sentences. */
const written = ['cases.tsv', 'news.tsv'].flatMap((file) =>
  fs
    .readFileSync(path.join(__dirname, file), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => line.split('\t')[1] ?? ''),
);

function said(text: string, dialect: 'north' | 'south'): string {
  return JSON.stringify(normalise(text, { abbreviations, dialect }));
}

/** What `run` gives with every rule tried on every piece of text, as before the rules had `needs`. */
function withoutNeeds<T>(run: () => T): T {
  const kept = new Map<Rule, RegExp>();
  for (const rule of FIXED_RULES) {
    if (rule.needs) kept.set(rule, rule.needs);
    delete rule.needs;
  }
  try {
    return run();
  } finally {
    for (const [rule, needs] of kept) rule.needs = needs;
  }
}

test('most rules say what they need, and none needs more than one test of a text', () => {
  const needing = FIXED_RULES.filter((rule) => rule.needs);
  expect(needing.length).toBeGreaterThanOrEqual(FIXED_RULES.length - 2);
  for (const rule of needing) expect(rule.needs!.global || rule.needs!.sticky).toBe(false);
});

test.each(['north', 'south'] as const)(
  'the five real plans and the corpus, whole and line by line, the rule cases and the news sentences (%s): the same with and without the skip',
  (dialect) => {
    const texts = [...documents, ...lines, ...written];
    expect(texts.length).toBeGreaterThan(1_000);
    const skipping = texts.map((text) => said(text, dialect));
    const everywhere = withoutNeeds(() => texts.map((text) => said(text, dialect)));
    // Compared one by one, so a failure names the text.
    texts.forEach((text, i) => expect({ text, said: skipping[i] }).toEqual({ text, said: everywhere[i] }));
  },
);

/** Pieces that make rules match or nearly match, and letters whose case folding is unusual. */
const TOKENS = [
  ...['1', '23', '04', '2025', '1.000', '98,5', '/', '-', '.', ',', ':', ' ', '\n', '(', ')'],
  ...['ngày', 'tháng', 'năm', 'quý', 'I', 'IV', 'XX', 'mục', 'II', 'chữ', 'ký tự', 'B', 'Sáng', 'đường', 'thứ', 'hạng'],
  ...['h', 'g', 'p', 's', 'k', 'tr', 't', 'km', 'm', '%', '$', '€', 'đồng', 'USD', 'nghìn', 'giờ'],
  ...['@', 'www.', 'http://', 'a.vn', '.pdf', '<en>', '</en>', 'sau đây gọi tắt là', '»', '«', '›', '|', '→'],
  ...['UBND', 'KH', 'QĐ', 'CP', 'Q.', 'P.', '+84', '0', '1900', 'ISO', 'TCVN', '&', '+', '=', '~', '>', '<'],
  ...['Σ', 'İ', 'ſ', 'K', 'Ⅳ', '١', '²', '😀', 'v.v', 'TP.HCM', 'PCI', 'Chỉ số năng lực cạnh tranh cấp tỉnh'],
];

test('random text made of what the rules look for: the same with and without the skip', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), fc.boolean(), (tokens, south) => {
      const text = tokens.join('');
      const dialect = south ? 'south' : 'north';
      expect(said(text, dialect)).toBe(withoutNeeds(() => said(text, dialect)));
    }),
    { numRuns: 3_000 },
  );
});
