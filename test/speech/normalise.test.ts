import { normalise } from '../../src/speech';
import { sayCardinal } from '../../src/speech/cardinal';
import { loadAbbreviations } from '../../src/speech/dictionary';

const abbreviations = loadAbbreviations();

describe('Southern dialect', () => {
  test.each([
    ['105', 'một trăm lẻ năm'],
    ['2025', 'hai ngàn không trăm hai mươi lăm'],
    ['ngày 05/4', 'ngày mùng năm tháng tư'],
    ['1tr2', 'một triệu hai trăm ngàn'],
    ['123/4 đường Nguyễn Trãi', 'một trăm hai mươi ba xẹt bốn đường Nguyễn Trãi'],
  ])('%s → %s', (input, expected) => {
    expect(normalise(input, { dialect: 'south' }).text).toBe(expected);
  });

  test('the North stays the default', () => {
    expect(normalise('105').text).toBe('một trăm linh năm');
  });
});

describe('input', () => {
  test('decomposed Unicode is normalised to NFC before reading', () => {
    const decomposed = 'Ngày 28/3/2025 UBND'.normalize('NFD');
    expect(normalise(decomposed, { abbreviations }).text).toBe(
      'Ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi lăm Ủy ban nhân dân',
    );
  });

  test('without a dictionary, abbreviations are left as written and reported', () => {
    const result = normalise('UBND tỉnh');
    expect(result.text).toBe('UBND tỉnh');
    expect(result.warnings).toEqual([expect.stringContaining('"UBND"')]);
  });

  test('a numeral as large as a 19-digit amount keeps every digit', () => {
    expect(sayCardinal('1234567890123456789')).toBe(
      'một tỷ hai trăm ba mươi tư triệu năm trăm sáu mươi bảy nghìn tám trăm chín mươi tỷ một trăm hai mươi ba triệu bốn trăm năm mươi sáu nghìn bảy trăm tám mươi chín',
    );
  });
});

describe('warnings, never dropped text', () => {
  test('an unknown abbreviation is kept and reported once', () => {
    const result = normalise('EMC và EMC', { abbreviations });
    expect(result.text).toBe('EMC và EMC');
    expect(result.warnings).toEqual(['Chữ viết tắt chưa có trong từ điển, để nguyên: "EMC"']);
  });

  test('a comma before three digits is read as a decimal but flagged as maybe thousands', () => {
    const result = normalise('Đang truy cập: 12,630');
    expect(result.text).toBe('Đang truy cập: mười hai phẩy sáu trăm ba mươi');
    expect(result.warnings).toEqual([expect.stringContaining('12.630')]);
  });

  test('a document code whose issuer is not in the dictionary is kept whole and warned, never half-expanded', () => {
    const result = normalise('Quyết định số 5/QĐ-XYZ', { abbreviations });
    expect(result.text).toBe('Quyết định số 5/QĐ-XYZ');
    expect(result.warnings).toEqual([expect.stringContaining('"XYZ"')]);
  });

  test('an expansion never repeats the word said just before it', () => {
    expect(normalise('Các Chỉ số PCI và Sở STTTT', { abbreviations }).text).toBe(
      'Các Chỉ số năng lực cạnh tranh cấp tỉnh và Sở Thông tin và Truyền thông',
    );
  });

  test('Party codes and chained issuer codes are read as their bodies; a body the text names after the code is said once', () => {
    expect(normalise('Nghị quyết số 05-NQ/TU', { abbreviations }).text).toBe('Nghị quyết số không năm của Tỉnh ủy');
    expect(normalise('Công văn số 499/BTTTT-KHTC', { abbreviations }).text).toBe(
      'Công văn số bốn trăm chín mươi chín của Bộ Thông tin và Truyền thông, Vụ Kế hoạch - Tài chính',
    );
    expect(normalise('Chương trình số 06-CTr/TU của Thành ủy Hà Nội', { abbreviations }).text).toBe(
      'Chương trình số không sáu của Thành ủy Hà Nội',
    );
  });

  test('codes joined with "&" are read as the bodies issuing together; one unknown body leaves the code whole', () => {
    expect(normalise('Kế hoạch số 10/KH-UBND&UBMTTQ', { abbreviations }).text).toBe(
      'Kế hoạch số mười của Ủy ban nhân dân và Ủy ban Mặt trận Tổ quốc',
    );
    const unknown = normalise('Kế hoạch số 10/KH-UBND&XYZ', { abbreviations });
    expect(unknown.text).toBe('Kế hoạch số 10/KH-UBND&XYZ');
    expect(unknown.warnings).toEqual([expect.stringContaining('UBND&XYZ')]);
  });

  test('page furniture is never read aloud', () => {
    expect(normalise('Số: 115/KH-UBND | Hà Nội « Tin » → mới', { abbreviations }).text).toBe(
      'Số: một trăm mười lăm của Ủy ban nhân dân, Hà Nội Tin, mới',
    );
    expect(normalise('Tin tức ▸ Cải cách hành chính ← Quay lại ◄ Trang chủ', { abbreviations }).text).toBe(
      'Tin tức, Cải cách hành chính, Quay lại, Trang chủ',
    );
  });

  test('a blank document number is reported', () => {
    expect(normalise('Số: /KH-UBND', { abbreviations }).warnings).toEqual([expect.stringContaining('để trống')]);
  });

  test('plain words come back unchanged and without warnings', () => {
    const text = 'Tuyên truyền cải cách hành chính, kinh tế - xã hội; (quan trọng)!';
    expect(normalise(text, { abbreviations })).toEqual({ text, warnings: [] });
  });

  test('no digit is left in the spoken form of the plans', () => {
    const { readFileSync, readdirSync } = require('node:fs') as typeof import('node:fs');
    const dir = `${__dirname}/../fixtures/plans`;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
      for (const line of readFileSync(`${dir}/${file}`, 'utf8').split('\n')) {
        expect(normalise(line, { abbreviations }).text).not.toMatch(/\d/);
      }
    }
  });
});

