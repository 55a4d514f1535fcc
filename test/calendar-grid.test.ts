import { fillGrid, periodOf } from '../src/http/pages/calendar-grid';

/** An entry at a local time in Vietnam (UTC+7), e.g. "2026-12-07T23:30". */
const at = (local: string) => ({ scheduledAt: new Date(`${local}:00+07:00`), label: local });

describe('the calendar grid', () => {
  const december = periodOf('month', '2026-12')!;
  const days = (grid: ReturnType<typeof fillGrid>) => new Map(grid.flat().map((d) => [d.date, d]));

  test("places each entry on its local day, the first of a day's entries shown up to the limit and the rest counted", () => {
    const entries = [
      at('2026-12-07T00:00'),
      at('2026-12-07T08:00'),
      at('2026-12-07T12:00'),
      at('2026-12-07T23:59'),
      at('2026-12-08T00:00'),
      at('2026-12-31T23:00'),
    ];
    const shown: string[] = [];
    const grid = fillGrid(december, entries, 2, (e) => {
      shown.push(e.label);
      return e.label;
    });
    const byDate = days(grid);
    expect(byDate.get('2026-12-07')).toMatchObject({ entries: ['2026-12-07T00:00', '2026-12-07T08:00'], more: 2 });
    expect(byDate.get('2026-12-08')).toMatchObject({ entries: ['2026-12-08T00:00'], more: 0 });
    expect(byDate.get('2026-12-31')).toMatchObject({ entries: ['2026-12-31T23:00'], more: 0, inPeriod: true });
    expect(byDate.get('2026-12-06')).toMatchObject({ entries: [], more: 0 });
    // Only what is shown is formatted.
    expect(shown).toHaveLength(4);
  });

  test("the grid's whole weeks around the month take entries of their days; entries outside the grid are left out", () => {
    // December 2026 starts on a Tuesday: the grid begins on Monday 30 November and ends on Sunday 3 January.
    const grid = fillGrid(
      december,
      [at('2026-11-29T23:59'), at('2026-11-30T00:00'), at('2027-01-03T23:00'), at('2027-01-04T00:00')],
      5,
      (e) => e.label,
    );
    const byDate = days(grid);
    expect(grid.flat()[0]!.date).toBe('2026-11-30');
    expect(byDate.get('2026-11-30')).toMatchObject({ entries: ['2026-11-30T00:00'], inPeriod: false });
    expect(byDate.get('2027-01-03')).toMatchObject({ entries: ['2027-01-03T23:00'], inPeriod: false });
    expect(grid.flat().flatMap((d) => d.entries)).toHaveLength(2);
  });
});
