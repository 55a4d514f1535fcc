import { randomBytes } from 'node:crypto';

import type IORedis from 'ioredis';

/** How many publications one account may take in a window; e.g. 20 per hour. */
export interface PaceLimit {
  count: number;
  windowMs: number;
}

/**
 * Takes a publishing turn: first the account's hold (a platform said "slow down"), then a sliding window of the
 * turns taken in the last `windowMs`. Runs atomically in Redis with Redis's own clock, so every worker process on
 * every machine shares one count and no worker's clock matters. Returns 0 (go, the turn is taken) or how many ms
 * to wait (nothing taken).
 */
const TAKE_TURN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local hold = tonumber(redis.call('GET', KEYS[2]) or '0')
if hold > now then return hold - now end
local limit = tonumber(ARGV[1])
if limit > 0 then
  local window = tonumber(ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
  if redis.call('ZCARD', KEYS[1]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    return math.max(1, tonumber(oldest[2]) + window - now)
  end
  redis.call('ZADD', KEYS[1], now, now .. '-' .. ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
end
return 0
`;

/** Holds the account for ARGV[1] ms from Redis's now, unless it is already held longer. */
const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then
  redis.call('SET', KEYS[1], untilMs, 'PX', tonumber(ARGV[1]))
end
return math.max(untilMs, current) - now
`;

interface PaceScripts {
  loaPaceTakeTurn(turns: string, hold: string, limit: number, windowMs: number, nonce: string): Promise<unknown>;
  loaPaceHold(hold: string, ms: number): Promise<unknown>;
}

/**
 * Per-account publishing pace across all worker processes, kept in Redis (never in memory): a configurable number
 * of posts per window, and a hold a platform can impose ("slow down for N seconds"). A caller that must wait is
 * told how long, so it can delay its job instead of sleeping on a concurrency slot.
 */
export class AccountPace {
  /**
   * The scripts are loaded once and called by their SHA (ioredis's defineCommand: EVALSHA, with EVAL only when Redis
   * does not know the script, as after a restart): the whole take-turn script was sent with every job.
   */
  private readonly scripts: IORedis & PaceScripts;

  constructor(
    redis: IORedis,
    private readonly prefix: string,
  ) {
    const scripts = redis as IORedis & Partial<PaceScripts>;
    if (!scripts.loaPaceTakeTurn) scripts.defineCommand('loaPaceTakeTurn', { numberOfKeys: 2, lua: TAKE_TURN });
    if (!scripts.loaPaceHold) scripts.defineCommand('loaPaceHold', { numberOfKeys: 1, lua: HOLD });
    this.scripts = scripts as IORedis & PaceScripts;
  }

  private get redis(): IORedis {
    return this.scripts;
  }

  private key(accountId: string, part: 'turns' | 'hold'): string {
    return `${this.prefix}:pace:${accountId}:${part}`;
  }

  /** 0 when a turn was taken now; otherwise the ms to wait (no turn taken). `limit` null = only the hold applies. */
  async takeTurn(accountId: string, limit: PaceLimit | null): Promise<number> {
    const result = await this.scripts.loaPaceTakeTurn(
      this.key(accountId, 'turns'),
      this.key(accountId, 'hold'),
      limit?.count ?? 0,
      limit?.windowMs ?? 0,
      randomBytes(4).toString('hex'),
    );
    return Number(result);
  }

  /** Holds the account's next turns for `ms` (never shortens a longer hold); returns the ms the hold now lasts. */
  async hold(accountId: string, ms: number): Promise<number> {
    if (!(ms > 0)) return 0;
    return Number(await this.scripts.loaPaceHold(this.key(accountId, 'hold'), Math.ceil(ms)));
  }

  /** How many ms the account is still held (0 if not). */
  async heldFor(accountId: string): Promise<number> {
    const [until, now] = await Promise.all([this.redis.get(this.key(accountId, 'hold')), this.redis.time()]);
    const nowMs = Number(now[0]) * 1000 + Math.floor(Number(now[1]) / 1000);
    return Math.max(0, Number(until ?? 0) - nowMs);
  }
}
