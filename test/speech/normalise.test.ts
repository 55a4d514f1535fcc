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
