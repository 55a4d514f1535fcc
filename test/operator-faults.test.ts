import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { freePort } from '../src/queue/private-redis';
import { DATABASE_KINDS, freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { envFor, PROJECT, runLoa, stopChild, testConfig, waitFor } from './support/services';

/** Faults an operator meets, each seen the way the operator sees it: through the `loa` command. */

test('loa doctor finds damaged pages in a SQLite file and says to stop and restore the last backup', async () => {
  const database = await freshDatabase('sqlite');
  try {
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await seedItems(db.kysely, 400);
    await db.close();
    // Three data pages near the end of the file (the items' rows; the schema at the start stays readable).
    const size = fs.statSync(database.url).size;
    const handle = fs.openSync(database.url, 'r+');
    for (const page of [3, 5, 7]) fs.writeSync(handle, Buffer.alloc(4096, 0x5a), 0, 4096, size - page * 4096);
    fs.closeSync(handle);
    const doctor = await runLoa(['doctor'], envFor(testConfig(database.url)));
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/✗ Cơ sở dữ liệu .* bị hỏng \(PRAGMA quick_check: /);
    expect(doctor.stdout).toContain('khôi phục bản sao lưu gần nhất');
  } finally {
    await database.drop();
  }
});

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  test('loa doctor names the port of LOA_REDIS_URL and the age of the last backup', async () => {
    const database = await freshDatabase(kind);
    try {
      const port = await freePort();
      const backupDir = fs.mkdtempSync(path.join(path.dirname(testConfig(database.url).exportDir), 'loa-bk-'));
      const env = envFor(testConfig(database.url, { redisUrl: `redis://127.0.0.1:${port}` }), {
        LOA_BACKUP_DIR: backupDir,
      });
      const none = await runLoa(['doctor'], env);
      expect(none.stdout).toContain(`--port ${port} `);
      expect(none.stdout).not.toContain('--port 6379');
      expect(none.stdout).toContain(`! Chưa có bản sao lưu nào trong ${backupDir}`);
      const backup = await runLoa(['backup'], env);
      expect(backup.stdout).toContain('Khóa LOA_SECRET_KEY không bao giờ được ghi vào bản sao lưu');
      expect((await runLoa(['doctor'], env)).stdout).toMatch(/✓ Bản sao lưu gần nhất: loa-\d{8}-\d{6}\.tar\.gz/);
    } finally {
      await database.drop();
    }
  });
});

test('a worker started while Redis is down waits for it, then publishes as usual', async () => {
  const database = await freshDatabase('sqlite');
  const port = await freePort();
  const env = envFor(testConfig(database.url, { redisUrl: `redis://127.0.0.1:${port}` }));
  const worker = spawn(process.execPath, [path.join(PROJECT, 'bin/loa.js'), 'worker'], { env, cwd: PROJECT });
  let output = '';
  worker.stdout.on('data', (d: Buffer) => (output += d.toString()));
  worker.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let redis: ReturnType<typeof spawn> | undefined;
  try {
    await waitFor(
      () => output.includes('chờ Redis') || worker.exitCode !== null,
      60_000,
      'worker did not say it waits',
    );
    expect(worker.exitCode).toBeNull();
    redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no']);
    await waitFor(() => output.includes('đang chạy') || worker.exitCode !== null, 90_000, 'worker did not start');
    expect(output).toContain('đã kết nối được Redis');
    expect(worker.exitCode).toBeNull();
  } finally {
    await stopChild(worker);
    if (redis) await stopChild(redis);
    await database.drop();
  }
});
