import type { Kysely } from 'kysely';

import { MAIN_POST } from '../../src/domain/platform-post';
import {
  type Claim,
  claimAndOpenAttempt,
  type ClaimAnswer,
  recordOutcomeAndSettle,
  recordPlatformPost,
  type Settlement,
} from '../../src/store/publish-protocol';
import type { Database } from '../../src/store/schema';

/** How a test settles an attempt: as the worker records each outcome ('retry' leaves the publication queued). */
export type Outcome = 'retry' | 'published' | 'failed' | 'unconfirmed';

/** Claims `id` through the protocol, or throws naming what the claim answered. */
export async function claimOrThrow(
  db: Kysely<Database>,
  id: string,
  worker = 'w1',
  leaseMs = 60_000,
): Promise<Extract<ClaimAnswer, { status: 'claimed' }>> {
  const answer = await claimAndOpenAttempt(db, id, worker, leaseMs);
  if (answer.status !== 'claimed') throw new Error(`không nhận được ${id}: ${answer.status}`);
  return answer;
}

/**
 * Settles a claimed attempt as an adapter and the worker do: a published one's post goes to the ledger first (a
 * published settle needs the ledger's row), under `externalId`. False: the claim was lost.
 */
export async function settleAs(
  db: Kysely<Database>,
  claim: Claim,
  outcome: Outcome,
  externalId = `ngoai-${claim.publicationId}`,
): Promise<boolean> {
  if (outcome !== 'published') return recordOutcomeAndSettle(db, claim, { kind: outcome, reason: `lý do ${outcome}` });
  await recordPlatformPost(db, claim, { kind: MAIN_POST, externalId, externalUrl: null });
  return recordOutcomeAndSettle(db, claim, accepted(externalId));
}

/** The settlement of a post a platform accepted under `externalId`, as the worker records it; `fields` override. */
export function accepted(
  externalId: string,
  fields: Partial<Extract<Settlement, { kind: 'published' }>> = {},
): Extract<Settlement, { kind: 'published' }> {
  return {
    kind: 'published',
    attemptOutcome: 'published',
    externalId,
    externalUrl: null,
    content: 'nội dung',
    title: 'tiêu đề',
    ...fields,
  };
}

/** Claims and settles `id` once per outcome; false as soon as a claim is refused (settled already). */
export async function settleThroughProtocol(
  db: Kysely<Database>,
  id: string,
  outcomes: readonly Outcome[],
  worker = 'w1',
): Promise<boolean> {
  for (const outcome of outcomes) {
    const answer = await claimAndOpenAttempt(db, id, worker, 60_000);
    if (answer.status !== 'claimed') return false;
    await settleAs(db, answer.claim, outcome);
  }
  return true;
}
