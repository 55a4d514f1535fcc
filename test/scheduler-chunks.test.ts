import type { Platform } from '../src/domain/channel';
import type { PublishQueues } from '../src/queue/queues';
import { scheduleDue } from '../src/queue/scheduler';
import type { Db } from '../src/store';
import { findOwedJobs, listPublications } from '../src/store/publications';
import { insertPublications } from './bench/bench-support';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { testConfig } from './support/services';

/** The scheduler's Redis side, stood in for: records what it was given, fails the chunk it is told to. */
function fakeQueues(failChunk: number) {
  const sent: string[][] = [];
  const queues = {
    async markBuilt() {},
    async addMany(_platform: Platform, publications: ReadonlyArray<{ id: string }>) {
      sent.push(publications.map((p) => p.id));
      const number = sent.length;
      await new Promise((resolve) => setImmediate(resolve));
      if (number === failChunk) throw new Error('Redis mất kết nối');
    },
  };
  return { sent, queues: queues as unknown as PublishQueues };
}

describe.each(DATABASE_KINDS)('the rebuild in chunks on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: testConfig(database.url).defaultUnit });
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  test('a chunk Redis refused stops the sending; only the chunks before it are marked queued', async () => {
    // 12 chunks of 1,000, due in the next minutes, one second apart per round of the 1,000 items.
    const itemIds = await seedItems(db.kysely, 1_000);
    const soon = new Date('2099-01-01T00:00:00Z').getTime();
    await insertPublications(
      db.kysely,
      Array.from({ length: 12_000 }, (_, n) => ({
        itemId: itemIds[n % 1_000]!,
        channelId: 'rss',
        scheduledAt: new Date(soon + Math.floor(n / 1_000) * 1_000),
        state: 'scheduled' as const,
      })),
    );
    const { sent, queues } = fakeQueues(2);
    const now = new Date(soon - 60_000);

    await expect(scheduleDue(db.kysely, queues, { now })).rejects.toThrow('Redis mất kết nối');

    // Sending stopped once the refusal came back, before the last chunk.
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.length).toBeLessThan(12);
    const queued = (await listPublications(db.kysely)).filter((p) => p.state === 'queued').map((p) => p.id);
    expect(queued.sort()).toEqual([...sent[0]!].sort());
    // The rest is still owed: the next run gives it its jobs.
    const owed = await findOwedJobs(db.kysely, new Date(soon + 3_600_000), { includeQueued: false });
    expect(owed).toHaveLength(11_000);
  });

  test('every chunk sent is marked queued, in id order or not', async () => {
    const itemIds = await seedItems(db.kysely, 1_000);
    const soon = new Date('2099-01-01T00:00:00Z').getTime();
    await insertPublications(
      db.kysely,
      Array.from({ length: 2_500 }, (_, n) => ({
        itemId: itemIds[n % 1_000]!,
        channelId: 'rss',
        scheduledAt: new Date(soon + Math.floor(n / 1_000) * 1_000),
        state: (n % 5 ? 'scheduled' : 'queued') as 'scheduled' | 'queued',
      })),
    );
    const { sent, queues } = fakeQueues(0);
    const progress: number[] = [];
    const report = await scheduleDue(db.kysely, queues, {
      now: new Date(soon - 60_000),
      full: true,
      onProgress: (done) => progress.push(done),
    });
    expect(report).toEqual({ owed: 2_500, newlyQueued: 2_000 });
    expect(sent.map((chunk) => chunk.length)).toEqual([1_000, 1_000, 500]);
    expect(progress).toEqual([1_000, 2_000, 2_500]);
    expect((await listPublications(db.kysely)).every((p) => p.state === 'queued')).toBe(true);
  });
});
