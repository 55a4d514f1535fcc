import { importPlanText } from '../support/importer';
import { asRead, type CorpusExpectation, corpusFixtures } from './corpus';

const fixtures = corpusFixtures();

/** "identity.issuer" → the value at that path. */
function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], value);
}

function withoutGaps(value: Omit<CorpusExpectation, 'notYetRead'>, gaps: string[]): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of gaps) {
    const keys = path.split('.');
    const last = keys.pop() ?? '';
    delete (
      keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], copy) as Record<string, unknown>
    )[last];
  }
  return copy;
}

test('the corpus has at least 15 published plans, each with its source and a hand-read expectation', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(15);
  for (const fixture of fixtures) expect(fixture.source.source).toMatch(/^https?:\/\//);
  const years = fixtures.map((fixture) => fixture.expected.identity.year ?? fixture.expected.identity.period?.to ?? 0);
  expect(years.filter((year) => year >= 2025).length).toBeGreaterThanOrEqual(2);
});

describe.each(fixtures)('$name', ({ text, expected }) => {
  const { notYetRead = [], ...reading } = expected;

  test('is imported as a plan and read as a person reads it', () => {
    const read = asRead(importPlanText(text));
    expect(withoutGaps(read, notYetRead)).toEqual(withoutGaps(reading, notYetRead));
  });

  test('its own code is never one it cites', () => {
    const { identity } = importPlanText(text).plan;
    if (identity.code !== null)
      expect(identity.citedDocuments.map((document) => document.code.text)).not.toContain(identity.code.text);
  });

  if (notYetRead.length > 0) {
    test(`still does not read ${notYetRead.join(', ')} (take it off notYetRead once it does)`, () => {
      const read = asRead(importPlanText(text));
      for (const path of notYetRead) expect(at(read, path)).not.toEqual(at(reading, path));
    });
  }
});
