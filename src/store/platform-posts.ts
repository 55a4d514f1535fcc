import type { Kysely } from 'kysely';

import { MAIN_POST, type PlatformPost, type PlatformPostState } from '../domain/platform-post';
import type { Database, Row } from './schema';

/**
 * The ledger of what exists on each platform (migration 0014): read here; written only through the publish protocol
 * (`recordPlatformPost`) and the withdrawal (`markPlatformPosts`).
 */
export function toPlatformPost(row: Row<'platform_posts'>): PlatformPost {
  return {
    id: row.id,
    publicationId: row.publication_id,
    channelId: row.channel_id,
    kind: row.kind,
    externalId: row.external_id,
    externalUrl: row.external_url,
    attemptId: row.attempt_id,
    state: row.state as PlatformPostState,
    stateReason: row.state_reason,
    recordedAt: new Date(row.recorded_at),
  };
}

/** What the ledger holds for these publications, oldest first, by publication. */
export async function platformPostsOf(
  db: Kysely<Database>,
  publicationIds: readonly string[],
): Promise<Map<string, PlatformPost[]>> {
  const byPublication = new Map<string, PlatformPost[]>();
  for (let start = 0; start < publicationIds.length; start += 500) {
    const rows = await db
      .selectFrom('platform_posts')
      .selectAll()
      .where('publication_id', 'in', publicationIds.slice(start, start + 500))
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const list = byPublication.get(row.publication_id);
      if (list) list.push(toPlatformPost(row));
      else byPublication.set(row.publication_id, [toPlatformPost(row)]);
    }
  }
  return byPublication;
}

/** Of `externalIds` on this channel, those the ledger gives to another publication than `publicationId`. */
export async function ownedElsewhere(
  db: Kysely<Database>,
  channelId: string,
  publicationId: string,
  externalIds: readonly string[],
): Promise<Set<string>> {
  const owned = new Set<string>();
  for (let start = 0; start < externalIds.length; start += 500) {
    const rows = await db
      .selectFrom('platform_posts')
      .select('external_id')
      .where('channel_id', '=', channelId)
      .where('external_id', 'in', externalIds.slice(start, start + 500))
      .where('publication_id', '!=', publicationId)
      .execute();
    for (const row of rows) owned.add(row.external_id);
  }
  return owned;
}

/**
 * Whether another publication of the same item on this channel may have made a post whose id the ledger does not hold
 * yet: it is being published (its call may be in flight, its answer late) or its outcome is unknown, and the ledger
 * has no post of it. A post found on the platform with the item's text could then be that one's, and reconciliation
 * cannot tell it from this publication's own (found by the protocol's interleavings test: a publication whose earlier
 * attempt never called took the post of the item's other publication, whose answer was still on its way).
 */
export async function siblingMayHavePosted(
  db: Kysely<Database>,
  channelId: string,
  publicationId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('publications as me')
    .innerJoin('publications as other', 'other.item_id', 'me.item_id')
    .select('other.id')
    .where('me.id', '=', publicationId)
    .where('other.channel_id', '=', channelId)
    .where('other.id', '!=', publicationId)
    .where('other.state', 'in', ['publishing', 'unconfirmed'])
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('platform_posts as pp')
            .select('pp.id')
            .whereRef('pp.publication_id', '=', 'other.id')
            .where('pp.kind', '=', MAIN_POST),
        ),
      ),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Marks a publication's ledger rows not yet removed (a take-down's outcome): removed, or left for a person with the
 * reason. `postIds`: only these rows of it.
 */
export async function markPlatformPosts(
  db: Kysely<Database>,
  publicationId: string,
  state: Exclude<PlatformPostState, 'live'>,
  reason: string,
  postIds?: readonly number[],
): Promise<void> {
  let update = db
    .updateTable('platform_posts')
    .set({ state, state_reason: reason })
    .where('publication_id', '=', publicationId)
    .where('state', '!=', 'removed');
  if (postIds) update = update.where('id', 'in', postIds.length ? postIds : [-1]);
  await update.execute();
}

/**
 * Of these publications of a channel, those the database says must not be on air: withdrawn or cancelled, or their
 * item withdrawn (a withdrawal made while one was in flight). Whatever files say, these are never put back.
 */
export async function offAirAmong(
  db: Kysely<Database>,
  channelId: string,
  publicationIds: readonly string[],
): Promise<Set<string>> {
  const off = new Set<string>();
  for (let start = 0; start < publicationIds.length; start += 500) {
    const rows = await db
      .selectFrom('publications as p')
      .innerJoin('content_items as i', 'i.id', 'p.item_id')
      .select('p.id')
      .where('p.channel_id', '=', channelId)
      .where('p.id', 'in', publicationIds.slice(start, start + 500))
      .where((eb) => eb.or([eb('p.state', 'in', ['withdrawn', 'cancelled']), eb('i.withdrawn_at', 'is not', null)]))
      .execute();
    for (const row of rows) off.add(row.id);
  }
  return off;
}
