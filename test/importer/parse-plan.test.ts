import { parsePlanText } from '../support/importer';

/** A formal provincial plan laid out as Word exports it: national header, numbered sections, numbered items. */
const FORMAL_PLAN = [
  'ỦY BAN NHÂN DÂN',
  'TỈNH ĐỒNG NAI',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Số: 45/KH-UBND',
  'Đồng Nai, ngày 10 tháng 01 năm 2025',
  'KẾ HOẠCH',
  'Thông tin, tuyên truyền cải cách hành chính năm 2025',
  'I. MỤC ĐÍCH, YÊU CẦU',
  'Nâng cao nhận thức của người dân về cải cách hành chính.',
  'II. NỘI DUNG TUYÊN TRUYỀN',
  '1. Tuyên truyền kết quả cải cách thủ tục hành chính.',
  '2. Giới thiệu các món ăn ngon của địa phương.',
  'III. HÌNH THỨC TUYÊN TRUYỀN',
  '- Đăng trên fanpage của tỉnh và loa phát thanh xã.',
  '- Biểu diễn văn nghệ tại nhà văn hóa ấp.',
  'IV. TỔ CHỨC THỰC HIỆN',
  '1. Giao Sở Nội vụ chủ trì theo dõi; báo cáo kết quả về UBND tỉnh trước ngày 15/12/2025.',
].join('\n');

const plan = parsePlanText(FORMAL_PLAN);

test('the issuer of a formal plan is its header, without the national motto', () => {
  expect(plan.identity).toEqual({
    code: { text: '45/KH-UBND', number: 45, kind: 'KH', issuerAbbreviation: 'UBND' },
    issuer: 'ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI',
    issueDate: '2025-01-10',
    year: 2025,
    title: 'Thông tin, tuyên truyền cải cách hành chính năm 2025',
    parentPlan: null,
    period: null,
    citedDocuments: [],
  });
});

test('a content line that fits no area is kept as khác, never dropped', () => {
  expect(plan.contentAreas).toEqual([
    { key: 'thu-tuc-hanh-chinh', wording: 'Tuyên truyền kết quả cải cách thủ tục hành chính', details: [] },
    { key: 'khac', wording: 'Giới thiệu các món ăn ngon của địa phương', details: [] },
  ]);
});

test('a commune loudspeaker is radio, a fanpage is Facebook, an unknown form is kept as khác', () => {
  expect(plan.channels).toEqual([
    { platform: 'facebook', wording: 'Đăng trên fanpage của tỉnh' },
    { platform: 'radio', wording: 'loa phát thanh xã' },
    { offlineForm: 'khac', wording: 'Biểu diễn văn nghệ tại nhà văn hóa ấp' },
  ]);
});

test('a reporting duty names who reports what to whom; an unstated frequency stays null', () => {
  expect(plan.reporting).toEqual([
    {
      subject: 'kết quả',
      fromUnitKeys: ['so-noi-vu'],
      toUnitKey: 'ubnd-tinh',
      frequency: null,
      wording: 'báo cáo kết quả về UBND tỉnh trước ngày 15/12/2025',
    },
  ]);
  expect(plan.units).toEqual([
    { key: 'uy-ban-nhan-dan-tinh-dong-nai', name: 'ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI' },
    { key: 'so-noi-vu', name: 'Sở Nội vụ' },
    { key: 'ubnd-tinh', name: 'UBND tỉnh' },
  ]);
});

test('fields the document does not state are empty, not invented', () => {
  expect(plan.goals).toEqual(['Nâng cao nhận thức của người dân về cải cách hành chính']);
  expect(plan.activities).toEqual([]);
  expect(plan.funding).toBeNull();
  expect(plan.recipientUnitKeys).toEqual([]);
});

test('a news item citing "Kế hoạch 12/KH-UBND" without "số" is read, and numbers opening a line are kept', () => {
  const news = parsePlanText(
    [
      'UBND huyện Lộc Ninh vừa ban hành Kế hoạch 12/KH-UBND ngày 3/2/2024 về tuyên truyền cải cách hành chính năm 2024.',
      'Nội dung tuyên truyền: 3.250 tin bài về cải cách thể chế.',
    ].join('\n'),
  );
  expect(news.identity.code?.text).toBe('12/KH-UBND');
  expect(news.identity.issuer).toBe('UBND huyện Lộc Ninh');
  expect(news.identity.issueDate).toBe('2024-02-03');
  expect(news.contentAreas).toEqual([{ key: 'the-che', wording: '3.250 tin bài về cải cách thể chế', details: [] }]);
});
