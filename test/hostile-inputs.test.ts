/**
 * Hostile and malformed inputs across the doors of Loa: item fields (as the CLI, files and HTTP all check them),
 * identifiers, publication times, channel settings and URLs, database URLs, templates, HTTP, and the CLI itself.
 * Each row states the exact outcome: the field named, the reason, the status or exit code, and that nothing was stored.
 * Rows that touch the store run on both databases; the CLI is spawned only for the few rows about the CLI surface.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PLATFORMS } from '../channels';
import { Templates } from '../channels/template';
import { importItemsAs } from '../src/actions/items';
import { decodeItemsFile, parseItemsText } from '../src/actions/items-file';
import { contentItemInput, parseInput } from '../src/domain/content-item';
import { ValidationError } from '../src/domain/errors';
import { checkIdentifier, checkNewChannelId, pathUnder } from '../src/domain/identifier';
import { findSecretKey, maskSettings, maskUrl } from '../src/domain/secrets';
import { parsePublishTime } from '../src/domain/time';
import type { Db } from '../src/store';
import { connect } from '../src/store/connection';
import { addItems } from '../src/store/items';
import { savePlan } from '../src/store/plans';
import { seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { minimalPlan } from './support/seed';
import { serveForTest } from './support/server';
import { PROJECT, testConfig } from './support/services';

/** Runs `fn` and returns the ValidationError it throws as [field, reason]; fails when it does not throw one. */
function refusal(fn: () => unknown): [string, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ValidationError) return [error.field, error.reason];
    throw error;
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}

const CONTROL = [
  '\u0000',
  '\u0001',
  '\u0007',
  '\u0008',
  '\u000B',
  '\u000C',
  '\u001B',
  '\u001F',
  '\u007F',
  '\u0085',
  '\u009F',
];
const NON_CHARACTERS = ['\uFFFE', '\uFFFF', '\uFDD0', '\u{1FFFE}', '\u{10FFFF}', '\uD800'];
const code = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
/** The same, escaped for a regular expression. */
const codeRe = (c: string) => code(c).replace('+', '\\+');

