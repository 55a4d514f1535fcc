import type { Db } from '../src/store';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

/** A form with one small file, as a browser or a script would send it to any address. */
function formWithFile(): FormData {
  const form = new FormData();
  form.append('title', 'Bài thử');
  form.append('tep', new Blob(['nội dung tệp'], { type: 'text/plain' }), 'tep.txt');
  return form;
}

describe.each(DATABASE_KINDS)('multipart requests outside the plan upload on %s', (kind) => {
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;

  beforeAll(async () => {
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
    server = await serveForTest(db, database, config);
  });
  afterAll(async () => server?.close());

  test.each(['/desk/bai-viet/moi', '/desk/duyet/1', '/desk/dang-nhap'])(
    'a file sent to %s is refused as not taken there, not as too large',
    async (url) => {
      const response = await fetch(`${server.base}${url}`, {
        method: 'POST',
        body: formWithFile(),
        redirect: 'manual',
      });
      expect(response.status).toBe(415);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toBe('trang này không nhận tệp tải lên');
      expect(body.error.message).not.toContain('quá lớn');
    },
  );

  test('a multipart form without a file still reaches the page (the sign-in form answers about the password)', async () => {
    const form = new FormData();
    form.append('name', 'không có ai');
    form.append('password', 'sai');
    const response = await fetch(`${server.base}/desk/dang-nhap`, { method: 'POST', body: form, redirect: 'manual' });
    const page = await response.text();
    expect(page).toContain('không đúng');
    expect(page).not.toContain('không nhận tệp');
  });

  test('too many fields is said as such', async () => {
    const form = new FormData();
    for (let i = 0; i < 30; i++) form.append(`f${i}`, 'x');
    const response = await fetch(`${server.base}/desk/bai-viet/moi`, {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
      'biểu mẫu có quá nhiều trường',
    );
  });
});
