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

/**
 * When a channel's attempts recorded `step` (a partial id an adapter wrote with `progress`), since `since`: e.g. the
 * broadcasts a Zalo OA already sent, which Zalo limits per day and per month. Rows are few (one channel, weeks).
 */
export async function stepTimes(db: Kysely<Database>, channelId: string, step: string, since: Date): Promise<Date[]> {
  const rows = await db
    .selectFrom('publish_attempts as a')
    .innerJoin('publications as p', 'p.id', 'a.publication_id')
    .select(['a.started_at', 'a.steps'])
    .where('p.channel_id', '=', channelId)
    .where('a.started_at', '>=', since.toISOString())
    .where('a.steps', 'is not', null)
    .execute();
  return rows
    .filter((r) => {
      const steps = JSON.parse(r.steps!) as Record<string, unknown>;
      return typeof steps[step] === 'string';
    })
    .map((r) => new Date(r.started_at))
    .sort((a, b) => a.getTime() - b.getTime());
}
