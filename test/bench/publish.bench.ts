/**
 * `npm run bench`: Loa at province scale, each figure beside a reference measured in the same run where there is
 * one (the machine is shared, so a ratio says more than a figure). On SQLite and on PostgreSQL, against a
 * redis-server of the bench's own on a free port (the shared Redis is never flushed).
 *
 *   npm run bench                      every section, full sizes
 *   npm run bench -- --quick           small sizes, for development
 *   npm run bench -- --only rss,cli    some sections: pipeline, portal, radio, scale, lateness, rebuild, rss, radio-day, cli
 *   npm run bench -- --json [file]     the figures as JSON too (stdout, or the file)
 *
 * Sections: pipeline (published/s to local channels, one and two worker processes, vs a bare BullMQ worker with an
 * empty processor, same Redis, same concurrency), lateness (1,000 due in the same second; worker memory at rest
 * and under load), rebuild (queue rebuild from the database after Redis is emptied, vs addBulk of as many jobs;
 * a worker's first publish after start), rss (/rss.xml and its 304 vs the same bytes from a static Node server),
 * radio-day (one station's day of scripts: last publish vs first), cli (`loa --help` vs `node -e 0`).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { Queue, Worker } from 'bullmq';

import { RadioAdapter } from '../../channels/radio/radio-adapter';
import { Templates } from '../../channels/template';
import type { PostContext } from '../../channels/types';
import { startPrivateRedis } from '../../src/queue/private-redis';
import { freePort } from '../../src/queue/private-redis';
import { PublishQueues } from '../../src/queue/queues';
import { scheduleDue } from '../../src/queue/scheduler';
import { jobOptions, queueSettings, redisConnection } from '../../src/queue/settings';
import type { Db } from '../../src/store';
import { listPublications } from '../../src/store/publications';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedItems } from '../support/seed';
import { PROJECT, testConfig } from '../support/services';
import {
  addStations,
  type BenchOptions,
  growStore,
  insertPublications,
  load,
  median,
  parseArgs,
  percentile,
  processCpuSeconds,
  processMemory,
  startLoa,
  startStaticServer,
  stopProcess,
  until,
} from './bench-support';
import { describeProbe, type PostgresProbeResult, startPostgresProbe } from './postgres-probe';

type Kind = 'sqlite' | 'postgres';

interface Figure {
  section: string;
  database: Kind | '-';
  measure: string;
  value: number;
  unit: string;
  reference?: { what: string; value: number };
  /** value / reference (or reference / value for costs, so that higher is always better for Loa). */
  ratio?: number;
  target?: string;
  met?: boolean;
}

const figures: Figure[] = [];
let redisUrl = '';
const WORKER_READY = /tiến trình đăng bài đang chạy/i;

function add(figure: Figure): void {
  figures.push(figure);
  const ref = figure.reference
    ? `  | ${figure.reference.what}: ${fmt(figure.reference.value)}${figure.ratio === undefined ? '' : ` → ratio ${figure.ratio.toFixed(2)}`}`
    : '';
  const target = figure.target ? `  [${figure.target}: ${figure.met ? 'met' : 'NOT met'}]` : '';
  process.stderr.write(
    `  ${figure.database.padEnd(8)} ${figure.measure}: ${fmt(figure.value)} ${figure.unit}${ref}${target}\n`,
  );
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));

/**
 * Export folders are removed when the bench ends, not after each run: on an ext4 without a journal (this machine's
 * disk) a new file's inode is searched for past the inodes freed recently (ext4_new_inode, recently_deleted), so
 * removing a run's 4,000 radio files made the next run's file creations several times dearer (a perf profile).
 */
const leftBehind: string[] = [];

async function withDatabase<T>(
  kind: Kind,
  work: (db: Db, config: ReturnType<typeof testConfig>) => Promise<T>,
  poolSize?: number,
): Promise<T> {
  const database = await freshDatabase(kind);
  const config = testConfig(database.url, { redisUrl });
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit, poolSize });
  try {
    return await work(db, config);
  } finally {
    await db.close();
    await database.drop();
    leftBehind.push(config.exportDir);
  }
}

