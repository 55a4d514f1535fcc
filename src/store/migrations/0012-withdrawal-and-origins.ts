import type { Kysely } from 'kysely';

/**
 * Officers take back what they wrote, and repeating an import or a calendar apply adds nothing:
 * - an item can be withdrawn (who, when, why); its pending publications are cancelled and its published posts
 *   become `withdrawn`, which keeps them in the log with who and why but takes them off the feed;
 * - `origin_key` names where an item came from (a row of an imported file by its content, a week of a plan's
 *   calendar), unique per unit, so the same file or the same calendar applied again finds the items already there;
 * - `edited_by` is the last person to edit an item (every edit is also in the audit trail);
 * - an index on `withdrawn_at` lets the feed's cache validator see a take-down with one indexed read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ['withdrawn_at', 'withdrawn_by', 'withdrawal_reason', 'origin_key', 'edited_by']) {
    await db.schema.alterTable('content_items').addColumn(column, 'text').execute();
  }
  // The publications' withdrawn_at, withdrawn_by and withdrawal_reason come with 0011: the report's rollup reads them.
  // NULLs are distinct in a unique index in both databases: items written by hand have no origin and never clash.
  await db.schema
    .createIndex('content_items_origin')
    .on('content_items')
    .columns(['unit_id', 'origin_key'])
    .unique()
    .execute();
  await db.schema.createIndex('publications_withdrawn_at').on('publications').column('withdrawn_at').execute();
}
