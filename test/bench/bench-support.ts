/**
 * What the benchmarks share: options from the command line, a private Redis, worker and server child processes,
 * fast seeding of large tables, a small HTTP load loop and process memory from /proc.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { type Kysely, type RawBuilder, sql } from 'kysely';
import { Pool } from 'undici';

import type { Config } from '../../src/config';
import { publicationId } from '../../src/domain/publication';
import { freePort } from '../../src/queue/private-redis';
import type { Db } from '../../src/store';
import { saveChannel } from '../../src/store/channels';
import { recountReportRollup } from '../../src/store/report-rollup';
import type { Database } from '../../src/store/schema';
import { envFor, PROJECT, stopChild } from '../support/services';

export interface BenchOptions {
  quick: boolean;
  only: string[];
  json: string | true | undefined;
}

/** `--quick` (small sizes for development), `--only a,b` (sections by name), `--json [file]`. */
export function parseArgs(argv: string[]): BenchOptions {
  const options: BenchOptions = { quick: false, only: [], json: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--quick') options.quick = true;
    else if (arg === '--only') options.only.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (arg.startsWith('--only=')) options.only.push(...arg.slice(7).split(',').filter(Boolean));
    else if (arg === '--json') options.json = argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i] : true;
    else if (arg.startsWith('--json=')) options.json = arg.slice(7);
    else throw new Error(`unknown argument ${arg} (use --quick, --only <names>, --json [file])`);
  }
  return options;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Resident memory now and at its highest, from /proc (Linux), in MB. */
export function processMemory(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 1/100 s on Linux). */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime, fields 14 and 15 of proc(5)
}

/** A `loa` command in a child process, as an operator runs it; resolves once `ready` appears on its stdout. */
export async function startLoa(
  args: string[],
  config: Config,
  extraEnv: Record<string, string>,
  ready: RegExp,
): Promise<ChildProcess> {
  // LOA_BENCH_PROFILE=<dir>: each Loa process writes a CPU profile there (open it in Chrome's DevTools).
  const profile = process.env.LOA_BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.LOA_BENCH_PROFILE}`]
    : [];
  const child = spawn(process.execPath, [...profile, path.join(PROJECT, 'bin/loa.js'), ...args], {
    env: envFor(config, extraEnv),
    cwd: PROJECT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stderr!.on('data', (d: Buffer) => (errors = (errors + d.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      // Tested before the tail is cut: a chunk (the worker writes its lines together) may hold the line and more.
      output += d.toString();
      if (ready.test(output)) resolve();
      output = output.slice(-4000);
    });
    child.once('exit', (code) =>
      reject(new Error(`loa ${args.join(' ')} exited (${code}) before it was ready:\n${errors}`)),
    );
  });
  child.removeAllListeners('exit');
  return child;
}

export const stopProcess = (child: ChildProcess) => stopChild(child, 'SIGTERM');

/** Radio stations of one unit, ids dai-xa-1 … dai-xa-n, with their default settings (WAV preview on). */
export async function addStations(db: Kysely<Database>, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `dai-xa-${i + 1}`);
  const unit = (await db.selectFrom('channels').select('unit_id').where('id', '=', 'rss').executeTakeFirstOrThrow())
    .unit_id;
  for (const id of ids)
    await saveChannel(
      db,
      { id, unitId: unit, platform: 'radio', name: `Đài xã ${id.slice(7)}`, settings: {} },
      'bench',
    );
  return ids;
}

export interface SeedRow {
  itemId: number;
  channelId: string;
  scheduledAt: Date;
  state: 'scheduled' | 'queued' | 'published';
}

/**
 * Writes publications straight into the table in multi-row inserts: the product's one-by-one scheduling is not
 * what is measured here, and 100,000 of them would take longer than the measure itself.
 */
export async function insertPublications(db: Kysely<Database>, rows: SeedRow[]): Promise<void> {
  const now = new Date().toISOString();
  for (let start = 0; start < rows.length; start += 400) {
    await db
      .insertInto('publications')
      .values(
        rows.slice(start, start + 400).map((r) => {
          const published = r.state === 'published';
          return {
            id: publicationId(r.itemId, r.channelId, r.scheduledAt),
            item_id: r.itemId,
            channel_id: r.channelId,
            scheduled_at: r.scheduledAt.toISOString(),
            state: r.state,
            reason: null,
            content: published
              ? `<p>Nội dung đã đăng của bài ${r.itemId}: làm thủ tục trên Cổng dịch vụ công.</p>`
              : null,
            external_id: null,
            external_url: null,
            attempts: published ? 1 : 0,
            queued_by: 'bench',
            claimed_by: null,
            lease_until: null,
            published_at: published ? r.scheduledAt.toISOString() : null,
            claim_token: null,
            published_title: published ? `Bài ${r.itemId}` : null,
            created_at: now,
            updated_at: now,
          };
        }),
      )
      .execute();
  }
}

export interface LoadResult {
  perSecond: number;
  requests: number;
  status: Record<number, number>;
}

/**
 * Keeps `connections` requests in flight against `url` for `seconds` (undici keep-alive pool, bodies read in full)
 * and counts the answers: a load loop of our own rather than another dependency.
 */
export async function load(
  url: string,
  seconds: number,
  connections: number,
  headers: Record<string, string> = {},
): Promise<LoadResult> {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1 });
  const status: Record<number, number> = {};
  let requests = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  const loop = async () => {
    while (performance.now() < end) {
      const res = await pool.request({ path: target.pathname, method: 'GET', headers });
      for await (const _ of res.body) void _;
      status[res.statusCode] = (status[res.statusCode] ?? 0) + 1;
      requests++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { perSecond: requests / elapsed, requests, status };
}

/** The reference for the feed: a static Node server answering the same bytes, with the same ETag and 304. */
export async function startStaticServer(
  file: string,
  etag: string,
  contentType: string,
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const script = `
    const http = require('node:http'); const fs = require('node:fs');
    const body = fs.readFileSync(${JSON.stringify(file)}); const etag = ${JSON.stringify(etag)};
    http.createServer((req, res) => {
      if (req.headers['if-none-match'] === etag) { res.writeHead(304, { ETag: etag }); return res.end(); }
      res.writeHead(200, { 'Content-Type': ${JSON.stringify(contentType)}, 'Content-Length': body.length, ETag: etag });
      res.end(body);
    }).listen(${port}, '127.0.0.1', () => console.log('ready'));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  return { url: `http://127.0.0.1:${port}/rss.xml`, child };
}

