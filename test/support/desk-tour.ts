import path from 'node:path';

import type { Browser, BrowserContext, Page } from 'playwright-core';

import { applyCalendarAs } from '../../src/actions/plans';
import { fixedDay } from '../../src/domain/clock';
import type { Db } from '../../src/store';
import { saveChannel } from '../../src/store/channels';
import { approveItem, rejectItem } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { listPublications, schedulePublications } from '../../src/store/publications';
import { addSource, finishPoll } from '../../src/store/sources';
import { ensureUnit } from '../../src/store/units';
import { createUser } from '../../src/store/users';
import { proposeCalendar } from './calendar';
import { freshDatabase } from './databases';
import { importPlanFile } from './importer';
import { openStore } from './open-store';
import { serveForTest } from './server';
import { testConfig } from './services';

/**
 * Every desk page a person can reach, with the people and data that make it look as it does in use: the screenshot
 * tour (scripts/screenshots.ts) photographs these stops and the accessibility test (test/desk-accessibility.test.ts)
 * checks the same ones, so a page added here is both seen and checked.
 */

/** The day the desk believes it is (a fixed day: the same pictures and checks whatever the date). */
export const TOUR_DAY = '2026-12-07';
const PASSWORD = 'mật khẩu đủ dài 2026';
const UNIT = 'UBND xã Tân Lập';
const UNIT_ID = 'ubnd-xa-tan-lap';
export const PEOPLE = {
  officer: 'Cán bộ Nguyễn Thị Lan',
  supervisor: 'Lãnh đạo Trần Văn Hùng',
  admin: 'Quản trị Lê Minh Sơn',
} as const;
export type Person = keyof typeof PEOPLE;

const PROJECT = path.resolve(__dirname, '../..');
/** A real plan (Bình Phước 2024): its content areas and wording become the month's drafts. */
const SEEDED_PLAN = path.join(PROJECT, 'examples/plans/binh-phuoc-2024-sldtbxh.txt');
/** Another real plan, uploaded through the page for the upload's result. */
const UPLOADED_PLAN = path.join(PROJECT, 'test/fixtures/plans/binh-phuoc-2025-ubnd-107.txt');

/** What the seed made that a stop's address needs. */
export interface Seeded {
  planId: number;
  /** An approved item with publications in several states. */
  itemId: number;
  /** An item a supervisor returned with a reason. */
  returnedId: number;
  /** A publication on the portal, published: its page is where the feed sends a reader. */
  postId: string;
}

export interface DeskStop {
  /** File name of its pictures (`<name>-390.png`) and the test's name. */
  name: string;
  /** What the page is, for the tour's progress lines. */
  title: string;
  /** Who looks at it; null for a person not signed in. */
  who: Person | null;
  path(seeded: Seeded): string;
  /** The status the page answers with. */
  status?: number;
  /** Done on the opened page to reach the state shown (a form sent, a file uploaded). */
  act?(page: Page): Promise<void>;
  /** A page outside the desk's frame (a published post as the portal's readers see it): no header to skip. */
  outsideDesk?: true;
}

const PERIOD = 'tu=2026-12-07&den=2027-01-31';

