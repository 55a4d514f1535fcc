import fc from 'fast-check';

import { parsePeriod } from '../../src/domain/report-period';
import type { Db } from '../../src/store';
import { editItem } from '../../src/store/items';
import { movePublication, schedulePublications } from '../../src/store/publications';
import { catchUpReportRollup } from '../../src/store/report-rollup';
import { withdrawItem } from '../../src/store/withdrawals';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from '../support/databases';
import { openStore } from '../support/open-store';
import { type Outcome, settleThroughProtocol } from '../support/protocol';
import { buildReport } from '../support/report';
import { seedKnownLog, vn } from './known-log';
import { expectRollupMatchesLog } from './rollup-check';

/**
 * The rollup is kept off the settle (migration 0021): writes note what they touched, and the catch-up recomputes those
 * keys. Random sequences of publishes (through the fenced protocol, with retries), failures, a person's retry of a
 * failed one, cancels, withdrawals and item moves, with catch-ups at random points between them, must leave the rollup
 * equal to a recount of the raw log, and the report's totals equal to a count of the raw rows.
 */
type Op =
  | { kind: 'publish'; item: number; channel: number; minute: number; outcomes: Outcome[] }
  | { kind: 'retryFailed'; pick: number }
  | { kind: 'cancel'; item: number; channel: number; minute: number }
  | { kind: 'withdraw'; pick: number }
  | { kind: 'moveItem'; item: number; area: number }
  | { kind: 'catchUp' };

const CHANNELS = ['rss', 'radio', 'rss-vh'];
const AREAS = ['chinh-phu-so', 'thu-tuc-hanh-chinh', 'to-chuc-bo-may'];
/** Two Vietnam days of Q1 2026, across a day's edge (23:00–01:00 local) and a month's (28/2 → 1/3). */
const START = vn('2026-02-28 22:30').getTime();

const outcome = fc.constantFrom<Outcome>('retry', 'published', 'failed', 'unconfirmed');
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('publish' as const),
      item: fc.nat(),
      channel: fc.nat(),
      minute: fc.integer({ min: 0, max: 26 * 60 }),
      outcomes: fc.array(outcome, { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retryFailed' as const), pick: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      item: fc.nat(),
      channel: fc.nat(),
      minute: fc.integer({ min: 0, max: 26 * 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('moveItem' as const), item: fc.nat(), area: fc.nat() }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'catchUp' as const }) },
);

async function apply(db: Db, items: number[], op: Op): Promise<void> {
  const slot = (item: number, channel: number, minute: number) => ({
    itemId: items[item % items.length]!,
    channelId: CHANNELS[channel % CHANNELS.length]!,
    scheduledAt: new Date(START + minute * 60_000),
  });
  const pick = async (state: string, n: number) => {
    const rows = await db.kysely
      .selectFrom('publications')
      .select(['id', 'item_id'])
      .where('state', '=', state)
      .orderBy('id')
      .execute();
    return rows.length ? rows[n % rows.length]! : null;
  };
  switch (op.kind) {
    case 'publish': {
      const { created } = await schedulePublications(db.kysely, [slot(op.item, op.channel, op.minute)], 'cán bộ A');
      if (created[0]) await settleThroughProtocol(db.kysely, created[0].id, op.outcomes);
      return;
    }
    case 'retryFailed': {
      const failed = await pick('failed', op.pick);
      if (failed) {
        await movePublication(db.kysely, failed.id, 'queued', null);
        await settleThroughProtocol(db.kysely, failed.id, ['published']);
      }
      return;
    }
    case 'cancel': {
      const { created } = await schedulePublications(db.kysely, [slot(op.item, op.channel, op.minute)], 'cán bộ A');
      if (created[0]) await movePublication(db.kysely, created[0].id, 'cancelled', 'Trùng nội dung');
      return;
    }
    case 'withdraw': {
      const published = await pick('published', op.pick);
      if (published)
        await withdrawItem(db.kysely, published.item_id, 'cán bộ B', 'Thông tin đã thay đổi', vn('2026-03-05 09:00'));
      return;
    }
    case 'moveItem':
      await editItem(db.kysely, items[op.item % items.length]!, { area: AREAS[op.area % AREAS.length]! });
      return;
    case 'catchUp':
      await catchUpReportRollup(db.kysely, db.dialect);
  }
}

describe.each(DATABASE_KINDS)('the report rollup off the settle on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await freshDatabase(kind);
    db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await seedKnownLog(db.kysely);
  });
  afterAll(async () => {
    await db.close();
    await database.drop();
  });

  test('after random publishes, retries, withdrawals and moves, the rollup equals a recount and the report the raw log', async () => {
    const items = (await db.kysely.selectFrom('content_items').select('id').orderBy('id').execute()).map((i) => i.id);
    const q1 = parsePeriod('2026-Q1');
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        for (const o of ops) await apply(db, items, o);
        // The report catches up by itself: its totals are the raw rows' (a withdrawn post counts as published too).
        const report = await buildReport(db, { period: q1, now: vn('2030-01-01 00:00') });
        const raw = await db.kysely
          .selectFrom('publications')
          .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
          .where('scheduled_at', '>=', q1.start.toISOString())
          .where('scheduled_at', '<', q1.end.toISOString())
          .groupBy('state')
          .execute();
        const count = (state: string) => Number(raw.find((r) => r.state === state)?.n ?? 0);
        expect(report.totals).toMatchObject({
          published: count('published') + count('withdrawn'),
          withdrawn: count('withdrawn'),
          failed: count('failed'),
          unconfirmed: count('unconfirmed'),
          cancelled: count('cancelled'),
          expired: count('expired'),
          pending: count('scheduled') + count('queued') + count('publishing'),
        });
        await expectRollupMatchesLog(db);
      }),
      { numRuns: 12 },
    );
  });
});
