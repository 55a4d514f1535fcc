import { readFileSync } from 'node:fs';
import path from 'node:path';

import { normalise } from '../../src/speech';
import { loadAbbreviations } from '../../src/speech/dictionary';

interface Case {
  kind: string;
  input: string;
  expected: string;
}

/** The readable table: test/speech/cases.tsv, one case per line, grouped by class. */
function loadCases(): Case[] {
  const file = path.join(__dirname, 'cases.tsv');
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line, i) => {
      const [kind, input, expected, ...extra] = line.split('\t');
      if (kind === undefined || input === undefined || expected === undefined || extra.length > 0) {
        throw new Error(`cases.tsv: case ${i + 1} needs exactly 3 tab-separated fields: ${line}`);
      }
      return { kind, input, expected };
    });
}

const cases = loadCases();
const abbreviations = loadAbbreviations();
const kinds = [...new Set(cases.map((c) => c.kind))];

test('the table has at least 300 cases', () => {
  expect(cases.length).toBeGreaterThanOrEqual(300);
});

describe.each(kinds)('%s', (kind) => {
  test.each(cases.filter((c) => c.kind === kind).map((c) => [c.input, c.expected]))('%s → %s', (input, expected) => {
    expect(normalise(input, { abbreviations }).text).toBe(expected);
  });
});
