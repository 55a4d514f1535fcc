import type { Kysely } from 'kysely';

import type { ContentItem } from '../domain/content-item';
import { toItem } from './items';
import type { Database } from './schema';

/**
 * The desk's lists, one page at a time: each counts its rows and reads only the page shown, so a unit with 10,000
 * items costs the same page as one with 10. Filters are SQL, never applied to rows already read.
 */

export interface PageWindow {
  offset: number;
  limit: number;
}

/** Publication states that still owe a post: what "when will this go out" is read from. */
const OWED = ['scheduled', 'queued'] as const;

/** Where an item stands, as the items list filters it. */
export type ItemStanding = 'cho-duyet' | 'tra-lai' | 'da-duyet' | 'da-rut';

export const ITEM_STANDINGS: Record<ItemStanding, string> = {
  'cho-duyet': 'Chờ duyệt',
  'tra-lai': 'Bị trả lại',
  'da-duyet': 'Đã duyệt',
  'da-rut': 'Đã rút',
};

export function isItemStanding(value: unknown): value is ItemStanding {
  return typeof value === 'string' && value in ITEM_STANDINGS;
}

function itemsWhere(db: Kysely<Database>, filter: { unitId?: string; standing?: ItemStanding }) {
  let query = db.selectFrom('content_items as i');
  if (filter.unitId !== undefined) query = query.where('i.unit_id', '=', filter.unitId);
  switch (filter.standing) {
    case 'cho-duyet':
      return query
        .where('i.approved_at', 'is', null)
        .where('i.rejected_at', 'is', null)
        .where('i.withdrawn_at', 'is', null);
    case 'tra-lai':
      return query.where('i.rejected_at', 'is not', null).where('i.withdrawn_at', 'is', null);
    case 'da-duyet':
      return query.where('i.approved_at', 'is not', null).where('i.withdrawn_at', 'is', null);
    case 'da-rut':
      return query.where('i.withdrawn_at', 'is not', null);
    default:
      return query;
  }
}

export async function countItems(
  db: Kysely<Database>,
  filter: { unitId?: string; standing?: ItemStanding },
): Promise<number> {
  const row = await itemsWhere(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Items of a unit (all units when undefined), the last changed first. */
export async function pageItems(
  db: Kysely<Database>,
  filter: { unitId?: string; standing?: ItemStanding },
  window: PageWindow,
): Promise<ContentItem[]> {
  const rows = await itemsWhere(db, filter)
    .selectAll('i')
    .orderBy('i.updated_at', 'desc')
    .orderBy('i.id', 'desc')
    .offset(window.offset)
    .limit(window.limit)
    .execute();
  return rows.map(toItem);
}

export interface WaitingItem extends ContentItem {
  /** The soonest publication still to go out from now on, or null when none is scheduled ahead. */
  nextDue: Date | null;
}

/** How many items wait for a supervisor (the count beside "Duyệt bài"). */
export function countWaiting(db: Kysely<Database>, unitId: string | undefined): Promise<number> {
  return countItems(db, { unitId, standing: 'cho-duyet' });
}

/**
 * Items waiting for approval, the one due soonest first (a post due in minutes is on the first page), then those
 * with nothing scheduled ahead (expired, or not scheduled yet), newest first.
 */
export async function pageWaiting(
  db: Kysely<Database>,
  unitId: string | undefined,
  window: PageWindow,
  now = new Date(),
): Promise<WaitingItem[]> {
  const rows = await itemsWhere(db, { unitId, standing: 'cho-duyet' })
    .selectAll('i')
    .select((eb) =>
      eb
        .selectFrom('publications as p')
        .select((inner) => inner.fn.min('p.scheduled_at').as('due'))
        .whereRef('p.item_id', '=', 'i.id')
        .where('p.state', 'in', [...OWED])
        .where('p.scheduled_at', '>=', now.toISOString())
        .as('next_due'),
    )
    // NULLS LAST by name: PostgreSQL takes an output column's alias alone in ORDER BY, not inside an expression.
    .orderBy('next_due', (order) => order.asc().nullsLast())
    .orderBy('i.id', 'desc')
    .offset(window.offset)
    .limit(window.limit)
    .execute();
  return rows.map((row) => ({ ...toItem(row), nextDue: row.next_due ? new Date(row.next_due as string) : null }));
}
