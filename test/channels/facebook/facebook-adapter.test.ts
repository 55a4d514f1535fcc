import path from 'node:path';

import { FacebookAdapter } from '../../../channels/facebook/facebook-adapter';
import { classify, graphErrorOf } from '../../../channels/facebook/graph-errors';
import { readUsage, slowDownMs } from '../../../channels/facebook/usage';
import { Templates } from '../../../channels/template';
import { type ChannelError, type ChannelServices, type PostContext } from '../../../channels/types';
import { FakeGraphApi } from '../../../src/demo/fake-graph-api';
import { testAttempt } from '../../support/attempt';
import { PROJECT } from '../../support/services';

const PAGE = '104512345678901';
const TOKEN = 'EAAGfaketokenforthetestsonly0123456789';

function postContext(overrides: { link?: string | null; image?: string | null; body?: string } = {}): PostContext {
  const now = new Date('2031-03-02T01:30:00Z');
  return {
    publication: {
      id: 'i7-trang-xa-20310302T013000Z',
      itemId: 7,
      channelId: 'trang-xa',
      scheduledAt: new Date(),
      state: 'publishing',
      reason: null,
      content: null,
      externalId: null,
      externalUrl: null,
      attempts: 1,
      queuedBy: 'cán bộ A',
      claimedBy: 'w',
      leaseUntil: null,
      publishedAt: null,
      createdAt: now,
      updatedAt: now,
    },
    item: {
      id: 7,
      planId: 1,
      areaKey: 'thu-tuc-hanh-chinh',
      unitId: 'ubnd-xa-tan-lap',
      title: 'Làm căn cước tại xã',
      body: overrides.body ?? 'Người dân làm thủ tục tại bộ phận một cửa.',
      link: overrides.link === undefined ? 'https://dichvucong.gov.vn/p/home' : overrides.link,
      image: overrides.image ?? null,
      priority: 'thong-thuong',
      author: 'cán bộ A',
      approvedBy: 'lãnh đạo B',
      approvedAt: now,
      createdAt: now,
      updatedAt: now,
    },
    channel: {
      id: 'trang-xa',
      unitId: 'ubnd-xa-tan-lap',
      platform: 'facebook',
      name: 'Trang xã',
      settings: { pageId: PAGE },
    },
    unit: { id: 'ubnd-xa-tan-lap', name: 'UBND xã Tân Lập' },
    areaName: 'Thủ tục hành chính',
  };
}

describe('Graph errors and usage, by code and subcode', () => {
  test.each([
    [190, 460, 400, 'reconnect'],
    [190, null, 400, 'reconnect'],
    [4, null, 403, 'throttled'],
    [17, null, 403, 'throttled'],
    [32, null, 403, 'throttled'],
    [613, null, 403, 'throttled'],
    [80001, null, 403, 'throttled'],
    [1, null, 500, 'transient'],
    [2, null, 503, 'transient'],
    [null, null, 502, 'transient'],
    [506, null, 400, 'duplicate'],
    [100, 1500, 400, 'bad-content'],
    [200, null, 403, 'refused'],
    [230, null, 403, 'refused'],
    [368, 1404006, 403, 'refused'],
    [12345, null, 400, 'refused'],
  ])('code %s subcode %s (HTTP %s) → %s', (code, subcode, status, verdict) => {
    const error =
      code === null ? null : graphErrorOf({ error: { message: 'm', code, error_subcode: subcode ?? undefined } });
    expect(classify(error, status)).toBe(verdict);
  });

  test('usage headers: the highest share and the longest time to regain access', () => {
    const usage = readUsage({
      'x-app-usage': '{"call_count":12,"total_cputime":3,"total_time":5}',
      'x-business-use-case-usage':
        '{"104512345678901":[{"type":"pages","call_count":93,"total_cputime":10,"total_time":20,"estimated_time_to_regain_access":7}]}',
      'x-page-usage': 'không phải JSON',
    });
    expect(usage).toEqual({ highestPercent: 93, regainMs: 7 * 60_000 });
    expect(slowDownMs(usage)).toBe(7 * 60_000);
    expect(slowDownMs(readUsage({ 'x-app-usage': '{"call_count":89}' }))).toBe(0);
    expect(slowDownMs(readUsage({ 'x-app-usage': '{"call_count":91}' }))).toBeGreaterThan(0);
  });
});

