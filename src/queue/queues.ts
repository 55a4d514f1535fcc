import { Queue } from 'bullmq';
import IORedis from 'ioredis';

import type { Platform } from '../domain/channel';
import type { Publication } from '../domain/publication';

/** What a job is made from: the publication's id (the job id) and its time. */
type JobOf = Pick<Publication, 'id' | 'scheduledAt'>;
import { redisReachable } from './redis';
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
  /** A plain connection for the rebuild mark (below), opened on first use. */
  private plain: IORedis | undefined;

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

  /**
   * Gives the publication its job. A job still waiting or running is left alone (no-op); a finished one (kept for
   * inspection) is replaced, because the database says the publication is owed again (retried by a person, or
   * its earlier job ended without settling it). The database claim still guards against publishing twice.
   */
  async add(publication: Publication, platform: Platform, now = new Date()): Promise<void> {
    const queue = this.queue(platform);
    const earlier = await queue.getJob(publication.id);
    if (earlier && ((await earlier.isCompleted()) || (await earlier.isFailed()))) await earlier.remove();
    await queue.add(
      'publish',
      { publicationId: publication.id },
      { jobId: publication.id, delay: Math.max(0, publication.scheduledAt.getTime() - now.getTime()) },
    );
  }

  /**
   * Gives many publications of one platform their jobs in batches: finished jobs with the same ids are removed
   * (the database says they are owed again), then the rest are added with `addBulk`, which leaves a job still
   * waiting or running alone. A few Redis round trips per chunk instead of several per publication.
   */
  async addMany(platform: Platform, publications: readonly JobOf[], now = new Date()): Promise<void> {
    const queue = this.queue(platform);
    const stale =
      publications.length <= 50
        ? await this.finishedOneByOne(queue, publications)
        : await this.finishedFromLists(queue, publications);
    await Promise.all(stale.map((p) => queue.remove(p.id)));
    await queue.addBulk(
      publications.map((p) => ({
        name: 'publish',
        data: { publicationId: p.id },
        opts: { ...jobOptions, jobId: p.id, delay: Math.max(0, p.scheduledAt.getTime() - now.getTime()) },
      })),
    );
  }

  private async finishedOneByOne<P extends JobOf>(
    queue: Queue<PublishJobData>,
    publications: readonly P[],
  ): Promise<P[]> {
    const states = await Promise.all(publications.map((p) => queue.getJobState(p.id)));
    return publications.filter((_, i) => states[i] === 'completed' || states[i] === 'failed');
  }

  /** For a large batch: the queue's finished ids in one call (completed ones are capped by removeOnComplete). */
  private async finishedFromLists<P extends JobOf>(
    queue: Queue<PublishJobData>,
    publications: readonly P[],
  ): Promise<P[]> {
    const finished = new Set(await queue.getRanges(['completed', 'failed'], 0, -1));
    return publications.filter((p) => finished.has(p.id));
  }

  /**
   * A mark in Redis saying the queues were rebuilt from the database since Redis last lost its data. A FLUSHALL,
   * or a Redis restarted without persistence, removes it with the jobs, so a running worker can tell that its
   * queues are gone and rebuild them itself instead of waiting for `loa reschedule` or its own restart.
   */
  private get builtKey(): string {
    return `${this.prefix}:schedule-built`;
  }

  private redis(): IORedis {
    // A command fails after one reconnection try instead of waiting forever: the scheduler tick says so and tries again.
    if (!this.plain) {
      this.plain = new IORedis(this.redisUrl, { maxRetriesPerRequest: 1 });
      // Connection trouble surfaces as the failed command, which its caller reports (the scheduler tick logs it);
      // without a listener ioredis would print every reconnection attempt as an unhandled error.
      this.plain.on('error', () => undefined);
    }
    return this.plain;
  }

  async markBuilt(): Promise<void> {
    await this.redis().set(this.builtKey, new Date().toISOString());
  }

  async isBuilt(): Promise<boolean> {
    return (await this.redis().exists(this.builtKey)) === 1;
  }

  /**
   * How many worker processes are connected (the most on any one queue: each process serves every queue of
   * `platforms`, the registry's names in channels/).
   */
  async workerCount(platforms: readonly Platform[]): Promise<number> {
    return Math.max(...(await Promise.all(platforms.map((p) => this.queue(p).getWorkersCount()))));
  }

  /**
   * Whether Redis answers within `timeoutMs`, on a connection of its own that fails fast: the queues' own
   * connections retry forever (as BullMQ workers need), so a health check must not wait on them.
   */
  reachable(timeoutMs = 500): Promise<boolean> {
    return redisReachable(this.redisUrl, timeoutMs);
  }

  async close(): Promise<void> {
    this.plain?.disconnect();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
