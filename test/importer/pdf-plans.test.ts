import path from 'node:path';

import { unwrapTypesetLines } from '../../src/importer/unwrap-lines';
import { extractTextFromFile, importPlanFile } from '../support/importer';

const FIXTURES = path.resolve(__dirname, '../fixtures/plans');
const TYPESET = [
  'binh-phuoc-2024-sldtbxh',
  'binh-phuoc-2025-ubnd-107',
  'soc-trang-2022-ubnd-21',
  'ninh-thuan-2023-ubnd-911',
];

describe('a plan received as a typeset PDF', () => {
  test.each(TYPESET)('%s.pdf gives the same structured plan as its text', async (name) => {
    const fromPdf = await importPlanFile(path.join(FIXTURES, 'pdf', `${name}.pdf`));
    const fromText = await importPlanFile(path.join(FIXTURES, `${name}.txt`));
    expect(fromPdf.plan).toEqual(fromText.plan);
  });

  test('its wrapped lines are rejoined, across a wrap before a capital or a number', async () => {
    const text = await extractTextFromFile(path.join(FIXTURES, 'pdf', 'binh-phuoc-2024-sldtbxh.pdf'));
    expect(text).toContain('năm 2024 trên địa bàn tỉnh Bình Phước,');
    expect(text).not.toMatch(/^\d{1,3}$/m);
  });
});

describe('unwrapping typeset lines', () => {
  const full = 'x'.repeat(60);
  test.each([
    ['a full line and its continuation', `${full} của\ntỉnh Bình Phước.`, `${full} của tỉnh Bình Phước.`],
    ['a continuation starting with a year', `${full} năm\n2022 tập trung vào`, `${full} năm 2022 tập trung vào`],
    ['a list run on after a semicolon', `${full};\nviệc thực hiện.`, `${full}; việc thực hiện.`],
    ['a paragraph that ends with a full stop', `${full}.\nĐoạn sau.`, `${full}.\nĐoạn sau.`],
    ['a short last line', `${full} cuối\nngắn\nDòng mới`, `${full} cuối ngắn\nDòng mới`],
    ['a list item after a full line', `${full} như sau\n- mục một`, `${full} như sau\n- mục một`],
    ['a numbered heading after a full line', `${full} hết\nII. NỘI DUNG`, `${full} hết\nII. NỘI DUNG`],
    ['a lettered item', `${full} gồm\nb) Hội nghị`, `${full} gồm\nb) Hội nghị`],
    ['a page number between the halves', `${full} của\n3\ntỉnh.`, `${full} của tỉnh.`],
  ])('%s', (_what, input, expected) => {
    expect(unwrapTypesetLines(input)).toBe(expected);
  });
});