/** Publications published, of those due at `due` or later when given (a grown store holds a year of published ones). */
async function countPublished(db: Db, due?: Date): Promise<number> {
  let query = db.kysely
    .selectFrom('publications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'published');
  if (due) query = query.where('scheduled_at', '>=', due.toISOString());
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Published per second between the first and the last publish of the burst due at `due`, on the database's clock. */
async function publishRate(db: Db, due: Date): Promise<number> {
  const published = (
    await db.kysely
      .selectFrom('publications')
      .select('published_at')
      .where('state', '=', 'published')
      .where('scheduled_at', '>=', due.toISOString())
      .execute()
  )
    .map((p) => Date.parse(p.published_at!))
    .sort((a, b) => a - b);
  const span = (published.at(-1)! - published[0]!) / 1000;
  return (published.length - 1) / Math.max(span, 0.001);
}

// ---------------------------------------------------------------------------------------------------- pipeline

/**
 * A bare BullMQ worker per queue with an empty processor, the same concurrency, the same Redis: the ceiling. `cpuMs`:
 * this process's CPU time per job while its workers ran (under load a CPU time says more than a rate).
 */
async function bareBullmq(jobs: number, queues: number): Promise<{ rate: number; cpuMs: number }> {
  const prefix = `bench-bare-${process.pid}-${Date.now()}`;
  const names = Array.from({ length: queues }, (_, i) => `bare-${i}`);
  const made = names.map((name) => new Queue(name, { connection: redisConnection(redisUrl), prefix }));
  for (const [q, queue] of made.entries()) {
    const count = Math.ceil(jobs / queues);
    for (let start = 0; start < count; start += 1_000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1_000, count - start) }, (_, i) => ({
          name: 'publish',
          data: { publicationId: `p${start + i}` },
          opts: { ...jobOptions, jobId: `p${q}-${start + i}` },
        })),
      );
    }
  }
  const total = Math.ceil(jobs / queues) * queues;
  let done = 0;
  let first = 0;
  let last = 0;
  let allDone: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (allDone = resolve));
  const cpuBefore = process.cpuUsage();
  const workers = names.map((name) => {
    const worker = new Worker(name, async () => undefined, {
      connection: redisConnection(redisUrl),
      prefix,
      // The concurrency Loa's worker gives the portal's and the stations' queues (local channels).
      concurrency: queueSettings.localConcurrency,
    });
    worker.on('completed', () => {
      const now = performance.now();
      first ||= now;
      last = now;
      if (++done === total) allDone();
    });
    return worker;
  });
  await finished;
  const cpu = process.cpuUsage(cpuBefore);
  await Promise.all(workers.map((w) => w.close()));
  await Promise.all(made.map((q) => q.obliterate({ force: true }).then(() => q.close())));
  return { rate: (total - 1) / ((last - first) / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / total };
}

type Path = 'mixed' | 'portal' | 'radio';

/**
 * `count` publications due now and already queued, published by `processes` worker processes: `mixed` is count / 2
 * items × (the portal feed + one of 40 stations), `portal` and `radio` one publication per item on that path alone.
 * `storeItems`: the store also holds that many more items, each with three settled publications over a year.
 */
async function pipelineRun(
  kind: Kind,
  count: number,
  processes: number,
  path: Path = 'mixed',
  storeItems = 0,
  probe = false,
): Promise<{ rate: number; peakMb: number; cpuMs: number; server?: PostgresProbeResult }> {
  return withDatabase(kind, async (db, config) => {
    const itemIds = await seedItems(db.kysely, path === 'mixed' ? count / 2 : count);
    const stations = await addStations(db.kysely, 40);
    if (storeItems > 0) await growStore(db, itemIds[0]!, storeItems);
    const due = new Date(Date.now() - 1_000);
    const station = (i: number) => stations[i % stations.length]!;
    await insertPublications(
      db.kysely,
      itemIds.flatMap((itemId, i) =>
        (path === 'mixed' ? ['rss', station(i)] : [path === 'portal' ? 'rss' : station(i)]).map((channelId) => ({
          itemId,
          channelId,
          scheduledAt: due,
          state: 'scheduled' as const,
        })),
      ),
    );
    const queues = new PublishQueues(redisUrl, config.queuePrefix);
    await scheduleDue(db.kysely, queues, { full: true });
    await queues.close();
    const workers = await Promise.all(
      Array.from({ length: processes }, () => startLoa(['worker'], config, {}, WORKER_READY)),
    );
    let peakMb = 0;
    const cpuAtStart = workers.map((w) => processCpuSeconds(w.pid!));
    const server = probe && kind === 'postgres' ? await startPostgresProbe(config.databaseUrl) : null;
    try {
      await until(
        async () => {
          for (const w of workers) peakMb = Math.max(peakMb, processMemory(w.pid!).peakMb);
          return (await countPublished(db, due)) >= count;
        },
        600_000,
        `${count} publications`,
        200,
      );
      // Work put off until a burst is over (the radio day's programme, 2 s after) is part of a publication's cost.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const cpu = workers.reduce((sum, w, i) => sum + processCpuSeconds(w.pid!) - cpuAtStart[i]!, 0);
      const rate = await publishRate(db, due);
      return { rate, peakMb, cpuMs: (cpu * 1000) / count, server: await server?.stop() };
    } finally {
      await Promise.all(workers.map(stopProcess));
    }
  });
}

