/**
 * The chaos run's size and switches (`npm run chaos -- [--small] [--postgres] [--pg-restart] [--json] [--seed N]`).
 * Everything is bounded: the number of publications, of kills, and the time the run may take.
 */
export interface ChaosOptions {
  small: boolean;
  database: 'sqlite' | 'postgres';
  /** Restart PostgreSQL once (default on the full PostgreSQL run; in --small only with --pg-restart). */
  pgRestart: boolean;
  json: boolean;
  seed: number;
  /** Units, each with its own rss, radio, Facebook Page and Zalo OA. */
  units: number;
  /** Items; each goes out on the four channels of its unit. */
  items: number;
  /** Worker processes running at once. */
  workers: number;
  /** SIGKILLs of a random worker (each restarted). */
  kills: number;
  /** From the first due publication to the last. */
  spanMs: number;
  /** How long after the last due one the run waits for everything to settle before it counts what is left as lost. */
  settleMs: number;
  /** Keep the run's folder (database, exports, process logs) instead of removing it. */
  keep: boolean;
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): ChaosOptions {
  const has = (flag: string) => argv.includes(flag);
  const valueOf = (flag: string) => {
    const at = argv.indexOf(flag);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const small = has('--small');
  const postgres = has('--postgres') || (env.LOA_DATABASE_URL ?? '').startsWith('postgres');
  const known = new Set(['--small', '--postgres', '--pg-restart', '--json', '--seed', '--keep']);
  for (const arg of argv)
    if (arg.startsWith('--') && !known.has(arg))
      throw new Error(`unknown option ${arg} (known: ${[...known].join(' ')})`);
  const seed = Number(valueOf('--seed') ?? Date.now() % 1_000_000);
  if (!Number.isInteger(seed)) throw new Error('--seed needs a whole number');
  return {
    small,
    database: postgres ? 'postgres' : 'sqlite',
    pgRestart: postgres && (!small || has('--pg-restart')),
    json: has('--json'),
    seed,
    units: small ? 3 : 5,
    // Four publications per item: small 200, full 1,040.
    items: small ? 50 : 260,
    workers: small ? 2 : 3,
    kills: small ? 5 : 24,
    spanMs: small ? 40_000 : 180_000,
    settleMs: small ? 60_000 : 150_000,
    keep: has('--keep'),
  };
}

/** A small seeded generator (mulberry32), so a run can be repeated with --seed. */
export function randomFrom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
