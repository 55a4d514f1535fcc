import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

import type IORedis from 'ioredis';

import type { FakeGraphApi } from '../../src/demo/fake-graph-api';
import type { FakeZalo } from '../../src/demo/fake-zalo-oa';
import type { Db } from '../../src/store';
import { channelPause } from '../../src/store/channel-pause';
import { readChannelSecret } from '../../src/store/channel-secrets';
import type { SecretKey } from '../../src/store/secret-cipher';
import type { ChaosOptions } from './options';
import { type RestartableRedis, runLoa, type WorkerPool } from './processes';
import type { ChaosUnit } from './seed';

/** A time when publishing was held up on purpose: lateness is measured outside these. `channelId` absent: everything. */
export interface Outage {
  kind: string;
  from: number;
  to: number;
  channelId?: string;
}

export interface FaultRig {
  options: ChaosOptions;
  random: () => number;
  db: Db;
  key: SecretKey;
  redis: IORedis;
  redisServer: RestartableRedis;
  pool: WorkerPool;
  graph: FakeGraphApi;
  zalo: FakeZalo;
  units: ChaosUnit[];
  /** Environment of an officer's `loa` command. */
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

export interface FaultRecord {
  kills: number;
  flushes: number;
  redisRestarts: number;
  pgRestarts: number;
  pauses: number;
  expiredTokens: number;
  zaloTokensExpired: number;
  rateLimits: number;
  transient: number;
  droppedAfterAccept: number;
  outages: Outage[];
  errors: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The run's own reads and an officer's commands try again while the database restarts, as a person would. */
async function patiently<T>(work: () => Promise<T>, forMs = 30_000): Promise<T> {
  const deadline = Date.now() + forMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(500);
    }
  }
}

/** Graph API usage at its limit, with a minute to regain access (the smallest wait Meta gives, in minutes). */
function throttledHeaders(pageId: string): Record<string, string> {
  const usage = {
    [pageId]: [
      { type: 'pages', call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: 1 },
    ],
  };
  return { 'x-business-use-case-usage': JSON.stringify(usage) };
}

/**
 * Plays the faults over the run: each at a moment between `t0` (the first publication due) and the end of the span,
 * concurrently with publishing. Resolves when every fault has been played (and each thing it broke was restored).
 */
