import type { Db } from '../src/store';
import { listPublications, schedulePublications } from '../src/store/publications';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { envFor, startWorkerProcess, stopChild, testConfig, waitFor } from './support/services';

/**
 * A worker started with a backlog publishes it during its start-up scheduling: its listeners are attached before
 * that, so `loa worker` logs every one of those publications, not only the ones after start-up.
 */
describe.each(DATABASE_KINDS)('worker start-up log on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  test('every publication of a start-up backlog has its line in the log', async () => {
    const config = testConfig(database.url);
    const itemIds = await seedItems(db.kysely, 30);
    const due = new Date(Date.now() - 60_000);
    const { created } = await schedulePublications(
      db.kysely,
      itemIds.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: due })),
      'kiểm thử',
    );
    const worker = await startWorkerProcess(envFor(config));
    try {
      await waitFor(
        async () => (await listPublications(db.kysely, { states: ['published'] })).length === created.length,
        90_000,
        'the backlog published',
      );
      await waitFor(() => created.every((p) => worker.output().includes(p.id)), 10_000, 'a log line for each');
      expect(created.filter((p) => !worker.output().includes(`${p.id}: `))).toEqual([]);
      // The start-up scheduling's own report: lost whenever listeners are attached after it.
      expect(worker.output()).toContain(`đưa ${created.length} bài vào hàng đợi`);
    } finally {
      await stopChild(worker.child);
    }
  }, 180_000);
});
