import os from 'node:os';
import { UnrecoverableError } from 'bullmq';
import type { Kysely } from 'kysely';
import { adapterFor, ChannelError, TemplateError, type Adapters, type AttemptContext, type ChannelAdapter, type PostContext } from '../channels';
import { finishAttempt, markInterrupted, startAttempt } from '../src/store/attempts';
import { getChannel } from '../src/store/channels';
import { getItem } from '../src/store/items';
import { claimPublication, getPublication, movePublication, settlePublication } from '../src/store/publications';
import type { Database } from '../src/store/schema';
import { getUnit } from '../src/store/units';
import { queueSettings } from '../src/queue/settings';
import { PENDING_STATES } from '../src/domain/publication';
import { pauseOnReconnect } from './channel-gate';

export interface PublishDeps {
  db: Kysely<Database>;
  adapters: Adapters;
  /** Who this worker is in the publish log. */
  worker: string;
  /** LOA_FAULT_DELAY_MS: a pause between writing the attempt and calling the channel, for crash drills. */
  faultDelayMs?: number;
}

export function workerName(): string {
  return `${os.hostname()}/${process.pid}`;
}

/** What happened to one job, for the worker's own log line. */
export type JobResult = 'published' | 'already-done' | 'expired' | 'reconciled' | 'unconfirmed';

async function postContext(db: Kysely<Database>, publicationId: string): Promise<PostContext> {
  const publication = await getPublication(db, publicationId);
  const item = await getItem(db, publication.itemId);
  const channel = await getChannel(db, publication.channelId);
  const unit = await getUnit(db, channel.unitId);
  const area = await db.selectFrom('content_areas').select('name').where('key', '=', item.areaKey).executeTakeFirst();
  return { publication, item, channel, unit, areaName: area?.name ?? item.areaKey };
}

/**
 * Publishes one publication, at most once. The database claim is the guard, not the job id: BullMQ forgets
 * removed jobs, Redis can be flushed, a job can be delivered twice after a stall. Order matters: claim, write
 * the attempt, call the channel, write the outcome. `isLastTry` tells whether BullMQ will retry after a throw.
 */
export async function publishOne(deps: PublishDeps, publicationId: string, isLastTry: boolean): Promise<JobResult> {
  const { db, worker } = deps;
  let post = await postContext(db, publicationId);

  if (!post.item.approvedAt && PENDING_STATES.includes(post.publication.state)) {
    await movePublication(db, publicationId, 'expired', 'nội dung chưa được duyệt khi đến giờ đăng');
    return 'expired';
  }

  const leaseUntil = new Date(Date.now() + queueSettings.lockDurationMs);
  const claim = await claimPublication(db, publicationId, worker, leaseUntil);
  if (!claim.claimed) {
    // Someone else holds a live claim, or took it a moment ago: try again later (BullMQ backoff).
    // Only a settled publication (or one waiting for a person) ends the job here; a pending one is never dropped.
    if (claim.publication.state === 'publishing' || PENDING_STATES.includes(claim.publication.state)) throw new Error(`bài đăng ${publicationId} đang được tiến trình ${claim.publication.claimedBy ?? 'khác'} xử lý`);
    return 'already-done';
  }
  post = { ...post, publication: claim.publication };
  let adapter: ChannelAdapter;
  try {
    adapter = adapterFor(deps.adapters, post.channel.platform);
  } catch (error) {
    // A channel this installation cannot publish to: record the attempt and fail it for a person to see.
    const attempt = await startAttempt(db, publicationId, claim.publication.attempts, worker);
    return settleFailure(deps, publicationId, attempt.id, error, true, true);
  }

  if (claim.interrupted) {
    await markInterrupted(db, publicationId);
    // An earlier attempt died mid-call: for a platform that could have posted, look before sending again.
    if (!adapter.idempotent) {
      const attempt = await startAttempt(db, publicationId, claim.publication.attempts, worker);
      const found = adapter.findExisting ? await adapter.findExisting(post, await adapter.render(post), attemptContext(attempt)) : null;
      if (found?.status === 'found') {
        await finishAttempt(db, attempt.id, { outcome: 'reconciled', externalId: found.externalId, externalUrl: found.externalUrl });
        await settlePublication(db, publicationId, worker, { state: 'published', ...found });
        return 'reconciled';
      }
      if (found?.status !== 'absent') {
        const reason = found?.reason ?? 'lần đăng trước bị gián đoạn và nền tảng không cho kiểm tra lại; cần người kiểm tra trước khi đăng lại';
        await finishAttempt(db, attempt.id, { outcome: 'unconfirmed', error: reason });
        await settlePublication(db, publicationId, worker, { state: 'unconfirmed', reason });
        return 'unconfirmed';
      }
      await finishAttempt(db, attempt.id, { outcome: 'reconciled', error: 'không thấy bài trên nền tảng; đăng lại' });
    }
  }

  const attempt = await startAttempt(db, publicationId, claim.publication.attempts, worker);
  try {
    const rendered = await adapter.render(post);
    if (deps.faultDelayMs) await new Promise((resolve) => setTimeout(resolve, deps.faultDelayMs));
    const outcome = await adapter.publish(post, rendered, attemptContext(attempt));
    if (outcome.status === 'unknown') {
      await finishAttempt(db, attempt.id, { outcome: 'unconfirmed', error: outcome.reason });
      await settlePublication(db, publicationId, worker, { state: 'unconfirmed', reason: outcome.reason });
      return 'unconfirmed';
    }
    const { status: _sent, ...result } = outcome;
    await finishAttempt(db, attempt.id, { outcome: 'published', externalId: result.externalId, externalUrl: result.externalUrl });
    await settlePublication(db, publicationId, worker, { state: 'published', ...result });
    return 'published';
  } catch (error) {
    await pauseOnReconnect(db, post.channel.id, error, worker); // [channel pause] credentials gone: the channel's other publications wait
    return settleFailure(deps, publicationId, attempt.id, error, adapter.idempotent, isLastTry);
  }
}

/** Interim: the attempt as an adapter sees it. Earlier attempts and fenced progress come with the fenced claim. */
function attemptContext(attempt: { attemptNo: number; startedAt: Date }): AttemptContext {
  return {
    attemptNo: attempt.attemptNo,
    startedAt: attempt.startedAt,
    earlier: [],
    progress: async () => {
      throw new Error('progress is not recorded yet');
    },
    signal: new AbortController().signal,
  };
}

async function settleFailure(deps: PublishDeps, publicationId: string, attemptId: number, error: unknown, idempotent: boolean, isLastTry: boolean): Promise<never> {
  const { db, worker } = deps;
  const message = error instanceof Error ? error.message : String(error);
  const retryable = error instanceof ChannelError ? error.retryable : idempotent && !(error instanceof TemplateError);

  if (!(error instanceof ChannelError) && !(error instanceof TemplateError) && !idempotent) {
    // An unexpected error from a platform that is not idempotent: it may have posted. Never guess.
    await finishAttempt(db, attemptId, { outcome: 'unconfirmed', error: message });
    await settlePublication(db, publicationId, worker, { state: 'unconfirmed', reason: message });
    throw new UnrecoverableError(message);
  }
  if (retryable && !isLastTry) {
    await finishAttempt(db, attemptId, { outcome: 'retry', error: message });
    await settlePublication(db, publicationId, worker, { state: 'queued', reason: message });
    throw error;
  }
  await finishAttempt(db, attemptId, { outcome: 'failed', error: message });
  await settlePublication(db, publicationId, worker, { state: 'failed', reason: message });
  throw new UnrecoverableError(message);
}
