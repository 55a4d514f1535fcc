import path from 'node:path';

import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';

import type { Db } from '../src/store';
import { saveChannel } from '../src/store/channels';
import { addItems, rejectItem } from '../src/store/items';
import { schedulePublications } from '../src/store/publications';
import { createUser } from '../src/store/users';
import { startWorker } from '../worker/worker';
import { ARTIFACTS, launchBrowser, PHONE, signInToDesk } from './support/browser';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig, waitFor } from './support/services';

const PASSWORD = 'mật khẩu đủ dài 2026';
const OFFICER = 'Cán bộ Lan';
const SUPERVISOR = 'Lãnh đạo Hùng';

const signIn = (page: Page, base: string, name: string) => signInToDesk(page, base, name, PASSWORD);

/** Officer text built to break out of any page that forgets to escape it. */
const HOSTILE = `<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">‮Bài "độc" & 'lạ'`;

describe.each(DATABASE_KINDS)('web desk pages on %s', (kind) => {
  let browser: Browser;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let workerConfig: ReturnType<typeof testConfig>;
  /** The seeded item whose title is hostile text. */
  let hostileId: number;
  /** A signed-in officer's page, for the read-only tests. */
  async function officerPage(options = {}): Promise<Page> {
    const page = await (await browser.newContext(options)).newPage();
    await signIn(page, server.base, OFFICER);
    return page;
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    await saveChannel(
      db.kysely,
      { id: 'fb-xa', unitId: 'ubnd-xa-tan-lap', platform: 'facebook', name: 'Trang xã', settings: {} },
      'kiểm thử',
    );
    const [first, second, hostile] = await seedItems(db.kysely, 3);
    await db.kysely
      .updateTable('content_items')
      .set({ title: HOSTILE, body: HOSTILE })
      .where('id', '=', hostile!)
      .execute();
    hostileId = hostile!;
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
    await db.kysely
      .updateTable('publications')
      .set({
        state: 'published',
        published_at: morning.toISOString(),
        external_url: 'https://cong.example.vn/bai/1',
        external_id: 'rss-1',
      })
      .where('id', '=', created[0]!.id)
      .execute();
    await db.kysely
      .updateTable('publications')
      .set({ state: 'unconfirmed', reason: 'mất kết nối sau khi gửi' })
      .where('id', '=', created[2]!.id)
      .execute();
    await createUser(
      db.kysely,
      { name: OFFICER, unitId: 'ubnd-xa-tan-lap', role: 'officer', password: PASSWORD },
      'kiểm thử',
    );
    await createUser(
      db.kysely,
      { name: SUPERVISOR, unitId: 'ubnd-xa-tan-lap', role: 'supervisor', password: PASSWORD },
      'kiểm thử',
    );
    server = await serveForTest(db, database, config);
    workerConfig = config;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the month calendar puts each publication on its local day, coloured by state, with the plan gaps', async () => {
    const page = await officerPage();
    const response = await page.goto(`${server.base}/desk/lich?ngay=2026-12`);
    expect(response!.status()).toBe(200);
    await expect(page.title()).resolves.toContain('Tháng 12/2026');
    const monday = page.locator('td', { has: page.locator('.day', { hasText: /^7\/12$/ }) });
    await expect(monday.locator('li.s-published').innerText()).resolves.toContain('08:30');
    await expect(monday.locator('li.s-scheduled').innerText()).resolves.toContain('19:00');
    // The seed plan asks for "thủ tục hành chính"; it has items this month, so no gap for it.
    await expect(page.locator('.gaps').count()).resolves.toBe(0);
    await page.screenshot({ path: path.join(ARTIFACTS, `lich-thang-${kind}.png`), fullPage: true });
    await page.context().close();
  });

  test('filters by channel and shows a week', async () => {
    const page = await officerPage();
    await page.goto(`${server.base}/desk/lich?xem=tuan&ngay=2026-12-08&kenh=radio`);
    const items = await page.locator('ul.pubs li').allInnerTexts();
    expect(items).toHaveLength(1);
    expect(items[0]).toContain('19:00');
    await expect(page.locator('h1').innerText()).resolves.toContain('07/12 – 13/12/2026');
    await page.context().close();
  });

  test('an empty month says how to begin, and the month picker moves to another month', async () => {
    const page = await officerPage();
    await page.goto(`${server.base}/desk/lich?ngay=2020-01`);
    await expect(page.locator('p.hint').innerText()).resolves.toContain('Chưa có bài đăng nào trong tháng này');
    await expect(page.locator('p.hint a', { hasText: 'nhập kế hoạch' }).getAttribute('href')).resolves.toBe(
      '/desk/ke-hoach',
    );
    const month = page.getByLabel('Tháng', { exact: true });
    await expect(month.getAttribute('type')).resolves.toBe('month');
    await expect(month.inputValue()).resolves.toBe('2020-01');
    await month.fill('2026-12');
    await page.getByRole('button', { name: 'Xem', exact: true }).click();
    await expect(page.title()).resolves.toContain('Tháng 12/2026');
    await expect(page.locator('p.hint').count()).resolves.toBe(0);
    await page.context().close();
  });

  test('the plan gaps name areas with nothing scheduled in a month', async () => {
    const page = await officerPage();
    await page.goto(`${server.base}/desk/lich?ngay=2026-11`);
    await expect(page.locator('.gaps').innerText()).resolves.toContain('Cải cách thủ tục hành chính');
    await page.context().close();
  });

  test('the publish log links the published post and tells what to do with an unconfirmed one', async () => {
    const page = await officerPage();
    await page.goto(`${server.base}/desk/nhat-ky`);
    await expect(page.locator('a', { hasText: 'Xem bài đã đăng' }).getAttribute('href')).resolves.toBe(
      'https://cong.example.vn/bai/1',
    );
    // The way to send it again on the web: the item's page, whose button asks that a person checked the platform.
    await expect(page.locator('tr.s-unconfirmed').innerText()).resolves.toContain(
      'Đã kiểm tra, bài chưa lên: đăng lại',
    );
    await expect(page.locator('tr.s-unconfirmed a', { hasText: 'trang bài' }).getAttribute('href')).resolves.toMatch(
      /^\/desk\/bai-viet\/\d+$/,
    );
    await page.goto(`${server.base}/desk/nhat-ky?trangthai=published`);
    await expect(page.locator('table.log tbody tr').count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, `nhat-ky-${kind}.png`), fullPage: true });
    await page.context().close();
  });

  test('health says plainly that no worker runs', async () => {
    const page = await officerPage();
    await page.goto(`${server.base}/desk/suc-khoe`);
    await expect(page.locator('.card').first().innerText()).resolves.toContain('không có tiến trình nào');
    await expect(page.locator('progress').count()).resolves.toBeGreaterThan(0);
    await page.context().close();
  });

  test('hostile officer text is shown as text on every page and no script runs', async () => {
    const page = await officerPage();
    const context = page.context();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    for (const url of [
      '/desk/lich?ngay=2026-12',
      '/desk/lich?xem=tuan&ngay=2026-12-09',
      '/desk/nhat-ky',
      '/desk/suc-khoe',
      '/desk/bai-viet',
      `/desk/bai-viet/${hostileId}`,
    ]) {
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
    const page = await officerPage(PHONE);
    const context = page.context();
    await page.goto(`${server.base}/desk/lich?ngay=2026-12`);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    await expect(page.locator('ul.pubs li.s-published').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, `lich-dien-thoai-${kind}.png`), fullPage: true });
    await context.close();
  });
  test('an officer writes with four previews, cannot approve it, a supervisor approves, the worker publishes it', async () => {
    const officer = await officerPage();
    await officer.goto(`${server.base}/desk/bai-viet/moi`);
    await expect(officer.locator('.who').innerText()).resolves.toContain('UBND xã Tân Lập');
    await expect(officer.locator('.who').innerText()).resolves.toContain('cán bộ');
    await officer.getByLabel('Tiêu đề', { exact: true }).fill('Lịch tiếp công dân tháng 12');
    await officer
      .getByLabel('Nội dung', { exact: true })
      .fill('UBND xã tiếp công dân vào thứ Hai, ngày 07/12/2026, lúc 8h30.');
    await officer.getByLabel('Cổng/Trang thông tin điện tử UBND xã Tân Lập').check();
    await officer.getByLabel('Đài truyền thanh UBND xã Tân Lập').check();
    // Due a few seconds from now, so the worker publishes it during the test.
    const due = new Date(Date.now() + 3_000);
    await officer
      .getByLabel('Giờ đăng (giờ Việt Nam)')
      .fill(DateTime.fromJSDate(due).setZone('Asia/Ho_Chi_Minh').toFormat("yyyy-LL-dd'T'HH:mm:ss"));
    await officer.getByRole('button', { name: 'Xem trước' }).click();
    const previews = officer.locator('section.preview');
    await expect(previews.count()).resolves.toBeGreaterThanOrEqual(2);
    // The radio preview is the script as it will be read: numbers and abbreviations in words, with a reading time.
    const radio = await officer.locator('section.preview[data-platform="radio"]').innerText();
    expect(radio).toContain('Ủy ban nhân dân');
    expect(radio).toContain('đọc khoảng');
    await officer.screenshot({ path: path.join(ARTIFACTS, `viet-bai-${kind}.png`), fullPage: true });
    await officer.getByRole('button', { name: 'Lưu và gửi duyệt' }).click();
    await expect(officer.locator('.notice').innerText()).resolves.toContain('chờ lãnh đạo duyệt');
    const itemId = Number(/bài số (\d+)/.exec(await officer.locator('.notice').innerText())![1]);

    // The officer cannot approve: the four-eyes rule and the role both refuse, in words.
    const refused = await officer.request.post(`${server.base}/desk/duyet/${itemId}`, {
      form: { _csrf: await officer.locator('input[name=_csrf]').first().inputValue(), action: 'duyet' },
    });
    // Refused with the page and its reason, not a redirect that carries a sentence in the address.
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain(`Bài số ${itemId}: `);
    // And an officer who opens the queue sees the item waiting, with no button the server would refuse.
    await officer.goto(`${server.base}/desk/duyet`);
    await expect(officer.locator(`#bai-${itemId}`).count()).resolves.toBe(1);
    await expect(officer.getByRole('button', { name: 'Duyệt' }).count()).resolves.toBe(0);

    const supervisor = await (await browser.newContext()).newPage();
    await signIn(supervisor, server.base, SUPERVISOR);
    await supervisor.goto(`${server.base}/desk/duyet`);
    const card = supervisor.locator(`#bai-${itemId}`);
    await expect(card.locator('section.preview').count()).resolves.toBeGreaterThanOrEqual(2);
    await card.getByRole('button', { name: 'Duyệt' }).click();
    await expect(supervisor.locator('.notice').innerText()).resolves.toContain(`bài số ${itemId}`);

    const worker = await startWorker(workerConfig, { log: () => undefined }); // the page is what this test reads
    try {
      await waitFor(
        async () =>
          (
            await db.kysely
              .selectFrom('publications')
              .select('state')
              .where('item_id', '=', itemId)
              .where('state', '=', 'published')
              .execute()
          ).length === 2,
        30_000,
        'both publications published',
      );
    } finally {
      await worker.stop();
    }
    await supervisor.goto(`${server.base}/desk/nhat-ky?trangthai=published`);
    await expect(supervisor.locator('table.log').innerText()).resolves.toContain('Lịch tiếp công dân tháng 12');
    const month = DateTime.fromJSDate(due).setZone('Asia/Ho_Chi_Minh').toFormat('yyyy-LL');
    await supervisor.goto(`${server.base}/desk/lich?ngay=${month}`);
    await expect(supervisor.locator('ul.pubs li.s-published', { hasText: 'Lịch tiếp công dân' }).count()).resolves.toBe(
      2,
    );
    await supervisor.screenshot({ path: path.join(ARTIFACTS, `lich-sau-khi-dang-${kind}.png`), fullPage: true });
    await officer.context().close();
    await supervisor.context().close();
  });

  test('on a phone, an officer edits a returned item and sends it again, and sends a failed post again', async () => {
    const [planId] = (await db.kysely.selectFrom('plans').select('id').execute()).map((p) => p.id);
    const [returned] = await addItems(
      db.kysely,
      [
        {
          plan: planId!,
          area: 'thu-tuc-hanh-chinh',
          unit: 'ubnd-xa-tan-lap',
          title: 'Thông báo lịch tiếp dân',
          body: 'Xã tiếp dân vào thứ Hai.',
          link: null,
          image: null,
          priority: 'thong-thuong',
        },
      ],
      OFFICER,
    );
    await rejectItem(db.kysely, returned!.id, SUPERVISOR, 'ghi rõ giờ tiếp dân');
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: returned!.id, channelId: 'rss', scheduledAt: new Date('2026-12-10T01:00:00Z') }],
      OFFICER,
    );
    await db.kysely
      .updateTable('publications')
      .set({ state: 'failed', reason: 'cổng thông tin từ chối' })
      .where('id', '=', created[0]!.id)
      .execute();

    const officer = await officerPage({ ...PHONE, viewport: { width: 390, height: 844 } });
    await officer.goto(`${server.base}/desk/bai-viet`);
    await officer.getByRole('link', { name: `Sửa và gửi duyệt lại bài số ${returned!.id}` }).click();
    await expect(officer.locator('h1').innerText()).resolves.toBe(`Sửa bài số ${returned!.id}`);
    await expect(officer.locator('#sua-bai-ghi-chu').innerText()).resolves.toContain(
      'Bài bị trả lại: ghi rõ giờ tiếp dân',
    );
    await expect(officer.getByLabel('Tiêu đề', { exact: true }).inputValue()).resolves.toBe('Thông báo lịch tiếp dân');
    await officer.locator('textarea[name=body]').fill('Xã tiếp dân vào thứ Hai, từ 7 giờ 30 đến 11 giờ.');
    await officer.getByRole('button', { name: 'Lưu và gửi duyệt lại' }).click();
    await expect(officer.locator('.notice').innerText()).resolves.toContain(
      `Đã sửa và gửi duyệt lại bài số ${returned!.id}`,
    );
    const stored = await db.kysely
      .selectFrom('content_items')
      .select(['body', 'rejection_reason', 'approved_at'])
      .where('id', '=', returned!.id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      body: 'Xã tiếp dân vào thứ Hai, từ 7 giờ 30 đến 11 giờ.',
      rejection_reason: null,
      approved_at: null,
    });
    await officer.screenshot({ path: path.join(ARTIFACTS, `sua-gui-lai-${kind}.png`), fullPage: true });

    // Back in the supervisor's queue; and the failed post is sent again from the item's page.
    const supervisor = await (await browser.newContext()).newPage();
    await signIn(supervisor, server.base, SUPERVISOR);
    await supervisor.goto(`${server.base}/desk/duyet`);
    await expect(supervisor.locator(`#bai-${returned!.id}`).count()).resolves.toBe(1);
    await officer.goto(`${server.base}/desk/bai-viet/${returned!.id}`);
    await officer.getByRole('button', { name: 'Đăng lại' }).click();
    await expect(officer.locator('.notice').innerText()).resolves.toContain(`Đã xếp lại lượt ${created[0]!.id}`);
    const again = await db.kysely
      .selectFrom('publications')
      .select('state')
      .where('id', '=', created[0]!.id)
      .executeTakeFirstOrThrow();
    expect(again.state).toBe('scheduled');
    await expect(officer.getByRole('button', { name: 'Đăng lại' }).count()).resolves.toBe(0);
    await officer.context().close();
    await supervisor.context().close();
  });

  test('an officer withdraws a published portal item with a reason: off the feed, in the log and calendar with who and why', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    await db.kysely.updateTable('content_items').set({ title: 'Thông báo sẽ rút' }).where('id', '=', itemId!).execute();
    const at = new Date('2026-12-10T01:00:00Z'); // 10/12/2026 08:00 in Vietnam
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: at }],
      'cán bộ A',
    );
    await db.kysely
      .updateTable('publications')
      .set({
        state: 'published',
        published_at: at.toISOString(),
        content: 'Thông báo sẽ rút',
        external_url: 'https://cong.example.vn/bai/rut',
      })
      .where('id', '=', created[0]!.id)
      .execute();
    const feedText = async () => (await fetch(`${server.base}/rss.xml`)).text();
    expect(await feedText()).toContain('Thông báo sẽ rút');

    const page = await officerPage();
    await page.goto(`${server.base}/desk/bai-viet`);
    await page.getByRole('link', { name: `Rút bài số ${itemId}` }).click();
    await expect(page.locator('#rut-bai').innerText()).resolves.toContain('Facebook hoặc Zalo');
    // Without a reason the browser would stop the form; sent anyway, the server refuses it naming the field.
    const refused = await page.request.post(`${server.base}/desk/bai-viet/${itemId}/rut`, {
      form: { _csrf: await page.locator('#rut-bai input[name=_csrf]').inputValue(), reason: '   ' },
    });
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toContain('Lý do rút bài: cần ghi lý do');
    expect(
      (
        await db.kysely
          .selectFrom('publications')
          .select('state')
          .where('id', '=', created[0]!.id)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('published');

    await page.getByLabel('Lý do rút bài').fill('Thông tin lịch đã thay đổi');
    await page.getByRole('button', { name: 'Rút bài' }).click();
    await expect(page.locator('.notice').first().innerText()).resolves.toContain('gỡ 1 bài đã đăng');
    expect(await feedText()).not.toContain('Thông báo sẽ rút');

    await page.goto(`${server.base}/desk/nhat-ky?trangthai=withdrawn`);
    const row = await page.locator('table.log tbody tr', { hasText: 'Thông báo sẽ rút' }).innerText();
    expect(row).toContain('đã gỡ');
    expect(row).toContain(`Gỡ bởi ${OFFICER}`);
    expect(row).toContain('Thông tin lịch đã thay đổi');
    await page.goto(`${server.base}/desk/lich?ngay=2026-12`);
    await expect(
      page.locator('ul.pubs li.s-withdrawn', { hasText: 'Thông báo sẽ rút' }).innerText(),
    ).resolves.toContain(`gỡ bởi ${OFFICER}: Thông tin lịch đã thay đổi`);
    await page.screenshot({ path: path.join(ARTIFACTS, `rut-bai-${kind}.png`), fullPage: true });
    await page.context().close();
  });

  test('withdrawing a post already on Facebook lists its link to remove there by hand (Loa does not call the platform)', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const at = new Date('2026-12-11T12:00:00Z');
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'fb-xa', scheduledAt: at }],
      'cán bộ A',
    );
    await db.kysely
      .updateTable('publications')
      .set({
        state: 'published',
        published_at: at.toISOString(),
        external_id: '123_456',
        external_url: 'https://www.facebook.com/123/posts/456',
      })
      .where('id', '=', created[0]!.id)
      .execute();
    const page = await officerPage();
    await page.goto(`${server.base}/desk/bai-viet/${itemId}`);
    await page.getByLabel('Lý do rút bài').fill('Đăng nhầm trang');
    await page.getByRole('button', { name: 'Rút bài' }).click();
    const notice = page.locator('.notice', { hasText: 'gỡ trên nền tảng đó' });
    await expect(notice.locator('a').getAttribute('href')).resolves.toBe('https://www.facebook.com/123/posts/456');
    await page.context().close();
  });

  test('pages need a signed-in person; a wrong password says so and signs no one in', async () => {
    const page = await (await browser.newContext()).newPage();
    const response = await page.goto(`${server.base}/desk/nhat-ky`);
    expect(page.url()).toContain('/desk/dang-nhap');
    expect(response!.status()).toBe(200);
    await page.getByLabel('Tên đăng nhập').fill(OFFICER);
    await page.getByLabel('Mật khẩu').fill('sai mật khẩu rồi');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page.locator('.error').innerText()).resolves.toContain('không đúng');
    await page.goto(`${server.base}/desk/nhat-ky`);
    expect(page.url()).toContain('/desk/dang-nhap');
    await page.context().close();
  });
});
