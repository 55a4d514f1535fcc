import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';

function fromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * The one set of lock, stall and retry settings every Loa worker and queue uses. Environment overrides exist
 * for drills and tests (a short lock makes a killed worker's job come back in seconds, not minutes).
 */
export const queueSettings = {
  /** LOA_LOCK_MS: how long a worker holds a job without renewing; also the database lease on a publication. Default 30 s. */
  lockDurationMs: fromEnv('LOA_LOCK_MS', 30_000),
  /** How often workers look for jobs whose worker died. BullMQ's advice: no longer than the lock. */
  get stalledIntervalMs() {
    return this.lockDurationMs;
  },
  /** A job that stalls this many times is failed instead of retried forever (the database still has it). */
  maxStalledCount: 3,
  /** LOA_SCHEDULE_WINDOW_MS: publications due within this window get a BullMQ timer. Default 1 hour. */
  scheduleWindowMs: fromEnv('LOA_SCHEDULE_WINDOW_MS', 60 * 60_000),
  /** LOA_SCHEDULER_EVERY_MS: how often a worker moves newly due publications into the queues. Default 30 s. */
  schedulerEveryMs: fromEnv('LOA_SCHEDULER_EVERY_MS', 30_000),
  /** LOA_DRAIN_MS: on SIGTERM, how long in-flight jobs may take to finish before the worker exits anyway. Default 20 s. */
  drainTimeoutMs: fromEnv('LOA_DRAIN_MS', 20_000),
  /**
   * LOA_PUBLISH_TIMEOUT_MS: how long one publish may take. After it the call is abandoned: the publication fails (a
   * channel where publishing again is harmless) or is left unconfirmed for reconciliation, and the worker goes on.
   * Default 2 min.
   */
  publishTimeoutMs: fromEnv('LOA_PUBLISH_TIMEOUT_MS', 120_000),
  /**
   * LOA_HEARTBEAT_MS: how often a worker writes its heartbeat (worker_heartbeats). One that has not beaten for three
   * of these is no longer counted alive by /health and doctor (a frozen or cut-off process). Default 10 s.
   */
  heartbeatMs: fromEnv('LOA_HEARTBEAT_MS', 10_000),
  /** LOA_OVERDUE_MS: a due publication still waiting this long after its time makes /health say publishing is late. Default 15 min. */
  overdueMs: fromEnv('LOA_OVERDUE_MS', 15 * 60_000),
  /** Jobs per queue one worker process runs at once, on a channel that calls a platform (Facebook, Zalo). */
  concurrency: fromEnv('LOA_CONCURRENCY', 2),
  /**
   * LOA_LOCAL_CONCURRENCY: the same on a channel whose posts are Loa's own writes (ChannelAdapter.publishesLocally:
   * the portal feed, radio scripts). Default 16: with 2 in flight a burst of 1,000 waited on one publication at a
   * time; with 16 their claims and settles share commits (README, "The publish path, profiled").
   */
  localConcurrency: fromEnv('LOA_LOCAL_CONCURRENCY', 16),
};

/**
 * Jobs one worker process runs at once on a channel's queue. `publishesLocally`: the adapter's flag.
 * (Generic code: the adapter says what kind of channel it is.)
 */
export function queueConcurrency(channel: { publishesLocally?: boolean }): number {
  return channel.publishesLocally ? queueSettings.localConcurrency : queueSettings.concurrency;
}

/**
 * PostgreSQL connections a worker process opens for `queues` queues: a job holds one only for a statement or a short
 * transaction, so a queue counts for LOA_CONCURRENCY of them, and at least 4 (a local channel's 16 jobs share 4);
 * plus the scheduler's and a heartbeat's.
 */
export function workerPoolSize(queues: number): number {
  return queues * Math.max(queueSettings.concurrency, 4) + 2;
}

/**
 * Retries wait as long as the platform asked (a rate limit's "retry after"), otherwise double each time from 2 s
 * (2, 4, 8 … up to 10 min). Completed jobs are kept a day for inspection, then removed.
 */
export function retryDelayMs(attemptsMade: number, error?: { retryAfterMs?: number }): number {
  return error?.retryAfterMs ?? Math.min(2_000 * 2 ** Math.max(0, attemptsMade - 1), 10 * 60_000);
}

export const BACKOFF_TYPE = 'loa';

export const jobOptions: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: BACKOFF_TYPE },
  removeOnComplete: { age: 24 * 3600, count: 5_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** ioredis options BullMQ requires for workers (blocking commands must not time out). */
export function redisConnection(url: string): ConnectionOptions {
  return { url, maxRetriesPerRequest: null } as ConnectionOptions;
}
