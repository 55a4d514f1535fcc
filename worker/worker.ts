import { EventEmitter } from 'node:events';
import { DelayedError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { createAdapters } from '../channels';
import type { Config } from '../src/config';
import { PLATFORMS } from '../src/domain/channel';
import { PublishQueues, queueName, type PublishJobData } from '../src/queue/queues';
import { scheduleDue } from '../src/queue/scheduler';
import { BACKOFF_TYPE, queueSettings, redisConnection, retryDelayMs } from '../src/queue/settings';
import { openStore, type Db } from '../src/store';
import { publishOne, workerName, type JobResult } from './publish-job';
import { AccountPace } from '../src/queue/account-pace';
import { ChannelGate } from './channel-gate';
import { channelServices } from './channel-services';
import { RedisExclusiveLock } from '../src/queue/exclusive-lock';
import { zaloChannelFromEnv } from './zalo-from-env';

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
  /** Moves due publications into the queues now, instead of waiting for the scheduler's next turn. */
  schedule(): Promise<void>;
  /** Stops taking jobs, lets the running ones finish for up to LOA_DRAIN_MS, then closes everything. */
  stop(): Promise<void>;
}

/**
 * Runs one BullMQ worker per platform in this process, plus the scheduler that moves due publications from
 * the database into the queues. At start the scheduler rebuilds the queues from the database (nothing is lost
 * if Redis was flushed or replaced).
 */
export async function startWorker(config: Config): Promise<RunningWorker> {
  const db = await openStore(config.databaseUrl, { defaultUnit: config.defaultUnit });
  // [channel gate] per-account pace in Redis, secrets for adapters, pause/pace check before each claim (worker/channel-gate.ts)
  const paceRedis = new IORedis(config.redisUrl, { maxRetriesPerRequest: null });
  const pace = new AccountPace(paceRedis, config.queuePrefix);
  const adapters = createAdapters(config, channelServices(db.kysely, pace, workerName(), new RedisExclusiveLock(paceRedis, { prefix: config.queuePrefix })));
  await zaloChannelFromEnv(db.kysely, adapters, config.defaultUnit);
  const gate = new ChannelGate(db.kysely, adapters, pace);
  const queues = new PublishQueues(config.redisUrl, config.queuePrefix);
  const events = new EventEmitter<WorkerEvents>();
  const deps = { db: db.kysely, adapters, worker: workerName(), faultDelayMs: Number(process.env.LOA_FAULT_DELAY_MS) || 0 };

  const processJob = async (job: Job<PublishJobData>, token?: string) => {
    // [channel gate] a paused channel or an account out of turns: delay the job (frees the slot), claim nothing
    const wait = await gate.waitBefore(job.data.publicationId);
    if (wait) {
      await job.moveToDelayed(Date.now() + wait.delayMs, token);
      events.emit('waiting', job.data.publicationId, wait.why);
      throw new DelayedError();
    }
    const isLastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    const result = await publishOne(deps, job.data.publicationId, isLastTry);
    events.emit('done', job.data.publicationId, result);
    return result;
  };

  const workers = PLATFORMS.map((platform) => {
    const worker = new Worker<PublishJobData>(queueName(platform), processJob, {
      connection: redisConnection(config.redisUrl),
      prefix: config.queuePrefix,
      concurrency: queueSettings.concurrency,
      lockDuration: queueSettings.lockDurationMs,
      stalledInterval: queueSettings.stalledIntervalMs,
      maxStalledCount: queueSettings.maxStalledCount,
      settings: {
        backoffStrategy: (attemptsMade, type, error) => (type === BACKOFF_TYPE ? retryDelayMs(attemptsMade, error as { retryAfterMs?: number }) : 1_000),
      },
    });
    worker.on('failed', (job, error) => job && events.emit('failed', job.data.publicationId, error.message));
    // BullMQ reports connection trouble here; it reconnects by itself, so this is for the log only.
    worker.on('error', (error) => console.error(`[worker ${platform}] ${error.message}`));
    return worker;
  });

  const schedule = async () => {
    const report = await scheduleDue(db.kysely, queues);
    if (report.newlyQueued > 0) events.emit('scheduled', report.newlyQueued);
  };
  await schedule();
  const timer = setInterval(() => {
    schedule().catch((error: Error) => console.error(`[scheduler] ${error.message}`));
  }, queueSettings.schedulerEveryMs);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      const drained = Promise.all(workers.map((w) => w.close()));
      const deadline = new Promise<'timeout'>((resolve) => setTimeout(resolve, queueSettings.drainTimeoutMs, 'timeout').unref());
      if ((await Promise.race([drained, deadline])) === 'timeout') await Promise.all(workers.map((w) => w.close(true)));
      await queues.close();
      paceRedis.disconnect();
      await db.close();
    })());

  return { events, queues, db, schedule, stop };
}
