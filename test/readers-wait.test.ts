import { spawn } from 'node:child_process';

import { schedulePublications } from '../src/store/publications';
import { DATABASE_KINDS } from './support/databases';
import { seedItems } from './support/seed';
import { envFor, PROJECT, runLoa, stopChild, waitFor } from './support/services';
import { freshStore } from './support/store-fixture';

/**
 * `loa log` while another process holds a write transaction longer than SQLite's busy timeout (10 s) (issue 30, item
 * 8): it used to fail with "database is locked", because opening the store wrote (the unit, the content areas) even
 * when nothing had changed. A reader now reads first and writes nothing, so it answers without waiting.
 */

/** Another process: one write transaction on the units and content areas, held for `holdMs`, then committed. */
function holdWriteTransaction(kind: 'sqlite' | 'postgres', url: string, holdMs: number) {
  const script =
    kind === 'sqlite'
      ? `const db = new (require('better-sqlite3'))(${JSON.stringify(url)});
         db.pragma('busy_timeout = 10000');
         db.exec('begin immediate'); db.exec('update units set name = name'); db.exec('update content_areas set name = name');
         console.log('holding');
         setTimeout(() => { db.exec('commit'); console.log('released'); }, ${holdMs});`
      : `const { Client } = require('pg'); const client = new Client({ connectionString: ${JSON.stringify(url)} });
         (async () => { await client.connect(); await client.query('begin');
           await client.query('update units set name = name'); await client.query('update content_areas set name = name');
           console.log('holding');
           setTimeout(async () => { await client.query('commit'); console.log('released'); await client.end(); }, ${holdMs}); })();`;
  const child = spawn(process.execPath, ['-e', script], { cwd: PROJECT });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

describe.each(DATABASE_KINDS)('on %s', (kind) => {
  test('loa log answers while another process holds a long write transaction', async () => {
    const store = await freshStore(kind);
    const [itemId] = await seedItems(store.db.kysely, 1);
    await schedulePublications(
      store.db.kysely,
      [{ itemId: itemId!, channelId: 'rss', scheduledAt: new Date(Date.now() + 3_600_000) }],
      'kiểm thử',
    );
    const holder = holdWriteTransaction(kind, store.database.url, 25_000);
    try {
      await waitFor(() => holder.output().includes('holding'), 10_000, `the holder did not start: ${holder.output()}`);
      const log = await runLoa(['log'], envFor(store.config));
      expect(log.stderr).toBe('');
      expect(log.code).toBe(0);
      expect(log.stdout).toContain('Bài 1');
      // It answered while the write transaction was still open.
      expect(holder.output()).not.toContain('released');
    } finally {
      await stopChild(holder.child);
      await store.dispose();
    }
  });
});
