/**
 * The desk's forms and addresses declare their fields (src/http/forms.ts): what a browser sends out of shape is
 * refused before any handler runs, with a Vietnamese page naming the field as its form labels it, never by its key.
 * A checkbox list sent with one value (a string, as urlencoded forms send it) or several (an array) is taken alike.
 */
import { listUnitRecords } from '../src/store/units';
import { type Doors, openDoors, pageText } from './hostile/doors';
import { HOME, OTHER, PASSWORD, PEOPLE, type Person } from './support/accounts';
import { DATABASE_KINDS } from './support/databases';

/** What a browser's Accept says when a person follows a link or sends a form. */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe.each(DATABASE_KINDS)("the desk's form schemas on %s", (kind) => {
  let doors: Doors;
  const sessions = new Map<Person, { cookie: string; csrf: string }>();

  /** A signed-in browser session of `person` (its cookie and CSRF token), opened once. */
  async function session(person: Person) {
    const known = sessions.get(person);
    if (known) return known;
    const res = await fetch(`${doors.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PEOPLE[person].name, password: PASSWORD }),
    });
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const opened = { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    sessions.set(person, opened);
    return opened;
  }

  /** A form posted urlencoded as a browser sends it; pairs, so a field may come twice (a checkbox list). */
  async function post(person: Person | null, path: string, fields: Array<[string, string]>, accept = BROWSER_ACCEPT) {
    const signedIn = person ? await session(person) : null;
    const body = new URLSearchParams(fields);
    if (signedIn) body.append('_csrf', signedIn.csrf);
    const res = await fetch(`${doors.base}${path}`, {
      method: 'POST',
      headers: { accept, ...(signedIn ? { cookie: signedIn.cookie } : {}) },
      body,
      redirect: 'manual',
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  }

  /** The refusal page's sentence, as a person reads it. */
  const refusal = (html: string) => /Loa không nhận yêu cầu này \(lỗi 400\): (.*?)\./.exec(pageText(html))?.[1];

  beforeAll(async () => {
    doors = await openDoors(kind);
  });
  afterAll(() => doors.close());

  test.each([
    {
      what: 'a missing field (the sign-in form without its password box)',
      person: null,
      path: '/desk/dang-nhap',
      fields: [['name', PEOPLE.officer.name]],
      said: 'Mật khẩu: thiếu, bắt buộc phải có',
      key: 'password',
    },
    {
      what: 'a field of the wrong kind (a withdrawal reason sent twice: a list where one text is taken)',
      person: 'officer',
      path: '/desk/bai-viet/1/rut',
      fields: [
        ['reason', 'một'],
        ['reason', 'hai'],
      ],
      said: 'Lý do rút bài: chỉ nhận một giá trị chữ',
      key: 'reason',
    },
    {
      what: 'an over-long value (a unit renamed with 1,001 characters)',
      person: 'admin',
      path: '/desk/quan-tri/don-vi/doi-ten',
      fields: [
        ['unit', HOME],
        ['name', 'x'.repeat(1001)],
      ],
      said: 'Tên mới: dài quá 1000 ký tự',
      key: 'name',
    },
    {
      what: 'an action the form does not offer (a decision that is neither approve nor return)',
      person: 'supervisor',
      path: '/desk/duyet/1',
      fields: [['action', 'xoa-bai']],
      said: 'Việc: không phải một lựa chọn của biểu mẫu',
      key: 'action',
    },
    {
      what: 'an address whose number is not one (the item number of a withdrawal)',
      person: 'officer',
      path: '/desk/bai-viet/abc/rut',
      fields: [['reason', 'sai số liệu']],
      said: 'Số bài: phải là một số',
      key: 'id',
    },
    {
      what: 'a role the account form does not offer',
      person: 'admin',
      path: '/desk/quan-tri/tai-khoan',
      fields: [
        ['name', 'Cán bộ Mới'],
        ['role', 'superuser'],
        ['password', PASSWORD],
      ],
      said: 'Vai trò: không phải một lựa chọn của biểu mẫu',
      key: 'role',
    },
  ] as Array<{
    what: string;
    person: Person | null;
    path: string;
    fields: Array<[string, string]>;
    said: string;
    key: string;
  }>)(
    '$what is refused with a Vietnamese page naming the field by its label',
    async ({ person, path, fields, said, key }) => {
      const page = await post(person, path, fields);
      expect(page.status).toBe(400);
      expect(page.type).toContain('text/html');
      expect(page.text).toContain('<html lang="vi">');
      expect(refusal(page.text)).toBe(`yêu cầu không hợp lệ: ${said}`);
      // The field's key is the code's word, not the person's.
      expect(refusal(page.text)).not.toMatch(new RegExp(`\\b${key}\\b`));
    },
  );

  test("a script of the desk's own pages (which does not ask for HTML) gets the same sentence as JSON", async () => {
    const answer = await post('officer', '/desk/bai-viet/xem-truoc', [['action', 'xoa-bai']], '*/*');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.text)).toEqual({
      error: { message: 'yêu cầu không hợp lệ: Việc: không phải một lựa chọn của biểu mẫu' },
    });
  });

  test('a checkbox list is taken with one value (a string) or several (an array), and refused past its bound', async () => {
    const merge = (from: string[]) =>
      post('admin', '/desk/quan-tri/don-vi/sap-nhap', [
        ...from.map((id): [string, string] => ['from', id]),
        ['into', HOME],
      ]);
    // One ticked box arrives as a string: it reaches the action, which names what it found wrong (a flash, not a 400).
    const one = await merge(['khong-co-don-vi-nay']);
    expect(one.status).toBe(303);
    const two = await merge(['khong-co-don-vi-nay', 'cung-khong-co']);
    expect(two.status).toBe(303);
    // And a real merge of one unit goes through.
    const real = await merge([OTHER]);
    expect(real.status).toBe(303);
    expect((await listUnitRecords(doors.db.kysely)).find((u) => u.id === OTHER)?.mergedInto).toBe(HOME);
    const tooMany = await merge(Array.from({ length: 501 }, (_, i) => `don-vi-${i}`));
    expect(tooMany.status).toBe(400);
    expect(refusal(tooMany.text)).toBe('yêu cầu không hợp lệ: Đơn vị bị sáp nhập: dài quá 500 mục');
  });

  test('an address a person can type is refused naming its parameter: the calendar kind over its length', async () => {
    const { cookie } = await session('officer');
    const res = await fetch(`${doors.base}/desk/lich?xem=${'x'.repeat(101)}`, {
      headers: { cookie, accept: BROWSER_ACCEPT },
    });
    expect(res.status).toBe(400);
    expect(refusal(await res.text())).toBe('yêu cầu không hợp lệ: Kiểu xem: dài quá 100 ký tự');
  });
});
