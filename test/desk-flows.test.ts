import path from 'node:path';

import { DateTime } from 'luxon';
import type { Browser, Page } from 'playwright-core';

import type { Config } from '../src/config';
import { fixedDay } from '../src/domain/clock';
import type { Db } from '../src/store';
import { saveChannel } from '../src/store/channels';
import { addItems } from '../src/store/items';
import { savePlan } from '../src/store/plans';
import { schedulePublications } from '../src/store/publications';
import { ensureUnit } from '../src/store/units';
import { createUser } from '../src/store/users';
import { startWorker } from '../worker/worker';
import { ARTIFACTS, launchBrowser, PHONE, signInToDesk } from './support/browser';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { minimalPlan } from './support/seed';
import { serveForTest } from './support/server';
import { envFor, runLoa, testConfig, waitFor } from './support/services';

/**
 * Three flows of issue 28 on a phone 390 px wide, each checked by what the person sees: a new installation's first
 * sign-in to its first published post, a supervisor's queue of 60 items, and a plan whose year is over. One server and
 * one browser for the file (the flows are slow to start, not to run); the first database kind only, since the desk's
 * pages are the same on both and test/desk*.test.ts cover each kind.
 */
const kind = DATABASE_KINDS[0]!;
const PASSWORD = 'mật khẩu đủ dài 2026';
const ADMIN = 'Quản trị Tỉnh';
const OFFICER = 'Cán bộ Thu';
const SUPERVISOR = 'Lãnh đạo Minh';
/** The phone of the issue: 390 px wide. */
const PHONE_390 = { ...PHONE, viewport: { width: 390, height: 844 } };
/** The day the plan pages take as today (the server's clock): a 2024 plan is over, whatever the real date. */
const TODAY = '2026-12-07';
/** Real plan documents: a 2025 one for the first steps, a 2024 department plan for the past one. */
const FIRST_PLAN = path.resolve(__dirname, 'fixtures/plans/binh-phuoc-2025-ubnd-107.txt');
const PAST_PLAN = path.resolve(__dirname, '../examples/plans/binh-phuoc-2024-sldtbxh.txt');

