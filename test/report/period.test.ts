import fs from 'node:fs';
import path from 'node:path';

import { parsePeriod, periodBetween } from '../../src/domain/report-period';
import { proposeCalendar } from '../support/calendar';
import { parsePlanText } from '../support/importer';

test('periods are Vietnam-time days, as UTC instants, with their months', () => {
  const q1 = parsePeriod('2026-Q1');
  expect([q1.label, q1.firstDay, q1.lastDay]).toEqual(['quý I năm 2026', '2026-01-01', '2026-03-31']);
  expect([q1.start.toISOString(), q1.end.toISOString()]).toEqual([
    '2025-12-31T17:00:00.000Z',
    '2026-03-31T17:00:00.000Z',
  ]);
  expect(q1.months.map((m) => m.key)).toEqual(['2026-01', '2026-02', '2026-03']);
  expect(parsePeriod('2026-h2').label).toBe('6 tháng cuối năm 2026');
  expect(parsePeriod('2026').months).toHaveLength(12);
  expect(parsePeriod('2026-02').lastDay).toBe('2026-02-28');
  const range = periodBetween('15/01/2026', '2026-02-10');
  expect(range.months.map((m) => [m.key, m.start.toISOString()])).toEqual([
    ['2026-01', '2026-01-14T17:00:00.000Z'],
    ['2026-02', '2026-01-31T17:00:00.000Z'],
  ]);
  expect(range.end.toISOString()).toBe('2026-02-10T17:00:00.000Z');
});

test('a period that is not one is refused, naming the option', () => {
  expect(() => parsePeriod('2026-Q5')).toThrow(expect.objectContaining({ field: '--period' }));
  expect(() => parsePeriod('quý 1')).toThrow(expect.objectContaining({ field: '--period' }));
  expect(() => periodBetween('31/03/2026', '01/01/2026')).toThrow(expect.objectContaining({ field: '--to' }));
  expect(() => periodBetween('32/01/2026', '01/02/2026')).toThrow(expect.objectContaining({ field: '--from' }));
});

test('the calendar proposal ties each draft to the plan activities its slots come from', () => {
  const plan = parsePlanText(
    fs.readFileSync(path.join(__dirname, '../../examples/plans/binh-phuoc-2024-sldtbxh.txt'), 'utf8'),
  );
  const { items, slots } = proposeCalendar(plan, { from: '2024-06-01', to: '2024-06-30' });
  expect(slots.every((s) => s.activityLabel === 'a')).toBe(true);
  expect(items.every((i) => i.activityLabels.join() === 'a')).toBe(true);
});
