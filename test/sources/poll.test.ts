import { pollSource } from '../../src/sources/poll-source';
import type { Db } from '../../src/store';
import { listItems } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { confirmFeedDraft, listFeedDrafts } from '../../src/store/source-entries';
import { addSource, getSource } from '../../src/store/sources';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { minimalPlan } from '../support/seed';
import { type FeedServer, rssXml, startFeedServer, type TestEntry } from './feed-server';

// The local feed server is on loopback, which Loa refuses by default.
process.env.LOA_SOURCES_ALLOW_PRIVATE = '1';

const NOW = new Date('2026-11-02T03:00:00Z'); // 10:00 in Vietnam
const clock = () => NOW;

const entries: TestEntry[] = [
  {
    guid: 'tin-1',
    link: 'https://cong.example.vn/tin/1',
    title: 'Hướng dẫn thủ tục hành chính trên Cổng dịch vụ công',
    description: '<p>Người dân <b>nộp hồ sơ</b> trực tuyến.</p><script>alert("x")</script><img src="/anh/1.jpg">',
    pubDate: 'Mon, 02 Nov 2026 00:30:00 GMT',
  },
  {
    guid: 'tin-2',
    link: 'https://cong.example.vn/tin/2',
    title: 'Tuyên dương mô hình điển hình tiên tiến',
    description: 'Xã biểu dương',
    pubDate: 'Sun, 01 Nov 2026 09:00:00 GMT',
  },
];

