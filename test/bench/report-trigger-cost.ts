/**
 * What the rollup's triggers add to the publish path: N publications settled one by one, each in its own transaction
 * as recordOutcomeAndSettle does (one UPDATE of the publication), with the triggers in place and with them dropped.
 * `npx tsx test/bench/report-trigger-cost.ts` (LOA_BENCH_SETTLES, default 2000).
 */
import { performance } from 'node:perf_hooks';

import { dropReportTriggers, rebuildReportRollup } from '../../src/store/migrations/0011-report-rollup';
import { schedulePublications } from '../../src/store/publications';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { seedItems } from '../support/seed';

const SETTLES = Number(process.env.LOA_BENCH_SETTLES ?? 2000);

async function run(kind: 'sqlite' | 'postgres', withTriggers: boolean): Promise<number> {
  const database = await freshDatabase(kind);
  const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
  try {
    const items = await seedItems(db.kysely, Math.ceil(SETTLES / 2));
    const start = Date.UTC(2026, 0, 1);
    const slots = Array.from({ length: SETTLES }, (_, i) => ({
      itemId: items[i >> 1]!,
      channelId: i % 2 ? 'radio' : 'rss',
      scheduledAt: new Date(start + i * 600_000),
    }));
    const { created } = await schedulePublications(db.kysely, slots, 'bench');
    if (!withTriggers) await dropReportTriggers(db.kysely, db.dialect);
    const began = performance.now();
    for (const [i, p] of created.entries()) {
      await db.kysely.transaction().execute((tx) =>
        tx
          .updateTable('publications')
          .set({
            state: i % 50 === 0 ? 'failed' : 'published',
            reason: i % 50 === 0 ? 'lỗi' : null,
            attempts: 1,
            published_at: new Date(p.scheduledAt.getTime() + 20_000).toISOString(),
            updated_at: new Date().toISOString(),
          })
          .where('id', '=', p.id)
          .execute(),
      );
    }
    const ms = (performance.now() - began) / SETTLES;
    if (withTriggers) await rebuildReportRollup(db.kysely, db.dialect);
    return ms;
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main() {
  for (const kind of DATABASE_KINDS) {
    const without = await run(kind, false);
    const withTriggers = await run(kind, true);
    console.log(
      `${kind}: ${SETTLES} lượt kết thúc, mỗi lượt ${without.toFixed(2)} ms không có trigger, ${withTriggers.toFixed(2)} ms có trigger`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
