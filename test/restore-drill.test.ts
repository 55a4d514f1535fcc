import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { restoreBackup } from '../src/backup/restore';
import { takeBackup } from '../src/backup/take-backup';
import { FakeGraphApi } from '../src/demo/fake-graph-api';
import type { Db } from '../src/store';
import { setChannelSecret } from '../src/store/channel-secrets';
import { schedulePublications } from '../src/store/publications';
import { secretKeyFromEnv } from '../src/store/secret-cipher';
import { type RunningWorker, startWorker } from '../worker/worker';
import { approvedItem, fakeToken, PAGE, SECRET_KEY } from './channels/facebook/facebook-support';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { saveCommunePage } from './support/seed';
import { testConfig, waitFor } from './support/services';

jest.setTimeout(180_000);

/** How many publications the drill runs; `npm run chaos` sets LOA_RESTORE_DRILL_ITEMS higher. */
const ITEMS = Number(process.env.LOA_RESTORE_DRILL_ITEMS ?? 10);
const SPACING_MS = 400;
const OPEN = ['scheduled', 'queued', 'publishing'];

async function countIn(db: Db, channelId: string, states: string[]): Promise<number> {
  const row = await db.kysely
    .selectFrom('publications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', channelId)
    .where('state', 'in', states)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The operator's drill: a backup taken while a worker publishes, the installation lost after more posts went
 * out (database and export folder wiped), `loa restore` into a new database, workers started again. What went out
 * between the backup and the loss is back as "still to go" in the restored data: on Facebook, where a second call is a
 * second post, each must be found on the Page, not posted again. Nothing lost, nothing twice, on both databases.
 */
describe.each(DATABASE_KINDS)('backup → wipe → restore while publishing, on %s', (kind) => {
  let graph: FakeGraphApi;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    graph = await new FakeGraphApi().start();
    Object.assign(process.env, {
      LOA_FACEBOOK_GRAPH_URL: graph.url,
      LOA_SECRET_KEY: SECRET_KEY,
      LOA_FACEBOOK_TIMEOUT_MS: '3000',
    });
  });
  afterAll(async () => {
    process.env = savedEnv;
    await graph.stop();
  });

  test('0 lost and 0 duplicates on the Page and the portal', async () => {
    const token = fakeToken();
    graph.page(PAGE, 'UBND xã Tân Lập', token);
    const source: TestDatabase = await freshDatabase(kind);
    const config = testConfig(source.url);
    const db = await openStore(source.url, { defaultUnit: config.defaultUnit });
    await saveCommunePage(db.kysely, { pageId: PAGE }, 'quản trị');
    await setChannelSecret(db.kysely, 'trang-xa', token, 'quản trị', secretKeyFromEnv());
    const markers: string[] = [];
    const start = Date.now() + 1_500;
    for (let i = 0; i < ITEMS; i++) {
      const marker = `diễn-tập-${kind}-${String(i).padStart(3, '0')}`;
      markers.push(marker);
      const itemId = await approvedItem(db.kysely, marker);
      const at = new Date(start + i * SPACING_MS);
      await schedulePublications(
        db.kysely,
        [
          { itemId, channelId: 'trang-xa', scheduledAt: at },
          { itemId, channelId: 'rss', scheduledAt: at },
        ],
        'cán bộ A',
      );
    }

    let worker: RunningWorker = await startWorker(config, { log: () => undefined });
    await worker.schedule();
    // The backup is taken a third of the way in, while the worker publishes; more goes out before the loss.
    await waitFor(async () => (await countIn(db, 'trang-xa', ['published'])) >= ITEMS / 3, 60_000, 'first posts');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-drill-')), 'sao-luu.tar.gz');
    await takeBackup(config, file);
    await waitFor(
      async () => (await countIn(db, 'trang-xa', ['published'])) >= (2 * ITEMS) / 3,
      60_000,
      'posts after the backup',
    );
    const beforeLoss = await countIn(db, 'trang-xa', ['published']);
    await worker.stop();
    await db.close();
    // The loss: the database and the export folder are gone.
    await source.drop();
    fs.rmSync(config.exportDir, { recursive: true, force: true });

    const target = await freshDatabase(kind);
    const restoredConfig = testConfig(target.url);
    const report = await restoreBackup(restoredConfig, file);
    // What the backup held as still to go and is due by now may have gone out after it: marked, not trusted.
    expect(report.maybePosted).toBeGreaterThan(0);
    const restored = await openStore(target.url, { defaultUnit: restoredConfig.defaultUnit });
    worker = await startWorker(restoredConfig, { log: () => undefined });
    try {
      await worker.schedule();
      await waitFor(
        async () => (await countIn(restored, 'trang-xa', OPEN)) === 0 && (await countIn(restored, 'rss', OPEN)) === 0,
        120_000,
        'every publication settled after the restore',
      );
      // Nothing twice: each item's text is on the Page exactly once, however many were posted before the loss.
      const onPage = markers.map((marker) => graph.posts.filter((p) => p.message.includes(marker)).length);
      expect(onPage).toEqual(markers.map(() => 1));
      expect(beforeLoss).toBeLessThan(ITEMS);
      // Nothing lost: every publication is out, the ones posted before the loss found on the Page, not sent again.
      expect(await countIn(restored, 'trang-xa', ['published'])).toBe(ITEMS);
      expect(await countIn(restored, 'rss', ['published'])).toBe(ITEMS);
      const reconciled = await restored.kysely
        .selectFrom('publish_attempts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('outcome', '=', 'reconciled')
        .executeTakeFirstOrThrow();
      expect(Number(reconciled.n)).toBeGreaterThan(0);
    } finally {
      await worker.stop();
      await restored.close();
      await target.drop();
    }
  });
});
