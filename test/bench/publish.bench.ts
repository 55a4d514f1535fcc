/**
 * `npm run bench`: how fast the spine publishes. For each database, N items are scheduled for "now" on the portal
 * feed and on one of 40 commune radio stations (a province's worth; a station airs a handful of scripts a day),
 * one worker process publishes them, and we report throughput, the delay from scheduled time to published
 * (p50/p95) and the process's peak memory. Needs Redis and, for the PostgreSQL row, PostgreSQL.
 */
import { performance } from 'node:perf_hooks';
import { openStore } from '../../src/store';
import { saveChannel } from '../../src/store/channels';
import { listPublications, schedulePublications } from '../../src/store/publications';
import { startWorker } from '../../worker/worker';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { testConfig } from '../support/services';
import { seedItems } from '../support/seed';

const ITEMS = Number(process.env.BENCH_ITEMS ?? 200);
const STATIONS = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function run(kind: 'sqlite' | 'postgres') {
  const database = await freshDatabase(kind);
  const config = testConfig(database.url);
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  try {
    const itemIds = await seedItems(db.kysely, ITEMS);
    for (let n = 1; n <= STATIONS; n++) await saveChannel(db.kysely, { id: `dai-xa-${n}`, unitId: 'ubnd-xa-tan-lap', platform: 'radio', name: `Đài xã ${n}`, settings: {} }, 'bench');
    const now = new Date();
    const slots = itemIds.flatMap((itemId, i) => [
      { itemId, channelId: 'rss', scheduledAt: now },
      { itemId, channelId: `dai-xa-${(i % STATIONS) + 1}`, scheduledAt: now },
    ]);
    await schedulePublications(db.kysely, slots, 'bench');
    const total = itemIds.length * 2;
    const started = performance.now();
    const worker = await startWorker(config);
    let done = 0;
    let peakRss = 0;
    while (done < total) {
      await new Promise((r) => setTimeout(r, 100));
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      done = (await listPublications(db.kysely, { states: ['published'] })).length;
      process.stderr.write(`\r${kind}: ${done}/${total}`);
    }
    const seconds = (performance.now() - started) / 1000;
    await worker.stop();
    process.stderr.write('\n');
    const delays = (await listPublications(db.kysely)).map((p) => p.publishedAt!.getTime() - p.scheduledAt.getTime()).sort((a, b) => a - b);
    return { kind, total, seconds, perSecond: total / seconds, p50: percentile(delays, 50), p95: percentile(delays, 95), peakMb: peakRss / 2 ** 20 };
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main() {
  const rows = [];
  for (const kind of DATABASE_KINDS) rows.push(await run(kind));
  console.log(`\n${ITEMS} items × (rss + one of ${STATIONS} radio stations), one worker, concurrency per queue = LOA_CONCURRENCY (default 2)`);
  console.log('database   publications  seconds  per second  delay p50  delay p95  peak RSS');
  for (const r of rows) {
    console.log(
      `${r.kind.padEnd(10)} ${String(r.total).padStart(12)} ${r.seconds.toFixed(1).padStart(8)} ${r.perSecond.toFixed(1).padStart(11)} ${`${(r.p50 / 1000).toFixed(1)} s`.padStart(10)} ${`${(r.p95 / 1000).toFixed(1)} s`.padStart(10)} ${`${r.peakMb.toFixed(0)} MB`.padStart(9)}`,
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
