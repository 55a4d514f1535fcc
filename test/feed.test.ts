import Parser from 'rss-parser';

import { createAdapters } from '../channels';
import type { Db } from '../src/store';
import { editItem } from '../src/store/items';
import { schedulePublications } from '../src/store/publications';
import { readPublishLog } from '../src/store/publish-log';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

describe.each(DATABASE_KINDS)('portal RSS feed on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let base: string;
  let ids: string[];
  let itemIds: number[];
  let later: Awaited<ReturnType<typeof schedulePublications>>;
  let config: ReturnType<typeof testConfig>;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url, { publicUrl: 'https://cong.example.vn' });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    itemIds = await seedItems(db.kysely, 3);
    await editItem(db.kysely, itemIds[2]!, { title: 'Tin <khẩn> & "đặc biệt"' });
    await db.kysely
      .updateTable('content_items')
      .set({ approved_by: 'lãnh đạo B', approved_at: new Date().toISOString() })
      .execute();
    const base0 = Date.UTC(2026, 10, 23, 1, 0, 0);
    const { created } = await schedulePublications(
      db.kysely,
      itemIds.map((itemId, i) => ({ itemId, channelId: 'rss', scheduledAt: new Date(base0 + i * 60_000) })),
      'cán bộ A',
    );
    // One more that is never published must not appear (until the last test publishes it).
    later = await schedulePublications(
      db.kysely,
      [{ itemId: itemIds[0]!, channelId: 'rss', scheduledAt: new Date(base0 + 3600_000) }],
      'cán bộ A',
    );
    const deps = { db: db.kysely, adapters: createAdapters(config), worker: 'test', log: () => undefined };
    for (const publication of created) {
      await publishOne(deps, publication.id, false);
      await new Promise((r) => setTimeout(r, 5)); // distinct published_at, so "newest first" is observable
    }
    ids = created.map((p) => p.id);
    server = await serveForTest(db, database, config);
    base = server.base;
  });
  afterAll(() => server.close());

  test('a real RSS client reads published items only, newest first, with stable guids and escaped text', async () => {
    const feed = await new Parser().parseURL(`${base}/rss.xml`);
    expect(feed.items.map((i) => i.guid)).toEqual([...ids].reverse());
    expect(feed.items[0]!.title).toBe('Tin <khẩn> & "đặc biệt"');
    expect(feed.items[1]!.content).toContain('&lt;b&gt;&amp; nhanh&lt;/b&gt;');
    expect(new Date(feed.items[0]!.pubDate!).toString()).not.toBe('Invalid Date');
    expect(feed.items[0]!.pubDate).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    expect(feed.items[0]!.link).toBe(`https://cong.example.vn/posts/${ids[2]}`);
  });

  test('the feed declares itself with atom:link rel=self', async () => {
    const body = await (await fetch(`${base}/rss.xml`)).text();
    expect(body).toMatch(
      /<atom:link href="https:\/\/cong\.example\.vn\/rss\.xml" rel="self" type="application\/rss\+xml"\/>/,
    );
    expect(body).toContain('<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">');
  });

  test('answers 304 to a matching If-None-Match or If-Modified-Since, 200 otherwise', async () => {
    const first = await fetch(`${base}/rss.xml`);
    const etag = first.headers.get('etag')!;
    const lastModified = first.headers.get('last-modified')!;
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('application/rss+xml');
    expect((await fetch(`${base}/rss.xml`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await fetch(`${base}/rss.xml`, { headers: { 'If-None-Match': '"stale"' } })).status).toBe(200);
    expect((await fetch(`${base}/rss.xml`, { headers: { 'If-Modified-Since': lastModified } })).status).toBe(304);
    expect(
      (
        await fetch(`${base}/rss.xml`, {
          headers: { 'If-Modified-Since': new Date(Date.parse(lastModified) - 60_000).toUTCString() },
        })
      ).status,
    ).toBe(200);
  });

  test('a post page shows the published content; an unknown id is 404', async () => {
    const page = await fetch(`${base}/posts/${ids[2]}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<h1>Tin &#60;khẩn&#62; &#38; &#34;đặc biệt&#34;</h1>');
    expect((await fetch(`${base}/posts/khong-co`)).status).toBe(404);
  });

  test('health is 503 while no worker is connected', async () => {
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ database: true, redis: true, workers: 0, stuck: 0 });
  });

  // Last: it edits an item the tests above read.
  test('the feed, the post page and the log show what was published, not the item as edited afterwards', async () => {
    await editItem(db.kysely, itemIds[2]!, { title: 'Tiêu đề sửa sau khi đăng', body: 'Nội dung sửa sau khi đăng' });
    const feed = await new Parser().parseURL(`${base}/rss.xml`);
    expect(feed.items[0]!.title).toBe('Tin <khẩn> & "đặc biệt"');
    expect(feed.items[0]!.content).not.toContain('sửa sau khi đăng');
    const page = await (await fetch(`${base}/posts/${ids[2]}`)).text();
    expect(page).toContain('<h1>Tin &#60;khẩn&#62; &#38; &#34;đặc biệt&#34;</h1>');
    expect(page).not.toContain('sửa sau khi đăng');
    const log = await readPublishLog(db.kysely, { channelId: 'rss' });
    expect(log.find((l) => l.publicationId === ids[2])!.title).toBe('Tin <khẩn> & "đặc biệt"');
  });

  test('a publication appears in the feed as soon as it is published: the cached feed is replaced', async () => {
    const before = await fetch(`${base}/rss.xml`);
    const etag = before.headers.get('etag')!;
    expect((await fetch(`${base}/rss.xml`, { headers: { 'If-None-Match': etag } })).status).toBe(304);
    await publishOne(
      { db: db.kysely, adapters: createAdapters(config), worker: 'test', log: () => undefined },
      later.created[0]!.id,
      false,
    );
    const after = await fetch(`${base}/rss.xml`, { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain(later.created[0]!.id);
  });
});
