import { DateTime } from 'luxon';

import { LOCAL_ZONE } from '../domain/time';
import type { ProposedCalendar, PublicationSlot } from './calendar';
import { publicHolidayOn } from './holidays';

/**
 * A proposal's slots that are already past. A past slot is never stored as it is: saved, it would be owed at once,
 * and once approved it would go out with a date long gone. The person saving the proposal chooses, for all of them:
 * drop them ('bo'), or move each to the next free day of its platform from now on, at its own time of day ('doi').
 */
export type PastSlotChoice = 'bo' | 'doi';

export const PAST_SLOT_CHOICES: Record<PastSlotChoice, string> = {
  bo: 'Bỏ các lượt đã qua',
  doi: 'Dời mỗi lượt đã qua sang ngày trống kế tiếp (cùng giờ, tránh ngày lễ)',
};

export function isPastSlotChoice(value: unknown): value is PastSlotChoice {
  return value === 'bo' || value === 'doi';
}

export function pastSlotsOf(proposal: ProposedCalendar, now: Date): PublicationSlot[] {
  return proposal.slots.filter((slot) => DateTime.fromISO(slot.at).toMillis() <= now.getTime());
}

export interface SettledProposal {
  proposal: ProposedCalendar;
  dropped: number;
  moved: number;
}

const shortDay = (day: DateTime) => day.toFormat('dd/LL/yyyy');

/** The proposal with its past slots dropped or moved as chosen; drafts left with no slot are not proposed any more. */
export function settlePastSlots(proposal: ProposedCalendar, now: Date, choice: PastSlotChoice): SettledProposal {
  const past = new Set(pastSlotsOf(proposal, now));
  if (past.size === 0) return { proposal, dropped: 0, moved: 0 };
  const kept = proposal.slots.filter((slot) => !past.has(slot));
  const moved: PublicationSlot[] = [];
  if (choice === 'doi') {
    // Days a platform already publishes on: a moved slot takes a day of its own, so 50 past slots do not all go out today.
    const taken = new Set(
      kept.map((slot) => `${slot.platform} ${DateTime.fromISO(slot.at).setZone(LOCAL_ZONE).toISODate()}`),
    );
    const today = DateTime.fromJSDate(now).setZone(LOCAL_ZONE).startOf('day');
    // Where each platform's search goes on from: the days before it are taken (keeps a long past linear).
    const cursor = new Map<string, DateTime>();
    for (const slot of proposal.slots.filter((s) => past.has(s))) {
      const was = DateTime.fromISO(slot.at).setZone(LOCAL_ZONE);
      let day = cursor.get(slot.platform) ?? today;
      for (;;) {
        const at = day.set({ hour: was.hour, minute: was.minute, second: 0, millisecond: 0 });
        const key = `${slot.platform} ${day.toISODate()}`;
        if (at.toMillis() > now.getTime() && !taken.has(key) && publicHolidayOn(day) === null) {
          taken.add(key);
          cursor.set(slot.platform, day);
          moved.push({
            ...slot,
            at: at.toISO({ suppressMilliseconds: true }) ?? '',
            reason: `${slot.reason} (dời từ ${shortDay(was)}: ngày đã qua)`,
          });
          break;
        }
        day = day.plus({ days: 1 });
      }
    }
  }
  const slots = [...kept, ...moved].sort(
    (a, b) => DateTime.fromISO(a.at).toMillis() - DateTime.fromISO(b.at).toMillis(),
  );
  const used = new Set(slots.map((slot) => slot.itemId));
  return {
    proposal: { ...proposal, items: proposal.items.filter((item) => used.has(item.id)), slots },
    dropped: choice === 'bo' ? past.size : 0,
    moved: moved.length,
  };
}
