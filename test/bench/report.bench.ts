/**
 * `npm run bench:report`: how fast `loa report` is on a large publish log. For each database, 1,000,000 attempts are
 * generated inside the database (a recursive CTE on SQLite, generate_series on PostgreSQL; nothing row by row from
 * Node): 250,000 items on 20 channels of 4 units, 800,000 publications spread over 2026 (95 % published, the rest
 * failed, unconfirmed, expired or cancelled; every fourth one retried) and their 1,000,000 attempts. Then the report is
 * built for the whole year, for a quarter and for one unit's quarter, three times each, and the best and median times
 * are printed. The target is under 1 s.
 */
import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { CONTENT_AREAS } from '../../src/domain/plan';
import { parsePeriod } from '../../src/domain/report-period';
import type { Db } from '../../src/store';
import { saveChannel } from '../../src/store/channels';
import { savePlan } from '../../src/store/plans';
import { recountReportRollup } from '../../src/store/report-rollup';
import { ensureUnit } from '../../src/store/units';
import { DATABASE_KINDS, freshDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { buildReport } from '../support/report';
import { minimalPlan } from '../support/seed';

/** LOA_BENCH_SCALE=0.1 for a short run while developing; the figures to report are at 1. */
const SCALE = Number(process.env.LOA_BENCH_SCALE ?? 1);
const ITEMS = Math.round(250_000 * SCALE);
const PUBLICATIONS = Math.round(800_000 * SCALE);
const ATTEMPTS = Math.round(1_000_000 * SCALE);
const CHANNELS = 20;
/** 2026-01-01 00:00 Vietnam time, in Unix seconds. */
const YEAR_START = Date.UTC(2025, 11, 31, 17) / 1000;
const YEAR_SECONDS = 365 * 86400;

export async function seed(db: Db): Promise<number> {
  const plan = minimalPlan('1/KH-BENCH');
  plan.contentAreas = Object.keys(CONTENT_AREAS).map((key) => ({
    key: key as keyof typeof CONTENT_AREAS,
    wording: key,
    details: [],
  }));
  plan.channels = [
    { platform: 'rss', wording: 'Cổng thông tin' },
    { platform: 'radio', wording: 'Đài truyền thanh' },
  ];
  plan.activities = [
    {
      label: 'a',
      title: 'Đăng tải trên Trang thông tin điện tử',
      timing: { kind: 'recurring', every: 'week', wording: 'thường xuyên' },
      leadUnitKeys: [],
      partnerUnitKeys: [],
    },
  ];
  const { plan: stored } = await savePlan(db.kysely, { plan, sourceName: 'bench', sourceHash: 'bench' }, 'bench');
  for (let u = 1; u <= 4; u++) await ensureUnit(db.kysely, `Đơn vị ${u}`, 'bench', `don-vi-${u}`);
  for (let c = 0; c < CHANNELS; c++) {
    await saveChannel(
      db.kysely,
      {
        id: `kenh-${c}`,
        unitId: `don-vi-${(c % 4) + 1}`,
        platform: c % 2 ? 'radio' : 'rss',
        name: `Kênh ${c}`,
        settings: {},
      },
      'bench',
    );
  }
  const areas = Object.keys(CONTENT_AREAS);
  const pg = db.dialect === 'postgres';
  const series = (n: number) => (pg ? sql`generate_series(1::bigint, ${sql.lit(n)}) AS s(n)` : sql`seq`);
  const withSeq = (n: number) =>
    pg ? sql`` : sql`WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${sql.lit(n)}) `;
  const iso = (seconds: ReturnType<typeof sql>) =>
    pg
      ? sql`to_char(to_timestamp(${seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`;
  const area = sql.raw(`CASE n % ${areas.length} ${areas.map((a, i) => `WHEN ${i} THEN '${a}'`).join(' ')} END`);
  const now = new Date().toISOString();
  // A bulk load: its change notes (migration 0021) are dropped with the whole rollup computed afresh once
  // afterwards (its time is printed).

  await sql`${withSeq(ITEMS)}INSERT INTO content_items (id, plan_id, area_key, unit_id, title, body, author, approved_by, approved_at, created_at, updated_at)
    SELECT n, ${stored.id}, ${area}, 'don-vi-' || (n % 4 + 1), 'Bài ' || n, 'Nội dung', 'bench', 'bench', ${now}, ${now}, ${now} FROM ${series(ITEMS)}`.execute(
    db.kysely,
  );
  if (pg) await sql`SELECT setval('content_items_id_seq', ${sql.lit(ITEMS)})`.execute(db.kysely);
  await sql`${withSeq(ITEMS / 50)}INSERT INTO item_activities (item_id, activity_label, linked_by, linked_at) SELECT n * 50, 'a', 'bench', ${now} FROM ${series(ITEMS / 50)}`.execute(
    db.kysely,
  );

  // Publication n: item k = ((n-1) mod ITEMS)+1, on a different channel in each round r over the items; an item's
  // publications go out on the days after one another within a week, as the calendar proposes them (portal on
  // Tuesday, Facebook Wednesday, Zalo Thursday, radio Friday), and items are spread over 2026 by a prime stride;
  // 2 % failed, 1 % each unconfirmed, expired, cancelled; delays up to ~5 min, 1 in 1000 late.
  const div = sql.raw(`((n - 1) / ${ITEMS})`);
  const item = sql.raw(`((n - 1) % ${ITEMS} + 1)`);
  const scheduled = sql`(${sql.lit(YEAR_START)} + (${item} * 7919) % ${sql.lit(YEAR_SECONDS - 7 * 86400)} + ${div} * 86400 + (n % 13) * 60)`;
  const state = sql.raw(
    `CASE n % 100 WHEN 0 THEN 'failed' WHEN 1 THEN 'failed' WHEN 2 THEN 'unconfirmed' WHEN 3 THEN 'expired' WHEN 4 THEN 'cancelled' ELSE 'published' END`,
  );
  const delay = sql.raw(`(CASE WHEN n % 1000 = 7 THEN 1800 ELSE (n % 13) * 23 END)`);
  await sql`${withSeq(PUBLICATIONS)}INSERT INTO publications (id, item_id, channel_id, scheduled_at, state, reason, attempts, queued_by, published_at, created_at, updated_at)
    SELECT 'b' || n, (n - 1) % ${sql.lit(ITEMS)} + 1, 'kenh-' || (${div} * 5 + n % 5), ${iso(scheduled)}, ${state},
      CASE WHEN n % 100 < 5 THEN 'Lý do ' || (n % 7) END,
      CASE WHEN n % 4 = 0 THEN 2 ELSE 1 END, 'bench',
      CASE WHEN n % 100 >= 5 THEN ${iso(sql`${scheduled} + ${delay}`)} END, ${now}, ${now}
    FROM ${series(PUBLICATIONS)}`.execute(db.kysely);
  // Attempt m: the first attempt of publication m, then second attempts of every fourth publication.
  await sql`${withSeq(ATTEMPTS)}INSERT INTO publish_attempts (publication_id, attempt_no, worker, started_at, finished_at, outcome)
    SELECT 'b' || CASE WHEN n <= ${sql.lit(PUBLICATIONS)} THEN n ELSE (n - ${sql.lit(PUBLICATIONS)}) * 4 END,
      CASE WHEN n <= ${sql.lit(PUBLICATIONS)} THEN 1 ELSE 2 END, 'bench', ${now}, ${now}, 'published'
    FROM ${series(ATTEMPTS)}`.execute(db.kysely);
  const started = performance.now();
  await recountReportRollup(db.kysely, db.dialect);
  await sql`ANALYZE`.execute(db.kysely);
  return (performance.now() - started) / 1000;
}

async function time(work: () => Promise<unknown>): Promise<{ best: number; median: number }> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await work();
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return { best: runs[0]!, median: runs[1]! };
}

