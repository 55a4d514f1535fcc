import { cleanText } from '../../src/importer';

describe('typos seen in published plans are repaired without losing their line', () => {
  test.each([
    ['nội dung thông tin, tuyên truyển cải cách hành chính', 'nội dung thông tin, tuyên truyền cải cách hành chính'],
    ['phù hợp với từng nhóm đổi tượng là cá nhân', 'phù hợp với từng nhóm đối tượng là cá nhân'],
    ['hoạt động của cocơ quan hành chính', 'hoạt động của cơ quan hành chính'],
    ['Chi số Hiệu quả Quản trị (PAPI)', 'Chỉ số Hiệu quả Quản trị (PAPI)'],
    ['tổ chức các Hội thì tìm hiểu', 'tổ chức các Hội thi tìm hiểu'],
    ['Kế hoạch về tuyên tuyền cải cách hành chính', 'Kế hoạch về tuyên truyền cải cách hành chính'],
    ['kênh Zalo offical và facebook', 'kênh Zalo official và facebook'],
  ])('%s', (typo, repaired) => {
    expect(cleanText(`Dòng trước.\n${typo}\nDòng sau.`)).toBe(`Dòng trước.\n${repaired}\nDòng sau.`);
  });

  test('inside a longer word nothing is touched', () => {
    expect(cleanText('Chi sốt ruột')).toBe('Chi sốt ruột');
  });
});

test('page furniture around an article goes, the article stays', () => {
  const page = [
    'Liên kết Liên kết',
    'Số lượng truy cập Số lượng truy cập',
    'Đang truy cập: 12,630',
    'Lượt xem: 163',
    'Thứ ba - 01/04/2025 07:06',
    'Cỡ chữ: A- A A+',
    'Tiêu đề bài',
    'Đoạn đầu của bài viết về kế hoạch. '.repeat(8).trim(),
    'Đoạn cuối của bài./.',
    'Ngọc Sang',
    'Thống kê truy cập',
    '  • Hôm nay347,062',
    'Tin liên quan',
    'Kế hoạch sơ kết 05 năm (05/03/2025 3:28 CH)',
  ].join('\n');
  expect(cleanText(page)).toBe(
    ['Tiêu đề bài', 'Đoạn đầu của bài viết về kế hoạch. '.repeat(8).trim(), 'Đoạn cuối của bài./.'].join('\n'),
  );
});

test('page numbers of a PDF go', () => {
  expect(cleanText('Đoạn một.\n2\n- 3 -\nTrang 4/7\nĐoạn hai.')).toBe('Đoạn một.\nĐoạn hai.');
});

test('a paragraph split by a page break is joined again, a heading and its list are not', () => {
  expect(cleanText('- Tuyên truyền kết quả của tỉnh; tuyên\n\ntruyền tình hình triển khai.')).toBe(
    '- Tuyên truyền kết quả của tỉnh; tuyên truyền tình hình triển khai.',
  );
  expect(cleanText('3. Hoạt động trọng tâm\na) Đăng tải bản tin.')).toBe(
    '3. Hoạt động trọng tâm\na) Đăng tải bản tin.',
  );
});

test('NFD, CRLF, non-breaking and repeated spaces give the NFC text', () => {
  const nfc = 'Kế hoạch số 21/KH-UBND\nNội dung tuyên truyền: cải cách thể chế.';
  const messy = `\uFEFF  ${nfc.normalize('NFD').replace(/ /g, '\u00a0 ').replace('\n', '\r\n\r\n')}\t\r\n`;
  expect(cleanText(messy)).toBe(nfc);
});
