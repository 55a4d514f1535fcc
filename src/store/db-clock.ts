import { type Kysely, PostgresAdapter, type RawBuilder, sql } from 'kysely';

/**
 * The database's own clock as Loa's stored time text (fixed-width ISO UTC, like every time column), optionally
 * `plusMs` ahead. Leases are measured on this one clock: a worker whose clock runs ahead cannot steal a live claim.
 */
export function dbTime(db: Kysely<any>, plusMs = 0): RawBuilder<string> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return sql<string>`to_char((clock_timestamp() at time zone 'UTC') + ${Math.round(plusMs)}::integer * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  }
  return sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`${plusMs >= 0 ? '+' : ''}${(plusMs / 1000).toFixed(3)} seconds`})`;
}

/** The database's clock, read once: what the scheduler measures due times against, whatever this process's clock says. */
export async function dbNow(db: Kysely<any>): Promise<Date> {
  const { rows } = await sql<{ now: string }>`select ${dbTime(db)} as now`.execute(db);
  return new Date(rows[0]!.now);
}
