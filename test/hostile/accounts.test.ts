/**
 * Issue 27, findings 9 and 10: a supervisor's audit trail is their unit's (plus the province pauses that held it),
 * never admins' sign-ins or other units' rows; a new password ends the account's other sessions and tokens.
 */
import { PASSWORD, PEOPLE } from '../support/accounts';
import { type Doors, openDoors } from './doors';

describe('accounts and the audit trail', () => {
  let doors: Doors;
  beforeAll(async () => {
    doors = await openDoors('sqlite');
  });
  afterAll(() => doors.close());

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

  test("a new password ends the account's other sessions and tokens, not the one it came through", async () => {
    const cookie = await signIn(PEOPLE.officer.name);
    const made = await doors.api('officer', 'POST', '/api/tokens', { label: 'máy khác' });
    const other = (made.body as { token: string }).token;
    const changed = await doors.api(
      'officer',
      'PUT',
      `/api/users/${encodeURIComponent(PEOPLE.officer.name)}/password`,
      {
        password: 'mật-khẩu-mới-rất-dài-2',
      },
    );
    expect(changed.status).toBe(200);
    expect((await doors.api('officer', 'GET', '/api/tokens')).status).toBe(200);
    const byOther = await fetch(`${doors.base}/api/tokens`, { headers: { authorization: `Bearer ${other}` } });
    expect(byOther.status).toBe(401);
    const bySession = await fetch(`${doors.base}/api/session`, { headers: { cookie } });
    expect(bySession.status).toBe(401);
  });
});
