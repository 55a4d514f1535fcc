/**
 * What a PostgreSQL database's server side does during a bench run, sampled from a connection of the bench's own:
 * the wait events of the database's backends (pg_stat_activity, every 50 ms), the lock waits among them (pg_locks),
 * the CPU time of its backends (their /proc stat: the server runs on this machine) and its committed transactions
 * (pg_stat_database). Read-only: nothing is configured on the shared server (pg_stat_statements is not loaded there).
 */
import fs from 'node:fs';

import { Client } from 'pg';

export interface PostgresProbeResult {
  /** CPU time of the database's backends while the probe ran, ms. */
  backendCpuMs: number;
  /** Transactions committed in the database while the probe ran. */
  commits: number;
  /** Samples of each backend state and wait event ("active IO:WALSync", "idle in transaction Client:ClientRead"). */
  waits: Map<string, number>;
  /** Samples of a backend waiting for a lock, by lock type and mode and the statement waiting. */
  lockWaits: Map<string, number>;
  samples: number;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

function cpuMsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime, stime
  } catch {
    return null;
  }
}

export async function startPostgresProbe(url: string, everyMs = 50): Promise<{ stop(): Promise<PostgresProbeResult> }> {
  const database = new URL(url).pathname.slice(1);
  const client = new Client({ connectionString: url });
  await client.connect();
  const commitsNow = async () =>
    Number(
      (
        await client.query<{ n: string }>('select xact_commit as n from pg_stat_database where datname = $1', [
          database,
        ])
      ).rows[0]!.n,
    );
  const ownPid = Number((await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  const commitsAtStart = await commitsNow();
  // First and last CPU time seen of each backend: backends come and go with the workers' pools.
  const cpu = new Map<number, { first: number; last: number }>();
  const waits = new Map<string, number>();
  const lockWaits = new Map<string, number>();
  let samples = 0;
  const count = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  let stopping = false;
  const loop = (async () => {
    while (!stopping) {
      const activity = await client.query<{ pid: number; state: string; wait: string | null }>(
        `select pid, state, wait_event_type || ':' || wait_event as wait from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid() and backend_type = 'client backend'`,
        [database],
      );
      for (const row of activity.rows) {
        count(waits, `${row.state} ${row.wait ?? 'on CPU'}`);
        const ms = cpuMsOf(row.pid);
        if (ms === null) continue;
        const seen = cpu.get(row.pid);
        if (seen) seen.last = ms;
        else cpu.set(row.pid, { first: ms, last: ms });
      }
      const locks = await client.query<{ what: string }>(
        `select l.locktype || ' ' || l.mode || ' ' || coalesce(c.relname, '') || ' | ' ||
                left(regexp_replace(a.query, '\\s+', ' ', 'g'), 70) as what
           from pg_locks l join pg_stat_activity a on a.pid = l.pid left join pg_class c on c.oid = l.relation
          where not l.granted and a.datname = $1`,
        [database],
      );
      for (const row of locks.rows) count(lockWaits, row.what);
      samples++;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
      const commits = (await commitsNow()) - commitsAtStart;
      await client.end();
      cpu.delete(ownPid);
      let backendCpuMs = 0;
      for (const { first, last } of cpu.values()) backendCpuMs += last - first;
      return { backendCpuMs, commits, waits, lockWaits, samples };
    },
  };
}

/** The probe's findings as lines for the bench's log. */
export function describeProbe(result: PostgresProbeResult, publications: number): string {
  const top = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(
        ([what, n]) =>
          `      ${((100 * n) / Math.max(1, result.samples)).toFixed(0).padStart(4)} per 100 samples  ${what}`,
      )
      .join('\n');
  return [
    `    backends' CPU ${(result.backendCpuMs / publications).toFixed(2)} ms per publication, ${(result.commits / publications).toFixed(2)} commits per publication, ${result.samples} samples`,
    `    backend states (samples × backends):\n${top(result.waits)}`,
    result.lockWaits.size ? `    lock waits:\n${top(result.lockWaits)}` : '    lock waits: none sampled',
  ].join('\n');
}
