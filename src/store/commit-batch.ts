import { CompiledQuery, type Kysely, PostgresAdapter, type Transaction } from 'kysely';

import type { Database } from './schema';
import { type Answered, answered, TickBatch } from './tick-batch';

/** One caller's share of a batch: its work, run in the shared transaction. */
interface Entry {
  work: (tx: Transaction<Database>) => Promise<unknown>;
  /** The same work without a transaction, for a batch of one whose work is a single statement (see `run`). */
  alone?: (db: Kysely<Database>) => Promise<unknown>;
}

export interface CommitBatchOptions {
  /** A batch is flushed at once when this many are waiting. Default 20 (the profile: 20 claims a commit). */
  maxItems?: number;
}

const SAVEPOINT = CompiledQuery.raw('savepoint loa_batch_item');
const RELEASE = CompiledQuery.raw('release savepoint loa_batch_item');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint loa_batch_item');

/**
 * Group commit: the protocol's writes of the publications one process has in flight share a transaction, so a burst
 * pays one BEGIN and one COMMIT (one WAL write) for several publications instead of one each.
 *
 * `run(work)` is `db.transaction().execute(work)` with the transaction shared: the works handed in during the same
 * turn of the event loop (up to `maxItems`) run one after another in one transaction, each inside its own savepoint,
 * so every per-row guarantee holds per caller:
 * - a work that throws is rolled back to its savepoint alone, and only its caller sees the error; the others go on;
 * - a caller's promise settles only after the shared transaction has COMMITTED: no answer (a claim, and so no platform
 *   call after it) leaves the batch before its rows are durable and visible to every connection;
 * - if the COMMIT itself fails (or the database ended the transaction on its own, as SQLite does on a full disk),
 *   nothing of the batch was written and every caller sees the error, as each would have alone.
 * A batch of one runs without a savepoint, as `db.transaction().execute(work)` did.
 *
 * Nothing waits for a timer: a batch is flushed on the next turn of the event loop (`setImmediate`, after the I/O
 * that arrived with it), so a lone publication is not slowed, and under load the jobs whose Redis answers came in
 * together share a commit.
 */
export class CommitBatch {
  private readonly batch: TickBatch<Entry, unknown>;

  constructor(
    private readonly db: Kysely<Database>,
    options: CommitBatchOptions = {},
  ) {
    this.batch = new TickBatch((entries) => this.flush(entries), Math.max(1, options.maxItems ?? 20));
  }

  /**
   * Runs `work` in the next shared transaction and answers its result once that transaction has committed.
   * `alone`: the same write as one statement without a transaction, used when the batch holds nothing else
   * (PostgreSQL's one-statement settle: one round trip where BEGIN and COMMIT would add two).
   */
  run<R>(work: (tx: Transaction<Database>) => Promise<R>, alone?: (db: Kysely<Database>) => Promise<R>): Promise<R> {
    return this.batch.add({ work, alone }) as Promise<R>;
  }

  private async flush(batch: Entry[]): Promise<Array<Answered<unknown>>> {
    if (batch.length === 1) {
      // A batch of one is the transaction a caller alone would have had: its error is its own.
      const [only] = batch as [Entry];
      return [await answered(only.alone ? only.alone(this.db) : this.db.transaction().execute(only.work))];
    }
    try {
      // Only when this resolves, after the COMMIT, does any caller learn its answer.
      return await this.db.transaction().execute(async (tx) => {
        const results: Array<Answered<unknown>> = [];
        for (const entry of batch) results.push(await isolated(tx, entry));
        return results;
      });
    } catch (error) {
      // The shared transaction did not commit: nothing of any work in it was written.
      return batch.map(() => ({ ok: false, error }));
    }
  }
}

/** One caller's work inside its savepoint: its failure is rolled back alone and kept for it. */
async function isolated(tx: Transaction<Database>, entry: Entry): Promise<Answered<unknown>> {
  await tx.executeQuery(SAVEPOINT);
  try {
    const value = await entry.work(tx);
    await tx.executeQuery(RELEASE);
    return { ok: true, value };
  } catch (error) {
    // If the database has already ended the whole transaction (SQLite on a full disk), there is no savepoint to go
    // back to: the batch fails whole, with the error that said why.
    try {
      await tx.executeQuery(ROLLBACK_TO);
      await tx.executeQuery(RELEASE);
    } catch {
      throw error;
    }
    return { ok: false, error };
  }
}

const batches = new WeakMap<Kysely<Database>, CommitBatch>();

/**
 * The one batch of a database handle: every caller of the publish protocol on that handle shares it. A handle that is
 * already a transaction gets none (its caller commits; the protocol's writes join its transaction instead).
 */
export function commitBatchOf(db: Kysely<Database>): CommitBatch | null {
  if (db.isTransaction) return null;
  // PostgreSQL locks rows: a shared transaction holding several publications' claims while it waits for one more can
  // deadlock with another transaction that locks many (the scheduler marking a chunk queued did, in CI). SQLite's one
  // writer at a time cannot deadlock, so only SQLite batches.
  if (db.getExecutor().adapter instanceof PostgresAdapter) return null;
  let batch = batches.get(db);
  if (!batch) batches.set(db, (batch = new CommitBatch(db)));
  return batch;
}
