import { DelayedError, type Job } from 'bullmq';

import type { PublishJobData } from '../src/queue/queues';
import type { BeforeClaim } from '../src/store/before-claim';

/**
 * How soon a held job looks again. The pause lives in the database, read before every claim, so a pause or a
 * resume made anywhere takes effect on every worker within this many milliseconds.
 */
export const PAUSE_RECHECK_MS = 2_000;

/**
 * Emergency pause: while the publication's unit or the province is paused, the job goes back to
 * BullMQ's delayed set without using up a try, and the publication stays in its queue state, visibly waiting.
 * Throws BullMQ's DelayedError (the documented way to end a job that moved itself); returns when not paused.
 */
export async function holdWhilePaused(
  job: Job<PublishJobData>,
  token: string | undefined,
  before: BeforeClaim | null,
): Promise<void> {
  const pause = before?.pause;
  if (!pause) return;
  await job.moveToDelayed(Date.now() + PAUSE_RECHECK_MS, token);
  throw new DelayedError(`tạm dừng đăng bài: ${pause.reason}`);
}