/**
 * The portal feed alone (`count` due on one queue), set beside a bare BullMQ worker on one queue at the same
 * concurrency, taken before and after it, in rate and in CPU time per publication. `--only portal` runs just this.
 */
async function portalAlone(kind: Kind, count: number): Promise<{ rate: number; peakMb: number; cpuMs: number }> {
  const bareOne = await bareBullmq(count, 1);
  const portal = await pipelineRun(kind, count, 1, 'portal');
  const bareOneAgain = await bareBullmq(count, 1);
  const oneQueue = (bareOne.rate + bareOneAgain.rate) / 2;
  add({
    section: 'pipeline',
    database: kind,
    measure: `publications/s to the portal feed alone, ${count} queued, 1 worker process`,
    value: portal.rate,
    unit: '/s',
    reference: {
      what: `bare BullMQ worker, empty processor, concurrency ${queueSettings.localConcurrency} × 1 queue`,
      value: oneQueue,
    },
    ratio: portal.rate / oneQueue,
    target: kind === 'sqlite' ? '≥ 0.25×' : '≥ 0.15×',
    met: portal.rate / oneQueue >= (kind === 'sqlite' ? 0.25 : 0.15),
  });
  // The same comparison in CPU time, which the machine's load changes far less than a rate.
  const bareCpuMs = (bareOne.cpuMs + bareOneAgain.cpuMs) / 2;
  add({
    section: 'pipeline',
    database: kind,
    measure: `CPU time of the worker process per portal publication (${count} alone)`,
    value: portal.cpuMs,
    unit: 'ms',
    reference: { what: 'per job of a bare BullMQ worker, one queue', value: bareCpuMs },
    ratio: bareCpuMs / portal.cpuMs,
    target: kind === 'sqlite' ? '≥ 0.25×' : '≥ 0.15×',
    met: bareCpuMs / portal.cpuMs >= (kind === 'sqlite' ? 0.25 : 0.15),
  });
  return portal;
}

/**
 * One path at a time (one queue each), back to back: what a radio publication costs beside a portal one, in wall
 * time and in the worker's CPU. `--only radio` runs just this (the portal's figures included).
 */
async function radioBesidePortal(kind: Kind, count: number): Promise<{ rate: number; peakMb: number; cpuMs: number }> {
  const portal = await portalAlone(kind, count);
  const radio = await pipelineRun(kind, count, 1, 'radio');
  add({
    section: 'pipeline',
    database: kind,
    measure: `cost of a radio publication (${count} on 40 stations alone), ms of wall time each`,
    value: 1000 / radio.rate,
    unit: 'ms',
    reference: { what: `a portal publication (${count} alone)`, value: 1000 / portal.rate },
    // Radio's cost over the portal's, as the target reads.
    ratio: portal.rate / radio.rate,
    target: 'radio ≤ 2× portal',
    met: portal.rate / radio.rate <= 2,
  });
  add({
    section: 'pipeline',
    database: kind,
    measure: `the worker's CPU per radio publication (${count} alone, with what follows the burst), ms`,
    value: radio.cpuMs,
    unit: 'ms',
    reference: { what: 'per portal publication', value: portal.cpuMs },
    ratio: radio.cpuMs / portal.cpuMs,
    target: 'radio ≤ 2× portal',
    met: radio.cpuMs <= 2 * portal.cpuMs,
  });

  return portal;
}

