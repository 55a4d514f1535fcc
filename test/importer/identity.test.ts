import { importPlanText, parsePlanText } from '../support/importer';

const identityOf = (text: string) => parsePlanText(text).identity;

test('a year-less issue date takes the plan year only when the document names no other year', () => {
  const plain =
    'Ngày 19/02, UBND huyện Tân Lập ban hành Kế hoạch số 11/KH-UBND về tuyên truyền cải cách hành chính năm 2024.';
  expect(identityOf(plain).issueDate).toBe('2024-02-19');
  const twoYears = `${plain}\nKế hoạch tiếp nối kết quả năm 2023 của huyện.`;
  expect(identityOf(twoYears).issueDate).toBeNull();
  expect(identityOf(twoYears).year).toBe(2024);
});

test('the issuer is the body, not the clause that follows it', () => {
  const text =
    'Căn cứ Kế hoạch số 248/KH-UBND ngày 16/02/2023 của UBND thành phố.\nUBND phường Tân An ban hành Kế hoạch tuyên truyền công tác cải cách hành chính nhà nước (sau đây viết tắt là CCHC) năm 2023 như sau:\nI. MỤC ĐÍCH, YÊU CẦU';
  const identity = identityOf(text);
  expect(identity.issuer).toBe('UBND phường Tân An');
  expect(identity.code).toBeNull();
  expect(identity.parentPlan?.code.text).toBe('248/KH-UBND');
});

test('every code of a "Thực hiện …; …; …" list is cited, none is the plan’s own', () => {
  const text =
    'Thực hiện Kế hoạch số 239/KH-UBND ngày 29/7/2016 của UBND tỉnh; Kế hoạch số 132/KH-UBND ngày 23/12/2020 của UBND huyện về tuyên truyền CCHC năm 2021; UBND xã Tân Lập xây dựng kế hoạch tuyên truyền cải cách hành chính năm 2021 như sau:\nI. MỤC ĐÍCH YÊU CẦU';
  const identity = identityOf(text);
  expect(identity.code).toBeNull();
  expect(identity.issueDate).toBeNull();
  expect(identity.citedDocuments.map((document) => [document.code.text, document.issueDate])).toEqual([
    ['239/KH-UBND', '2016-07-29'],
    ['132/KH-UBND', '2020-12-23'],
  ]);
  expect(identity.issuer).toBe('UBND xã Tân Lập');
  expect(identity.year).toBe(2021);
});

test('a plan issued inside a decision takes the decision’s code, date and issuer; codes keep leading zeros', () => {
  const text = [
    'BỘ NỘI VỤ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |',
    'Số: 0251/QĐ-BNV | Hà Nội, ngày 29 tháng 03 năm 2022 |',
    'QUYẾT ĐỊNH',
    'BAN HÀNH KẾ HOẠCH THÔNG TIN, TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH GIAI ĐOẠN 2022 - 2025',
    'BỘ TRƯỞNG BỘ NỘI VỤ',
    'Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ;',
    'QUYẾT ĐỊNH:',
    'Điều 1. Ban hành Kế hoạch thông tin, tuyên truyền cải cách hành chính giai đoạn 2022 - 2025.',
  ].join('\n');
  const identity = identityOf(text);
  expect(identity.code).toEqual({ text: '0251/QĐ-BNV', number: 251, kind: 'QĐ', issuerAbbreviation: 'BNV' });
  expect(identity.issuer).toBe('BỘ NỘI VỤ');
  expect(identity.issueDate).toBe('2022-03-29');
  expect(identity.period).toEqual({ from: 2022, to: 2025 });
  expect(identity.year).toBeNull();
  expect(identity.citedDocuments.map((document) => document.code.text)).toEqual(['76/NQ-CP']);
});

