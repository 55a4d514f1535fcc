import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { extractTextFromFile, ImportError, importPlanFile, MAX_FILE_BYTES } from '../support/importer';
import { docxOf, pdfOf } from './documents';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'loa-importer-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileWith(name: string, content: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

async function failureOf(promise: Promise<unknown>): Promise<ImportError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error instanceof ImportError) return error;
  throw new Error(`expected an ImportError, got ${String(error)}`);
}

const WORD_PLAN = [
  'Số: 15/KH-SCT',
  'Tây Ninh, ngày 12 tháng 01 năm 2025',
  'KẾ HOẠCH',
  'Thông tin, tuyên truyền cải cách hành chính năm 2025',
  'I. MỤC ĐÍCH, YÊU CẦU',
  'Nâng cao nhận thức của cán bộ, công chức về cải cách hành chính.',
  'II. NỘI DUNG VÀ HÌNH THỨC',
  '1. Nội dung',
  '- Tuyên truyền kết quả cải cách thủ tục hành chính.',
  '2. Hình thức',
  '- Đăng tin trên Trang thông tin điện tử của Sở; phát trên loa truyền thanh xã; đăng trên Zalo OA của Sở.',
  '3. Hoạt động trọng tâm',
  'a) Đăng tin về thủ tục hành chính trên Zalo OA của Sở.',
  '- Thời gian thực hiện: quý II.',
  '- Đơn vị thực hiện: Văn phòng Sở.',
];

describe('Word (.docx)', () => {
  test('is read through its text and parsed like any plan', async () => {
    const path = await fileWith('ke-hoach.docx', await docxOf(WORD_PLAN));
    const { plan, text } = await importPlanFile(path);
    expect(text).toContain('Thông tin, tuyên truyền cải cách hành chính năm 2025');
    expect(plan.identity.code).toEqual({ text: '15/KH-SCT', number: 15, kind: 'KH', issuerAbbreviation: 'SCT' });
    expect(plan.identity.issueDate).toBe('2025-01-12');
    expect(plan.contentAreas.map((area) => area.key)).toEqual(['thu-tuc-hanh-chinh']);
    expect(plan.channels.map((channel) => channel.platform)).toEqual(['rss', 'radio', 'zalo']);
    expect(plan.activities[0]?.timing).toEqual({
      kind: 'window',
      from: '2025-04-01',
      to: '2025-06-30',
      wording: 'quý II',
    });
    expect(plan.activities[0]?.leadUnitKeys).toEqual(['van-phong-so']);
  });

  test('a damaged .docx is refused as unreadable', async () => {
    const path = await fileWith(
      'hong.docx',
      Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(64, 7)]),
    );
    expect((await failureOf(extractTextFromFile(path))).reason).toBe('unreadable');
  });
});

describe('PDF', () => {
  test('with a text layer gives its text', async () => {
    const path = await fileWith('ke-hoach.pdf', pdfOf(['KE HOACH so 7/KH-UBND', 'Thong tin tuyen truyen']));
    const text = await extractTextFromFile(path);
    expect(text).toContain('KE HOACH so 7/KH-UBND');
    expect(text).toContain('Thong tin tuyen truyen');
  });

  test('without a text layer (a scan) is refused, saying so', async () => {
    const path = await fileWith('scan.pdf', pdfOf(null));
    const error = await failureOf(extractTextFromFile(path));
    expect(error.reason).toBe('no-text-layer');
    expect(error.message).toMatch(/không có lớp chữ/);
  });

  test('that is damaged is refused as unreadable', async () => {
    const path = await fileWith('hong.pdf', '%PDF-1.4\nkhông phải pdf');
    expect((await failureOf(extractTextFromFile(path))).reason).toBe('unreadable');
  });
});

describe('bad input is refused with a Vietnamese reason', () => {
  test.each([
    ['an empty file', 'rong.txt', '', 'empty', /rỗng/],
    ['a text file of blanks', 'trang.txt', ' \n\t\n', 'empty', /rỗng/],
    [
      'a binary file',
      'anh.bin',
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe]),
      'binary',
      /không phải văn bản/,
    ],
    [
      'an old Word .doc',
      'cu.doc',
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      'unsupported-type',
      /\.docx/,
    ],
    ['text with an unknown extension', 'trang.html', '<p>Kế hoạch</p>', 'unsupported-type', /Không hỗ trợ loại tệp/],
  ])('%s', async (_label, name, content, reason, message) => {
    const error = await failureOf(extractTextFromFile(await fileWith(name, content)));
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
  });

  test('a file over 50 MB, before reading it', async () => {
    const path = join(dir, 'lon.pdf');
    await writeFile(path, '');
    await truncate(path, MAX_FILE_BYTES + 1);
    const error = await failureOf(extractTextFromFile(path));
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/vượt giới hạn 50 MB/);
  });

  test('a file that does not exist', async () => {
    expect((await failureOf(extractTextFromFile(join(dir, 'khong-co.txt')))).reason).toBe('unreadable');
  });

  test('a readable document that is not a plan', async () => {
    const path = await fileWith('thuc-don.txt', 'Thực đơn tuần này\nThứ hai: cơm gà, canh chua.\nThứ ba: phở bò.');
    const error = await failureOf(importPlanFile(path));
    expect(error.reason).toBe('not-a-plan');
    expect(error.field).toBe('text');
  });
});
