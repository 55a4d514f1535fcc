import { pageHref, pagingOf } from '../src/http/pages/paging';
import { countWaiting, pageWaiting } from '../src/store/desk-lists';
import { listCalendarDays } from '../src/store/desk-views';
import { rejectItem } from '../src/store/items';
import { schedulePublications } from '../src/store/publications';
import { type Accounts, call, seedAccounts } from './support/accounts';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { freshStore } from './support/store-fixture';

describe('paging of a desk list', () => {
  const href = pageHref('/desk/nhat-ky', { kenh: 'rss', tu: '', trang: '9' });

  test('says which rows a page shows out of how many, and links the pages around it with the filters kept', () => {
    const third = pagingOf(60, '3', href);
    expect(third).toMatchObject({ page: 3, pages: 3, total: 60, offset: 50, first: 51, last: 60, next: '' });
    expect(third.previous).toBe('/desk/nhat-ky?kenh=rss&trang=2');
    expect(third.around.map((p) => p.page)).toEqual([1, 2, 3]);
    // The first and the last page stay one tap away, with the skipped numbers marked.
    const second = pagingOf(300, '2', href);
    expect(second.around.map((p) => [p.page, p.gapBefore])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, false],
      [12, true],
    ]);
    expect(pagingOf(300, '7', href).around.map((p) => p.page)).toEqual([1, 5, 6, 7, 8, 9, 12]);
    expect(third.around[0]!.href).toBe('/desk/nhat-ky?kenh=rss');
  });

  test('a page that is not a whole number is the first; one past the end is the last; an empty list has one page', () => {
    expect(pagingOf(60, 'x', href).page).toBe(1);
    expect(pagingOf(60, '-2', href).page).toBe(1);
    expect(pagingOf(60, '99', href).page).toBe(3);
    expect(pagingOf(0, undefined, href)).toMatchObject({
      page: 1,
      pages: 1,
      first: 0,
      last: 0,
      previous: '',
      next: '',
    });
  });
});

