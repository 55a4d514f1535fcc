import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { openStore } from './support/open-store';
import { PROJECT, SHARED_REDIS_URL } from './support/services';

function runDemo(
  cwd: string,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), 'demo', ...args], {
      cwd,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function itemCount(url: string): Promise<number> {
  const db = await openStore(url, { defaultUnit: 'Văn phòng UBND' });
  try {
    const row = await db.kysely
      .selectFrom('content_items')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  } finally {
    await db.close();
  }
}

test("loa demo never writes into LOA_DATABASE_URL's database or LOA_EXPORT_DIR: it uses its own unless told", async () => {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-demo-'));
  const real = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-real-')), 'that-ubnd.db');
  const realExports = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-real-exports-'));
  const env = {
    LOA_DATABASE_URL: real,
    LOA_EXPORT_DIR: realExports,
    LOA_REDIS_URL: SHARED_REDIS_URL,
    LOA_QUEUE_PREFIX: `loa-test-${randomBytes(4).toString('hex')}`,
  };
  const result = await runDemo(cwd, env);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.code).toBe(0);
  expect(fs.existsSync(real)).toBe(false);
  expect(fs.readdirSync(realExports)).toEqual([]);
  expect(await itemCount(path.join(cwd, 'data/demo.db'))).toBe(4);
  expect(fs.existsSync(path.join(cwd, 'exports/demo/rss.xml'))).toBe(true);
  expect(result.stdout).toContain(
    `Dữ liệu của demo: ./data/demo.db; kịch bản và nguồn tin: ${path.join(fs.realpathSync(cwd), 'exports/demo')}`,
  );
  // A person reads the demo's output: its steps only, no JSON log line; the worker's lines are in the file it names.
  expect(result.stdout.split('\n').filter((line) => line.trimStart().startsWith('{'))).toEqual([]);
  expect(result.stdout).toContain('Nhật ký của tiến trình đăng bài (dòng JSON): data/demo-worker.log');
  const logLines = fs.readFileSync(path.join(cwd, 'data/demo-worker.log'), 'utf8').trim().split('\n');
  expect(logLines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toContain('đã đăng');
}, 240_000);