export async function playFaults(rig: FaultRig, t0: number): Promise<FaultRecord> {
  const { options, random, pool, graph, zalo, units, log } = rig;
  const span = options.spanMs;
  const record: FaultRecord = {
    kills: 0,
    flushes: 0,
    redisRestarts: 0,
    pgRestarts: 0,
    pauses: 0,
    expiredTokens: 0,
    zaloTokensExpired: 0,
    rateLimits: 0,
    transient: 0,
    droppedAfterAccept: 0,
    outages: [],
    errors: [],
  };
  const events: Array<{ at: number; name: string; run: () => Promise<void> }> = [];
  const at = (fraction: number) => t0 + Math.round(fraction * span);

  // SIGKILL a random worker at random moments from the first due publication to a little past the last.
  for (let k = 0; k < options.kills; k++) {
    events.push({
      at: at(random() * 1.1),
      name: 'kill',
      run: async () => {
        const slot = Math.floor(random() * pool.count);
        const { pid } = await pool.killAndRestart(slot, Math.round(random() * 1_500));
        record.kills++;
        log(`SIGKILL worker slot ${slot} (pid ${pid}); restarted`);
      },
    });
  }

  // Redis loses everything twice: a FLUSHALL, later a restart without persistence. Nobody runs `loa reschedule`:
  // the running workers must notice and rebuild the queues from the database themselves.
  const lostUntilRebuilt = async (kind: string, from: number) => {
    const deadline = Date.now() + 30_000;
    while (!(await rig.redis.exists('loa-chaos:schedule-built').catch(() => 0)) && Date.now() < deadline)
      await sleep(200);
    record.outages.push({ kind, from, to: Date.now() + 1_000 });
    log(`${kind}: queues rebuilt by the workers after ${Date.now() - from} ms`);
  };
  events.push({
    at: at(0.35),
    name: 'flushall',
    run: async () => {
      const from = Date.now();
      await rig.redis.flushall();
      record.flushes++;
      log("FLUSHALL on the run's Redis");
      await lostUntilRebuilt('redis flushed', from);
    },
  });
  events.push({
    at: at(0.62),
    name: 'redis restart',
    run: async () => {
      const from = Date.now();
      await rig.redisServer.restart();
      record.redisRestarts++;
      log('redis-server killed and started again, empty');
      await lostUntilRebuilt('redis restarted', from);
    },
  });

  if (options.pgRestart) {
    events.push({
      at: at(0.55),
      name: 'pg restart',
      run: async () => {
        const from = Date.now();
        const cluster = fs.readdirSync('/etc/postgresql')[0]!;
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'restart'], { stdio: 'ignore' });
        record.pgRestarts++;
        record.outages.push({ kind: 'postgresql restart', from, to: Date.now() });
        log(`PostgreSQL ${cluster}/main restarted in ${Date.now() - from} ms`);
      },
    });
  }

  // The emergency pause of all publishing, then the resume (CLI, as an admin).
  events.push({
    at: at(0.72),
    name: 'pause',
    run: async () => {
      const from = Date.now();
      await patiently(() => runLoa(['pause', '--reason', 'diễn tập hỗn loạn: tạm dừng khẩn cấp'], rig.env));
      record.pauses++;
      log('loa pause (province)');
      await sleep(options.small ? 4_000 : 8_000);
      await patiently(() => runLoa(['resume'], rig.env));
      record.outages.push({ kind: 'emergency pause', from, to: Date.now() });
      log('loa resume');
    },
  });

  // One Page's token expires: Facebook refuses it, Loa pauses the channel; an admin gives a new token with
  // `loa channels edit … --secret-stdin`, which resumes it.
  const expiring = units[0]!;
  events.push({
    at: at(0.2),
    name: 'facebook token expired',
    run: async () => {
      const from = Date.now();
      const old = [...graph.tokens.entries()].find(([, grant]) => grant.pageId === expiring.pageId && !grant.revoked);
      if (!old) throw new Error('no live token for the expiring page');
      old[1].revoked = { subcode: 463 };
      record.expiredTokens++;
      log(`Facebook token of ${expiring.channels.facebook} expired`);
      const deadline = Date.now() + 30_000;
      while (!(await patiently(() => channelPause(rig.db.kysely, expiring.channels.facebook))) && Date.now() < deadline)
        await sleep(250);
      log(
        `channel ${expiring.channels.facebook} paused: ${(await patiently(() => channelPause(rig.db.kysely, expiring.channels.facebook)))?.reason ?? '(not paused within 30 s)'}`,
      );
      await sleep(3_000);
      const token = `EAAG${expiring.pageId}new${Math.random().toString(36).slice(2)}`;
      graph.page(expiring.pageId, expiring.name, token);
      log(
        `loa channels edit: ${(await patiently(() => runLoa(['channels', 'edit', expiring.channels.facebook, '--secret-stdin'], rig.env, token))).trim()}`,
      );
      record.outages.push({
        kind: 'facebook token expired',
        from,
        to: Date.now(),
        channelId: expiring.channels.facebook,
      });
    },
  });

  // A Zalo access token runs out early (as after a password change): the adapter refreshes the pair itself.
  const zaloUnit = units[1 % units.length]!;
  events.push({
    at: at(0.45),
    name: 'zalo access token expired',
    run: async () => {
      const secret = await patiently(() => readChannelSecret(rig.db.kysely, zaloUnit.channels.zalo, rig.key));
      const { accessToken } = JSON.parse(secret!) as { accessToken: string };
      zalo.revokeAccess(accessToken);
      record.zaloTokensExpired++;
      log(`Zalo access token of ${zaloUnit.channels.zalo} revoked (refresh expected)`);
    },
  });

  // Platform trouble, spread over the span: rate limits with their headers, passing errors, posts accepted then dropped.
  const spread = (count: number, name: string, run: () => void, within = 0.9) => {
    for (let i = 0; i < count; i++) events.push({ at: at(0.05 + random() * within), name, run: async () => run() });
  };
  const few = options.small ? 1 : 3;
  spread(
    few,
    'facebook rate limit',
    () => {
      const page = units[Math.floor(random() * units.length)]!;
      graph.inject({
        error: { code: 32, message: '(#32) Page request limit reached' },
        headers: throttledHeaders(page.pageId),
      });
      record.rateLimits++;
      log('Facebook: next post answers #32 with usage headers');
    },
    0.45,
  ); // a Page is then held for a minute: early enough for the run to see it through
  spread(
    few,
    'zalo rate limit',
    () => {
      zalo.failNext('/v2.0/article/create', { code: -32, message: 'Exceeded the request limit per minute' });
      record.rateLimits++;
      log('Zalo: next create answers -32');
    },
    0.45,
  );
  spread(few * 2, 'facebook transient', () => {
    const choices = [
      { error: { code: 2, message: 'An unexpected error has occurred. Please retry your request later.' } },
      { error: { code: 1, message: 'An unknown error occurred' } },
      { status: 502, html: '<html><body>502 Bad Gateway</body></html>' },
    ];
    graph.inject(choices[Math.floor(random() * choices.length)]!);
    record.transient++;
    log('Facebook: next post meets a passing error');
  });
  spread(few * 2, 'facebook accept-then-drop', () => {
    graph.inject({ dropAfterAccept: true });
    record.droppedAfterAccept++;
    log('Facebook: next post is accepted, then the connection is dropped');
  });
  spread(few * 2, 'zalo accept-then-drop', () => {
    zalo.dropAfterNext('/v2.0/article/create');
    record.droppedAfterAccept++;
    log('Zalo: next create is carried out, then the connection is dropped');
  });
  spread(few, 'zalo verify dropped', () => {
    zalo.dropAfterNext('/v2.0/article/verify');
    record.transient++;
    log('Zalo: next verify is dropped');
  });

  events.sort((a, b) => a.at - b.at);
  const running: Promise<void>[] = [];
  for (const event of events) {
    const wait = event.at - Date.now();
    if (wait > 0) await sleep(wait);
    running.push(
      event.run().catch((error: Error) => {
        record.errors.push(`${event.name}: ${error.message}`);
        log(`FAULT FAILED ${event.name}: ${error.message}`);
      }),
    );
  }
  await Promise.all(running);
  return record;
}