describe('the radio news classes of issue 29', () => {
  const say = (text: string) => normalise(text, { abbreviations });

  test.each([
    ['Sáng 19/7, tại xã', 'Sáng mười chín tháng bảy, tại xã'],
    ['Chiều 02/2, đoàn công tác', 'Chiều mồng hai tháng hai, đoàn công tác'],
    ['Tối 20/4 và Đêm 30/4', 'Tối hai mươi tháng tư và Đêm ba mươi tháng tư'],
    ['Sáng nay (19/7), hội nghị', 'Sáng nay (mười chín tháng bảy), hội nghị'],
    ['từ ngày 19 - 20/7', 'từ ngày mười chín đến ngày hai mươi tháng bảy'],
    ['Sáng 19-7, tại xã', 'Sáng mười chín tháng bảy, tại xã'],
    ['rạng sáng 5/9/2025', 'rạng sáng mồng năm tháng chín năm hai nghìn không trăm hai mươi lăm'],
  ])('a date after a time of day: %s', (input, expected) => {
    expect(say(input).text).toBe(expected);
  });

  test('a date that opens a news item is read as a date, with a warning that it is a guess', () => {
    const result = say('24/7, UBND xã tổ chức hội nghị');
    expect(result.text).toBe('ngày hai mươi tư tháng bảy, Ủy ban nhân dân xã tổ chức hội nghị');
    expect(result.warnings.join('\n')).toContain('"24/7" ở đầu câu');
  });

  test('a bare day/month that is read as a fraction says so', () => {
    expect(say('phục vụ 24/7').warnings.join('\n')).toContain('"24/7" được đọc là phân số');
  });

  test.each([
    [
      'Nghị định số 25/2025/NĐ-CP ngày 21/02/2025 của Chính phủ quy định',
      'Nghị định số hai mươi lăm năm hai nghìn không trăm hai mươi lăm ngày hai mươi mốt tháng hai năm hai nghìn không trăm hai mươi lăm của Chính phủ quy định',
    ],
    [
      'Kế hoạch số 107/KH-UBND ngày 28 tháng 3 năm 2025 của UBND tỉnh',
      'Kế hoạch số một trăm linh bảy ngày hai mươi tám tháng ba năm hai nghìn không trăm hai mươi lăm của Ủy ban nhân dân tỉnh',
    ],
  ])('the issuer is said once: %s', (input, expected) => {
    expect(say(input).text).toBe(expected);
  });

  test('an abbreviation in brackets after its full form is dropped; one with a spoken form in the dictionary is said', () => {
    expect(say('giải quyết thủ tục hành chính (TTHC) cho người dân').text).toBe(
      'giải quyết thủ tục hành chính cho người dân',
    );
    expect(say('Chỉ số năng lực cạnh tranh cấp tỉnh (PCI)').text).toBe('Chỉ số năng lực cạnh tranh cấp tỉnh (pê xê i)');
    expect(say('Kế hoạch (sau đây gọi tắt là Kế hoạch), với').text).toBe('Kế hoạch, với');
  });

  test.each([
    [
      'Nghị quyết số 35/2023/UBTVQH15',
      'Nghị quyết số ba mươi lăm năm hai nghìn không trăm hai mươi ba của Ủy ban Thường vụ Quốc hội khóa mười lăm',
    ],
    ['Luật số 11/2022/QH15', 'Luật số mười một năm hai nghìn không trăm hai mươi hai của Quốc hội khóa mười lăm'],
    ['Nghị quyết 30c/NQ-CP', 'Nghị quyết ba mươi xê của Chính phủ'],
    ['Văn bản số 2231/SNV-CCHC&PC', 'Văn bản số hai nghìn hai trăm ba mươi mốt của Sở Nội vụ'],
  ])('an unusual code: %s', (input, expected) => {
    expect(say(input).text).toBe(expected);
  });

  test('a drafting office missing from the dictionary is left out with a warning, the issuing body is said', () => {
    expect(say('Văn bản số 2231/SNV-CCHC&PC').warnings.join('\n')).toContain('chỉ đọc cơ quan ban hành (Sở Nội vụ)');
  });

  test.each([
    ['500.000 đồng/người/tháng', 'năm trăm nghìn đồng trên người trên tháng'],
    ['2.000 đồng/trang', 'hai nghìn đồng trên trang'],
    ['50.000 đồng/hồ sơ', 'năm mươi nghìn đồng trên hồ sơ'],
    ['50.000đ/người/tháng', 'năm mươi nghìn đồng trên người trên tháng'],
  ])('a compound rate: %s', (input, expected) => {
    expect(say(input).text).toBe(expected);
  });
});
