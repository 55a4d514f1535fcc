import type { Db } from '../src/store';
import { catchUpReportRollup } from '../src/store/report-rollup';

export interface RollupKeeper {
  /** Stops the timer and waits for a catch-up under way. */
  close(): Promise<void>;
}

/** How often the keeper looks at the notes; a burst is over when a look finds no new note since the last. */
const LOOK_EVERY_MS = 1_000;
/** A burst that never pauses is caught up at least this often, so the notes never grow without bound. */
const AT_MOST_EVERY_MS = 15_000;

/**
 * Keeps the report's rollup near the log off the publish path (migration 0021): after a burst, the notes its
 * settles left are applied in one transaction, not inside each settle. The report catches up by itself before
 * reading, so this only keeps that catch-up short. Every worker process runs one; on PostgreSQL they take turns.
 */
export function keepReportRollup(db: Db, onError: (error: Error) => void): RollupKeeper {
  let lastSeen: string | null = null;
  let behindSince = 0;
  let running: Promise<void> | null = null;
  const look = async () => {
    const { max } = await db.kysely
      .selectFrom('report_changes' as never)
      .select((eb) => eb.fn.max('id' as never).as('max'))
      .executeTakeFirstOrThrow();
    const newest = max === null ? null : String(max);
    if (newest === null) {
      lastSeen = null;
      return;
    }
    const now = Date.now();
    if (lastSeen === null) behindSince = now;
    const quiet = newest === lastSeen;
    lastSeen = newest;
    if (!quiet && now - behindSince < AT_MOST_EVERY_MS) return;
    await catchUpReportRollup(db.kysely, db.dialect);
    lastSeen = null;
  };
  const timer = setInterval(() => {
    running ??= look()
      .catch(onError)
      .finally(() => (running = null));
  }, LOOK_EVERY_MS);
  timer.unref();
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