async function pipeline(kind: Kind, options: BenchOptions): Promise<void> {
  const count = options.quick ? 600 : 2_000;
  const storeItems = options.quick ? 10_000 : 100_000;
  const bare = await bareBullmq(count, 2);
  const one = await pipelineRun(kind, count, 1);
  const bareAgain = await bareBullmq(count, 2);
  const reference = (bare.rate + bareAgain.rate) / 2; // taken before and after: the machine's load drifts
  add({
    section: 'pipeline',
    database: kind,
    measure: `publications/s to rss + radio, ${count} queued, 1 worker process`,
    value: one.rate,
    unit: '/s',
    reference: {
      what: `bare BullMQ worker, empty processor, concurrency ${queueSettings.localConcurrency} × 2 queues`,
      value: reference,
    },
    ratio: one.rate / reference,
    target: kind === 'sqlite' ? '≥ 0.25×' : '≥ 0.15×',
    met: one.rate / reference >= (kind === 'sqlite' ? 0.25 : 0.15),
  });

  const portal = await radioBesidePortal(kind, count);
  // The same portal burst with a province's history in the store: the cost must not grow with it.
  const large = await pipelineRun(kind, count, 1, 'portal', storeItems);
  add({
    section: 'pipeline',
    database: kind,
    measure: `cost of a portal publication with ${storeItems.toLocaleString('en')} more items and a year of their publications (${(storeItems * 3).toLocaleString('en')}) in the store`,
    value: 1000 / large.rate,
    unit: 'ms',
    reference: { what: `with ${count.toLocaleString('en')} items, same run`, value: 1000 / portal.rate },
    ratio: large.rate / portal.rate,
    target: 'within 1.2× the small store',
    met: portal.rate / large.rate <= 1.2,
  });

  // Several worker processes: on SQLite one writer at a time (a second process is measured); PostgreSQL is where
  // several workers (machines) share one store, so 2 and 4 are measured there.
  for (const processes of kind === 'sqlite' ? [2] : [2, 4]) {
    const several = await pipelineRun(kind, count, processes);
    add({
      section: 'pipeline',
      database: kind,
      measure: `publications/s, ${processes} worker processes`,
      value: several.rate,
      unit: '/s',
      reference: { what: '1 worker process', value: one.rate },
      ratio: several.rate / one.rate,
      target: kind === 'sqlite' ? '— (one writer)' : 'more processes raise throughput',
      met: kind === 'sqlite' ? true : several.rate > one.rate,
    });
  }
}

/**
 * PostgreSQL only: the portal feed published by 1, 2 and 4 worker processes, in rate and in CPU time per publication,
 * the workers' and the server's (with the server's wait events and lock waits sampled meanwhile, printed to stderr).
 * `--only scale` runs just this; each count of processes twice, alternating, as the machine's load drifts.
 */
async function scale(kind: Kind, options: BenchOptions): Promise<void> {
  if (kind !== 'postgres') return;
  const count = options.quick ? 600 : 2_000;
  const runs = new Map<number, Array<{ rate: number; cpuMs: number; server?: PostgresProbeResult }>>();
  // LOA_BENCH_PROCESSES: other counts of processes (a profile of one of them, say).
  const counts = (process.env.LOA_BENCH_PROCESSES ?? '1,2,4').split(',').map(Number);
  for (const round of [1, 2])
    for (const processes of counts) {
      const run = await pipelineRun(kind, count, processes, 'portal', 0, true);
      runs.set(processes, [...(runs.get(processes) ?? []), run]);
      process.stderr.write(
        `  round ${round}, ${processes} process(es): ${run.rate.toFixed(1)}/s, workers' CPU ${run.cpuMs.toFixed(2)} ms per publication, load ${os.loadavg()[0]!.toFixed(1)}\n${describeProbe(run.server!, count)}\n`,
      );
    }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const one = runs.get(counts[0]!)!;
  for (const processes of counts) {
    const these = runs.get(processes)!;
    add({
      section: 'scale',
      database: kind,
      measure: `portal feed, ${count} queued, ${processes} worker process(es): publications/s (mean of ${these.length})`,
      value: mean(these.map((r) => r.rate)),
      unit: '/s',
      reference: { what: `${counts[0]} worker process(es)`, value: mean(one.map((r) => r.rate)) },
      ratio: mean(these.map((r) => r.rate)) / mean(one.map((r) => r.rate)),
      target: processes === counts[0] ? undefined : 'more processes raise throughput',
      met: processes === counts[0] ? undefined : mean(these.map((r) => r.rate)) > mean(one.map((r) => r.rate)),
    });
    add({
      section: 'scale',
      database: kind,
      measure: `portal feed, ${processes} worker process(es): CPU per publication, workers + server backends`,
      value: mean(these.map((r) => r.cpuMs + r.server!.backendCpuMs / count)),
      unit: 'ms',
      reference: { what: 'of which the workers', value: mean(these.map((r) => r.cpuMs)) },
    });
  }
}

