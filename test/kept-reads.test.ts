import { keptRead } from '../src/http/pages/kept-reads';
import type { Db } from '../src/store';
import { connect } from '../src/store/connection';
import { schedulePublications } from '../src/store/publications';
import { PASSWORD, PEOPLE, seedAccounts } from './support/accounts';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { serveForTest } from './support/server';
import { type FreshStore, freshStore } from './support/store-fixture';

/** How many publications the store holds, read through `db`. */
async function countPublications(db: Db): Promise<number> {
  const row = await db.kysely
    .selectFrom('publications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe.each(DATABASE_KINDS)('what desk pages keep while the data does not change (%s)', (kind) => {
  let store: FreshStore;
  /** A second connection to the same database: what another process (a worker, the CLI) writes through. */
  let other: Db;
  let itemIds: number[];

  beforeEach(async () => {
    store = await freshStore(kind);
    other = connect(store.database.url);
    itemIds = await seedItems(store.db.kysely, 3);
  });

  afterEach(async () => {
    await other.close();
    await store.dispose();
  });

  const publish = (db: Db, n: number) =>
    schedulePublications(
      db.kysely,
      [{ itemId: itemIds[n % 3]!, channelId: 'rss', scheduledAt: new Date(Date.UTC(2026, 11, 8, 1, n)) }],
      'kiểm thử',
    );

  test("the database's version stays while only reads happen, and moves with a write here or a commit elsewhere", async () => {
    const { db } = store;
    const first = await db.version();
    await countPublications(db);
    await countPublications(other);
    // PostgreSQL's version is the cluster's snapshot: the other test suites' databases on the same server move it too.
    if (kind === 'sqlite') expect(await db.version()).toBe(first);

    await publish(db, 1);
    const afterOwnWrite = await db.version();
    expect(afterOwnWrite).not.toBe(first);

    await publish(other, 2);
    const afterOtherCommit = await db.version();
    expect(afterOtherCommit).not.toBe(afterOwnWrite);

    // A transaction that wrote and then rolled back may leave the version moved, never back to an earlier one's data.
    await db.kysely
      .transaction()
      .execute(async (tx) => {
        await schedulePublications(
          tx,
          [{ itemId: itemIds[0]!, channelId: 'rss', scheduledAt: new Date(Date.UTC(2026, 11, 9)) }],
          'kiểm thử',
        );
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    expect(await countPublications(db)).toBe(2);
  });

  test('a kept read is read again after a write by this process or another, and not while the version stays', async () => {
    const { db } = store;
    let reads = 0;
    const read = () => {
      reads++;
      return countPublications(db);
    };
    const key = `publications ${kind} ${Math.random()}`;
    expect(await keptRead(db, key, read)).toBe(0);
    await publish(other, 1);
    expect(await keptRead(db, key, read)).toBe(1);
    await publish(db, 2);
    expect(await keptRead(db, key, read)).toBe(2);
    expect(reads).toBe(3);

    // The version held still (as on a quiet server): one read, whatever the number of asks; another key, another read.
    const still = await db.version();
    const pinned: Db = { ...db, version: async () => still };
    const once = `once ${kind} ${Math.random()}`;
    expect(await keptRead(pinned, once, read)).toBe(2);
    expect(await keptRead(pinned, once, read)).toBe(2);
    expect(reads).toBe(4);
    expect(await keptRead(pinned, `${once} again`, read)).toBe(2);
    expect(reads).toBe(5);
  });

  test('callers asking at once share one read, and a read that failed is read again', async () => {
    const still = await store.db.version();
    const pinned: Db = { ...store.db, version: async () => still };
    let reads = 0;
    const key = `shared ${kind} ${Math.random()}`;
    const slow = async () => {
      reads++;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return countPublications(pinned);
    };
    expect(
      await Promise.all([keptRead(pinned, key, slow), keptRead(pinned, key, slow), keptRead(pinned, key, slow)]),
    ).toEqual([0, 0, 0]);
    expect(reads).toBe(1);

    const failing = `failing ${kind} ${Math.random()}`;
    await expect(keptRead(pinned, failing, () => Promise.reject(new Error('mất kết nối')))).rejects.toThrow(
      'mất kết nối',
    );
    expect(await keptRead(pinned, failing, () => countPublications(pinned))).toBe(0);
  });
});

describe.each(DATABASE_KINDS)('desk pages after another process writes (%s)', (kind) => {
  let store: FreshStore;
  let other: Db;
  let server: Awaited<ReturnType<typeof serveForTest>>;
  /** The officer's session cookie: a desk page read with it writes nothing (an API token notes its last use). */
  let cookie: string;
  const look = async (path: string) => {
    const res = await fetch(`${server.base}${path}`, { headers: { cookie } });
    return { status: res.status, text: await res.text(), total: res.headers.get('x-total-count') };
  };

  beforeEach(async () => {
    store = await freshStore(kind);
    other = connect(store.database.url);
    await seedAccounts(store.db.kysely);
    server = await serveForTest(store.db, store.database, store.config);
    const signedIn = await fetch(`${server.base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: PEOPLE.officer.name, password: PASSWORD }),
    });
    cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0]!;
  });

  afterEach(async () => {
    await other.close();
    await server.close();
  });

  test('the calendar, the log and /api/log show a publication another process scheduled, at the next look', async () => {
    const [itemId] = await seedItems(store.db.kysely, 1);
    const day = '/desk/lich?ngay=2026-12';
    const before = await look(day);
    const logBefore = await look('/desk/nhat-ky');
    const apiBefore = await look('/api/log');
    expect(before.status).toBe(200);
    expect(before.text).not.toContain('Bài 1');
    expect(logBefore.text).not.toContain('Bài 1');
    expect(apiBefore.total).toBe('0');

    await schedulePublications(
      other.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date(Date.UTC(2026, 11, 8, 1)) }],
      'tiến trình khác',
    );

    expect((await look(day)).text).toContain('Bài 1');
    expect((await look('/desk/nhat-ky')).text).toContain('Bài 1');
    const apiAfter = await look('/api/log');
    expect(apiAfter.total).toBe('1');
    expect(JSON.parse(apiAfter.text)).toHaveLength(1);
  });
});
