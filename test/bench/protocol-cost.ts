/**
 * What one publication costs in the store alone: claimAndOpenAttempt then recordOutcomeAndSettle, one by one, on
 * both databases, with 1,000 items in the store and with 100,000 items and a year of their publications (three
 * each, settled, bulk-loaded in the database) beside the ones published; and on the small store with several
 * publications in flight at once, whose claims and settles share transactions (group commit), with the CPU time each.
 * `npx tsx test/bench/protocol-cost.ts` (LOA_BENCH_SETTLES, default 1000; LOA_BENCH_STORE_ITEMS, default 100000;
 * LOA_BENCH_IN_FLIGHT, default 8).
 */
import { performance } from 'node:perf_hooks';

import { schedulePublications } from '../../src/store/publications';
import { claimAndOpenAttempt, recordOutcomeAndSettle } from '../../src/store/publish-protocol';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedItems } from '../support/seed';
import { growStore } from './bench-support';

const COUNT = Number(process.env.LOA_BENCH_SETTLES ?? 1000);
const STORE_ITEMS = Number(process.env.LOA_BENCH_STORE_ITEMS ?? 100_000);

interface Cost {
  claim: number;
  settle: number;
  /** The process's CPU time (user + system) per publication, claims and settles together. */
  cpu: number;
}

/** `inFlight`: publications handed to the protocol at once (each step of all of them together, as a busy worker does). */
async function run(kind: 'sqlite' | 'postgres', storeItems: number, inFlight = 1): Promise<Cost> {
  const database = await freshDatabase(kind);
  const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
  try {
    const items = await seedItems(db.kysely, Math.ceil(COUNT / 2));
    if (storeItems > items.length) await growStore(db, items[0]!, storeItems - items.length);
    const now = Date.now() - 60_000;
    const { created } = await schedulePublications(
      db.kysely,
      Array.from({ length: COUNT }, (_, i) => ({
        itemId: items[i >> 1]!,
        channelId: i % 2 ? 'radio' : 'rss',
        scheduledAt: new Date(now + i),
      })),
      'bench',
    );
    let claim = 0;
    let settle = 0;
    const cpuBefore = process.cpuUsage();
    for (let start = 0; start < created.length; start += inFlight) {
      const group = created.slice(start, start + inFlight);
      let t = performance.now();
      const answers = await Promise.all(group.map((p) => claimAndOpenAttempt(db.kysely, p.id, 'bench', 60_000)));
      claim += performance.now() - t;
      t = performance.now();
      await Promise.all(
        answers.map((answer) => {
          if (answer.status !== 'claimed') throw new Error(`not claimed: ${answer.status}`);
          return recordOutcomeAndSettle(db.kysely, answer.claim, {
            kind: 'published',
            attemptOutcome: 'published',
            externalId: answer.claim.publicationId,
            externalUrl: null,
            content: 'x',
            title: 'x',
          });
        }),
      );
      settle += performance.now() - t;
    }
    const cpuUsed = process.cpuUsage(cpuBefore);
    return { claim: claim / COUNT, settle: settle / COUNT, cpu: (cpuUsed.user + cpuUsed.system) / 1000 / COUNT };
  } finally {
    await db.close();
    await database.drop();
  }
}

/** LOA_BENCH_IN_FLIGHT: publications in flight at once in the group-commit line. Default 8. */
const IN_FLIGHT = Number(process.env.LOA_BENCH_IN_FLIGHT ?? 8);

async function main() {
  for (const kind of DATABASE_KINDS) {
    const small = await run(kind, 1_000);
    const batched = await run(kind, 1_000, IN_FLIGHT);
    const large = await run(kind, STORE_ITEMS);
    const each = (r: Cost) =>
      `claim ${r.claim.toFixed(2)} ms, outcome and settle ${r.settle.toFixed(2)} ms, CPU ${r.cpu.toFixed(2)} ms`;
    console.log(`${kind}: ${COUNT} publications, 1,000 items in the store: ${each(small)} each`);
    console.log(
      `${kind}: ${COUNT} publications, ${IN_FLIGHT} in flight (group commit), 1,000 items in the store: ${each(batched)} each; CPU ${(batched.cpu / small.cpu).toFixed(2)}× one at a time`,
    );
    console.log(
      `${kind}: ${COUNT} publications, ${STORE_ITEMS.toLocaleString('en')} items and ${(STORE_ITEMS * 3).toLocaleString('en')} publications in the store: ${each(large)} each; ${((large.claim + large.settle) / (small.claim + small.settle)).toFixed(2)}× the small store`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