// ---------------------------------------------------------------------------------------------------- lateness

async function lateness(kind: Kind, _options: BenchOptions): Promise<void> {
  const count = 1_000;
  await withDatabase(kind, async (db, config) => {
    const itemIds = await seedItems(db.kysely, count / 2);
    const stations = await addStations(db.kysely, 40);
    // The scheduler looks every second here (30 s by default): the burst is queued a few seconds ahead, as it is
    // in production where it has been queued for up to an hour before 06:00.
    const worker = await startLoa(['worker'], config, { LOA_SCHEDULER_EVERY_MS: '1000' }, WORKER_READY);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const rest = processMemory(worker.pid!).rssMb;
      const due = new Date(Math.ceil((Date.now() + 5_000) / 1000) * 1000);
      await insertPublications(
        db.kysely,
        itemIds.flatMap((itemId, i) => [
          { itemId, channelId: 'rss', scheduledAt: due, state: 'scheduled' as const },
          { itemId, channelId: stations[i % stations.length]!, scheduledAt: due, state: 'scheduled' as const },
        ]),
      );
      await until(async () => (await countPublished(db)) >= count, 600_000, `${count} publications`, 200);
      const late = (await listPublications(db.kysely, { states: ['published'] }))
        .map((p) => (p.publishedAt!.getTime() - p.scheduledAt.getTime()) / 1000)
        .sort((a, b) => a - b);
      const memory = processMemory(worker.pid!);
      // The first publication's lateness is the fixed part (timer, pick-up); the spread after it is throughput.
      add({
        section: 'lateness',
        database: kind,
        measure: `lateness of the first, ${count} due in the same second`,
        value: late[0]!,
        unit: 's',
      });
      add({
        section: 'lateness',
        database: kind,
        measure: `lateness p50, ${count} due in the same second`,
        value: percentile(late, 50),
        unit: 's',
      });
      add({
        section: 'lateness',
        database: kind,
        measure: `lateness p99, ${count} due in the same second`,
        value: percentile(late, 99),
        unit: 's',
        target: '< 1 s',
        met: percentile(late, 99) < 1,
      });
      add({
        section: 'memory',
        database: kind,
        measure: 'worker resident memory at rest',
        value: rest,
        unit: 'MB',
        target: '< 200 MB',
        met: rest < 200,
      });
      add({
        section: 'memory',
        database: kind,
        measure: `worker peak resident memory, ${count} due at once`,
        value: memory.peakMb,
        unit: 'MB',
        target: '< 200 MB',
        met: memory.peakMb < 200,
      });
    } finally {
      await stopProcess(worker);
    }
  });
}

// ---------------------------------------------------------------------------------------------------- rebuild

