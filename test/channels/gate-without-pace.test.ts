import { randomBytes } from 'node:crypto';

import IORedis from 'ioredis';

import type { Adapters } from '../../channels';
import { AccountPace, type PaceLimit } from '../../src/queue/account-pace';
import type { BeforeClaim } from '../../src/store/before-claim';
import { ChannelGate } from '../../worker/channel-gate';
import { SHARED_REDIS_URL } from '../support/services';

/** The real pace in Redis, counting the turns it was asked for. */
class CountedPace extends AccountPace {
  asked: string[] = [];
  override async takeTurn(accountId: string, limit: PaceLimit | null): Promise<number> {
    this.asked.push(accountId);
    return super.takeTurn(accountId, limit);
  }
}

const row = (channelId: string, platform: string, settings: Record<string, unknown> = {}): BeforeClaim => ({
  state: 'queued',
  channelId,
  platform,
  settings: JSON.stringify(settings),
  pausedAt: null,
  pausedReason: null,
  pause: null,
});

describe('the gate before a claim, for accounts nothing can hold', () => {
  const redis = new IORedis(SHARED_REDIS_URL);
  const pace = new CountedPace(redis, `loa-test-${randomBytes(4).toString('hex')}`);
  // Only what the gate reads of an adapter: its default pace and whether its platform holds accounts.
  const adapters = {
    rss: { postsPerHour: undefined },
    facebook: { postsPerHour: undefined, heldByPlatform: true },
  } as unknown as Adapters;
  const gate = new ChannelGate(adapters, pace);
  afterAll(() => redis.disconnect());

  test('a channel with no pace on a platform that never holds goes without asking Redis', async () => {
    expect(await gate.waitBefore(row('cong-xa', 'rss'))).toBeNull();
    expect(pace.asked).toEqual([]);
  });

  test('a platform that holds accounts is asked, and its hold makes the job wait', async () => {
    await pace.hold('trang-xa', 60_000);
    const wait = await gate.waitBefore(row('trang-xa', 'facebook'));
    expect(pace.asked).toEqual(['trang-xa']);
    expect(wait?.delayMs).toBeGreaterThan(50_000);
  });

  test("a channel's own pace is kept even on a platform that never holds", async () => {
    const settings = { postsPerHour: 1 };
    expect(await gate.waitBefore(row('cong-phuong', 'rss', settings))).toBeNull();
    expect((await gate.waitBefore(row('cong-phuong', 'rss', settings)))?.delayMs).toBeGreaterThan(0);
    expect(pace.asked.filter((id) => id === 'cong-phuong')).toHaveLength(2);
  });
});
