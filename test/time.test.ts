import { DateTime } from 'luxon';

import { ValidationError } from '../src/domain/errors';
import { publicationId } from '../src/domain/publication';
import { formatLocal, fromStored, parseLocal, toStored } from '../src/domain/time';

describe('times: stored UTC, shown in Asia/Ho_Chi_Minh', () => {
  test.each([
    ['25/12/2026 08:30', '2026-12-25T01:30:00.000Z'],
    ['1/1/2027 0:15', '2026-12-31T17:15:00.000Z'],
    ['2026-06-01T07:00', '2026-06-01T00:00:00.000Z'],
    ['2026-06-01T07:00:00Z', '2026-06-01T07:00:00.000Z'],
    ['2026-06-01T09:00:00+09:00', '2026-06-01T00:00:00.000Z'],
    ['01/03/2026', '2026-02-28T17:00:00.000Z'],
  ])('%s typed by an officer is stored as %s', (typed, stored) => {
    expect(toStored(parseLocal(typed, '--at'))).toBe(stored);
  });

  test.each([
    ['2026-12-25T01:30:00.000Z', '25/12/2026 08:30'],
    ['2026-12-31T17:15:00.000Z', '01/01/2027 00:15'],
  ])('%s is shown as %s', (stored, shown) => {
    expect(formatLocal(stored)).toBe(shown);
  });

  test('local → UTC → local round-trips for every hour of a day', () => {
    for (let hour = 0; hour < 24; hour++) {
      const local = `15/03/2026 ${String(hour).padStart(2, '0')}:45`;
      expect(formatLocal(fromStored(toStored(parseLocal(local, 'x'))))).toBe(local);
    }
  });

  test('relative times count from now', () => {
    const now = new Date('2026-11-23T00:00:00Z');
    expect(parseLocal('+10m', 'x', now).toISOString()).toBe('2026-11-23T00:10:00.000Z');
    expect(parseLocal('+2d', 'x', now).toISOString()).toBe('2026-11-25T00:00:00.000Z');
  });

  test('a time that is not one names the field, in Vietnamese', () => {
    expect(() => parseLocal('31/02/2026 08:00', '--at')).toThrow(ValidationError);
    expect(() => parseLocal('sáng mai', '--at')).toThrow(/--at: "sáng mai" không phải thời điểm hợp lệ/);
  });

  test('publication ids are deterministic and acceptable as BullMQ job ids', () => {
    const at = new Date('2026-11-23T01:30:00.000Z');
    const id = publicationId(42, 'radio-xa-tan-lap', at);
    expect(id).toBe('i42-radio-xa-tan-lap-20261123T013000Z');
    expect(publicationId(42, 'radio-xa-tan-lap', new Date(at))).toBe(id);
    expect(id).not.toContain(':');
    expect(id).not.toMatch(/^\d+$/);
  });
});

describe('local times in the formats Loa uses, made without luxon', () => {
  const formats = [
    'dd/LL/yyyy HH:mm',
    'dd/LL/yyyy',
    'HH:mm',
    'HH:mm:ss',
    'dd/LL HH:mm:ss',
    'dd/LL/yyyy HH:mm:ss',
    'dd/MM/yyyy HH:mm:ss',
    // The log line's stamp (src/log.ts): milliseconds and the offset.
    "yyyy-LL-dd'T'HH:mm:ss.SSSZZ",
  ];

  test("each is luxon's own answer in Vietnam's zone, across years, midnights and month ends", () => {
    // A fixed walk (no randomness, no today): every 29 days 7 h 13 min 17.123 s from 1976 to 2100 (every hour and
    // day of the month comes round), and the last second of each day of 2026 (17:00 UTC is the next day's midnight in
    // Vietnam). Compared as one list: one expectation, whose diff shows the instants that differ.
    const instants: Date[] = [];
    const step = ((29 * 24 + 7) * 60 + 13) * 60_000 + 17_123;
    for (let t = Date.UTC(1976, 0, 1); t < Date.UTC(2100, 0, 1); t += step) instants.push(new Date(t));
    for (let day = 0; day < 365; day++) instants.push(new Date(Date.UTC(2026, 0, 1, 16, 59, 59) + day * 86_400_000));
    for (const format of formats) {
      const ours = instants.map((instant) => formatLocal(instant, format));
      const luxons = instants.map((instant) =>
        DateTime.fromJSDate(instant).setZone('Asia/Ho_Chi_Minh').toFormat(format),
      );
      expect(ours).toEqual(luxons);
    }
  });

  test('other formats, and stored text, still go through luxon', () => {
    const instant = new Date('2026-12-06T17:30:00Z');
    expect(formatLocal(instant, 'cccc, d LLLL yyyy')).toBe(
      DateTime.fromJSDate(instant).setZone('Asia/Ho_Chi_Minh').toFormat('cccc, d LLLL yyyy'),
    );
    expect(formatLocal('2026-12-06T17:30:00.000Z', 'dd/LL/yyyy HH:mm')).toBe('07/12/2026 00:30');
  });
});
