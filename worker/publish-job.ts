import os from 'node:os';

import { UnrecoverableError } from 'bullmq';
import type { Kysely } from 'kysely';

import {
  adapterFor,
  type Adapters,
  type AttemptContext,
  type ChannelAdapter,
  ChannelError,
  TemplateError,
} from '../channels';
import type { EarlierAttempt, PlatformTrace, PublishOutcome } from '../channels/types';
import { errorText } from '../src/domain/errors';
import { MAIN_POST } from '../src/domain/platform-post';
import type { PublishAttempt } from '../src/domain/publication';
import { queueSettings } from '../src/queue/settings';
import { ownedElsewhere, siblingMayHavePosted } from '../src/store/platform-posts';
import {
  type Claim,
  claimAndOpenAttempt,
  confirmClaim,
  recordOutcomeAndSettle,
  recordPlatformPost,
  recordPostAndSettle,
  recordProgress,
  type Settlement,
} from '../src/store/publish-protocol';
import type { Database } from '../src/store/schema';
import { AttemptGuard, AttemptStopped, untilStopped } from './attempt-guard';
import { pauseOnReconnect } from './channel-gate';
import { consoleLog, type WorkerLog } from './log';

export interface PublishDeps {
  db: Kysely<Database>;
  adapters: Adapters;
  /** Who this worker is in the publish log. */
  worker: string;
  /** LOA_FAULT_DELAY_MS: a pause between writing the attempt and calling the channel, for crash drills. */
  faultDelayMs?: number;
  /** The database lease of a claim, renewed every third of it. Default LOA_LOCK_MS. */
  leaseMs?: number;
  /** LOA_PUBLISH_TIMEOUT_MS: how long one publish may take before it is given up. */
  publishTimeoutMs?: number;
  /** The BullMQ job's lock, renewed on the same beat as the lease. */
  extendJobLock?: () => Promise<unknown>;
  /** Aborted when the worker stops and its drain time is over: in-flight calls are abandoned. */
  stopping?: AbortSignal;
  /** Waits between tries of the outcome write once a platform has accepted a post. */
  outcomeRetryDelaysMs?: readonly number[];
  log?: WorkerLog;
}

export function workerName(): string {
  return `${os.hostname()}/${process.pid}`;
}

/** What happened to one job, for the worker's own log line. */
export type JobResult =
  'published' | 'already-done' | 'expired' | 'withheld' | 'reconciled' | 'unconfirmed' | 'failed' | 'abandoned';

/** An attempt whose claim was lost: nothing of it was settled; the job is tried again and finds the truth in the database. */
export class ClaimLost extends Error {
  override name = 'ClaimLost';
}

/** The claim was refused for now (paused, or not due on the database's clock): the job waits `delayMs` and asks again. */
export class NotYet extends Error {
  override name = 'NotYet';
  constructor(
    readonly delayMs: number,
    readonly why: string,
    /** Held by a pause (see ClaimAnswer's not-yet), not by its time. */
    readonly pausedBy?: 'channel' | 'emergency',
  ) {
    super(why);
  }
}

const DEFAULT_OUTCOME_RETRIES = [200, 1_000, 3_000];

/** Attempts whose post may exist on the platform: a non-idempotent channel looks before it sends again. */
const MAY_HAVE_POSTED: readonly PublishAttempt['outcome'][] = ['started', 'interrupted', 'unconfirmed'];
/** Why an attempt stopped before its call: the database said no at the last look. */
const NOT_SENT_AT_LAST_LOOK = 'không gửi: ngay trước khi đăng, nội dung đã bị rút hoặc chưa được duyệt lại';
/** The step a retry records when its call may have reached the platform (ChannelError.mayHavePosted). */
const UNCERTAIN_STEP = 'co_the_da_dang';

/** An earlier attempt after which a non-idempotent channel must look before sending again, however long ago. */
function mayHavePosted(attempt: PublishAttempt): boolean {
  return MAY_HAVE_POSTED.includes(attempt.outcome) || attempt.steps[UNCERTAIN_STEP] !== undefined;
}

