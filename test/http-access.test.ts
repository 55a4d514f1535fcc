import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Db } from '../src/store';
import { createToken } from '../src/store/credentials';
import { addItems } from '../src/store/items';
import { savePlan } from '../src/store/plans';
import { schedulePublications } from '../src/store/publications';
import { createUser } from '../src/store/users';
import { type Accounts, call, HOME, PASSWORD, PEOPLE, type Person, seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { minimalPlan } from './support/seed';
import { serveForTest } from './support/server';
import { PROJECT, testConfig } from './support/services';

const PLAN_FILE = fs.readFileSync(path.join(PROJECT, 'test/fixtures/plans/ninh-thuan-2023-ubnd-911.txt'));
const WHO: Array<Person | 'anonymous'> = [
  'anonymous',
  'officer',
  'supervisor',
  'admin',
  'otherOfficer',
  'otherSupervisor',
];

interface Ctx {
  db: Db;
  accounts: Accounts;
  planId: number;
  /** A fresh number for names and times, so every case has its own things. */
  next(): number;
}

interface Request {
  path: string;
  body?: unknown;
  /** A raw document upload instead of JSON. */
  raw?: { bytes: Buffer; headers: Record<string, string> };
}

/**
 * One row per route (some routes twice, for a unit-scoped body): the method, the route as the OpenAPI document
 * names it, the status each person gets (in WHO's order), and how to make that person's case.
 */
interface Row {
  method: string;
  route: string;
  expect: [
    anonymous: number,
    officer: number,
    supervisor: number,
    admin: number,
    otherOfficer: number,
    otherSupervisor: number,
  ];
  prepare(ctx: Ctx, who: Person | 'anonymous'): Promise<Request>;
}

async function newItem(ctx: Ctx, author: string = PEOPLE.officer.name): Promise<number> {
  const n = ctx.next();
  const [item] = await addItems(
    ctx.db.kysely,
    [
      {
        plan: ctx.planId,
        area: 'thu-tuc-hanh-chinh',
        unit: HOME,
        title: `Bài ${n}`,
        body: `Nội dung ${n}`,
        link: null,
        image: null,
        priority: 'thong-thuong',
      },
    ],
    author,
  );
  return item!.id;
}

async function newPublication(ctx: Ctx, state?: string): Promise<string> {
  const itemId = await newItem(ctx);
  // Far from today, so no worker or scheduler ever touches it during the test.
  const at = new Date(Date.UTC(2031, 0, 1, 1, 0, 0) + ctx.next() * 60_000);
  const { created } = await schedulePublications(
    ctx.db.kysely,
    [{ itemId, channelId: 'rss', scheduledAt: at }],
    PEOPLE.officer.name,
  );
  if (state) await ctx.db.kysely.updateTable('publications').set({ state }).where('id', '=', created[0]!.id).execute();
  return created[0]!.id;
}

async function resumeAll(ctx: Ctx): Promise<void> {
  await ctx.db.kysely
    .updateTable('publishing_pauses')
    .set({ resumed_at: new Date().toISOString(), resumed_by: 'kiểm thử' })
    .where('resumed_at', 'is', null)
    .execute();
}

const itemBody = (ctx: Ctx) => ({
  plan: ctx.planId,
  area: 'thu-tuc-hanh-chinh',
  unit: HOME,
  title: `Bài mới ${ctx.next()}`,
  body: 'Nội dung',
});
const all = (ok: number): Row['expect'] => [401, ok, ok, ok, ok, ok];
const adminOnly = (ok: number): Row['expect'] => [401, 403, 403, ok, 403, 403];
const homeUnit = (ok: number, officer = ok): Row['expect'] => [401, officer, ok, ok, 404, 404];

const ROWS: Row[] = [
  { method: 'GET', route: '/api/session', expect: all(200), prepare: async () => ({ path: '/api/session' }) },
  {
    method: 'DELETE',
    route: '/api/session',
    expect: [200, 200, 200, 200, 200, 200],
    prepare: async () => ({ path: '/api/session' }),
  },
  {
    method: 'POST',
    route: '/api/session',
    expect: [200, 200, 200, 200, 200, 200],
    prepare: async () => ({ path: '/api/session', body: { name: PEOPLE.supervisor.name, password: PASSWORD } }),
  },
  { method: 'GET', route: '/api/units', expect: all(200), prepare: async () => ({ path: '/api/units' }) },
  {
    method: 'POST',
    route: '/api/units',
    expect: adminOnly(201),
    prepare: async (ctx) => ({ path: '/api/units', body: { name: `Xã Mới ${ctx.next()}` } }),
  },
  { method: 'GET', route: '/api/channels', expect: all(200), prepare: async () => ({ path: '/api/channels' }) },
  {
    method: 'PUT',
    route: '/api/channels/{id}',
    expect: adminOnly(200),
    prepare: async (ctx) => ({
      path: `/api/channels/kenh-${ctx.next()}`,
      body: { unit: HOME, platform: 'rss', name: 'Cổng mới' },
    }),
  },
  {
    method: 'GET',
    route: '/api/users',
    expect: [401, 403, 200, 200, 403, 200],
    prepare: async () => ({ path: '/api/users' }),
  },
  {
    method: 'POST',
    route: '/api/users',
    expect: adminOnly(201),
    prepare: async (ctx) => ({
      path: '/api/users',
      body: { name: `Người mới ${ctx.next()}`, unit: HOME, role: 'officer', password: PASSWORD },
    }),
  },
  {
    method: 'PUT',
    route: '/api/users/{name}/password',
    expect: adminOnly(200),
    prepare: async (ctx) => {
      const user = await createUser(
        ctx.db.kysely,
        { name: `Người đổi ${ctx.next()}`, unitId: HOME, role: 'officer', password: PASSWORD },
        'kiểm thử',
      );
      return {
        path: `/api/users/${encodeURIComponent(user.name)}/password`,
        body: { password: 'mật-khẩu-mới-rất-dài' },
      };
    },
  },
  {
    method: 'POST',
    route: '/api/users/{name}/disable',
    expect: adminOnly(200),
    prepare: async (ctx) => {
      const user = await createUser(
        ctx.db.kysely,
        { name: `Người khóa ${ctx.next()}`, unitId: HOME, role: 'officer', password: PASSWORD },
        'kiểm thử',
      );
      return { path: `/api/users/${encodeURIComponent(user.name)}/disable` };
    },
  },
  { method: 'GET', route: '/api/tokens', expect: all(200), prepare: async () => ({ path: '/api/tokens' }) },
  {
    method: 'POST',
    route: '/api/tokens',
    expect: all(201),
    prepare: async () => ({ path: '/api/tokens', body: { label: 'máy khác' } }),
  },
  {
    method: 'DELETE',
    route: '/api/tokens/{id}',
    expect: all(200),
    prepare: async (ctx, who) => {
      const owner = ctx.accounts.userId[who === 'anonymous' ? 'officer' : who];
      const { record } = await createToken(ctx.db.kysely, owner, 'thu hồi');
      return { path: `/api/tokens/${record.id}` };
    },
  },
  { method: 'GET', route: '/api/plans', expect: all(200), prepare: async () => ({ path: '/api/plans' }) },
  {
    method: 'POST',
    route: '/api/plans',
    // 201 the first time the document arrives, 200 (unchanged) after: both mean allowed; checked as 2xx.
    expect: all(200),
    prepare: async () => ({
      path: '/api/plans',
      raw: {
        bytes: PLAN_FILE,
        headers: { 'content-type': 'application/octet-stream', 'x-loa-filename': 'ke-hoach.txt' },
      },
    }),
  },
  {
    method: 'GET',
    route: '/api/plans/{id}',
    expect: all(200),
    prepare: async (ctx) => ({ path: `/api/plans/${ctx.planId}` }),
  },
  {
    method: 'POST',
    route: '/api/plans/{id}/calendar',
    expect: all(200),
    prepare: async (ctx) => ({
      path: `/api/plans/${ctx.planId}/calendar`,
      body: { from: '01/06/2031', to: '30/06/2031' },
    }),
  },
  {
    method: 'POST',
    route: '/api/plans/{id}/calendar',
    expect: homeUnit(200),
    prepare: async (ctx) => ({
      path: `/api/plans/${ctx.planId}/calendar`,
      body: { from: '01/06/2031', to: '07/06/2031', unit: HOME, apply: true },
    }),
  },
  { method: 'GET', route: '/api/items', expect: all(200), prepare: async () => ({ path: '/api/items' }) },
  {
    method: 'GET',
    route: '/api/items/{id}',
    expect: homeUnit(200),
    prepare: async (ctx) => ({ path: `/api/items/${await newItem(ctx)}` }),
  },
  // Writing for another unit is bad input (the unit field), not a secret: units are listed to everyone.
  {
    method: 'POST',
    route: '/api/items',
    expect: [401, 201, 201, 201, 400, 400],
    prepare: async (ctx) => ({ path: '/api/items', body: itemBody(ctx) }),
  },
  {
    method: 'PATCH',
    route: '/api/items/{id}',
    expect: homeUnit(200),
    prepare: async (ctx) => ({ path: `/api/items/${await newItem(ctx)}`, body: { title: 'Tiêu đề đã sửa' } }),
  },
  {
    method: 'POST',
    route: '/api/items/import',
    expect: [401, 201, 201, 201, 400, 400],
    prepare: async (ctx) => ({
      path: '/api/items/import',
      body: { format: 'json', content: JSON.stringify([itemBody(ctx), itemBody(ctx)]) },
    }),
  },
  // The officer wrote the item: refused for the role; the others of the home unit are not its author.
  {
    method: 'POST',
    route: '/api/items/{id}/approve',
    expect: homeUnit(200, 403),
    prepare: async (ctx) => ({ path: `/api/items/${await newItem(ctx)}/approve`, body: {} }),
  },
  {
    method: 'POST',
    route: '/api/items/{id}/reject',
    expect: homeUnit(200, 403),
    prepare: async (ctx) => ({
      path: `/api/items/${await newItem(ctx)}/reject`,
      body: { reason: 'Thiếu số điện thoại liên hệ' },
    }),
  },
  {
    method: 'POST',
    route: '/api/items/{id}/withdraw',
    expect: homeUnit(200),
    prepare: async (ctx) => ({
      path: `/api/items/${await newItem(ctx)}/withdraw`,
      body: { reason: 'Thông tin đã thay đổi' },
    }),
  },
  {
    method: 'POST',
    route: '/api/queue',
    expect: homeUnit(201),
    prepare: async (ctx) => ({
      path: '/api/queue',
      body: { items: [await newItem(ctx)], channels: ['rss'], at: `0${1 + (ctx.next() % 9)}/02/2031 08:30` },
    }),
  },
  {
    method: 'POST',
    route: '/api/publications/{id}/cancel',
    expect: homeUnit(200),
    prepare: async (ctx) => ({ path: `/api/publications/${await newPublication(ctx)}/cancel`, body: {} }),
  },
  {
    method: 'POST',
    route: '/api/publications/{id}/retry',
    expect: homeUnit(200),
    prepare: async (ctx) => ({ path: `/api/publications/${await newPublication(ctx, 'failed')}/retry` }),
  },
  {
    method: 'GET',
    route: '/api/log',
    expect: all(200),
    prepare: async () => ({ path: '/api/log?state=scheduled,failed' }),
  },
  {
    method: 'GET',
    route: '/api/audit',
    expect: [401, 403, 200, 200, 403, 200],
    prepare: async () => ({ path: '/api/audit' }),
  },
  { method: 'GET', route: '/api/pause', expect: all(200), prepare: async () => ({ path: '/api/pause' }) },
  {
    method: 'POST',
    route: '/api/pause',
    expect: [401, 403, 201, 201, 403, 201],
    prepare: async (ctx) => {
      await resumeAll(ctx);
      return { path: '/api/pause', body: { reason: 'Ngày quốc tang' } };
    },
  },
  {
    method: 'POST',
    route: '/api/pause',
    expect: homeUnit(201, 403),
    prepare: async (ctx) => {
      await resumeAll(ctx);
      return { path: '/api/pause', body: { unit: HOME, reason: 'Bài đăng sai' } };
    },
  },
  {
    method: 'POST',
    route: '/api/pause/resume',
    expect: homeUnit(200, 403),
    prepare: async (ctx) => {
      await resumeAll(ctx);
      await ctx.db.kysely
        .insertInto('publishing_pauses')
        .values({ unit_id: HOME, reason: 'Bài đăng sai', paused_by: 'kiểm thử', paused_at: new Date().toISOString() })
        .execute();
      return { path: '/api/pause/resume', body: { unit: HOME } };
    },
  },
  { method: 'GET', route: '/api/health', expect: all(200), prepare: async () => ({ path: '/api/health' }) },
];

// Set-up hashes several passwords (scrypt) and starts servers or worker processes: slow on a busy 2-core machine.
jest.setTimeout(240_000);

describe.each(DATABASE_KINDS)('who may call which route, on %s', (kind) => {
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let ctx: Ctx;

  beforeAll(async () => {
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    server = await serveForTest(db, database, config);
    const accounts = await seedAccounts(db.kysely);
    const saved = await savePlan(
      db.kysely,
      { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' },
      'kiểm thử',
    );
    let counter = 0;
    ctx = { db, accounts, planId: saved.plan.id, next: () => ++counter };
  });
  afterAll(() => server.close());

  test.each(
    ROWS.map(
      (row, i) =>
        [
          `${row.method} ${row.route}${ROWS.findIndex((r) => r.route === row.route && r.method === row.method) === i ? '' : ' (đơn vị)'}`,
          row,
        ] as const,
    ),
  )('%s', async (_name, row) => {
    const got: number[] = [];
    for (const who of WHO) {
      const request = await row.prepare(ctx, who);
      const token = who === 'anonymous' ? null : ctx.accounts.token[who];
      let status: number;
      let body: unknown;
      if (request.raw) {
        const res = await fetch(`${server.base}${request.path}`, {
          method: row.method,
          body: new Uint8Array(request.raw.bytes),
          headers: { ...request.raw.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
        });
        status = res.status;
        body = await res.json();
        if (status === 201) status = 200;
      } else {
        ({ status, body } = await call(server.base, row.method, request.path, token, request.body));
      }
      got.push(status);
      // Every refusal says why, in words, as { error: { message } }.
      if (status >= 400) expect(body).toEqual({ error: expect.objectContaining({ message: expect.any(String) }) });
    }
    expect(Object.fromEntries(WHO.map((w, i) => [w, got[i]]))).toEqual(
      Object.fromEntries(WHO.map((w, i) => [w, row.expect[i]])),
    );
  });

  test("another unit's ids are answered exactly like ids that do not exist", async () => {
    const itemId = await newItem(ctx);
    const publicationId = await newPublication(ctx);
    const other = ctx.accounts.token.otherSupervisor;
    const pairs: Array<[string, string, string, unknown]> = [
      ['GET', `/api/items/${itemId}`, '/api/items/999999', undefined],
      ['PATCH', `/api/items/${itemId}`, '/api/items/999999', { title: 'x' }],
      ['POST', `/api/items/${itemId}/approve`, '/api/items/999999/approve', {}],
      [
        'POST',
        `/api/publications/${publicationId}/cancel`,
        '/api/publications/i999999-rss-20310101T010000Z/cancel',
        {},
      ],
    ];
    for (const [method, existing, missing, body] of pairs) {
      const a = await call(server.base, method, existing, other, body);
      const b = await call(server.base, method, missing, other, body);
      expect([a.status, b.status]).toEqual([404, 404]);
      // Same sentence, only the id differs.
      expect(a.body.error.message.replace(/"[^"]*"/, 'ID')).toBe(b.body.error.message.replace(/"[^"]*"/, 'ID'));
    }
    const listed = await call(server.base, 'GET', '/api/items', other);
    expect(listed.body.some((i: { id: number }) => i.id === itemId)).toBe(false);
    const log = await call(server.base, 'GET', `/api/log?unit=${HOME}`, other);
    expect(log.body).toEqual([]);
  });

  test('a bad request gets 400 naming the field, in Vietnamese', async () => {
    const token = ctx.accounts.token.officer;
    const missing = await call(server.base, 'POST', '/api/items', token, {
      plan: ctx.planId,
      area: 'thu-tuc-hanh-chinh',
      unit: HOME,
      body: 'Nội dung',
    });
    expect(missing).toMatchObject({
      status: 400,
      body: { error: { field: 'title', message: 'thiếu, bắt buộc phải có' } },
    });
    const badTime = await call(server.base, 'POST', '/api/queue', token, {
      items: [await newItem(ctx)],
      channels: ['rss'],
      at: 'ngày mai',
    });
    expect(badTime).toMatchObject({
      status: 400,
      body: { error: { field: 'at', message: expect.stringContaining('không phải thời điểm hợp lệ') } },
    });
    const badType = await call(server.base, 'POST', '/api/queue', token, {
      items: ['một'],
      channels: ['rss'],
      at: '+1d',
    });
    expect(badType).toMatchObject({
      status: 400,
      body: { error: { field: 'items.0', message: expect.stringMatching(/không hợp lệ|số/) } },
    });
    const badRow = await call(server.base, 'POST', '/api/items/import', token, {
      format: 'csv',
      content: `plan,area,unit,title,body\n${ctx.planId},thu-tuc-hanh-chinh,${HOME},Bài,Nội dung\n${ctx.planId},khong-co,${HOME},Bài,Nội dung\n`,
    });
    expect(badRow).toMatchObject({ status: 400, body: { error: { field: 'dòng 3.area' } } });
  });

  test('the OpenAPI document validates and lists every route, each with the table above', async () => {
    const res = await call(server.base, 'GET', '/api/openapi.json', null);
    expect(res.status).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-openapi-')), 'openapi.json');
    fs.writeFileSync(file, JSON.stringify(res.body));
    // The validator is an ES module: run its own command in a child process rather than through jest's loader.
    const check = spawnSync(
      process.execPath,
      [path.join(PROJECT, 'node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js'), file],
      { encoding: 'utf8' },
    );
    expect(JSON.parse(check.stdout)).toEqual({ valid: true });
    const documented = Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(
      ([route, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${route}`),
    );
    const tabled = [...new Set(ROWS.map((r) => `${r.method} ${r.route}`))];
    expect(documented.sort()).toEqual(tabled.sort());
  });
});