describe(`on a phone: first steps, a long approval queue, a past plan (${kind})`, () => {
  let browser: Browser;
  let db: Db;
  let config: Config;
  let server: Awaited<ReturnType<typeof serveForTest>>;

  /** A new phone (its own cookies) signed in as `name`. */
  async function phoneOf(name: string): Promise<Page> {
    const page = await (await browser.newContext(PHONE_390)).newPage();
    await signInToDesk(page, server.base, name, PASSWORD);
    return page;
  }

  /** The page fits the phone: nothing to scroll sideways. */
  async function fits(page: Page): Promise<void> {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect({ url: page.url(), width }).toEqual({ url: page.url(), width: 390 });
  }

  const navCount = async (page: Page) =>
    /\((\d+)/.exec(await page.locator('nav a[href="/desk/duyet"] .count').innerText())![1];

  beforeAll(async () => {
    browser = await launchBrowser();
    const database = await freshDatabase(kind);
    config = testConfig(database.url);
    // A brand-new installation: `loa serve` on an empty database (migrated, the default unit with its portal and radio).
    db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    server = await serveForTest(db, database, config, { clock: fixedDay(TODAY) });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a new installation: the first admin from the README, the officer signs in on a phone, writes, a supervisor approves, the worker publishes, the officer sees it out', async () => {
    // The README's first step on the server: `loa users add NAME --admin`, the password on standard input.
    const made = await runLoa(['users', 'add', ADMIN, '--admin'], { ...envFor(config), LOA_USER: '' }, `${PASSWORD}\n`);
    expect(made.stdout).toContain(`Đã thêm tài khoản "${ADMIN}": quản trị, toàn tỉnh.`);

    // The admin signs in on a phone and makes the commune's officer and supervisor.
    const admin = await phoneOf(ADMIN);
    await expect(admin.locator('p.hint').innerText()).resolves.toContain('Chưa có bài đăng nào trong tháng này');
    await admin.goto(`${server.base}/desk/quan-tri/tai-khoan`);
    for (const [name, role] of [
      [OFFICER, 'officer'],
      [SUPERVISOR, 'supervisor'],
    ]) {
      await admin.getByLabel('Tên đăng nhập').fill(name!);
      await admin.getByLabel('Đơn vị').selectOption({ label: 'UBND xã Tân Lập' });
      await admin.getByLabel('Vai trò').selectOption(role!);
      await admin.getByLabel('Mật khẩu (ít nhất 10 ký tự)').fill(PASSWORD);
      await admin.getByRole('button', { name: 'Thêm tài khoản' }).click();
      await expect(admin.locator('.notice').innerText()).resolves.toContain(name!);
    }
    await fits(admin);
    await admin.context().close();

    // The officer's first sign-in: an empty calendar that says how to begin.
    const officer = await phoneOf(OFFICER);
    await expect(officer.locator('.who').innerText()).resolves.toContain('UBND xã Tân Lập');
    await expect(officer.locator('p.hint').innerText()).resolves.toContain('Chưa có bài đăng nào trong tháng này');
    await fits(officer);
    // Writing needs a plan, and a new installation has none: the writing page says so and leads to the plans.
    await officer.locator('p.hint').getByRole('link', { name: 'viết bài' }).click();
    await expect(officer.locator('#chua-co-ke-hoach').innerText()).resolves.toContain('Chưa có kế hoạch nào');
    await expect(officer.getByRole('button', { name: 'Lưu và gửi duyệt' }).count()).resolves.toBe(0);
    await officer.locator('#chua-co-ke-hoach').getByRole('link', { name: 'nhập kế hoạch' }).click();
    await officer.getByLabel(/Tệp kế hoạch/).setInputFiles(FIRST_PLAN);
    await officer.getByRole('button', { name: 'Tải lên và đọc' }).click();
    await expect(officer.locator('.notice').first().innerText()).resolves.toContain('Đã nhập kế hoạch mới');

    await officer.getByRole('link', { name: 'Bài viết', exact: true }).click();
    await officer.getByRole('link', { name: '+ Viết bài mới' }).click();
    const title = 'Lịch tiếp công dân của xã';
    await officer.getByLabel('Tiêu đề', { exact: true }).fill(title);
    await officer.getByLabel('Nội dung', { exact: true }).fill('UBND xã tiếp công dân vào sáng thứ Hai hằng tuần.');
    await officer.getByLabel('Cổng/Trang thông tin điện tử UBND xã Tân Lập').check();
    // Due a few seconds from now: the worker publishes it as soon as it is approved.
    const due = DateTime.now().setZone('Asia/Ho_Chi_Minh').plus({ seconds: 5 });
    await officer.getByLabel('Giờ đăng (giờ Việt Nam)').fill(due.toFormat("yyyy-LL-dd'T'HH:mm:ss"));
    await fits(officer);
    await officer.getByRole('button', { name: 'Lưu và gửi duyệt' }).click();
    const saved = await officer.locator('.notice').innerText();
    expect(saved).toContain('chờ lãnh đạo duyệt');
    const itemId = Number(/bài số (\d+)/.exec(saved)![1]);
    await expect(navCount(officer)).resolves.toBe('1');

    // The supervisor's first sign-in: one item waiting, and on the card what goes out where and when.
    const supervisor = await phoneOf(SUPERVISOR);
    await expect(navCount(supervisor)).resolves.toBe('1');
    await supervisor.getByRole('link', { name: /^Duyệt bài/ }).click();
    const card = supervisor.locator(`#bai-${itemId}`);
    await expect(card.locator('h2').innerText()).resolves.toBe(`Bài số ${itemId}: ${title}`);
    const where = await card.locator('.when-where').innerText();
    expect(where).toContain(due.toFormat('dd/LL/yyyy HH:mm'));
    expect(where).toContain('Cổng/Trang thông tin điện tử UBND xã Tân Lập');
    // The button is on the first screen of the phone, not two screens down.
    const button = (await card.getByRole('button', { name: `Duyệt bài số ${itemId}` }).boundingBox())!;
    expect(button.y + button.height).toBeLessThanOrEqual(PHONE_390.viewport.height);
    await fits(supervisor);
    await card.getByRole('button', { name: `Duyệt bài số ${itemId}` }).click();
    await expect(supervisor.locator('.notice').innerText()).resolves.toBe(`Đã duyệt bài số ${itemId}.`);
    await expect(navCount(supervisor)).resolves.toBe('0');
    await supervisor.context().close();

    // The worker publishes it at its time; a reader of the portal's feed sees it.
    const feed = async () => (await fetch(`${server.base}/rss.xml`)).text();
    expect(await feed()).not.toContain(title);
    // The worker's log is kept for a failure's message rather than printed on every run.
    const said: string[] = [];
    const worker = await startWorker(config, { log: (level, message) => said.push(`${level}: ${message}`) });
    try {
      await waitFor(async () => (await feed()).includes(title), 60_000, 'the item in the portal feed').catch(
        (error: Error) => {
          throw new Error(`${error.message}; the worker said:\n${said.join('\n')}`);
        },
      );
    } finally {
      await worker.stop();
    }

    // And the officer sees it out: in the publish log with its link, and on the calendar as published.
    await officer.getByRole('link', { name: 'Nhật ký' }).click();
    const row = officer.locator('table.log tbody tr', { hasText: title });
    await expect(row.count()).resolves.toBe(1);
    await expect(row.innerText()).resolves.toContain('đã đăng');
    await officer.goto(`${server.base}/desk/lich?ngay=${due.toFormat('yyyy-LL')}`);
    await expect(officer.locator('ul.pubs li.s-published', { hasText: title }).count()).resolves.toBe(1);
    await fits(officer);
    await officer.screenshot({ path: path.join(ARTIFACTS, `buoc-dau-da-dang-${kind}.png`), fullPage: true });
    await officer.context().close();
  });

  test('60 items waiting: the supervisor sees 60, the one due soonest first, approves one on the second page, and 59 remain', async () => {
    const k = db.kysely;
    const unit = await ensureUnit(k, 'UBND phường Hòa Bình', 'kiểm thử', 'phuong-hoa-binh');
    await saveChannel(
      k,
      { id: 'rss-hoa-binh', unitId: unit.id, platform: 'rss', name: 'Cổng thông tin phường Hòa Bình', settings: {} },
      'kiểm thử',
    );
    const { plan } = await savePlan(
      k,
      { plan: minimalPlan('12/KH-UBND'), sourceName: 'kế hoạch phường', sourceHash: 'hash-phuong-hoa-binh' },
      'kiểm thử',
    );
    const items = await addItems(
      k,
      Array.from({ length: 60 }, (_, i) => ({
        plan: plan.id,
        area: 'thu-tuc-hanh-chinh',
        unit: unit.id,
        title: `Tin phường số ${i + 1}`,
        body: `Nội dung tin số ${i + 1}.`,
        link: null,
        image: null,
        priority: 'thong-thuong' as const,
      })),
      'Cán bộ phường',
    );
    const ids = items.map((i) => i.id);
    // Three are scheduled ahead (from now, whatever the date): the one due in a day comes first, though written 20th.
    const inDays = (days: number) => DateTime.now().plus({ days }).startOf('minute').toJSDate();
    await schedulePublications(
      k,
      [
        { itemId: ids[6]!, channelId: 'rss-hoa-binh', scheduledAt: inDays(3) },
        { itemId: ids[19]!, channelId: 'rss-hoa-binh', scheduledAt: inDays(1) },
        { itemId: ids[44]!, channelId: 'rss-hoa-binh', scheduledAt: inDays(2) },
      ],
      'Cán bộ phường',
    );
    const boss = 'Lãnh đạo phường';
    await createUser(k, { name: boss, unitId: unit.id, role: 'supervisor', password: PASSWORD }, 'kiểm thử');

    const page = await phoneOf(boss);
    await expect(navCount(page)).resolves.toBe('60');
    await page.getByRole('link', { name: /^Duyệt bài/ }).click();
    const count = page.locator('nav.paging p.count').first();
    await expect(count.innerText()).resolves.toBe('1–10 trong 60 bài chờ duyệt · trang 1/6');
    const titles = () => page.locator('article.approval h2').allInnerTexts();
    const first = await titles();
    expect(first).toHaveLength(10);
    // Due soonest first, each with its time; then those with nothing scheduled, newest first.
    expect(first.slice(0, 4)).toEqual([
      `Bài số ${ids[19]}: Tin phường số 20`,
      `Bài số ${ids[44]}: Tin phường số 45`,
      `Bài số ${ids[6]}: Tin phường số 7`,
      `Bài số ${ids[59]}: Tin phường số 60`,
    ]);
    await expect(page.locator('article.approval').first().locator('.when-where').innerText()).resolves.toContain(
      DateTime.fromJSDate(inDays(1)).setZone('Asia/Ho_Chi_Minh').toFormat('dd/LL/yyyy HH:mm'),
    );
    await fits(page);

    await page.getByRole('link', { name: 'Trang sau →' }).first().click();
    await expect(count.innerText()).resolves.toBe('11–20 trong 60 bài chờ duyệt · trang 2/6');
    const second = await titles();
    // Written 60th down to 54th on the first page, so the second page begins with the 53rd.
    expect(second[0]).toBe(`Bài số ${ids[52]}: Tin phường số 53`);
    const chosen = ids[47]!;
    expect(second).toContain(`Bài số ${chosen}: Tin phường số 48`);
    expect(second).not.toContain(`Bài số ${ids[41]}: Tin phường số 42`);
    await page.getByRole('button', { name: `Duyệt bài số ${chosen}` }).click();

    // Approved: the count goes to 59, the supervisor stays on the second page, which the next item fills up.
    await expect(page.locator('.notice').innerText()).resolves.toBe(`Đã duyệt bài số ${chosen}.`);
    await expect(navCount(page)).resolves.toBe('59');
    await expect(count.innerText()).resolves.toBe('11–20 trong 59 bài chờ duyệt · trang 2/6');
    const after = await titles();
    expect(after).toHaveLength(10);
    expect(after).not.toContain(`Bài số ${chosen}: Tin phường số 48`);
    expect(after).toContain(`Bài số ${ids[41]}: Tin phường số 42`);
    await page.screenshot({ path: path.join(ARTIFACTS, `duyet-60-bai-${kind}.png`), fullPage: true });
    await page.context().close();
  });

  test('a 2024 plan proposed on 07/12/2026: the officer sees the past slots, nothing is saved until they choose, then drop or move', async () => {
    const k = db.kysely;
    const unit = await ensureUnit(k, 'UBND xã Đồng Tiến', 'kiểm thử', 'xa-dong-tien');
    await saveChannel(
      k,
      { id: 'rss-dong-tien', unitId: unit.id, platform: 'rss', name: 'Cổng thông tin xã Đồng Tiến', settings: {} },
      'kiểm thử',
    );
    const planner = 'Cán bộ Đồng Tiến';
    await createUser(k, { name: planner, unitId: unit.id, role: 'officer', password: PASSWORD }, 'kiểm thử');
    const page = await phoneOf(planner);
    await page.getByRole('link', { name: 'Kế hoạch', exact: true }).click();
    await page.getByLabel(/Tệp kế hoạch/).setInputFiles(PAST_PLAN);
    await page.getByRole('button', { name: 'Tải lên và đọc' }).click();
    await expect(page.locator('.notice').first().innerText()).resolves.toContain('Đã nhập kế hoạch mới');

    // The plan's own year is proposed, and every slot of it is past on this server's today: the page says so first.
    await expect(page.getByLabel('Từ ngày').inputValue()).resolves.toBe('2024-01-01');
    const rows = await page.locator('table.proposal tbody tr').count();
    expect(rows).toBeGreaterThan(40);
    await expect(page.locator('table.proposal tbody tr.past').count()).resolves.toBe(rows);
    const warning = await page.locator('.past-slots').innerText();
    expect(warning).toContain(`${rows} lượt đăng đề xuất đã qua`);
    expect(warning).toContain('07/12/2026');
    await expect(page.locator('.past-choice legend').innerText()).resolves.toContain('bắt buộc chọn');
    await fits(page);
    await page.screenshot({ path: path.join(ARTIFACTS, `ke-hoach-da-qua-${kind}.png`), fullPage: true });

    // Saved without a choice (a browser that skips the form's checks): refused in words, nothing saved.
    await page.locator('form:has(.past-choice)').evaluate((form) => ((form as HTMLFormElement).noValidate = true));
    await page.getByRole('button', { name: 'Lưu thành bài nháp' }).click();
    await expect(page.locator('p.error[role=alert]').innerText()).resolves.toContain(
      `${rows} lượt đăng đề xuất đã qua giờ: chọn bỏ các lượt đó hoặc dời sang ngày trống kế tiếp`,
    );
    await expect(navCount(page)).resolves.toBe('0');

    // Dropped: nothing saved, and the page says how many were left out.
    await page.getByLabel('Bỏ các lượt đã qua').check();
    await page.getByRole('button', { name: 'Lưu thành bài nháp' }).click();
    await expect(page.locator('.notice').innerText()).resolves.toContain(
      `0 bản nháp mới, 0 lượt đăng mới; bỏ ${rows} lượt đã qua`,
    );
    await expect(navCount(page)).resolves.toBe('0');

    // Moved: each to a free day from today on, as drafts waiting for approval; none in 2024.
    await page.getByLabel(/Dời mỗi lượt đã qua/).check();
    await page.getByRole('button', { name: 'Lưu thành bài nháp' }).click();
    const moved = await page.locator('.notice').innerText();
    expect(moved).toContain(`${rows} lượt đăng mới; dời ${rows} lượt đã qua sang ngày trống kế tiếp`);
    const drafts = Number(/(\d+) bản nháp mới/.exec(moved)![1]);
    expect(drafts).toBeGreaterThan(0);
    await expect(navCount(page)).resolves.toBe(String(drafts));
    await page.getByRole('link', { name: 'Xem trên lịch' }).click();
    await expect(page.locator('h1').innerText()).resolves.toContain('12/2026');
    // Today on the server's clock begins at midnight: the first moved slot is today's 08:00, none the day before.
    const day = (d: string) => page.locator('td', { has: page.locator('.day', { hasText: new RegExp(`^${d}$`) }) });
    await expect(day('7/12').locator('li.s-scheduled').innerText()).resolves.toContain('08:00');
    await expect(day('6/12').locator('li').count()).resolves.toBe(0);
    for (const month of ['2024-01', '2024-06', '2024-12']) {
      await page.goto(`${server.base}/desk/lich?ngay=${month}`);
      await expect(page.locator('p.hint').innerText()).resolves.toContain('Chưa có bài đăng nào trong tháng này');
    }
    await page.context().close();
  });
});
