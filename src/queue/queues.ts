import { Queue } from 'bullmq';
import { PLATFORMS, type Platform } from '../domain/channel';
import type { Publication } from '../domain/publication';
import { jobOptions, redisConnection } from './settings';

export interface PublishJobData {
  publicationId: string;
}

export function queueName(platform: Platform): string {
  return `publish-${platform}`;
}

/** One BullMQ queue per platform. The job id is the publication id, so adding the same publication twice is a no-op. */
export class PublishQueues {
  private readonly queues = new Map<Platform, Queue<PublishJobData>>();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
  ) {}

  queue(platform: Platform): Queue<PublishJobData> {
    let queue = this.queues.get(platform);
    if (!queue) {
      queue = new Queue<PublishJobData>(queueName(platform), {
        connection: redisConnection(this.redisUrl),
        prefix: this.prefix,
        defaultJobOptions: jobOptions,
      });
      this.queues.set(platform, queue);
    }
    return queue;
  }

  async add(publication: Publication, platform: Platform, now = new Date()): Promise<void> {
    await this.queue(platform).add(
      'publish',
      { publicationId: publication.id },
      { jobId: publication.id, delay: Math.max(0, publication.scheduledAt.getTime() - now.getTime()) },
    );
  }

  async counts(): Promise<Record<Platform, Record<string, number>>> {
    const entries = await Promise.all(PLATFORMS.map(async (p) => [p, await this.queue(p).getJobCounts()] as const));
    return Object.fromEntries(entries) as Record<Platform, Record<string, number>>;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
