import { type Kysely, sql } from 'kysely';

import type { DialectName } from '../connection';

/**
 * The ledger of what exists on each platform (issue 25): one row per thing a platform created for a publication (its
 * post, and follow-ups such as a Zalo broadcast), unique on (channel_id, external_id), so an id is owned by exactly
 * one publication and is never overwritten.
 * - `kind`: 'post' for the publication's own post; a follow-up's name otherwise ('broadcast').
 * - `state`: 'live'; 'remove-by-hand' (its item was withdrawn and the platform keeps it: a person removes it,
 *   `state_reason` says what and why); 'removed' (taken down, by Loa or by a person).
 * - `recorded_at` is the database's clock.
 *
 * Moved in, idempotently (a row already there is left as it is): every publication's `external_id` as its post,
 * and the ids a release up to 0013 recorded mid-way on attempts (`steps`): Zalo's `article` (with `article-url`) is
 * the post, its `broadcast` a follow-up. These step names are the shipped release's, frozen here on purpose. Where two
 * publications of one channel recorded the same id (possible before this table), the earliest recorded keeps it;
 * the other's columns are left as they were, so nothing stored is lost.
 */
export async function up(db: Kysely<any>, dialect: DialectName): Promise<void> {
  const autoId = dialect === 'postgres' ? sql`serial primary key` : sql`integer primary key autoincrement`;
  await db.schema
    .createTable('platform_posts')
    .ifNotExists()
    .addColumn('id', autoId)
    .addColumn('publication_id', 'text', (c) => c.notNull().references('publications.id'))
    .addColumn('channel_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('external_url', 'text')
    .addColumn('attempt_id', 'integer')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('live'))
    .addColumn('state_reason', 'text')
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('platform_posts_owner')
    .ifNotExists()
    .on('platform_posts')
    .columns(['channel_id', 'external_id'])
    .unique()
    .execute();
  await db.schema
    .createIndex('platform_posts_publication')
    .ifNotExists()
    .on('platform_posts')
    .column('publication_id')
    .execute();
  await moveIn(db);
}

const STEP_KINDS: Record<string, string> = { article: 'post', broadcast: 'broadcast' };

/** Today's ids into the ledger; running it again adds nothing. */
export async function moveIn(db: Kysely<any>): Promise<void> {
  const published = await db
    .selectFrom('publications')
    .select(['id', 'channel_id', 'external_id', 'external_url', 'published_at', 'updated_at', 'state'])
    .where('external_id', 'is not', null)
    .orderBy('published_at')
    .orderBy('id')
    .execute();
  const rows: Array<Record<string, unknown>> = published.map((p) => ({
    publication_id: p.id,
    channel_id: p.channel_id,
    kind: 'post',
    external_id: p.external_id,
    external_url: p.external_url,
    attempt_id: null,
    state: p.state === 'withdrawn' ? 'removed' : 'live',
    state_reason: null,
    recorded_at: p.published_at ?? p.updated_at,
  }));
  const attempts = await db
    .selectFrom('publish_attempts as a')
    .innerJoin('publications as p', 'p.id', 'a.publication_id')
    .select(['a.id', 'a.publication_id', 'p.channel_id', 'a.steps', 'a.started_at', 'a.finished_at'])
    .where('a.steps', 'is not', null)
    .orderBy('a.id')
    .execute();
  for (const a of attempts) {
    let steps: Record<string, unknown>;
    try {
      steps = JSON.parse(a.steps as string) as Record<string, unknown>;
    } catch {
      continue; // not JSON: nothing a release ever wrote; left on the attempt as it is
    }
    for (const [step, kind] of Object.entries(STEP_KINDS)) {
      const value = steps[step];
      if (typeof value !== 'string' || !value) continue;
      const url = kind === 'post' && typeof steps['article-url'] === 'string' ? steps['article-url'] : null;
      rows.push({
        publication_id: a.publication_id,
        channel_id: a.channel_id,
        kind,
        external_id: value,
        external_url: url,
        attempt_id: a.id,
        state: 'live',
        state_reason: null,
        recorded_at: a.finished_at ?? a.started_at,
      });
    }
  }
  for (let start = 0; start < rows.length; start += 200) {
    await db
      .insertInto('platform_posts')
      .values(rows.slice(start, start + 200))
      .onConflict((oc) => oc.columns(['channel_id', 'external_id']).doNothing())
      .execute();
  }
}