export const DESK_STOPS: DeskStop[] = [
  { name: 'dang-nhap', title: 'Đăng nhập', who: null, path: () => '/desk/dang-nhap' },
  {
    name: 'dang-nhap-sai',
    title: 'Đăng nhập sai mật khẩu',
    who: null,
    path: () => '/desk/dang-nhap',
    act: async (page) => {
      await page.getByLabel('Tên đăng nhập').fill(PEOPLE.officer);
      await page.getByLabel('Mật khẩu').fill('không phải mật khẩu');
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
    },
  },
  { name: 'lich-thang', title: 'Lịch tháng', who: 'officer', path: () => '/desk/lich?ngay=2026-12' },
  { name: 'lich-tuan', title: 'Lịch tuần', who: 'officer', path: () => '/desk/lich?xem=tuan&ngay=2026-12-07' },
  { name: 'bai-viet', title: 'Danh sách bài viết', who: 'officer', path: () => '/desk/bai-viet' },
  {
    name: 'bai-viet-chi-tiet',
    title: 'Một bài và các lần đăng',
    who: 'officer',
    path: (s) => `/desk/bai-viet/${s.itemId}`,
  },
  {
    name: 'bai-viet-bi-tra-lai',
    title: 'Bài bị trả lại',
    who: 'officer',
    path: (s) => `/desk/bai-viet/${s.returnedId}`,
  },
  { name: 'viet-bai', title: 'Viết bài', who: 'officer', path: () => '/desk/bai-viet/moi' },
  {
    name: 'viet-bai-xem-truoc',
    title: 'Viết bài: xem trước trên từng kênh',
    who: 'officer',
    path: () => '/desk/bai-viet/moi',
    act: async (page) => {
      await page
        .getByRole('textbox', { name: 'Tiêu đề' })
        .fill('Làm thủ tục cấp đổi giấy phép lái xe trên Cổng dịch vụ công');
      await page
        .getByRole('textbox', { name: 'Nội dung' })
        .fill(
          'Từ ngày 01/01/2027, người dân xã Tân Lập có thể nộp hồ sơ cấp đổi GPLX trực tuyến tại dichvucong.gov.vn. ' +
            'Bộ phận một cửa UBND xã hướng dẫn từ 7h30 đến 17h các ngày làm việc.',
        );
      // Sent as the form (the page's script also previews as one types): the page as the server renders it.
      await Promise.all([
        page.waitForEvent('load'),
        page.getByRole('button', { name: 'Xem trước', exact: true }).click(),
      ]);
    },
  },
  { name: 'sua-bai', title: 'Sửa bài bị trả lại', who: 'officer', path: (s) => `/desk/bai-viet/${s.returnedId}/sua` },
  { name: 'duyet', title: 'Hàng chờ duyệt', who: 'supervisor', path: () => '/desk/duyet' },
  { name: 'duyet-can-bo', title: 'Hàng chờ duyệt (cán bộ xem)', who: 'officer', path: () => '/desk/duyet' },
  { name: 'ke-hoach', title: 'Kế hoạch', who: 'officer', path: () => '/desk/ke-hoach' },
  {
    name: 'ke-hoach-tai-len',
    title: 'Kết quả tải lên một kế hoạch',
    who: 'officer',
    path: () => '/desk/ke-hoach',
    act: async (page) => {
      await page.getByLabel(/Tệp kế hoạch/).setInputFiles(UPLOADED_PLAN);
      await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Tải lên và đọc' }).click()]);
    },
  },
  {
    name: 'ke-hoach-de-xuat',
    title: 'Kế hoạch và lịch đề xuất',
    who: 'officer',
    path: (s) => `/desk/ke-hoach/${s.planId}?${PERIOD}`,
  },
  { name: 'nhat-ky', title: 'Nhật ký đăng', who: 'officer', path: () => '/desk/nhat-ky' },
  { name: 'bao-cao', title: 'Báo cáo kỳ', who: 'supervisor', path: () => '/desk/bao-cao?ky=2026-Q4' },
  { name: 'suc-khoe', title: 'Tình trạng', who: 'officer', path: () => '/desk/suc-khoe' },
  { name: 'nguon-tin', title: 'Nguồn tin', who: 'officer', path: () => '/desk/nguon-tin' },
  { name: 'thao-tac', title: 'Nhật ký thao tác', who: 'supervisor', path: () => '/desk/thao-tac' },
  { name: 'tro-giup', title: 'Trợ giúp', who: 'officer', path: () => '/desk/tro-giup' },
  { name: 'quan-tri-don-vi', title: 'Quản trị: đơn vị', who: 'admin', path: () => '/desk/quan-tri/don-vi' },
  { name: 'quan-tri-tai-khoan', title: 'Quản trị: tài khoản', who: 'admin', path: () => '/desk/quan-tri/tai-khoan' },
  { name: 'quan-tri-kenh', title: 'Quản trị: kênh', who: 'admin', path: () => '/desk/quan-tri/kenh' },
  { name: 'quan-tri-mau', title: 'Quản trị: mẫu', who: 'admin', path: (s) => `/desk/quan-tri/mau?bai=${s.itemId}` },
  {
    name: 'khong-duoc-phep',
    title: 'Không được phép (cán bộ mở báo cáo)',
    who: 'officer',
    path: () => '/desk/bao-cao',
    status: 403,
  },
  {
    name: 'khong-co-trang',
    title: 'Trang không có',
    who: 'officer',
    path: () => '/desk/khong-co-trang-nay',
    status: 404,
  },
  {
    name: 'bai-dang-cong-khai',
    title: 'Bài đã đăng, như người đọc cổng thông tin thấy',
    who: null,
    path: (s) => `/posts/${s.postId}`,
    outsideDesk: true,
  },
];

/** The queue board (bull-board, for admins): photographed, and checked only where its markup is ours to set. */
export const QUEUE_BOARD: DeskStop = {
  name: 'hang-doi',
  title: 'Bảng hàng đợi (quản trị)',
  who: 'admin',
  path: () => '/admin/queues',
};

