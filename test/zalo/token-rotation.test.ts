import { randomBytes } from 'node:crypto';

import IORedis from 'ioredis';

import { ZaloClient } from '../../channels/zalo/client';
import { type ExclusiveLock, LocalLock, newZaloSecret, ZaloTokens } from '../../channels/zalo/tokens';
import { FakeZalo } from '../../src/demo/fake-zalo-oa';
import { RedisExclusiveLock } from '../../src/queue/exclusive-lock';
import { SHARED_REDIS_URL } from '../support/services';
import { MemorySecrets } from '../support/zalo';

describe('rotating a Zalo token pair from several holders at once', () => {
  let fake: FakeZalo;
  const connections: IORedis[] = [];
  beforeEach(async () => {
    fake = new FakeZalo();
    await fake.start();
    // Each refresh takes a while at Zalo, so that the holders really overlap.
    fake.delay('/v4/oa/access_token', 150);
  });
  afterEach(async () => {
    await fake.stop();
    await Promise.all(connections.splice(0).map((c) => c.quit()));
  });

  function redisLock(prefix: string): ExclusiveLock {
    // One connection per holder, as two worker processes would have.
    const redis = new IORedis(SHARED_REDIS_URL);
    connections.push(redis);
    return new RedisExclusiveLock(redis, { prefix });
  }

  async function race(locks: ExclusiveLock[]) {
    const secrets = new MemorySecrets();
    const pair = fake.issuePair();
    secrets.set('zalo-xa', JSON.stringify(newZaloSecret(pair.accessToken, pair.refreshToken)));
    fake.revokeAccess(pair.accessToken);
    const holders = locks.map(
      (lock) =>
        new ZaloTokens(secrets, lock, new ZaloClient({ apiUrl: fake.url, oauthUrl: fake.url }), {
          appId: fake.appId,
          secretKey: fake.secretKey,
        }),
    );
    const results = await Promise.allSettled(holders.map((h) => h.refreshAfterRejection('zalo-xa', pair.accessToken)));
    return { results, stored: JSON.parse(secrets.get('zalo-xa')!) as { accessToken: string; refreshToken: string } };
  }

  test('four holders refreshing at once under the Redis lock: one refresh, one valid pair, every holder gets it', async () => {
    const prefix = `loa-test-${randomBytes(4).toString('hex')}`;
    const { results, stored } = await race([
      redisLock(prefix),
      redisLock(prefix),
      redisLock(prefix),
      redisLock(prefix),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(new Set(results.map((r) => (r as PromiseFulfilledResult<string>).value))).toEqual(
      new Set([stored.accessToken]),
    );
    expect(fake.refreshes).toEqual({ accepted: 1, refused: 0 });
    expect(fake.isValidAccess(stored.accessToken)).toBe(true);
    expect(fake.isValidRefresh(stored.refreshToken)).toBe(true);
  });

  test('without a shared lock the one-time refresh token is spent twice and a holder is refused (why the lock exists)', async () => {
    const { results } = await race([new LocalLock(), new LocalLock()]);
    expect(fake.refreshes.refused).toBeGreaterThan(0);
    expect(results.some((r) => r.status === 'rejected')).toBe(true);
  });
});
