import { type Accounts, call, seedAccounts } from './support/accounts';
import { serveForTest } from './support/server';
import { freshStore } from './support/store-fixture';

describe('the site a person reaches: front door, unknown addresses, help', () => {
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let accounts: Accounts;

  beforeAll(async () => {
    const fixture = await freshStore('sqlite');
    accounts = await seedAccounts(fixture.db.kysely);
    server = await serveForTest(fixture.db, fixture.database, fixture.config);
  });

  afterAll(async () => {
    await server?.close();
  });

  test('/ leads to the desk, and the desk to its sign-in form', async () => {
    const root = await fetch(`${server.base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/desk');
    const page = await fetch(`${server.base}/`);
    expect(page.url).toContain('/desk/dang-nhap');
    expect(await page.text()).toContain('Tên đăng nhập');
  });

  test('an unknown page is a Vietnamese HTML page with the way back; the API keeps JSON, in Vietnamese', async () => {
    const page = await call(server.base, 'GET', '/khong-co-trang-nay', null);
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('Không có trang này');
    expect(page.body).toContain('href="/desk/lich"');
    expect(page.body).not.toMatch(/not found/i);
    const api = await call(server.base, 'GET', '/api/khong-co', accounts.token.officer);
    expect(api.status).toBe(404);
    expect(api.body.error.message).toContain('không có địa chỉ GET /api/khong-co');
  });

  test("a refusal of what a person's browser sent is a Vietnamese page; a script that asks for JSON keeps JSON", async () => {
    const tooLong = `/desk/lich?xem=${'x'.repeat(101)}`;
    const headers = { authorization: `Bearer ${accounts.token.officer}` };
    const page = await fetch(`${server.base}${tooLong}`, {
      headers: { ...headers, accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' },
    });
    expect(page.status).toBe(400);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Không làm được yêu cầu');
    expect(html).toMatch(/lỗi 400\): yêu cầu không hợp lệ: .*xem/);
    expect(html).toContain('href="/desk/lich"');
    expect(html).not.toContain('{"error"');
    const script = await call(server.base, 'GET', tooLong, accounts.token.officer);
    expect(script.status).toBe(400);
    expect(script.body.error.message).toMatch(/^yêu cầu không hợp lệ: /);
  });

  test('the tab icon is served, and help is a page of the desk', async () => {
    const icon = await fetch(`${server.base}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    const help = await call(server.base, 'GET', '/desk/tro-giup', accounts.token.officer);
    expect(help.status).toBe(200);
    expect(help.body).toContain('Bắt đầu từ kế hoạch');
  });
});
