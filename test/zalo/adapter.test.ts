import { ChannelError } from '../../channels/types';
import { STEPS } from '../../channels/zalo/zalo-adapter';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import { testAttempt } from '../support/attempt';
import { earlierAttempt, type PostOptions, zaloPost, zaloRig } from '../support/zalo';

/** 10/03/2031 09:00 in Vietnam: day, far from now. */
const DAY = new Date('2031-03-10T02:00:00Z');
/** 10/03/2031 23:00 in Vietnam. */
const NIGHT = new Date('2031-03-10T16:00:00Z');
/** 11/03/2031 06:00 in Vietnam. */
const MORNING = new Date('2031-03-10T23:00:00Z');

describe('Zalo adapter against the fake Zalo OA', () => {
  let fake: FakeZalo;
  beforeEach(async () => {
    fake = new FakeZalo();
    fake.processingDelayMs = 200;
    await fake.start();
  });
  afterEach(() => fake.stop());

  function post(options: PostOptions = {}) {
    return zaloPost({ image: fake.imageUrl(80_000), ...options });
  }

  async function publishWith(
    rig: ReturnType<typeof zaloRig>,
    options: PostOptions = {},
    earlier = [] as Parameters<typeof testAttempt>[0],
  ) {
    const p = post(options);
    const rendered = await rig.adapter.render(p);
    const attempt = testAttempt(earlier, rig.clock.now);
    return { attempt, rendered, result: rig.adapter.publish(p, rendered, attempt) };
  }

  test('an item becomes a shown article: job token recorded first, verify polled through "being processed", id and URL returned', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    // Zalo answers "being processed" twice, whatever the machine's speed.
    fake.failNext(
      '/v2.0/article/verify',
      { code: -214, message: 'Article is being processed' },
      { code: -214, message: 'Article is being processed' },
    );
    const order: string[] = [];
    const p = post({ settings: { comments: false } });
    const rendered = await rig.adapter.render(p);
    const attempt = testAttempt([], DAY);
    const progress = attempt.progress;
    attempt.progress = async (step, value) => {
      order.push(`${step}:${fake.articles.length}`);
      await progress(step, value);
    };
    const outcome = await rig.adapter.publish(p, rendered, attempt);

    expect(outcome).toMatchObject({
      status: 'sent',
      externalId: fake.articles[0]!.id,
      externalUrl: fake.articleUrl(fake.articles[0]!.id),
      content: rendered,
    });
    expect(order).toEqual(['token:1', 'article:1', 'article-url:1']);
    expect(attempt.steps[STEPS.article]).toBe(fake.articles[0]!.id);
    expect(fake.articles[0]).toMatchObject({
      title: 'Làm thủ tục trên Cổng dịch vụ công',
      author: 'UBND xã Tân Lập',
      status: 'show',
      comment: 'hide',
      cover: fake.imageUrl(80_000),
    });
    expect(fake.articles[0]!.description).toContain('Từ ngày 1/4, người dân nộp hồ sơ trực tuyến.');
    expect(fake.articles[0]!.body).toEqual([
      { type: 'text', content: 'Từ ngày 1/4, người dân nộp hồ sơ trực tuyến.' },
      { type: 'text', content: 'Mọi thắc mắc xin gọi bộ phận một cửa.' },
    ]);
    expect(fake.requests.filter((r) => r.url === '/v2.0/article/verify').length).toBeGreaterThanOrEqual(3);
  });

  test.each([
    ['title', { title: 'T'.repeat(151) }, /Tiêu đề \(title\).*151 ký tự.*150/],
    ['description', { body: 'Mô tả dài '.repeat(40) }, /Mô tả \(description\).*300/],
    ['cover', { image: null }, /ảnh bìa \(cover\)/],
  ])("%s over Zalo's limit fails before any call, naming the field", async (_field, options, reason) => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const p = post(options);
    let rendered = await rig.adapter.render(p);
    // The shipped template truncates the description; an officer's template may not.
    if (_field === 'description') rendered = rendered.replace(/^Mô tả: .*$/m, `Mô tả: ${'x'.repeat(301)}`);
    const error = await rig.adapter.publish(p, rendered, testAttempt([], DAY)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect(error).toMatchObject({ kind: 'bad-content', message: expect.stringMatching(reason) });
    expect(fake.articles).toHaveLength(0);
    expect(fake.requests.some((r) => r.url.startsWith('/v2.0'))).toBe(false);
  });

  test('an image over 1 MB is refused naming the field, before create', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const { result } = await publishWith(rig, { image: fake.imageUrl(1024 * 1024 + 1) });
    await expect(result).rejects.toMatchObject({
      kind: 'bad-content',
      message: expect.stringMatching(/Ảnh bìa \(cover\) nặng 1\.0 MB.*tối đa 1 MB/),
    });
    expect(fake.articles).toHaveLength(0);
  });

  test('an attempt that recorded the job token and died is resumed by verifying it, never by creating again', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const first = await publishWith(rig);
    const progress = first.attempt.progress;
    // The worker dies right after the token is recorded.
    first.attempt.progress = async (step, value) => {
      await progress(step, value);
      if (step === STEPS.jobToken) throw new Error('tiến trình bị dừng');
    };
    await expect(first.result).rejects.toThrow('tiến trình bị dừng');
    expect(fake.articles).toHaveLength(1);

    const second = await publishWith(rig, {}, [earlierAttempt(first.attempt.steps, DAY)]);
    await expect(second.result).resolves.toMatchObject({ status: 'sent', externalId: fake.articles[0]!.id });
    expect(fake.createdWithTitle('Làm thủ tục trên Cổng dịch vụ công')).toBe(1);
    expect(fake.requests.filter((r) => r.url === '/v2.0/article/create')).toHaveLength(1);
  });

  test('an answer lost after create is an unknown outcome; findExisting then finds exactly that article', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.dropAfterNext('/v2.0/article/create');
    const first = await publishWith(rig);
    await expect(first.result).resolves.toMatchObject({
      status: 'unknown',
      reason: expect.stringContaining('không rõ Zalo đã tạo bài chưa'),
    });
    expect(fake.articles).toHaveLength(1);

    const p = post();
    const found = await rig.adapter.findExisting(
      p,
      first.rendered,
      testAttempt([earlierAttempt({}, new Date(Date.now() - 1000))], new Date()),
    );
    expect(found).toMatchObject({
      status: 'found',
      externalId: fake.articles[0]!.id,
      externalUrl: fake.articleUrl(fake.articles[0]!.id),
    });
  });

  test('findExisting says absent when nothing with that title was created in the window, cannot-tell when two were', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const p = post();
    const rendered = await rig.adapter.render(p);
    const window = [earlierAttempt({}, new Date(Date.now() - 1000))];
    await expect(rig.adapter.findExisting(p, rendered, testAttempt(window))).resolves.toEqual({ status: 'absent' });

    await rig.adapter.publish(
      post({ title: 'Bài khác' }),
      await rig.adapter.render(post({ title: 'Bài khác' })),
      testAttempt([], DAY),
    );
    await expect(rig.adapter.findExisting(p, rendered, testAttempt(window))).resolves.toEqual({ status: 'absent' });

    await rig.adapter.publish(p, rendered, testAttempt([], DAY));
    await rig.adapter.publish(p, rendered, testAttempt([], DAY));
    await expect(rig.adapter.findExisting(p, rendered, testAttempt(window))).resolves.toMatchObject({
      status: 'cannot-tell',
      reason: expect.stringContaining('có 2 bài cùng tiêu đề'),
    });
  });

  test('a broadcast due at night waits for 06:00; the morning attempt only broadcasts', async () => {
    const rig = zaloRig(fake, 'zalo-xa', NIGHT);
    fake.now = () => rig.clock.now;
    const first = await publishWith(rig, { settings: { broadcast: 'always' } });
    const error = (await first.result.catch((e: unknown) => e)) as ChannelError;
    expect(error).toBeInstanceOf(ChannelError);
    expect(error.kind).toBe('retry-later');
    expect(error.retryAfterMs).toBe(MORNING.getTime() - NIGHT.getTime());
    expect(error.message).toContain('11/03/2031 06:00');
    expect(first.attempt.steps[STEPS.article]).toBe(fake.articles[0]!.id);
    expect(fake.broadcasts).toHaveLength(0);
    // Loa knows the rule: it does not spend a request to be told no.
    expect(fake.requests.some((r) => r.url === '/v2.0/oa/message')).toBe(false);

    rig.clock.now = MORNING;
    const second = await publishWith(rig, { settings: { broadcast: 'always' } }, [
      earlierAttempt(first.attempt.steps, NIGHT),
    ]);
    await expect(second.result).resolves.toMatchObject({ status: 'sent', externalId: fake.articles[0]!.id });
    expect(fake.broadcasts).toEqual([{ articleId: fake.articles[0]!.id, at: MORNING, reached: 10 }]);
    expect(second.attempt.steps[STEPS.broadcast]).toMatch(/^msg-/);
    expect(fake.articles).toHaveLength(1);
  });

  test("Zalo's own night refusal (-234) also waits for the morning", async () => {
    const rig = zaloRig(fake, 'zalo-xa', new Date('2031-03-10T14:59:00Z')); // 21:59 for Loa
    fake.now = () => new Date('2031-03-10T15:01:00Z'); // 22:01 for Zalo
    const { result } = await publishWith(rig, { settings: { broadcast: 'always' } });
    await expect(result).rejects.toMatchObject({
      kind: 'retry-later',
      retryAfterMs: MORNING.getTime() - new Date('2031-03-10T14:59:00Z').getTime(),
      trace: { code: -234 },
    });
  });

  test('an exhausted monthly quota publishes the article and records why no broadcast went out, without retrying', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.now = () => rig.clock.now;
    fake.oaBroadcastsPerCycle = 0;
    const { result, attempt } = await publishWith(rig, { settings: { broadcast: 'urgent' }, priority: 'khan-cap' });
    const outcome = await result;
    expect(outcome).toMatchObject({ status: 'sent', externalId: fake.articles[0]!.id });
    expect(fake.broadcasts).toHaveLength(0);
    expect(attempt.steps[STEPS.broadcastSkipped]).toMatch(/hết lượt gửi tin.*kỳ gói dịch vụ.*-211.*ngày gia hạn gói/);
    expect(attempt.steps[STEPS.broadcastSkipped]).not.toMatch(/đầu tháng sau/);
  });

  test('the quota message names the renewal day when the channel knows it, not the 1st', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY); // 10/03/2031
    fake.now = () => rig.clock.now;
    fake.oaBroadcastsPerCycle = 0;
    const { result, attempt } = await publishWith(rig, { settings: { broadcast: 'always', renewalDay: 22 } });
    await result;
    expect(attempt.steps[STEPS.broadcastSkipped]).toContain('lượt mới có từ ngày 22/03/2031 (ngày gia hạn gói)');
  });

  test('a second broadcast on the same day waits for the next morning: Zalo would take it and reach nobody', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.now = () => rig.clock.now;
    // The fake shows what Zalo does: the same day's second broadcast is accepted and reaches no follower.
    const first = await publishWith(rig, { settings: { broadcast: 'always' }, title: 'Tin thứ nhất' });
    await first.result;
    const unguarded = await rig.client.broadcastArticle(
      JSON.parse(rig.secrets.get('zalo-xa')!).accessToken,
      fake.articles[0]!.id,
    );
    expect(unguarded.message_id).toMatch(/^msg-/);
    expect(fake.broadcasts.map((b) => b.reached)).toEqual([10, 0]);
    // Loa knows it from its own log: it waits for 06:00 tomorrow instead.
    rig.broadcasts.push(DAY);
    const second = await publishWith(rig, { settings: { broadcast: 'always' }, title: 'Tin thứ hai' });
    await expect(second.result).rejects.toMatchObject({
      kind: 'retry-later',
      retryAfterMs: MORNING.getTime() - DAY.getTime(),
      message: expect.stringContaining('1 tin mỗi ngày'),
    });
    expect(fake.broadcasts).toHaveLength(2);
  });

  test("after this month's number per follower, Loa does not broadcast and says why; the article is published", async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.now = () => rig.clock.now;
    rig.broadcasts.push(new Date('2031-03-02T02:00:00Z')); // one broadcast already this month
    const { result, attempt } = await publishWith(rig, { settings: { broadcast: 'always', package: 'co-ban' } });
    await expect(result).resolves.toMatchObject({ status: 'sent' });
    expect(fake.broadcasts).toHaveLength(0);
    expect(attempt.steps[STEPS.broadcastSkipped]).toMatch(/gói Cơ bản.*chỉ đến được người mới quan tâm.*01\/04\/2031/);
  });

  test('-124 (an expired access token, as many OAs answer) is refreshed once and the call tried again', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.failNext('/v2.0/article/create', { code: -124, message: 'Access token is expired' });
    const { result } = await publishWith(rig);
    await expect(result).resolves.toMatchObject({ status: 'sent' });
    expect(fake.refreshes).toEqual({ accepted: 1, refused: 0 });
    expect(fake.articles).toHaveLength(1);
  });

  test('urgent-only broadcast leaves ordinary items alone', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.now = () => rig.clock.now;
    await (
      await publishWith(rig, { settings: { broadcast: 'urgent' } })
    ).result;
    expect(fake.broadcasts).toHaveLength(0);
  });

  test('an invalid access token is refreshed once and the call retried; the new pair is stored and the old refresh token is spent', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const before = JSON.parse(rig.secrets.get('zalo-xa')!) as { accessToken: string; refreshToken: string };
    fake.revokeAccess(before.accessToken);
    const { result } = await publishWith(rig);
    await expect(result).resolves.toMatchObject({ status: 'sent' });
    const after = JSON.parse(rig.secrets.get('zalo-xa')!) as {
      accessToken: string;
      refreshToken: string;
      accessExpiresAt: string;
    };
    expect(after.accessToken).not.toBe(before.accessToken);
    expect(fake.isValidAccess(after.accessToken)).toBe(true);
    expect(fake.isValidRefresh(before.refreshToken)).toBe(false);
    expect(fake.refreshes).toEqual({ accepted: 1, refused: 0 });
    expect(new Date(after.accessExpiresAt).getTime()).toBe(DAY.getTime() + 90_000_000);
  });

  test('an access token about to expire is refreshed before the call', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const stored = JSON.parse(rig.secrets.get('zalo-xa')!) as Record<string, string>;
    rig.secrets.set(
      'zalo-xa',
      JSON.stringify({ ...stored, accessExpiresAt: new Date(DAY.getTime() + 10 * 60_000).toISOString() }),
    );
    await (
      await publishWith(rig)
    ).result;
    expect(fake.refreshes.accepted).toBe(1);
  });

  test('a refused refresh token asks for a reconnect in Vietnamese, without any token in the message', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const pair = JSON.parse(rig.secrets.get('zalo-xa')!) as { accessToken: string; refreshToken: string };
    fake.revokeAccess(pair.accessToken);
    fake.revokeRefresh(pair.refreshToken);
    const error = (await (await publishWith(rig)).result.catch((e: unknown) => e)) as ChannelError;
    expect(error).toMatchObject({
      kind: 'reconnect',
      message: expect.stringMatching(
        /Zalo từ chối mã làm mới.*kết nối lại Zalo OA của kênh "zalo-xa".*loa channels connect zalo-xa/,
      ),
    });
    expect(error.message).not.toContain(pair.accessToken);
    expect(error.message).not.toContain(pair.refreshToken);
    expect(fake.articles).toHaveLength(0);
  });

  test.each([
    [-32, 'retry-later', /quá nhiều yêu cầu/],
    [-201, 'bad-content', /tham số sai/],
    [-221, 'refused', /xác thực OA/],
    [-9999, 'refused', /mã lỗi Zalo -9999: Something new/],
  ])('create answered %i ends as %s, nothing created', async (code, kind, message) => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.failNext('/v2.0/article/create', { code, message: code === -9999 ? 'Something new' : 'x' });
    const error = await (await publishWith(rig)).result.catch((e: unknown) => e);
    expect(error).toMatchObject({ kind, message: expect.stringMatching(message), trace: { code } });
    if (code === -32) expect(error).toMatchObject({ retryAfterMs: 60_000 });
    expect(fake.articles).toHaveLength(0);
  });

  test('Zalo still processing past the overall limit is retried later with the job token kept', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.processingDelayMs = 60_000;
    const { result, attempt } = await publishWith(rig, { settings: { verifyTimeoutS: 5 } });
    await expect(result).rejects.toMatchObject({
      kind: 'retry-later',
      message: expect.stringContaining('không tạo bài mới'),
    });
    expect(attempt.steps[STEPS.jobToken]).toBeTruthy();
    expect(attempt.steps[STEPS.article]).toBeUndefined();
  });

  test('no access token ever travels in a URL', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    fake.now = () => rig.clock.now;
    await (
      await publishWith(rig, { settings: { broadcast: 'always' } })
    ).result;
    const pair = JSON.parse(rig.secrets.get('zalo-xa')!) as { accessToken: string };
    expect(fake.requests.length).toBeGreaterThan(3);
    expect(fake.requests.some((r) => r.url.includes(pair.accessToken) || r.url.includes('access_token='))).toBe(false);
  });

  test('settings are checked with the field named', () => {
    const rig = zaloRig(fake);
    expect(() => rig.adapter.checkSettings({ broadcast: 'sometimes' })).toThrow(
      /mục "broadcast": phải là "never", "always" hoặc "urgent"/,
    );
    expect(() => rig.adapter.checkSettings({ coverUrl: 'anh.jpg' })).toThrow(/mục "coverUrl"/);
    expect(() => rig.adapter.checkSettings({ color: 'red' })).toThrow(/color/);
    expect(() => rig.adapter.checkSettings({ broadcast: 'urgent', comments: false })).not.toThrow();
  });

  test('checkAccount says the OA answers, is verified, and when the refresh token expires; a revoked pair is an error', async () => {
    const rig = zaloRig(fake, 'zalo-xa', DAY);
    const channel = zaloPost({ settings: { broadcast: 'urgent' } }).channel;
    await expect(rig.adapter.checkAccount(channel)).resolves.toBe(
      'OA "UBND xã Tân Lập" trả lời, đã xác thực, 1520 người quan tâm; mã làm mới hết hạn 08/06/2031 09:00 (còn 90 ngày); gửi tin đến người quan tâm: bật cho bài khẩn cấp (chỉ 06:00–22:00, giới hạn lượt mỗi tháng)',
    );
    rig.clock.now = new Date('2031-06-01T02:00:00Z');
    await expect(rig.adapter.checkAccount(channel)).resolves.toContain('còn 7 ngày; cần kết nối lại OA trước ngày đó');
    const pair = JSON.parse(rig.secrets.get('zalo-xa')!) as { accessToken: string; refreshToken: string };
    fake.revokeAccess(pair.accessToken);
    fake.revokeRefresh(pair.refreshToken);
    await expect(rig.adapter.checkAccount(channel)).rejects.toMatchObject({ kind: 'reconnect' });
  });
});