async function rebuild(kind: Kind, options: BenchOptions): Promise<void> {
  const total = options.quick ? 10_000 : 100_000;
  await withDatabase(kind, async (db, config) => {
    const itemIds = await seedItems(db.kysely, 1_000);
    const stations = await addStations(db.kysely, 40);
    // Owed, in both pending states, within the next hour; 10 of them due now, to time a worker's first publish.
    const soon = Date.now() + 30 * 60_000;
    const rows = Array.from({ length: total }, (_, n) => {
      const itemId = itemIds[n % itemIds.length]!;
      const round = Math.floor(n / itemIds.length);
      const due = n < 10 ? new Date(Date.now() - 1_000 - n * 1_000) : new Date(soon + round * 1_000);
      return {
        itemId,
        channelId: n % 2 ? 'rss' : stations[round % stations.length]!,
        scheduledAt: due,
        state: (n % 3 ? 'queued' : 'scheduled') as 'queued' | 'scheduled',
      };
    });
    await insertPublications(db.kysely, rows);

    // The reference: the same number of jobs added with addBulk, in chunks of 1,000, to an empty queue.
    const bare = new Queue('bare-rebuild', {
      connection: redisConnection(redisUrl),
      prefix: `bench-bare-${process.pid}`,
    });
    let started = performance.now();
    for (let start = 0; start < total; start += 1_000) {
      await bare.addBulk(
        Array.from({ length: Math.min(1_000, total - start) }, (_, i) => ({
          name: 'publish',
          data: { publicationId: `p${start + i}` },
          opts: { ...jobOptions, jobId: `p${start + i}`, delay: 30 * 60_000 },
        })),
      );
    }
    const addBulkSeconds = (performance.now() - started) / 1000;
    await bare.obliterate({ force: true });
    await bare.close();

    // What `loa reschedule` does (with a progress bar on a terminal), timed in this process.
    const queues = new PublishQueues(redisUrl, `${config.queuePrefix}-rebuild`);
    started = performance.now();
    const report = await scheduleDue(db.kysely, queues, {
      full: true,
      onProgress: (done, all) => process.stderr.write(`\r  rebuild ${done}/${all}`),
    });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write('\n');
    if (report.owed !== total) throw new Error(`rebuild queued ${report.owed} of ${total}`);
    await Promise.all(['rss', 'radio'].map((p) => queues.queue(p as 'rss').obliterate({ force: true })));
    await queues.close();
    add({
      section: 'rebuild',
      database: kind,
      measure: `queue rebuild, ${total} owed publications, Redis empty`,
      value: seconds,
      unit: 's',
      reference: { what: `addBulk of ${total} jobs`, value: addBulkSeconds },
      ratio: addBulkSeconds / seconds,
      target: '< 10 s',
      met: seconds < 10,
    });

    // A worker started on the same database with Redis empty (its own prefix): how soon does it publish?
    started = performance.now();
    const worker = await startLoa(['worker'], config, {}, /./); // any output: the process is up
    try {
      await until(async () => (await countPublished(db)) >= 1, 300_000, 'a first publication', 50);
      const firstPublish = (performance.now() - started) / 1000;
      add({
        section: 'rebuild',
        database: kind,
        measure: `worker start to its first publish, ${total} owed`,
        value: firstPublish,
        unit: 's',
        target: 'within seconds',
        met: firstPublish < 10,
      });
    } finally {
      await stopProcess(worker);
    }
  });
}

// ---------------------------------------------------------------------------------------------------- rss

