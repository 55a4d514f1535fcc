import { diffPlans, parsePlanText } from '../support/importer';
import { planFixture } from './fixtures';

const original = planFixture('binh-phuoc-2024-sldtbxh').text;

function replaced(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`not in the document: ${from}`);
  return text.replace(from, to);
}

test('the same document twice shows no change', () => {
  expect(diffPlans(parsePlanText(original), parsePlanText(original.normalize('NFD')))).toEqual([]);
});

test('a revised version lists what changed, in Vietnamese', () => {
  let revised = replaced(original, 'Số: /KH-SLĐTBXH', 'Số: 250/KH-SLĐTBXH');
  revised = replaced(revised, 'ngày tháng 5 năm 2024', 'ngày 20 tháng 5 năm 2024');
  revised = replaced(revised, '2. Hình thức\n', '2. Hình thức\n\n- Đăng tin trên Zalo OA của Sở.\n');
  revised = replaced(revised, '- Thời gian thực hiện: thường xuyên.', '- Thời gian thực hiện: quý III.');
  revised = replaced(revised, '- Sở Nội vụ;\n', '');
  revised = replaced(revised, '+ *Cải cách tổ chức bộ máy*', '+ *Cải cách tổ chức bộ máy hành chính*');

  expect(diffPlans(parsePlanText(original), parsePlanText(revised)).map((change) => change.message)).toEqual([
    'Số hiệu: "/KH-SLĐTBXH" → "250/KH-SLĐTBXH"',
    'Ngày ban hành: (không có) → "2024-05-20"',
    'Bỏ nội dung: Cải cách tổ chức bộ máy – Cải cách tổ chức bộ máy',
    'Thêm nội dung: Cải cách tổ chức bộ máy – Cải cách tổ chức bộ máy hành chính',
    'Thêm hình thức: Zalo OA (Đăng tin trên Zalo OA của Sở)',
    'Hoạt động a) thời gian: "thường xuyên" → "quý III"',
    'Bỏ nơi nhận: Sở Nội vụ',
  ]);
});

test('each change says which part of the plan it is in and how', () => {
  const revised = replaced(original, '- Lưu: VT, VP (TL1).', '- Sở Tài chính;\n- Lưu: VT, VP (TL1).');
  expect(diffPlans(parsePlanText(original), parsePlanText(revised))).toEqual([
    { kind: 'added', section: 'units', message: 'Thêm đơn vị: Sở Tài chính' },
    { kind: 'added', section: 'recipients', message: 'Thêm nơi nhận: Sở Tài chính' },
  ]);
});