/** [description, field, patch over a good item, expected reason (regexp)] */
type ItemRow = [string, string, Record<string, unknown>, RegExp];
const ITEM_ROWS: ItemRow[] = [
  ...CONTROL.flatMap((c): ItemRow[] => [
    [
      `title with ${code(c)}`,
      'title',
      { title: `Bài${c}một` },
      new RegExp(`title có ký tự điều khiển.*\\(${codeRe(c)}\\) ở vị trí 4`),
    ],
    [
      `body with ${code(c)}`,
      'body',
      { body: `Nội dung ${c}` },
      new RegExp(`body có ký tự điều khiển.*\\(${codeRe(c)}\\) ở vị trí 10`),
    ],
    [
      `area with ${code(c)}`,
      'area',
      { area: `thu-tuc${c}` },
      new RegExp(`area có ký tự điều khiển.*\\(${codeRe(c)}\\)`),
    ],
  ]),
  ...NON_CHARACTERS.flatMap((c): ItemRow[] => [
    [`title with ${code(c)}`, 'title', { title: `Bài ${c}` }, new RegExp(`title có ký tự.*\\(${codeRe(c)}\\)`)],
    [
      `body with ${code(c)}`,
      'body',
      { body: `${c} nội dung` },
      new RegExp(`body có ký tự.*\\(${codeRe(c)}\\) ở vị trí 1`),
    ],
    [`unit with ${code(c)}`, 'unit', { unit: `xã ${c}` }, new RegExp(`unit có ký tự.*\\(${codeRe(c)}\\)`)],
  ]),
  ['empty title', 'title', { title: '' }, /title không được để trống/],
  ['blank title', 'title', { title: ' \t\n ' }, /title không được để trống/],
  ['title too long', 'title', { title: 'a'.repeat(301) }, /title dài quá 300 ký tự/],
  ['body too long', 'body', { body: 'a'.repeat(20001) }, /body dài quá 20000 ký tự/],
  ['title not text', 'title', { title: 42 }, /title phải là chữ/],
  ['body missing', 'body', { body: undefined }, /thiếu, bắt buộc phải có/],
  ...[
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://x.vn/a',
    'file:///etc/passwd',
    'mailto:a@b.vn',
    'không phải địa chỉ',
    'http//thieu-hai-cham',
    'vbscript:msgbox(1)',
  ].flatMap((url): ItemRow[] => [
    [`link ${url}`, 'link', { link: url }, /link phải là địa chỉ web đầy đủ bắt đầu bằng http:\/\/ hoặc https:\/\//],
    [
      `image ${url}`,
      'image',
      { image: url },
      /image phải là địa chỉ web đầy đủ bắt đầu bằng http:\/\/ hoặc https:\/\//,
    ],
  ]),
  ['link with a control character', 'link', { link: 'https://a.vn/\u0007' }, /link có ký tự điều khiển/],
  ...['cao', 'khẩn cấp', 'URGENT', '1', ''].map((p): ItemRow => [
    `priority "${p}"`,
    'priority',
    { priority: p },
    /priority phải là một trong: thong-thuong, uu-tien, khan-cap/,
  ]),
  ...[0, -1, 'abc', 1.5].map((p): ItemRow => [`plan ${p}`, 'plan', { plan: p }, /plan phải|plan/]),
];

describe.each(DATABASE_KINDS)('hostile item input on %s: refused naming the field, nothing stored', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let planId: number;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'Văn phòng UBND' });
    planId = (
      await savePlan(
        db.kysely,
        { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-bang' },
        'kiểm thử',
      )
    ).plan.id;
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  test.each(ITEM_ROWS)('%s', async (_name, field, patch, reason) => {
    const row = {
      plan: planId,
      area: 'thu-tuc-hanh-chinh',
      unit: 'ubnd-xa-tan-lap',
      title: 'Bài',
      body: 'Nội dung',
      ...patch,
    };
    const good = {
      plan: planId,
      area: 'thu-tuc-hanh-chinh',
      unit: 'ubnd-xa-tan-lap',
      title: 'Bài tốt',
      body: 'Nội dung tốt',
    };
    // As a file import does it: every row checked first; one bad row stores nothing, the good ones included.
    const attempt = async () =>
      addItems(
        db.kysely,
        [good, row].map((r, i) => parseInput(contentItemInput, r, `dòng ${i + 2}`)),
        'cán bộ A',
      );
    await expect(attempt()).rejects.toMatchObject({ field: `dòng 3.${field}`, reason: expect.stringMatching(reason) });
    const stored = await db.kysely
      .selectFrom('content_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(0);
  });

  test('a clean row with tabs, newlines and emoji is accepted (the door is not too strict)', () => {
    const ok = parseInput(contentItemInput, {
      plan: planId,
      area: 'a',
      unit: 'u',
      title: 'Chào 🎉 bà con',
      body: 'Dòng một\r\n\tDòng hai 👨‍👩‍👧',
      link: 'https://dichvucong.gov.vn',
    });
    expect(ok.body).toBe('Dòng một\n\tDòng hai 👨‍👩‍👧');
  });
});

const ID_ROWS: Array<[string, RegExp]> = [
  ['', /mã không được để trống/],
  ['../../x', /không hợp lệ/],
  ['a:b', /không hợp lệ/],
  ['a/b', /không hợp lệ/],
  ['a\\b', /không hợp lệ/],
  ['.', /không hợp lệ/],
  ['..', /không hợp lệ/],
  ['-a', /không hợp lệ/],
  ['a-', /không hợp lệ/],
  ['a--b', /không hợp lệ/],
  ['A', /không hợp lệ/],
  ['a b', /không hợp lệ/],
  ['xã', /không hợp lệ/],
  ['a.b', /không hợp lệ/],
  ['%2e%2e', /không hợp lệ/],
  ['a\u0000', /không hợp lệ/],
  ['a\n', /không hợp lệ/],
  ['x'.repeat(65), /mã dài quá 64 ký tự/],
];
describe('identifiers', () => {
  test.each(ID_ROWS)('"%s" is refused', (id, reason) => {
    const [field, why] = refusal(() => checkIdentifier('--id', id));
    expect(field).toBe('--id');
    expect(why).toMatch(reason);
  });
  test.each(['rss', 'radio', 'facebook', 'zalo'])('a new channel may not be called "%s"', (id) => {
    expect(refusal(() => checkNewChannelId('--id', id, PLATFORMS.names))).toEqual([
      '--id',
      expect.stringContaining('là tên một nền tảng'),
    ]);
  });
  test.each([['radio', '../../etc'], ['radio', '/etc/passwd'], ['..']])(
    'a path %j never leaves its root',
    (...parts) => {
      expect(refusal(() => pathUnder('/tmp/loa-root', ...parts))).toEqual([
        'đường dẫn',
        expect.stringContaining('ra ngoài thư mục'),
      ]);
    },
  );
});

