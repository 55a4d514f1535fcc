import { Queue } from 'bullmq';

import { redisConnection } from './settings';

export const SOURCE_POLL_QUEUE = 'poll-sources';

export interface SourcePollJobData {
  sourceId: number;
}

/** One job scheduler per source, with a deterministic id: upserting it again changes it, never duplicates it. */
export function sourceSchedulerId(sourceId: number): string {
  return `source-${sourceId}`;
}

/**
 * The queue feed polls run on, apart from the publishing queues. Each source has its own BullMQ job scheduler, which
 * keeps at most one upcoming poll of that source in Redis whatever the number of workers; the database lease on the
 * source (see store/sources.ts) keeps a slow poll and a poll asked for by hand from overlapping.
 */
export class SourcePollQueue {
  readonly queue: Queue<SourcePollJobData>;

  constructor(redisUrl: string, prefix: string) {
    this.queue = new Queue<SourcePollJobData>(SOURCE_POLL_QUEUE, { connection: redisConnection(redisUrl), prefix });
  }

  async schedule(source: { id: number; everyMinutes: number }, everyMs = source.everyMinutes * 60_000): Promise<void> {
    await this.queue.upsertJobScheduler(
      sourceSchedulerId(source.id),
      { every: everyMs },
      // A poll is not retried by BullMQ: a failure is the source's status, and the next turn comes anyway.
      {
        name: 'poll',
        data: { sourceId: source.id },
        opts: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 50 } },
      },
    );
  }

  async unschedule(sourceId: number): Promise<void> {
    await this.queue.removeJobScheduler(sourceSchedulerId(sourceId));
  }

  /**
   * Makes Redis match the database: a scheduler for every source, none for removed ones. Runs at every worker start,
   * so a flushed or replaced Redis loses no source.
   */
  async sync(
    sources: Array<{ id: number; everyMinutes: number }>,
    everyMs?: (source: { everyMinutes: number }) => number,
  ): Promise<void> {
    const wanted = new Set(sources.map((s) => sourceSchedulerId(s.id)));
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      if (scheduler.key.startsWith('source-') && !wanted.has(scheduler.key))
        await this.queue.removeJobScheduler(scheduler.key);
    }
    for (const source of sources) await this.schedule(source, everyMs?.(source));
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
