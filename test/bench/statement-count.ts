/**
 * How many SQL statements and transactions one publication costs, counted at the driver (better-sqlite3's statements,
 * pg's queries), on the portal feed and on a radio station, through the worker's own path: publishOne (the pause and
 * channel checks before the claim, src/store/before-claim.ts, are read only for a channel that calls a platform; the
 * portal feed and the stations are local: worker/worker.ts).
 * Counted one publication at a time, and with several in flight at once (the worker's concurrency), where group commit
 * (src/store/commit-batch.ts) lets them share transactions.
 * `npx tsx test/bench/statement-count.ts` (LOA_TEST_DATABASES narrows the databases).
 */
import fs from 'node:fs';
import { performance } from 'node:perf_hooks';

import SQLite from 'better-sqlite3';
import { Client } from 'pg';

import { schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { DATABASE_KINDS } from '../support/databases';
import { seedItems } from '../support/seed';
import { freshStore, publishDeps } from '../support/store-fixture';
import { addStations, growStore } from './bench-support';

const counts = { statements: 0, transactions: 0 };
const texts = new Map<string, number>();
function note(sql: string): void {
  counts.statements++;
  if (/^\s*begin/i.test(sql)) counts.transactions++;
  const key = sql.replace(/\s+/g, ' ').slice(0, 90);
  texts.set(key, (texts.get(key) ?? 0) + 1);
}

// better-sqlite3: every statement runs through a prepared statement's run/all/get (the statement cache keeps them).
const prepare = SQLite.prototype.prepare;
const planned = new Set<string>();
SQLite.prototype.prepare = function (this: SQLite.Database, source: string) {
  const statement = prepare.call(this, source);
  // LOA_BENCH_PLANS: every statement's query plan where it scans a table or sorts (SQLite's EXPLAIN QUERY PLAN).
  if (process.env.LOA_BENCH_PLANS && !planned.has(source) && !/^\s*(begin|commit|rollback)/i.test(source)) {
    planned.add(source);
    const explain = prepare.call(this, `explain query plan ${source}`);
    const plan = explain.all(Array.from({ length: countParameters(source) }, () => null)) as Array<{ detail: string }>;
    const bad = plan.filter((step) => /^SCAN|TEMP B-TREE/.test(step.detail));
    if (bad.length) console.log(`PLAN ${source.slice(0, 120)}\n   ${bad.map((b) => b.detail).join('\n   ')}`);
  }
  const methods = statement as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const original = methods[method]!;
    methods[method] = (...args: unknown[]) => {
      note(source);
      return original.apply(statement, args);
    };
  }
  return statement;
} as typeof prepare;
function countParameters(source: string): number {
  return (source.match(/\?/g) ?? []).length;
}

/**
 * PostgreSQL's side of each statement: the CPU time of the backend that ran it (its /proc schedstat, in ns: the server
 * runs on this machine) and the round trip as the client saw it, summed by statement text.
 */
const serverCost = new Map<string, { cpuNs: number; wallMs: number }>();
function backendCpuNs(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

const query = Client.prototype.query as (...args: unknown[]) => unknown;
Client.prototype.query = function (this: Client & { processID?: number }, ...args: unknown[]) {
  const first = args[0] as string | { text: string };
  const text = typeof first === 'string' ? first : first.text;
  note(text);
  const pid = this.processID;
  const cpuBefore = pid ? backendCpuNs(pid) : NaN;
  const started = performance.now();
  const result = query.apply(this, args);
  if (pid && result instanceof Promise)
    void result.then(
      () => {
        const key = text.replace(/\s+/g, ' ').slice(0, 90);
        const cost = serverCost.get(key) ?? { cpuNs: 0, wallMs: 0 };
        cost.cpuNs += backendCpuNs(pid) - cpuBefore;
        cost.wallMs += performance.now() - started;
        serverCost.set(key, cost);
      },
      () => undefined,
    );
  return result;
} as typeof Client.prototype.query;

/** LOA_BENCH_IN_FLIGHT: how many publications are in flight at once in the second count. Default 8. */
const IN_FLIGHT = Number(process.env.LOA_BENCH_IN_FLIGHT ?? 8);

async function main() {
  const N = 80;
  for (const kind of DATABASE_KINDS) {
    const store = await freshStore(kind);
    try {
      const { db, config } = store;
      const items = await seedItems(db.kysely, N);
      // LOA_BENCH_STORE_ITEMS: the store also holds that many more items with a year of publications (then ANALYZE).
      const extra = Number(process.env.LOA_BENCH_STORE_ITEMS ?? 0);
      if (extra > 0) await growStore(db, items[0]!, extra);
      const [station] = await addStations(db.kysely, 1);
      const deps = publishDeps(db, config);
      for (const channelId of ['rss', station!]) {
        const { created } = await schedulePublications(
          db.kysely,
          items.map((itemId, i) => ({ itemId, channelId, scheduledAt: new Date(Date.now() - 60_000 + i) })),
          'bench',
        );
        // One at a time, then IN_FLIGHT at once as a busy worker has them (group commit shares their transactions).
        for (const [inFlight, batch] of [
          [1, created.slice(0, N / 2)],
          [IN_FLIGHT, created.slice(N / 2)],
        ] as const) {
          counts.statements = counts.transactions = 0;
          texts.clear();
          serverCost.clear();
          for (let start = 0; start < batch.length; start += inFlight) {
            await Promise.all(
              batch.slice(start, start + inFlight).map(async (p) => {
                const result = await publishOne(deps, p.id, false);
                if (result !== 'published') throw new Error(`${p.id}: ${result}`);
              }),
            );
          }
          const each = (n: number) => (n / batch.length).toFixed(1);
          console.log(
            `${kind} ${channelId === 'rss' ? 'portal' : 'radio'}, ${inFlight} in flight: ${each(counts.statements)} statements, ${each(counts.transactions)} transactions per publication`,
          );
          if (process.env.LOA_BENCH_VERBOSE)
            for (const [text, n] of texts) {
              // PostgreSQL: the backend's CPU and the client's round trip per publication, for this statement.
              const cost = serverCost.get(text);
              const server = cost
                ? ` [backend CPU ${(cost.cpuNs / 1e6 / batch.length).toFixed(3)} ms, round trip ${(cost.wallMs / batch.length).toFixed(3)} ms]`
                : '';
              console.log(`   ${each(n).padStart(4)}  ${text}${server}`);
            }
          if (serverCost.size > 0) {
            let cpuNs = 0;
            for (const cost of serverCost.values()) cpuNs += cost.cpuNs;
            console.log(`   backend CPU ${(cpuNs / 1e6 / batch.length).toFixed(3)} ms per publication`);
          }
        }
      }
    } finally {
      await store.dispose();
    }
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
