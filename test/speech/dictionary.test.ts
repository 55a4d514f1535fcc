import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { AbbreviationFileError, loadAbbreviations, parseAbbreviations } from '../../src/speech/dictionary';

describe('abbreviation dictionary', () => {
  test('the shipped dictionary has the abbreviations of the plans', () => {
    const dictionary = loadAbbreviations();
    for (const key of [
      'UBND',
      'HĐND',
      'CCHC',
      'TTHC',
      'CBCCVC',
      'CBCC',
      'MTTQ',
      'CNTT',
      'PCI',
      'PAR INDEX',
      'SIPAS',
      'PAPI',
      'ĐVC',
      'KH',
      'QĐ',
      'NĐ-CP',
      'TTg',
      'TT',
      'BTTTT',
      'LĐTBXH',
      'SLĐTBXH',
      'UBMTTQ',
      'THCS',
      'THPT',
      'BHXH',
      'KT-XH',
      'VNeID',
      'DVCTT',
    ]) {
      expect(dictionary.get(key)?.full).toBeTruthy();
    }
  });

  test('comments and blank lines are skipped; the third column is the short reading', () => {
    const dictionary = parseAbbreviations('# ghi chú\n\nUBND\tỦy ban nhân dân\nPCI\tChỉ số PCI\tpê xê i\n', 'x.tsv');
    expect([...dictionary]).toEqual([
      ['UBND', { full: 'Ủy ban nhân dân' }],
      ['PCI', { full: 'Chỉ số PCI', short: 'pê xê i' }],
    ]);
  });

  test.each([
    ['UBND Ủy ban nhân dân', 'dòng 2: cần 2 hoặc 3 cột'],
    ['UBND\t', 'dòng 2: chữ viết tắt và tên đầy đủ không được để trống'],
    ['A\tb\tc\td', 'dòng 2: cần 2 hoặc 3 cột'],
    ['CCHC\tlần nữa', 'dòng 2: "CCHC" đã có ở dòng trước'],
  ])('a malformed line %j is an error naming the file and line', (line, message) => {
    const content = `CCHC\tcải cách hành chính\n${line}\n`;
    expect(() => parseAbbreviations(content, 'tu-dien.tsv')).toThrow(AbbreviationFileError);
    expect(() => parseAbbreviations(content, 'tu-dien.tsv')).toThrow(`tu-dien.tsv, ${message}`);
  });

  test('loadAbbreviations reads another file when given a path', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'loa-')), 'abbr.tsv');
    writeFileSync(file, 'XYZ\tXã Yên Zương\n');
    expect(loadAbbreviations(file).get('XYZ')).toEqual({ full: 'Xã Yên Zương' });
  });
});
