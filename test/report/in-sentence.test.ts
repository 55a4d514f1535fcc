import { parsePeriod, periodBetween } from '../../src/domain/report-period';
import { duringPeriod, inSentence } from '../../src/report/in-sentence';

test('a heading inside a sentence loses only its first capital: acronyms and names keep theirs', () => {
  expect(inSentence('Chỉ số PCI, PAR INDEX, SIPAS')).toBe('chỉ số PCI, PAR INDEX, SIPAS');
  expect(inSentence('Cải cách thủ tục hành chính')).toBe('cải cách thủ tục hành chính');
  expect(inSentence('Xây dựng Chính phủ điện tử, Chính phủ số')).toBe('xây dựng Chính phủ điện tử, Chính phủ số');
  expect(inSentence('CCHC trong các cơ quan')).toBe('CCHC trong các cơ quan');
  expect(inSentence('Đài truyền thanh xã')).toBe('đài truyền thanh xã');
});

test('a sentence opens with the period as Vietnamese writes it, for every kind of period', () => {
  expect(duringPeriod(parsePeriod('2026-Q1').label)).toBe('Trong quý I năm 2026');
  expect(duringPeriod(parsePeriod('2026-03').label)).toBe('Trong tháng 3 năm 2026');
  expect(duringPeriod(periodBetween('2024-01-01', '2026-12-31').label)).toBe('Từ ngày 01/01/2024 đến ngày 31/12/2026');
});
