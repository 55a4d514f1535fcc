import type { FastifyInstance } from 'fastify';

import { createAdapters } from '../channels';
import { withdrawAs } from '../src/actions/items';
import type { Actor } from '../src/domain/access';
import { buildServer } from '../src/http/server';
import type { Db } from '../src/store';
import { schedulePublications } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { HOME } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { testConfig } from './support/services';

const OFFICER: Actor = { name: 'Cán bộ An', role: 'officer', unitId: HOME, source: 'CLI' };
const FRESHNESS_MS = 1_000;

/**
 * The feed reads its stamp at most once per LOA_FEED_FRESHNESS_MS, and polls in between are answered from the cached
 * rendering in front of Fastify. The clock is the test's: it is moved, never waited for.
 */
describe.each(DATABASE_KINDS)('feed freshness interval on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  /** Another connection to the same database: the worker or the desk of another process. */
  let elsewhere: Db;
  let app: FastifyInstance;
  let base: string;
  let clock = Date.UTC(2026, 10, 23, 2, 0, 0);
  let reachedFastify = 0;
  let config: ReturnType<typeof testConfig>;
  let itemIds: number[];
  let first: string;

  const publishElsewhere = async (itemId: number, minute: number) => {
    const { created } = await schedulePublications(
      elsewhere.kysely,
      [{ itemId, channelId: 'rss', scheduledAt: new Date(Date.UTC(2026, 10, 23, 1, minute)) }],
      'cán bộ A',
    );
    await publishOne(
      { db: elsewhere.kysely, adapters: createAdapters(config), worker: 'test', log: () => undefined },
      created[0]!.id,
      false,
    );
    return created[0]!.id;
  };
  const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
    fetch(`${base}${path}`, { method, headers });

  beforeAll(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url, { publicUrl: 'https://cong.example.vn', feedFreshnessMs: FRESHNESS_MS });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    itemIds = await seedItems(db.kysely, 3);
    elsewhere = await openStore(database.url, { defaultUnit: config.defaultUnit });
    first = await publishElsewhere(itemIds[0]!, 0);
    app = await buildServer(db, config, { now: () => clock });
    app.addHook('onRequest', async () => void reachedFastify++);
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app.close();
    await elsewhere.close();
    await db.close();
    await database.drop();
  });

  test('within the interval polls are answered from the cached rendering, without Fastify; 304 for the current ETag, 200 for a stale one', async () => {
    const res = await get('/rss.xml');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain(first);
    const etag = res.headers.get('etag')!;
    const lastModified = res.headers.get('last-modified')!;
    const before = reachedFastify;

    const current = await get('/rss.xml', { 'If-None-Match': etag });
    expect(current.status).toBe(304);
    expect(current.headers.get('etag')).toBe(etag);
    expect(current.headers.get('cache-control')).toBe('no-cache');
    expect((await get('/rss.xml', { 'If-Modified-Since': lastModified })).status).toBe(304);
    const stale = await get('/rss.xml', { 'If-None-Match': '"stale"' });
    expect(stale.status).toBe(200);
    expect(stale.headers.get('content-type')).toBe('application/rss+xml; charset=utf-8');
    expect(await stale.text()).toBe(body);
    const head = await get('/rss.xml', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(await head.text()).toBe('');
    expect(reachedFastify).toBe(before);
  });

  test('a publication made by another connection shows once the interval has passed, and not before (no read per poll)', async () => {
    const etag = (await get('/rss.xml')).headers.get('etag')!;
    const second = await publishElsewhere(itemIds[1]!, 1);
    expect((await get('/rss.xml', { 'If-None-Match': etag })).status).toBe(304);

    clock += FRESHNESS_MS;
    const after = await get('/rss.xml', { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(await after.text()).toContain(second);
  });

  test('a take-down by another connection changes the ETag after the interval', async () => {
    const res = await get('/rss.xml');
    const etag = res.headers.get('etag')!;
    expect(await res.text()).toContain(first);
    await withdrawAs(elsewhere.kysely, OFFICER, createAdapters(config), itemIds[0]!, 'Thông tin đã thay đổi');

    clock += FRESHNESS_MS;
    const after = await get('/rss.xml', { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(await after.text()).not.toContain(first);
  });

  test("a unit's feed keeps its own rendering, checked against the same stamp", async () => {
    const unit = await get('/rss/rss.xml');
    expect(unit.status).toBe(200);
    expect(await unit.text()).toContain('https://cong.example.vn/rss/rss.xml');
    const all = await get('/rss.xml');
    expect(await all.text()).toContain('<atom:link href="https://cong.example.vn/rss.xml"');
    const etag = unit.headers.get('etag')!;
    expect((await get('/rss/rss.xml', { 'If-None-Match': etag })).status).toBe(304);

    const third = await publishElsewhere(itemIds[2]!, 2);
    clock += FRESHNESS_MS;
    const after = await get('/rss/rss.xml', { 'If-None-Match': etag });
    expect(after.status).toBe(200);
    expect(await after.text()).toContain(third);
  });

  test('the feed is public: credentials are not looked at, whether the rendering is cached or not', async () => {
    clock += FRESHNESS_MS; // the stamp is due: this one goes through Fastify and its sign-in hook
    expect((await get('/rss.xml', { Authorization: 'Bearer not-a-token' })).status).toBe(200);
    expect((await get('/rss.xml', { Authorization: 'Bearer not-a-token' })).status).toBe(200);
    // The rest of the site still refuses the bad token.
    expect((await get('/api/plans', { Authorization: 'Bearer not-a-token' })).status).toBe(401);
  });
});