describe('the Facebook adapter against the fake Graph API', () => {
  let fake: FakeGraphApi;
  let adapter: FacebookAdapter;
  const holds: Array<[string, number]> = [];
  const services: ChannelServices = {
    readSecret: async () => ({ value: TOKEN, version: 'v' }),
    replaceSecret: async () => false,
    holdAccount: async (channelId, ms) => void holds.push([channelId, ms]),
  };

  beforeAll(async () => {
    fake = await new FakeGraphApi().start();
    fake.page(PAGE, 'UBND xã Tân Lập', TOKEN);
    adapter = new FacebookAdapter(
      new Templates(path.join(PROJECT, 'templates')),
      { target: { graphUrl: fake.url, apiVersion: 'v24.0' }, timeoutMs: 1_500, envPage: null },
      services,
    );
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.posts.length = 0;
    fake.usageHeaders = {};
    holds.length = 0;
  });

  test('a text post with its link: id page_post, permalink, exactly what was sent; no crash reporter installed', async () => {
    const listeners = process.listenerCount('uncaughtException');
    const post = postContext();
    const rendered = await adapter.render(post);
    expect(rendered).toContain('Làm căn cước tại xã');
    const outcome = await adapter.publish(post, rendered, testAttempt());
    expect(outcome).toMatchObject({
      status: 'sent',
      externalId: expect.stringMatching(new RegExp(`^${PAGE}_\\d+$`)),
      externalUrl: expect.stringContaining(`https://www.facebook.com/${PAGE}/posts/`),
    });
    expect(fake.posts).toHaveLength(1);
    expect(fake.posts[0]).toMatchObject({ message: rendered, link: 'https://dichvucong.gov.vn/p/home' });
    expect(process.listenerCount('uncaughtException')).toBe(listeners);
  });

  test('an item with an image is a photo post with its caption', async () => {
    const post = postContext({ image: 'https://cong.tanlap.gov.vn/anh/can-cuoc.jpg' });
    const outcome = await adapter.publish(post, await adapter.render(post), testAttempt());
    expect(outcome.status).toBe('sent');
    expect(fake.posts[0]).toMatchObject({
      imageUrl: 'https://cong.tanlap.gov.vn/anh/can-cuoc.jpg',
      message: expect.stringContaining('Xem thêm: https://dichvucong.gov.vn/p/home'),
    });
  });

  test('limits are checked before any call, naming the field', async () => {
    const callsBefore = fake.requests.length;
    const long = postContext({ body: 'ư'.repeat(64_000) });
    await expect(adapter.publish(long, await adapter.render(long), testAttempt())).rejects.toMatchObject({
      kind: 'bad-content',
      message: expect.stringMatching(/^nội dung bài \(message\): dài \d+ ký tự/),
    });
    const webp = postContext({ image: 'https://cong.tanlap.gov.vn/anh/a.webp' });
    await expect(adapter.publish(webp, await adapter.render(webp), testAttempt())).rejects.toMatchObject({
      kind: 'bad-content',
      message: expect.stringContaining('ảnh (image)'),
    });
    expect(fake.requests.length).toBe(callsBefore);
  });

  test('a 200 whose body holds an error is not a success', async () => {
    fake.inject({ error: { code: 100, subcode: 1500, message: 'The url you supplied is invalid' }, in200: true });
    const post = postContext();
    await expect(adapter.publish(post, await adapter.render(post), testAttempt())).rejects.toMatchObject({
      kind: 'bad-content',
      trace: { code: 100, subcode: 1500 },
    });
  });

  test('near the limit the Page is slowed down; a throttling error holds it as long as Facebook says', async () => {
    fake.usageHeaders = { 'x-app-usage': '{"call_count":92,"total_cputime":4,"total_time":6}' };
    const post = postContext();
    expect((await adapter.publish(post, await adapter.render(post), testAttempt())).status).toBe('sent');
    expect(holds).toEqual([['trang-xa', 15 * 60_000]]);
    fake.inject({
      error: { code: 32, message: 'Page request limit reached' },
      headers: {
        'x-business-use-case-usage': `{"${PAGE}":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":3}]}`,
      },
    });
    const failure = await adapter
      .publish(post, await adapter.render(post), testAttempt())
      .catch((e: ChannelError) => e);
    expect(failure).toMatchObject({ kind: 'retry-later', retryAfterMs: 3 * 60_000 });
    expect(holds[1]).toEqual(['trang-xa', 3 * 60_000]);
  });

  test('a connection dropped after Facebook accepted the post is unknown; findExisting then finds exactly that post', async () => {
    fake.inject({ dropAfterAccept: true });
    const post = postContext();
    const rendered = await adapter.render(post);
    const attempt = testAttempt();
    const outcome = await adapter.publish(post, rendered, attempt);
    expect(outcome.status).toBe('unknown');
    expect(fake.posts).toHaveLength(1);
    const found = await adapter.findExisting(post, rendered, attempt);
    expect(found).toMatchObject({ status: 'found', externalId: fake.posts[0]!.id });
    // The same message with another link is not a match: never a fuzzy guess.
    const otherLink = postContext({ link: 'https://dichvucong.gov.vn/khac' });
    expect(await adapter.findExisting(otherLink, rendered, attempt)).toEqual({ status: 'absent' });
    fake.listingFails = true;
    expect((await adapter.findExisting(post, rendered, attempt)).status).toBe('cannot-tell');
    fake.listingFails = false;
  });

  test('a slow answer past the timeout is unknown, not a failure', async () => {
    fake.inject({ slowMs: 3_000 });
    const post = postContext();
    const outcome = await adapter.publish(post, await adapter.render(post), testAttempt());
    expect(outcome).toMatchObject({ status: 'unknown', reason: expect.stringContaining('quá thời gian') });
  });

  test('no message, error or trace carries the token', async () => {
    fake.inject(
      { error: { code: 190, subcode: 463, message: `Session expired for access_token=${TOKEN}` } },
      { error: { code: 9999, message: `weird ${TOKEN}` } },
    );
    const post = postContext();
    const rendered = await adapter.render(post);
    const errors = [
      await adapter.publish(post, rendered, testAttempt()).catch((e: Error) => e),
      await adapter.publish(post, rendered, testAttempt()).catch((e: Error) => e),
    ];
    expect(errors[0]).toMatchObject({
      kind: 'reconnect',
      message: expect.stringContaining('token của Trang đã hết hạn'),
    });
    for (const error of errors)
      expect(
        JSON.stringify({ ...error, message: (error as Error).message, stack: (error as Error).stack }),
      ).not.toContain(TOKEN);
  });
});
