import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, BrowserContextOptions, Page } from 'playwright-core';

import type { Db } from '../src/store';
import { ensureUnit } from '../src/store/units';
import { createUser } from '../src/store/users';
import { ARTIFACTS, launchBrowser, PHONE, signInToDesk } from './support/browser';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

const PASSWORD = 'mật khẩu đủ dài 2026';
const OFFICER = 'Cán bộ Mai';
const ADMIN = 'Quản trị Sơn';
/** A real plan as published (Bình Phước 2024); the officer uploads it through the page. */
const PLAN_FILE = path.resolve(__dirname, '../examples/plans/binh-phuoc-2024-sldtbxh.txt');
/** Officer text built to break out of any page that forgets to escape it. */
const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">‮Bài "độc" & 'lạ'`;
/** The whole page as a phone downloads it: the budget is 200 KB transferred. */
const PAGE_BUDGET = 200 * 1024;

const signIn = (page: Page, base: string, name: string, password = PASSWORD) =>
  signInToDesk(page, base, name, password);

/** Bytes the page and everything it loaded came to, as the browser received them. */
function countBytes(page: Page): () => number {
  let total = 0;
  page.on('response', (response) => {
    void response.body().then(
      (body) => (total += body.length),
      () => undefined,
    );
  });
  return () => total;
}

