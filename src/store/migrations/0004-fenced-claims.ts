import type { Kysely } from 'kysely';

/**
 * The fenced publish protocol (issue 9):
 * - `publications.claim_token`: the fencing token of the claim in force; every later write of that attempt presents it.
 * - `publications.published_title`: the title as it went out (the text is `content`, the link `external_url`), so the
 *   feed, post pages and log show what was published, not the item's later text.
 * - `publish_attempts.claim_token`, `steps` (partial ids recorded mid-way, JSON), and the platform's own code, subcode
 *   and trace id beside the sentence for people.
 * - an index in the feed's order (published posts, newest first).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('publications').addColumn('claim_token', 'text').execute();
  await db.schema.alterTable('publications').addColumn('published_title', 'text').execute();
  for (const column of ['claim_token', 'steps', 'platform_code', 'platform_subcode', 'platform_trace_id']) {
    await db.schema.alterTable('publish_attempts').addColumn(column, 'text').execute();
  }
  await db.schema
    .createIndex('publications_feed')
    .on('publications')
    .columns(['state', 'published_at', 'id'])
    .execute();
}
