import type { Kysely } from 'kysely';

import type { Platform } from '../domain/channel';
import { listChannels } from '../store/channels';
import { dbNow } from '../store/db-clock';
import { findOwedJobs, markQueued, type OwedJob } from '../store/publications';
import type { Database } from '../store/schema';
import type { PublishQueues } from './queues';
import { queueSettings } from './settings';

export interface ScheduleReport {
  /** Publications given a job (or confirmed to have one) in this run. */
  owed: number;
  /** Of those, the ones that were only scheduled until now. */
  newlyQueued: number;
}

export interface ScheduleOptions {
  now?: Date;
  windowMs?: number;
  /**
   * The full re-check (worker start, `loa reschedule`): every owed publication, `queued` ones included, gets its job
   * again, so a flushed or replaced Redis loses nothing. Otherwise only what is newly owed: scheduled publications
   * entering the window, and claims abandoned by a dead worker.
   */
  full?: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** Redis work goes in chunks of this many publications: one pipeline and one addBulk each. */
const CHUNK = 1_000;
/**
 * How many chunks may be on their way to Redis at once. On SQLite a marking (MARK_AT_ONCE, below) holds this thread
 * while it writes, 0.3 s of CPU and more when the disk is slow; the chunks already sent are what Redis works on
 * meanwhile, about 40 µs of its CPU a job, so a few thousand jobs keep it busy through a marking.
 */
const IN_FLIGHT = 8;
/**
 * Publications marked queued per transaction: a chunk's scheduled publications, their jobs in Redis, wait for their
 * marks until about this many are waiting. A mark rewrites `state` in the indexes that hold it, and two of them order
 * a chunk's rows by item or by id, so its entries are spread over the whole index: a transaction rewrites most of
 * their pages whatever its size, and fewer, larger ones write each page once for many chunks. Rebuilding 100,000 on
 * SQLite (a third of them newly queued) took 6.6 s of CPU marking a chunk of 1,000 at a time, 2.7 s marking up to
 * 10,000 at a time. Small enough to hold the write lock a fraction of a second, so a running worker's claims wait
 * little behind a `loa reschedule`.
 */
const MARK_AT_ONCE = 10_000;

/**
 * Gives what the database says is owed its BullMQ jobs. Safe to run any number of times, from any number of
 * processes: the job id is the publication id, and the claim in the database guards the publish itself.
 */
export async function scheduleDue(
  db: Kysely<Database>,
  queues: PublishQueues,
  options: ScheduleOptions = {},
): Promise<ScheduleReport> {
  // Marked before the rebuild, not after: Redis losing its data while this runs removes the mark, and the next
  // look finds it missing and rebuilds again.
  if (options.full) await queues.markBuilt();
  // Due times are measured on the database's clock: a worker whose clock runs ahead would otherwise queue the next
  // hour's publications at once (and one running behind, late).
  const now = options.now ?? (await dbNow(db));
  const until = new Date(now.getTime() + (options.windowMs ?? queueSettings.scheduleWindowMs));
  const owed = await findOwedJobs(db, until, { includeQueued: options.full ?? false });
  const platforms = new Map((await listChannels(db)).map((c) => [c.id, c.platform] as const));
  const byPlatform = new Map<Platform, OwedJob[]>();
  for (const publication of owed) {
    const platform = platforms.get(publication.channelId) as Platform;
    const list = byPlatform.get(platform);
    // Pushed, not copied: copying the list per publication made a rebuild of 100,000 quadratic.
    if (list) list.push(publication);
    else byPlatform.set(platform, [publication]);
  }
  const chunks: Array<{ platform: Platform; chunk: OwedJob[] }> = [];
  for (const [platform, publications] of byPlatform)
    for (let start = 0; start < publications.length; start += CHUNK)
      chunks.push({ platform, chunk: publications.slice(start, start + CHUNK) });
  // A chunk is marked queued in the database once its jobs are in Redis, and never before. Up to IN_FLIGHT chunks go
  // to Redis at once, and the next one waits for Redis only, never for the database: the markings follow the chunks
  // in order, on their own, the marks of several chunks sharing one transaction (MARK_AT_ONCE). A failure on either
  // side stops the sending.
  let done = 0;
  const unmarked: string[] = []; // in Redis, not yet marked
  let marking: Promise<void> = Promise.resolve();
  const sending: Promise<void>[] = []; // chunks on their way to Redis, oldest first
  let stopped = false;
  for (const [index, { platform, chunk }] of chunks.entries()) {
    const adding = queues.addMany(platform, chunk, now);
    adding.catch(() => undefined); // handled: the marking below awaits it and carries its failure
    const previous = marking;
    marking = (async () => {
      await previous; // one marking at a time, in order; a failed chunk stops the markings after it
      try {
        await adding;
      } catch (error) {
        // The chunks before it are in Redis: their marks are written before the failure is passed on.
        await markQueued(db, unmarked.splice(0));
        throw error;
      }
      for (const publication of chunk) if (publication.state === 'scheduled') unmarked.push(publication.id);
      if (unmarked.length >= MARK_AT_ONCE || index === chunks.length - 1) await markQueued(db, unmarked.splice(0));
      done += chunk.length;
      options.onProgress?.(done, owed.length);
    })();
    marking.catch(() => (stopped = true)); // awaited below; a failed marking stops the sending too
    // Waiting for the marking too (as before) left Redis idle while the database wrote: on PostgreSQL the next
    // chunk waited for the database's answer.
    sending.push(adding);
    if (sending.length >= IN_FLIGHT) await sending.shift()!.catch(() => (stopped = true));
    if (stopped) break;
  }
  // Every chunk sent has been marked, or the first failure is passed on after the chunks before it were.
  await marking;
  return { owed: owed.length, newlyQueued: owed.filter((p) => p.state === 'scheduled').length };
}