describe.each(DATABASE_KINDS)('feed sources on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: FeedServer;
  let planId: number;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    const saved = await savePlan(
      db.kysely,
      { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' },
      'kiểm thử',
    );
    planId = saved.plan.id;
    server = await startFeedServer();
  });

  afterEach(async () => {
    await server.close();
    await db.close();
    await database.drop();
  });

  const add = (path: string, proposals: Array<{ channelId: string; dayOffset: number; time: string }> = []) =>
    addSource(
      db.kysely,
      { url: server.url(path), unitId: 'ubnd-xa-tan-lap', planId: null, everyMinutes: 30, proposals },
      'quản trị',
    );

  it('turns new entries into drafts once, with safe NFC text, a proposed area and proposed slots, nothing scheduled', async () => {
    // NFD in the feed (as copied from a Mac or a PDF): stored NFC.
    server.state.feed = rssXml(
      'Cổng thông tin xã Tân Lập',
      entries.map((e) => ({ ...e, title: e.title.normalize('NFD') })),
    );
    const source = await add('/feed.xml', [
      { channelId: 'radio', dayOffset: 1, time: '07:00' },
      { channelId: 'rss', dayOffset: 0, time: '18:00' },
    ]);

    const first = await pollSource(db.kysely, source.id, { now: clock });
    expect(first.outcome).toBe('fetched');
    const items = await listItems(db.kysely);
    expect(items.map((i) => i.title)).toEqual([
      'Hướng dẫn thủ tục hành chính trên Cổng dịch vụ công',
      'Tuyên dương mô hình điển hình tiên tiến',
    ]);
    const [one, two] = items;
    expect(one!.title).toBe(one!.title.normalize('NFC'));
    expect(one!.title).not.toBe(entries[0]!.title.normalize('NFD'));
    expect(one!.body).toBe('Người dân nộp hồ sơ trực tuyến.');
    // The relative <img> resolves to the feed's own loopback address: the worker would have to ask this machine for it
    // (Zalo checks images), so the draft does not keep it.
    expect(one!.image).toBeNull();
    expect(one!.link).toBe('https://cong.example.vn/tin/1');
    expect(one!).toMatchObject({
      planId,
      unitId: 'ubnd-xa-tan-lap',
      approvedAt: null,
      author: 'Nguồn tin: Cổng thông tin xã Tân Lập',
    });
    expect(one!.areaKey).toBe('thu-tuc-hanh-chinh');
    expect(two!.areaKey).toBe('dien-hinh');

    const drafts = await listFeedDrafts(db.kysely);
    const draft = drafts.find((d) => d.itemId === one!.id)!;
    expect(draft.areaConfirmedBy).toBeNull(); // proposed, not confirmed
    expect(draft.publishedAt).toEqual(new Date('2026-11-02T00:30:00Z'));
    // Published 07:30 Vietnam time on 2 Nov, seen at 10:00: radio next morning 07:00, portal same day 18:00.
    expect(draft.slots).toEqual([
      { channelId: 'radio', at: new Date('2026-11-03T00:00:00Z') },
      { channelId: 'rss', at: new Date('2026-11-02T11:00:00Z') },
    ]);
    expect(await db.kysely.selectFrom('publications').selectAll().execute()).toEqual([]);

    const second = await pollSource(db.kysely, source.id, { now: clock });
    expect(second.outcome).toBe('not-modified');
    expect((await listItems(db.kysely)).length).toBe(2);
    expect((await getSource(db.kysely, source.id)).state).toBe('ok');
  });

  it('sends ETag and Last-Modified back and honours 304', async () => {
    server.state.feed = rssXml('Cổng', entries);
    const source = await add('/feed.xml');
    await pollSource(db.kysely, source.id, { now: clock });
    const stored = await getSource(db.kysely, source.id);
    expect(stored.etag).toMatch(/^"[0-9a-f]{16}"$/);
    expect(stored.lastModified).toBe(server.state.lastModified);
    const report = await pollSource(db.kysely, source.id, { now: clock });
    expect(report.outcome).toBe('not-modified');
    const [firstRequest, secondRequest] = server.feedRequests();
    expect(firstRequest!.headers['if-none-match']).toBeUndefined();
    expect(secondRequest!.headers['if-none-match']).toBe(stored.etag);
    expect(secondRequest!.headers['if-modified-since']).toBe(server.state.lastModified);
    expect(secondRequest!.headers['user-agent']).toMatch(/^Loa\//);
  });

  it('does not duplicate an entry edited at the source, one whose guid changed, or after a restart', async () => {
    server.state.feed = rssXml('Cổng', entries);
    const source = await add('/feed.xml');
    await pollSource(db.kysely, source.id, { now: clock });
    server.state.feed = rssXml('Cổng', [
      { ...entries[0]!, title: 'Hướng dẫn thủ tục hành chính (đã sửa)', description: 'Nội dung đã sửa' }, // same guid, edited
      { ...entries[1]!, guid: 'tin-2-moi' }, // same link, new guid
      {
        guid: 'tin-3',
        link: 'https://cong.example.vn/tin/3',
        title: 'Chuyển đổi số ở xã',
        pubDate: 'Mon, 02 Nov 2026 02:00:00 GMT',
      },
    ]);
    await pollSource(db.kysely, source.id, { now: clock });
    expect((await listItems(db.kysely)).map((i) => i.title)).toEqual([
      'Hướng dẫn thủ tục hành chính trên Cổng dịch vụ công',
      'Tuyên dương mô hình điển hình tiên tiến',
      'Chuyển đổi số ở xã',
    ]);

    // A restart: the process forgets everything but the database; the feed is fetched whole again.
    await db.close();
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await db.kysely.updateTable('sources').set({ etag: null, last_modified: null }).execute();
    const again = await pollSource(db.kysely, source.id, { now: clock });
    expect(again).toMatchObject({ outcome: 'fetched', drafts: [] });
    expect((await listItems(db.kysely)).length).toBe(3);
  });

  it('caps a feed that suddenly lists 10,000 entries and reports the rest on the status', async () => {
    const many = Array.from({ length: 10_000 }, (_, i) => ({
      guid: `g-${i}`,
      link: `https://cong.example.vn/tin/x${i}`,
      title: `Tin số ${i}`,
      pubDate: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toUTCString(),
    }));
    server.state.feed = rssXml('Cổng', many);
    const source = await add('/feed.xml');
    const report = await pollSource(db.kysely, source.id, { now: clock });
    expect(report).toMatchObject({ outcome: 'fetched', skipped: 9_980 });
    const items = await listItems(db.kysely);
    expect(items.length).toBe(20);
    expect(items[0]!.title).toBe('Tin số 9999'); // the newest first
    const status = (await getSource(db.kysely, source.id)).status;
    expect(status).toContain('10000 tin mới cùng lúc');
    expect(status).toContain('bỏ qua 9980 tin');
    // The skipped ones are remembered: they do not trickle in on later polls.
    await db.kysely.updateTable('sources').set({ etag: null, last_modified: null }).execute();
    await pollSource(db.kysely, source.id, { now: clock });
    expect((await listItems(db.kysely)).length).toBe(20);
  });

  it('takes the same link under a new guid once, without it taking a place under the cap', async () => {
    // 20 new stories (the cap) and, listed first as the newest, one of them again under a new guid.
    const stories = Array.from({ length: 20 }, (_, i) => ({
      guid: `g-${i}`,
      link: `https://cong.example.vn/tin/x${i}`,
      title: `Tin số ${i}`,
      pubDate: new Date(Date.UTC(2026, 9, 1) + i * 60_000).toUTCString(),
    }));
    const again = { ...stories[0]!, guid: 'g-0-moi', pubDate: new Date(Date.UTC(2026, 9, 2)).toUTCString() };
    server.state.feed = rssXml('Cổng', [again, ...stories]);
    const source = await add('/feed.xml');
    const report = await pollSource(db.kysely, source.id, { now: clock });
    expect(report).toMatchObject({ outcome: 'fetched', skipped: 0 });
    const titles = (await listItems(db.kysely)).map((i) => i.title);
    expect(titles).toHaveLength(20);
    expect(new Set(titles)).toEqual(new Set(stories.map((s) => s.title)));
    expect((await getSource(db.kysely, source.id)).status).not.toContain('bỏ qua');
  });

  // Every row has all four values: jest takes a missing last one as a `done` callback and waits for it.
  const broken: Array<[string, string, RegExp, Record<string, number | boolean>]> = [
    ['a timeout', '/slow.xml', /không trả lời trong 1 giây/, { timeoutMs: 1000 }],
    ['a 404', '/missing.xml', /trả lời 404: không còn trang này/, {}],
    ['invalid XML', '/broken.xml', /không phải RSS hay Atom hợp lệ/, {}],
    ['a web page instead of a feed', '/page.html', /không phải RSS hay Atom hợp lệ/, {}],
    ['a redirect loop', '/loop-a', /chuyển hướng vòng quanh/, {}],
    ['a body that never ends', '/endless.xml', /lớn quá 256 KB/, { maxBytes: 256 * 1024 }],
    ['a private address', '/feed.xml', /trỏ vào mạng nội bộ \(127\.0\.0\.1\)/, { allowPrivate: false }],
  ];

  it.each(broken)('ends %s in a clear status on the source and backs off', async (_name, path, message, limits) => {
    const source = await add(path);
    const report = await pollSource(db.kysely, source.id, { now: clock, limits });
    expect(report.outcome).toBe('failed');
    const stored = await getSource(db.kysely, source.id);
    expect(stored.state).toBe('failing');
    expect(stored.status).toMatch(message);
    expect(stored.status).toContain('lỗi 1 lần liên tiếp');
    expect(stored.failures).toBe(1);
    expect(stored.nextPollAfter).toEqual(new Date(NOW.getTime() + 30 * 60_000));
    expect(await listItems(db.kysely)).toEqual([]);
    // A scheduled poll waits out the back-off; a person's poll does not, and a second failure doubles the wait.
    expect(await pollSource(db.kysely, source.id, { now: clock, limits })).toMatchObject({
      outcome: 'not-polled',
      why: 'backing-off',
    });
    await pollSource(db.kysely, source.id, { now: clock, limits, force: true });
    expect((await getSource(db.kysely, source.id)).nextPollAfter).toEqual(new Date(NOW.getTime() + 60 * 60_000));
  });

  it('refuses a name that resolves to a private address, checked after DNS', async () => {
    const source = await addSource(
      db.kysely,
      {
        url: server.url('/feed.xml').replace('127.0.0.1', 'localhost'),
        unitId: 'ubnd-xa-tan-lap',
        planId: null,
        everyMinutes: 30,
        proposals: [],
      },
      'quản trị',
    );
    await pollSource(db.kysely, source.id, { now: clock, limits: { allowPrivate: false } });
    expect((await getSource(db.kysely, source.id)).status).toMatch(/Địa chỉ "localhost" trỏ vào mạng nội bộ/);
    expect(server.feedRequests()).toEqual([]); // never reached
  });

  it('follows a moved feed and recovers from failures', async () => {
    server.state.feed = rssXml('Cổng', entries);
    const source = await add('/moved.xml');
    expect(await pollSource(db.kysely, source.id, { now: clock })).toMatchObject({ outcome: 'fetched' });
    expect((await listItems(db.kysely)).length).toBe(2);
  });

  it('keeps entries for later when no plan exists, then takes them', async () => {
    await db.kysely.deleteFrom('plan_areas').execute();
    await db.kysely.deleteFrom('plans').execute();
    server.state.feed = rssXml('Cổng', entries);
    const source = await add('/feed.xml');
    await pollSource(db.kysely, source.id, { now: clock });
    expect((await getSource(db.kysely, source.id)).status).toMatch(/Chưa có kế hoạch nào/);
    await savePlan(
      db.kysely,
      { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu-2' },
      'kiểm thử',
    );
    await pollSource(db.kysely, source.id, { now: clock, force: true });
    expect((await listItems(db.kysely)).length).toBe(2);
  });

  it('applies proposals only when an officer confirms, and withdraws nothing but what changed', async () => {
    server.state.feed = rssXml('Cổng', entries);
    const source = await add('/feed.xml', [{ channelId: 'radio', dayOffset: 1, time: '07:00' }]);
    await pollSource(db.kysely, source.id, { now: clock });
    const [first] = await listItems(db.kysely);
    const { slots } = await confirmFeedDraft(db.kysely, first!.id, 'cán bộ A', 'chinh-phu-so');
    expect(slots).toEqual([{ channelId: 'radio', at: new Date('2026-11-03T00:00:00Z') }]);
    const draft = (await listFeedDrafts(db.kysely)).find((d) => d.itemId === first!.id)!;
    expect(draft).toMatchObject({ areaKey: 'chinh-phu-so', areaConfirmedBy: 'cán bộ A' });
    await expect(confirmFeedDraft(db.kysely, first!.id, 'cán bộ A', 'khong-co')).rejects.toThrow(
      /--area: lĩnh vực "khong-co" không có/,
    );
  });
});
