import type { FaultRecord } from './faults';
import type { ChaosOptions } from './options';
import type { ChannelFigures } from './tally';

export interface Verdict {
  ok: boolean;
  duplicates: number;
  lost: number;
  /** Other broken promises: unconfirmed ones nobody can understand from the log, posts the database does not know. */
  problems: string[];
}

export function verdict(figures: ChannelFigures[], faults: FaultRecord, crashes: string[] = []): Verdict {
  const duplicates = figures.reduce((sum, f) => sum + f.duplicates, 0);
  const lost = figures.reduce((sum, f) => sum + f.lost, 0);
  const problems: string[] = [];
  for (const f of figures) {
    // A channel that published nothing was not put through the faults at all: a set-up refusal (an image on this
    // machine refused by the outbound guard once failed every Zalo post, and the run said "duplicates 0, lost 0").
    if (f.queued > 0 && f.published === 0)
      problems.push(
        `${f.platform}: none of ${f.queued} published (${Object.keys(f.failedReasons)[0] ?? 'no reason recorded'})`,
      );
    if (f.unexplained.length)
      problems.push(
        `${f.platform}: ${f.unexplained.length} unconfirmed without an explanation in the log (${f.unexplained.slice(0, 5).join(', ')})`,
      );
    if (f.unrecorded.length)
      problems.push(
        `${f.platform}: ${f.unrecorded.length} on the platform but not recorded as published or unconfirmed (${f.unrecorded.slice(0, 5).join(', ')})`,
      );
  }
  for (const error of faults.errors) problems.push(`fault not played: ${error}`);
  for (const crash of crashes) problems.push(crash);
  return { ok: duplicates === 0 && lost === 0 && problems.length === 0, duplicates, lost, problems };
}

const seconds = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : '–');

export interface RunFacts {
  seconds: number;
  runDir: string;
  loadavg: number[];
}

export function printSummary(
  options: ChaosOptions,
  figures: ChannelFigures[],
  faults: FaultRecord,
  facts: RunFacts,
  result: Verdict,
): void {
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ options, figures, faults, facts, ...result }, null, 2)}\n`);
  }
  const out = (line = '') => (options.json ? process.stderr : process.stdout).write(`${line}\n`);
  out();
  out(
    `chaos ${options.small ? '--small ' : ''}on ${options.database}: seed ${options.seed}, ${facts.seconds.toFixed(0)} s, load average ${facts.loadavg.map((l) => l.toFixed(1)).join(' ')}`,
  );
  out(
    `faults: ${faults.kills} worker SIGKILLs, ${faults.flushes} Redis FLUSHALL, ${faults.redisRestarts} Redis restart, ${faults.pgRestarts} PostgreSQL restart, ${faults.pauses} pause/resume, ${faults.expiredTokens} expired Page token, ` +
      `${faults.zaloTokensExpired} expired Zalo access token, ${faults.rateLimits} rate limits, ${faults.transient} passing errors, ${faults.droppedAfterAccept} accepted-then-dropped`,
  );
  out(
    `outages (lateness measured outside them): ${faults.outages.map((o) => `${o.kind}${o.channelId ? ` ${o.channelId}` : ''} ${seconds(o.to - o.from)}`).join(', ') || 'none'}`,
  );
  out();
  out(
    'channel   queued  published  failed  unconfirmed  reconciled  duplicates  lost  lateness p50   p99     (max, counted/excluded)  all: p50    p99    max',
  );
  for (const f of figures) {
    out(
      `${f.platform.padEnd(9)} ${String(f.queued).padStart(6)} ${String(f.published).padStart(10)} ${String(f.failed).padStart(7)} ${String(f.unconfirmed).padStart(12)} ${String(f.reconciled).padStart(11)} ` +
        `${String(f.duplicates).padStart(11)} ${String(f.lost).padStart(5)}  ${seconds(f.latenessMs.p50).padStart(12)} ${seconds(f.latenessMs.p99).padStart(7)}  ${`(${seconds(f.latenessMs.max)}, ${f.latenessMs.counted}/${f.latenessMs.excluded})`.padEnd(24)} ${seconds(f.latenessAllMs.p50).padStart(6)} ${seconds(f.latenessAllMs.p99).padStart(6)} ${seconds(f.latenessAllMs.max).padStart(6)}`,
    );
  }
  for (const f of figures) {
    for (const [reason, n] of Object.entries(f.failedReasons)) out(`  ${f.platform} failed ×${n}: ${reason}`);
    if (f.unconfirmed)
      out(
        `  ${f.platform} unconfirmed: ${f.unconfirmed}, each with its reason in the publish log and its id in a worker's log${f.unexplained.length ? ` except ${f.unexplained.length}` : ''}`,
      );
    if (f.lostIds.length)
      out(`  ${f.platform} lost: ${f.lostIds.slice(0, 10).join(', ')}${f.lostIds.length > 10 ? ' …' : ''}`);
  }
  for (const problem of result.problems) out(`PROBLEM ${problem}`);
  if (!result.ok || options.keep) out(`run folder kept: ${facts.runDir}`);
  out(`duplicates ${result.duplicates}`);
  out(`lost ${result.lost}`);
}
