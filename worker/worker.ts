import { EventEmitter, setMaxListeners } from 'node:events';

import { DelayedError, type Job, Worker } from 'bullmq';
import IORedis from 'ioredis';

import { type Adapters, PLATFORMS } from '../channels';
import { composeProcess } from '../src/compose';
import type { Config } from '../src/config';
import { AccountPace } from '../src/queue/account-pace';
import { RedisExclusiveLock } from '../src/queue/exclusive-lock';
import { type PublishJobData, type PublishQueues, queueName } from '../src/queue/queues';
import { scheduleDue } from '../src/queue/scheduler';
import {
  BACKOFF_TYPE,
  queueConcurrency,
  queueSettings,
  redisConnection,
  retryDelayMs,
  workerPoolSize,
} from '../src/queue/settings';
import type { Db } from '../src/store';
import { readBeforeClaim } from '../src/store/before-claim';
import { isDiskFull, WriteStop } from '../src/store/integrity';
import { ChannelGate, PAUSED_RECHECK_MS } from './channel-gate';
import { channelServices } from './channel-services';
import { keepDailyBackups } from './daily-backup';
import { startHeartbeat } from './heartbeat';
import { keepTokens } from './keep-tokens';
import { consoleLog, redisStateLog, type WorkerLog } from './log';
import { holdWhilePaused } from './pause-gate';
import { startSourcePolling } from './poll-sources';
import { type JobResult, NotYet, publishOne, workerName } from './publish-job';
import { keepReportRollup } from './report-rollup';

export interface WorkerEvents {
  done: [publicationId: string, result: JobResult];
  failed: [publicationId: string, message: string];
  scheduled: [count: number];
  /** A job delayed before its claim: its channel is paused, or its account is over its pace. */
  waiting: [publicationId: string, why: string];
}

export interface RunningWorker {
  events: EventEmitter<WorkerEvents>;
  queues: PublishQueues;
  db: Db;
  /** Moves newly due publications into the queues now (a run already under way is joined, never overlapped). */
  schedule(options?: { full?: boolean }): Promise<void>;
  /** Stops taking jobs, lets the running ones finish for up to LOA_DRAIN_MS, abandons the rest, closes everything. */
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** The adapters to publish with; default the installation's own (tests bring a fake platform). */
  adapters?: Adapters;
  /**
   * The platforms' settings the adapters read (LOA_FACEBOOK_*, LOA_ZALO_*); default process.env. `loa demo` gives
   * its fakes' addresses and tokens here rather than writing them into the process's environment.
   */
  platformEnv?: NodeJS.ProcessEnv;
  /** Attached before start-up scheduling, so the first burst is reported too. */
  listen?: (events: EventEmitter<WorkerEvents>) => void;
  log?: WorkerLog;
  /** The scheduled backup's clock and look interval (tests); default the real clock, once a minute. */
  backups?: { now?: () => Date; lookEveryMs?: number };
}

/** Time kept out of LOA_DRAIN_MS for closing connections after in-flight calls are abandoned. */
function closingReserveMs(drainMs: number): number {
  return Math.min(2_000, Math.floor(drainMs / 4));
}

/**
 * Runs one BullMQ worker per platform in this process, plus the scheduler that moves due publications from
 * the database into the queues. At start the scheduler rebuilds the queues from the database (nothing is lost
 * if Redis was flushed or replaced).
 */