const NOW = new Date('2030-06-15T03:00:00Z'); // 10:00 in Vietnam; a clock the test controls
const TIME_ROWS: Array<[string, RegExp]> = [
  ['25/12/2030', /chỉ có ngày, thiếu giờ/],
  ['2030-12-25', /chỉ có ngày, thiếu giờ/],
  ['1/1/2031', /chỉ có ngày, thiếu giờ/],
  ['01/01/0001 08:00', /năm 1 nằm ngoài khoảng|không phải thời điểm/],
  ['31/12/9999 08:00', /năm 9999 nằm ngoài khoảng/],
  ['01/01/2020 08:00', /đã qua .*--ngay-lap-tuc/],
  ['15/06/2030 09:30', /đã qua/],
  ['32/12/2030 08:00', /không phải thời điểm hợp lệ/],
  ['25/13/2030 08:00', /không phải thời điểm hợp lệ/],
  ['25/12/2030 25:00', /không phải thời điểm hợp lệ/],
  ['25/12/2030 08:61', /không phải thời điểm hợp lệ/],
  ['', /chỉ có ngày, thiếu giờ/],
  ['ngày mai', /chỉ có ngày, thiếu giờ/],
  ['+5x', /chỉ có ngày, thiếu giờ/],
  ['8:30', /không phải thời điểm hợp lệ/],
];
describe('publication times', () => {
  test.each(TIME_ROWS)('"%s" is refused', (text, reason) => {
    const [field, why] = refusal(() => parsePublishTime(text, '--at', { now: NOW }));
    expect(field).toBe('--at');
    expect(why).toMatch(reason);
  });
  test('a past time with --ngay-lap-tuc means now; a future time is kept', () => {
    expect(parsePublishTime('01/01/2020 08:00', '--at', { now: NOW, immediately: true })).toEqual(NOW);
    expect(parsePublishTime('15/06/2030 10:30', '--at', { now: NOW }).toISOString()).toBe('2030-06-15T03:30:00.000Z');
  });
});

describe('secrets in settings and URLs', () => {
  test.each([
    [{ accessToken: 'x' }, 'accessToken'],
    [{ token: 'x' }, 'token'],
    [{ app_secret: 'x' }, 'app_secret'],
    [{ password: 'x' }, 'password'],
    [{ auth: { apiKey: 'x' } }, 'auth.apiKey'],
    [{ Authorization: 'Bearer x' }, 'Authorization'],
    [{ refresh_token: 'x' }, 'refresh_token'],
    [{ clientSecret: 'x' }, 'clientSecret'],
    [{ privateKey: 'x' }, 'privateKey'],
    [{ list: [{ pwd: 'x' }] }, 'list.0.pwd'],
  ])('settings %j are refused at key %s', (settings, key) => {
    expect(findSecretKey(settings)).toBe(key);
    expect(JSON.stringify(maskSettings(settings))).not.toContain('"x"');
  });
  test.each([
    ['redis://:topsecret@127.0.0.1:6379', 'redis://:***@127.0.0.1:6379'],
    ['redis://user:topsecret@h:6379/0', 'redis://user:***@h:6379/0'],
    ['redis://topsecret@h:6379', 'redis://***@h:6379'],
    ['postgres://loa:topsecret@db:5432/loa', 'postgres://loa:***@db:5432/loa'],
    ['mysql://u:topsecret@h/db', 'mysql://u:***@h/db'],
    ['not a url //u:topsecret@h', 'not a url //***@h'],
  ])('%s is shown as %s', (url, shown) => {
    expect(maskUrl(url)).toBe(shown);
  });
});

