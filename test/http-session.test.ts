import type { Db } from '../src/store';
import { LOGIN_LIMITS } from '../src/store/credentials';
import { type Accounts, call, PASSWORD, PEOPLE, seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

type Server = Awaited<ReturnType<typeof serveForTest>>;

async function start(
  kind: 'sqlite' | 'postgres',
  publicUrl?: string,
): Promise<{ server: Server; db: Db; accounts: Accounts }> {
  const database = await freshDatabase(kind);
  const config = testConfig(database.url, publicUrl ? { publicUrl } : {});
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  const server = await serveForTest(db, database, config);
  return { server, db, accounts: await seedAccounts(db.kysely) };
}

/** Signs in as a browser would; returns the cookie to send back and the session's CSRF token. */
async function signIn(base: string, name: string, password = PASSWORD, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ name, password }),
  });
  const setCookie = res.headers.get('set-cookie') ?? '';
  const body = (await res.json()) as { csrfToken?: string };
  return {
    status: res.status,
    setCookie,
    cookie: setCookie.split(';')[0]!,
    csrf: body.csrfToken ?? '',
    retryAfter: res.headers.get('retry-after'),
  };
}

// Set-up hashes several passwords (scrypt) and starts servers or worker processes: slow on a busy 2-core machine.
jest.setTimeout(240_000);

