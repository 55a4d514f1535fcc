import type { Kysely } from 'kysely';

import { type Claim, renewLease } from '../src/store/publish-protocol';
import type { Database } from '../src/store/schema';

/** Why an attempt was stopped before its end. */
export type StopCause = 'claim-lost' | 'deadline' | 'stopping';

/** The reason an attempt's signal carries: the adapter sees it, the worker reads its cause. */
export class AttemptStopped extends Error {
  override name = 'AttemptStopped';
  constructor(
    readonly kind: StopCause,
    message: string,
  ) {
    super(message);
  }
}

export interface GuardOptions {
  leaseMs: number;
  /** The publish deadline (LOA_PUBLISH_TIMEOUT_MS). */
  deadlineMs: number;
  /** Aborted when the worker stops and its drain time is over. */
  stopping?: AbortSignal;
  /** The BullMQ job's own lock, renewed on the same beat as the database lease, so the two never drift apart. */
  extendJobLock?: () => Promise<unknown>;
}

/**
 * Keeps one attempt's claim alive while the channel call runs, and stops the attempt (through the signal handed
 * to the adapter) when the claim is lost, the lease cannot be renewed before it runs out, the deadline passes or
 * the worker is stopping. The worker checks the signal before every side effect.
 */
export class AttemptGuard {
  private readonly controller = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private renewedAt = Date.now();
  private readonly onStopping = () => this.stop('stopping', 'tiến trình đăng bài đang dừng và đã hết thời gian chờ');

  constructor(
    private readonly db: Kysely<Database>,
    private readonly claim: Claim,
    private readonly options: GuardOptions,
  ) {
    const beat = Math.max(50, Math.floor(options.leaseMs / 3));
    this.timers.push(setInterval(() => void this.renew(), beat));
    this.timers.push(
      setTimeout(
        () => this.stop('deadline', `nền tảng không trả lời sau ${Math.round(options.deadlineMs / 1000)} giây`),
        options.deadlineMs,
      ),
    );
    if (options.stopping?.aborted) this.onStopping();
    options.stopping?.addEventListener('abort', this.onStopping, { once: true });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The cause, once stopped. */
  get stopped(): AttemptStopped | null {
    return this.controller.signal.aborted ? (this.controller.signal.reason as AttemptStopped) : null;
  }

  /** Throws the stop reason if the attempt must not go on to its next side effect. */
  check(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason as AttemptStopped;
  }

  stop(cause: StopCause, message: string): void {
    if (!this.controller.signal.aborted) this.controller.abort(new AttemptStopped(cause, message));
  }

  /** Ends the heartbeat. */
  release(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.options.stopping?.removeEventListener('abort', this.onStopping);
  }

  private async renew(): Promise<void> {
    if (this.controller.signal.aborted) return;
    // The BullMQ lock is a hint, the database lease the truth: a Redis hiccup (or a lock BullMQ says it lost) never
    // stops an attempt whose lease is intact. At worst the job is handed to another worker, whose claim is refused
    // while this lease runs (the post a platform had accepted was thrown away).
    const jobLock = this.options.extendJobLock?.();
    jobLock?.catch(() => undefined); // a hint only: its failure is not this attempt's, see above
    try {
      const held = await renewLease(this.db, this.claim, this.options.leaseMs);
      if (!held) return this.stop('claim-lost', 'một tiến trình khác đã nhận bài đăng này');
      this.renewedAt = Date.now();
    } catch {
      // The database did not answer this beat; the lease still runs. Stop only once it would run out before the
      // next beat could renew it: from then on another worker may claim the publication.
      const beat = Math.floor(this.options.leaseMs / 3);
      if (Date.now() + beat >= this.renewedAt + this.options.leaseMs)
        this.stop('claim-lost', 'không gia hạn được quyền đăng (cơ sở dữ liệu không trả lời)');
    }
  }
}

/** Resolves or rejects with `work`, or rejects as soon as `signal` aborts; the abandoned call is left to its own end. */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
