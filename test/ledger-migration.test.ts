import { createAdapters } from '../channels';
import { Templates } from '../channels/template';
import { saveChannel } from '../src/store/channels';
import { migrate } from '../src/store/migrate';
import { moveIn } from '../src/store/migrations/0014-platform-ledger';
import { platformPostsOf } from '../src/store/platform-posts';
import { getPublication, schedulePublications } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { FakePlatform, FakePlatformAdapter } from './support/fake-platform';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { testConfig } from './support/services';

/**
 * Upgrading a database written by the release before the ledger (schema 0013): every external id and every id an
 * attempt recorded mid-way moves into the ledger, once; nothing published is lost or sent again.
 */
// Held: it writes its schema-0013 rows with today's store code, which since the two-tier units (0015) writes columns a
// 0013 database lacks. To do: write the old rows with SQL of that schema. Meanwhile test/upgrade.test.ts upgrades a
// database written by the previous release through 0014 on both kinds, with publications in every state.
describe.skip.each(DATABASE_KINDS)('the ledger migration on %s', (kind) => {
  test('moves published ids and Zalo steps in, idempotently; an interrupted publication is not sent again', async () => {
    const database = await freshDatabase(kind);
    const config = testConfig(database.url);
    const platform = await new FakePlatform().start();
    const old = await openStore(database.url, {
      defaultUnit: config.defaultUnit,
      schemaUpTo: '0013-cheaper-report-triggers',
    });
    let upgraded: Awaited<ReturnType<typeof openStore>> | undefined;
    try {
      const db = old.kysely;
      await saveChannel(
        db,
        { id: 'trang-xa', unitId: 'ubnd-xa-tan-lap', platform: 'facebook', name: 'Trang xã', settings: {} },
        'cán bộ A',
      );
      await saveChannel(
        db,
        { id: 'oa-xa', unitId: 'ubnd-xa-tan-lap', platform: 'zalo', name: 'OA xã', settings: {} },
        'cán bộ A',
      );
      const [a, b, c] = (await seedItems(db, 3)) as [number, number, number];
      const at = new Date(Date.now() - 3_600_000);
      const { created } = await schedulePublications(
        db,
        [
          { itemId: a, channelId: 'trang-xa', scheduledAt: at },
          { itemId: b, channelId: 'oa-xa', scheduledAt: at },
          { itemId: c, channelId: 'trang-xa', scheduledAt: at },
        ],
        'cán bộ A',
      );
      const [published, zalo, interrupted] = created.map((p) => p.id) as [string, string, string];
      const now = new Date().toISOString();
      // As the release before wrote them: a published post with its id on the publication and its attempt…
      await db
        .updateTable('publications')
        .set({
          state: 'published',
          external_id: 'post-1',
          external_url: 'https://fb/post-1',
          published_at: now,
          content: 'x',
        })
        .where('id', '=', published)
        .execute();
      await db
        .insertInto('publish_attempts')
        .values({
          publication_id: published,
          attempt_no: 1,
          worker: 'w',
          started_at: now,
          finished_at: now,
          outcome: 'published',
          external_id: 'post-1',
        })
        .execute();
      // …a Zalo article live while its broadcast waits for the morning (queued, ids only in the steps)…
      await db.updateTable('publications').set({ state: 'queued', attempts: 1 }).where('id', '=', zalo).execute();
      await db
        .insertInto('publish_attempts')
        .values({
          publication_id: zalo,
          attempt_no: 1,
          worker: 'w',
          started_at: now,
          finished_at: now,
          outcome: 'retry',
          steps: JSON.stringify({ token: 'job-1', article: 'art-9', 'article-url': 'https://zalo/art-9' }),
        })
        .execute();
      // …and a Facebook post accepted whose outcome was never written (publishing, lease run out, id only in the log).
      await db
        .updateTable('publications')
        .set({ state: 'publishing', attempts: 1, claimed_by: 'w', lease_until: '2000-01-01T00:00:00.000Z' })
        .where('id', '=', interrupted)
        .execute();
      await db
        .insertInto('publish_attempts')
        .values({ publication_id: interrupted, attempt_no: 1, worker: 'w', started_at: now, outcome: 'started' })
        .execute();
      await old.close();

      upgraded = await openStore(database.url, { defaultUnit: config.defaultUnit });
      const ledger = async () => {
        const rows = await platformPostsOf(
          upgraded!.kysely,
          created.map((p) => p.id),
        );
        return created.flatMap((p) => (rows.get(p.id) ?? []).map((r) => [p.id, r.kind, r.externalId, r.externalUrl]));
      };
      const expected = [
        [published, 'post', 'post-1', 'https://fb/post-1'],
        [zalo, 'post', 'art-9', 'https://zalo/art-9'],
      ];
      expect(await ledger()).toEqual(expected);
      await moveIn(upgraded.kysely); // again: nothing added, nothing changed
      expect(await ledger()).toEqual(expected);
      expect(await migrate(upgraded)).toEqual([]);

      // The interrupted one: the platform has its post; the upgraded worker reconciles instead of sending again.
      platform.posts.push({ id: 'post-7', ref: interrupted, text: 'bài cũ', at: Date.now() });
      class FixedText extends FakePlatformAdapter {
        override render(): Promise<string> {
          return Promise.resolve('bài cũ');
        }
      }
      const adapter = new FixedText(new Templates(config.templatesDir), () => platform.url);
      const deps = {
        db: upgraded.kysely,
        adapters: { ...createAdapters(config), facebook: adapter },
        worker: 'w2',
        log: () => undefined,
      };
      expect(await publishOne(deps, interrupted, false)).toBe('reconciled');
      expect(platform.requests).toHaveLength(0);
      expect(await getPublication(upgraded.kysely, interrupted)).toMatchObject({
        state: 'published',
        externalId: 'post-7',
      });
      expect(await getPublication(upgraded.kysely, published)).toMatchObject({
        state: 'published',
        externalId: 'post-1',
      });
    } finally {
      await platform.stop();
      await upgraded?.close();
      await database.drop();
    }
  });
});
