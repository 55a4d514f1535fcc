import { type Kysely, sql } from 'kysely';

import { dbNow, dbTime } from './db-clock';
import type { Database } from './schema';

/**
 * Whether publishing works, as `/health` and `loa doctor` say it: workers that beat recently (a frozen one
 * stops counting), how far their clocks are from the database's, due work that is not overdue, and channels whose last
 * tries failed. Every age is measured on the database's clock, the one the publish protocol's leases use.
 */

export interface HealthLimits {
  /** A due publication still waiting this long after its time (channel and unit not paused) is overdue. */
  overdueMs: number;
  /** A channel whose tries failed within this window, with no success since, is failing. */
  recentMs: number;
  /** A worker clock further than this from the database's is reported as skewed. */
  maxClockOffsetMs: number;
}

export interface WorkerBeat {
  worker: string;
  alive: boolean;
  /** Milliseconds since its last beat, on the database's clock. */
  beatAgeMs: number;
  /** It is alive while its last beat is younger than this: three of its own intervals (frozen, stopped, cut off). */
  deadlineMs: number;
  /** Its clock minus the database's at that beat. */
  clockOffsetMs: number;
}

export interface ChannelHealth {
  channel: string;
  lastSuccess: string | null;
  lastFailure: string | null;
  /** Its last tries within the window failed and nothing went out since. */
  failing: boolean;
}

export interface PublishingHealth {
  workers: WorkerBeat[];
  alive: number;
  overdue: number;
  channels: ChannelHealth[];
  /** Alive workers whose clock is off by more than the limit. */
  skewed: WorkerBeat[];
  ok: boolean;
}

/** A process's identity for its heartbeat row. */
export interface BeatIdentity {
  worker: string;
  host: string;
  pid: number;
  startedAt: Date;
  /** How often it beats. */
  everyMs: number;
}

/**
 * One heartbeat: the database's time is read with this process's clock on both sides of the round trip, so the offset
 * (this clock minus the database's, at the round trip's middle) is right within half of it.
 */
export async function beat(db: Kysely<Database>, who: BeatIdentity, now: () => number = Date.now): Promise<number> {
  const before = now();
  const databaseAt = (await dbNow(db)).getTime();
  const after = now();
  const offset = Math.round((before + after) / 2 - databaseAt);
  await db
    .insertInto('worker_heartbeats')
    .values({
      worker: who.worker,
      host: who.host,
      pid: who.pid,
      started_at: who.startedAt.toISOString(),
      beat_at: dbTime(db),
      clock_offset_ms: offset,
      beat_every_ms: Math.round(who.everyMs),
    })
    .onConflict((oc) => oc.column('worker').doUpdateSet({ beat_at: dbTime(db), clock_offset_ms: offset }))
    .execute();
  return offset;
}

/** A worker that stops cleanly takes its row away; one that dies leaves it to age past the deadline (and be pruned). */
export async function forgetWorker(db: Kysely<Database>, worker: string): Promise<void> {
  await db.deleteFrom('worker_heartbeats').where('worker', '=', worker).execute();
}

/** Rows of workers gone for a day are removed by the next beat of any worker, so the table stays the living few. */
export async function pruneHeartbeats(db: Kysely<Database>, olderThanMs = 86_400_000): Promise<void> {
  await db.deleteFrom('worker_heartbeats').where('beat_at', '<', dbTime(db, -olderThanMs)).execute();
}

export async function publishingHealth(db: Kysely<Database>, limits: HealthLimits): Promise<PublishingHealth> {
  const now = (await dbNow(db)).getTime();
  const beats = await db.selectFrom('worker_heartbeats').selectAll().orderBy('worker').execute();
  const workers = beats.map((row) => {
    const beatAgeMs = Math.max(0, now - Date.parse(row.beat_at));
    const deadlineMs = 3 * Number(row.beat_every_ms);
    return {
      worker: row.worker,
      alive: beatAgeMs <= deadlineMs,
      beatAgeMs,
      deadlineMs,
      clockOffsetMs: Number(row.clock_offset_ms),
    };
  });
  const overdueRow = await db
    .selectFrom('publications as p')
    .innerJoin('channels as c', 'c.id', 'p.channel_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('p.state', 'in', ['scheduled', 'queued'])
    .where('p.scheduled_at', '<', dbTime(db, -limits.overdueMs))
    .where('c.paused_at', 'is', null)
    // Held by an emergency pause of its unit or of the whole province: waiting is what it should do.
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('publishing_pauses as h')
            .select('h.id')
            .where('h.resumed_at', 'is', null)
            .where((w) => w.or([w('h.unit_id', 'is', null), w('h.unit_id', '=', w.ref('c.unit_id'))])),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  const since = dbTime(db, -limits.recentMs);
  const tries = await db
    .selectFrom('channels as c')
    .leftJoin('publications as p', 'p.channel_id', 'c.id')
    .leftJoin('publish_attempts as a', 'a.publication_id', 'p.id')
    .select([
      'c.id',
      sql<string | null>`max(case when a.outcome in ('published', 'reconciled') then a.finished_at end)`.as('success'),
      sql<
        string | null
      >`max(case when a.outcome in ('failed', 'retry', 'unconfirmed') and a.finished_at >= ${since} then a.finished_at end)`.as(
        'failure',
      ),
    ])
    .where('c.paused_at', 'is', null)
    .groupBy('c.id')
    .orderBy('c.id')
    .execute();
  const channels = tries.map((row) => ({
    channel: row.id,
    lastSuccess: row.success,
    lastFailure: row.failure,
    failing: row.failure !== null && (row.success === null || row.failure > row.success),
  }));
  const alive = workers.filter((w) => w.alive);
  const skewed = alive.filter((w) => Math.abs(w.clockOffsetMs) > limits.maxClockOffsetMs);
  const overdue = Number(overdueRow.n);
  return {
    workers,
    alive: alive.length,
    overdue,
    channels,
    skewed,
    ok: alive.length > 0 && overdue === 0 && skewed.length === 0 && !channels.some((c) => c.failing),
  };
}
