import type { Config } from '../src/config';
import type { Db } from '../src/store';
import { listPublications, schedulePublications } from '../src/store/publications';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, startWorkerProcess, stopChild, waitFor } from './support/services';
import { type FreshStore, freshStore } from './support/store-fixture';

/**
 * A worker started with a backlog publishes it during its start-up scheduling: its listeners are attached before
 * that, so `loa worker` logs every one of those publications, not only the ones after start-up.
 */
describe.each(DATABASE_KINDS)('worker start-up log on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let config: Config;

  beforeAll(async () => {
    store = await freshStore(kind);
    ({ db, config } = store);
  });
  afterAll(() => store.dispose());

  test('every publication of a start-up backlog has its line in the log', async () => {
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
