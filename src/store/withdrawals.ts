import type { Kysely } from 'kysely';

import type { ContentItem } from '../domain/content-item';
import { StateError } from '../domain/errors';
import type { Publication, PublicationState } from '../domain/publication';
import { getItem } from './items';
import { toPublication } from './publications';
import type { Database } from './schema';

/** Publications not sent yet that a withdrawal cancels (a failed one is not going out, and a retry is refused). */
const NOT_SENT: readonly PublicationState[] = ['scheduled', 'queued', 'expired', 'unconfirmed'];

export interface Withdrawal {
  item: ContentItem;
  /** Not sent yet: now cancelled, with who and why as their reason. */
  cancelled: Publication[];
  /** Were published: now `withdrawn` (off the feed and the post pages, kept in the log). */
  withdrawn: Publication[];
  /** Being sent at this moment: they finish, and withdrawing again takes them down. */
  inFlight: Publication[];
}

/**
 * Withdraws an item in one transaction: the item is marked (who, when, why; the first withdrawal's stays), its
 * publications not sent yet are cancelled, its published ones become `withdrawn`. Withdrawing again is harmless and
 * takes down what was in flight the first time. Each publication moves only from the state it was read in, so a
 * worker settling one at the same moment is not overwritten.
 */
export async function withdrawItem(
  db: Kysely<Database>,
  id: number,
  by: string,
  reason: string,
  at = new Date(),
): Promise<Withdrawal> {
  return db.transaction().execute(async (tx) => {
    const before = await getItem(tx, id);
    const now = at.toISOString();
    if (!before.withdrawal) {
      await tx
        .updateTable('content_items')
        .set({ withdrawn_at: now, withdrawn_by: by, withdrawal_reason: reason, updated_at: now })
        .where('id', '=', id)
        .execute();
    }
    const rows = await tx
      .selectFrom('publications')
      .selectAll()
      .where('item_id', '=', id)
      .orderBy('scheduled_at')
      .orderBy('id')
      .execute();
    const result: Withdrawal = { item: await getItem(tx, id), cancelled: [], withdrawn: [], inFlight: [] };
    for (const row of rows) {
      const state = row.state as PublicationState;
      if (NOT_SENT.includes(state)) {
        const moved = await tx
          .updateTable('publications')
          .set({ state: 'cancelled', reason: `nội dung bị rút bởi ${by}: ${reason}`, updated_at: now })
          .where('id', '=', row.id)
          .where('state', '=', state)
          .returningAll()
          .executeTakeFirst();
        if (moved) result.cancelled.push(toPublication(moved));
      } else if (state === 'published') {
        const moved = await tx
          .updateTable('publications')
          .set({
            state: 'withdrawn',
            withdrawn_at: now,
            withdrawn_by: by,
            withdrawal_reason: reason,
            reason: `gỡ bởi ${by}: ${reason}`,
            updated_at: now,
          })
          .where('id', '=', row.id)
          .where('state', '=', 'published')
          .returningAll()
          .executeTakeFirst();
        if (moved) result.withdrawn.push(toPublication(moved));
      } else if (state === 'publishing') result.inFlight.push(toPublication(row));
    }
    return result;
  });
}

/** A withdrawn item is not scheduled or retried again. */
export function refuseIfWithdrawn(item: ContentItem): void {
  if (item.withdrawal)
    throw new StateError(
      `Nội dung số ${item.id} đã bị rút (${item.withdrawal.by}: ${item.withdrawal.reason}); không thể lên lịch hay đăng lại.`,
    );
}
