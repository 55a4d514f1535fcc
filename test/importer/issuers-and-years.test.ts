import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ImportError, importPlanText, parsePlanText } from '../support/importer';
import { CORPUS_DIR } from './corpus';

/** Rules read from real pages (test/fixtures/plans/corpus, each with its address in NAME.source.json). */
const page = (name: string) => readFileSync(join(CORPUS_DIR, `${name}.txt`), 'utf8');
const identityOf = (text: string) => parsePlanText(text).identity;

describe('an issuer named in a sentence', () => {
  test('"<body> đã/vừa ban hành Kế hoạch …" reports a plan with no code, and names its issuer', () => {
    expect(identityOf(page('xa-tu-ky-2025-pbgdpl-news')).issuer).toBe('Ủy ban nhân dân xã Tứ Kỳ');
    expect(identityOf(page('tinh-khanh-hoa-2026-ttcs-news')).issuer).toBe('UBND tỉnh Khánh Hòa');
  });

  test('a department whose name holds commas: "Sở Văn hóa, Thể thao và Du lịch đã ban hành Kế hoạch …"', () => {
    const identity = identityOf(page('so-vhttdl-dong-nai-2026-ttcs-news'));
    expect(identity.issuer).toBe('Sở Văn hóa, Thể thao và Du lịch');
    // "Công văn … về việc hướng dẫn xây dựng Kế hoạch …" is guidance; the title is the plan the department issued.
    expect(identity.title).toBe('Triển khai thực hiện công tác thông tin cơ sở trên địa bàn tỉnh Đồng Nai năm 2026');
  });

  test('a body given with its short form: "Ban Chỉ đạo … (sau đây gọi tắt là Ban Chỉ đạo) ban hành Kế hoạch …"', () => {
    expect(identityOf(page('huyen-dak-rlap-2023-bcd-chuyen-doi-so')).issuer).toBe(
      'Ban Chỉ đạo chuyển đổi số huyện Đăk R’lấp',
    );
  });

  test('an office that signs for its body, named or not: the body, with the place the text gives its level', () => {
    expect(identityOf(page('bo-noi-vu-2024-qd-35-news')).issuer).toBe('Bộ Nội vụ');
    // "Phó Chủ tịch UBND Thành phố Nguyễn Xuân Lưu vừa ký ban hành …": the name after the level is a person's.
    expect(identityOf(page('thanh-pho-ha-noi-2025-kh-378-pbgdpl-news')).issuer).toBe('UBND thành phố Hà Nội');
  });

  test('a habit is not a plan: "hằng năm, Sở … tham mưu Chủ tịch UBND tỉnh ban hành Kế hoạch …" is still refused', () => {
    const review = readFileSync(join(CORPUS_DIR, '..', 'bac-giang-cchc-review.txt'), 'utf8');
    expect(() => importPlanText(review)).toThrow(ImportError);
  });
});

test('a header cut to "ỦY BAN NHÂN DÂN" over "Tuyên Quang, ngày …" in a text naming "tỉnh Tuyên Quang"', () => {
  expect(identityOf(page('tinh-tuyen-quang-2025-kh-60-chuyen-doi-so')).issuer).toBe('ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG');
});

test('"… đã được phân công tại Kế hoạch số 358/KH-UBND ngày …" refers to another plan: never the own code or date', () => {
  const identity = identityOf(page('huyen-dak-rlap-2023-bcd-chuyen-doi-so'));
  expect(identity.code).toBeNull();
  expect(identity.issueDate).toBeNull();
  expect(identity.year).toBe(2023);
});

test('a subject line wrapped by the page goes on at "Của …" / "Đến năm …"; "đến năm 2025" signed in 2024 is a period', () => {
  const identity = identityOf(page('xa-tinh-tra-2024-chuyen-doi-so'));
  expect(identity.title).toMatch(
    /^Triển khai thực hiện Nghị quyết số 13-NQ\/TU .* Đến năm 2025, định hướng đến năm 2030$/u,
  );
  expect(identity.year).toBeNull();
  expect(identity.period).toEqual({ from: 2024, to: 2025 });
});

describe('the year a plan is for', () => {
  // The page's own lines (van-phong-ubnd-lai-chau-2025-kh-1888-news), its subject shortened to leave the year out.
  const december = [
    'Ngày 30/12/2025, Văn phòng UBND tỉnh Lai Châu đã ban hành Kế hoạch số 1888/KH-VPUBND về công tác cải cách hành chính.',
    'Tăng cường công tác kiểm tra, giám sát việc triển khai thực hiện các nhiệm vụ cải cách hành chính năm 2026',
  ].join('\n');

  test('a plan signed in December whose text names the next year is for the next year', () => {
    expect(identityOf(page('van-phong-ubnd-lai-chau-2025-kh-1888-news')).year).toBe(2026);
    expect(identityOf(december).issueDate).toBe('2025-12-30');
    expect(identityOf(december).year).toBe(2026);
    // Signed in June, the same text is for the year it was signed in.
    expect(identityOf(december.replace('30/12/2025', '30/6/2025')).year).toBe(2025);
  });

  test('a year-less "Ngày 30/12" on a page posted beside a time of day takes the year of posting, or the one before', () => {
    // The posting line of thanh-pho-ha-noi-2025-kh-378-pbgdpl-news and the Lai Châu sentence without its year.
    const posted = (line: string) =>
      `${line}\n${december.replace('Ngày 30/12/2025', 'Ngày 30/12')}\nKết quả năm 2025 được đánh giá.`;
    expect(identityOf(posted('Trần Hằng 20:18 31/12/2025')).issueDate).toBe('2025-12-30');
    expect(identityOf(posted('Thứ hai - 05/01/2026 10:22')).issueDate).toBe('2025-12-30');
    // No posting time and several years named: the date is not guessed.
    expect(identityOf(posted('Trần Hằng')).issueDate).toBeNull();
  });
});

test('codes of other shapes are cited: a ministry letter "6612/BVHTTDL-TTCS", an Assembly resolution "258/2025/QH15"', () => {
  expect(identityOf(page('so-vhttdl-dong-nai-2026-ttcs-news')).citedDocuments.map((d) => d.code.text)).toEqual([
    '49/2024/NĐ-CP',
    '6612/BVHTTDL-TTCS',
  ]);
  expect(identityOf(page('thanh-pho-ha-noi-2025-kh-378-pbgdpl-news')).citedDocuments.map((d) => d.code.text)).toEqual([
    '15-NQ/TW',
    '258/2025/QH15',
  ]);
});