/** The ledger gives the id to another publication of the channel: it is never recorded again, nor published twice. */
export class PostOwnedElsewhere extends Error {
  override name = 'PostOwnedElsewhere';
  constructor(externalId: string, owner: string) {
    super(
      `bài ${externalId} trên nền tảng đã thuộc bài đăng ${owner}; Loa không nhận nó cho bài này, cần người kiểm tra`,
    );
  }
}

/**
 * Publishes one publication, at most once, as the protocol's steps:
 * claim and open an attempt → (reconcile) → render → call the channel → record the outcome and settle.
 * The database claim is the guard, not the job id: BullMQ forgets removed jobs, Redis can be flushed, a job can be
 * delivered twice after a stall. `isLastTry` tells whether BullMQ will retry after a throw.
 */
export async function publishOne(deps: PublishDeps, publicationId: string, isLastTry: boolean): Promise<JobResult> {
  const { db, worker } = deps;
  const log = deps.log ?? consoleLog;
  const leaseMs = deps.leaseMs ?? queueSettings.lockDurationMs;
  const answer = await claimAndOpenAttempt(db, publicationId, worker, leaseMs);
  if (answer.status === 'settled') return 'already-done';
  if (answer.status === 'not-approved') {
    log('warn', 'không đăng: nội dung chưa được duyệt', {
      bai: publicationId,
      trang_thai: answer.publication.state,
      ly_do: answer.publication.reason,
    });
    return answer.publication.state === 'expired' ? 'expired' : 'withheld';
  }
  if (answer.status === 'withdrawn') {
    log('warn', 'không đăng: nội dung đã bị rút', {
      bai: publicationId,
      trang_thai: answer.publication.state,
      ly_do: answer.publication.reason,
    });
    return 'withheld';
  }
  // Paused, or not due yet on the database's clock: the job waits and asks again; nothing was claimed.
  if (answer.status === 'not-yet') throw new NotYet(answer.delayMs, answer.why, answer.pausedBy);
  // Someone else holds a live claim, or took it a moment ago: BullMQ tries again later. A pending job is never dropped.
  if (answer.status === 'busy')
    throw new Error(`bài đăng ${publicationId} đang được tiến trình ${answer.publication.claimedBy ?? 'khác'} xử lý`);

  const { claim, post, earlier, interrupted } = answer;
  const fields = { bai: publicationId, kenh: post.channel.id, lan: claim.attemptNo };
  if (interrupted) log('warn', 'lần đăng trước bị gián đoạn', fields);
  const guard = new AttemptGuard(db, claim, {
    leaseMs,
    deadlineMs: deps.publishTimeoutMs ?? queueSettings.publishTimeoutMs,
    stopping: deps.stopping,
    extendJobLock: deps.extendJobLock,
  });
  const steps: Record<string, string> = {};
  const context: AttemptContext = {
    attemptNo: claim.attemptNo,
    startedAt: claim.startedAt,
    earlier: earlier.map(toEarlier),
    signal: guard.signal,
    progress: async (step, value) => {
      guard.check();
      steps[step] = value;
      if (!(await recordProgress(db, claim, steps))) {
        guard.stop('claim-lost', 'một tiến trình khác đã nhận bài đăng này');
        guard.check();
      }
    },
    recordPost: async (kind, externalId, externalUrl) => {
      const recorded = await recordPlatformPost(db, claim, { kind, externalId, externalUrl });
      if (recorded.status === 'owned-elsewhere') throw new PostOwnedElsewhere(externalId, recorded.owner);
      if (kind === MAIN_POST) mainPost = { externalId, externalUrl };
      if (!recorded.held) {
        guard.stop('claim-lost', 'một tiến trình khác đã nhận bài đăng này');
        guard.check();
      }
    },
    ownedElsewhere: (ids) => ownedElsewhere(db, claim.channelId, claim.publicationId, ids),
    siblingMayHavePosted: () => siblingMayHavePosted(db, claim.channelId, claim.publicationId),
    fence: async () => {
      guard.check();
      if (!(await confirmClaim(db, claim, leaseMs))) {
        guard.stop('claim-lost', 'mất quyền đăng, hoặc nội dung đã bị rút: không đưa tệp ra');
        guard.check();
      }
    },
  };
  /** The publication's post, once the ledger holds it in this attempt: from then on it is never "not sent". */
  let mainPost: { externalId: string; externalUrl: string | null } | null = null;
  let publishing: Promise<PublishOutcome> | undefined;
  let rendered = '';
  const settle = (settlement: Settlement) => settleOrLose(deps, claim, settlement, fields);

  let adapter: ChannelAdapter | undefined;
  const began = new Date(); // before the adapter reads the channel's secret
  try {
    adapter = adapterFor(deps.adapters, post.channel.platform);
    rendered = await adapter.render(post);
    const title = post.item.title;

    // The ledger already holds this publication's post (an earlier attempt recorded it, then died or lost its
    // claim): it is published, and nothing is sent again. After a `retry` the adapter asked to come back (a
    // follow-up such as a broadcast waits), so it is called and resumes from its steps.
    const known = answer.posts.find((p) => p.kind === MAIN_POST);
    if (!adapter.idempotent && known && earlier.at(-1)?.outcome !== 'retry') {
      await settle({
        kind: 'published',
        attemptOutcome: 'reconciled',
        externalId: known.externalId,
        externalUrl: known.externalUrl,
        content: rendered,
        title,
        note: 'bài đã có trong sổ ghi của Loa (lần trước đã đăng)',
      });
      log('info', 'đã đối chiếu: bài đã có trong sổ ghi', { ...fields, ma_ngoai: known.externalId });
      return 'reconciled';
    }

    if (!adapter.idempotent && earlier.some(mayHavePosted)) {
      // An earlier attempt may have posted: look before sending again, or leave it for a person. Never guess.
      guard.check();
      const found = adapter.findExisting
        ? await untilStopped(adapter.findExisting(post, rendered, context), guard.signal)
        : {
            status: 'cannot-tell' as const,
            reason:
              'lần đăng trước không rõ kết quả và nền tảng không cho kiểm tra lại; cần người kiểm tra trước khi đăng lại',
          };
      if (found.status === 'found') {
        const { status: _found, ...result } = found;
        const recorded = await recordPlatformPost(db, claim, {
          kind: MAIN_POST,
          externalId: result.externalId,
          externalUrl: result.externalUrl,
        });
        if (recorded.status === 'owned-elsewhere') {
          // The adapter's listing offered another publication's post: never taken, left for a person.
          const reason = new PostOwnedElsewhere(result.externalId, recorded.owner).message;
          await settle({ kind: 'unconfirmed', reason });
          log('warn', 'chưa rõ kết quả: cần người kiểm tra', { ...fields, ly_do: reason });
          return 'unconfirmed';
        }
        await settle({
          kind: 'published',
          attemptOutcome: 'reconciled',
          ...result,
          title,
          note: 'tìm thấy bài do lần trước đăng',
        });
        log('info', 'đã đối chiếu: bài đã có trên nền tảng', { ...fields, ma_ngoai: result.externalId });
        return 'reconciled';
      }
      if (found.status === 'cannot-tell') {
        await settle({ kind: 'unconfirmed', reason: found.reason });
        log('warn', 'chưa rõ kết quả: cần người kiểm tra', { ...fields, ly_do: found.reason });
        return 'unconfirmed';
      }
      await context.progress('doi_chieu', 'khong_thay');
    }

    if (deps.faultDelayMs)
      await untilStopped(new Promise((resolve) => setTimeout(resolve, deps.faultDelayMs)), guard.signal);
    guard.check(); // the last look before the side effect
    // A call that cannot be taken back also gets the database's last word: the item may have been withdrawn (or
    // edited, losing its approval) since the claim. Nothing was sent, so the attempt ends as "retry" and the claim
    // that follows closes the publication by the claim's rules (cancelled, or expired unapproved), never posting it.
    if (!adapter.idempotent && !(await confirmClaim(db, claim, leaseMs))) {
      await settle({ kind: 'retry', reason: NOT_SENT_AT_LAST_LOOK });
      guard.release();
      return publishOne(deps, publicationId, isLastTry);
    }
    publishing = adapter.publish(post, rendered, context);
    const outcome = await untilStopped(publishing, guard.signal);
    if (outcome.status === 'unknown') {
      await settle({ kind: 'unconfirmed', reason: outcome.reason, trace: outcome.trace });
      log('warn', 'chưa rõ kết quả', { ...fields, ly_do: outcome.reason, ...traceFields(outcome.trace) });
      return 'unconfirmed';
    }
    const { status: _sent, ...result } = outcome;
    guard.release();
    const settled = await recordSent(
      deps,
      claim,
      { kind: 'published', attemptOutcome: 'published', ...result, title },
      fields,
    );
    if (settled === 'published') log('info', 'đã đăng', { ...fields, ma_ngoai: result.externalId });
    return settled;
  } catch (error) {
    if (error instanceof ClaimLost || error instanceof OutcomeNotRecorded) throw error;
    const stopped = error instanceof AttemptStopped ? error : guard.stopped;
    // An abandoned call may still be accepted by the platform: its id goes to the ledger when it comes.
    if (stopped && publishing) recordWhenSent(deps, claim, publishing, fields);
    if (mainPost && !stopped) {
      // A follow-up failed after the post was recorded: the post exists. Asked to come back (retry-later), the
      // adapter resumes its follow-up next time; otherwise the publication is published, with what failed as a note.
      const comesBack = error instanceof ChannelError && error.retryable && !isLastTry;
      if (!comesBack)
        return settlePublishedAfterFailure(deps, claim, mainPost, post.item.title, rendered, error, fields);
    }
    if (stopped) return settleStopped(deps, claim, stopped, adapter?.idempotent ?? true, fields);
    if (error instanceof ChannelError && error.mayHavePosted) {
      // "Not now", but the call may have reached the platform: the next attempt looks before it sends again.
      steps[UNCERTAIN_STEP] = error.message;
      await recordProgress(db, claim, steps);
    }
    await pauseOnReconnect(db, post.channel.id, error, worker, began); // [channel pause] credentials gone: the channel's other publications wait
    return settleFailure(deps, claim, error, adapter?.idempotent ?? true, isLastTry, fields);
  } finally {
    guard.release();
  }
}

