/**
 * `npm run chaos [-- --small] [--postgres] [--pg-restart] [--json] [--seed N] [--keep]`: Loa's promise ("on time,
 * exactly once, nothing lost") measured under the faults a province will see. On loopback only: the fake Facebook
 * and Zalo servers, a private redis-server, `loa serve` and several `loa worker` processes on a fresh database
 * (SQLite file, or a new PostgreSQL database with --postgres / LOA_DATABASE_URL=postgres://…). Publications on all
 * four channels of several units fall due over a short span while workers are SIGKILLed and restarted, Redis is
 * flushed, PostgreSQL restarted, the platforms rate-limit, fail, drop accepted posts and expire a token, and
 * publishing is paused and resumed. The summary ends with `duplicates N` and `lost N`; the exit code is 1 on any.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import IORedis from 'ioredis';
import { Client } from 'pg';

import { FakeGraphApi } from '../src/demo/fake-graph-api';
import { FakeZalo } from '../src/demo/fake-zalo-oa';
import { freePort } from '../src/queue/private-redis';
import { secretKeyFromEnv } from '../src/store/secret-cipher';
import { type FaultRecord, playFaults } from '../test/chaos/faults';
import { type ChaosOptions, parseOptions, randomFrom } from '../test/chaos/options';
import { LoaProcess, RestartableRedis, runLoa, WorkerPool } from '../test/chaos/processes';
import { printSummary, verdict } from '../test/chaos/report';
import { seedPublications, seedUnits } from '../test/chaos/seed';
import { type Observations, tally } from '../test/chaos/tally';
import { openStore } from '../test/support/open-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A brand-new PostgreSQL database on the server of LOA_DATABASE_URL (or the test server), dropped at the end. */
async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const server = new URL(
    process.env.LOA_DATABASE_URL?.startsWith('postgres')
      ? process.env.LOA_DATABASE_URL
      : (process.env.LOA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'),
  );
  const name = `loa_chaos_${randomBytes(5).toString('hex')}`;
  const admin = new URL(server);
  admin.pathname = '/postgres';
  const run = async (statement: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function main(options: ChaosOptions): Promise<number> {
  const startedAt = Date.now();
  const random = randomFrom(options.seed);
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-chaos-'));
  const chaosLog = fs.openSync(path.join(runDir, 'chaos.log'), 'a');
  const log = (line: string) => {
    const text = `${new Date().toISOString()} +${((Date.now() - startedAt) / 1000).toFixed(1)}s ${line}\n`;
    fs.writeSync(chaosLog, text);
    if (!options.json) process.stderr.write(text);
  };
  log(
    `chaos run: ${options.database}, ${options.items * 4} publications, ${options.units} units, ${options.workers} workers, ${options.kills} kills, seed ${options.seed}, folder ${runDir}`,
  );

  const cleanups: Array<() => Promise<unknown> | unknown> = [];
  let keep = options.keep;
  try {
    // A private Redis: FLUSHALL here disturbs nobody else on the machine.
    const redisServer = new RestartableRedis(await freePort());
    await redisServer.start();
    cleanups.push(() => redisServer.stop());
    const redis = new IORedis(redisServer.url, { maxRetriesPerRequest: 1 });
    // Refused connections while the run restarts Redis are expected; commands that fail are retried by their callers.
    redis.on('error', (error: Error) => log(`harness redis: ${error.message}`));
    cleanups.push(() => redis.disconnect());

    const database =
      options.database === 'postgres'
        ? await freshPostgres()
        : { url: path.join(runDir, 'loa.db'), drop: async () => undefined };
    // A kept run keeps its database too, for a person to look into (the summary names it).
    cleanups.push(() => (keep ? log(`database kept: ${database.url}`) : database.drop()));
    const graph = await new FakeGraphApi().start();
    cleanups.push(() => graph.stop());
    const zalo = new FakeZalo();
    zalo.processingDelayMs = 150;
    await zalo.start();
    cleanups.push(() => zalo.stop());

    const secretKeyText = randomBytes(32).toString('base64');
    const key = secretKeyFromEnv({ LOA_SECRET_KEY: secretKeyText });
    const port = await freePort();
    const exportDir = path.join(runDir, 'exports');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      LOA_DATABASE_URL: database.url,
      LOA_REDIS_URL: redisServer.url,
      LOA_QUEUE_PREFIX: 'loa-chaos',
      LOA_EXPORT_DIR: exportDir,
      LOA_UNIT: 'UBND tỉnh Hỗn Loạn',
      LOA_USER: 'quản trị hỗn loạn',
      LOA_SECRET_KEY: secretKeyText,
      LOA_PORT: String(port),
      LOA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOA_FACEBOOK_GRAPH_URL: graph.url,
      LOA_FACEBOOK_TIMEOUT_MS: '5000',
      LOA_ZALO_API_URL: zalo.url,
      LOA_ZALO_OAUTH_URL: zalo.url,
      LOA_ZALO_APP_ID: zalo.appId,
      LOA_ZALO_SECRET_KEY: zalo.secretKey,
      // The fakes, and the portal whose images the Zalo adapter checks, are on this machine: without this, the
      // outbound guard (src/outbound/address-guard.ts) refuses every Zalo post's cover image and the run exercises
      // no Zalo publication at all (it did: 260 of 260 failed on that refusal, and the run still ended green).
      LOA_OUTBOUND_ALLOW_PRIVATE: '1',
      // A killed worker's claims come back within seconds, not the production 30 s.
      LOA_LOCK_MS: '3000',
      LOA_SCHEDULER_EVERY_MS: '1000',
      LOA_PAUSED_RECHECK_MS: '2000',
      LOA_DRAIN_MS: '5000',
    };

    const db = await openStore(database.url, { defaultUnit: env.LOA_UNIT! });
    cleanups.push(() => db.close());
    const units = await seedUnits(db, options.units, graph, zalo, key);

    const serve = new LoaProcess(['serve'], env, path.join(runDir, 'serve.log'), 'đang phục vụ');
    cleanups.push(() => serve.stop());
    const pool = new WorkerPool(options.workers, env, runDir);
    cleanups.push(() => pool.kill());
    await Promise.all([serve.ready, pool.start()]);
    log(`serve on port ${port}; ${options.workers} workers running`);

    const seeded = await seedPublications(db, units, options.items, options.small ? 6_000 : 10_000, options.spanMs);
    const t0 = seeded.firstDue.getTime();
    log(
      `${seeded.publications} publications queued, due from ${seeded.firstDue.toISOString()} over ${options.spanMs / 1000} s`,
    );

    // The portal feed, read as a reader would while it fills (each document is checked for duplicates).
    const feeds: string[] = [];
    const feedUrls = [
      `http://127.0.0.1:${port}/rss.xml`,
      ...units.map((u) => `http://127.0.0.1:${port}/rss/${u.channels.rss}.xml`),
    ];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        for (const url of feedUrls) {
          const response = await fetch(url).catch(() => null);
          if (response?.ok) feeds.push(await response.text());
        }
        await sleep(2_000);
      }
    })();

    let faults: FaultRecord | undefined;
    const faultRun = playFaults(
      { options, random, db, key, redis, redisServer, pool, graph, zalo, units, env, log },
      t0,
    ).then((record) => (faults = record));

    // Wait until every publication is settled or waits for a person, within the run's bound.
    const deadline = t0 + options.spanMs + options.settleMs;
    let pending = Infinity;
    while (Date.now() < deadline) {
      await sleep(1_000);
      pending = Number(
        (
          await db.kysely
            .selectFrom('publications')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('state', 'in', ['scheduled', 'queued', 'publishing'])
            .where('channel_id', 'in', [...seeded.platformOf.keys()])
            .executeTakeFirstOrThrow()
            .catch(() => ({ n: Infinity }))
        ).n,
      );
      if (faults && pending === 0) break;
    }
    await faultRun;
    const endedAt = Date.now();
    log(`settled: ${pending} still pending after ${((endedAt - t0) / 1000).toFixed(0)} s from the first due`);
    reading = false;
    await reader;
    await pool.stop();

    const published = await db.kysely
      .selectFrom('publications')
      .select('id')
      .where('state', '=', 'published')
      .where(
        'channel_id',
        'in',
        units.map((u) => u.channels.rss),
      )
      .execute();
    const missingPostPages: string[] = [];
    for (const { id } of published) {
      const response = await fetch(`http://127.0.0.1:${port}/posts/${encodeURIComponent(id)}`).catch(() => null);
      if (response?.status !== 200) missingPostPages.push(id);
    }
    await serve.stop();
    const workerLogs = fs
      .readdirSync(runDir)
      .filter((f) => f.startsWith('worker-'))
      .map((f) => fs.readFileSync(path.join(runDir, f), 'utf8'))
      .join('\n');
    const unconfirmedLog = JSON.parse(
      await runLoa(['log', '--state', 'unconfirmed', '--json'], env),
    ) as Observations['unconfirmedLog'];
    const observations: Observations = { feeds, missingPostPages, workerLogs, unconfirmedLog };
    const figures = await tally(db, seeded, graph, zalo, exportDir, faults!.outages, observations, endedAt);
    const result = verdict(figures, faults!, pool.crashes);
    printSummary(
      options,
      figures,
      faults!,
      { seconds: (endedAt - startedAt) / 1000, runDir, loadavg: os.loadavg() },
      result,
    );
    if (!result.ok) keep = true;
    return result.ok ? 0 : 1;
  } catch (error) {
    keep = true;
    log(`chaos run broke: ${(error as Error).stack ?? error}`);
    console.error(`chaos run broke: ${(error as Error).message} (folder ${runDir})`);
    return 2;
  } finally {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    fs.closeSync(chaosLog);
    if (!keep) fs.rmSync(runDir, { recursive: true, force: true });
  }
}

main(parseOptions(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(error.message);
    process.exit(2);
  },
);
