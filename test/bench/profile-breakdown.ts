/**
 * Shares of a worker's CPU profile (`node --cpu-prof`, as LOA_BENCH_PROFILE=<dir> makes them), by where the time goes.
 * Each sample is charged to the first frame up its stack that belongs to a library or a Loa module, so a native call
 * (better-sqlite3's statement, a socket write) counts for the library that made it.
 *   npx tsx test/bench/profile-breakdown.ts <file.cpuprofile> [publications]
 * LOA_PROFILE_WINDOW=<from>-<to> (seconds into the profile): only those samples, say a burst without the process's
 * start; LOA_PROFILE_TIMELINE=1 prints the busy share and the pg driver's and BullMQ's samples second by second, to
 * find that window.
 */
import fs from 'node:fs';

interface Frame {
  functionName: string;
  url: string;
}
interface Profile {
  nodes: Array<{ id: number; callFrame: Frame; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

const BUCKETS: Array<[string, (f: Frame) => boolean]> = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['SQLite statements (better-sqlite3)', (f) => /better-sqlite3|sqlite-driver/.test(f.url)],
  ['pg driver', (f) => /node_modules\/(pg|pg-protocol|pg-pool)\//.test(f.url)],
  [
    'Kysely building and compiling',
    (f) =>
      /node_modules\/kysely\/.*(query-compiler|operation-node|query-builder|expression|parser|dynamic|raw-builder|util\/object)/.test(
        f.url,
      ),
  ],
  ['Kysely, the rest', (f) => /node_modules\/kysely\//.test(f.url)],
  ['BullMQ', (f) => /node_modules\/bullmq\//.test(f.url)],
  ['ioredis', (f) => /node_modules\/(ioredis|redis-parser|denque|cluster-key-slot|@ioredis)\//.test(f.url)],
  [
    'templates (liquidjs, luxon)',
    (f) => /node_modules\/(liquidjs|luxon)\//.test(f.url) || /channels\/template/.test(f.url),
  ],
  ['logging', (f) => /worker\/log\.js|node_modules\/(pino|sonic-boom)\//.test(f.url)],
  ['radio adapter (files)', (f) => /channels\/radio/.test(f.url)],
  ['portal feed adapter', (f) => /channels\/rss/.test(f.url)],
  ['Loa store (row mapping)', (f) => /dist\/src\/store/.test(f.url)],
  ['Loa worker', (f) => /dist\/worker/.test(f.url)],
];

function main(): void {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: profile-breakdown.ts <file.cpuprofile> [publications]');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const publications = Number(count ?? 0);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const totals = new Map<string, number>();
  const [from, to] = (process.env.LOA_PROFILE_WINDOW ?? '0-1e9').split('-').map((s) => Number(s) * 1e6);
  const timeline = new Map<number, Map<string, number>>();
  let all = 0;
  let at = 0;
  profile.samples.forEach((sample, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    at += us;
    if (at < from! || at > to!) return;
    all += us;
    let bucket = 'other';
    let inNode = false;
    for (let id: number | undefined = sample; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (frame.url.startsWith('node:')) inNode = true;
      const found = BUCKETS.find(([, test]) => test(frame));
      if (found) {
        bucket = found[0];
        break;
      }
    }
    if (bucket === 'other' && inNode) bucket = 'Node internals (streams, timers, modules)';
    totals.set(bucket, (totals.get(bucket) ?? 0) + us);
    const second = Math.floor(at / 1e6);
    const inSecond = timeline.get(second) ?? new Map<string, number>();
    inSecond.set(bucket, (inSecond.get(bucket) ?? 0) + us);
    timeline.set(second, inSecond);
  });
  if (process.env.LOA_PROFILE_TIMELINE)
    for (const [second, buckets] of timeline) {
      const total = [...buckets.values()].reduce((a, b) => a + b, 0);
      const share = (name: string) => `${((100 * (buckets.get(name) ?? 0)) / total).toFixed(0).padStart(3)} %`;
      console.log(
        `${String(second).padStart(3)} s  busy ${(100 - Number(share('idle').slice(0, -2))).toFixed(0).padStart(3)} %  pg ${share('pg driver')}  BullMQ ${share('BullMQ')}`,
      );
    }
  const busy = all - (totals.get('idle') ?? 0);
  console.log(`profile ${(all / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s`);
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    const each = publications ? `  ${(us / 1e3 / publications).toFixed(3)} ms per publication` : '';
    console.log(`${name.padEnd(42)} ${((100 * us) / busy).toFixed(1).padStart(5)} %${each}`);
  }
}

main();
