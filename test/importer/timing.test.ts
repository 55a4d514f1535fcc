import { parseTiming } from '../../src/importer';

describe('with the plan year 2024', () => {
  test.each([
    ['thường xuyên.', { kind: 'recurring', every: 'week', wording: 'thường xuyên' }],
    ['Hằng tháng', { kind: 'recurring', every: 'month', wording: 'Hằng tháng' }],
    ['hàng quý', { kind: 'recurring', every: 'quarter', wording: 'hàng quý' }],
    ['Năm 2024.', { kind: 'window', from: '2024-01-01', to: '2024-12-31', wording: 'Năm 2024' }],
    ['quý I', { kind: 'window', from: '2024-01-01', to: '2024-03-31', wording: 'quý I' }],
    ['Quý IV năm 2025', { kind: 'window', from: '2025-10-01', to: '2025-12-31', wording: 'Quý IV năm 2025' }],
    ['quý 2', { kind: 'window', from: '2024-04-01', to: '2024-06-30', wording: 'quý 2' }],
    ['tháng 4', { kind: 'window', from: '2024-04-01', to: '2024-04-30', wording: 'tháng 4' }],
    ['tháng 2/2025', { kind: 'window', from: '2025-02-01', to: '2025-02-28', wording: 'tháng 2/2025' }],
    ['6 tháng đầu năm', { kind: 'window', from: '2024-01-01', to: '2024-06-30', wording: '6 tháng đầu năm' }],
    [
      '6 tháng cuối năm 2023',
      { kind: 'window', from: '2023-07-01', to: '2023-12-31', wording: '6 tháng cuối năm 2023' },
    ],
    ['trước ngày 15/12', { kind: 'deadline', by: '2024-12-15', wording: 'trước ngày 15/12' }],
    ['chậm nhất ngày 05/01/2025', { kind: 'deadline', by: '2025-01-05', wording: 'chậm nhất ngày 05/01/2025' }],
    [
      'Từ ngày 01/4 đến ngày 30/4/2024',
      { kind: 'window', from: '2024-04-01', to: '2024-04-30', wording: 'Từ ngày 01/4 đến ngày 30/4/2024' },
    ],
    [
      '15/11/2024 - 10/01/2025',
      { kind: 'window', from: '2024-11-15', to: '2025-01-10', wording: '15/11/2024 - 10/01/2025' },
    ],
    ['ngày 9/2', { kind: 'window', from: '2024-02-09', to: '2024-02-09', wording: 'ngày 9/2' }],
    ['khi có yêu cầu', { kind: 'unparsed', wording: 'khi có yêu cầu' }],
  ])('%s', (wording, expected) => {
    expect(parseTiming(wording, { year: 2024 })).toEqual(expected);
  });
});

test('a wording that needs a year stays unparsed when the plan has none, rather than guessing one', () => {
  expect(parseTiming('quý I')).toEqual({ kind: 'unparsed', wording: 'quý I' });
  expect(parseTiming('trước ngày 15/12', { year: null })).toEqual({ kind: 'unparsed', wording: 'trước ngày 15/12' });
});

test('an impossible date is not turned into another one', () => {
  expect(parseTiming('trước ngày 31/2', { year: 2024 })).toEqual({ kind: 'unparsed', wording: 'trước ngày 31/2' });
});

test('NFD wording parses like NFC', () => {
  expect(parseTiming('6 tháng đầu năm'.normalize('NFD'), { year: 2024 })).toEqual(
    parseTiming('6 tháng đầu năm', { year: 2024 }),
  );
});