describe.each(DATABASE_KINDS)('desk plans, live previews and administration on %s', (kind) => {
  let browser: Browser;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let seeded: number[];
  const secretKeyBefore = process.env.LOA_SECRET_KEY;

  async function pageOf(name: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await browser.newContext(options)).newPage();
    await signIn(page, server.base, name);
    return page;
  }

  beforeAll(async () => {
    // Channel secrets are stored encrypted with this key (the server runs in this process).
    process.env.LOA_SECRET_KEY = randomBytes(32).toString('base64');
    // A pasted Page token is checked on Facebook: here Facebook cannot be reached, so it is stored unchecked
    // (test/connect/desk-connect.test.ts checks tokens against the Graph fake); never the real Graph from a test.
    process.env.LOA_FACEBOOK_GRAPH_URL = 'http://127.0.0.1:1';
    browser = await launchBrowser();
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    seeded = await seedItems(db.kysely, 2);
    await createUser(
      db.kysely,
      { name: OFFICER, unitId: 'ubnd-xa-tan-lap', role: 'officer', password: PASSWORD },
      'kiểm thử',
    );
    await createUser(db.kysely, { name: ADMIN, unitId: null, role: 'admin', password: PASSWORD }, 'kiểm thử');
    server = await serveForTest(db, database, config);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (secretKeyBefore === undefined) delete process.env.LOA_SECRET_KEY;
    else process.env.LOA_SECRET_KEY = secretKeyBefore;
    delete process.env.LOA_FACEBOOK_GRAPH_URL;
  });

  test('an officer uploads a real plan, sees what Loa read and the proposed calendar, and applies it as drafts', async () => {
    const page = await pageOf(OFFICER);
    const bytes = countBytes(page);
    await page.goto(`${server.base}/desk/ke-hoach`);
    await page.getByLabel(/Tệp kế hoạch/).setInputFiles(PLAN_FILE);
    await page.getByRole('button', { name: 'Tải lên và đọc' }).click();
    await page.waitForURL(/\/desk\/ke-hoach$/);
    await expect(page.locator('.notice').first().innerText()).resolves.toContain('Đã nhập kế hoạch mới');
    await expect(page.locator('h1').innerText()).resolves.toContain('KH-SLĐTBXH');
    // What was read: the issuer, an area, the portal channel, an activity with its timing, units, reporting duties.
    await expect(page.locator('dl.facts').innerText()).resolves.toContain('Sở Lao động - Thương binh và Xã hội');
    await expect(page.locator('ul.areas li').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('ul.channels').innerText()).resolves.toContain(
      'Tuyên truyền trên Trang thông tin điện tử',
    );
    const activities = await page.locator('table.activities').innerText();
    expect(activities).toContain('Đăng tải bản tin, bài viết, ảnh trên Trang thông tin điện tử');
    expect(activities).toContain('hằng tuần');
    expect(activities).toContain('từ 01/01/2024 đến 31/12/2024');
    await expect(page.locator('ul.units').innerText()).resolves.toContain('Văn phòng Sở');
    await expect(page.locator('ul.reporting').innerText()).resolves.toContain('kết quả thực hiện');
    // The importer's confidence report: this plan leaves its issue date blank, and Loa says so rather than guessing.
    await expect(page.locator('section.report').innerText()).resolves.toContain('Ngày ban hành');
    // The proposal defaults to the plan's year; a whole year of weekly portal posts.
    await expect(page.locator('input[name=tu]').first().inputValue()).resolves.toBe('2024-01-01');
    await expect(page.locator('table.proposal tbody tr').count()).resolves.toBeGreaterThan(40);
    await page.screenshot({ path: path.join(ARTIFACTS, `ke-hoach-da-doc-${kind}.png`), fullPage: true });
    expect(bytes()).toBeLessThan(PAGE_BUDGET);

    // One month of it, then applied: draft items (not approved) with their publications on the unit's portal.
    await page.getByLabel('Từ ngày').fill('2024-06-01');
    await page.getByLabel('Đến ngày').fill('2024-06-30');
    await page.getByRole('button', { name: 'Đề xuất lại' }).click();
    const rows = await page.locator('table.proposal tbody tr').allInnerTexts();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatch(/^Thứ \S+, \d\d\/06\/2024 \d\d:\d\d/);
    const planId = Number(/\/desk\/ke-hoach\/(\d+)/.exec(page.url())![1]);
    // June 2024 is past: the page says so, and saving asks whether to drop or move those slots (never sends them).
    await expect(page.locator('.past-slots').innerText()).resolves.toContain(`${rows.length} lượt đăng đề xuất đã qua`);
    await page.getByLabel(/Dời mỗi lượt đã qua/).check();
    await page.getByRole('button', { name: 'Lưu thành bài nháp' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain(`${rows.length} lượt đăng`);
    await expect(page.locator('.notice').innerText()).resolves.toContain(`dời ${rows.length} lượt đã qua`);
    const drafts = await db.kysely
      .selectFrom('content_items')
      .select(['id', 'approved_at'])
      .where('plan_id', '=', planId)
      .execute();
    expect(drafts.length).toBeGreaterThan(0);
    expect(drafts.every((d) => d.approved_at === null)).toBe(true);
    const publications = await db.kysely
      .selectFrom('publications')
      .select(['id', 'scheduled_at'])
      .where(
        'item_id',
        'in',
        drafts.map((d) => d.id),
      )
      .execute();
    expect(publications).toHaveLength(rows.length);
    expect(publications.every((p) => new Date(p.scheduled_at) > new Date())).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, `ke-hoach-da-ap-dung-${kind}.png`), fullPage: true });

    // Applying the same period again (moving the past slots again: to the same free days) adds nothing, and the page
    // says what was already there.
    await page.getByLabel(/Dời mỗi lượt đã qua/).check();
    await page.getByRole('button', { name: 'Lưu thành bài nháp' }).click();
    const again = await page.locator('.notice').innerText();
    expect(again).toContain('0 bản nháp mới, 0 lượt đăng mới');
    expect(again).toContain(`${drafts.length} bản nháp, ${rows.length} lượt đăng (không thêm lại)`);
    expect(
      await db.kysely.selectFrom('content_items').select('id').where('plan_id', '=', planId).execute(),
    ).toHaveLength(drafts.length);
    expect(
      await db.kysely
        .selectFrom('publications')
        .select('id')
        .where(
          'item_id',
          'in',
          drafts.map((d) => d.id),
        )
        .execute(),
    ).toHaveLength(rows.length);

    await page.getByRole('link', { name: 'Xem trên lịch' }).click();
    // The calendar opens at the month the first saved slot goes out in (the past ones were moved from today on).
    await page.waitForURL(/\/desk\/lich\?ngay=\d{4}-\d\d$/);
    expect(page.url()).not.toContain('2024-06');
    await expect(page.locator('ul.pubs li').count()).resolves.toBeGreaterThan(0);

    // A period reaching past the plan's year: the calendar keeps to the plan, and the page says which dates it dropped.
    await page.goto(`${server.base}/desk/ke-hoach/${planId}?tu=2024-12-01&den=2025-01-31`);
    await expect(page.locator('.calendar-warnings').innerText()).resolves.toContain(
      'Bỏ các ngày từ 01/01/2025 đến 31/01/2025: sau thời gian của kế hoạch (năm 2024)',
    );
    const late = await page.locator('table.proposal tbody tr').allInnerTexts();
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((row) => row.includes('/12/2024'))).toBe(true);
    await page.context().close();
  });

  test('a file that is not a plan is refused with the reason, and nothing is stored', async () => {
    const page = await pageOf(OFFICER);
    const before = await db.kysely.selectFrom('plans').select('id').execute();
    await page.goto(`${server.base}/desk/ke-hoach`);
    await page.getByLabel(/Tệp kế hoạch/).setInputFiles({
      name: 'anh.png',
      mimeType: 'image/png',
      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
    });
    await page.getByRole('button', { name: 'Tải lên và đọc' }).click();
    await expect(page.locator('.error').innerText()).resolves.toContain('anh.png');
    await expect(db.kysely.selectFrom('plans').select('id').execute()).resolves.toHaveLength(before.length);
    // The multipart form is checked like every form: without the session's CSRF token a real plan is refused too.
    const forged = await page.request.post(`${server.base}/desk/ke-hoach`, {
      multipart: { tep: { name: 'ke-hoach.txt', mimeType: 'text/plain', buffer: fs.readFileSync(PLAN_FILE) } },
    });
    expect(forged.status()).toBe(403);
    await expect(db.kysely.selectFrom('plans').select('id').execute()).resolves.toHaveLength(before.length);
    await page.context().close();
  });

  test('the previews follow the text as the officer types, with the warnings beside it and the reading playable', async () => {
    const page = await pageOf(OFFICER);
    const bytes = countBytes(page);
    await page.goto(`${server.base}/desk/bai-viet/moi`);
    await page.locator('form[data-xem-truoc-san-sang]').waitFor();
    await page.getByLabel('Tiêu đề', { exact: true }).pressSequentially('Tiếp công dân');
    await page.getByLabel('Nội dung', { exact: true }).pressSequentially('UBND xã tiếp công dân lúc 8h30.');
    // No button pressed: the portal and radio previews appear from the typing alone.

    await page
      .locator('section.preview[data-platform="rss"]', { hasText: 'UBND xã tiếp công dân lúc 8h30.' })
      .waitFor();
    const radio = page.locator('section.preview[data-platform="radio"]');
    await radio.filter({ hasText: 'Ủy ban nhân dân' }).waitFor();
    await expect(page.locator('#canh-bao').innerText()).resolves.toContain('Không có cảnh báo');
    // A number written the English way: the radio normaliser warns, and the warning appears beside the text.
    await page.getByLabel('Nội dung', { exact: true }).pressSequentially(' Kinh phí 1,500,000 đồng.');
    await page.locator('section.preview[data-platform="rss"]', { hasText: 'Kinh phí 1,500,000 đồng.' }).waitFor();
    await page.locator('#canh-bao', { hasText: 'kiểu Anh' }).waitFor();
    await expect(page.locator('#canh-bao').innerText()).resolves.toContain('Đài truyền thanh');
    await page.screenshot({ path: path.join(ARTIFACTS, `viet-bai-xem-truoc-truc-tiep-${kind}.png`), fullPage: true });
    expect(bytes()).toBeLessThan(PAGE_BUDGET);

    // The radio script as audio: a WAV made by the radio channel's espeak-ng preview, the same bytes the second time.
    const source = await radio.locator('audio').getAttribute('src');
    expect(source).toMatch(/^\/desk\/nghe-thu\/[0-9a-f]{64}\.wav$/);
    const first = await page.request.get(`${server.base}${source}`);
    expect(first.status()).toBe(200);
    expect(first.headers()['content-type']).toBe('audio/wav');
    const wav = await first.body();
    expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
    await expect(page.request.get(`${server.base}${source}`).then((r) => r.body())).resolves.toEqual(wav);
    await expect(
      page.request.get(`${server.base}/desk/nghe-thu/${'0'.repeat(64)}.wav`).then((r) => r.status()),
    ).resolves.toBe(404);
    await page.context().close();
  });

  test('without JavaScript the "Xem trước" button still shows the four previews and the warnings', async () => {
    const page = await pageOf(OFFICER, { javaScriptEnabled: false });
    await page.goto(`${server.base}/desk/bai-viet/moi`);
    await page.getByLabel('Tiêu đề', { exact: true }).fill('Tiếp công dân');
    await page.getByLabel('Nội dung', { exact: true }).fill('UBND xã tiếp công dân lúc 8h30.');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.locator('section.preview[data-platform="radio"]').innerText()).resolves.toContain(
      'Ủy ban nhân dân',
    );
    await expect(page.locator('section.preview').count()).resolves.toBe(4);
    await page.context().close();
  });

  test('an admin renames, merges and retires units on a phone, and the history stays on the page', async () => {
    await ensureUnit(db.kysely, 'UBND xã An Phú', 'kiểm thử', 'an-phu');
    await ensureUnit(db.kysely, 'UBND xã An Bình', 'kiểm thử', 'an-binh');
    await ensureUnit(db.kysely, 'UBND huyện Cũ', 'kiểm thử', 'huyen-cu');
    const page = await pageOf(ADMIN, PHONE);
    await page.goto(`${server.base}/desk/quan-tri/don-vi`);
    await expect(page.locator('table.units').innerText()).resolves.toContain('hãy sáp nhập hoặc cho ngừng hoạt động');
    await page.getByLabel('Đơn vị cần đổi tên').selectOption('an-phu');
    await page.getByLabel('Tên mới').fill('UBND xã An Phú Mới');
    await page.getByRole('button', { name: 'Đổi tên' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain('"UBND xã An Phú" thành "UBND xã An Phú Mới"');
    await page.locator('input[name="from"][value="an-binh"]').check();
    await page.getByLabel('Đơn vị nhận', { exact: false }).selectOption('an-phu');
    await page.getByRole('button', { name: 'Sáp nhập' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain(
      'Đã sáp nhập UBND xã An Bình vào UBND xã An Phú Mới',
    );
    await page.getByLabel('Đơn vị ngừng hoạt động', { exact: false }).selectOption('huyen-cu');
    await page.getByRole('button', { name: 'Ngừng hoạt động' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain('UBND huyện Cũ đã ngừng hoạt động');
    const table = await page.locator('table.units').innerText();
    expect(table).toContain('đã sáp nhập vào UBND xã An Phú Mới');
    const history = await page.locator('table.unit-history').innerText();
    expect(history).toContain('UBND xã An Phú → UBND xã An Phú Mới');
    expect(history).toContain('UBND xã An Bình → UBND xã An Phú Mới');
    await page.screenshot({ path: path.join(ARTIFACTS, `quan-tri-don-vi-sap-nhap-${kind}.png`), fullPage: true });
    await page.context().close();
  });

  test('an admin manages units, accounts, channels (secret never shown back) and previews a template against a real item', async () => {
    const page = await pageOf(ADMIN);
    await expect(page.locator('nav').innerText()).resolves.toContain('Quản trị');
    await page.goto(`${server.base}/desk/quan-tri/don-vi`);
    await page.getByLabel('Tên đơn vị').fill('UBND xã Minh Hưng');
    await page.getByRole('button', { name: 'Thêm đơn vị' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain('ubnd-xa-minh-hung');
    await expect(page.locator('table.units').innerText()).resolves.toContain('UBND xã Minh Hưng');
    // The message after a change rides in the address, signed for this session: a crafted link shows nothing.
    const signed = new URL(page.url());
    expect(signed.searchParams.get('ky')).toBeTruthy();
    await page.goto(`${server.base}/desk/quan-tri/don-vi?loi=${encodeURIComponent('Tài khoản bị khoá: gọi 0900')}`);
    expect(await page.locator('[role="alert"], .notice').count()).toBe(0);
    signed.searchParams.set('xong', 'Đã thêm đơn vị lạ');
    await page.goto(signed.toString());
    expect(await page.locator('.notice').count()).toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, `quan-tri-don-vi-${kind}.png`), fullPage: true });

    await page.goto(`${server.base}/desk/quan-tri/tai-khoan`);
    await page.getByLabel('Tên đăng nhập').fill('Cán bộ Hưng');
    await page.getByLabel('Đơn vị').selectOption('ubnd-xa-minh-hung');
    await page.getByLabel('Vai trò').selectOption('officer');
    await page.getByLabel('Mật khẩu (ít nhất 10 ký tự)').fill('mật khẩu ban đầu 1');
    await page.getByRole('button', { name: 'Thêm tài khoản' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain('Cán bộ Hưng');
    await expect(page.locator('table.users').innerText()).resolves.toContain('UBND xã Minh Hưng');
    await page.getByRole('combobox', { name: /^Tài khoản/ }).selectOption('Cán bộ Hưng');
    await page.getByLabel('Mật khẩu mới').fill('mật khẩu mới hơn 22');
    await page.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain('Đã đặt mật khẩu mới cho Cán bộ Hưng');
    await page.screenshot({ path: path.join(ARTIFACTS, `quan-tri-tai-khoan-${kind}.png`), fullPage: true });
    // The new password works, the first one no longer does.
    const newcomer = await (await browser.newContext()).newPage();
    await signIn(newcomer, server.base, 'Cán bộ Hưng', 'mật khẩu mới hơn 22');
    await expect(newcomer.locator('.who').innerText()).resolves.toContain('UBND xã Minh Hưng');
    await newcomer.context().close();

    const secret = `bi-mat-${randomBytes(6).toString('hex')}`;
    await page.goto(`${server.base}/desk/quan-tri/kenh`);
    await page.getByRole('combobox', { name: /^Đơn vị/ }).selectOption('ubnd-xa-minh-hung');
    await page.getByRole('combobox', { name: /^Nền tảng/ }).selectOption('facebook');
    await page.getByLabel('Tên kênh').fill('Trang xã Minh Hưng');
    await page.getByLabel('Cài đặt (JSON, không chứa bí mật)').fill('{"pageId": "1234567890"}');
    await page.getByLabel(/^Bí mật/).fill(secret);
    await page.getByRole('button', { name: 'Lưu kênh' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain('bí mật đã được mã hóa và lưu');
    const row = await page.locator('tr', { hasText: 'Trang xã Minh Hưng' }).innerText();
    expect(row).toContain('đã lưu (mã hóa)');
    expect(await page.content()).not.toContain(secret);
    const stored = await db.kysely
      .selectFrom('channels')
      .select(['secret', 'settings'])
      .where('name', '=', 'Trang xã Minh Hưng')
      .executeTakeFirstOrThrow();
    expect(stored.secret).toBeTruthy();
    expect(String(stored.secret)).not.toContain(secret);
    // A secret typed into the settings is refused, naming the field.
    await page.getByLabel('Tên kênh').fill('Trang thử');
    await page.getByLabel('Cài đặt (JSON, không chứa bí mật)').fill('{"pageId": "1234567890", "accessToken": "abc"}');
    await page.getByRole('button', { name: 'Lưu kênh' }).click();
    await expect(page.locator('.error').innerText()).resolves.toContain('accessToken');
    await page.screenshot({ path: path.join(ARTIFACTS, `quan-tri-kenh-${kind}.png`), fullPage: true });

    await page.goto(`${server.base}/desk/quan-tri/mau?tep=rss.liquid&bai=${seeded[1]}`);
    await expect(page.locator('pre.source').innerText()).resolves.toContain('item.body');
    // Rendered against a real item from the database: the seed's second one, through the real rss.liquid.
    await expect(page.locator('section.preview[data-platform="rss"]').innerText()).resolves.toContain('Nội dung bài 2');
    await page.screenshot({ path: path.join(ARTIFACTS, `quan-tri-mau-${kind}.png`), fullPage: true });

    // An admin has no unit of their own: the writing page asks which unit the item is for.
    await page.goto(`${server.base}/desk/bai-viet/moi`);
    await page.getByRole('combobox', { name: /^Đơn vị/ }).selectOption('ubnd-xa-tan-lap');
    await page.getByLabel('Tiêu đề', { exact: true }).fill('Thông báo của tỉnh');
    await page.getByLabel('Nội dung', { exact: true }).fill('Nội dung do quản trị viết cho xã.');
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect(page.locator('section.preview[data-platform="rss"]').innerText()).resolves.toContain(
      'UBND xã Tân Lập',
    );
    await page.context().close();
  });

  test('admin pages and the queue board are refused to an officer; the board opens for an admin behind the same session', async () => {
    const officer = await pageOf(OFFICER);
    await expect(officer.locator('nav').innerText()).resolves.not.toContain('Quản trị');
    for (const url of [
      '/desk/quan-tri/don-vi',
      '/desk/quan-tri/tai-khoan',
      '/desk/quan-tri/kenh',
      '/desk/quan-tri/mau',
    ]) {
      const response = await officer.goto(`${server.base}${url}`);
      expect(response!.status()).toBe(403);
    }
    const csrf = await officer.locator('input[name=_csrf]').first().inputValue();
    const refused = await officer.request.post(`${server.base}/desk/quan-tri/don-vi`, {
      form: { _csrf: csrf, name: 'Đơn vị lạ' },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    await expect(
      db.kysely.selectFrom('units').select('id').where('name', '=', 'Đơn vị lạ').execute(),
    ).resolves.toHaveLength(0);
    const board = await officer.goto(`${server.base}/admin/queues`);
    expect(board!.status()).toBe(403);
    const api = await officer.request.get(`${server.base}/admin/queues/api/queues`);
    expect(api.status()).toBe(403);
    const messages = await officer.request.get(`${server.base}/admin/queues/static/locales/en-GB/messages.json`);
    expect(messages.status()).toBe(403);
    await officer.context().close();

    const anonymous = await (await browser.newContext()).newPage();
    await anonymous.goto(`${server.base}/admin/queues`);
    expect(anonymous.url()).toContain('/desk/dang-nhap');
    await anonymous.context().close();

    const admin = await pageOf(ADMIN);
    const errors: string[] = [];
    admin.on('pageerror', (e) => errors.push(e.message));
    const scripts: Array<{ url: string; encoding: string | undefined }> = [];
    admin.on('response', (r) => {
      if (r.url().includes('/admin/queues/static/js/'))
        scripts.push({ url: r.url(), encoding: r.headers()['content-encoding'] });
    });
    const response = await admin.goto(`${server.base}/admin/queues`);
    expect(response!.status()).toBe(200);
    const policy = response!.headers()['content-security-policy']!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
    // The board's own scripts run under that policy and list Loa's queues.
    await admin.getByText('publish-rss').first().waitFor();
    // In Vietnamese, from Loa's translation: the status tabs and each queue's card, with no English left.
    await admin.getByText('publish-rss').nth(1).waitFor(); // the overview's card, beside the menu's entry
    await admin.getByText('Không có tiến trình').first().waitFor({ timeout: 5000 });
    const shown = await admin.locator('body').innerText();
    await expect(admin.getByPlaceholder('Lọc hàng đợi').count()).resolves.toBe(1);
    for (const label of ['Đang chờ', 'Đang chạy', 'Đã xong', 'Thất bại', 'Hẹn giờ', '0 việc'])
      expect(shown.toLowerCase()).toContain(label.toLowerCase());
    expect(shown).not.toMatch(/\b(Waiting|Active|Completed|Failed|Delayed|No workers|Jobs?|Loading)\b/i);
    await admin.screenshot({ path: path.join(ARTIFACTS, `hang-doi-${kind}.png`), fullPage: true });
    expect(errors).toEqual([]);
    // The board's scripts arrive compressed (brotli, or gzip to a client without it) and unchanged.
    expect(scripts.length).toBeGreaterThan(3);
    expect(scripts.filter((s) => s.encoding !== 'br' && s.encoding !== 'gzip')).toEqual([]);
    const bundle = scripts.find((s) => /\/main\.[0-9a-f]+\.js$/.test(s.url))!.url;
    const gzipped = await admin.request.get(bundle, { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(gzipped.headers()['content-encoding']).toBe('gzip');
    const onDisk = path.join(
      path.dirname(require.resolve('@bull-board/ui/package.json')),
      'dist/static/js',
      path.basename(bundle),
    );
    expect((await gzipped.body()).equals(fs.readFileSync(onDisk))).toBe(true);
    await admin.context().close();
  });

  test('hostile text in plans, items and typed previews is shown as text and no script runs', async () => {
    await db.kysely.updateTable('plans').set({ title: HOSTILE }).where('id', '=', 1).execute();
    await db.kysely.updateTable('content_items').set({ title: HOSTILE }).where('id', '=', seeded[0]!).execute();
    const page = await pageOf(ADMIN);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const url of ['/desk/ke-hoach', '/desk/ke-hoach/1', `/desk/quan-tri/mau?bai=${seeded[0]}`]) {
      await page.goto(`${server.base}${url}`);
      await expect(page.locator('body').innerText()).resolves.toContain('<script>window.__pwned=1</script>');
      await expect(page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    }
    expect(errors).toEqual([]);
    await page.context().close();

    const officer = await pageOf(OFFICER);
    officer.on('pageerror', (e) => errors.push(e.message));
    await officer.goto(`${server.base}/desk/bai-viet/moi`);
    await officer.locator('form[data-xem-truoc-san-sang]').waitFor();
    // Typed text is checked on input (the bidi override is refused), so the markup alone.
    const typed = HOSTILE.slice(0, HOSTILE.indexOf('\u202E'));
    await officer.getByLabel('Tiêu đề', { exact: true }).fill(typed);
    await officer.getByLabel('Nội dung', { exact: true }).fill(`Nội dung ${typed}`);
    await officer
      .locator('section.preview[data-platform="facebook"]', { hasText: '<script>window.__pwned=1</script>' })
      .waitFor();
    await expect(officer.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    expect(errors).toEqual([]);
    await officer.context().close();
  });

  test('at a phone width the plan, writing and admin pages fit in 360 px', async () => {
    // The newest plan: the real one uploaded above when the whole file runs.
    const newest = await db.kysely.selectFrom('plans').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
    for (const [who, url, name] of [
      [OFFICER, `/desk/ke-hoach/${newest.id}?tu=2024-06-01&den=2024-06-30`, 'ke-hoach'],
      [OFFICER, '/desk/bai-viet/moi', 'viet-bai'],
      [ADMIN, '/desk/quan-tri/kenh', 'quan-tri-kenh'],
      [ADMIN, '/desk/quan-tri/mau', 'quan-tri-mau'],
    ] as const) {
      const page = await pageOf(who, PHONE);
      const response = await page.goto(`${server.base}${url}`);
      // Served scripts only: the policy runs nothing inline, and no page needs it to.
      expect(response!.headers()['content-security-policy']).not.toContain('unsafe-inline');
      await expect(page.locator('script:not([src])').count()).resolves.toBe(0);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ url, width }).toEqual({ url, width: 360 });
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}-dien-thoai-${kind}.png`), fullPage: true });
      await page.context().close();
    }
  });
});