async function rss(kind: Kind, options: BenchOptions): Promise<void> {
  const total = options.quick ? 10_000 : 100_000;
  const seconds = options.quick ? 2 : 5;
  const connections = 10;
  await withDatabase(kind, async (db, config) => {
    const itemIds = await seedItems(db.kysely, 1_000);
    const from = Date.UTC(2026, 0, 1);
    await insertPublications(
      db.kysely,
      Array.from({ length: total }, (_, n) => ({
        itemId: itemIds[n % itemIds.length]!,
        channelId: 'rss',
        scheduledAt: new Date(from + n * 60_000),
        state: 'published' as const,
      })),
    );
    const port = await freePort();
    const server = await startLoa(
      ['serve', '--port', String(port)],
      config,
      { LOA_PORT: String(port) },
      /đang phục vụ/,
    );
    const url = `http://127.0.0.1:${port}/rss.xml`;
    const file = path.join(os.tmpdir(), `loa-bench-feed-${process.pid}.xml`);
    let staticServer: Awaited<ReturnType<typeof startStaticServer>> | undefined;
    try {
      const first = await fetch(url);
      const body = Buffer.from(await first.arrayBuffer());
      const etag = first.headers.get('etag')!;
      fs.writeFileSync(file, body);
      staticServer = await startStaticServer(file, etag, first.headers.get('content-type')!);
      const loa200 = await load(url, seconds, connections);
      const static200 = await load(staticServer.url, seconds, connections);
      const loa304 = await load(url, seconds, connections, { 'if-none-match': etag });
      const static304 = await load(staticServer.url, seconds, connections, { 'if-none-match': etag });
      if (!loa304.status[304] || loa200.status[200] !== loa200.requests)
        throw new Error(`unexpected answers: ${JSON.stringify([loa200.status, loa304.status])}`);
      add({
        section: 'rss',
        database: kind,
        measure: `/rss.xml (${(body.length / 1024).toFixed(0)} KB) with ${total} published, ${connections} connections`,
        value: loa200.perSecond,
        unit: 'req/s',
        reference: { what: 'same bytes, static Node server', value: static200.perSecond },
        ratio: loa200.perSecond / static200.perSecond,
        target: '≥ 0.5×',
        met: loa200.perSecond / static200.perSecond >= 0.5,
      });
      add({
        section: 'rss',
        database: kind,
        measure: '/rss.xml answered 304',
        value: loa304.perSecond,
        unit: 'req/s',
        reference: { what: 'static Node server 304', value: static304.perSecond },
        ratio: loa304.perSecond / static304.perSecond,
        target: 'at least as cheap (1×)',
        met: loa304.perSecond >= static304.perSecond,
      });
    } finally {
      await stopProcess(server);
      if (staticServer) await stopProcess(staticServer.child);
      fs.rmSync(file, { force: true });
    }
  });
}

// ---------------------------------------------------------------------------------------------------- radio day

