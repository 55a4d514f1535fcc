import { type Job, Worker } from 'bullmq';
import type { Kysely } from 'kysely';

import type { Config } from '../src/config';
import { queueSettings, redisConnection } from '../src/queue/settings';
import { SOURCE_POLL_QUEUE, type SourcePollJobData, SourcePollQueue } from '../src/queue/source-polls';
import type { PollReport } from '../src/sources/poll-source';
import { sourceSettings } from '../src/sources/settings';
import type { Database } from '../src/store/schema';
import { listSources } from '../src/store/sources';
import { consoleLog, redisStateLog, type WorkerLog } from './log';

export interface SourcePolling {
  /** Each poll's report, for the log and for tests. */
  onPoll(listener: (report: PollReport) => void): void;
  close(): Promise<void>;
}

/**
 * Feed polling inside `loa worker`: makes the job schedulers match the sources in the database, then runs the polls
 * they produce. A broken feed ends in its source's status (pollSource never throws for one); anything else fails the
 * job and is logged, and the worker goes on.
 */
export async function startSourcePolling(
  config: Config,
  db: Kysely<Database>,
  log: WorkerLog = consoleLog,
): Promise<SourcePolling> {
  const queue = new SourcePollQueue(config.redisUrl, config.queuePrefix);
  const listeners: Array<(report: PollReport) => void> = [];

  const runPoll = async (job: Job<SourcePollJobData>) => {
    // Loaded at the first poll, not at start: the fetch and parsing libraries would slow every worker's start-up.
    const { pollSource } = require('../src/sources/poll-source') as typeof import('../src/sources/poll-source');
    const report = await pollSource(db, job.data.sourceId);
    // A source removed while Redis was away still had its scheduler: remove it now.
    if (report.outcome === 'not-polled' && report.why === 'gone') await queue.unschedule(job.data.sourceId);
    for (const listener of listeners) listener(report);
    return report.outcome;
  };

  const worker = new Worker<SourcePollJobData>(SOURCE_POLL_QUEUE, runPoll, {
    connection: redisConnection(config.redisUrl),
    prefix: config.queuePrefix,
    concurrency: queueSettings.concurrency,
    lockDuration: Math.max(queueSettings.lockDurationMs, sourceSettings.timeoutMs * 2),
  });
  // Into the worker's JSON log like every other line (a plain-text line on the console broke log collectors).
  worker.on('failed', (job, error) =>
    log('warn', `nguồn tin: lần lấy tin lỗi: ${error.message}`, { nguon: job?.data.sourceId }),
  );
  const redisState = redisStateLog(log);
  worker.on('error', (error) => redisState.error('nguồn tin', error));

  await queue.sync(await listSources(db), (source) => sourceSettings.pollEveryMs(source));

  return {
    onPoll: (listener) => listeners.push(listener),
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
