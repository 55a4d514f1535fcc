import type { Kysely } from 'kysely';

import type { Database } from './schema';

/** Who the publish log names for the attempts a restore writes. */
export const RESTORE_WORKER = 'loa restore';

/**
 * After a restore, the publications the backup holds as still to go out (`scheduled`, `queued`) and that fell due
 * before now may have gone out after the backup was taken, while the lost installation kept publishing: the backup
 * cannot know. Each gets an attempt `interrupted` from the backup's moment to now, so the worker treats it as it
 * treats a worker that died mid-call: a channel that is not idempotent looks on the platform first (the ledger's
 * reconciliation) or leaves it to a person, and never posts it blindly a second time. Returns how many were marked.
 */
export async function markMaybePostedSince(db: Kysely<Database>, backupAt: Date, now: Date): Promise<number> {
  const owed = await db
    .selectFrom('publications')
    .select(['id', 'attempts'])
    .where('state', 'in', ['scheduled', 'queued'])
    .where('scheduled_at', '<=', now.toISOString())
    .execute();
  if (owed.length === 0) return 0;
  const error = `khôi phục từ bản sao lưu lúc ${backupAt.toISOString()}: bài có thể đã đăng sau lúc sao lưu; đối chiếu với nền tảng trước khi đăng`;
  await db.transaction().execute(async (tx) => {
    for (const publication of owed) {
      await tx
        .insertInto('publish_attempts')
        .values({
          publication_id: publication.id,
          attempt_no: publication.attempts + 1,
          worker: RESTORE_WORKER,
          started_at: backupAt.toISOString(),
          finished_at: now.toISOString(),
          outcome: 'interrupted',
          error,
        })
        .execute();
      await tx
        .updateTable('publications')
        .set({ attempts: publication.attempts + 1 })
        .where('id', '=', publication.id)
        .execute();
    }
  });
  return owed.length;
}