/** `extra` more items, copies of item `model`, each with three settled publications spread over 2025. */
export async function growStore(db: Db, model: number, extra: number): Promise<void> {
  const pg = db.dialect === 'postgres';
  const seq = (n: number) =>
    pg
      ? sql`generate_series(1, ${sql.lit(n)}) AS s(n)`
      : sql`(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${sql.lit(n)}) SELECT n FROM s)`;
  const iso = (seconds: RawBuilder<unknown>) =>
    pg
      ? sql`to_char(to_timestamp(${seconds}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', ${seconds}, 'unixepoch')`;
  const first = 10_000_000;
  await sql`INSERT INTO content_items (id, plan_id, area_key, unit_id, title, body, author, approved_by, approved_at, created_at, updated_at)
    SELECT ${sql.lit(first)} + n, m.plan_id, m.area_key, m.unit_id, m.title, m.body, m.author, m.approved_by, m.approved_at, m.created_at, m.updated_at
    FROM ${seq(extra)}, content_items m WHERE m.id = ${model}`.execute(db.kysely);
  // n * 7919 overflows a 32-bit integer past 271,000 on PostgreSQL: computed in 64 bits.
  const at = pg ? sql`(1735664400 + (n::bigint * 7919) % 31000000)` : sql`(1735664400 + (n * 7919) % 31000000)`;
  await sql`INSERT INTO publications (id, item_id, channel_id, scheduled_at, state, reason, attempts, queued_by, published_at, created_at, updated_at)
    SELECT 'old-' || n, ${sql.lit(first)} + (n - 1) / 3 + 1, CASE WHEN n % 3 = 0 THEN 'radio' ELSE 'rss' END, ${iso(at)},
      CASE WHEN n % 50 = 0 THEN 'failed' ELSE 'published' END, NULL, 1, 'bench', ${iso(sql`${at} + 20`)}, ${iso(at)}, ${iso(at)}
    FROM ${seq(extra * 3)}`.execute(db.kysely);
  // The notes the bulk load left (migration 0021) are cleared by computing the rollup afresh, as after an import.
  await recountReportRollup(db.kysely, db.dialect);
  await sql`ANALYZE`.execute(db.kysely);
}