describe('database URLs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-dburl-'));
  const notDb = path.join(dir, 'ghi-chu.txt');
  fs.writeFileSync(
    notDb,
    'đây không phải cơ sở dữ liệu, chỉ là một tệp chữ đủ dài để SQLite đọc phần đầu của nó '.repeat(10),
  );
  test.each([
    ['mysql://u:topsecret@h/db', /kiểu địa chỉ "mysql:" không được hỗ trợ \(mysql:\/\/u:\*\*\*@h\/db\)/],
    ['http://example.vn/db', /kiểu địa chỉ "http:" không được hỗ trợ/],
    ['redis://127.0.0.1:6379', /kiểu địa chỉ "redis:" không được hỗ trợ/],
    [dir, /là một thư mục, không phải tệp cơ sở dữ liệu/],
    [notDb, /không phải cơ sở dữ liệu SQLite/],
    ['postgres://u:p@[bad', /địa chỉ PostgreSQL viết sai/],
  ])('%s is refused naming LOA_DATABASE_URL', (url, reason) => {
    const [field, why] = refusal(() => connect(url));
    expect(field).toBe('LOA_DATABASE_URL');
    expect(why).toMatch(reason);
    expect(why).not.toContain('topsecret');
    expect(fs.existsSync(path.join(process.cwd(), 'mysql:'))).toBe(false); // no folder named after the URL
  });
});

describe('templates an officer may break', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-tpl-'));
  const rows: Array<[string, string, RegExp]> = [
    ['self-include', '{% include "self-include.liquid" %}', /quá lớn|quá 2 giây/],
    ['huge-literal-loop', '{% for i in (1..100000000) %}x{% endfor %}', /dòng 1: vòng lặp \(1\.\.100000000\) quá dài/],
    ['empty-body-loop', '{% assign n = 100000000 %}{% for i in (1..n) %}{% endfor %}', /bộ nhớ|quá 2 giây/],
    [
      'doubling-array',
      '{% assign a = "1,2" | split: "," %}{% for i in (1..60) %}{% assign a = a | concat: a %}{% endfor %}{{ a.size }}',
      /bộ nhớ|quá 2 giây/,
    ],
    ['unknown-variable', '{{ item.khong_co }}', /dòng 1: biến không có/],
    ['unknown-filter', '{{ item.title | chay_lenh }}', /bộ lọc không có: chay_lenh/],
    ['unclosed-tag', '{% if item.title %}', /thẻ .* chưa được đóng/],
    ['too-big', 'x'.repeat(200_001), /tệp mẫu quá lớn/],
    ['prototype', '{{ item.constructor.name }}', /biến không có/],
  ];
  for (const [name, source] of rows) fs.writeFileSync(path.join(dir, `${name}.liquid`), source);
  const templates = new Templates(dir);
  test.each(rows)('%s fails with a reason in Vietnamese, in bounded time', async (name, _source, reason) => {
    await expect(templates.render(`${name}.liquid`, { item: { title: 'Bài' } })).rejects.toThrow(reason);
  });
  test('a missing template is named', async () => {
    await expect(templates.render('khong-co.liquid', {})).rejects.toThrow(/không tìm thấy tệp mẫu/);
  });
});

