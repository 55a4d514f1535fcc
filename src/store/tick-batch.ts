/** What `flush` answers for one request: its value, or the error only its caller sees. */
export type Answered<A> = { ok: true; value: A } | { ok: false; error: unknown };

/**
 * Requests made during one turn of the event loop, handed to `flush` together on the next turn (`setImmediate`, after
 * the I/O that arrived with them), at most `maxItems` at a time. Nothing waits for a timer: a lone request is not
 * slowed, and under load the jobs whose Redis answers came in together share one statement. `flush` answers each
 * request in order; a `flush` that throws fails every request of its batch with that error.
 */
export class TickBatch<Q, A> {
  private waiting: Array<{ request: Q; resolve: (value: A) => void; reject: (error: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly flush: (requests: Q[]) => Promise<Array<Answered<A>>>,
    private readonly maxItems: number,
  ) {}

  add(request: Q): Promise<A> {
    return new Promise<A>((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (this.waiting.length >= this.maxItems) this.flushNow();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flushNow());
      }
    });
  }

  private flushNow(): void {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    this.flush(batch.map((entry) => entry.request)).then(
      (answers) =>
        batch.forEach((entry, i) => {
          const answer = answers[i]!;
          if (answer.ok) entry.resolve(answer.value);
          else entry.reject(answer.error);
        }),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}

/** A promise's outcome as an answer, so one failure does not hide the others' values. */
export function answered<A>(promise: Promise<A>): Promise<Answered<A>> {
  return promise.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

/**
 * `flush` batched per key (a database handle): each key gets its own TickBatch on first use, so the requests of one
 * connection pool share statements and never another's.
 */
export function batchedPer<K extends object, Q, A>(
  flush: (key: K, requests: Q[]) => Promise<Array<Answered<A>>>,
  maxItems: number,
): (key: K, request: Q) => Promise<A> {
  const batches = new WeakMap<K, TickBatch<Q, A>>();
  return (key, request) => {
    let batch = batches.get(key);
    if (!batch) batches.set(key, (batch = new TickBatch((requests) => flush(key, requests), maxItems)));
    return batch.add(request);
  };
}