/** One station's day, published one script after another through the radio adapter (no database involved). */
async function radioDay(options: BenchOptions): Promise<void> {
  const count = options.quick ? 100 : 300;
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-bench-radio-'));
  const radio = new RadioAdapter(new Templates(path.join(PROJECT, 'templates')), exportDir);
  const costs: number[] = [];
  try {
    for (let n = 0; n < count; n++) {
      const scheduledAt = new Date(Date.UTC(2026, 10, 22, 23, 0) + n * 60_000); // 06:00 local onwards, a minute apart
      const now = new Date('2026-11-20T00:00:00Z');
      const post: PostContext = {
        publication: {
          id: `i${n + 1}-dai-xa-${scheduledAt
            .toISOString()
            .replace(/[-:]/g, '')
            .replace(/\.\d{3}Z$/, 'Z')}`,
          itemId: n + 1,
          channelId: 'dai-xa',
          scheduledAt,
          state: 'publishing',
          reason: null,
          content: null,
          externalId: null,
          externalUrl: null,
          attempts: 0,
          queuedBy: 'bench',
          claimedBy: null,
          leaseUntil: null,
          publishedAt: null,
          createdAt: now,
          updatedAt: now,
        },
        item: {
          id: n + 1,
          planId: 1,
          areaKey: 'thu-tuc-hanh-chinh',
          unitId: 'ubnd',
          title: `Bài ${n + 1}`,
          body: 'Thực hiện Kế hoạch số 107/KH-UBND ngày 28/3/2025 của UBND xã, bà con nộp hồ sơ trực tuyến trên Cổng dịch vụ công.',
          link: null,
          image: null,
          priority: 'thong-thuong',
          author: 'cán bộ A',
          approvedBy: 'lãnh đạo B',
          approvedAt: now,
          createdAt: now,
          updatedAt: now,
        },
        channel: { id: 'dai-xa', unitId: 'ubnd', platform: 'radio', name: 'Đài truyền thanh xã Tân Lập', settings: {} },
        unit: { id: 'ubnd', name: 'UBND xã Tân Lập' },
        areaName: 'Thủ tục hành chính',
      };
      const started = performance.now();
      const outcome = await radio.publish(post, await radio.render(post));
      costs.push(performance.now() - started);
      if (outcome.status !== 'sent') throw new Error(`radio answered ${outcome.status}`);
      if (n % 10 === 0) process.stderr.write(`\r  radio ${n}/${count}`);
    }
    process.stderr.write('\n');
    const first = median(costs.slice(0, 10));
    const last = median(costs.slice(-10));
    add({
      section: 'radio-day',
      database: '-',
      measure: `station's day: publish of scripts ${count - 9}–${count} (median)`,
      value: last,
      unit: 'ms',
      reference: { what: 'scripts 1–10 (median)', value: first },
      ratio: first / last,
      target: 'last ≤ 2× first',
      met: last <= 2 * first,
    });
  } finally {
    fs.rmSync(exportDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------- cli

async function cli(): Promise<void> {
  const time = (args: string[]) => {
    const started = performance.now();
    execFileSync(process.execPath, args, { cwd: PROJECT, stdio: 'ignore' });
    return performance.now() - started;
  };
  const bare = median(Array.from({ length: 7 }, () => time(['-e', '0'])));
  const loa = median(Array.from({ length: 7 }, () => time([path.join(PROJECT, 'bin/loa.js'), '--help'])));
  add({
    section: 'cli',
    database: '-',
    measure: '`loa --help` start (median of 7)',
    value: loa,
    unit: 'ms',
    reference: { what: '`node -e 0`', value: bare },
    ratio: bare / loa,
    target: 'within 3×',
    met: loa <= 3 * bare,
  });
}

// ---------------------------------------------------------------------------------------------------- main

const SECTIONS: Record<string, (kind: Kind, options: BenchOptions) => Promise<void>> = {
  pipeline,
  portal: async (kind, options) => void (await portalAlone(kind, options.quick ? 600 : 2_000)),
  radio: async (kind, options) => void (await radioBesidePortal(kind, options.quick ? 600 : 2_000)),
  scale,
  lateness,
  rebuild,
  rss,
};

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const wanted = (name: string) => options.only.length === 0 || options.only.includes(name);
  const unknown = options.only.filter((name) => !(name in SECTIONS) && name !== 'radio-day' && name !== 'cli');
  if (unknown.length) throw new Error(`unknown section ${unknown.join(', ')}`);
  const redis = await startPrivateRedis();
  redisUrl = redis.url;
  const startedAt = new Date();
  try {
    for (const [name, section] of Object.entries(SECTIONS)) {
      if (!wanted(name)) continue;
      for (const kind of DATABASE_KINDS) {
        process.stderr.write(`${name} · ${kind}\n`);
        await section(kind, options);
      }
    }
    if (wanted('radio-day')) await radioDay(options);
    if (wanted('cli')) await cli();
  } finally {
    redis.stop();
    for (const dir of leftBehind) fs.rmSync(dir, { recursive: true, force: true });
  }
  const machine = {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model,
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg(),
    node: process.version,
  };
  printTable(machine, options);
  if (options.json) {
    const json = JSON.stringify(
      {
        startedAt,
        quick: options.quick,
        machine,
        concurrency: queueSettings.concurrency,
        localConcurrency: queueSettings.localConcurrency,
        figures,
      },
      null,
      2,
    );
    if (options.json === true) console.log(json);
    else fs.writeFileSync(options.json, `${json}\n`);
  }
}

function printTable(machine: { cpus: number; loadAverage: number[]; node: string }, options: BenchOptions): void {
  const out = options.json === true ? process.stderr : process.stdout;
  out.write(
    `\nLoa bench${options.quick ? ' (--quick)' : ''}: ${machine.cpus} cores, load average ${machine.loadAverage.map((n) => n.toFixed(1)).join(' ')}, Node ${machine.node}, LOA_CONCURRENCY ${queueSettings.concurrency}, LOA_LOCAL_CONCURRENCY ${queueSettings.localConcurrency}\n`,
  );
  out.write('| section | db | measure | Loa | reference, same run | ratio | target |\n|---|---|---|---|---|---|---|\n');
  for (const f of figures) {
    const ref = f.reference ? `${f.reference.what}: ${fmt(f.reference.value)}` : '—';
    out.write(
      `| ${f.section} | ${f.database} | ${f.measure} | ${fmt(f.value)} ${f.unit} | ${ref} | ${f.ratio === undefined ? '—' : `${f.ratio.toFixed(2)}×`} | ${f.target ? `${f.target}: ${f.met ? 'met' : '**not met**'}` : '—'} |\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
