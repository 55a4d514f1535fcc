import type { Kysely } from 'kysely';
import type { AttemptOutcome, PublishAttempt } from '../domain/publication';
import type { Database, Row } from './schema';

function toAttempt(row: Row<'publish_attempts'>): PublishAttempt {
  return {
    id: row.id,
    publicationId: row.publication_id,
    attemptNo: row.attempt_no,
    worker: row.worker,
    startedAt: new Date(row.started_at),
    finishedAt: row.finished_at ? new Date(row.finished_at) : null,
    outcome: row.outcome as AttemptOutcome,
    externalId: row.external_id,
    externalUrl: row.external_url,
    error: row.error,
  };
}

/** Written before the channel is called, so a crash leaves a trace of what may have been sent. */
export async function startAttempt(db: Kysely<Database>, publicationId: string, attemptNo: number, worker: string, now = new Date()): Promise<PublishAttempt> {
  const row = await db
    .insertInto('publish_attempts')
    .values({ publication_id: publicationId, attempt_no: attemptNo, worker, started_at: now.toISOString(), outcome: 'started' })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAttempt(row);
}

export interface AttemptResult {
  outcome: Exclude<AttemptOutcome, 'started'>;
  externalId?: string | null;
  externalUrl?: string | null;
  error?: string | null;
}

export async function finishAttempt(db: Kysely<Database>, attemptId: number, result: AttemptResult, now = new Date()): Promise<void> {
  await db
    .updateTable('publish_attempts')
    .set({
      outcome: result.outcome,
      external_id: result.externalId ?? null,
      external_url: result.externalUrl ?? null,
      error: result.error ?? null,
      finished_at: now.toISOString(),
    })
    .where('id', '=', attemptId)
    .execute();
}

/** Attempts left "started" by a worker that died: the outcome is unknown until reconciled. */
export async function markInterrupted(db: Kysely<Database>, publicationId: string, now = new Date()): Promise<number> {
  const result = await db
    .updateTable('publish_attempts')
    .set({ outcome: 'interrupted', finished_at: now.toISOString(), error: 'tiến trình đăng bị dừng giữa chừng' })
    .where('publication_id', '=', publicationId)
    .where('outcome', '=', 'started')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listAttempts(db: Kysely<Database>, publicationId: string): Promise<PublishAttempt[]> {
  const rows = await db.selectFrom('publish_attempts').selectAll().where('publication_id', '=', publicationId).orderBy('id').execute();
  return rows.map(toAttempt);
}