function toEarlier(attempt: PublishAttempt): EarlierAttempt {
  return {
    attemptNo: attempt.attemptNo,
    startedAt: attempt.startedAt,
    finishedAt: attempt.finishedAt,
    outcome: attempt.outcome,
    externalId: attempt.externalId,
    steps: attempt.steps,
  };
}

function traceFields(trace?: PlatformTrace) {
  return { ma_loi: trace?.code, ma_phu: trace?.subcode, trace: trace?.traceId };
}

/** Settles with the claim's token; a stale token changed nothing, and the worker says it lost the claim. */
async function settleOrLose(
  deps: PublishDeps,
  claim: Claim,
  settlement: Settlement,
  fields: Record<string, string | number> = { bai: claim.publicationId },
): Promise<void> {
  if (await recordOutcomeAndSettle(deps.db, claim, settlement)) return;
  claimLost(deps, claim, settlement, fields);
}

/** A settle whose token was no longer in force changed nothing: the worker says it lost the claim. */
function claimLost(
  deps: PublishDeps,
  claim: Claim,
  settlement: Settlement,
  fields: Record<string, string | number>,
): never {
  (deps.log ?? consoleLog)('warn', 'mất quyền đăng: tiến trình khác đã nhận bài, kết quả lần này không được ghi', {
    ...fields,
    ket_qua: settlement.kind,
  });
  throw new ClaimLost(`bài đăng ${claim.publicationId}: mất quyền đăng, kết quả lần ${claim.attemptNo} không được ghi`);
}