export async function startWorker(config: Config, options: WorkerOptions = {}): Promise<RunningWorker> {
  const log = options.log ?? consoleLog;
  const poolSize = workerPoolSize(options.adapters ? Object.keys(options.adapters).length : PLATFORMS.names.length);
  // Per-account pace in Redis, secrets for adapters, pause/pace check before each claim (worker/channel-gate.ts).
  const paceRedis = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });
  // Every client's connection trouble is one state in the log: a line when Redis is lost, a line when it is back.
  const redisState = redisStateLog(log);
  paceRedis.on('error', (error) => redisState.error('Redis', error));
  paceRedis.on('ready', () => redisState.up());
  const pace = new AccountPace(paceRedis, config.queuePrefix);
  // The store, the adapters (with the worker's services: secrets, account pace, a lock across processes) and the queues.
  const composing = composeProcess(config, {
    poolSize,
    checkIntegrity: true,
    onDatabaseError: (error) => log('warn', `Cơ sở dữ liệu: mất một kết nối (${error.message}); sẽ kết nối lại`),
    adapters: options.adapters,
    platformEnv: options.platformEnv,
    services: (store) =>
      channelServices(
        store.kysely,
        pace,
        workerName(),
        new RedisExclusiveLock(paceRedis, { prefix: config.queuePrefix }),
        (message) => log('warn', message),
      ),
  });
  // A refused start (a damaged database, a schema from a newer Loa) ends the process: nothing may stay connected.
  const { db, adapters, queues } = await composing.catch((error: unknown) => {
    paceRedis.disconnect();
    throw error;
  });
  const gate = new ChannelGate(adapters, pace);
  // The first sign of a damaged database stops every write of this process: no claim, no scheduling.
  const writes = new WriteStop();
  let onWritesStopped = () => undefined as void;
  // A full disk under the database is one state in the log, said once with what to do, not a line per failed write.
  let diskFullSaid = false;
  /** Whether the error was the database's own trouble (damage, full disk), now said in the log. */
  const noteDatabaseError = (error: unknown): boolean => {
    if (writes.noteError(error, db.description)) {
      log('error', writes.stopped!, { co_so_du_lieu: db.description });
      onWritesStopped();
      return true;
    }
    if (writes.stopped) return true;
    if (isDiskFull(error)) {
      if (!diskFullSaid)
        log(
          'error',
          `Ổ đĩa chứa cơ sở dữ liệu ${db.description} đã đầy: không ghi được kết quả đăng bài. Giải phóng chỗ trống trên ổ đó (hoặc chuyển cơ sở dữ liệu sang ổ khác); các bài đang chờ sẽ được đăng tiếp, bài đang dở được đối chiếu trước khi đăng lại.`,
          { co_so_du_lieu: db.description },
        );
      diskFullSaid = true;
      return true;
    }
    return false;
  };
  const events = new EventEmitter<WorkerEvents>();
  options.listen?.(events);
  // Aborted once the drain time is over: every attempt still in flight is abandoned (left for reconciliation).
  const stopping = new AbortController();
  // Every publication in flight listens for it (16 a local channel's queue): not a leak.
  setMaxListeners(0, stopping.signal);
  const base = {
    db: db.kysely,
    adapters,
    worker: workerName(),
    faultDelayMs: Number(process.env.LOA_FAULT_DELAY_MS) || 0,
    stopping: stopping.signal,
    log,
  };

  const processJob = async (local: boolean, job: Job<PublishJobData>, token?: string) => {
    if (writes.stopped) {
      // Writing has stopped (a damaged database): the job waits, unclaimed, until the worker restarts on a restored one.
      await job.moveToDelayed(Date.now() + 60_000, token);
      throw new DelayedError();
    }
    try {
      const result = await publishJob(local, job, token);
      diskFullSaid = false;
      return result;
    } catch (error) {
      noteDatabaseError(error);
      throw error;
    }
  };

  const publishJob = async (local: boolean, job: Job<PublishJobData>, token?: string) => {
    // The publication's channel and any emergency pause over it, in one read. A local channel (the portal feed, a
    // station) has no pace and no account to hold, so nothing of it needs reading before the claim: the claim's own
    // predicate refuses it while a pause holds it, and it waits below as it would here (one round trip fewer a
    // publication: a third of a portal publication's on PostgreSQL).
    const before = local ? null : await readBeforeClaim(base.db, job.data.publicationId);
    await holdWhilePaused(job, token, before); // A unit's or the province's emergency pause delays the job before any claim.
    // A paused channel or an account out of turns: delay the job (frees the slot), claim nothing.
    const wait = await gate.waitBefore(before);
    if (wait) {
      await job.moveToDelayed(Date.now() + wait.delayMs, token);
      events.emit('waiting', job.data.publicationId, wait.why);
      throw new DelayedError();
    }
    const isLastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const extendJobLock = token ? () => job.extendLock(token, queueSettings.lockDurationMs) : undefined;
    let result: JobResult;
    try {
      result = await publishOne({ ...base, extendJobLock }, job.data.publicationId, isLastTry);
    } catch (error) {
      if (!(error instanceof NotYet)) throw error;
      // Refused by the claim's own predicate (paused, or early by this worker's clock): waits without using a try,
      // as long as the gates above would have made it wait. A pause is said once, where it is made, not per job.
      await job.moveToDelayed(Date.now() + (error.pausedBy === 'channel' ? PAUSED_RECHECK_MS : error.delayMs), token);
      if (!error.pausedBy) log('info', 'chờ trước khi nhận bài', { bai: job.data.publicationId, ly_do: error.why });
      events.emit('waiting', job.data.publicationId, error.why);
      throw new DelayedError();
    }
    events.emit('done', job.data.publicationId, result);
    return result;
  };

  // One BullMQ worker per platform of the registry it was given (one adapter each).
  const workers = Object.keys(adapters).map((platform) => {
    const adapter = adapters[platform as keyof typeof adapters]!;
    const local = adapter.publishesLocally === true;
    const worker = new Worker<PublishJobData>(queueName(platform), (job, token) => processJob(local, job, token), {
      connection: redisConnection(config.redisUrl),
      prefix: config.queuePrefix,
      concurrency: queueConcurrency(adapter),
      lockDuration: queueSettings.lockDurationMs,
      stalledInterval: queueSettings.stalledIntervalMs,
      maxStalledCount: queueSettings.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade, type, error) =>
          type === BACKOFF_TYPE ? retryDelayMs(attemptsMade, error as { retryAfterMs?: number }) : 1_000,
      },
    });
    worker.on('failed', (job, error) => job && events.emit('failed', job.data.publicationId, error.message));
    // BullMQ reports connection trouble here; it reconnects by itself, so this is for the log only.
    worker.on('error', (error) => redisState.error(`hàng đợi ${platform}`, error));
    return worker;
  });

  // One run at a time: a tick that finds the previous run still going skips its turn.
  let running: Promise<void> | null = null;
  const schedule = (opts: { full?: boolean } = {}) =>
    (running ??= (async () => {
      try {
        // Redis lost its data (flushed, or restarted without persistence): the jobs of queued publications are
        // gone with the mark, so this run gives every owed publication its job again.
        const full = opts.full || !(await queues.isBuilt());
        if (full && !opts.full) log('warn', 'Redis đã mất dữ liệu hàng đợi: dựng lại hàng đợi từ cơ sở dữ liệu');
        const report = await scheduleDue(db.kysely, queues, { full });
        if (report.newlyQueued > 0) events.emit('scheduled', report.newlyQueued);
      } finally {
        running = null;
      }
    })());
  await schedule({ full: true });
  const timer = setInterval(() => {
    if (running || writes.stopped) return;
    schedule().catch((error: Error) => noteDatabaseError(error) || redisState.error('lịch đăng', error));
  }, queueSettings.schedulerEveryMs);
  const heartbeat = await startHeartbeat(db.kysely, base.worker, queueSettings.heartbeatMs, (error) => {
    if (!noteDatabaseError(error)) log('warn', `Không ghi được nhịp tim của tiến trình: ${error.message}`);
  });
  onWritesStopped = () => {
    clearInterval(timer);
    heartbeat.stop();
    for (const worker of workers) void worker.pause(true).catch(() => undefined);
  };
  const backups = keepDailyBackups(config, { redis: paceRedis, log, ...options.backups });
  // Feed polling, on its own queue and job schedulers; everything else is in worker/poll-sources.ts.
  const sourcePolling = await startSourcePolling(config, db.kysely, log);
  // The report's rollup, brought up to date after each burst instead of inside each settle.
  const rollup = keepReportRollup(
    db,
    (error) => noteDatabaseError(error) || log('warn', `Không cập nhật được số liệu báo cáo: ${error.message}`),
  );
  // Channels' credentials kept alive (a Zalo OA's refresh token) and their expiries watched.
  const tokenKeeper = keepTokens(db, adapters, log);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      clearInterval(timer);
      const drainMs = queueSettings.drainTimeoutMs;
      const within = <T>(work: Promise<T>, ms: number) =>
        Promise.race([
          work.then(() => 'done' as const),
          new Promise<'timeout'>((resolve) => setTimeout(resolve, ms, 'timeout').unref()),
        ]);
      const closing = Promise.all(workers.map((w) => w.close()));
      if ((await within(closing, drainMs - closingReserveMs(drainMs))) === 'timeout') {
        stopping.abort();
        await within(Promise.all(workers.map((w) => w.close(true))), closingReserveMs(drainMs) / 2);
      }
      await within(running ?? Promise.resolve(), 500);
      // Work an adapter put off the publish path (the radio day's .docx programme) is finished before exiting.
      await within(
        Promise.all(Object.values(adapters).map((adapter) => adapter?.flush?.() ?? Promise.resolve())),
        closingReserveMs(drainMs),
      );
      await within(sourcePolling.close(), 500);
      await within(rollup.close(), 500);
      await within(backups.close(), 500);
      await within(heartbeat.close(), 500);
      await within(tokenKeeper.close(), 500);
      await within(queues.close(), 500);
      paceRedis.disconnect();
      await within(db.close(), 500);
    })());

  return { events, queues, db, schedule, stop };
}
