import type { Config } from '../src/config';
import type { Db } from '../src/store';
import { schedulePublications } from '../src/store/publications';
import { withdrawItem } from '../src/store/withdrawals';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { type FreshStore, freshStore, publishDeps } from './support/store-fixture';

/**
 * The last look before a call that cannot be taken back (a second call to Facebook or Zalo is a second post): an item
 * withdrawn between the claim and the call is not sent, and its publication ends cancelled, on both databases.
 */
describe.each(DATABASE_KINDS)('the last look before a platform call on %s', (kind) => {
  let store: FreshStore;
  let db: Db;
  let config: Config;

  beforeAll(async () => {
    store = await freshStore(kind);
    ({ db, config } = store);
  });
  afterAll(() => store.dispose());

  test('an item withdrawn after the claim is never sent; the publication is cancelled with the withdrawal', async () => {
    const [itemId] = await seedItems(db.kysely, 1);
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date(Date.now() - 1_000) }],
      'cán bộ A',
    );
    const deps = publishDeps(db, config);
    let calls = 0;
    // A channel where a second call is a second post, whose rendering is the moment the officer withdraws.
    const platform = Object.assign(Object.create(deps.adapters.rss!) as NonNullable<typeof deps.adapters.rss>, {
      idempotent: false,
      render: async () => {
        await withdrawItem(db.kysely, itemId!, 'Cán bộ Lan', 'thông tin đã thay đổi');
        return 'nội dung';
      },
      publish: () => {
        calls += 1;
        throw new Error('must not be called');
      },
    });
    const result = await publishOne({ ...deps, adapters: { ...deps.adapters, rss: platform } }, created[0]!.id, false);
    expect(calls).toBe(0);
    expect(result).toBe('withheld');
    const publication = await db.kysely
      .selectFrom('publications')
      .select(['state', 'reason'])
      .where('id', '=', created[0]!.id)
      .executeTakeFirstOrThrow();
    expect(publication.state).toBe('cancelled');
    expect(publication.reason).toContain('thông tin đã thay đổi');
  });
});
