import path from 'node:path';

import { BLOCKED_WAIT_MS, FacebookAdapter } from '../../../channels/facebook/facebook-adapter';
import { GRAPH_API_VERSION, graphTargetFromEnv } from '../../../channels/facebook/graph-client';
import { classify, graphErrorOf } from '../../../channels/facebook/graph-errors';
import { postListingFields, sdkGraphVersion } from '../../../channels/facebook/post-fields';
import {
  PAGE_THROTTLED_DEFAULT_MS,
  readUsage,
  SLOW_DOWN_DAILY_MS,
  SLOW_DOWN_DEFAULT_MS,
  slowDownMs,
} from '../../../channels/facebook/usage';
import { Templates } from '../../../channels/template';
import { type ChannelError, type ChannelServices, type PostContext } from '../../../channels/types';
import { FakeGraphApi, REMOVED_POST_FIELDS } from '../../../src/demo/fake-graph-api';
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
    [368, 1390008, 400, 'blocked'],
    [1609005, null, 400, 'bad-link'],
    [100, 33, 400, 'not-found'],
    [33, null, 400, 'not-found'],
    [12, null, 400, 'outdated'],
    [341, null, 403, 'throttled'],
    [10, null, 403, 'refused'],
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
    expect(usage).toEqual({ highestPercent: 93, regainMs: 7 * 60_000, dailyWindow: true });
    expect(slowDownMs(usage)).toBe(7 * 60_000);
    expect(slowDownMs(readUsage({ 'x-app-usage': '{"call_count":89}' }))).toBe(0);
    expect(slowDownMs(readUsage({ 'x-app-usage': '{"call_count":91}' }))).toBeGreaterThan(0);
  });

  test('a Page near its 24-hour Business Use Case limit is held longer than an app near its hourly one', () => {
    const page = readUsage({ 'x-business-use-case-usage': `{"${PAGE}":[{"type":"pages","call_count":95}]}` });
    const app = readUsage({ 'x-app-usage': '{"call_count":95}' });
    expect(page.dailyWindow).toBe(true);
    expect(app.dailyWindow).toBe(false);
    expect(slowDownMs(page)).toBe(SLOW_DOWN_DAILY_MS);
    expect(slowDownMs(app)).toBe(SLOW_DOWN_DEFAULT_MS);
    expect(slowDownMs(page)).toBeGreaterThan(slowDownMs(app));
  });
});