describe.each(DATABASE_KINDS)('the desk lists, a page at a time, on %s', (kind) => {
  let fixture: Awaited<ReturnType<typeof freshStore>>;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let accounts: Accounts;
  let ids: number[];

  beforeAll(async () => {
    fixture = await freshStore(kind);
    const db = fixture.db.kysely;
    accounts = await seedAccounts(db);
    ids = await seedItems(db, 60, false);
    // Two of the 60 are scheduled (in 2030, so still ahead whenever this runs): the one due sooner comes first.
    await schedulePublications(
      db,
      [
        { itemId: ids[5]!, channelId: 'rss', scheduledAt: new Date('2030-01-02T01:00:00Z') },
        { itemId: ids[36]!, channelId: 'rss', scheduledAt: new Date('2030-01-01T01:00:00Z') },
        { itemId: ids[36]!, channelId: 'radio', scheduledAt: new Date('2030-01-01T05:00:00Z') },
      ],
      'cán bộ A',
    );
    server = await serveForTest(fixture.db, fixture.database, fixture.config);
  });

  afterAll(async () => {
    await server?.close();
  });

  test('the approval queue puts the item due soonest first, then the newest, and counts them all', async () => {
    const db = fixture.db.kysely;
    const now = new Date('2029-12-31T00:00:00Z');
    expect(await countWaiting(db, 'ubnd-xa-tan-lap')).toBe(60);
    const first = await pageWaiting(db, 'ubnd-xa-tan-lap', { offset: 0, limit: 4 }, now);
    expect(first.map((i) => i.id)).toEqual([ids[36], ids[5], ids[59], ids[58]]);
    expect(first[0]!.nextDue).toEqual(new Date('2030-01-01T01:00:00Z'));
    expect(first[2]!.nextDue).toBeNull();
    const last = await pageWaiting(db, 'ubnd-xa-tan-lap', { offset: 57, limit: 10 }, now);
    expect(last.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    // Another unit's supervisor sees none of them.
    expect(await countWaiting(db, 'ubnd-xa-khac')).toBe(0);
  });

  test('the approval page shows 10 cards of 60 with the count, and the sixth page the last ten', async () => {
    const page = await call(server.base, 'GET', '/desk/duyet', accounts.token.supervisor);
    expect(page.status).toBe(200);
    expect(page.body).toContain('1–10 trong <strong>60</strong> bài chờ duyệt · trang 1/6');
    expect((page.body as string).match(/<article class="card approval"/g)).toHaveLength(10);
    expect(page.body).toContain(`id="bai-${ids[36]}"`);
    // Only the chosen channels' previews: the portal and the radio for that item, nothing for Facebook or Zalo.
    const card = (page.body as string).split(`id="bai-${ids[36]}"`)[1]!.split('</article>')[0]!;
    expect(card.match(/data-platform="(\w+)"/g)).toEqual(['data-platform="rss"', 'data-platform="radio"']);
    const sixth = await call(server.base, 'GET', '/desk/duyet?trang=6', accounts.token.supervisor);
    expect(sixth.body).toContain('51–60 trong <strong>60</strong>');
    expect(sixth.body).toContain(`id="bai-${ids[0]}"`);
  });

  test('the items list pages and filters by where an item stands', async () => {
    await rejectItem(fixture.db.kysely, ids[10]!, 'Lãnh đạo Bình', 'thiếu nguồn');
    const returned = await call(server.base, 'GET', '/desk/bai-viet?loc=tra-lai', accounts.token.officer);
    expect(returned.body).toContain('1–1 trong <strong>1</strong> bài');
    expect(returned.body).toContain('bị trả lại: thiếu nguồn');
    const all = await call(server.base, 'GET', '/desk/bai-viet?trang=3', accounts.token.officer);
    expect(all.body).toContain('51–60 trong <strong>60</strong> bài · trang 3/3');
  });

  test('/api/log answers a page, newest scheduled first, with the count and the next page in headers', async () => {
    const first = await call(server.base, 'GET', '/api/log?limit=2', accounts.token.officer);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-total-count')).toBe('3');
    expect(first.body.map((e: { scheduledAt: string }) => e.scheduledAt)).toEqual([
      '2030-01-02T01:00:00.000Z',
      '2030-01-01T05:00:00.000Z',
    ]);
    expect(first.headers.get('link')).toContain('offset=2');
    const second = await call(server.base, 'GET', '/api/log?limit=2&offset=2', accounts.token.officer);
    expect(second.body).toHaveLength(1);
    expect(second.headers.get('link')).toBeNull();
  });

  test('pages and the API are compressed when the client asks, and not when it does not', async () => {
    const asked = await fetch(`${server.base}/desk/duyet`, {
      headers: { authorization: `Bearer ${accounts.token.supervisor}`, 'accept-encoding': 'br, gzip' },
    });
    expect(asked.headers.get('content-encoding')).toBe('br');
    expect(await asked.text()).toContain('bài chờ duyệt');
    const gzip = await fetch(`${server.base}/api/log`, {
      headers: { authorization: `Bearer ${accounts.token.officer}`, 'accept-encoding': 'gzip' },
    });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const plain = await fetch(`${server.base}/desk/duyet`, {
      headers: { authorization: `Bearer ${accounts.token.supervisor}`, 'accept-encoding': 'identity' },
    });
    expect(plain.headers.get('content-encoding')).toBeNull();
  });

  test("a month's day shows its first 4 posts and links the rest to its week; the week's day shows them all", async () => {
    // Six posts on Monday 4 February 2030 (Vietnam), 08:00 to 13:00: last in this file, as they change the queue's order.
    await schedulePublications(
      fixture.db.kysely,
      Array.from({ length: 6 }, (_, h) => ({
        itemId: ids[20]!,
        channelId: 'rss',
        scheduledAt: new Date(Date.UTC(2030, 1, 4, 1 + h)),
      })),
      'cán bộ A',
    );
    const month = await call(server.base, 'GET', '/desk/lich?ngay=2030-02', accounts.token.officer);
    const day = (month.body as string).split('<div class="day">4/2</div>')[1]!.split('</td>')[0]!;
    expect(day.match(/<li class="s-scheduled"/g)).toHaveLength(4);
    expect(day).toContain('08:00 · ');
    expect(day).not.toContain('12:00 · ');
    expect(day).toMatch(
      /<a class="more" href="\/desk\/lich\?xem=tuan&amp;ngay=2030-02-04&amp;[^"]*">\+ 2 bài nữa<\/a>/,
    );
    const week = await call(server.base, 'GET', '/desk/lich?xem=tuan&ngay=2030-02-04', accounts.token.officer);
    const weekDay = (week.body as string).split('<div class="day">4/2</div>')[1]!.split('</td>')[0]!;
    expect(weekDay.match(/<li class="s-scheduled"/g)).toHaveLength(6);
    expect(weekDay).not.toContain('class="more"');
  });

  test("the calendar's days are Vietnam's: a post at 17:00 UTC is on the next local day, counted there", async () => {
    const db = fixture.db.kysely;
    // 16:59:59.999 UTC is 23:59 on 9 March in Vietnam; 17:00 UTC is 00:00 on 10 March. Five posts on 10 March.
    await schedulePublications(
      db,
      [
        new Date('2030-03-09T16:59:59.999Z'),
        ...Array.from({ length: 5 }, (_, n) => new Date(Date.UTC(2030, 2, 9, 17 + n))),
      ].map((scheduledAt) => ({ itemId: ids[30]!, channelId: 'rss', scheduledAt })),
      'cán bộ A',
    );
    const march = { from: new Date('2030-02-28T17:00:00Z'), to: new Date('2030-03-31T17:00:00Z') };
    const days = await listCalendarDays(db, { ...march, unitId: 'ubnd-xa-tan-lap' }, 4);
    expect([...days.dayTotals]).toEqual([
      ['2030-03-09', 1],
      ['2030-03-10', 5],
    ]);
    expect(days.total).toBe(6);
    // Only the first four of 10 March are read, in time order.
    expect(days.entries.map((e) => e.scheduledAt.toISOString())).toEqual([
      '2030-03-09T16:59:59.999Z',
      '2030-03-09T17:00:00.000Z',
      '2030-03-09T18:00:00.000Z',
      '2030-03-09T19:00:00.000Z',
      '2030-03-09T20:00:00.000Z',
    ]);
    expect(await listCalendarDays(db, { ...march, unitId: 'ubnd-xa-khac' }, 4)).toMatchObject({ total: 0 });
    const page = await call(server.base, 'GET', '/desk/lich?ngay=2030-03', accounts.token.officer);
    expect(page.body).toContain('<span>6 bài đăng</span>');
    const tenth = (page.body as string).split('<div class="day">10/3</div>')[1]!.split('</td>')[0]!;
    expect(tenth.match(/<li class="s-scheduled"/g)).toHaveLength(4);
    expect(tenth).toContain('+ 1 bài nữa');
  });
});
