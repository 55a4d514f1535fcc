import fs from 'node:fs';

import { sql } from 'kysely';

import { FileThread } from '../channels/radio/file-thread';
import { freeSpaceCheck } from '../src/cli/free-space';
import { listPublications, schedulePublications } from '../src/store/publications';
import { publishOne } from '../worker/publish-job';
import { startWorker } from '../worker/worker';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, runLoa, waitFor } from './support/services';
import { freshStore, publishDeps } from './support/store-fixture';

/**
 * A full disk, made without filling the machine's disk: under the export folder, the system's
 * ENOSPC is raised at the file-write seams (the radio's file thread, fs.writeFileSync, fs.promises.writeFile) for paths
 * in that folder only; under a SQLite database, SQLite's own limit on the file's pages (PRAGMA max_page_count) gives the
 * real SQLITE_FULL a full disk gives.
 */

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  test('a full disk under the export folder: loa log gives the reason in Vietnamese, naming the folder, no temporary file', async () => {
    const store = await freshStore(kind);
    const full = (file: unknown) =>
      Object.assign(new Error(`ENOSPC: no space left on device, open '${String(file)}'`), {
        code: 'ENOSPC',
        errno: -28,
        syscall: 'open',
        path: String(file),
      });
    const inExports = (file: unknown) => String(file).startsWith(store.config.exportDir);
    // The seams: a station's script and sidecar are created on the radio's file thread (its writes refused here as
    // the thread passes on a system error: code, call and path), the programme with the synchronous calls, the
    // day's stale mark asynchronously.
    const threadWrite = FileThread.prototype.write;
    const threadSpy = jest.spyOn(FileThread.prototype, 'write').mockImplementation(function (this: FileThread, files) {
      const refused = files.find(([file]) => inExports(file));
      return refused ? Promise.reject(full(refused[0])) : threadWrite.call(this, files);
    });
    const write = fs.writeFileSync;
    const writeAsync = fs.promises.writeFile;
    const spy = jest.spyOn(fs, 'writeFileSync').mockImplementation((file, ...rest) => {
      if (inExports(file)) throw full(file);
      return write(file, ...rest);
    });
    const asyncSpy = jest
      .spyOn(fs.promises, 'writeFile')
      .mockImplementation((file, ...rest) =>
        inExports(file) ? Promise.reject(full(file)) : writeAsync(file, ...rest),
      );
    try {
      const [itemId] = await seedItems(store.db.kysely, 1);
      const { created } = await schedulePublications(
        store.db.kysely,
        [{ itemId: itemId!, channelId: 'radio', scheduledAt: new Date(Date.now() - 1_000) }],
        'kiểm thử',
      );
      await expect(publishOne(publishDeps(store.db, store.config), created[0]!.id, true)).rejects.toThrow();
      expect(threadSpy).toHaveBeenCalled();
    } finally {
      threadSpy.mockRestore();
      spy.mockRestore();
      asyncSpy.mockRestore();
    }
    try {
      const json = await runLoa(['log', '--json'], envFor(store.config));
      const [entry] = JSON.parse(json.stdout) as Array<{ state: string; attemptError: string | null }>;
      expect(entry!.state).toBe('failed');
      expect(entry!.attemptError).toMatch(/^ổ đĩa chứa thư mục .* đã đầy \(ENOSPC\): không ghi được tệp/);
      expect(entry!.attemptError).toContain(store.config.exportDir);
      expect(entry!.attemptError).not.toMatch(/\.tmp|no space left/);
      const table = await runLoa(['log'], envFor(store.config));
      expect(table.stdout).toContain('ổ đĩa chứa thư mục');
      expect(table.stdout).not.toContain('.tmp');
    } finally {
      await store.dispose();
    }
  });
});

test('a full disk under the SQLite database: the worker says so in Vietnamese, not "cannot rollback", and goes on once there is room', async () => {
  const store = await freshStore('sqlite');
  const lines: string[] = [];
  const worker = await startWorker(store.config, { log: (level, message) => lines.push(`${level} ${message}`) });
  const failures: string[] = [];
  worker.events.on('failed', (_id, message) => failures.push(message));
  try {
    const items = await seedItems(store.db.kysely, 40);
    // The worker's own connection may not grow the file any more: every new page it needs is refused, as on a full disk.
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(worker.db.kysely);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(worker.db.kysely);
    await schedulePublications(
      store.db.kysely,
      items.map((itemId) => ({ itemId, channelId: 'rss', scheduledAt: new Date(Date.now() + 500) })),
      'kiểm thử',
    );
    await worker.schedule();
    await waitFor(
      () => lines.some((l) => l.includes('đã đầy')),
      30_000,
      `never said the disk is full: ${lines.join('\n')}`,
    );
    const said = lines.filter((l) => l.includes('đã đầy'));
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(
      /^error Ổ đĩa chứa cơ sở dữ liệu .*loa\.db đã đầy: không ghi được kết quả đăng bài\. Giải phóng chỗ trống/,
    );
    expect([...lines, ...failures].join('\n')).not.toContain('cannot rollback');
    // Room again: everything goes out.
    await sql.raw('pragma max_page_count = 1073741823').execute(worker.db.kysely);
    await waitFor(
      async () => (await listPublications(store.db.kysely, { states: ['published'] })).length === items.length,
      60_000,
      'not everything was published once there was room',
    );
  } finally {
    await worker.stop();
    await store.dispose();
  }
});

test('a transaction SQLite rolled back itself on a full disk fails with SQLITE_FULL, not "cannot rollback"', async () => {
  const store = await freshStore('sqlite');
  try {
    const db = store.db.kysely;
    await sql`create table bulky (x text)`.execute(db);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);
    // Large enough to spill from SQLite's cache mid-transaction: SQLite then ends the transaction itself on SQLITE_FULL.
    const failure = await db
      .transaction()
      .execute(async (tx) => {
        for (let i = 0; i < 200; i++) await sql`insert into bulky values (${'x'.repeat(4000)})`.execute(tx);
      })
      .catch((error: unknown) => error as { code?: string; message?: string });
    expect(failure).toMatchObject({ code: 'SQLITE_FULL' });
    await sql.raw('pragma max_page_count = 1073741823').execute(db);
    await expect(sql`select count(*) as n from bulky`.execute(db)).resolves.toMatchObject({ rows: [{ n: 0 }] });
  } finally {
    await store.dispose();
  }
});

test('loa doctor checks the free space under a folder, not only that it is writable', () => {
  const dir = fs.mkdtempSync('/tmp/loa-cho-trong-');
  expect(freeSpaceCheck(dir, 'Thư mục xuất', () => ({ bavail: 10, bsize: 4096 }))).toMatchObject({
    verdict: 'error',
    what: `Thư mục xuất ${dir}: ổ đĩa gần đầy, chỉ còn 0 MB trống`,
  });
  expect(freeSpaceCheck(dir, 'Thư mục xuất', () => ({ bavail: 500 * 256, bsize: 4096 })).verdict).toBe('warn');
  expect(freeSpaceCheck(dir, 'Thư mục xuất').what).toMatch(/còn .* trống/);
});
