import { codeDate, headerDate, isoDate } from '../../src/importer/dates';
import { findDocumentCodes } from '../../src/importer/document-codes';

/* A mutation sample left these alive: an impossible date rolled over to the next month instead of being refused. */
describe('dates as plans write them', () => {
  test('a real date is read as written', () => {
    expect(isoDate('19', '3', '2024')).toBe('2024-03-19');
    expect(isoDate(29, 2, 2024)).toBe('2024-02-29');
  });

  test('an impossible date (31/02, 29/02 of a common year, 31/04, month 13) is refused, never rolled over', () => {
    expect(isoDate('31', '02', '2024')).toBeNull();
    expect(isoDate('29', '2', '2023')).toBeNull();
    expect(isoDate('31', '4', '2024')).toBeNull();
    expect(isoDate('1', '13', '2024')).toBeNull();
    expect(isoDate('0', '1', '2024')).toBeNull();
    expect(headerDate('Bình Phước, ngày 31 tháng 02 năm 2024')).toBeNull();
    expect(headerDate('Bình Phước, ngày 30 tháng 5 năm 2024')).toBe('2024-05-30');
  });

  test('the date after a code is read, and an impossible one is left out', () => {
    const good = 'Thực hiện Kế hoạch số 96/KH-UBND ngày 19/3/2024 của UBND tỉnh';
    const bad = 'Thực hiện Kế hoạch số 96/KH-UBND ngày 31/02/2024 của UBND tỉnh';
    const [goodCode] = findDocumentCodes(good);
    const [badCode] = findDocumentCodes(bad);
    expect(codeDate(good, goodCode!)).toBe('2024-03-19');
    expect(codeDate(bad, badCode!)).toBeNull();
  });

  /* Mutation testing (npm run mutate) left these alive: the window after a code read backwards from the text's end,
   * and a text with no header date at all. */
  test("a date that ends the text is still the code's date; a text without a header date has none", () => {
    const last = 'Căn cứ Kế hoạch số 96/KH-UBND ngày 19/3/2024';
    expect(codeDate(last, findDocumentCodes(last)[0]!)).toBe('2024-03-19');
    expect(headerDate('Kế hoạch tuyên truyền cải cách hành chính năm 2024')).toBeNull();
    expect(headerDate('Bình Phước, ngày   tháng 5 năm 2024')).toBeNull();
  });
});
