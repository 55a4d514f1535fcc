/**
 * What one publication costs in the store alone: claimAndOpenAttempt then recordOutcomeAndSettle, one by one, on
 * both databases, with 1,000 items in the store and with 100,000 items and a year of their publications (three
 * each, settled, bulk-loaded in the database) beside the ones published. `npx tsx test/bench/protocol-cost.ts`
 * (LOA_BENCH_SETTLES, default 1000; LOA_BENCH_STORE_ITEMS, default 100000).
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

async function run(kind: 'sqlite' | 'postgres', storeItems: number): Promise<{ claim: number; settle: number }> {
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
    for (const p of created) {
      let t = performance.now();
      const answer = await claimAndOpenAttempt(db.kysely, p.id, 'bench', 60_000);
      claim += performance.now() - t;
      if (answer.status !== 'claimed') throw new Error(`not claimed: ${answer.status}`);
      t = performance.now();
      await recordOutcomeAndSettle(db.kysely, answer.claim, {
        kind: 'published',
        attemptOutcome: 'published',
        externalId: p.id,
        externalUrl: null,
        content: 'x',
        title: 'x',
      });
      settle += performance.now() - t;
    }
    return { claim: claim / COUNT, settle: settle / COUNT };
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main() {
  for (const kind of DATABASE_KINDS) {
    const small = await run(kind, 1_000);
    const large = await run(kind, STORE_ITEMS);
    const each = (r: { claim: number; settle: number }) =>
      `claim ${r.claim.toFixed(2)} ms, outcome and settle ${r.settle.toFixed(2)} ms`;
    console.log(`${kind}: ${COUNT} publications, 1,000 items in the store: ${each(small)} each`);
    console.log(
      `${kind}: ${COUNT} publications, ${STORE_ITEMS.toLocaleString('en')} items and ${(STORE_ITEMS * 3).toLocaleString('en')} publications in the store: ${each(large)} each; ${((large.claim + large.settle) / (small.claim + small.settle)).toFixed(2)}× the small store`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