/**
 * Three months of a real plan at one commune, as a few weeks of use leave it: drafts from the plan's wording on the RSS
 * feed, the radio and a Facebook Page; the first week's posts out (one unconfirmed, one failed), the rest approved
 * and scheduled, three waiting for approval and one returned.
 */
async function seed(db: Db): Promise<Seeded> {
  const k = db.kysely;
  await ensureUnit(k, 'UBND xã Minh Hưng', 'quản trị');
  await ensureUnit(k, 'UBND phường Đồng Xoài', 'quản trị');
  await saveChannel(
    k,
    { id: 'fb-tan-lap', unitId: UNIT_ID, platform: 'facebook', name: 'Trang UBND xã Tân Lập', settings: {} },
    'quản trị',
  );
  await createUser(k, { name: PEOPLE.officer, unitId: UNIT_ID, role: 'officer', password: PASSWORD }, 'quản trị');
  await createUser(k, { name: PEOPLE.supervisor, unitId: UNIT_ID, role: 'supervisor', password: PASSWORD }, 'quản trị');
  await createUser(k, { name: PEOPLE.admin, unitId: null, role: 'admin', password: PASSWORD }, 'quản trị');
  // Two feeds the commune reads its drafts from: the province portal's reform news, and a department page that fails.
  const portalFeed = await addSource(
    k,
    {
      url: 'https://binhphuoc.gov.vn/rss/cai-cach-hanh-chinh',
      unitId: UNIT_ID,
      planId: null,
      everyMinutes: 60,
      proposals: [],
    },
    PEOPLE.officer,
  );
  const failing = await addSource(
    k,
    {
      url: 'https://sotuphap.binhphuoc.gov.vn/tin-tuc.rss',
      unitId: UNIT_ID,
      planId: null,
      everyMinutes: 120,
      proposals: [],
    },
    PEOPLE.officer,
  );
  const polled = new Date(`${TOUR_DAY}T01:00:00Z`);
  await finishPoll(
    k,
    portalFeed.id,
    {
      state: 'ok',
      status: 'Đã đọc: 3 tin mới',
      failures: 0,
      succeeded: true,
      nextPollAfter: null,
      title: 'Cải cách hành chính – Cổng TTĐT tỉnh',
    },
    polled,
  );
  await finishPoll(
    k,
    failing.id,
    {
      state: 'failing',
      status: 'HTTP 503: máy chủ nguồn không trả lời',
      failures: 4,
      succeeded: false,
      nextPollAfter: new Date(polled.getTime() + 4 * 3_600_000),
    },
    polled,
  );

  const imported = await importPlanFile(SEEDED_PLAN);
  const saved = await savePlan(
    k,
    { plan: imported.plan, sourceName: path.basename(SEEDED_PLAN), sourceHash: imported.sourceHash },
    PEOPLE.officer,
  );
  const proposal = proposeCalendar(imported.plan, {
    from: '2026-11-02',
    to: '2027-01-31',
    keepToPlanPeriod: false,
    today: '2026-11-02',
  });
  const officer = { name: PEOPLE.officer, role: 'officer' as const, unitId: UNIT_ID, source: 'browser' as const };
  const applied = await applyCalendarAs(k, officer, saved.plan.id, proposal, UNIT);
  const items = applied.items;
  if (items.length < 6) throw new Error(`kế hoạch mẫu chỉ cho ${items.length} bài trong ba tháng`);
  // The plan names only the portal: the commune also reads each item on its radio the same evening, and puts every
  // other one on its Facebook Page, as an officer choosing channels on the write page would.
  const portal = new Map(applied.publications.map((p) => [p.itemId, p.scheduledAt.getTime()]));
  await schedulePublications(
    k,
    items.flatMap((item, i) => {
      const at = portal.get(item.id);
      if (at === undefined) return [];
      const radio = { itemId: item.id, channelId: 'radio', scheduledAt: new Date(at + 9 * 3_600_000) };
      const page = { itemId: item.id, channelId: 'fb-tan-lap', scheduledAt: new Date(at + 11.5 * 3_600_000) };
      return i % 2 ? [radio] : [radio, page];
    }),
    PEOPLE.officer,
  );
  const [returned, ...rest] = items;
  const waiting = new Set(rest.slice(-3).map((i) => i.id));
  const approvedAt = new Date('2026-10-30T02:00:00Z');
  for (const item of rest) if (!waiting.has(item.id)) await approveItem(k, item.id, PEOPLE.supervisor, approvedAt);
  await rejectItem(
    k,
    returned!.id,
    PEOPLE.supervisor,
    'Cần ghi rõ địa chỉ bộ phận một cửa và giờ tiếp dân.',
    approvedAt,
  );

  // The weeks before today as the worker left them: out with their links, one Facebook post failed, one unconfirmed.
  const day = fixedDay(TOUR_DAY).now();
  const past = (await listPublications(k, {}))
    .filter((p) => p.scheduledAt < day && !waiting.has(p.itemId) && p.itemId !== returned!.id)
    .sort((a, b) => a.scheduledAt.getTime() - b.scheduledAt.getTime());
  const bodyOf = new Map(items.map((i) => [i.id, i.body]));
  const onPage = past.filter((p) => p.channelId === 'fb-tan-lap');
  const [failed, unconfirmed] = [onPage.at(-2)?.id, onPage.at(-1)?.id];
  for (const p of past) {
    const state = p.id === unconfirmed ? 'unconfirmed' : p.id === failed ? 'failed' : 'published';
    await k
      .updateTable('publications')
      .set({
        state,
        attempts: 1,
        published_at: state === 'published' ? new Date(p.scheduledAt.getTime() + 40_000).toISOString() : null,
        external_url: state === 'published' ? (POST_ADDRESS[p.channelId]?.(p.itemId) ?? null) : null,
        external_id: state === 'published' ? `bai-${p.itemId}-${p.channelId}` : null,
        // What was sent, as the portal's feed and post page show it.
        content: state === 'published' ? (bodyOf.get(p.itemId) ?? null) : null,
        reason:
          state === 'unconfirmed'
            ? 'mất kết nối sau khi gửi: chưa biết bài đã lên hay chưa'
            : state === 'failed'
              ? 'Facebook từ chối: mã truy cập của Trang đã hết hạn'
              : null,
      })
      .where('id', '=', p.id)
      .execute();
  }
  const post = past.find((p) => p.channelId === 'rss');
  if (!post) throw new Error('không có bài nào đã đăng trên cổng thông tin trước ngày ' + TOUR_DAY);
  return { planId: saved.plan.id, itemId: post.itemId, returnedId: returned!.id, postId: post.id };
}

