import { randomBytes } from 'node:crypto';

import IORedis from 'ioredis';

import { AccountPace } from '../../src/queue/account-pace';
import { SHARED_REDIS_URL } from '../support/services';

describe('per-account pace in Redis', () => {
  const connections: IORedis[] = [];
  const prefix = `loa-test-${randomBytes(4).toString('hex')}`;
  const pace = () => {
    const redis = new IORedis(SHARED_REDIS_URL);
    connections.push(redis);
    return new AccountPace(redis, prefix);
  };
  afterAll(() => connections.forEach((c) => c.disconnect()));

  test('two processes sharing an account never take more turns than its limit in the window', async () => {
    const [a, b] = [pace(), pace()];
    const limit = { count: 3, windowMs: 60_000 };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).takeTurn('trang-xa', limit)),
    );
    expect(answers.filter((ms) => ms === 0)).toHaveLength(3);
    // Those refused are told to wait about the window, not a guess.
    for (const ms of answers.filter((ms) => ms > 0)) expect(ms).toBeGreaterThan(50_000);
    // Another account is not held by this one.
    expect(await a.takeTurn('trang-huyen', limit)).toBe(0);
  });

  test('turns come back when the window slides', async () => {
    const p = pace();
    const limit = { count: 1, windowMs: 300 };
    expect(await p.takeTurn('dai-xa', limit)).toBe(0);
    expect(await p.takeTurn('dai-xa', limit)).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 350));
    expect(await p.takeTurn('dai-xa', limit)).toBe(0);
  });

  test('a hold from the platform stops every turn until it ends and is never shortened', async () => {
    const [a, b] = [pace(), pace()];
    await a.hold('zalo-xa', 60_000);
    await b.hold('zalo-xa', 1_000);
    expect(await b.heldFor('zalo-xa')).toBeGreaterThan(55_000);
    expect(await b.takeTurn('zalo-xa', null)).toBeGreaterThan(55_000);
    expect(await b.takeTurn('zalo-huyen', null)).toBe(0);
  });
});
