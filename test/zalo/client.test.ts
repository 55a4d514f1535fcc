import { ZaloClient } from '../../channels/zalo/client';
import { ZaloApiError, ZaloRefreshRefused, ZaloTransportError } from '../../channels/zalo/zalo-errors';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';

describe('Zalo OA client against the fake Zalo OA', () => {
  let fake: FakeZalo;
  let client: ZaloClient;
  beforeEach(async () => {
    fake = new FakeZalo();
    await fake.start();
    client = new ZaloClient({ apiUrl: fake.url, oauthUrl: fake.url, timeoutMs: 5_000 });
  });
  afterEach(() => fake.stop());

  test('reads the OA and its articles with the token in the access_token header only', async () => {
    const { accessToken } = fake.issuePair();
    await expect(client.getOa(accessToken)).resolves.toMatchObject({ name: 'UBND xã Tân Lập', is_verified: true });
    await expect(client.listArticles(accessToken, { offset: 0, limit: 5, type: 'normal' })).resolves.toEqual({
      medias: [],
      total: 0,
    });
    expect(fake.requests.map((r) => r.url)).toEqual([
      '/v2.0/oa/getoa',
      '/v2.0/article/getslice?offset=0&limit=5&type=normal',
    ]);
  });

  test.each([
    [-216, 'token'],
    [-220, 'token'],
    [-32, 'rate-limit'],
    [-214, 'processing'],
    [-234, 'night'],
    [-211, 'quota'],
    [-201, 'bad-request'],
    [-221, 'refused'],
    [-4242, 'unknown'],
  ])('an HTTP-200 answer with error %i is a ZaloApiError of class %s, code and message kept', async (code, kind) => {
    const { accessToken } = fake.issuePair();
    fake.failNext('/v2.0/oa/getoa', { code, message: `lỗi thử ${code}` });
    const error = await client.getOa(accessToken).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZaloApiError);
    expect(error).toMatchObject({
      code,
      kind,
      zaloMessage: `lỗi thử ${code}`,
      message: expect.stringContaining(String(code)),
    });
  });

  test('-32 carries the X-RateLimit headers', async () => {
    const { accessToken } = fake.issuePair();
    fake.requestsPerMinute = 1;
    await client.getOa(accessToken);
    const error = await client.getOa(accessToken).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: -32, kind: 'rate-limit', rateLimit: { limit: 1, remain: 0 } });
  });

  test('a call slower than the timeout, or aborted by the caller, is a transport error', async () => {
    const { accessToken } = fake.issuePair();
    fake.delay('/v2.0/oa/getoa', 3_000);
    const impatient = new ZaloClient({ apiUrl: fake.url, timeoutMs: 500 });
    await expect(impatient.getOa(accessToken)).rejects.toMatchObject({
      name: 'ZaloTransportError',
      timedOut: true,
      message: expect.stringContaining('quá 1 giây'),
    });
    const controller = new AbortController();
    const call = client.getOa(accessToken, controller.signal);
    controller.abort();
    await expect(call).rejects.toMatchObject({
      name: 'ZaloTransportError',
      timedOut: false,
      message: expect.stringContaining('bị hủy'),
    });
  });

  test('a connection dropped after the request is a transport error, the article created all the same', async () => {
    const { accessToken } = fake.issuePair();
    fake.dropAfterNext('/v2.0/article/create');
    const article = {
      type: 'normal' as const,
      title: 'Bài',
      author: 'Xã',
      description: 'Mô tả',
      cover: { cover_type: 'photo' as const, photo_url: fake.imageUrl(10), status: 'show' as const },
      body: [{ type: 'text' as const, content: 'Nội dung' }],
      status: 'show' as const,
      comment: 'show' as const,
    };
    await expect(client.createArticle(accessToken, article)).rejects.toBeInstanceOf(ZaloTransportError);
    expect(fake.articles).toHaveLength(1);
  });

  test('a refresh token works once: the new pair is valid, the old refresh token is refused afterwards', async () => {
    const pair = fake.issuePair();
    const now = new Date('2031-01-01T00:00:00Z');
    const fresh = await client.refresh(
      { appId: fake.appId, secretKey: fake.secretKey, refreshToken: pair.refreshToken },
      undefined,
      now,
    );
    expect(fresh.accessExpiresAt.toISOString()).toBe('2031-01-02T01:00:00.000Z');
    expect(fake.isValidAccess(fresh.accessToken)).toBe(true);
    const again = await client
      .refresh({ appId: fake.appId, secretKey: fake.secretKey, refreshToken: pair.refreshToken })
      .catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ZaloRefreshRefused);
    expect(again).toMatchObject({ code: -14014 });
    expect((again as Error).message).not.toContain(pair.refreshToken);
    const wrongKey = await client
      .refresh({ appId: fake.appId, secretKey: 'sai', refreshToken: fresh.refreshToken })
      .catch((e: unknown) => e);
    expect(wrongKey).toMatchObject({ name: 'ZaloRefreshRefused', code: -14002 });
  });

  test('an unreachable host is a transport error naming the network code, not the URL', async () => {
    const gone = new FakeZalo();
    const url = await gone.start();
    await gone.stop();
    const dead = new ZaloClient({ apiUrl: url, timeoutMs: 500 });
    const error = await dead.getOa('at-x').catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ZaloTransportError', message: expect.stringContaining('ECONNREFUSED') });
  });
});
