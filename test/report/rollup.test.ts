import { sql } from 'kysely';

import { parsePeriod } from '../../src/domain/report-period';
import type { Db } from '../../src/store';
import { saveChannel } from '../../src/store/channels';
import { editItem } from '../../src/store/items';
import { movePublication, schedulePublications } from '../../src/store/publications';
import { catchUpReportRollup, recountReportRollup } from '../../src/store/report-rollup';
import { withdrawItem } from '../../src/store/withdrawals';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { claimOrThrow, type Outcome, settleAs } from '../support/protocol';
import { buildReport } from '../support/report';
import { decide, publish, seedKnownLog, vn } from './known-log';
import { expectRollupMatchesLog, rollup } from './rollup-check';

/** Through the fenced protocol, as the worker does it: claim, then settle with each outcome in turn. */
async function viaProtocol(db: Db, itemId: number, channelId: string, at: Date, outcomes: Outcome[]) {
  const { created } = await schedulePublications(db.kysely, [{ itemId, channelId, scheduledAt: at }], 'cán bộ A');
  const id = created[0]!.id;
  for (const outcome of outcomes) {
    const answer = await claimOrThrow(db.kysely, id);
    await settleAs(db.kysely, answer.claim, outcome);
  }
  return id;
}

describe.each(DATABASE_KINDS)('the report rollup on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeEach(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await seedKnownLog(db.kysely);
  });
  afterEach(async () => {
    await db.close();
    await database.drop();
  });

  test('the noted changes keep it equal to the raw log through retries, cancels, expiries, withdrawals, edits and moves', async () => {
    await expectRollupMatchesLog(db);
    const items = (await db.kysely.selectFrom('content_items').select('id').orderBy('id').execute()).map((i) => i.id);
    // The fenced protocol: a retry then published; failed then retried by a person and published; unconfirmed.
    await viaProtocol(db, items[0]!, 'rss', vn('2026-02-14 07:00'), ['retry', 'retry', 'published']);
    const failed = await viaProtocol(db, items[1]!, 'radio', vn('2026-02-14 23:45'), ['failed']);
    await movePublication(db.kysely, failed, 'queued', null);
    await viaProtocol(db, items[2]!, 'rss-vh', vn('2026-03-02 09:00'), ['unconfirmed']);
    await settleAs(db.kysely, (await claimOrThrow(db.kysely, failed, 'w2')).claim, 'published', 'x');
    // Cancels and expiries, some from states the rollup counts and some from pending.
    await decide(db.kysely, items[3]!, 'rss', vn('2026-03-20 08:00'), 'cancelled', 'Trùng nội dung');
    await decide(db.kysely, items[4]!, 'rss', vn('2026-03-21 08:00'), 'expired', 'Chưa duyệt trước giờ đăng');
    await publish(db.kysely, items[4]!, 'radio', vn('2026-03-31 23:59'), [
      { outcome: 'retry', after: 5 },
      { outcome: 'published', after: 400 },
    ]);
    // An item moved to another area, a channel moved to another unit, a published row rescheduled and then removed.
    await editItem(db.kysely, items[0]!, { area: 'chinh-phu-so' });
    // An item withdrawn (the store step of withdrawAs): its two published posts become withdrawn, by its reason.
    await withdrawItem(db.kysely, items[1]!, 'cán bộ B', 'Thông tin đã thay đổi', vn('2026-04-02 09:00'));
    await expectRollupMatchesLog(db);
    await saveChannel(
      db.kysely,
      { id: 'rss-vh', unitId: 'ubnd-xa-tan-lap', platform: 'rss', name: 'Trang tin Phòng Văn hóa', settings: {} },
      'kiểm thử',
    );
    const moved = (
      await db.kysely
        .selectFrom('publications')
        .select('id')
        .where('state', '=', 'published')
        .orderBy('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db.kysely
      .updateTable('publications')
      .set({ scheduled_at: vn('2026-01-03 05:00').toISOString() })
      .where('id', '=', moved)
      .execute();
    await expectRollupMatchesLog(db);
    await db.kysely.deleteFrom('publish_attempts').where('publication_id', '=', moved).execute();
    await db.kysely.deleteFrom('publications').where('id', '=', moved).execute();
    await expectRollupMatchesLog(db);
    const report = await buildReport(db, { period: parsePeriod('2026-Q1'), now: vn('2030-01-01 00:00') });
    const q1 = parsePeriod('2026-Q1');
    const raw = await db.kysely
      .selectFrom('publications')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('scheduled_at', '>=', q1.start.toISOString())
      .where('scheduled_at', '<', q1.end.toISOString())
      .groupBy('state')
      .execute();
    const counts = Object.fromEntries(raw.map((r) => [r.state, Number(r.n)]));
    expect(counts.withdrawn).toBe(2);
    // A withdrawn post went out: it counts as published, and apart as withdrawn.
    expect([report.totals.withdrawn, report.withdrawals.map((w) => [w.reason, w.channelId, w.count])]).toEqual([
      counts.withdrawn,
      [
        ['Thông tin đã thay đổi', 'radio', 1],
        ['Thông tin đã thay đổi', 'rss', 1],
      ],
    ]);
    expect([
      report.totals.published - report.totals.withdrawn,
      report.totals.failed,
      report.totals.unconfirmed,
      report.totals.cancelled,
      report.totals.expired,
      report.totals.pending,
    ]).toEqual([
      counts.published,
      counts.failed,
      counts.unconfirmed,
      counts.cancelled,
      counts.expired,
      counts.queued ?? 0,
    ]);
    expect(report.totals.pending).toBe(0);
  });

  test('a busy channel-day keeps its 5 latest as the whole day would give them, ties broken by id, as posts go out one by one', async () => {
    const items = (await db.kysely.selectFrom('content_items').select('id').orderBy('id').execute()).map((i) => i.id);
    const at = vn('2026-02-17 06:00');
    const slots = Array.from({ length: 14 }, (_, n) => ({
      itemId: items[n % items.length]!,
      channelId: 'rss',
      scheduledAt: new Date(at.getTime() + n * 60_000),
    }));
    const { created } = await schedulePublications(db.kysely, slots, 'cán bộ A');
    // Lateness in seconds, in the order they settle: rising, falling, and ties at the edge of the five.
    const late = [5, 400, 30, 400, 90, 400, 2, 700, 90, 400, 1, 700, 60, 90];
    for (const [n, p] of created.entries()) {
      await db.kysely
        .updateTable('publications')
        .set({
          state: 'published',
          attempts: 1,
          published_at: new Date(p.scheduledAt.getTime() + late[n]! * 1000).toISOString(),
        })
        .where('id', '=', p.id)
        .execute();
    }
    await catchUpReportRollup(db.kysely, db.dialect);
    const kept = await db.kysely
      .selectFrom('report_worst' as never)
      .select(['publication_id' as never])
      .where('channel_id' as never, '=', 'rss' as never)
      .where('day' as never, '=', '2026-02-17' as never)
      .execute();
    expect(kept).toHaveLength(5);
    await expectRollupMatchesLog(db);
  });

  test('the comparison sees a missing note: without the update trigger a settled publication is not counted', async () => {
    await expectRollupMatchesLog(db);
    await sql
      .raw(
        db.dialect === 'postgres'
          ? 'DROP TRIGGER report_note_update ON publications'
          : 'DROP TRIGGER report_note_update',
      )
      .execute(db.kysely);
    const items = (await db.kysely.selectFrom('content_items').select('id').orderBy('id').execute()).map((i) => i.id);
    await viaProtocol(db, items[0]!, 'rss', vn('2026-02-14 07:00'), ['published']);
    await catchUpReportRollup(db.kysely, db.dialect);
    const kept = await rollup(db);
    await recountReportRollup(db.kysely, db.dialect);
    expect(kept).not.toEqual(await rollup(db));
  });

  test('the settle writes no rollup row: a publication that goes out is counted once the rollup catches up', async () => {
    await expectRollupMatchesLog(db);
    const before = await rollup(db);
    const items = (await db.kysely.selectFrom('content_items').select('id').orderBy('id').execute()).map((i) => i.id);
    await viaProtocol(db, items[0]!, 'rss', vn('2026-02-14 07:00'), ['published']);
    expect(await rollup(db)).toEqual(before);
    expect(await catchUpReportRollup(db.kysely, db.dialect)).toBe(1);
    expect(await rollup(db)).not.toEqual(before);
    await expectRollupMatchesLog(db);
  });
});