/** The platform accepted the post but its proof could not be written: the attempt stays `publishing` for reconciliation. */
export class OutcomeNotRecorded extends Error {
  override name = 'OutcomeNotRecorded';
}

/**
 * Once a platform has accepted a post, its id must not be lost: the write is tried again; if it still fails, the
 * attempt is left `publishing` (its lease runs out, the next claim reconciles) and the id goes to the log. Never a
 * failed or a retry over a real post.
 */
async function recordSent(
  deps: PublishDeps,
  claim: Claim,
  settlement: Extract<Settlement, { kind: 'published' }>,
  fields: Record<string, string | number>,
): Promise<'published' | 'unconfirmed'> {
  const log = deps.log ?? consoleLog;
  const delays = deps.outcomeRetryDelaysMs ?? DEFAULT_OUTCOME_RETRIES;
  for (let attempt = 0; ; attempt++) {
    try {
      // The ledger first, whatever became of the claim: an id the platform returned is never discarded. The ledger
      // row and the settle share one transaction (one commit where there were two).
      const recorded = await recordPostAndSettle(deps.db, claim, settlement);
      if (recorded.status === 'owned-elsewhere') {
        const reason = new PostOwnedElsewhere(settlement.externalId, recorded.owner).message;
        await settleOrLose(deps, claim, { kind: 'unconfirmed', reason });
        log('error', 'nền tảng trả về mã bài đã thuộc bài đăng khác', { ...fields, ly_do: reason });
        return 'unconfirmed';
      }
      if (!recorded.settled) claimLost(deps, claim, settlement, fields);
      return 'published';
    } catch (error) {
      if (error instanceof ClaimLost) {
        log('error', 'nền tảng đã nhận bài nhưng quyền đăng đã mất; giữ mã bài để đối chiếu', {
          ...fields,
          ma_ngoai: settlement.externalId,
          lien_ket: settlement.externalUrl,
        });
        throw error;
      }
      if (attempt >= delays.length) {
        log(
          'error',
          'nền tảng đã nhận bài nhưng không ghi được kết quả vào cơ sở dữ liệu; bài để lại "đang đăng" để đối chiếu',
          {
            ...fields,
            ma_ngoai: settlement.externalId,
            lien_ket: settlement.externalUrl,
            loi: error instanceof Error ? error.message : String(error),
          },
        );
        throw new OutcomeNotRecorded(
          `bài đăng ${claim.publicationId} đã lên nền tảng (mã ${settlement.externalId}) nhưng chưa ghi được kết quả`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    }
  }
}

/**
 * A call abandoned by the worker (deadline, lost claim, stopping) that the platform accepts afterwards: its id goes
 * to the ledger when it comes, so the next claim finds the post there instead of sending again.
 */
function recordWhenSent(
  deps: PublishDeps,
  claim: Claim,
  publishing: Promise<PublishOutcome>,
  fields: Record<string, string | number>,
): void {
  const log = deps.log ?? consoleLog;
  publishing
    .then(async (outcome) => {
      if (outcome.status !== 'sent') return;
      const recorded = await recordPlatformPost(deps.db, claim, {
        kind: MAIN_POST,
        externalId: outcome.externalId,
        externalUrl: outcome.externalUrl,
      });
      log('warn', 'nền tảng nhận bài sau khi lần đăng đã bị bỏ; mã bài đã ghi vào sổ', {
        ...fields,
        ma_ngoai: outcome.externalId,
        ket_qua: recorded.status,
      });
    })
    .catch((error: unknown) =>
      log('warn', 'lần đăng đã bị bỏ kết thúc lỗi', {
        ...fields,
        loi: error instanceof Error ? error.message : String(error),
      }),
    );
}

/** A follow-up failed after the post was recorded: the post exists, so the publication is published, with a note. */
async function settlePublishedAfterFailure(
  deps: PublishDeps,
  claim: Claim,
  post: { externalId: string; externalUrl: string | null },
  title: string,
  rendered: string,
  error: unknown,
  fields: Record<string, string | number>,
): Promise<JobResult> {
  const message = errorText(error);
  await settleOrLose(deps, claim, {
    kind: 'published',
    attemptOutcome: 'published',
    ...post,
    content: rendered,
    title,
    note: `bài đã đăng; bước sau lỗi: ${message}`,
  });
  (deps.log ?? consoleLog)('warn', 'đã đăng; bước sau lỗi', { ...fields, ma_ngoai: post.externalId, ly_do: message });
  return 'published';
}

/** An attempt stopped before its end (deadline, lost claim, worker stopping). */
async function settleStopped(
  deps: PublishDeps,
  claim: Claim,
  stopped: AttemptStopped,
  idempotent: boolean,
  fields: Record<string, string | number>,
): Promise<JobResult> {
  const log = deps.log ?? consoleLog;
  if (stopped.kind === 'claim-lost') {
    log('warn', 'mất quyền đăng giữa chừng; dừng trước bước tiếp theo', { ...fields, ly_do: stopped.message });
    throw new ClaimLost(`bài đăng ${claim.publicationId}: ${stopped.message}`);
  }
  if (stopped.kind === 'stopping') {
    // The call is abandoned; the publication stays `publishing` until its lease runs out, then the next claim
    // reconciles it (or republishes it, on a channel where that is harmless).
    log('warn', 'bỏ dở khi dừng tiến trình; bài để lại để đối chiếu', fields);
    return 'abandoned';
  }
  // The deadline: this worker goes on. Republishing is harmless on an idempotent channel, so it fails for a person
  // to retry; elsewhere the call may still land, so its outcome is unknown until reconciled.
  const reason = `quá thời hạn đăng: ${stopped.message}`;
  await settleOrLose(
    deps,
    claim,
    idempotent
      ? { kind: 'failed', reason }
      : { kind: 'unconfirmed', reason: `${reason}; cần đối chiếu trước khi đăng lại` },
  );
  log('warn', idempotent ? 'thất bại: quá thời hạn' : 'chưa rõ kết quả: quá thời hạn', {
    ...fields,
    ly_do: stopped.message,
  });
  return idempotent ? 'failed' : 'unconfirmed';
}

async function settleFailure(
  deps: PublishDeps,
  claim: Claim,
  error: unknown,
  idempotent: boolean,
  isLastTry: boolean,
  fields: Record<string, string | number>,
): Promise<never> {
  const log = deps.log ?? consoleLog;
  // A system error (a folder where a file should be: EEXIST) is said in Vietnamese in the log, with its code.
  const message = errorText(error);
  const trace = error instanceof ChannelError ? error.trace : undefined;

  if (!(error instanceof ChannelError) && !(error instanceof TemplateError) && !idempotent) {
    // An unexpected error from a platform that is not idempotent: it may have posted. Never guess.
    await settleOrLose(deps, claim, { kind: 'unconfirmed', reason: message });
    log('warn', 'chưa rõ kết quả', { ...fields, ly_do: message });
    throw new UnrecoverableError(message);
  }
  const retryable = error instanceof ChannelError || error instanceof TemplateError ? error.retryable : true;
  if (retryable && !isLastTry) {
    await settleOrLose(deps, claim, { kind: 'retry', reason: message, trace });
    log('info', 'chưa đăng được, sẽ thử lại', {
      ...fields,
      ly_do: message,
      cho_ms: error instanceof ChannelError ? error.retryAfterMs : undefined,
      ...traceFields(trace),
    });
    throw error;
  }
  await settleOrLose(deps, claim, { kind: 'failed', reason: message, trace });
  log('warn', 'thất bại', { ...fields, ly_do: message, ...traceFields(trace) });
  throw new UnrecoverableError(message);
}
