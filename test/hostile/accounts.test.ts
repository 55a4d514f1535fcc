/**
 * Issue 27, findings 9, 10, 15 and 18 for accounts: a supervisor's audit trail is their unit's (plus the province
 * pauses that held it); a new password ends the account's other sessions and tokens and, changed by its owner, needs
 * the current one; account names and token labels with control or bidi characters ("a\0b", "admin\u202e") are
 * refused naming the field, by the API, the desk and the CLI alike (one check: checkTypedText, src/domain/text.ts).
 */
import { listUsers } from '../../src/store/users';
import { HOME, PASSWORD, PEOPLE } from '../support/accounts';
import { type Doors, openDoors } from './doors';

/** value, the reason said; `cli: false` where an argument cannot carry it (NUL ends a C string). */
const TYPED: Array<{ value: string; reason: RegExp; cli?: false }> = [
  { value: 'a\u0000b', reason: /U\+0000/, cli: false },
  { value: 'admin\u202e', reason: /đảo chiều chữ \(U\+202E\)/ },
  { value: 'Quản\u001b[2Jtrị', reason: /U\+001B/ },
  { value: 'Cán bộ\u2067 Ân', reason: /U\+2067/ },
];

describe('accounts at every door', () => {
  let doors: Doors;
  beforeAll(async () => {
    doors = await openDoors('sqlite');
  });
  afterAll(() => doors.close());

  const users = async () => (await listUsers(doors.db.kysely)).map((u) => u.name);
  const tokens = async () =>
    Number(
      (
        await doors.db.kysely
          .selectFrom('api_tokens')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const signIn = async (name: string, password = PASSWORD) => {
    const res = await fetch(`${doors.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password }),
    });
    return res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
  };
  /** The sentence a desk admin page redirects with (?loi= a refusal, ?xong= done). */
  const said = (location: string | null) => {
    const query = new URL(location ?? '', doors.base).searchParams;
    return { refused: query.get('loi'), done: query.get('xong') };
  };

  describe.each(TYPED)('an account name $reason', ({ value, reason, cli }) => {
    test('API: refused naming "name", no account made', async () => {
      const before = await users();
      const res = await doors.api('admin', 'POST', '/api/users', {
        name: value,
        unit: HOME,
        role: 'officer',
        password: PASSWORD,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { field: 'name', message: expect.stringMatching(reason) } });
      expect(await users()).toEqual(before);
    });

    test('desk: refused naming "name", no account made', async () => {
      const before = await users();
      const page = await doors.desk('admin', '/desk/quan-tri/tai-khoan', {
        name: value,
        unit: HOME,
        role: 'officer',
        password: PASSWORD,
      });
      expect(page.status).toBe(303);
      expect(said(page.location).refused).toMatch(new RegExp(`^name: .*${reason.source}`));
      expect(await users()).toEqual(before);
    });

    (cli === false ? test.skip : test)('CLI: refused naming "name", no account made', async () => {
      const before = await users();
      const result = await doors.cli(['users', 'add', value, '--unit', HOME, '--role', 'officer'], `${PASSWORD}\n`);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/"name"/);
      expect(result.stderr).toMatch(reason);
      expect(await users()).toEqual(before);
    });
  });

  describe.each(TYPED)('a token label $reason', ({ value, reason, cli }) => {
    test('API: refused naming "label", no token made', async () => {
      const before = await tokens();
      const res = await doors.api('officer', 'POST', '/api/tokens', { label: value });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { field: 'label', message: expect.stringMatching(reason) } });
      expect(await tokens()).toBe(before);
    });

    (cli === false ? test.skip : test)('CLI: refused naming "label", no token made', async () => {
      const before = await tokens();
      const result = await doors.cli(['users', 'token', PEOPLE.officer.name, '--label', value]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/"label"/);
      expect(result.stderr).toMatch(reason);
      expect(await tokens()).toBe(before);
    });
  });

  test("a supervisor's GET /api/audit has no province-wide rows but pauses, and no other unit's", async () => {
    await signIn(PEOPLE.admin.name); // an admin's sign-in: a province-wide row with an address
    await doors.api('otherOfficer', 'POST', '/api/items', {
      plan: 1,
      area: 'a',
      unit: 'ubnd-xa-khac',
      title: 'x',
      body: 'y',
    });
    await doors.api('admin', 'POST', '/api/pause', { reason: 'diễn tập' });
    const res = await doors.api('supervisor', 'GET', '/api/audit');
    expect(res.status).toBe(200);
    const rows = res.body as Array<{ unitId: string | null; action: string; actor: string }>;
    expect(rows.some((r) => r.action === 'publishing.pause')).toBe(true);
    expect(rows.filter((r) => r.unitId === null).map((r) => r.action)).toEqual(['publishing.pause']);
    expect(rows.every((r) => r.unitId === null || r.unitId === 'ubnd-xa-tan-lap')).toBe(true);
    expect(rows.some((r) => r.actor === PEOPLE.admin.name && r.action === 'session.login')).toBe(false);
  });

  const ownPassword = (person: 'officer' | 'supervisor', body: Record<string, string>) =>
    doors.api(person, 'PUT', `/api/users/${encodeURIComponent(PEOPLE[person].name)}/password`, body);

  test("API: changing one's own password asks for the current one; without it or wrong, nothing changes", async () => {
    const missing = await ownPassword('supervisor', { password: 'mật-khẩu-mới-rất-dài-3' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({
      error: { field: 'current', message: expect.stringMatching(/mật khẩu hiện tại/) },
    });
    const wrong = await ownPassword('supervisor', { password: 'mật-khẩu-mới-rất-dài-3', current: 'không-phải-nó-1' });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { field: 'current', message: expect.stringMatching(/không đúng/) } });
    // Still the old password, and the account's token still works: nothing was changed or ended.
    expect(await signIn(PEOPLE.supervisor.name)).toMatch(/=/);
    expect((await doors.api('supervisor', 'GET', '/api/tokens')).status).toBe(200);
  });

  test("desk: an admin changing their own password gives the current one; another's needs none", async () => {
    const missing = await doors.desk('admin', '/desk/quan-tri/tai-khoan/mat-khau', {
      name: PEOPLE.admin.name,
      password: 'mật-khẩu-mới-rất-dài-4',
    });
    expect(said(missing.location).refused).toMatch(/^current: cần nhập mật khẩu hiện tại/);
    const own = await doors.desk('admin', '/desk/quan-tri/tai-khoan/mat-khau', {
      name: PEOPLE.admin.name,
      password: 'mật-khẩu-mới-rất-dài-4',
      current: PASSWORD,
    });
    expect(said(own.location).done).toMatch(/Đã đặt mật khẩu mới/);
    const other = await doors.desk('admin', '/desk/quan-tri/tai-khoan/mat-khau', {
      name: PEOPLE.otherOfficer.name,
      password: 'mật-khẩu-mới-rất-dài-5',
    });
    expect(said(other.location).done).toMatch(/Đã đặt mật khẩu mới/);
  });

  test("a new password ends the account's other sessions and tokens, not the one it came through", async () => {
    const cookie = await signIn(PEOPLE.officer.name);
    const made = await doors.api('officer', 'POST', '/api/tokens', { label: 'máy khác' });
    const other = (made.body as { token: string }).token;
    const changed = await ownPassword('officer', { password: 'mật-khẩu-mới-rất-dài-2', current: PASSWORD });
    expect(changed.status).toBe(200);
    expect((await doors.api('officer', 'GET', '/api/tokens')).status).toBe(200);
    const byOther = await fetch(`${doors.base}/api/tokens`, { headers: { authorization: `Bearer ${other}` } });
    expect(byOther.status).toBe(401);
    const bySession = await fetch(`${doors.base}/api/session`, { headers: { cookie } });
    expect(bySession.status).toBe(401);
  });
});