/** Where a published post of the seed is read, by channel (the radio's is read aloud: no address). */
const POST_ADDRESS: Record<string, (item: number) => string> = {
  rss: (item) => `https://tanlap.example.vn/tin-tuc/${item}`,
  'fb-tan-lap': (item) => `https://www.facebook.com/ubndxatanlap/posts/10${item}`,
};

export interface DeskTour {
  base: string;
  seeded: Seeded;
  close(): Promise<void>;
}

/** Loa's server on a fresh SQLite database with the tour's data, a fixed day for its clock, on a free port. */
export async function startDeskTour(options: { redisUrl?: string } = {}): Promise<DeskTour> {
  const database = await freshDatabase('sqlite');
  const config = testConfig(database.url, options.redisUrl ? { redisUrl: options.redisUrl } : {});
  const db = await openStore(config.databaseUrl, { defaultUnit: UNIT });
  let seeded: Seeded;
  try {
    seeded = await seed(db);
  } catch (error) {
    await db.close();
    await database.drop();
    throw error;
  }
  const server = await serveForTest(db, database, config, { clock: fixedDay(TOUR_DAY) });
  return { base: server.base, seeded, close: () => server.close() };
}

/** A browser context of `width` px signed in as `who` (or nobody). */
export async function contextFor(
  browser: Browser,
  base: string,
  who: Person | null,
  width: number,
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width, height: width < 800 ? 844 : 900 },
    isMobile: width < 800,
    hasTouch: width < 800,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  if (who) {
    const page = await context.newPage();
    await page.goto(`${base}/desk/dang-nhap`);
    await page.getByLabel('Tên đăng nhập').fill(PEOPLE[who]);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await Promise.all([page.waitForURL(/\/desk\/lich/), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
    await page.close();
  }
  return context;
}

/** Opens `stop` on `page` and brings it to the state shown; says when it answered with another status. */
export async function openStop(page: Page, base: string, stop: DeskStop, seeded: Seeded): Promise<void> {
  const response = await page.goto(`${base}${stop.path(seeded)}`);
  const status = response?.status();
  if (status !== (stop.status ?? 200))
    throw new Error(`${stop.name}: ${stop.path(seeded)} trả lời ${status}, cần ${stop.status ?? 200}`);
  if (stop.act) await stop.act(page);
}
