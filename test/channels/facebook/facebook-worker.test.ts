import IORedis from 'ioredis';

import { FakeGraphApi, type Injection } from '../../../src/demo/fake-graph-api';
import { AccountPace } from '../../../src/queue/account-pace';
import { wakeWaiting } from '../../../src/queue/wake-waiting';
import type { Db } from '../../../src/store';
import { listAttempts } from '../../../src/store/attempts';
import { channelPause, dueWaitingPublications } from '../../../src/store/channel-pause';
import { setChannelSecret } from '../../../src/store/channel-secrets';
import { saveChannel } from '../../../src/store/channels';
import { getPublication, schedulePublications } from '../../../src/store/publications';
import { secretKeyFromEnv } from '../../../src/store/secret-cipher';
import { type RunningWorker, startWorker } from '../../../worker/worker';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../../support/databases';
import { openStore } from '../../support/open-store';
import { testConfig, waitFor } from '../../support/services';
import { approvedItem, fakeToken, PAGE, SECRET_KEY } from './facebook-support';

jest.setTimeout(120_000);

const SETTLED = ['published', 'failed', 'unconfirmed'];

describe.each(DATABASE_KINDS)('Facebook through the real worker on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let fake: FakeGraphApi;
  let worker: RunningWorker;
  let config: ReturnType<typeof testConfig>;
  let redis: IORedis;
  const token = fakeToken();
  let channelNo = 0;

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    fake.page(PAGE, 'UBND xã Tân Lập', token);
    Object.assign(process.env, {
      LOA_FACEBOOK_GRAPH_URL: fake.url,
      LOA_SECRET_KEY: SECRET_KEY,
      LOA_FACEBOOK_TIMEOUT_MS: '1500',
    });
    database = await freshDatabase(kind);
    config = testConfig(database.url);
    db = await openStore(database.url, { defaultUnit: config.defaultUnit });
    worker = await startWorker(config, { log: () => undefined });
    redis = new IORedis(config.redisUrl);
  });
  afterAll(async () => {
    await worker.stop();
    redis.disconnect();
    await db.close();
    await database.drop();
    await fake.stop();
  });

  /** A channel of its own per case, so one case's pause or hold never touches the next. */
  async function newChannel(pageToken = token): Promise<string> {
    channelNo += 1;
    const id = `trang-${channelNo}`;
    await saveChannel(
      db.kysely,
      { id, unitId: 'ubnd-xa-tan-lap', platform: 'facebook', name: `Trang ${channelNo}`, settings: { pageId: PAGE } },
      'quản trị',
    );
    await setChannelSecret(db.kysely, id, pageToken, 'quản trị', secretKeyFromEnv());
    return id;
  }

  async function publish(
    channelId: string,
    marker: string,
    injections: Injection[] = [],
    fields: Parameters<typeof approvedItem>[2] = {},
    at = new Date(),
  ): Promise<string> {
    fake.inject(...injections);
    const itemId = await approvedItem(db.kysely, marker, fields);
    const { created } = await schedulePublications(db.kysely, [{ itemId, channelId, scheduledAt: at }], 'cán bộ A');
    await worker.schedule();
    return created[0]!.id;
  }

  const settled = (id: string) =>
    waitFor(async () => SETTLED.includes((await getPublication(db.kysely, id)).state), 30_000, `${id} settled`);
  const outcomes = async (id: string) => (await listAttempts(db.kysely, id)).map((a) => a.outcome);

  test('published once, with the post id page_post and its permalink', async () => {
    const id = await publish(await newChannel(), 'thành công');
    await settled(id);
    const [post] = fake.postsWith('Nội dung thành công:');
    expect(fake.postsWith('Nội dung thành công:')).toHaveLength(1);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'published',
      externalId: post!.id,
      externalUrl: `https://www.facebook.com/${PAGE}/posts/${post!.id.split('_')[1]}`,
    });
    expect(await outcomes(id)).toEqual(['published']);
  });

  test.each([
    [
      '100 invalid parameter',
      { error: { code: 100, message: 'Invalid parameter' } },
      /Facebook không nhận nội dung \(message\) hoặc đường link \(link\) \(mã Facebook 100\)/,
    ],
    [
      '200 permission',
      { error: { code: 200, message: '(#200) Permissions error' } },
      /thiếu quyền đăng bài .*mã Facebook 200/,
    ],
    [
      '1609005 link not scraped',
      { error: { code: 1609005, message: 'Error Posting Link' } },
      /không đọc được đường link \(link\) của bài \(mã Facebook 1609005\)/,
    ],
    ['506 duplicate, not found', { error: { code: 506, message: 'Duplicate status message' } }, /bài trùng/],
  ] as Array<[string, Injection, RegExp]>)(
    '%s: failed at once with a Vietnamese reason, no retry, nothing posted',
    async (name, injection, reason) => {
      const id = await publish(await newChannel(), name, [injection]);
      await settled(id);
      expect(await getPublication(db.kysely, id)).toMatchObject({
        state: 'failed',
        reason: expect.stringMatching(reason),
      });
      expect(await outcomes(id)).toEqual(['failed']);
      expect(fake.postsWith(`Nội dung ${name}:`)).toHaveLength(0);
    },
  );

  test('an item too long for Facebook fails before any call, naming the field', async () => {
    const before = fake.requests.length;
    const id = await publish(await newChannel(), 'quá dài', [], { body: 'ư'.repeat(64_000) });
    await settled(id);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('nội dung bài (message)'),
    });
    expect(fake.requests.slice(before).filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  test('506 when the post is there already: the existing post is recorded, not a second one', async () => {
    const id = await publish(await newChannel(), 'trùng có sẵn', [
      { error: { code: 506, message: 'Duplicate status message' }, postAnyway: true },
    ]);
    await settled(id);
    expect(fake.postsWith('Nội dung trùng có sẵn:')).toHaveLength(1);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'published',
      externalId: fake.postsWith('Nội dung trùng có sẵn:')[0]!.id,
    });
  });

  test('code 2 with nothing posted is retried with backoff and then published once', async () => {
    const id = await publish(await newChannel(), 'lỗi tạm', [
      { error: { code: 2, message: 'Service temporarily unavailable' } },
    ]);
    await settled(id);
    expect(await outcomes(id)).toEqual(['retry', 'published']);
    expect(fake.postsWith('Nội dung lỗi tạm:')).toHaveLength(1);
  });

  test('a 5xx after Facebook posted anyway is found, not sent again', async () => {
    const id = await publish(await newChannel(), 'đã đăng dù lỗi', [
      { error: { code: 1, message: 'An unknown error occurred' }, postAnyway: true },
    ]);
    await settled(id);
    expect(await getPublication(db.kysely, id)).toMatchObject({
      state: 'published',
      externalId: fake.postsWith('Nội dung đã đăng dù lỗi:')[0]!.id,
    });
    await new Promise((r) => setTimeout(r, 3_000));
    expect(fake.postsWith('Nội dung đã đăng dù lỗi:')).toHaveLength(1);
  });

  test('throttling (32): the attempt waits as the usage headers say, and the whole Page is held', async () => {
    const channelId = await newChannel();
    const id = await publish(channelId, 'giới hạn', [
      {
        error: { code: 32, message: 'Page request limit reached' },
        headers: {
          'x-business-use-case-usage': `{"${PAGE}":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":2}]}`,
        },
      },
    ]);
    await waitFor(async () => (await outcomes(id)).includes('retry'), 30_000, 'the throttled attempt');
    expect((await getPublication(db.kysely, id)).state).toBe('queued');
    expect(await new AccountPace(redis, config.queuePrefix).heldFor(channelId)).toBeGreaterThan(100_000);
    const job = (await worker.queues.queue('facebook').getJob(id))!;
    expect(await job.isDelayed()).toBe(true);
    expect(fake.postsWith('Nội dung giới hạn:')).toHaveLength(0);
  });

  test('a connection dropped after acceptance and a slow answer are never sent twice', async () => {
    const dropped = await publish(await newChannel(), 'mất kết nối', [{ dropAfterAccept: true }]);
    const slow = await publish(await newChannel(), 'trả lời chậm', [{ slowMs: 4_000 }]);
    await settled(dropped);
    await settled(slow);
    await new Promise((r) => setTimeout(r, 4_000));
    for (const [id, marker] of [
      [dropped, 'mất kết nối'],
      [slow, 'trả lời chậm'],
    ] as const) {
      const posts = fake.postsWith(`Nội dung ${marker}:`);
      expect(posts).toHaveLength(1);
      const publication = await getPublication(db.kysely, id);
      // Reconciled (published with the platform's id) or left for a person; never a second post, never "failed".
      expect(['published', 'unconfirmed']).toContain(publication.state);
      if (publication.state === 'published') expect(publication.externalId).toBe(posts[0]!.id);
    }
  });

  test('a revoked token fails its publication and pauses the Page; the others wait and go out after the new token', async () => {
    const revoked = fakeToken();
    fake.tokens.set(revoked, { pageId: PAGE, revoked: { subcode: 460 } });
    const channelId = await newChannel(revoked);
    const first = await publish(channelId, 'thu hồi 1');
    await settled(first);
    expect(await getPublication(db.kysely, first)).toMatchObject({
      state: 'failed',
      reason: expect.stringContaining('đã đổi mật khẩu Facebook'),
    });
    expect((await channelPause(db.kysely, channelId))?.reason).toContain(
      `loa channels edit ${channelId} --secret-stdin`,
    );
    const waiting = await Promise.all(['thu hồi 2', 'thu hồi 3'].map((m) => publish(channelId, m)));
    await waitFor(
      async () =>
        (
          await Promise.all(waiting.map(async (id) => (await worker.queues.queue('facebook').getJob(id))?.isDelayed()))
        ).every(Boolean),
      20_000,
      'both delayed',
    );
    for (const id of waiting) {
      expect((await getPublication(db.kysely, id)).state).toBe('queued');
      expect(await outcomes(id)).toEqual([]);
    }
    const renewed = fakeToken();
    fake.page(PAGE, 'UBND xã Tân Lập', renewed);
    expect(await setChannelSecret(db.kysely, channelId, renewed, 'quản trị', secretKeyFromEnv())).toEqual({
      resumed: true,
    });
    await wakeWaiting(worker.queues, 'facebook', await dueWaitingPublications(db.kysely, channelId));
    for (const id of waiting) await settled(id);
    for (const id of waiting) expect((await getPublication(db.kysely, id)).state).toBe('published');
    expect(fake.postsWith('Nội dung thu hồi 2:')).toHaveLength(1);
  });
});
