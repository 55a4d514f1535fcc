import os from 'node:os';

import type { Kysely } from 'kysely';

import { beat, forgetWorker, pruneHeartbeats } from '../src/store/publishing-health';
import type { Database } from '../src/store/schema';

export interface Heartbeat {
  /** Stops beating, row left as it is (writing has stopped: the worker must stop counting as alive). */
  stop(): void;
  /** Stops beating and takes this worker's row away (a clean stop is not a frozen worker). */
  close(): Promise<void>;
}

/**
 * The worker's heartbeat in the database (worker_heartbeats), every LOA_HEARTBEAT_MS: `/health` and `loa doctor` count
 * a worker alive only while its beat is recent, so a frozen process (SIGSTOP, a hung event loop, a machine cut off from
 * the database) stops counting even though Redis still holds its connections. Each beat also measures this process's
 * clock against the database's. A failed beat is reported and retried at the next one.
 */
export async function startHeartbeat(
  db: Kysely<Database>,
  worker: string,
  everyMs: number,
  onError: (error: Error) => void,
): Promise<Heartbeat> {
  const who = { worker, host: os.hostname(), pid: process.pid, startedAt: new Date(), everyMs };
  await beat(db, who);
  await pruneHeartbeats(db);
  let running: Promise<void> | null = null;
  const timer = setInterval(() => {
    running ??= beat(db, who)
      .then(() => undefined, onError)
      .finally(() => (running = null));
  }, everyMs);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    async close() {
      clearInterval(timer);
      await running;
      await forgetWorker(db, worker).catch(onError);
    },
  };
}
