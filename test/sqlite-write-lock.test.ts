import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import SQLite from 'better-sqlite3';
import { sql } from 'kysely';

import { connect } from '../src/store/connection';

/**
 * Several processes share one SQLite file (the CLI, the desk, workers). A transaction that reads and then writes must
 * not fail because another process wrote in between: SQLite cannot make a deferred transaction's snapshot current, so
 * it answers SQLITE_BUSY at once (busy_timeout does not apply). Loa's transactions take the write lock at BEGIN, so the
 * other writer is the one that waits (here with busy_timeout 0, it is refused at once instead of waiting).
 */
describe('SQLite transactions hold the write lock from their start', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-lock-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a read-then-write transaction commits although another process tried to write between its read and its write', async () => {
    const file = path.join(dir, 'loa.db');
    const db = connect(file);
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    try {
      await sql`create table pauses (reason text not null)`.execute(db.kysely);
      let otherWrite: 'written' | 'refused' = 'written';
      await db.kysely.transaction().execute(async (tx) => {
        const before = await sql<{ n: number }>`select count(*) as n from pauses`.execute(tx);
        expect(before.rows[0]!.n).toBe(0);
        try {
          other.prepare('insert into pauses (reason) values (?)').run('another process');
        } catch (error) {
          expect((error as { code?: string }).code).toBe('SQLITE_BUSY');
          otherWrite = 'refused';
        }
        await sql`insert into pauses (reason) values (${'this transaction'})`.execute(tx);
      });
      expect(otherWrite).toBe('refused');
      const rows = other.prepare('select reason from pauses').all() as Array<{ reason: string }>;
      expect(rows.map((r) => r.reason)).toEqual(['this transaction']);
    } finally {
      other.close();
      await db.close();
    }
  });

  it("a transaction declared read-only (a report's snapshot) does not hold another process's writes off", async () => {
    const file = path.join(dir, 'loa.db');
    const db = connect(file);
    const other = new SQLite(file);
    other.pragma('busy_timeout = 0');
    try {
      await sql`create table pauses (reason text not null)`.execute(db.kysely);
      const seen = await db.kysely
        .transaction()
        .setAccessMode('read only')
        .execute(async (tx) => {
          const first = await sql<{ n: number }>`select count(*) as n from pauses`.execute(tx);
          other.prepare('insert into pauses (reason) values (?)').run('a worker');
          const second = await sql<{ n: number }>`select count(*) as n from pauses`.execute(tx);
          return [first.rows[0]!.n, second.rows[0]!.n];
        });
      // The worker's write went through at once, and the snapshot stayed one snapshot.
      expect(seen).toEqual([0, 0]);
      expect(other.prepare('select count(*) as n from pauses').get()).toEqual({ n: 1 });
    } finally {
      other.close();
      await db.close();
    }
  });
});
