import { UnrecoverableError } from 'bullmq';

import { ChannelError } from '../../channels/types';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import type { Db } from '../../src/store';
import { listAttempts } from '../../src/store/attempts';
import { saveChannel } from '../../src/store/channels';
import { approveItem, editItem } from '../../src/store/items';
import { getPublication, schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedItems } from '../support/seed';
import { type ZaloRig, zaloRig } from '../support/zalo';

/** 10/03/2031 09:00 in Vietnam. */
const DAY = new Date('2031-03-10T02:00:00Z');

describe.each(DATABASE_KINDS)("publishing on Zalo through the worker's publish path on %s", (kind) => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeZalo;
  let rig: ZaloRig;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    fake = new FakeZalo();
    fake.processingDelayMs = 100;
    await fake.start();
    rig = zaloRig(fake, 'zalo-xa', DAY);
  });
  afterEach(async () => {
    await fake.stop();
    await db.close();
    await database.drop();
  });

  async function scheduled(settings: Record<string, unknown> = {}, title?: string): Promise<string> {
    await saveChannel(
      db.kysely,
      {
        id: 'zalo-xa',
        unitId: 'ubnd-xa-tan-lap',
        platform: 'zalo',
        name: 'Zalo OA xã',
        settings: { coverUrl: fake.imageUrl(20_000), ...settings },
      },
      'cán bộ A',
    );
    const [itemId] = await seedItems(db.kysely, 1);
    if (title) {
      await editItem(db.kysely, itemId!, { title });
      await approveItem(db.kysely, itemId!, 'lãnh đạo B');
    }
    const { created } = await schedulePublications(
      db.kysely,
      [{ itemId: itemId!, channelId: 'zalo-xa', scheduledAt: new Date() }],
      'cán bộ A',
    );
    return created[0]!.id;
  }

  const deps = () => ({ db: db.kysely, adapters: { zalo: rig.adapter }, worker: 'w1', log: () => undefined });

  test('a title over 150 characters fails at once with the field named, nothing sent, not retried', async () => {
    const id = await scheduled({}, 'Tuyên truyền '.repeat(13));
    await expect(publishOne(deps(), id, false)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/Tiêu đề \(title\).*150/),
    });
    expect(fake.articles).toHaveLength(0);
  });

  test('an OA Zalo refuses (-221 not verified) fails with the code and reason, not retried', async () => {
    const id = await scheduled();
    fake.failNext('/v2.0/article/create', { code: -221, message: 'OA is not verified' });
    await expect(publishOne(deps(), id, false)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'failed',
      reason: expect.stringMatching(/xác thực OA.*-221: OA is not verified/),
    });
  });

  test("a rate limit (-32) before anything was created goes back to the queue with Zalo's wait", async () => {
    const id = await scheduled();
    fake.failNext('/v2.0/article/create', { code: -32, message: 'Exceeded the request limit per minute' });
    const error = await publishOne(deps(), id, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ kind: 'retry-later', retryAfterMs: 60_000 });
    expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'queued' });
    expect((await listAttempts(db.kysely, id)).map((a) => a.outcome)).toEqual(['retry']);
  });

  test('a connection dropped after create leaves the publication unconfirmed, never sent again', async () => {
    const id = await scheduled();
    fake.dropAfterNext('/v2.0/article/create');
    await expect(publishOne(deps(), id, false)).resolves.toBe('unconfirmed');
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'unconfirmed',
      reason: expect.stringContaining('không rõ Zalo đã tạo bài chưa'),
    });
    expect(fake.createdWithTitle('Bài 1')).toBe(1);
  });

  test('no token appears in the publication, its attempts or the reason', async () => {
    const id = await scheduled();
    const pair = JSON.parse(rig.secrets.get('zalo-xa')!) as { accessToken: string; refreshToken: string };
    fake.revokeAccess(pair.accessToken);
    fake.revokeRefresh(pair.refreshToken);
    await expect(publishOne(deps(), id, false)).rejects.toBeInstanceOf(UnrecoverableError);
    const everything = JSON.stringify([await getPublication(db.kysely, id), await listAttempts(db.kysely, id)]);
    expect(everything).toContain('kết nối lại Zalo OA');
    expect(everything).not.toContain(pair.accessToken);
    expect(everything).not.toContain(pair.refreshToken);
  });

  describe('with recorded steps (needs fenced progress)', () => {
    test('an item is published as one article with its id and URL', async () => {
      const id = await scheduled();
      await expect(publishOne(deps(), id, false)).resolves.toBe('published');
      const article = fake.articles[0]!;
      expect(await getPublication(db.kysely, id)).toMatchObject({
        state: 'published',
        externalId: article.id,
        externalUrl: fake.articleUrl(article.id),
      });
      expect(fake.createdWithTitle('Bài 1')).toBe(1);
    });

    test('a night broadcast goes back to the queue until 06:00, then only the broadcast is sent', async () => {
      rig.clock.now = new Date('2031-03-10T16:00:00Z'); // 23:00
      fake.now = () => rig.clock.now;
      const id = await scheduled({ broadcast: 'always' });
      const error = await publishOne(deps(), id, false).catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'retry-later', retryAfterMs: 7 * 3600_000 });
      expect(await getPublication(db.kysely, id)).toMatchObject({ state: 'queued' });
      expect(fake.broadcasts).toHaveLength(0);
      rig.clock.now = new Date('2031-03-10T23:00:00Z'); // 06:00
      await expect(publishOne(deps(), id, false)).resolves.toBe('published');
      expect(fake.createdWithTitle('Bài 1')).toBe(1);
      expect(fake.broadcasts).toHaveLength(1);
    });
  });
});