describe.each(DATABASE_KINDS)('hostile HTTP on %s', (kind) => {
  let database: TestDatabase;
  let officerToken: string;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let db: Db;
  beforeAll(async () => {
    database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    officerToken = (await seedAccounts(db.kysely)).token.officer;
    server = await serveForTest(db, database, config);
  });
  afterAll(() => server.close());

  // Who imports is the signed-in person (a Bearer token here); a user header is no longer read at all.
  const plan = (headers: Record<string, string>, body: BodyInit | undefined) =>
    fetch(`${server.base}/api/plans`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${officerToken}`, ...headers },
      body,
    });
  test.each([
    ['no token', { 'x-loa-filename': 'kh.txt', authorization: '' }, 'x', 401, 'Authorization'],
    ['a forged token', { 'x-loa-filename': 'kh.txt', authorization: 'Bearer gia-mao-0000' }, 'x', 401, 'Authorization'],
    ['no file name', { 'x-loa-user': 'An' }, 'x', 400, 'X-Loa-Filename'],
    ['malformed file name encoding', { 'x-loa-user': 'An', 'x-loa-filename': '%' }, 'x', 400, 'X-Loa-Filename'],
    ['empty file', { 'x-loa-user': 'An', 'x-loa-filename': 'kh.txt' }, '', 422, 'file'],
    ['not a plan', { 'x-loa-user': 'An', 'x-loa-filename': 'kh.txt' }, 'Xin chào, đây là thư mời họp.', 422, 'text'],
    ['an executable', { 'x-loa-user': 'An', 'x-loa-filename': 'kh.exe' }, 'MZ\u0000\u0001', 415, 'file'],
  ])(
    'POST /api/plans with %s: refused naming the header or file, nothing stored',
    async (_name, headers, body, status, field) => {
      const res = await plan(headers, body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
      const plans = await db.kysely
        .selectFrom('plans')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(plans.n)).toBe(0);
    },
  );
  // Withdrawing: the reason is required and checked at the door like every text; nothing changes on a refusal.
  test.each([
    ['no reason', {}, 400, 'reason'],
    ['an empty reason', { reason: '   ' }, 400, 'reason'],
    ['a reason with a control character', { reason: 'sai\u0007' }, 400, 'reason'],
    ['a reason too long', { reason: 'x'.repeat(2001) }, 400, 'reason'],
    ['a reason that is not text', { reason: 42 }, 400, 'reason'],
  ])(
    'POST /api/items/:id/withdraw with %s: refused naming the field, the item untouched',
    async (_name, body, status, field) => {
      const planId = (
        await savePlan(
          db.kysely,
          { plan: minimalPlan(`${Math.random()}/KH`), sourceName: 'kh', sourceHash: `h-${Math.random()}` },
          'kiểm thử',
        )
      ).plan.id;
      const [item] = await addItems(
        db.kysely,
        [
          {
            plan: planId,
            area: 'thu-tuc-hanh-chinh',
            unit: 'ubnd-xa-tan-lap',
            title: 'Bài',
            body: 'Nội dung',
            link: null,
            image: null,
            priority: 'thong-thuong',
          },
        ],
        'Cán bộ An',
      );
      const res = await fetch(`${server.base}/api/items/${item!.id}/withdraw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${officerToken}` },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
      const row = await db.kysely
        .selectFrom('content_items')
        .select('withdrawn_at')
        .where('id', '=', item!.id)
        .executeTakeFirstOrThrow();
      expect(row.withdrawn_at).toBeNull();
    },
  );
  test.each([
    ['/api/items/abc/withdraw', 400],
    ['/api/items/0/withdraw', 400],
    ['/api/items/999999/withdraw', 404],
  ])('POST %s → %i', async (url, status) => {
    const res = await fetch(`${server.base}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${officerToken}` },
      body: JSON.stringify({ reason: 'Sai' }),
    });
    expect(res.status).toBe(status);
  });
  test.each([
    ['/posts/..%2F..%2Fetc%2Fpasswd', 404],
    // The route's own schema refuses it, in Vietnamese (issue 27, finding 19: was Fastify's 414 in English).
    [`/posts/${'a'.repeat(201)}`, 400],
    ['/posts/%3Cscript%3E', 404],
    ['/rss/..%2Fx.xml', 400],
    ['/rss/A:B.xml', 400],
    ['/rss/%3Cscript%3E.xml', 400],
  ])('GET %s → %i, escaped', async (url, status) => {
    const res = await fetch(`${server.base}${url}`);
    expect(res.status).toBe(status);
    expect(await res.text()).not.toMatch(/<script/i);
  });
});

/**
 * Items files as officers save them: a blank optional cell, a BOM, Excel's UTF-16, and the legacy Vietnamese
 * encodings (refused: guessing among TCVN3, VNI and Windows-1258 would store mojibake), empty files.
 */
const HEADER = 'plan,area,unit,title,body,priority\n';
const LEGACY_FILES: Array<[string, Buffer]> = [
  // "Thủ tục hành chính" in TCVN3 (ABC): the classic "Thñ tôc hµnh chÝnh" when read as Windows-1252.
  [
    'TCVN3',
    Buffer.from([
      ...Buffer.from(HEADER),
      ...Buffer.from('1,a,u,Th'),
      0xf1,
      ...Buffer.from(' t'),
      0xf4,
      ...Buffer.from('c h'),
      0xb5,
      ...Buffer.from('nh ch'),
      0xdd,
      ...Buffer.from('nh,x,\n'),
    ]),
  ],
  // The same in VNI-Windows: letters followed by tone bytes ("Thuû tuïc").
  [
    'VNI',
    Buffer.from([
      ...Buffer.from(HEADER),
      ...Buffer.from('1,a,u,Thu'),
      0xfb,
      ...Buffer.from(' tu'),
      0xef,
      ...Buffer.from('c,x,\n'),
    ]),
  ],
  // Windows-1258: base letters and combining tone marks as single bytes (0xD2 hook above, 0xF2 dot below).
  [
    'Windows-1258',
    Buffer.from([
      ...Buffer.from(HEADER),
      ...Buffer.from('1,a,u,Thu'),
      0xd2,
      ...Buffer.from(' tu'),
      0xf2,
      ...Buffer.from('c,x,\n'),
    ]),
  ],
  [
    'Latin-1 (ISO-8859-1)',
    Buffer.from([
      ...Buffer.from(HEADER),
      ...Buffer.from('1,a,u,Ph'),
      0xe1,
      ...Buffer.from('p lu'),
      0xe2,
      ...Buffer.from('t,x,\n'),
    ]),
  ],
];
const ITEMS_FILE_REFUSALS: Array<[string, string, 'csv' | 'json', RegExp]> = [
  ['an empty CSV', '', 'csv', /rỗng: không có nội dung nào/],
  ['a CSV of blank lines', '\n\n  \n', 'csv', /rỗng/],
  ['a CSV with its header only', HEADER, 'csv', /không có dòng nội dung nào \(chỉ có dòng tiêu đề cột\)/],
  ['an empty JSON list', '[]', 'json', /không có dòng nội dung nào/],
  ['an empty JSON file', '', 'json', /rỗng/],
  ['a BOM alone', '\uFEFF', 'json', /rỗng/],
  [
    'text decoded wrongly on the way (U+FFFD)',
    `${HEADER}1,a,u,Th\uFFFD t\uFFFDc,x,\n`,
    'csv',
    /ký tự lỗi mã hóa \(U\+FFFD ở vị trí \d+\).*UTF-8/,
  ],
  ['a JSON object instead of a list', '{"title":"x"}', 'json', /phải chứa một danh sách/],
];
describe('items files', () => {
  test.each(LEGACY_FILES)('a file in %s is refused, naming the encoding problem and how to fix it', (_name, bytes) => {
    const [field, reason] = refusal(() => decodeItemsFile(bytes, 'noi-dung.csv'));
    expect(field).toBe('tệp');
    expect(reason).toMatch(
      /^noi-dung\.csv không phải mã UTF-8 \(có thể là bảng mã cũ như TCVN3\/ABC, VNI hay Windows-1258\).*lưu lại dạng UTF-8/,
    );
  });
  test.each(ITEMS_FILE_REFUSALS)('%s is refused', (_name, text, format, reason) => {
    const [field, why] = refusal(() => parseItemsText(text, format, 'tệp'));
    expect(field).toBe('tệp');
    expect(why).toMatch(reason);
  });
  test.each([
    ['UTF-8 with a BOM', Buffer.from(`\uFEFF${HEADER}1,a,u,Thủ tục,x,\n`)],
    ['UTF-8 without a BOM', Buffer.from(`${HEADER}1,a,u,Thủ tục,x,\n`)],
    [
      'UTF-16LE with a BOM (Excel "Unicode text")',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}1,a,u,Thủ tục,x,\n`, 'utf16le')]),
    ],
  ])('%s is read exactly', (_name, bytes) => {
    const rows = parseItemsText(decodeItemsFile(bytes, 'f.csv'), 'csv', 'f.csv') as Array<Record<string, string>>;
    expect(rows.map((r) => r.title)).toEqual(['Thủ tục']);
  });
  test.each([
    ['a blank priority cell in a CSV (the README example)', `${HEADER}1,a,u,T,B,\n`, 'csv'],
    [
      'a blank priority in JSON',
      '[{"plan":1,"area":"a","unit":"u","title":"T","body":"B","priority":"  ","link":""}]',
      'json',
    ],
    ['JSON with a BOM', '\uFEFF[{"plan":1,"area":"a","unit":"u","title":"T","body":"B"}]', 'json'],
  ] as const)('%s is accepted, the priority defaulted', (_name, text, format) => {
    const [row] = parseItemsText(text, format, 'f');
    expect(parseInput(contentItemInput, row).priority).toBe('thong-thuong');
  });
});

