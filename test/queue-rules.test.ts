import { type Adapters, createAdapters } from '../channels';
import { queueAs } from '../src/actions/publications';
import type { Actor } from '../src/domain/access';
import { ValidationError } from '../src/domain/errors';
import type { Db } from '../src/store';
import { editItem } from '../src/store/items';
import { listPublications } from '../src/store/publications';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { testConfig } from './support/services';

const officer: Actor = { name: 'Cán bộ An', role: 'officer', unitId: 'ubnd-xa-tan-lap', source: 'API' };

describe.each(DATABASE_KINDS)("a channel's own rules are asked when queueing, on %s", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let adapters: Adapters;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    const config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    const real = createAdapters(config);
    // A photo-only rule on the portal, as a platform adapter would declare it through checkItem.
    adapters = {
      ...real,
      rss: Object.assign(Object.create(real.rss!), {
        checkItem: (item: { image: string | null }) => (item.image ? null : 'kênh này chỉ đăng bài có ảnh'),
      }),
    };
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  test('a publication the channel cannot take is refused at queueing, with its reason, and nothing is stored', async () => {
    const [withoutImage, other] = await seedItems(db.kysely, 2);
    await editItem(db.kysely, other!, { image: 'https://example.gov.vn/anh.jpg' });
    const request = {
      itemIds: [other!, withoutImage!],
      channelIds: ['radio', 'rss'],
      start: new Date(Date.UTC(2031, 4, 1, 1)),
      spacingMs: 60_000,
    };
    const refused = queueAs(db.kysely, officer, adapters, request);
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      field: 'channels.rss',
      reason: `kênh rss không nhận nội dung số ${withoutImage}: kênh này chỉ đăng bài có ảnh`,
    });
    expect(await listPublications(db.kysely)).toEqual([]);

    const accepted = await queueAs(db.kysely, officer, adapters, { ...request, itemIds: [other!] });
    expect(accepted.created.map((p) => p.channelId).sort()).toEqual(['radio', 'rss']);
  });
});
