import type { Kysely } from 'kysely';

import { NotFoundError, ValidationError } from '../domain/errors';
import type { FeedEntry } from '../domain/feed-entry';
import type { Database } from './schema';

/** An entry of a feed, ready to store: plain NFC text, the area and publication slots Loa proposes. */
export interface DraftEntry extends FeedEntry {
  areaKey: string;
  slots: Array<{ channelId: string; at: Date }>;
}

export interface IngestTarget {
  sourceId: number;
  unitId: string;
  planId: number;
  /** Who the drafts name as their author, e.g. "Nguồn tin: Cổng thông tin tỉnh". */
  author: string;
}

const CHUNK = 400;

function chunks<T>(list: T[]): T[][] {
  return Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));
}

/** Which of these guids and links the unit has seen before, in any of its feeds. */
export async function seenKeys(
  db: Kysely<Database>,
  unitId: string,
  entries: Array<{ guid: string; link: string | null }>,
): Promise<{ guids: Set<string>; links: Set<string> }> {
  const guids = new Set<string>();
  const links = new Set<string>();
  for (const part of chunks(entries)) {
    const wantedLinks = part.map((e) => e.link).filter((l): l is string => l !== null);
    const rows = await db
      .selectFrom('source_entries')
      .select(['guid', 'link'])
      .where('unit_id', '=', unitId)
      .where((eb) =>
        eb.or([
          eb(
            'guid',
            'in',
            part.map((e) => e.guid),
          ),
          ...(wantedLinks.length ? [eb('link', 'in', wantedLinks)] : []),
        ]),
      )
      .execute();
    for (const row of rows) {
      if (row.guid) guids.add(row.guid);
      if (row.link) links.add(row.link);
    }
  }
  return { guids, links };
}

/**
 * Stores new entries in one transaction: each draft becomes an unapproved content item, each skipped entry is only
 * remembered. The unique keys (unit + guid, unit + link) decide: an entry another poll stored meanwhile is left out
 * here, never stored twice. Returns the new items' ids.
 */