describe.each(DATABASE_KINDS)('importing items twice on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let planId: number;
  const officer = { name: 'Cán bộ An', role: 'officer' as const, unitId: 'ubnd-xa-tan-lap', source: 'CLI' as const };
  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    planId = (
      await savePlan(db.kysely, { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-lap' }, 'kiểm thử')
    ).plan.id;
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });
  const count = async () =>
    Number(
      (
        await db.kysely
          .selectFrom('content_items')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rows = (text: string) =>
    parseItemsText(text, 'csv', 'f').map((row, i) => parseInput(contentItemInput, row, `dòng ${i + 2}`));

  test('the same file twice adds nothing the second time; a row repeated in one file is one item; an edited row is new', async () => {
    const file = `${HEADER}${planId},thu-tuc-hanh-chinh,ubnd-xa-tan-lap,Một,Nội dung một,\n${planId},chi-so,ubnd-xa-tan-lap,Hai,Nội dung hai,uu-tien\n${planId},chi-so,ubnd-xa-tan-lap,Hai,Nội dung hai,uu-tien\n`;
    const first = await importItemsAs(db.kysely, officer, rows(file));
    expect(first.created.map((i) => i.title)).toEqual(['Một', 'Hai']);
    expect(first.existing).toEqual([]);
    const second = await importItemsAs(db.kysely, officer, rows(`\uFEFF${file}`));
    expect(second.created).toEqual([]);
    expect(second.existing.map((i) => i.id)).toEqual(first.created.map((i) => i.id));
    expect(await count()).toBe(2);
    const edited = await importItemsAs(
      db.kysely,
      officer,
      rows(`${HEADER}${planId},thu-tuc-hanh-chinh,ubnd-xa-tan-lap,Một,Nội dung một (sửa),\n`),
    );
    expect(edited.created).toHaveLength(1);
    expect(await count()).toBe(3);
  });
});

const BAD_DICTIONARY = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-dict-')), 'tu-dien-hong.tsv');
fs.writeFileSync(BAD_DICTIONARY, '# từ điển\nUBND\tỦy ban nhân dân\nmột cột thôi\n');

/** The CLI surface: exit code 1, one Vietnamese sentence, no stack trace, nothing created. */
describe('the command line', () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), ...args], {
        env: { ...process.env, LOA_USER: 'An', ...env },
        cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'loa-cli-')),
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
  const dbFile = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-clidb-')), 'loa.db');
  test.each([
    ['LOA_PORT=abc', ['serve'], { LOA_PORT: 'abc' }, /^Lỗi dữ liệu ở "LOA_PORT": "abc" không phải cổng hợp lệ/],
    [
      'a mysql URL',
      ['plans'],
      { LOA_DATABASE_URL: 'mysql://u:topsecret@h/db' },
      /^Lỗi dữ liệu ở "LOA_DATABASE_URL": kiểu địa chỉ "mysql:"/,
    ],
    ['importing a folder', ['import', os.tmpdir()], {}, /là một thư mục; hãy chỉ ra một tệp kế hoạch/],
    [
      'channel id rss',
      ['channels', 'add', '--unit', 'van-phong-ubnd', '--platform', 'rss', '--name', 'Cổng', '--id', 'rss'],
      {},
      /^Lỗi dữ liệu ở "--id": đã có kênh "rss"/,
    ],
    [
      'a token in settings',
      [
        'channels',
        'add',
        '--unit',
        'van-phong-ubnd',
        '--platform',
        'zalo',
        '--name',
        'Zalo xã',
        '--settings',
        '{"accessToken":"topsecret"}',
      ],
      {},
      /^Lỗi dữ liệu ở "--settings": "accessToken" là bí mật.*--secret-stdin/,
    ],
    [
      'a dictionary path that does not exist',
      ['say', '--tu-dien', '/khong/co/tu-dien.tsv'],
      {},
      /^Lỗi dữ liệu ở "--tu-dien": không có tệp "\/khong\/co\/tu-dien\.tsv"; kiểm tra lại đường dẫn/,
    ],
    [
      'a dictionary path that is a folder',
      ['say', '--tu-dien', os.tmpdir()],
      {},
      /^Lỗi dữ liệu ở "--tu-dien": ".*" là một thư mục; hãy chỉ ra tệp từ điển \.tsv\n$/,
    ],
    [
      'a dictionary with a broken line',
      ['say', '--tu-dien', BAD_DICTIONARY],
      {},
      /^Lỗi dữ liệu ở "--tu-dien": .*tu-dien-hong\.tsv, dòng 3: cần 2 hoặc 3 cột cách nhau bằng TAB/,
    ],
    [
      '--from after --to in the log',
      ['log', '--from', '31/12/2026', '--to', '01/01/2026'],
      {},
      /^Lỗi dữ liệu ở "--from": "31\/12\/2026" ở sau --to "01\/01\/2026": hãy đổi chỗ hai ngày\n$/,
    ],
    [
      'a state the log does not have',
      ['log', '--state', 'xong'],
      {},
      /^Lỗi dữ liệu ở "--state": "xong" không phải trạng thái; chọn trong: đã lên lịch \(scheduled\)/,
    ],
    [
      'withdrawing without a reason',
      ['items', 'withdraw', '1'],
      {},
      /^Lỗi dữ liệu ở "--reason": cần ghi lý do rút nội dung \(--reason hoặc --ly-do\)/,
    ],
    [
      'withdrawing an item that does not exist',
      ['items', 'rut', '9', '--ly-do', 'sai'],
      {},
      /^Lỗi: Không tìm thấy nội dung "9"/,
    ],
    [
      'a unit the log does not know',
      ['log', '--unit', 'UBND xã Không Có'],
      {},
      /^Lỗi dữ liệu ở "--unit": đơn vị "UBND xã Không Có" chưa có trong Loa/,
    ],
  ])(
    '%s',
    async (_name, args, env, message) => {
      const { code, stderr } = await run(args as string[], {
        LOA_DATABASE_URL: dbFile(),
        ...(env as Record<string, string>),
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at |topsecret/);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    },
    60_000,
  );
});

