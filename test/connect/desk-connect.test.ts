import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';

import { createAdapters } from '../../channels';
import { FakeGraphApi } from '../../src/demo/fake-graph-api';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import { buildServer } from '../../src/http/server';
import type { Db } from '../../src/store';
import { readChannelSecret, setChannelSecret } from '../../src/store/channel-secrets';
import { saveChannel } from '../../src/store/channels';
import { listTokenStates, recordTokenProblem } from '../../src/store/token-state';
import { PASSWORD, PEOPLE, seedAccounts } from '../support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { saveCommunePage } from '../support/seed';
import { envFor, PROJECT, testConfig } from '../support/services';

/** Where Loa is reached from outside (the platforms send the admin back here); requests go to the test server. */
const PUBLIC_URL = 'https://loa.example.vn';
const PAGES = { xa: '104500000000001', doan: '104500000000002' };

jest.setTimeout(120_000);

interface Session {
  cookie: string;
  csrf: string;
}

async function signIn(base: string, name: string): Promise<Session> {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return {
    cookie: (res.headers.get('set-cookie') ?? '').split(';')[0]!,
    csrf: ((await res.json()) as { csrfToken: string }).csrfToken,
  };
}

describe.each(DATABASE_KINDS)('connecting a Page and an OA from the desk, against the fakes, on %s', (kind) => {
  let db: Db;
  let database: TestDatabase;
  let app: FastifyInstance;
  let base: string;
  let graph: FakeGraphApi;
  let zalo: FakeZalo;
  let admin: Session;
  let config: ReturnType<typeof testConfig>;
  const keyBefore = process.env.LOA_SECRET_KEY;

  /** A GET as the admin's browser does it, without following redirects. */
  const get = (path: string, session = admin) =>
    fetch(path.startsWith('http') ? path : `${base}${path}`, {
      headers: { cookie: session.cookie },
      redirect: 'manual',
    });
  const post = (path: string, form: Record<string, string>, session = admin) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: session.csrf, ...form }),
      redirect: 'manual',
    });
  /** The platform's consent screen, followed as a browser would: where it sends the admin back (on Loa's public URL). */
  async function consent(authorizeUrl: string): Promise<URL> {
    const res = await fetch(authorizeUrl, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(`${back.origin}${back.pathname}`).toBe(`${PUBLIC_URL}/desk/quan-tri/kenh/ket-noi/xong`);
    return back;
  }
  /** "Kết nối" on a channel: Loa's redirect to the platform. */
  async function start(channelId: string, session = admin): Promise<URL> {
    const res = await get(`/desk/quan-tri/kenh/ket-noi?kenh=${channelId}`, session);
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }
  const messageOf = (res: Response) => {
    const location = new URL(res.headers.get('location') ?? '', base);
    return { done: location.searchParams.get('xong'), error: location.searchParams.get('loi') };
  };

  beforeAll(async () => {
    process.env.LOA_SECRET_KEY = randomBytes(32).toString('base64');
    graph = await new FakeGraphApi().start();
    zalo = new FakeZalo();
    await zalo.start();
    database = await freshDatabase(kind);
    config = testConfig(database.url, { publicUrl: PUBLIC_URL });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    await seedAccounts(db.kysely);
    await saveCommunePage(db.kysely, { pageId: PAGES.xa }, 'kiểm thử');
    await saveChannel(
      db.kysely,
      { id: 'zalo-xa', unitId: 'ubnd-xa-tan-lap', platform: 'zalo', name: 'Zalo OA xã', settings: {} },
      'kiểm thử',
    );
    const adapters = createAdapters(config, undefined, {
      LOA_FACEBOOK_GRAPH_URL: graph.url,
      LOA_FACEBOOK_DIALOG_URL: graph.url,
      LOA_FACEBOOK_APP_ID: graph.appId,
      LOA_FACEBOOK_APP_SECRET: graph.appSecret,
      LOA_ZALO_API_URL: zalo.url,
      LOA_ZALO_OAUTH_URL: zalo.url,
      LOA_ZALO_APP_ID: zalo.appId,
      LOA_ZALO_SECRET_KEY: zalo.secretKey,
    });
    app = await buildServer(db, config, { adapters });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    admin = await signIn(base, PEOPLE.admin.name);
    graph.page(PAGES.xa, 'UBND xã Tân Lập', `EAAPpasted${randomBytes(8).toString('hex')}`);
    graph.page(PAGES.doan, 'Đoàn xã Tân Lập', `EAAPdoan${randomBytes(8).toString('hex')}`);
  });

  afterAll(async () => {
    await app?.close();
    await db?.close();
    await database?.drop();
    await graph?.stop();
    await zalo?.stop();
    if (keyBefore === undefined) delete process.env.LOA_SECRET_KEY;
    else process.env.LOA_SECRET_KEY = keyBefore;
  });

  test('Facebook: the dialog gets a state; a wrong state or another session is refused; the Pages are listed with their scopes; the chosen Page token is stored encrypted', async () => {
    graph.user('nguoi-quan-tri', [PAGES.xa, PAGES.doan]);
    graph.loggedIn = 'nguoi-quan-tri';
    const dialog = await start('trang-xa');
    expect(`${dialog.origin}${dialog.pathname}`).toBe(`${graph.url}/v24.0/dialog/oauth`);
    expect(dialog.searchParams.get('client_id')).toBe(graph.appId);
    expect(dialog.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/desk/quan-tri/kenh/ket-noi/xong`);
    expect(dialog.searchParams.get('scope')!.split(',').sort()).toEqual([
      'pages_manage_posts',
      'pages_read_engagement',
      'pages_show_list',
    ]);
    const state = dialog.searchParams.get('state')!;
    expect(state.length).toBeGreaterThanOrEqual(32);
    const back = await consent(dialog.toString());
    expect(back.searchParams.get('state')).toBe(state);

    // A state Loa never made, and the right state from another admin's session, are both refused; nothing stored.
    const forged = new URL(back);
    forged.searchParams.set('state', `${state.slice(0, -2)}xx`);
    const wrong = await get(`${forged.pathname}${forged.search}`);
    expect(wrong.status).toBe(303);
    expect(messageOf(wrong).error).toMatch(/state.*không khớp/);
    const otherAdmin = await signIn(base, PEOPLE.admin.name);
    const stolen = await get(`${back.pathname}${back.search}`, otherAdmin);
    expect(messageOf(stolen).error).toMatch(/state.*không khớp/);
    expect(await readChannelSecret(db.kysely, 'trang-xa')).toBeNull();

    // The right session: the code becomes a long-lived user token, and the Pages the user manages are offered.
    const listed = await get(`${back.pathname}${back.search}`);
    expect(listed.status).toBe(200);
    const page = await listed.text();
    expect(page).toContain('UBND xã Tân Lập');
    expect(page).toContain('Đoàn xã Tân Lập');
    expect(page).toMatch(/quyền pages_manage_posts, pages_read_engagement, pages_show_list; token không hết hạn/);
    const exchanged = graph.requests.filter((r) => r.path.includes('/oauth/access_token'));
    expect(exchanged.some((r) => r.path.includes('grant_type=fb_exchange_token'))).toBe(true);
    expect(graph.requests.some((r) => r.path.startsWith('/v24.0/me/accounts'))).toBe(true);
    expect(graph.requests.filter((r) => r.path.startsWith('/v24.0/debug_token')).length).toBeGreaterThanOrEqual(3);

    // The code works once: coming back with it again is refused.
    expect(messageOf(await get(`${back.pathname}${back.search}`)).error).toMatch(/đã nhận trả lời/);

    const chosen = await post('/desk/quan-tri/kenh/ket-noi/chon', { state, account: PAGES.doan });
    expect(chosen.status).toBe(303);
    expect(messageOf(chosen).done).toMatch(/Đã kết nối kênh Trang xã \(trang-xa\): Trang «Đoàn xã Tân Lập»/);
    const token = await readChannelSecret(db.kysely, 'trang-xa');
    expect(graph.tokens.get(token!)?.pageId).toBe(PAGES.doan);
    const row = await db.kysely
      .selectFrom('channels')
      .selectAll()
      .where('id', '=', 'trang-xa')
      .executeTakeFirstOrThrow();
    expect(row.secret).not.toContain(token!);
    expect(JSON.parse(row.settings)).toEqual({ pageId: PAGES.doan });
    const stored = (await listTokenStates(db.kysely)).find((s) => s.channelId === 'trang-xa')!;
    expect(stored.lastSuccessAt).not.toBeNull();
    expect(stored.expiresAt).toBeNull();
    expect(stored.summary).toMatch(/pages_manage_posts/);
    // The channel list shows it.
    const list = await (await get('/desk/quan-tri/kenh')).text();
    expect(list).toMatch(/id="kenh-trang-xa"[\s\S]*?đang kết nối[\s\S]*?lần cuối nền tảng nhận: \d\d\/\d\d\/\d{4}/);
    expect(list).toContain('/desk/quan-tri/kenh/ket-noi?kenh=trang-xa');
  });

  test('an officer or a supervisor is refused "Kết nối" with a Vietnamese page that says it is for admins, and is not sent to the platform', async () => {
    for (const person of [PEOPLE.officer, PEOPLE.supervisor]) {
      const session = await signIn(base, person.name);
      const res = await get('/desk/quan-tri/kenh/ket-noi?kenh=trang-xa', session);
      expect(res.status).toBe(403);
      const page = await res.text();
      expect(page).toContain('<title>Không được phép · Loa</title>');
      expect(page).toMatch(
        /Chỉ quản trị viên (mở được trang quản trị|đã đăng nhập ở bàn làm việc kết nối được kênh)\./,
      );
      expect(page).not.toContain('facebook.com');
    }
    expect((await get('/desk/quan-tri/kenh/ket-noi?kenh=trang-xa')).status).toBe(302);
  });

  test('Facebook: a person who declines in the dialog is told so, and nothing is stored', async () => {
    graph.user('nguoi-tu-choi', [PAGES.xa]);
    graph.loggedIn = 'nguoi-tu-choi';
    graph.denying = true;
    const before = await readChannelSecret(db.kysely, 'trang-xa');
    try {
      const back = await consent((await start('trang-xa')).toString());
      expect(back.searchParams.get('code')).toBeNull();
      const res = await get(`${back.pathname}${back.search}`);
      expect(messageOf(res).error).toMatch(/Facebook không cấp quyền \(user_denied\).*Kết nối lại/);
    } finally {
      graph.denying = false;
    }
    expect(await readChannelSecret(db.kysely, 'trang-xa')).toBe(before);
  });

  test('Facebook: a Page token missing a permission is refused, naming it in Vietnamese', async () => {
    graph.user('nguoi-thieu-quyen', [PAGES.xa], ['pages_show_list', 'pages_manage_posts']);
    graph.loggedIn = 'nguoi-thieu-quyen';
    const before = await readChannelSecret(db.kysely, 'trang-xa');
    const back = await consent((await start('trang-xa')).toString());
    const res = await get(`${back.pathname}${back.search}`);
    expect(messageOf(res).error).toMatch(/thiếu pages_read_engagement \(đọc bài của Trang/);
    expect(await readChannelSecret(db.kysely, 'trang-xa')).toBe(before);
  });

  test('Zalo: the consent screen gets state and a PKCE challenge; the code and verifier give a pair stored encrypted with both expiries', async () => {
    const permission = await start('zalo-xa');
    expect(`${permission.origin}${permission.pathname}`).toBe(`${zalo.url}/v4/oa/permission`);
    expect(permission.searchParams.get('app_id')).toBe(zalo.appId);
    expect(permission.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const state = permission.searchParams.get('state')!;
    const back = await consent(permission.toString());
    expect(back.searchParams.get('state')).toBe(state);
    expect(back.searchParams.get('oa_id')).toBeTruthy();
    const before = Date.now();
    const res = await get(`${back.pathname}${back.search}`);
    expect(messageOf(res).done).toMatch(/Đã kết nối kênh Zalo OA xã \(zalo-xa\): OA «UBND xã Tân Lập», đã xác thực/);
    const pair = JSON.parse((await readChannelSecret(db.kysely, 'zalo-xa'))!) as Record<string, string>;
    expect(zalo.isValidAccess(pair.accessToken!)).toBe(true);
    expect(zalo.isValidRefresh(pair.refreshToken!)).toBe(true);
    const stored = (await listTokenStates(db.kysely)).find((s) => s.channelId === 'zalo-xa')!;
    const hours = (stored.expiresAt!.getTime() - before) / 3600_000;
    expect(hours).toBeGreaterThan(24.9);
    expect(hours).toBeLessThan(25.1);
    const days = (stored.refreshExpiresAt!.getTime() - before) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    // The same address again: the state is spent.
    expect(messageOf(await get(`${back.pathname}${back.search}`)).error).toMatch(/state.*không khớp/);
  });

  test('pasting stays possible, with the same checks: a user token or a dead Zalo pair is refused, a Page token is stored with its scopes', async () => {
    const save = (platform: string, id: string, settings: string, secret: string) =>
      post('/desk/quan-tri/kenh', { id, unit: 'ubnd-xa-tan-lap', platform, name: id, settings, secret, edit: 'co' });
    const userToken = `EAAS${randomBytes(8).toString('hex')}`;
    graph.users.set('u-paste', { id: 'u-paste', pages: [PAGES.xa] });
    (graph as unknown as { userTokens: Map<string, unknown> }).userTokens.set(userToken, {
      userId: 'u-paste',
      longLived: true,
      scopes: ['pages_show_list'],
    });
    const refused = await save('facebook', 'trang-xa', JSON.stringify({ pageId: PAGES.xa }), userToken);
    expect(messageOf(refused).error).toMatch(/bí mật.*token người dùng, không phải token của Trang/);

    const pageToken = [...graph.tokens.entries()].find(([, g]) => g.pageId === PAGES.xa)![0];
    const saved = await save('facebook', 'trang-xa', JSON.stringify({ pageId: PAGES.xa }), pageToken);
    expect(messageOf(saved).done).toMatch(/bí mật đã được mã hóa và lưu/);
    expect(await readChannelSecret(db.kysely, 'trang-xa')).toBe(pageToken);
    expect((await listTokenStates(db.kysely)).find((s) => s.channelId === 'trang-xa')!.summary).toMatch(
      /pages_manage_posts.*không hết hạn/,
    );

    const dead = zalo.issuePair();
    zalo.revokeAccess(dead.accessToken);
    const zaloRefused = await save('zalo', 'zalo-xa', '{}', JSON.stringify(dead));
    expect(messageOf(zaloRefused).error).toMatch(/bí mật.*getoa.*-216/);
  });

  test('loa channels connect: prints the consent address, takes the address the browser landed on pasted back, and stores the pair', async () => {
    const before = await readChannelSecret(db.kysely, 'zalo-xa');
    const child = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), 'channels', 'connect', 'zalo-xa'], {
      cwd: PROJECT,
      env: envFor(config, {
        LOA_SECRET_KEY: process.env.LOA_SECRET_KEY!,
        LOA_ZALO_API_URL: zalo.url,
        LOA_ZALO_OAUTH_URL: zalo.url,
        LOA_ZALO_APP_ID: zalo.appId,
        LOA_ZALO_SECRET_KEY: zalo.secretKey,
      }),
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const printed = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout.on('data', (d: Buffer) => {
        text += d.toString();
        out += d.toString();
        const address = /(http:\/\/\S+\/v4\/oa\/permission\S+)/.exec(text);
        if (address) resolve(address[1]!);
      });
      child.on('close', () => reject(new Error(`loa channels connect ended without an address:\n${out}`)));
    });
    const shown = new URL(printed);
    expect(shown.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const back = await consent(printed);
    child.stdin.end(`${back.toString()}\n`);
    expect(await exited).toBe(0);
    expect(out).toMatch(/Đã kết nối kênh zalo-xa với UBND xã Tân Lập/);
    const pair = JSON.parse((await readChannelSecret(db.kysely, 'zalo-xa'))!) as Record<string, string>;
    expect(pair.accessToken).not.toBe(JSON.parse(before ?? '{}').accessToken);
    expect(zalo.isValidAccess(pair.accessToken!)).toBe(true);
    expect(out).not.toContain(pair.accessToken!);
  });

  test('every admin page shows a banner when a connection is lost or expires within 14 days, with the action that fixes it', async () => {
    const quiet = await (await get('/desk/quan-tri/don-vi')).text();
    expect(quiet).not.toContain('Kết nối kênh cần xử lý');
    // Whatever the tests before left: both channels hold a secret.
    await setChannelSecret(db.kysely, 'trang-xa', 'EAAPbat-ky', 'kiểm thử');
    await setChannelSecret(db.kysely, 'zalo-xa', JSON.stringify(zalo.issuePair()), 'kiểm thử');
    await recordTokenProblem(db.kysely, 'trang-xa', 'Facebook từ chối token của Trang (mã 190)');
    await db.kysely
      .updateTable('channels')
      .set({ refresh_expires_at: new Date(Date.now() + 3.5 * 86_400_000).toISOString() })
      .where('id', '=', 'zalo-xa')
      .execute();
    for (const section of ['don-vi', 'tai-khoan', 'kenh', 'mau']) {
      const page = await (await get(`/desk/quan-tri/${section}`)).text();
      expect(page).toContain('Kết nối kênh cần xử lý');
      expect(page).toMatch(
        /Kênh trang-xa mất kết nối: Facebook từ chối token của Trang \(mã 190\)\. Quản trị viên bấm &quot;Kết nối&quot; ở kênh trang-xa/,
      );
      expect(page).toMatch(
        /Kết nối của kênh zalo-xa hết hạn \d\d\/\d\d\/\d{4} \d\d:\d\d \(còn 3 ngày\)\. .*loa channels connect zalo-xa trước ngày đó/,
      );
    }
    const list = await (await get('/desk/quan-tri/kenh')).text();
    expect(list).toMatch(/id="kenh-trang-xa"[\s\S]*?mất kết nối/);
  });
});
