import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { type Config, readConfig } from '../../src/config';
import { startPrivateRedis } from '../../src/queue/private-redis';

export const SHARED_REDIS_URL = process.env.LOA_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const PROJECT = path.resolve(__dirname, '../..');

/** A private redis-server for tests that flush or kill Redis, so they cannot disturb tests running beside them. */
export { startPrivateRedis as privateRedis };

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Polls `check` until it is true; fails with `message` after `timeoutMs`. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  message: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A complete configuration for one test: its own database, queue prefix, export folder. */
export function testConfig(databaseUrl: string, overrides: Partial<Config> = {}): Config {
  const exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-export-'));
  return {
    ...readConfig({}),
    databaseUrl,
    redisUrl: SHARED_REDIS_URL,
    queuePrefix: `loa-test-${randomBytes(4).toString('hex')}`,
    exportDir,
    defaultUnit: 'UBND xã Tân Lập',
    user: 'kiểm thử',
    // The feed looks at the database on every request, so a test sees a publication at once without waiting out
    // LOA_FEED_FRESHNESS_MS; test/feed-freshness.test.ts covers the interval with a clock of its own.
    feedFreshnessMs: 0,
    // No scheduled backup unless a test asks for one (test/daily-backup.test.ts), and never into the project's folder.
    backupDir: `${exportDir}-sao-luu`,
    backupEveryMs: 0,
    ...overrides,
  };
}

/** The environment that makes a `loa` child process use `config`. */
export function envFor(config: Config, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    LOA_DATABASE_URL: config.databaseUrl,
    LOA_REDIS_URL: config.redisUrl,
    LOA_QUEUE_PREFIX: config.queuePrefix,
    LOA_EXPORT_DIR: config.exportDir,
    LOA_UNIT: config.defaultUnit,
    LOA_PUBLIC_URL: config.publicUrl,
    LOA_USER: config.user ?? 'kiểm thử',
    LOA_BACKUP_DIR: config.backupDir,
    LOA_BACKUP_EVERY_MS: String(config.backupEveryMs),
    // The fakes of Zalo and Facebook serve their images on loopback, which the outbound guard refuses by default.
    LOA_OUTBOUND_ALLOW_PRIVATE: '1',
    ...extra,
  };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `loa ARGS` as a person would, in its own process. */
export function runLoa(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), ...args], { env, cwd: PROJECT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Starts `loa worker` in its own process; resolves once it says it is running. */
export async function startWorkerProcess(
  env: NodeJS.ProcessEnv,
  startTimeoutMs = 90_000,
): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), 'worker'], {
    env,
    cwd: PROJECT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor(() => output.includes('đang chạy') || child.exitCode !== null, startTimeoutMs, 'worker did not start');
  if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
  return { child, output: () => output };
}
