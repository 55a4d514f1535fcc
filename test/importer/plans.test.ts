import { createHash } from 'node:crypto';

import { ImportError, importPlanBuffer, importPlanFile, parsePlanText } from '../support/importer';
import { planFixture, planFixtures, roughened } from './fixtures';

const fixtures = planFixtures();

function failureOf(run: () => unknown): ImportError {
  try {
    run();
  } catch (error) {
    if (error instanceof ImportError) return error;
    throw error;
  }
  throw new Error('expected an ImportError');
}

test('all five published documents have an expected fixture', () => {
  expect(fixtures.map((fixture) => fixture.name)).toEqual([
    'bac-giang-cchc-review',
    'binh-phuoc-2024-sldtbxh',
    'binh-phuoc-2025-ubnd-107',
    'ninh-thuan-2023-ubnd-911',
    'soc-trang-2022-ubnd-21',
  ]);
});

describe.each(fixtures.filter((fixture) => fixture.expected.plan))('$name', ({ text, path, expected }) => {
  const plan = expected.plan;

  test('every field matches the plan as read by a person', () => {
    const parsed = parsePlanText(text);
    expect(parsed.identity).toEqual(plan?.identity);
    expect(parsed.goals).toEqual(plan?.goals);
    expect(parsed.contentAreas).toEqual(plan?.contentAreas);
    expect(parsed.channels).toEqual(plan?.channels);
    expect(parsed.activities).toEqual(plan?.activities);
    expect(parsed.reporting).toEqual(plan?.reporting);
    expect(parsed.funding).toEqual(plan?.funding);
    expect(parsed.units).toEqual(plan?.units);
    expect(parsed.recipientUnitKeys).toEqual(plan?.recipientUnitKeys);
    expect(parsed).toEqual(plan);
  });

  test('NFD input gives the same plan as NFC', () => {
    expect(parsePlanText(text.normalize('NFD'))).toEqual(plan);
  });

  test('CRLF, tabs and stray spaces change nothing', () => {
    expect(parsePlanText(roughened(text))).toEqual(plan);
  });

  test('importing the file gives the plan, its cleaned text and the sha256 of that text', async () => {
    const imported = await importPlanFile(path);
    expect(imported.plan).toEqual(plan);
    expect(imported.sourceHash).toBe(createHash('sha256').update(imported.text).digest('hex'));
    expect(imported.text).not.toMatch(/\r|\t| {2}/);
  });

  test('every unit a plan refers to is among its units', () => {
    const parsed = parsePlanText(text);
    const keys = new Set(parsed.units.map((unit) => unit.key));
    const referenced = [
      ...parsed.activities.flatMap((activity) => [...activity.leadUnitKeys, ...activity.partnerUnitKeys]),
      ...parsed.reporting.flatMap((duty) => [...duty.fromUnitKeys, ...(duty.toUnitKey ? [duty.toUnitKey] : [])]),
      ...parsed.recipientUnitKeys,
    ];
    for (const key of referenced) expect(keys).toContain(key);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});

describe.each(fixtures.filter((fixture) => fixture.expected.error))('$name', ({ text, expected }) => {
  test('is refused with the reason stated in its fixture', () => {
    const error = failureOf(() => parsePlanText(text));
    expect({ reason: error.reason, field: error.field }).toEqual(expected.error);
    expect(error.message).toMatch(/không nói về một kế hoạch nào/);
  });
});

test('a document and its roughened copy have the same source hash', async () => {
  const { text } = planFixture('binh-phuoc-2024-sldtbxh');
  const clean = await importPlanBuffer({ buffer: Buffer.from(text), name: 'a.txt' });
  const rough = await importPlanBuffer({ buffer: Buffer.from(roughened(text)), name: 'b.txt' });
  expect(rough.sourceHash).toBe(clean.sourceHash);
  const changed = await importPlanBuffer({ buffer: Buffer.from(text.replace('năm 2024', 'năm 2025')), name: 'c.txt' });
  expect(changed.sourceHash).not.toBe(clean.sourceHash);
});