describe('loa doctor never shows a stored secret', () => {
  test('a secret kept in plain channel settings (saved before they were refused) is named by its key, never shown; URL passwords are masked', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-doctor-')), 'loa.db');
    const db = await openStore(file, { defaultUnit: 'Văn phòng UBND' });
    await db.kysely
      .updateTable('channels')
      .set({ settings: JSON.stringify({ pageId: '1', accessToken: 'topsecret-in-settings' }) })
      .where('id', '=', 'rss')
      .execute();
    await db.close();
    const output = await new Promise<string>((resolve) => {
      const env = {
        ...process.env,
        LOA_DATABASE_URL: file,
        LOA_EXPORT_DIR: path.join(path.dirname(file), 'exports'),
        LOA_REDIS_URL: 'redis://:topsecret-redis@127.0.0.1:1',
      };
      const child = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), 'doctor'], { env, cwd: PROJECT });
      let text = '';
      child.stdout.on('data', (d) => (text += d));
      child.stderr.on('data', (d) => (text += d));
      child.on('exit', () => resolve(text));
    });
    expect(output).not.toMatch(/topsecret/);
    expect(output).toContain('Kênh rss: cài đặt "accessToken" chứa bí mật ở dạng thường (giá trị không hiện ở đây)');
    expect(output).toContain('loa channels edit rss --secret-stdin');
    expect(output).toMatch(/Redis redis:\/\/[^ ]*\*\*\*@127\.0\.0\.1:1/);
  }, 120_000);
});
