import type { Kysely } from 'kysely';

import type { AttemptOutcome, PublishAttempt } from '../domain/publication';
import type { Database, Row } from './schema';

export function toAttempt(row: Row<'publish_attempts'>): PublishAttempt {
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
    steps: row.steps ? (JSON.parse(row.steps) as Record<string, string>) : {},
    trace: { code: row.platform_code, subcode: row.platform_subcode, traceId: row.platform_trace_id },
  };
}

export async function listAttempts(db: Kysely<Database>, publicationId: string): Promise<PublishAttempt[]> {
  const rows = await db
    .selectFrom('publish_attempts')
    .selectAll()
    .where('publication_id', '=', publicationId)
    .orderBy('id')
    .execute();
  return rows.map(toAttempt);
}
