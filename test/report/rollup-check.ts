import { sql } from 'kysely';

import type { Db } from '../../src/store';
import { catchUpReportRollup, recountReportRollup } from '../../src/store/report-rollup';

/** The three rollup tables, sorted, as plain values (numbers as numbers: PostgreSQL returns sums as text). */
export async function rollup(db: Db) {
  const rows = async (table: string, order: string) =>
    (
      await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(order)}`.execute(
        db.kysely,
      )
    ).rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && k !== 'reason' ? Number(v) : v,
        ]),
      ),
    );
  return {
    daily: await rows('report_daily', 'state, day, channel_id, plan_id, area_key, reason'),
    monthly: await rows('report_monthly', 'state, month, channel_id, plan_id, area_key, reason'),
    reach: await rows('report_item_reach', 'unit_id, item_id'),
    worst: await rows('report_worst', 'day, channel_id, publication_id'),
    reachCells: await rows('report_reach_cells', 'unit_id, first_day, last_day, area_key, channels'),
  };
}

/** What the catch-up kept from the noted changes, against the same tables computed afresh from the raw log. */
export async function expectRollupMatchesLog(db: Db) {
  await catchUpReportRollup(db.kysely, db.dialect);
  const kept = await rollup(db);
  await recountReportRollup(db.kysely, db.dialect);
  expect(kept).toEqual(await rollup(db));
}
