/**
 * PostgreSQL: what a portal publication costs with the publish path's statements prepared (named, planned once per
 * connection: src/store/prepared-statements.ts) and sent unnamed as Kysely sends them, in the same run, alternating
 * batches on one database: the server's CPU (its backends' /proc schedstat: the server runs on this machine) and
 * this process's CPU per publication, through the worker's path without Redis (the read before the claim, publishOne).
 * `npx tsx test/bench/prepared-cost.ts` (LOA_BENCH_SETTLES, default 1200; LOA_BENCH_IN_FLIGHT, default 2).
 */
import fs from 'node:fs';

import { sql } from 'kysely';

import { readBeforeClaim } from '../../src/store/before-claim';
import { connect } from '../../src/store/connection';
import { schedulePublications } from '../../src/store/publications';
import { publishOne } from '../../worker/publish-job';
import { seedItems } from '../support/seed';
import { freshStore, publishDeps } from '../support/store-fixture';

const COUNT = Number(process.env.LOA_BENCH_SETTLES ?? 1200);
const IN_FLIGHT = Number(process.env.LOA_BENCH_IN_FLIGHT ?? 2);
const BATCH = 100;

function backendCpuMs(pids: number[]): number {
  let ns = 0;
  for (const pid of pids) ns += Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  return ns / 1e6;
}

async function main() {
  const store = await freshStore('postgres');
  const variants = {
    prepared: connect(store.database.url, { poolSize: IN_FLIGHT }),
    unnamed: connect(store.database.url, { poolSize: IN_FLIGHT, preparedStatements: false }),
  };
  try {
    const items = await seedItems(store.db.kysely, COUNT);
    const { created } = await schedulePublications(
      store.db.kysely,
      items.map((itemId, i) => ({ itemId, channelId: 'rss', scheduledAt: new Date(Date.now() - 60_000 + i) })),
      'bench',
    );
    const cost = { prepared: { server: 0, client: 0, n: 0 }, unnamed: { server: 0, client: 0, n: 0 } };
    const pidsOf = async (name: keyof typeof variants) => {
      // Every connection of the variant's pool opened (as many as in flight), then their backends' pids.
      const db = variants[name];
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely);
      return rows.map((r) => Number(r.pid));
    };
    const backends = { prepared: new Set<number>(), unnamed: new Set<number>() };
    for (let start = 0, turn = 0; start < created.length; start += BATCH, turn++) {
      const name = turn % 2 === 0 ? 'prepared' : 'unnamed';
      const db = variants[name];
      const deps = publishDeps(db, store.config);
      const batch = created.slice(start, start + BATCH);
      // Warm the pool so every backend exists before the measure; the first batches also warm the plan caches.
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => (await pidsOf(name)).forEach((pid) => backends[name].add(pid))),
      );
      const pids = [...backends[name]];
      const serverBefore = backendCpuMs(pids);
      const clientBefore = process.cpuUsage();
      for (let i = 0; i < batch.length; i += IN_FLIGHT)
        await Promise.all(
          batch.slice(i, i + IN_FLIGHT).map(async (p) => {
            await readBeforeClaim(db.kysely, p.id);
            const result = await publishOne(deps, p.id, false);
            if (result !== 'published') throw new Error(`${p.id}: ${result}`);
          }),
        );
      const client = process.cpuUsage(clientBefore);
      if (turn < 2) continue; // the first batch of each variant warms up
      cost[name].server += backendCpuMs(pids) - serverBefore;
      cost[name].client += (client.user + client.system) / 1000;
      cost[name].n += batch.length;
    }
    for (const name of ['prepared', 'unnamed'] as const) {
      const c = cost[name];
      console.log(
        `${name.padEnd(8)} ${c.n} publications, ${IN_FLIGHT} in flight: server CPU ${(c.server / c.n).toFixed(3)} ms, this process ${(c.client / c.n).toFixed(3)} ms per publication`,
      );
    }
  } finally {
    await variants.prepared.close();
    await variants.unnamed.close();
    await store.dispose();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