describe('the Graph version and the fields Loa asks for', () => {
  test('the pinned version is the one the SDK was generated for, and LOA_FACEBOOK_API_VERSION overrides it', () => {
    expect(GRAPH_API_VERSION).toBe(sdkGraphVersion());
    expect(graphTargetFromEnv({}).apiVersion).toBe(GRAPH_API_VERSION);
    expect(graphTargetFromEnv({ LOA_FACEBOOK_API_VERSION: 'v25.0' }).apiVersion).toBe('v25.0');
    expect(() => graphTargetFromEnv({ LOA_FACEBOOK_API_VERSION: '25' })).toThrow(/LOA_FACEBOOK_API_VERSION/);
  });

  test('the listing asks for no field removed from Page posts, and reads links from attachments', () => {
    const names = postListingFields()
      .replace(/\{[^}]*\}/g, '')
      .split(',');
    for (const removed of REMOVED_POST_FIELDS) expect(names).not.toContain(removed);
    expect(postListingFields()).toContain('attachments{url,unshimmed_url,target}');
    expect(names).toContain('permalink_url');
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
  /** What the ledger gives to other publications (a post is owned by one publication). */
  const owned = new Set<string>();
  const attemptWithOwners = () => ({
    ...testAttempt(),
    ownedElsewhere: async (ids: readonly string[]) => new Set(ids.filter((id) => owned.has(id))),
  });

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
    owned.clear();
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
    // The same message with another link is not a match, nor a proof of absence: never a fuzzy guess.
    const otherLink = postContext({ link: 'https://dichvucong.gov.vn/khac' });
    expect(await adapter.findExisting(otherLink, rendered, attempt)).toMatchObject({
      status: 'cannot-tell',
      reason: expect.stringContaining('đường link https://dichvucong.gov.vn/khac'),
    });
    // Another text is simply absent.
    const otherText = postContext({ body: 'Một nội dung khác hẳn.' });
    expect(await adapter.findExisting(otherText, await adapter.render(otherText), attempt)).toEqual({
      status: 'absent',
    });
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

  test('the fake refuses a removed post field with #12, as Graph does since v3.3', async () => {
    const response = await fetch(`${fake.url}/v24.0/${PAGE}/posts?fields=id,message,link`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { code: 12, message: '(#12) link field is deprecated for versions v3.3 and higher' },
    });
  });

  test('368 after Loa\'s own post went through ("already posted this"): the post is found and recorded', async () => {
    fake.inject({ error: { code: 368, subcode: 1390008, message: "You've already posted this." }, postAnyway: true });
    const post = postContext();
    const outcome = await adapter.publish(post, await adapter.render(post), testAttempt());
    expect(outcome).toMatchObject({ status: 'sent', externalId: fake.posts[0]!.id });
    expect(fake.posts).toHaveLength(1);
  });

  test('368 with nothing on the Page: the whole Page waits, then Loa looks again before sending', async () => {
    fake.inject({ error: { code: 368, subcode: 1390008, message: 'We limit how often you can post' } });
    const post = postContext();
    const failure = await adapter
      .publish(post, await adapter.render(post), testAttempt())
      .catch((e: ChannelError) => e);
    expect(failure).toMatchObject({ kind: 'retry-later', retryAfterMs: BLOCKED_WAIT_MS, trace: { code: 368 } });
    expect(holds).toEqual([['trang-xa', BLOCKED_WAIT_MS]]);
    expect(fake.posts).toHaveLength(0);
  });

  test("1609005 is the link the officer must fix; 100/33 pauses the channel; #12 is Loa's own fault", async () => {
    const post = postContext();
    const rendered = await adapter.render(post);
    fake.inject(
      { error: { code: 1609005, message: 'Error Posting Link' } },
      { error: { code: 100, subcode: 33, message: 'Unsupported post request.' } },
      { error: { code: 12, message: '(#12) link field is deprecated for versions v3.3 and higher' } },
    );
    const errors = [];
    for (let i = 0; i < 3; i++)
      errors.push(await adapter.publish(post, rendered, testAttempt()).catch((e: ChannelError) => e));
    expect(errors[0]).toMatchObject({ kind: 'bad-content', message: expect.stringContaining('đường link (link)') });
    expect(errors[1]).toMatchObject({ kind: 'reconnect', message: expect.stringContaining('pageId') });
    expect(errors[2]).toMatchObject({ kind: 'refused', message: expect.stringContaining('cần cập nhật Loa') });
  });

  test("the Page's 24-hour limit without a time from Facebook holds the Page an hour", async () => {
    fake.inject({ error: { code: 32, message: 'Page request limit reached' } });
    const post = postContext();
    const failure = await adapter
      .publish(post, await adapter.render(post), testAttempt())
      .catch((e: ChannelError) => e);
    expect(failure).toMatchObject({ kind: 'retry-later', retryAfterMs: PAGE_THROTTLED_DEFAULT_MS });
  });

  test('the same text twice on the Page within the window cannot be told apart: cannot-tell, naming both', async () => {
    const post = postContext();
    const rendered = await adapter.render(post);
    const now = new Date();
    const a = fake.addPost({
      pageId: PAGE,
      message: rendered,
      link: 'https://dichvucong.gov.vn/p/home',
      createdAt: now,
    });
    const b = fake.addPost({
      pageId: PAGE,
      message: rendered,
      link: 'https://dichvucong.gov.vn/p/home',
      createdAt: now,
    });
    const found = await adapter.findExisting(post, rendered, testAttempt());
    expect(found).toMatchObject({ status: 'cannot-tell', reason: expect.stringContaining('2 bài cùng nội dung') });
    expect((found as { reason: string }).reason).toContain(a.id.split('_')[1]!);
    expect((found as { reason: string }).reason).toContain(b.id.split('_')[1]!);
  });

  test('a post found through its attachment: the link is read behind the shim, the address is the permalink', async () => {
    const post = postContext();
    const rendered = await adapter.render(post);
    const made = fake.addPost({
      pageId: PAGE,
      message: rendered,
      link: 'https://dichvucong.gov.vn/p/home',
      createdAt: new Date(),
    });
    expect(await adapter.findExisting(post, rendered, attemptWithOwners())).toEqual({
      status: 'found',
      externalId: made.id,
      externalUrl: `https://www.facebook.com/${PAGE}/posts/${made.id.split('_')[1]}`,
      content: rendered,
    });
  });

  test('two publications of one item, the same text twice on the Page: the post owned by the other is left out', async () => {
    const post = postContext();
    const rendered = await adapter.render(post);
    const now = new Date();
    const theirs = fake.addPost({
      pageId: PAGE,
      message: rendered,
      link: 'https://dichvucong.gov.vn/p/home',
      createdAt: now,
    });
    const ours = fake.addPost({
      pageId: PAGE,
      message: rendered,
      link: 'https://dichvucong.gov.vn/p/home',
      createdAt: now,
    });
    owned.add(theirs.id);
    const before = fake.requests.length;
    // Against the fake that refuses removed fields: the listing reads attachments, never `link`.
    expect(await adapter.findExisting(post, rendered, attemptWithOwners())).toMatchObject({
      status: 'found',
      externalId: ours.id,
    });
    expect(fake.requests.slice(before).some((r) => /fields=[^&]*\blink\b/.test(decodeURIComponent(r.path)))).toBe(
      false,
    );
    // Both owned elsewhere: nothing here is this publication's post.
    owned.add(ours.id);
    expect(await adapter.findExisting(post, rendered, attemptWithOwners())).toEqual({ status: 'absent' });
  });

  test("one unowned post found while the item's other publication may have posted (its answer not in yet): cannot tell", async () => {
    const post = postContext();
    const rendered = await adapter.render(post);
    fake.addPost({ pageId: PAGE, message: rendered, link: 'https://dichvucong.gov.vn/p/home', createdAt: new Date() });
    const attempt = { ...attemptWithOwners(), siblingMayHavePosted: async () => true };
    const answer = await adapter.findExisting(post, rendered, attempt);
    expect(answer.status).toBe('cannot-tell');
    expect(answer).toMatchObject({ reason: expect.stringMatching(/lượt đăng khác của cùng bài/) });
    // Without such a sibling the same post is this publication's.
    expect((await adapter.findExisting(post, rendered, attemptWithOwners())).status).toBe('found');
  });
});