const onPostgres = DATABASE_KINDS.includes('postgres') ? describe : describe.skip;

onPostgres('the report rollup under concurrent settles on postgres', () => {
  test('two channels of one item settle at once without waiting on each other, and the rollup still matches the log', async () => {
    const database = await freshDatabase('postgres');
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    try {
      await seedKnownLog(db.kysely);
      await catchUpReportRollup(db.kysely, db.dialect);
      const item = (
        await db.kysely.selectFrom('content_items').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()
      ).id;
      const at = vn('2026-02-20 08:00');
      const { created } = await schedulePublications(
        db.kysely,
        [
          { itemId: item, channelId: 'rss', scheduledAt: at },
          { itemId: item, channelId: 'radio', scheduledAt: at },
        ],
        'cán bộ A',
      );
      const settle = (tx: typeof db.kysely, id: string) =>
        tx
          .updateTable('publications')
          .set({ state: 'published', published_at: new Date(at.getTime() + 30_000).toISOString(), attempts: 1 })
          .where('id', '=', id)
          .execute();
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let firstSettled!: () => void;
      const settledFirst = new Promise<void>((resolve) => (firstSettled = resolve));
      const first = db.kysely.transaction().execute(async (tx) => {
        await settle(tx, created[0]!.id);
        firstSettled();
        await held;
      });
      await settledFirst;
      // The second settle does not wait for the first (the rollup is no longer written inside a settle: 0021),
      // and it commits while the first is still open; a catch-up then (it waits for no settle either) takes the
      // second's note and leaves the first's, not yet visible, for the next one.
      try {
        await settle(db.kysely, created[1]!.id);
        expect(await catchUpReportRollup(db.kysely, db.dialect)).toBe(1);
      } finally {
        release();
        await first;
      }
      await expectRollupMatchesLog(db);
      const reach = await db.kysely
        .selectFrom('report_item_reach' as never)
        .selectAll()
        .where('item_id' as never, '=', item as never)
        .where('unit_id' as never, '=', '' as never)
        .executeTakeFirstOrThrow();
      expect(reach).toMatchObject({ channels: 2 });
    } finally {
      await db.close();
      await database.drop();
    }
  });
});
