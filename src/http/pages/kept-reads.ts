import type { Db } from '../../store';

/** Reads kept at most; the least recently used go first. A calendar month or a page of the log is one each. */
const KEPT_READS = 200;
const kept = new Map<string, Promise<unknown>>();

/**
 * What a desk page reads and works out for everyone who looks at the same thing (a unit's month, a page of the log,
 * a report), done once for as long as the data does not change: the key is the caller's description of what is read
 * (all it depends on, never who asks unless the result depends on it) and the database's version (`Db.version`: any
 * commit by another process, any write by this one, gives another). The version is read first, so what is kept is
 * never older than its key. Callers asking at once for the same key share one read; a failed read is not kept.
 * Twenty officers opening the unit's calendar in the same minute cost one reading of the month, not twenty.
 */
export async function keptRead<T>(db: Db, key: string, read: () => Promise<T>): Promise<T> {
  const full = `${db.description}\0${await db.version()}\0${key}`;
  const found = kept.get(full) as Promise<T> | undefined;
  if (found) {
    kept.delete(full); // re-inserted: the Map's order is the order of last use
    kept.set(full, found);
    return found;
  }
  const reading = read();
  kept.set(full, reading);
  reading.catch(() => kept.delete(full));
  if (kept.size > KEPT_READS) kept.delete(kept.keys().next().value!);
  return reading;
}