test('a decision that issues something other than a plan is not a plan', () => {
  const text =
    'ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 30/2018/QĐ-UBND | Hải Phòng, ngày 09 tháng 10 năm 2018 |\nQUYẾT ĐỊNH\nBAN HÀNH QUY ĐỊNH VỀ TRÁCH NHIỆM CỦA NGƯỜI ĐỨNG ĐẦU\nĐiều 1. Ban hành kèm theo Quyết định này Quy định trách nhiệm.';
  expect(() => parsePlanText(text)).toThrow(/không nói về một kế hoạch nào/);
});

test('a news item gives the plan’s own date, not the article’s posting time', () => {
  const text =
    'Công tác tuyên truyền cải cách hành chính năm 2021\n(21:01 | 17/03/2021)\nNgày 11/03/2021, UBND tỉnh Hòa Bình đã ban hành Kế hoạch số 47/KH-UBND về thông tin, tuyên truyền cải cách hành chính năm 2021.';
  expect(identityOf(text)).toMatchObject({
    code: { text: '47/KH-UBND' },
    issueDate: '2021-03-11',
    issuer: 'UBND tỉnh Hòa Bình',
    year: 2021,
  });
});

test('a headerless plan with nothing to read is imported with its empty fields reported, never refused', () => {
  const { plan, report } = importPlanText(
    'I. MỤC ĐÍCH, YÊU CẦU\n1. Nâng cao nhận thức của cán bộ, công chức và Nhân dân về cải cách hành chính trên địa bàn xã.',
  );
  expect(plan.identity.code).toBeNull();
  expect(report.emptyFields).toEqual(
    expect.arrayContaining(['code', 'issuer', 'issueDate', 'yearOrPeriod', 'channels']),
  );
});

test('channels named in running prose are read after a word of communicating', () => {
  const text =
    'UBND phường Tân An ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2025 như sau:\nI. MỤC ĐÍCH, YÊU CẦU\nĐẩy mạnh tuyên truyền trên mạng xã hội, qua Zalo, Fanpage của phường và hệ thống truyền thanh cơ sở; niêm yết tại bảng tin của khu phố.\nNâng cấp hệ thống truyền thanh hoạt động đến các khu phố.';
  const channels = parsePlanText(text).channels.map((channel) => channel.platform ?? channel.offlineForm);
  expect(channels).toEqual(['mang-xa-hoi', 'zalo', 'facebook', 'radio', 'bang-tin']);
});

test('a document the subject line says the plan carries out is cited, and is not the plan’s own code', () => {
  const text = [
    'ỦY BAN NHÂN DÂN TỈNH LONG AN',
    'Số: 77/KH-UBND',
    'Long An, ngày 05 tháng 3 năm 2026',
    'KẾ HOẠCH',
    'Truyền thông thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học, công nghệ',
    'I. MỤC ĐÍCH, YÊU CẦU',
  ].join('\n');
  const identity = identityOf(text);
  expect(identity.code?.text).toBe('77/KH-UBND');
  expect(identity.citedDocuments.map((document) => [document.code.text, document.issueDate])).toEqual([
    ['57-NQ/TW', '2024-12-22'],
  ]);
  expect(identity.parentPlan).toBeNull();
});

test('a header cut to "ỦY BAN NHÂN DÂN" takes its level from the issuing clause and its place from the date line', () => {
  const text = [
    'ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |',
    'Số: 45/KH-UBND | Cần Thơ, ngày 13 tháng 9 năm 2024 |',
    'KẾ HOẠCH',
    'TUYÊN TRUYỀN CẢI CÁCH HÀNH CHÍNH NĂM 2024',
    'Thực hiện Quyết định số 12/QĐ-TTg ngày 20/01/2024 của Thủ tướng Chính phủ, UBND Thành phố ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2024 như sau:',
  ].join('\n');
  expect(identityOf(text).issuer).toBe('UBND thành phố Cần Thơ');
  // A header that names its body keeps it as typeset.
  expect(identityOf(text.replace('ỦY BAN NHÂN DÂN |', 'ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ |')).issuer).toBe(
    'ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ',
  );
});
