import { importPlanText } from '../support/importer';

/** A plan as a legal-documents site wraps it: the motto, the place and date, citations broken over lines. */
const WRAPPED = [
  'ỦY BAN NHÂN DÂN',
  'TỈNH BẾN TRE',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  'Số: 18/KH-UBND',
  'Bến Tre, ngày 12 tháng 01 năm 2025',
  'KẾ HOẠCH',
  'Thông tin, tuyên truyền cải cách hành chính năm 2025',
  'Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung một số điều của Nghị định số 61/2018/NĐ-CP ngày',
  '23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, một cửa liên thông trong',
  'giải quyết thủ tục hành chính;',
  'Ủy ban nhân dân tỉnh ban hành Kế hoạch thông tin, tuyên truyền cải cách hành chính năm 2025 như sau:',
  'Theo đó, mục đích của kế hoạch là nâng cao nhận thức của cán bộ, công chức và Nhân dân về cải cách hành chính.',
  'Đài Phát thanh và Truyền hình tỉnh tiếp tục duy trì chuyên mục “Cải cách hành chính” phát sóng hằng tháng trên sóng truyền hình.',
].join('\n');

const { report } = importPlanText(WRAPPED);

test('the motto, the place-and-date line and the lines of a wrapped citation are not sentences to check', () => {
  expect(report.unplaced.join('\n')).not.toMatch(/Độc lập|Bến Tre, ngày|cơ chế một cửa/u);
});

test('a line an activity was read from is placed; a goal the importer cannot file is still listed', () => {
  expect(report.unplaced.join('\n')).not.toMatch(/duy trì chuyên mục/u);
  expect(report.unplaced).toContain(
    'Theo đó, mục đích của kế hoạch là nâng cao nhận thức của cán bộ, công chức và Nhân dân về cải cách hành chính',
  );
});
