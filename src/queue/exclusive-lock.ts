import { randomBytes } from 'node:crypto';

import type IORedis from 'ioredis';

/** Deletes the key only if it still holds our token: never releases a lock another process took after ours expired. */
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface ExclusiveLockOptions {
  /** Key prefix (the installation's queue prefix), so installations sharing a Redis do not block each other. */
  prefix: string;
  /** The lock expires after this long if its holder dies. Default 30 s; the work inside must be shorter. */
  ttlMs?: number;
  /** Gives up waiting after this long. Default 60 s. */
  waitMs?: number;
}

/**
 * One holder at a time for a key, across every process sharing the Redis: SET NX PX to take it, a compare-and-delete
 * to give it back. Waiters poll with a short, growing pause. Used where two processes must never do the same
 * one-time thing at once (rotating an account's single-use refresh token).
 */
export class RedisExclusiveLock {
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(
    private readonly redis: IORedis,
    private readonly options: ExclusiveLockOptions,
  ) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.waitMs = options.waitMs ?? 60_000;
  }

  /**
   * Runs `fn` only if nobody holds the key now, without waiting (work one process in the installation does for all,
   * like the scheduled backup); `ttlMs` must outlast the work. False when another holder had it.
   */
  async runIfFree(key: string, ttlMs: number, fn: () => Promise<void>): Promise<boolean> {
    const name = `${this.options.prefix}:lock:${key}`;
    const token = randomBytes(12).toString('hex');
    if ((await this.redis.set(name, token, 'PX', ttlMs, 'NX')) !== 'OK') return false;
    try {
      await fn();
      return true;
    } finally {
      await this.redis.eval(RELEASE, 1, name, token);
    }
  }

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const name = `${this.options.prefix}:lock:${key}`;
    const token = randomBytes(12).toString('hex');
    const deadline = Date.now() + this.waitMs;
    let pause = 25;
    while ((await this.redis.set(name, token, 'PX', this.ttlMs, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`chờ khóa "${key}" quá ${Math.round(this.waitMs / 1000)} giây`);
      await new Promise((resolve) => setTimeout(resolve, pause));
      pause = Math.min(pause * 2, 500);
    }
    try {
      return await fn();
    } finally {
      await this.redis.eval(RELEASE, 1, name, token);
    }
  }
}
