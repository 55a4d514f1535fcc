import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../../src/domain/time';
import { saveChannel } from '../../src/store/channels';
import { addItems } from '../../src/store/items';
import { movePublication, schedulePublications } from '../../src/store/publications';
import type { Database } from '../../src/store/schema';
import { ensureUnit } from '../../src/store/units';
import { seedItems } from '../support/seed';

/** Vietnam time "2026-03-31 23:30" → the instant. */
export const vn = (local: string) => DateTime.fromFormat(local, 'yyyy-LL-dd HH:mm', { zone: LOCAL_ZONE }).toJSDate();
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

type Step = { outcome: 'published' | 'retry' | 'failed' | 'unconfirmed'; after: number; reason?: string };

/**
 * Writes one publication's history as the publish protocol leaves it — one attempt row per step, so a retried
 * publication has several like a real one — at the times the test names (the protocol itself takes the database's
 * clock, which a report test cannot set).
 */
export async function publish(
  db: Kysely<Database>,
  itemId: number,
  channelId: string,
  at: Date,
  steps: Step[],
): Promise<string> {
  const { created } = await schedulePublications(db, [{ itemId, channelId, scheduledAt: at }], 'cán bộ A');
  const id = created[0]!.id;
  for (const [i, step] of steps.entries()) {
    const when = plus(at, step.after);
    const stamp = when.toISOString();
    await db
      .insertInto('publish_attempts')
      .values({
        publication_id: id,
        attempt_no: i + 1,
        worker: 'w1',
        started_at: stamp,
        finished_at: stamp,
        outcome: step.outcome,
        error: step.reason ?? null,
        external_id: step.outcome === 'published' ? `ngoai-${id}` : null,
      })
      .execute();
    const state = step.outcome === 'retry' ? 'queued' : step.outcome;
    await db
      .updateTable('publications')
      .set({
        state,
        reason: step.reason ?? null,
        attempts: i + 1,
        updated_at: stamp,
        published_at: state === 'published' ? stamp : null,
        external_id: state === 'published' ? `ngoai-${id}` : null,
      })
      .where('id', '=', id)
      .execute();
  }
  return id;
}

export async function decide(
  db: Kysely<Database>,
  itemId: number,
  channelId: string,
  at: Date,
  to: 'cancelled' | 'expired',
  reason: string,
): Promise<string> {
  const { created } = await schedulePublications(db, [{ itemId, channelId, scheduledAt: at }], 'cán bộ A');
  await movePublication(db, created[0]!.id, to, reason);
  return created[0]!.id;
}

/** A second unit with its own portal channel. */
export async function secondUnit(db: Kysely<Database>): Promise<void> {
  const unit = await ensureUnit(db, 'Phòng Văn hóa - Thông tin', 'kiểm thử', 'phong-van-hoa');
  await saveChannel(
    db,
    { id: 'rss-vh', unitId: unit.id, platform: 'rss', name: 'Trang tin Phòng Văn hóa', settings: {} },
    'kiểm thử',
  );
}

/**
 * The known log (Vietnam times), with what the Q1 2026 report must say about it:
 *  i1 rss   10/01 08:00 published after 30 s                       i1 radio 10/01 06:00 retried, published after 3 min
 *  i2 rss   01/02 06:00 published after 10 min (31/1 in UTC)     i2 radio 01/03 06:00 failed "Kịch bản quá dài"
 *  i3 rss   31/03 23:30 published after 20 s (16:30 UTC: still Q1)  i3 radio 01/04 00:30 published (17:30 UTC 31/3: not Q1)
 *  i4 rss   05/03 08:00 failed "Kịch bản quá dài"                   i4 radio 06/03 06:00 cancelled "Trùng nội dung"
 *  i5 rss-vh 01/02 08:00 published after 45 s (second unit)         i5 radio 20/01 06:00 expired
 *  i5 rss-vh 10/02 08:00 unconfirmed                                i1 rss 31/12/2025 23:59 published (before Q1)
 */
export async function seedKnownLog(db: Kysely<Database>): Promise<void> {
  await secondUnit(db);
  const [i1, i2, , i5] = await seedItems(db, 4);
  const planId = (await db.selectFrom('plans').select('id').executeTakeFirstOrThrow()).id;
  const [i3, i4] = (
    await addItems(
      db,
      [1, 2].map((n) => ({
        plan: planId,
        area: 'chinh-phu-so',
        unit: 'ubnd-xa-tan-lap',
        title: `Số hóa ${n}`,
        body: 'Nội dung',
        link: null,
        image: null,
        priority: 'thong-thuong' as const,
      })),
      'cán bộ A',
    )
  ).map((i) => i.id);
  const ok = (after: number) => [{ outcome: 'published' as const, after }];
  await publish(db, i1!, 'rss', vn('2026-01-10 08:00'), ok(30));
  await publish(db, i1!, 'radio', vn('2026-01-10 06:00'), [
    { outcome: 'retry', after: 5, reason: 'mạng chập chờn' },
    { outcome: 'published', after: 180 },
  ]);
  await publish(db, i2!, 'rss', vn('2026-02-01 06:00'), ok(600)); // 23:00 UTC on 31/1: February here
  await publish(db, i2!, 'radio', vn('2026-03-01 06:00'), [
    { outcome: 'failed', after: 2, reason: 'Kịch bản quá dài' },
  ]);
  await publish(db, i3!, 'rss', vn('2026-03-31 23:30'), ok(20));
  await publish(db, i3!, 'radio', vn('2026-04-01 00:30'), ok(10));
  await publish(db, i4!, 'rss', vn('2026-03-05 08:00'), [{ outcome: 'failed', after: 2, reason: 'Kịch bản quá dài' }]);
  await decide(db, i4!, 'radio', vn('2026-03-06 06:00'), 'cancelled', 'Trùng nội dung');
  await publish(db, i5!, 'rss-vh', vn('2026-02-01 08:00'), ok(45));
  await decide(db, i5!, 'radio', vn('2026-01-20 06:00'), 'expired', 'Chưa duyệt trước giờ đăng');
  await publish(db, i5!, 'rss-vh', vn('2026-02-10 08:00'), [
    { outcome: 'unconfirmed', after: 3, reason: 'Không xác nhận được' },
  ]);
  await publish(db, i1!, 'rss', vn('2025-12-31 23:59'), ok(5));
}
