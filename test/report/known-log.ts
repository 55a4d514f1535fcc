import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { LOCAL_ZONE } from '../../src/domain/time';
import { finishAttempt, startAttempt } from '../../src/store/attempts';
import { saveChannel } from '../../src/store/channels';
import { claimPublication, movePublication, schedulePublications, settlePublication } from '../../src/store/publications';
import type { Database } from '../../src/store/schema';
import { ensureUnit } from '../../src/store/units';

/** Vietnam time "2026-03-31 23:30" → the instant. */
export const vn = (local: string) => DateTime.fromFormat(local, 'yyyy-LL-dd HH:mm', { zone: LOCAL_ZONE }).toJSDate();
const plus = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

type Step = { outcome: 'published' | 'retry' | 'failed' | 'unconfirmed'; after: number; reason?: string };

/**
 * Writes one publication's history through the store's own protocol: claim, attempt row, outcome, settle — once per
 * step, so a retried publication has several attempt rows like a real one.
 */
export async function publish(db: Kysely<Database>, itemId: number, channelId: string, at: Date, steps: Step[]): Promise<string> {
  const { created } = await schedulePublications(db, [{ itemId, channelId, scheduledAt: at }], 'cán bộ A');
  const id = created[0]!.id;
  for (const [i, step] of steps.entries()) {
    const when = plus(at, step.after);
    const claim = await claimPublication(db, id, 'w1', plus(when, 60), when);
    if (!claim.claimed) throw new Error(`không nhận được ${id}`);
    const attempt = await startAttempt(db, id, i + 1, 'w1', when);
    await finishAttempt(db, attempt.id, { outcome: step.outcome, error: step.reason ?? null }, when);
    const state = step.outcome === 'retry' ? 'queued' : step.outcome;
    await settlePublication(db, id, 'w1', { state, reason: step.reason ?? null }, when);
  }
  return id;
}

export async function decide(db: Kysely<Database>, itemId: number, channelId: string, at: Date, to: 'cancelled' | 'expired', reason: string): Promise<string> {
  const { created } = await schedulePublications(db, [{ itemId, channelId, scheduledAt: at }], 'cán bộ A');
  await movePublication(db, created[0]!.id, to, reason);
  return created[0]!.id;
}

/** A second unit with its own portal channel. */
export async function secondUnit(db: Kysely<Database>): Promise<void> {
  const unit = await ensureUnit(db, 'Phòng Văn hóa - Thông tin', 'kiểm thử', 'phong-van-hoa');
  await saveChannel(db, { id: 'rss-vh', unitId: unit.id, platform: 'rss', name: 'Trang tin Phòng Văn hóa', settings: {} }, 'kiểm thử');
}
