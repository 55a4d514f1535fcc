import type { Kysely } from 'kysely';
import type { Platform } from '../domain/channel';
import { listChannels } from '../store/channels';
import { findOwedJobs, markQueued } from '../store/publications';
import type { Database } from '../store/schema';
import type { PublishQueues } from './queues';
import { queueSettings } from './settings';

export interface ScheduleReport {
  /** Publications given a job (or confirmed to have one): everything the database says is owed. */
  owed: number;
  /** Of those, the ones that were only scheduled until now. */
  newlyQueued: number;
}

/**
 * Gives every publication the database says is owed a job (due within the window, or abandoned by a dead
 * worker) its BullMQ job. Safe to run any number of times, from any number of processes: the job id is
 * the publication id. This is also the rebuild after Redis is flushed or replaced.
 */
export async function scheduleDue(
  db: Kysely<Database>,
  queues: PublishQueues,
  now = new Date(),
  windowMs = queueSettings.scheduleWindowMs,
  onProgress?: (done: number, total: number) => void,
): Promise<ScheduleReport> {
  const owed = await findOwedJobs(db, new Date(now.getTime() + windowMs), now);
  const platforms = new Map((await listChannels(db)).map((c) => [c.id, c.platform] as const));
  for (const [index, publication] of owed.entries()) {
    await queues.add(publication, platforms.get(publication.channelId) as Platform, now);
    onProgress?.(index + 1, owed.length);
  }
  const fresh = owed.filter((p) => p.state === 'scheduled').map((p) => p.id);
  await markQueued(db, fresh);
  return { owed: owed.length, newlyQueued: fresh.length };
}