async function run(kind: 'sqlite' | 'postgres') {
  const database = await freshDatabase(kind);
  const db = await openStore(database.url, { defaultUnit: 'Đơn vị 1' });
  try {
    const started = performance.now();
    const rollupSeconds = await seed(db);
    const seedSeconds = (performance.now() - started) / 1000;
    const counts = await sql<{
      a: number;
      p: number;
    }>`SELECT (SELECT count(*) FROM publish_attempts) AS a, (SELECT count(*) FROM publications) AS p`.execute(
      db.kysely,
    );
    const year = await buildReport(db, { period: parsePeriod('2026'), now: new Date('2030-01-01T00:00:00Z') });
    const rows = [];
    for (const [label, options] of [
      ['năm 2026', { period: parsePeriod('2026') }],
      ['quý I', { period: parsePeriod('2026-Q1') }],
      ['quý I, một đơn vị', { period: parsePeriod('2026-Q1'), unitId: 'don-vi-2' }],
    ] as const) {
      const t = await time(() => buildReport(db, options));
      rows.push({ kind, period: label, bestMs: Math.round(t.best), medianMs: Math.round(t.median) });
    }
    return {
      rows,
      seedSeconds,
      rollupSeconds,
      attempts: Number(counts.rows[0]!.a),
      publications: Number(counts.rows[0]!.p),
      published: year.totals.published,
    };
  } finally {
    await db.close();
    await database.drop();
  }
}

async function main() {
  for (const kind of DATABASE_KINDS) {
    const result = await run(kind);
    console.log(
      `${kind}: ${result.attempts.toLocaleString('vi-VN')} lần thử, ${result.publications.toLocaleString('vi-VN')} lượt đăng (${result.published.toLocaleString('vi-VN')} đã đăng), tạo dữ liệu ${result.seedSeconds.toFixed(1)} s, trong đó dựng bảng tổng hợp ${result.rollupSeconds.toFixed(1)} s`,
    );
    console.table(result.rows);
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
