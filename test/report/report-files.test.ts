import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import mammoth from 'mammoth';

import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { envFor, runLoa, testConfig } from '../support/services';
import { seedKnownLog } from './known-log';

/** Each test spawns `loa` (a fresh Node process loading TypeScript); on a busy shared machine that takes a while. */
const CLI_TIMEOUT = 180_000;

describe.each(DATABASE_KINDS)('report files from loa report on %s', (kind) => {
  let database: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const loa = (...args: string[]) => runLoa(args, env);

  beforeAll(async () => {
    database = await freshDatabase(kind);
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await seedKnownLog(db.kysely);
    await db.close();
    env = envFor(testConfig(database.url), { LOA_UNIT: 'UBND xã Tân Lập' });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-report-'));
  });
  afterAll(async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  test(
    'XLSX: one sheet per breakdown, numbers as numbers, frozen header, widths',
    async () => {
      const file = path.join(dir, 'bao-cao.xlsx');
      const result = await loa('report', '--period', '2026-Q1', '--format', 'xlsx', '--output', file);
      expect(result.stderr).toBe('');
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      expect(book.worksheets.map((s) => s.name)).toEqual(
        expect.arrayContaining([
          'Tổng hợp',
          'Theo kênh',
          'Theo lĩnh vực',
          'Theo đơn vị',
          'Theo tháng',
          'Không đăng được',
          'Đúng giờ',
        ]),
      );
      const channels = book.getWorksheet('Theo kênh')!;
      expect(channels.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
      expect(channels.getColumn(2).width).toBeGreaterThan(20);
      expect(channels.getRow(1).getCell(5).value).toBe('Đã đăng');
      const rows = new Map<string, unknown[]>();
      // Column 6 is "Trong đó đã gỡ" (a part of the published ones), then "Thất bại".
      expect([channels.getRow(1).getCell(6).value, channels.getRow(1).getCell(7).value]).toEqual([
        'Trong đó đã gỡ',
        'Thất bại',
      ]);
      channels.eachRow(
        (row, n) => n > 1 && rows.set(String(row.getCell(1).value), [row.getCell(5).value, row.getCell(7).value]),
      );
      expect(Object.fromEntries(rows)).toEqual({ rss: [3, 1], radio: [1, 1], 'rss-vh': [1, 0] });
      const months = book.getWorksheet('Theo tháng')!;
      expect([2, 3, 4].map((n) => [months.getRow(n).getCell(1).value, months.getRow(n).getCell(2).value])).toEqual([
        ['Tháng 1/2026', 2],
        ['Tháng 2/2026', 2],
        ['Tháng 3/2026', 1],
      ]);
      const onTime = book.getWorksheet('Đúng giờ')!;
      expect(onTime.getRow(3).getCell(3).value).toBeCloseTo(0.6);
      expect(onTime.getColumn(3).numFmt).toBe('0.0%');
    },
    CLI_TIMEOUT,
  );

  test(
    'DOCX: an administrative report with the national motto, figures, summary, charts and a signature block',
    async () => {
      const file = path.join(dir, 'bao-cao.docx');
      const result = await loa(
        'report',
        '--period',
        '2026-Q1',
        '--format',
        'docx',
        '--output',
        file,
        '--number',
        '15/BC-VP',
        '--place',
        'Tân Lập',
        '--signer',
        'Nguyễn Văn A',
        '--signer-title',
        'Chánh Văn phòng',
      );
      expect(result.stderr).toBe('');
      const text = (await mammoth.extractRawText({ path: file })).value.replace(/\n+/g, '\n');
      expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
      expect(text).toContain('UBND XÃ TÂN LẬP');
      expect(text).toContain('Số: 15/BC-VP');
      expect(text).toMatch(/Tân Lập, ngày \d\d tháng \d{1,2} năm \d{4}/);
      expect(text).toContain('BÁO CÁO');
      expect(text).toContain('quý I năm 2026');
      expect(text).toContain('đã đăng 5 lượt tin, bài (4 nội dung)');
      expect(text).toContain(
        'Có 5 lượt không đăng được (2 thất bại, 1 chưa rõ kết quả, 1 quá hạn chưa duyệt, 1 bị hủy)',
      );
      expect(text).toMatch(/Trang tin Phòng Văn hóa\nCổng\/Trang thông tin điện tử\n1\n1\n/);
      expect(text).toMatch(/Tháng 3\/2026\n1\n3\n/);
      expect(text).toContain('CHÁNH VĂN PHÒNG');
      expect(text).toContain('Nguyễn Văn A');
      expect(text).toContain('Nơi nhận:');
      const zip = await JSZip.loadAsync(fs.readFileSync(file));
      const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
      expect(media).toHaveLength(3);
      for (const png of media) expect((await zip.file(png)!.async('nodebuffer')).subarray(1, 4).toString()).toBe('PNG');
      const xml = await zip.file('word/document.xml')!.async('string');
      expect(xml).toContain('w:ascii="Times New Roman"');
      expect(xml).not.toMatch(/w:sz w:val="(?!2[2-8]")\d+"/);
    },
    CLI_TIMEOUT,
  );

  test(
    'CSV: UTF-8 with a byte-order mark, every breakdown',
    async () => {
      const file = path.join(dir, 'bao-cao.csv');
      await loa('report', '--period', '2026-Q1', '--format', 'csv', '--output', file);
      const bytes = fs.readFileSync(file);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text).toContain('Lượt đăng thành công,5\r\n');
      expect(text).toContain('Tháng 3/2026,1,0,2,0,0,1,0\r\n');
      expect(text).toContain('Trong vòng 1 phút,3,60%');
    },
    CLI_TIMEOUT,
  );

  test(
    'the terminal table and JSON',
    async () => {
      const table = await loa('report', '--from', '01/01/2026', '--to', '31/03/2026');
      expect(table.stdout).toContain('THEO KÊNH');
      expect(table.stdout).toMatch(/Lượt đăng thành công\s+5/);
      const json = JSON.parse(
        (await loa('report', '--period', '2026-03', '--unit', 'UBND xã Tân Lập', '--json')).stdout,
      );
      expect(json.totals.published).toBe(1);
    },
    CLI_TIMEOUT,
  );

  test(
    'bad periods and a format without a file are refused in Vietnamese naming the option',
    async () => {
      const bad = await loa('report', '--period', '2026-Q5');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('Lỗi dữ liệu ở "--period"');
      const noFile = await loa('report', '--period', '2026', '--format', 'docx');
      expect(noFile.stderr).toContain('"--output"');
    },
    CLI_TIMEOUT,
  );
});
