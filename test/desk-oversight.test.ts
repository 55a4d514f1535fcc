import { recordAudit } from '../src/store/audit';
import { addSource, finishPoll } from '../src/store/sources';
import { type Accounts, call, HOME, OTHER, PEOPLE, seedAccounts } from './support/accounts';
import { DATABASE_KINDS } from './support/databases';
import { serveForTest } from './support/server';
import { type FreshStore, freshStore } from './support/store-fixture';

const supervisor = {
  name: PEOPLE.supervisor.name,
  role: 'supervisor' as const,
  unitId: HOME,
  source: 'browser' as const,
};
const otherSupervisor = {
  name: PEOPLE.otherSupervisor.name,
  role: 'supervisor' as const,
  unitId: OTHER,
  source: 'API' as const,
};
const admin = { name: PEOPLE.admin.name, role: 'admin' as const, unitId: null, source: 'CLI' as const };

/** The desk page's text for a person, as the browser asks for it (HTML). */
async function page(base: string, path: string, token: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}`, accept: 'text/html' } });
  return { status: res.status, body: await res.text() };
}

const rowsOf = (body: string) => body.split('<tbody>')[1]?.split('</tbody>')[0]?.split('<tr').slice(1) ?? [];

describe.each(DATABASE_KINDS)('the audit trail and the feed sources on the desk, on %s', (kind) => {
  let fixture: FreshStore;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let accounts: Accounts;

  beforeAll(async () => {
    fixture = await freshStore(kind);
    const db = fixture.db.kysely;
    accounts = await seedAccounts(db);
    // The home unit's supervisor approved 55 items (one a minute from 1 March 2030, 08:00 in Vietnam) and returned
    // one; the other unit did things of its own; an admin paused the whole province.
    const start = Date.UTC(2030, 2, 1, 1);
    for (let i = 0; i < 55; i++)
      await recordAudit(db, supervisor, 'item.approve', 100 + i, HOME, undefined, new Date(start + i * 60_000));
    await recordAudit(db, supervisor, 'item.reject', 7, HOME, { reason: 'thiếu nguồn' }, new Date(start + 3_600_000));
    await recordAudit(db, otherSupervisor, 'item.approve', 900, OTHER, undefined, new Date(start));
    await recordAudit(
      db,
      admin,
      'publishing.pause',
      'toàn tỉnh',
      null,
      { reason: 'bão số 3' },
      new Date(start + 7_200_000),
    );
    // The failing source is the older one: it comes first for its state, not for being new.
    const broken = await addSource(
      db,
      { url: 'https://xa-tan-lap.gov.vn/hong.xml', unitId: HOME, planId: null, everyMinutes: 60, proposals: [] },
      'kiểm thử',
    );
    const home = await addSource(
      db,
      { url: 'https://xa-tan-lap.gov.vn/rss', unitId: HOME, planId: null, everyMinutes: 30, proposals: [] },
      'kiểm thử',
    );
    await addSource(
      db,
      { url: 'https://xa-khac.gov.vn/rss', unitId: OTHER, planId: null, everyMinutes: 30, proposals: [] },
      'kiểm thử',
    );
    await finishPoll(db, broken.id, {
      state: 'failing',
      status: 'HTTP 404: không tìm thấy',
      failures: 3,
      succeeded: false,
      nextPollAfter: new Date(start),
    });
    await finishPoll(db, home.id, {
      state: 'ok',
      status: 'đã đọc: 4 tin mới',
      failures: 0,
      succeeded: true,
      nextPollAfter: null,
    });
    server = await serveForTest(fixture.db, fixture.database, fixture.config);
  });

  afterAll(async () => {
    await server?.close();
  });

  test("a supervisor reads the unit's trail newest first, 50 lines a page with the count, in words, with the province's pause", async () => {
    const first = await page(server.base, '/desk/thao-tac', accounts.token.supervisor);
    expect(first.status).toBe(200);
    // 55 approvals + 1 return of the unit, and the province-wide pause that held it; not the other unit's approval.
    expect(first.body).toContain('1–50 trong <strong>57</strong> thao tác (mới nhất trước) · trang 1/2');
    const rows = rowsOf(first.body);
    expect(rows).toHaveLength(50);
    expect(rows[0]).toContain('Tạm dừng đăng');
    expect(rows[0]).toContain('cả tỉnh');
    expect(rows[0]).toContain('từ dòng lệnh');
    expect(rows[0]).toContain('01/03/2030 10:00');
    expect(rows[1]).toContain('Trả lại bài');
    expect(rows[1]).toContain('reason: thiếu nguồn');
    expect(rows[2]).toContain('Duyệt bài');
    expect(rows[2]).toContain('từ trang web');
    expect(first.body).not.toContain(PEOPLE.otherSupervisor.name);
    const second = await page(server.base, '/desk/thao-tac?trang=2', accounts.token.supervisor);
    expect(second.body).toContain('51–57 trong <strong>57</strong>');
    expect(rowsOf(second.body)).toHaveLength(7);
  });

  test('the trail filters by action and by local day; an admin sees every unit', async () => {
    const returns = await page(server.base, '/desk/thao-tac?thaotac=item.reject', accounts.token.supervisor);
    expect(returns.body).toContain('1–1 trong <strong>1</strong> thao tác');
    // 08:00–08:54 on 1 March is 55 approvals; the day before has none.
    const day = await page(
      server.base,
      '/desk/thao-tac?thaotac=item.approve&tu=2030-03-01&den=2030-03-01',
      accounts.token.supervisor,
    );
    expect(day.body).toContain('trong <strong>55</strong>');
    const before = await page(server.base, '/desk/thao-tac?tu=2030-02-28&den=2030-02-28', accounts.token.supervisor);
    expect(before.body).toContain('Không có thao tác');
    const everyone = await page(server.base, '/desk/thao-tac?thaotac=item.approve', accounts.token.admin);
    expect(everyone.body).toContain('trong <strong>56</strong>');
    expect(everyone.body).toContain(PEOPLE.otherSupervisor.name);
  });

  test('an officer is refused the trail with a Vietnamese page, and the API keeps its JSON', async () => {
    const refused = await page(server.base, '/desk/thao-tac', accounts.token.officer);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('<html lang="vi"');
    expect(refused.body).toContain('nhật ký thao tác');
    const api = await call(server.base, 'GET', '/api/audit', accounts.token.officer);
    expect(api.status).toBe(403);
  });

  test("the sources page lists the unit's own sources with the count, the failing one first with its reason", async () => {
    const list = await page(server.base, '/desk/nguon-tin', accounts.token.officer);
    expect(list.status).toBe(200);
    expect(list.body).toContain('1–2 trong <strong>2</strong> nguồn tin');
    const rows = rowsOf(list.body);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('hong.xml');
    expect(rows[0]).toContain('HTTP 404: không tìm thấy · lỗi 3 lần liền');
    expect(rows[1]).toContain('đã đọc: 4 tin mới');
    expect(list.body).not.toContain('xa-khac.gov.vn');
    const all = await page(server.base, '/desk/nguon-tin', accounts.token.admin);
    expect(all.body).toContain('trong <strong>3</strong> nguồn tin');
  });
});
