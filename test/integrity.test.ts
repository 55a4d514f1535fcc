import fs from 'node:fs';

import SQLite from 'better-sqlite3';
import { sql } from 'kysely';

import { buildServer } from '../src/http/server';
import { freePort } from '../src/queue/private-redis';
import { listAttempts } from '../src/store/attempts';
import { listPublications, schedulePublications } from '../src/store/publications';
import { startWorker } from '../worker/worker';
import { freshDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { seedItems } from './support/seed';
import { envFor, runLoa, testConfig, waitFor } from './support/services';

/**
 * A damaged SQLite file: refused at start, and a process that meets the damage while running stops
 * writing and says what to do. The damage is real: garbage written over the root pages of tables in the file.
 */

/** Writes garbage over the first (root) page of each table, as a failing disk or a bad copy would. */
function damageTables(file: string, tables: string[]): void {
  const reader = new SQLite(file, { readonly: true, fileMustExist: true });
  const pageSize = reader.pragma('page_size', { simple: true }) as number;
  const roots = tables.map(
    (name) =>
      (reader.prepare('select rootpage from sqlite_master where name = ?').get(name) as { rootpage: number }).rootpage,
  );
  reader.close();
  const handle = fs.openSync(file, 'r+');
  for (const page of roots) fs.writeSync(handle, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  fs.closeSync(handle);
}

async function seeded(count: number) {
  const database = await freshDatabase('sqlite');
  const config = testConfig(database.url);
  const db = await openStore(database.url, { defaultUnit: config.defaultUnit });
  const items = await seedItems(db.kysely, count);
  return { database, config, db, items };
}

test('loa worker and loa serve refuse to start on a damaged file, saying to restore the last backup', async () => {
  const { database, config, db } = await seeded(50);
  await db.close();
  damageTables(database.url, ['content_items']);
  try {
    const env = envFor(config, { LOA_PORT: String(await freePort()) });
    for (const command of [['worker'], ['serve']]) {
      const run = await runLoa(command, env);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/cơ sở dữ liệu .* bị hỏng \(PRAGMA quick_check: /);
      expect(run.stderr).toContain('loa restore');
    }
    const doctor = await runLoa(['doctor'], env);
    expect(doctor.stdout).toMatch(/✗ Cơ sở dữ liệu .* bị hỏng/);
    expect(doctor.stdout).not.toContain('quyền ghi');
  } finally {
    await database.drop();
  }
});

test('loa serve meets the damage on a read: it stops taking writes (503, what to do) and health says so', async () => {
  const { database, config, db, items } = await seeded(5);
  await schedulePublications(
    db.kysely,
    items.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: new Date(Date.now() + 3_600_000) })),
    'kiểm thử',
  );
  await db.close();
  damageTables(database.url, ['content_items', 'publications']);
  // Opened as a server already running would be: its start-up check is not what this test is about.
  const damaged = await openStore(database.url, { defaultUnit: config.defaultUnit });
  const app = await buildServer(damaged, config);
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const before = await fetch(`${base}/api/items`, { method: 'POST' });
    expect(before.status).toBe(401);
    expect((await fetch(`${base}/rss.xml`)).status).toBe(500);
    const write = await fetch(`${base}/api/items`, { method: 'POST' });
    expect(write.status).toBe(503);
    const { error } = (await write.json()) as { error: { message: string } };
    expect(error.message).toMatch(/bị hỏng .*khôi phục bản sao lưu gần nhất.*loa restore/);
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(503);
    expect(((await health.json()) as { writesStopped?: string }).writesStopped).toContain('loa restore');
  } finally {
    await app.close();
    await damaged.close();
    await database.drop();
  }
});

test('a running worker that meets the damage stops claiming and says in its log what to do', async () => {
  const { database, config, db, items } = await seeded(4);
  const lines: string[] = [];
  const failures: string[] = [];
  const worker = await startWorker(config, {
    log: (level, message) => lines.push(`${level} ${message}`),
    listen: (events) => events.on('failed', (id) => failures.push(id)),
  });
  try {
    const first = Date.now() + 1_500;
    await schedulePublications(
      db.kysely,
      items.map((itemId, i) => ({ itemId, channelId: 'rss', scheduledAt: new Date(first + i * 1_500) })),
      'kiểm thử',
    );
    await worker.schedule();
    // The items' pages go bad under the running worker. A write by another connection makes it drop the pages it had
    // kept in memory (SQLite does so when the WAL changed), so its next read of an item meets the damage on disk.
    // (Every page is first moved from the WAL into the file, where the damage goes.)
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db.kysely);
    damageTables(database.url, ['content_items']);
    await sql`update units set name = name`.execute(db.kysely);
    await waitFor(() => lines.some((l) => l.includes('bị hỏng')), 20_000, 'the worker never met the damage').catch(
      (error: Error) => {
        throw new Error(`${error.message}: ${lines.join('\n')}`);
      },
    );
    const said = lines.find((l) => l.includes('bị hỏng'))!;
    expect(said).toMatch(/^error .*khôi phục bản sao lưu gần nhất.*loa restore/);
    // Publications due after that are left alone: not tried (only the one that met the damage failed), no attempt.
    await new Promise((resolve) => setTimeout(resolve, first + 4 * 1_500 + 1_000 - Date.now()));
    const publications = await listPublications(db.kysely);
    const untouched = publications.filter((p) => p.state === 'queued');
    expect(untouched.length).toBeGreaterThanOrEqual(2);
    for (const p of untouched) expect(await listAttempts(db.kysely, p.id)).toEqual([]);
    expect(new Set(failures).size).toBe(1);
  } finally {
    await worker.stop();
    await db.close();
    await database.drop();
  }
});
