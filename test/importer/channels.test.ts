import { parsePlanText } from '../support/importer';

const kinds = (text: string) => parsePlanText(text).channels.map((channel) => channel.platform ?? channel.offlineForm);

const withForms = (...forms: string[]) =>
  [
    'Số: 9/KH-UBND',
    'KẾ HOẠCH',
    'I. NỘI DUNG TUYÊN TRUYỀN',
    '- Kết quả cải cách thủ tục hành chính.',
    'II. HÌNH THỨC TUYÊN TRUYỀN',
    ...forms,
  ].join('\n');

test('billboards and banners are offline printed forms; notice boards are notice boards', () => {
  expect(kinds(withForms('- Treo băng rôn, khẩu hiệu tại trụ sở.'))).toEqual(['an-pham']);
  expect(kinds(withForms('- Lắp đặt biển quảng cáo tấm lớn tại các trục đường chính.'))).toEqual(['an-pham']);
  expect(kinds(withForms('- Đăng trên bảng thông tin của thôn, tổ dân phố.'))).toEqual(['bang-tin']);
});

test('provincial radio-TV is an offline form; a commune’s or district’s radio station is Loa’s radio channel', () => {
  expect(kinds(withForms('- Phát trên Đài Phát thanh tỉnh và Đài PTTH Quảng Nam.'))).toEqual([
    'phat-thanh-truyen-hinh',
  ]);
  expect(kinds(withForms('- Phát trên Đài phát thanh xã.'))).toEqual(['radio']);
  expect(kinds(withForms('- Phát trên đài phát thanh cấp huyện, cụm loa các thôn.'))).toEqual(['radio']);
});

test('the same forms are read from running prose after a word of communicating', () => {
  const news = [
    'Ngày 02/3/2025, UBND xã Bình Minh ban hành Kế hoạch số 15/KH-UBND về tuyên truyền cải cách hành chính năm 2025.',
    'Theo đó, xã tuyên truyền qua Đài phát thanh xã, bảng tin khu dân cư, băng rôn tại trụ sở và trên Đài Phát thanh và Truyền hình tỉnh.',
  ].join('\n');
  expect(kinds(news)).toEqual(['radio', 'bang-tin', 'an-pham', 'phat-thanh-truyen-hinh']);
});
