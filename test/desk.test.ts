import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { Db } from '../src/store';
import { openStore } from '../src/store';
import { saveChannel } from '../src/store/channels';
import { schedulePublications } from '../src/store/publications';
import { ARTIFACTS, launchBrowser, PHONE } from './support/browser';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

/** Officer text built to break out of any page that forgets to escape it. */
const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">‮Bài "độc" & 'lạ'`;

describe.each(DATABASE_KINDS)('web desk pages on %s', (kind) => {
  let browser: Browser;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;

  beforeAll(async () => {
    browser = await launchBrowser();
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    await saveChannel(db.kysely, { id: 'fb-xa', unitId: 'ubnd-xa-tan-lap', platform: 'facebook', name: 'Trang xã', settings: {} }, 'kiểm thử');
    const [first, second, hostile] = await seedItems(db.kysely, 3);
    await db.kysely.updateTable('content_items').set({ title: HOSTILE }).where('id', '=', hostile!).execute();
    // 07/12/2026 08:30 and 19:00 in Vietnam (UTC+7).
    const morning = new Date('2026-12-07T01:30:00Z');
    const evening = new Date('2026-12-07T12:00:00Z');
    const { created } = await schedulePublications(
      db.kysely,
      [
        { itemId: first!, channelId: 'rss', scheduledAt: morning },
        { itemId: second!, channelId: 'radio', scheduledAt: evening },
        { itemId: hostile!, channelId: 'fb-xa', scheduledAt: new Date('2026-12-09T01:00:00Z') },
      ],
      'cán bộ A',
    );
    // One published with its proof, one left for a person: states as the worker leaves them.
    await db.kysely.updateTable('publications').set({ state: 'published', published_at: morning.toISOString(), external_url: 'https://cong.example.vn/bai/1', external_id: 'rss-1' }).where('id', '=', created[0]!.id).execute();
    await db.kysely.updateTable('publications').set({ state: 'unconfirmed', reason: 'mất kết nối sau khi gửi' }).where('id', '=', created[2]!.id).execute();
    server = await serveForTest(db, database, config);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the month calendar puts each publication on its local day, coloured by state, with the plan gaps', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.base}/desk/lich?ngay=2026-12`);
    expect(response!.status()).toBe(200);
    await expect(page.title()).resolves.toContain('Tháng 12/2026');
    const monday = page.locator('td', { has: page.locator('.day', { hasText: /^7\/12$/ }) });
    await expect(monday.locator('li.s-published').innerText()).resolves.toContain('08:30');
    await expect(monday.locator('li.s-scheduled').innerText()).resolves.toContain('19:00');
    // The seed plan asks for "thủ tục hành chính"; it has items this month, so no gap for it.
    await expect(page.locator('.gaps').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, `lich-thang-${kind}.png`), fullPage: true });
    await page.close();
  });

  test('filters by channel and shows a week', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/desk/lich?xem=tuan&ngay=2026-12-08&kenh=radio`);
    const items = await page.locator('ul.pubs li').allInnerTexts();
    expect(items).toHaveLength(1);
    expect(items[0]).toContain('19:00');
    await expect(page.locator('h1').innerText()).resolves.toContain('07/12 – 13/12/2026');
    await page.close();
  });

  test('the plan gaps name areas with nothing scheduled in a month', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/desk/lich?ngay=2026-11`);
    await expect(page.locator('.gaps').innerText()).resolves.toContain('Cải cách thủ tục hành chính');
    await page.close();
  });

  test('the publish log links the published post and tells what to do with an unconfirmed one', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/desk/nhat-ky`);
    await expect(page.locator('a', { hasText: 'Xem bài đã đăng' }).getAttribute('href')).resolves.toBe('https://cong.example.vn/bai/1');
    await expect(page.locator('tr.s-unconfirmed').innerText()).resolves.toContain('loa retry');
    await page.goto(`${server.base}/desk/nhat-ky?trangthai=published`);
    await expect(page.locator('table.log tbody tr').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, `nhat-ky-${kind}.png`), fullPage: true });
    await page.close();
  });

  test('health says plainly that no worker runs', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.base}/desk/suc-khoe`);
    await expect(page.locator('.card').first().innerText()).resolves.toContain('không có tiến trình nào');
    await expect(page.locator('progress').count()).resolves.toBeGreaterThan(0);
    await page.close();
  });

  test('hostile officer text is shown as text on every page and no script runs', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const url of ['/desk/lich?ngay=2026-12', '/desk/lich?xem=tuan&ngay=2026-12-09', '/desk/nhat-ky', '/desk/suc-khoe']) {
      const response = await page.goto(`${server.base}${url}`);
      expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
      expect(response!.headers()['content-security-policy']).not.toContain('unsafe-inline');
      await expect(page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
      await expect(page.locator('script').count()).resolves.toBe(0);
    }
    await page.goto(`${server.base}/desk/nhat-ky`);
    const text = await page.locator('body').innerText();
    expect(text).toContain('<script>window.__pwned=1</script>');
    // The right-to-left override is dropped, so the rest of the line reads in its own order.
    expect(text).toContain(`Bài "độc" & 'lạ'`);
    expect(text).not.toContain('\u202E');
    expect(errors).toEqual([]);
    await context.close();
  });

  test('at a phone width the calendar lists the days that have posts and nothing overflows', async () => {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await page.goto(`${server.base}/desk/lich?ngay=2026-12`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await expect(page.locator('ul.pubs li.s-published').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, `lich-dien-thoai-${kind}.png`), fullPage: true });
    await context.close();
  });
});
