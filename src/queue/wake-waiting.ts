import type { Platform } from '../domain/channel';
import type { PublishQueues } from './queues';

/**
 * After a channel resumes: its due publications' jobs, delayed while it was paused, run now instead of at their
 * next re-check. Jobs that are not delayed (running, waiting, gone) are left alone; the scheduler still owes
 * every pending publication its job, so a missed wake only costs the re-check delay.
 */
export async function wakeWaiting(
  queues: PublishQueues,
  platform: Platform,
  publicationIds: string[],
): Promise<number> {
  let woken = 0;
  for (const id of publicationIds) {
    const job = await queues.queue(platform).getJob(id);
    if (job && (await job.isDelayed())) {
      await job.promote();
      woken += 1;
    }
  }
  return woken;
}