describe.each(DATABASE_KINDS)('browser sessions on %s', (kind) => {
  let server: Server;
  let db: Db;
  let accounts: Accounts;
  beforeAll(async () => ({ server, db, accounts } = await start(kind)));
  afterAll(() => server.close());

  test('the session cookie is httpOnly and SameSite=Lax, not Secure over plain HTTP; the session knows its person', async () => {
    const session = await signIn(server.base, PEOPLE.officer.name);
    expect(session.status).toBe(200);
    expect(session.setCookie).toMatch(/^loa_session=[\w-]{40,};/);
    expect(session.setCookie).toMatch(/; HttpOnly/);
    expect(session.setCookie).toMatch(/; SameSite=Lax/);
    expect(session.setCookie).not.toMatch(/Secure/);
    const me = await fetch(`${server.base}/api/session`, { headers: { cookie: session.cookie } });
    expect(await me.json()).toMatchObject({
      user: { name: PEOPLE.officer.name, role: 'officer' },
      csrfToken: session.csrf,
    });
  });

  test('a state-changing request from a browser needs the CSRF token of its session; reading does not', async () => {
    const session = await signIn(server.base, PEOPLE.supervisor.name);
    const send = (headers: Record<string, string>) =>
      fetch(`${server.base}/api/tokens`, {
        method: 'POST',
        headers: { cookie: session.cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ label: 'trình duyệt' }),
      });
    const without = await send({});
    expect(without.status).toBe(403);
    expect(await without.json()).toMatchObject({ error: { field: 'X-CSRF-Token' } });
    expect((await send({ 'x-csrf-token': `${session.csrf.slice(0, -1)}x` })).status).toBe(403);
    const other = await signIn(server.base, PEOPLE.admin.name);
    expect((await send({ 'x-csrf-token': other.csrf })).status).toBe(403);
    expect((await send({ 'x-csrf-token': session.csrf })).status).toBe(201);
    expect((await fetch(`${server.base}/api/items`, { headers: { cookie: session.cookie } })).status).toBe(200);
    // A form posts its token as the _csrf field.
    const form = await fetch(`${server.base}/api/tokens`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ label: 'biểu mẫu', _csrf: session.csrf }),
    });
    expect(form.status).toBe(201);
    // Bearer requests carry no ambient credential and need no CSRF token.
    expect((await call(server.base, 'POST', '/api/tokens', accounts.token.supervisor, { label: 'máy' })).status).toBe(
      201,
    );
    // The audit trail says where each change came from.
    const audit = await call(server.base, 'GET', '/api/audit?action=token.create', accounts.token.admin);
    expect(audit.body.map((e: { source: string; actor: string }) => `${e.actor}/${e.source}`)).toEqual([
      `${PEOPLE.supervisor.name}/API`,
      `${PEOPLE.supervisor.name}/browser`,
      `${PEOPLE.supervisor.name}/browser`,
    ]);
  });

  test('signing out ends the session; a disabled account and a revoked token stop working at once', async () => {
    const session = await signIn(server.base, PEOPLE.otherOfficer.name);
    const out = await fetch(`${server.base}/api/session`, {
      method: 'DELETE',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${server.base}/api/items`, { headers: { cookie: session.cookie } })).status).toBe(401);

    const created = await call(server.base, 'POST', '/api/tokens', accounts.token.otherOfficer, { label: 'tạm' });
    expect((await call(server.base, 'GET', '/api/items', created.body.token)).status).toBe(200);
    expect(
      (await call(server.base, 'DELETE', `/api/tokens/${created.body.id}`, accounts.token.otherOfficer)).status,
    ).toBe(200);
    expect((await call(server.base, 'GET', '/api/items', created.body.token)).status).toBe(401);
    // Someone else's token is not found, not revoked.
    const mine = await call(server.base, 'POST', '/api/tokens', accounts.token.officer, { label: 'của tôi' });
    expect((await call(server.base, 'DELETE', `/api/tokens/${mine.body.id}`, accounts.token.otherOfficer)).status).toBe(
      404,
    );

    const again = await signIn(server.base, PEOPLE.otherSupervisor.name);
    expect(
      (
        await call(
          server.base,
          'POST',
          `/api/users/${encodeURIComponent(PEOPLE.otherSupervisor.name)}/disable`,
          accounts.token.admin,
        )
      ).status,
    ).toBe(200);
    expect((await call(server.base, 'GET', '/api/items', accounts.token.otherSupervisor)).status).toBe(401);
    expect((await fetch(`${server.base}/api/items`, { headers: { cookie: again.cookie } })).status).toBe(401);
    expect((await signIn(server.base, PEOPLE.otherSupervisor.name)).status).toBe(401);
  });

  test('tokens are stored only as hashes', async () => {
    const rows = await db.kysely.selectFrom('api_tokens').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === accounts.token.officer)).toBe(false);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true);
  });
});

describe.each(DATABASE_KINDS)('login throttling on %s', (kind) => {
  let server: Server;
  beforeEach(async () => ({ server } = await start(kind)));
  afterEach(() => server.close());

  test('after too many wrong passwords for one account, even the right one is refused for a while', async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++)
      expect((await signIn(server.base, PEOPLE.officer.name, 'sai-mật-khẩu-rồi')).status).toBe(401);
    const blocked = await signIn(server.base, PEOPLE.officer.name);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    // Another account from the same address still signs in.
    expect((await signIn(server.base, PEOPLE.supervisor.name)).status).toBe(200);
  });

  test('after too many failures from one address, every account is refused from it', async () => {
    for (let i = 0; i < LOGIN_LIMITS.perAddress; i++)
      expect((await signIn(server.base, `không có ${i}`, 'sai-mật-khẩu-rồi')).status).toBe(401);
    expect((await signIn(server.base, PEOPLE.admin.name)).status).toBe(429);
  });

  test('an unknown name and a wrong password get the same answer', async () => {
    const unknown = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Không Ai', password: 'x' }),
    });
    const wrong = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PEOPLE.admin.name, password: 'x' }),
    });
    expect([unknown.status, wrong.status]).toEqual([401, 401]);
    expect(await unknown.json()).toEqual(await wrong.json());
  });
});

describe('behind TLS', () => {
  test('the session cookie is Secure when Loa is served over https', async () => {
    const { server } = await start(DATABASE_KINDS[0]!, 'https://loa.tinh.gov.vn');
    try {
      const session = await signIn(server.base, PEOPLE.officer.name);
      expect(session.setCookie).toMatch(/; Secure/);
      expect(session.setCookie).toMatch(/; HttpOnly/);
    } finally {
      await server.close();
    }
  });
});
