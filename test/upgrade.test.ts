import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ChannelError } from '../channels';
import { restoreBackup } from '../src/backup/restore';
import { takeBackup } from '../src/backup/take-backup';
import { listTables } from '../src/store/catalog';
import { connect, type Db } from '../src/store/connection';
import { MIGRATION_NAMES, schemaStatus } from '../src/store/migrate';
import { findOwedJobs } from '../src/store/publications';
import { readTable } from '../src/store/table-copy';
import { publishOne } from '../worker/publish-job';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { testConfig } from './support/services';
import { publishDeps } from './support/store-fixture';

/**
 * A database written by the previous release (Loa 0.1.0 at commit 7571f7a, schema 0013; made by
 * test/fixtures/upgrade/make-fixture.ts with that release's own code), with a publication in every state, upgraded
 * by this one: on SQLite in place, on PostgreSQL through a backup of it restored (the move to several machines).
 */
const FIXTURE = path.join(__dirname, 'fixtures/upgrade/loa-0.1.0');

/** The fixture's publications and every row of every table, read without migrating it. */
async function readFixture(): Promise<{
  states: Record<string, string>;
  rows: Record<string, Array<Record<string, unknown>>>;
}> {
  const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-fixture-')), 'loa.db');
  fs.copyFileSync(path.join(FIXTURE, 'loa.db'), copy);
  const db = connect(copy);
  try {
    return { states: await statesOf(db), rows: await rowsOf(db) };
  } finally {
    await db.close();
  }
}

async function statesOf(db: Db): Promise<Record<string, string>> {
  const rows = await db.kysely.selectFrom('publications').select(['id', 'state']).orderBy('id').execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.state]));
}

async function rowsOf(db: Db): Promise<Record<string, Array<Record<string, unknown>>>> {
  const out: Record<string, Array<Record<string, unknown>>> = {};
  for (const table of await listTables(db.kysely, db.dialect)) {
    out[table.name] = [];
    for await (const rows of readTable(db.kysely, table))
      out[table.name]!.push(...rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i]]))));
  }
  return out;
}

/** Upgrades the fixture into a database of `kind`; returns its URL and export folder. */
async function upgrade(kind: 'sqlite' | 'postgres', target: TestDatabase): Promise<{ exportDir: string }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-upgrade-'));
  const exportDir = path.join(work, 'exports');
  fs.cpSync(path.join(FIXTURE, 'exports'), exportDir, { recursive: true });
  if (kind === 'sqlite') {
    fs.copyFileSync(path.join(FIXTURE, 'loa.db'), target.url);
    await openStore(target.url, { defaultUnit: 'UBND xã Tân Lập' }).then((db) => db.close());
    return { exportDir };
  }
  // PostgreSQL cannot open a SQLite file: the old database is backed up as it is (not migrated) and restored.
  const old = path.join(work, 'old.db');
  fs.copyFileSync(path.join(FIXTURE, 'loa.db'), old);
  const file = path.join(work, 'old.tar.gz');
  await takeBackup({ ...testConfig(old), exportDir }, file);
  const restoredExports = path.join(work, 'restored-exports');
  await restoreBackup({ ...testConfig(target.url), exportDir: restoredExports }, file);
  return { exportDir: restoredExports };
}

describe.each(DATABASE_KINDS)('upgrading the previous release’s database on %s', (kind) => {
  let target: TestDatabase;
  beforeEach(async () => {
    target = await freshDatabase(kind);
  });
  afterEach(() => target.drop());

  test('every row is kept, every state too, and nothing that went out or was settled is sent again', async () => {
    const before = await readFixture();
    expect(new Set(Object.values(before.states))).toEqual(
      new Set([
        'scheduled',
        'queued',
        'publishing',
        'published',
        'failed',
        'unconfirmed',
        'cancelled',
        'expired',
        'withdrawn',
      ]),
    );
    const { exportDir } = await upgrade(kind, target);
    const config = testConfig(target.url, { exportDir });
    const db = await openStore(target.url, { defaultUnit: config.defaultUnit });
    try {
      expect((await schemaStatus(db)).applied).toEqual([...MIGRATION_NAMES].sort());
      expect(await statesOf(db)).toEqual(before.states);
      const after = await rowsOf(db);
      for (const [table, rows] of Object.entries(before.rows)) {
        // Columns a later migration added are new; the old ones keep their values.
        const kept = (after[table] ?? []).map((row) =>
          Object.fromEntries(Object.keys(rows[0] ?? {}).map((c) => [c, row[c]])),
        );
        expect({ table, rows: kept }).toEqual({ table, rows });
      }
      // The Page's fake counts every call: nothing settled reaches it again, whatever the job queue still holds.
      let pageCalls = 0;
      const deps = publishDeps(db, config);
      deps.adapters.facebook = {
        platform: 'facebook',
        idempotent: false,
        render: async (post) => post.item.title,
        publish: async () => {
          pageCalls += 1;
          throw new ChannelError('bad-content', 'không được gọi');
        },
      };
      const settled = Object.entries(before.states).filter(
        ([, state]) => !['scheduled', 'queued', 'publishing'].includes(state),
      );
      for (const [id] of settled) await publishOne(deps, id, true).catch((error: Error) => error);
      expect(pageCalls).toBe(0);
      expect(await statesOf(db)).toEqual(before.states);
      // The queue rebuild owes only what has not gone out, and the claim a dead worker left (its lease long over), which
      // the publish procedure reconciles before any resend.
      const owed = await findOwedJobs(db.kysely, new Date(Date.UTC(2040, 0, 1)), { includeQueued: true });
      expect(owed.map((o) => before.states[o.id]).sort()).toEqual(['publishing', 'queued', 'scheduled']);
      expect(fs.readdirSync(exportDir, { recursive: true }).length).toBeGreaterThan(0);
    } finally {
      await db.close();
    }
  });
});
