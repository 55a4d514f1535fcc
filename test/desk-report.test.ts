import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

import type { Db } from '../src/store';
import { createUser } from '../src/store/users';
import { withdrawItem } from '../src/store/withdrawals';
import { seedKnownLog } from './report/known-log';
import { ARTIFACTS, launchBrowser, PHONE, signInToDesk } from './support/browser';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

const PASSWORD = 'mật khẩu đủ dài 2026';
const SUPERVISOR = 'Lãnh đạo Hùng';
const OTHER_OFFICER = 'Cán bộ Mai';
const ADMIN = 'Quản trị Tỉnh';

const signIn = (page: Page, base: string, name: string) => signInToDesk(page, base, name, PASSWORD);

/** A table on the page as text rows (header cell of each row first), by its caption. */
async function tableRows(page: Page, caption: string): Promise<string[][]> {
  const table = page.locator('table.report', { has: page.locator('caption', { hasText: caption }) }).first();
  return table
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => Array.from(r.children).map((c) => (c.textContent ?? '').trim())));
}

describe.each(DATABASE_KINDS)('the report page on the web desk on %s', (kind) => {
  let browser: Browser;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    // Q1 2026 for UBND xã Tân Lập (channels rss and radio): 4 published (rss 3, radio 1, one of them after a retry),
    // 2 failed, 1 cancelled, 1 expired; the other unit's channel rss-vh has 1 published and 1 unconfirmed.
    await seedKnownLog(db.kysely);
    await createUser(
      db.kysely,
      { name: SUPERVISOR, unitId: 'ubnd-xa-tan-lap', role: 'supervisor', password: PASSWORD },
      'kiểm thử',
    );
    await createUser(
      db.kysely,
      { name: OTHER_OFFICER, unitId: 'phong-van-hoa', role: 'officer', password: PASSWORD },
      'kiểm thử',
    );
    await createUser(db.kysely, { name: ADMIN, unitId: null, role: 'admin', password: PASSWORD }, 'kiểm thử');
    server = await serveForTest(db, database, config);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a supervisor picks a period on a phone, sees the unit’s figures and charts, and downloads the XLSX', async () => {
    const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
    const page = await context.newPage();
    await signIn(page, server.base, SUPERVISOR);
    await page.getByRole('link', { name: 'Báo cáo' }).click();
    await page.waitForURL(/\/desk\/bao-cao/);
    // The period by keyboard: days typed into the range, the form sent with Enter.
    await page.getByLabel('Từ ngày').fill('2026-01-01');
    await page.getByLabel('Đến ngày').fill('2026-03-31');
    await page.getByLabel('Đến ngày').press('Enter');
    await page.waitForURL(/tu=2026-01-01/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Báo cáo từ ngày 01/01/2026 đến ngày 31/03/2026',
    );
    expect(await page.locator('.report-scope strong').textContent()).toBe('UBND xã Tân Lập');

    expect(await tableRows(page, 'Tổng hợp')).toEqual(
      expect.arrayContaining([
        ['Lượt đăng thành công', '4'],
        ['Lượt thất bại', '2'],
        ['Lượt đã hủy', '1'],
        ['Lượt quá hạn chưa duyệt', '1'],
        ['Lượt chưa rõ kết quả', '0'],
        ['Lượt đăng thành công sau khi thử lại', '1'],
      ]),
    );
    const byChannel = await tableRows(page, 'Theo kênh');
    expect(byChannel.map((r) => [r[0], r[4]])).toEqual([
      ['rss', '3'],
      ['radio', '1'],
    ]);
    expect((await tableRows(page, 'Theo tháng')).map((r) => [r[0], r[1]])).toEqual([
      ['Tháng 1/2026', '2'],
      ['Tháng 2/2026', '1'],
      ['Tháng 3/2026', '1'],
    ]);
    // The other unit's channel is not in a supervisor's report.
    expect(await page.locator('table.report').getByText('rss-vh').count()).toBe(0);

    // Charts are images the page loaded (SVG from the server, no script), each with a text alternative.
    const charts = page.locator('.charts img');
    expect(await charts.count()).toBe(3);
    for (const img of await charts.all()) {
      expect(await img.getAttribute('alt')).toMatch(/^Lượt đăng theo /);
      await img.scrollIntoViewIfNeeded();
      await page.waitForFunction(
        (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
        await img.elementHandle(),
      );
    }
    // Readable at 360 px: nothing but the tables' own scroll boxes is wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(ARTIFACTS, `desk-report-360-${kind}.png`), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Tải báo cáo dạng XLSX' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('bao-cao-2026-01-01-den-2026-03-31-ubnd-xa-tan-lap.xlsx');
    const file = path.join(ARTIFACTS, `desk-report-${kind}.xlsx`);
    await download.saveAs(file);
    const ExcelJS = require('exceljs') as typeof import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const summary = workbook.getWorksheet('Tổng hợp')!;
    const figures = Object.fromEntries(
      summary
        .getSheetValues()
        .slice(2)
        .map((row) => [(row as unknown[])[1], (row as unknown[])[2]]),
    );
    expect(figures).toMatchObject({ 'Lượt đăng thành công': 4, 'Lượt thất bại': 2, 'Nội dung (tin, bài) đã đăng': 3 });
    const channels = workbook.getWorksheet('Theo kênh')!;
    expect(channels.getRow(2).values).toEqual([
      undefined,
      'rss',
      expect.any(String),
      expect.any(String),
      'UBND xã Tân Lập',
      3,
      0,
      1,
      0,
      0,
      0,
      0,
    ]);
    fs.rmSync(file);
    await context.close();
  });

  test('every format downloads for the period picked, and a bad period is a Vietnamese 400', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, server.base, SUPERVISOR);
    for (const [format, type] of [
      ['csv', 'text/csv'],
      ['xlsx', 'spreadsheetml'],
      ['docx', 'wordprocessingml'],
      ['json', 'application/json'],
    ]) {
      const response = await page.request.get(`${server.base}/desk/bao-cao/tai-ve.${format}?ky=2026-Q1`);
      expect(response.status()).toBe(200);
      expect(response.headers()['content-type']).toContain(type);
      expect(response.headers()['content-disposition']).toBe(
        `attachment; filename="bao-cao-2026-Q1-ubnd-xa-tan-lap.${format}"`,
      );
      if (format === 'json') expect((await response.json()).totals.published).toBe(4);
    }
    // A period with nothing published shows no bare chart axes, and says why.
    await page.goto(`${server.base}/desk/bao-cao?ky=2020-Q1`);
    expect(await page.locator('.charts img').count()).toBe(0);
    expect(await page.locator('#bieu-do + p').textContent()).toContain('Chưa có lượt đăng nào trong kỳ này');
    const bad = await page.goto(`${server.base}/desk/bao-cao?ky=2026-Q5`);
    expect(bad!.status()).toBe(400);
    expect(await page.locator('main').textContent()).toContain('Kỳ báo cáo: "2026-Q5" không phải kỳ báo cáo');
    // A supervisor asking for another unit's report is told it does not exist.
    const other = await page.goto(`${server.base}/desk/bao-cao?ky=2026-Q1&donvi=phong-van-hoa`);
    expect(other!.status()).toBe(404);
    expect(
      (await page.request.get(`${server.base}/desk/bao-cao/tai-ve.xlsx?ky=2026-Q1&donvi=phong-van-hoa`)).status(),
    ).toBe(404);
  });

  test('an officer of another unit cannot see the report or download it', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, server.base, OTHER_OFFICER);
    expect(await page.getByRole('link', { name: 'Báo cáo' }).count()).toBe(0);
    const response = await page.goto(`${server.base}/desk/bao-cao?ky=2026-Q1`);
    expect(response!.status()).toBe(403);
    expect(await page.locator('table.report').count()).toBe(0);
    for (const format of ['xlsx', 'json']) {
      const file = await page.request.get(`${server.base}/desk/bao-cao/tai-ve.${format}?ky=2026-Q1`);
      expect(file.status()).toBe(403);
      expect(await file.text()).not.toContain('Lượt đăng');
    }
    expect((await page.request.get(`${server.base}/desk/bao-cao/bieu-do/theo-kenh.svg?ky=2026-Q1`)).status()).toBe(403);
  });

  test('an admin sees the province with a per-unit breakdown, or one unit', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, server.base, ADMIN);
    await page.goto(`${server.base}/desk/bao-cao?ky=2026-Q1`);
    expect(await page.locator('.report-scope strong').textContent()).toBe('toàn tỉnh');
    expect((await tableRows(page, 'Theo đơn vị')).map((r) => [r[0], r[1], r[4]])).toEqual([
      ['UBND xã Tân Lập', '4', '0'],
      ['Phòng Văn hóa - Thông tin', '1', '1'],
    ]);
    await page.getByRole('combobox', { name: /^Đơn vị/ }).selectOption({ label: 'Phòng Văn hóa - Thông tin' });
    await page.getByRole('button', { name: 'Xem báo cáo' }).click();
    await page.waitForURL(/donvi=phong-van-hoa/);
    expect(await page.locator('.report-scope strong').textContent()).toBe('Phòng Văn hóa - Thông tin');
    expect((await tableRows(page, 'Theo kênh')).map((r) => [r[0], r[4]])).toEqual([['rss-vh', '1']]);
  });

  // Last: it changes the log the tests above read.
  test('a post published and then taken down stays published and is shown as taken down, with its reason', async () => {
    // i5 (the 4th item) went out on rss-vh on 01/02; it is taken down in April.
    const i5 = (
      await db.kysely
        .selectFrom('content_items')
        .select('id')
        .orderBy('id')
        .offset(3)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
    await withdrawItem(db.kysely, i5, OTHER_OFFICER, 'Thông tin đã thay đổi', new Date('2026-04-02T02:00:00Z'));
    const page = await (await browser.newContext()).newPage();
    await signIn(page, server.base, ADMIN);
    await page.goto(`${server.base}/desk/bao-cao?ky=2026-Q1`);
    expect(await page.locator('.totals .card', { hasText: 'Trong đó đã gỡ xuống' }).locator('dd').textContent()).toBe(
      '1',
    );
    expect((await tableRows(page, 'Theo đơn vị')).map((r) => [r[0], r[1], r[2]])).toEqual([
      ['UBND xã Tân Lập', '4', '0'],
      ['Phòng Văn hóa - Thông tin', '1', '1'],
    ]);
    expect((await tableRows(page, 'Đã đăng rồi gỡ xuống')).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['Thông tin đã thay đổi', 'rss-vh', '1'],
    ]);
    expect(await page.locator('section[aria-labelledby="tong-quan"]').textContent()).toContain(
      'có 1 tin, bài đã gỡ xuống theo yêu cầu',
    );
  });
});
