import Parser from 'rss-parser';

import { createAdapters } from '../channels';
import { withdrawAs } from '../src/actions/items';
import { queueAs, retryAs } from '../src/actions/publications';
import type { Actor } from '../src/domain/access';
import type { Db } from '../src/store';
import { readAudit } from '../src/store/audit';
import { getItem } from '../src/store/items';
import { getPublication, schedulePublications } from '../src/store/publications';
import { readPublishLog } from '../src/store/publish-log';
import { publishOne } from '../worker/publish-job';
import { type Accounts, call, HOME, seedAccounts } from './support/accounts';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { testConfig } from './support/services';

const OFFICER: Actor = { name: 'Cán bộ An', role: 'officer', unitId: HOME, source: 'CLI' };

describe.each(DATABASE_KINDS)('withdrawing an item on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  let accounts: Accounts;
  let config: ReturnType<typeof testConfig>;
  let itemIds: number[];
  let published: string[];
  let pending: string;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    config = testConfig(database.url, { publicUrl: 'https://cong.example.vn' });
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    accounts = await seedAccounts(db.kysely);
    itemIds = await seedItems(db.kysely, 3);
    const at = Date.UTC(2026, 10, 23, 1, 0, 0);
    const { created } = await schedulePublications(
      db.kysely,
      itemIds.map((itemId, i) => ({ itemId, channelId: 'rss', scheduledAt: new Date(at + i * 60_000) })),
      'cán bộ A',
    );
    // Item 1 also waits on the radio, far ahead: withdrawing it cancels that.
    pending = (
      await schedulePublications(
        db.kysely,
        [{ itemId: itemIds[0]!, channelId: 'radio', scheduledAt: new Date(Date.UTC(2031, 0, 1, 1)) }],
        'cán bộ A',
      )
    ).created[0]!.id;
    const deps = { db: db.kysely, adapters: createAdapters(config), worker: 'test', log: () => undefined };
    for (const publication of created) await publishOne(deps, publication.id, false);
    published = created.map((p) => p.id);
    server = await serveForTest(db, database, config);
  });
  afterAll(async () => {
    await server.close();
    await database.drop();
  });

  test('a published post leaves the feed at once (the cached rendering is invalidated), its post page is gone, the log keeps it as withdrawn with who and why', async () => {
    const before = await new Parser().parseURL(`${server.base}/rss.xml`);
    expect(before.items.map((i) => i.guid)).toEqual([...published].reverse());
    const etag = (await fetch(`${server.base}/rss.xml`)).headers.get('etag')!;

    const result = await withdrawAs(
      db.kysely,
      OFFICER,
      createAdapters(config),
      itemIds[0]!,
      '  Thông tin đã thay đổi  ',
    );
    expect(result.withdrawn.map((p) => p.id)).toEqual([published[0]]);
    expect(result.cancelled.map((p) => p.id)).toEqual([pending]);

    const after = await new Parser().parseURL(`${server.base}/rss.xml`);
    expect(after.items.map((i) => i.guid)).toEqual([published[2], published[1]]);
    const conditional = await fetch(`${server.base}/rss.xml`, { headers: { 'if-none-match': etag } });
    expect(conditional.status).toBe(200);
    expect((await fetch(`${server.base}/posts/${published[0]}`)).status).toBe(404);

    const log = await readPublishLog(db.kysely);
    const entry = log.find((e) => e.publicationId === published[0])!;
    expect(entry.state).toBe('withdrawn');
    expect(entry.reason).toBe('gỡ bởi Cán bộ An: Thông tin đã thay đổi');
    expect((await getPublication(db.kysely, published[0]!)).withdrawal).toEqual({
      by: 'Cán bộ An',
      at: expect.any(Date),
      reason: 'Thông tin đã thay đổi',
    });
    expect((await getPublication(db.kysely, pending)).state).toBe('cancelled');
    expect((await getItem(db.kysely, itemIds[0]!)).withdrawal?.by).toBe('Cán bộ An');
    const audit = await readAudit(db.kysely, { action: 'item.withdraw' });
    expect(audit.some((a) => a.subject === String(itemIds[0]) && a.action === 'item.withdraw')).toBe(true);
  });

  test('withdrawing again changes nothing and keeps the first who and why; a withdrawn item is neither queued nor retried', async () => {
    const again = await withdrawAs(
      db.kysely,
      { ...OFFICER, name: 'Cán bộ Khác' },
      createAdapters(config),
      itemIds[0]!,
      'lần hai',
    );
    expect(again.withdrawn).toEqual([]);
    expect(again.cancelled).toEqual([]);
    expect(again.item.withdrawal).toMatchObject({ by: 'Cán bộ An', reason: 'Thông tin đã thay đổi' });
    await expect(
      queueAs(db.kysely, OFFICER, createAdapters(config), {
        itemIds: [itemIds[0]!],
        channelIds: ['rss'],
        start: new Date(Date.UTC(2031, 1, 1)),
        spacingMs: 0,
      }),
    ).rejects.toThrow(/đã bị rút/);
    await db.kysely.updateTable('publications').set({ state: 'failed' }).where('id', '=', pending).execute();
    await expect(retryAs(db.kysely, OFFICER, pending)).rejects.toThrow(/đã bị rút/);
  });

  test('a reason is required, and refused with control characters', async () => {
    await expect(withdrawAs(db.kysely, OFFICER, createAdapters(config), itemIds[1]!, '   ')).rejects.toThrow(
      /reason: cần ghi lý do/,
    );
    await expect(withdrawAs(db.kysely, OFFICER, createAdapters(config), itemIds[1]!, 'sai\u0000')).rejects.toThrow(
      /^reason: /,
    );
    expect((await getItem(db.kysely, itemIds[1]!)).withdrawal).toBeNull();
  });

  test("POST /api/items/:id/withdraw: the unit's officer withdraws, another unit gets 404, the feed drops the post", async () => {
    const other = await call(server.base, 'POST', `/api/items/${itemIds[1]}/withdraw`, accounts.token.otherOfficer, {
      reason: 'không phải của tôi',
    });
    expect(other.status).toBe(404);
    const empty = await call(server.base, 'POST', `/api/items/${itemIds[1]}/withdraw`, accounts.token.officer, {
      reason: '',
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('reason');
    const res = await call(server.base, 'POST', `/api/items/${itemIds[1]}/withdraw`, accounts.token.officer, {
      reason: 'Sai số liệu',
    });
    expect(res.status).toBe(200);
    expect(res.body.withdrawn.map((p: { id: string; state: string }) => [p.id, p.state])).toEqual([
      [published[1], 'withdrawn'],
    ]);
    expect(res.body.item.withdrawal).toMatchObject({ by: 'Cán bộ An', reason: 'Sai số liệu' });
    const feed = await new Parser().parseURL(`${server.base}/rss.xml`);
    expect(feed.items.map((i) => i.guid)).toEqual([published[2]]);
    // The API's publish log says who took it down and why, as the desk's does.
    const log = await call(server.base, 'GET', '/api/log?state=withdrawn', accounts.token.officer);
    expect(log.status).toBe(200);
    const entry = log.body.find((e: { publicationId: string }) => e.publicationId === published[1]);
    // The same shape as the publication's own: one nested withdrawal, null when not withdrawn.
    expect(entry).toMatchObject({
      state: 'withdrawn',
      withdrawal: { by: 'Cán bộ An', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), reason: 'Sai số liệu' },
    });
    expect(entry).not.toHaveProperty('withdrawnBy');
    expect(res.body.withdrawn[0].withdrawal).toEqual(entry.withdrawal);
    const stillUp = await call(server.base, 'GET', '/api/log?state=published', accounts.token.officer);
    expect(stillUp.body.find((e: { publicationId: string }) => e.publicationId === published[2]).withdrawal).toBeNull();
  });
});
