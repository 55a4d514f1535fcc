/**
 * What keeping the report's rollup adds to the publish path: N publications settled one by one, each in its own
 * transaction as recordOutcomeAndSettle does (one UPDATE of the publication), in three set-ups measured in the same
 * run: no trigger at all; the notes of migration 0021 (the rollup caught up once afterwards, whose time is printed
 * per publication); the rollup triggers of 0011/0013 that 0021 replaced (inside every settle).
 * `npx tsx test/bench/report-trigger-cost.ts` (LOA_BENCH_SETTLES, default 2000).
 */
import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { openStore } from '../../src/store';
import { createReportTriggers } from '../../src/store/migrations/0011-report-rollup';
import { schedulePublications } from '../../src/store/publications';
import { catchUpReportRollup, recountReportRollup } from '../../src/store/report-rollup';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { seedItems } from '../support/seed';

const SETTLES = Number(process.env.LOA_BENCH_SETTLES ?? 2000);
type Setup = 'none' | 'notes' | 'triggers';

async function run(kind: 'sqlite' | 'postgres', setup: Setup): Promise<{ settle: number; catchUp: number }> {
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
    if (setup !== 'notes') {
      for (const name of ['report_note_insert', 'report_note_update', 'report_note_delete']) {
        await sql
          .raw(db.dialect === 'postgres' ? `DROP TRIGGER ${name} ON publications` : `DROP TRIGGER ${name}`)
          .execute(db.kysely);
      }
    }
    if (setup === 'triggers') await createReportTriggers(db.kysely, db.dialect);
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
    const settle = (performance.now() - began) / SETTLES;
    const caught = performance.now();
    if (setup === 'notes') await catchUpReportRollup(db.kysely, db.dialect);
    const catchUp = (performance.now() - caught) / SETTLES;
    if (setup === 'notes') await recountReportRollup(db.kysely, db.dialect);
    return { settle, catchUp };
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main() {
  for (const kind of DATABASE_KINDS) {
    const none = await run(kind, 'none');
    const notes = await run(kind, 'notes');
    const triggers = await run(kind, 'triggers');
    console.log(
      `${kind}: ${SETTLES} lượt kết thúc, mỗi lượt ${none.settle.toFixed(3)} ms không trigger, ${notes.settle.toFixed(3)} ms với ghi chú (0021) + ${notes.catchUp.toFixed(3)} ms cập nhật sau đợt, ${triggers.settle.toFixed(3)} ms với trigger tổng hợp cũ (0011/0013)`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