export async function ingestEntries(
  db: Kysely<Database>,
  target: IngestTarget,
  drafts: DraftEntry[],
  skipped: Array<{ guid: string; link: string | null; title: string; publishedAt: Date | null }>,
  now = new Date(),
): Promise<number[]> {
  const at = now.toISOString();
  return db.transaction().execute(async (tx) => {
    const itemIds: number[] = [];
    for (const draft of drafts) {
      const entry = await tx
        .insertInto('source_entries')
        .values({
          unit_id: target.unitId,
          source_id: target.sourceId,
          guid: draft.guid,
          link: draft.link,
          title: draft.title,
          published_at: draft.publishedAt?.toISOString() ?? null,
          outcome: 'draft',
          area_key: draft.areaKey,
          slots: JSON.stringify(draft.slots.map((s) => ({ channelId: s.channelId, at: s.at.toISOString() }))),
          seen_at: at,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!entry) continue;
      const item = await tx
        .insertInto('content_items')
        .values({
          plan_id: target.planId,
          area_key: draft.areaKey,
          unit_id: target.unitId,
          title: draft.title,
          body: draft.summary,
          link: draft.link,
          image: draft.image,
          author: target.author,
          created_at: at,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx.updateTable('source_entries').set({ item_id: item.id }).where('id', '=', entry.id).execute();
      itemIds.push(item.id);
    }
    for (const part of chunks(skipped)) {
      await tx
        .insertInto('source_entries')
        .values(
          part.map((e) => ({
            unit_id: target.unitId,
            source_id: target.sourceId,
            guid: e.guid,
            link: e.link,
            title: e.title,
            published_at: e.publishedAt?.toISOString() ?? null,
            outcome: 'skipped',
            seen_at: at,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    return itemIds;
  });
}

export interface FeedDraft {
  itemId: number;
  sourceId: number | null;
  title: string;
  link: string | null;
  publishedAt: Date | null;
  areaKey: string;
  areaConfirmedBy: string | null;
  slots: Array<{ channelId: string; at: Date }>;
  slotsConfirmedBy: string | null;
  approved: boolean;
}

/** Content items that came from feeds, newest first; `pending` keeps those whose area or slots nobody confirmed yet. */
export async function listFeedDrafts(
  db: Kysely<Database>,
  filter: { sourceId?: number; pending?: boolean } = {},
): Promise<FeedDraft[]> {
  let query = db
    .selectFrom('source_entries as e')
    .innerJoin('content_items as i', 'i.id', 'e.item_id')
    .select([
      'e.item_id',
      'e.source_id',
      'i.title',
      'i.link',
      'e.published_at',
      'i.area_key',
      'e.area_confirmed_by',
      'e.slots',
      'e.slots_confirmed_by',
      'i.approved_at',
    ])
    .orderBy('e.item_id', 'desc');
  if (filter.sourceId !== undefined) query = query.where('e.source_id', '=', filter.sourceId);
  if (filter.pending) query = query.where('e.area_confirmed_by', 'is', null);
  return (await query.execute()).map((row) => ({
    itemId: row.item_id!,
    sourceId: row.source_id,
    title: row.title,
    link: row.link,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
    areaKey: row.area_key,
    areaConfirmedBy: row.area_confirmed_by,
    slots: (JSON.parse(row.slots) as Array<{ channelId: string; at: string }>).map((s) => ({
      channelId: s.channelId,
      at: new Date(s.at),
    })),
    slotsConfirmedBy: row.slots_confirmed_by,
    approved: row.approved_at !== null,
  }));
}

/**
 * An officer confirms a feed draft's content area (changing it to `areaKey` if given). Returns the proposed slots
 * still to be scheduled; `markSlotsConfirmed` records them once they are.
 */
export async function confirmFeedDraft(
  db: Kysely<Database>,
  itemId: number,
  who: string,
  areaKey?: string,
): Promise<{ slots: Array<{ channelId: string; at: Date }>; slotsConfirmed: boolean }> {
  return db.transaction().execute(async (tx) => {
    const entry = await tx
      .selectFrom('source_entries')
      .select(['id', 'slots', 'slots_confirmed_by'])
      .where('item_id', '=', itemId)
      .executeTakeFirst();
    if (!entry) throw new NotFoundError('bản nháp từ nguồn tin', itemId);
    if (areaKey !== undefined) {
      const area = await tx.selectFrom('content_areas').select('key').where('key', '=', areaKey).executeTakeFirst();
      if (!area) {
        const keys = (await tx.selectFrom('content_areas').select('key').execute()).map((a) => a.key);
        throw new ValidationError('--area', `lĩnh vực "${areaKey}" không có; chọn một trong: ${keys.join(', ')}`);
      }
      // A changed area is an edit, and an edit withdraws approval, as everywhere in Loa.
      await tx
        .updateTable('content_items')
        .set({ area_key: areaKey, approved_by: null, approved_at: null, updated_at: new Date().toISOString() })
        .where('id', '=', itemId)
        .execute();
      await tx.updateTable('source_entries').set({ area_key: areaKey }).where('id', '=', entry.id).execute();
    }
    await tx.updateTable('source_entries').set({ area_confirmed_by: who }).where('id', '=', entry.id).execute();
    const slots = (JSON.parse(entry.slots) as Array<{ channelId: string; at: string }>).map((s) => ({
      channelId: s.channelId,
      at: new Date(s.at),
    }));
    return { slots, slotsConfirmed: entry.slots_confirmed_by !== null };
  });
}

export async function markSlotsConfirmed(db: Kysely<Database>, itemId: number, who: string): Promise<void> {
  await db.updateTable('source_entries').set({ slots_confirmed_by: who }).where('item_id', '=', itemId).execute();
}
