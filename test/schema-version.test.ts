import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';

import { connect } from '../src/store/connection';
import { migrateTo, MIGRATION_NAMES, SCHEMA_VERSION, schemaStatus, SchemaTooNewError } from '../src/store/migrate';
import { DATABASE_KINDS, freshDatabase, type TestDatabase } from './support/databases';
import { openStore } from './support/open-store';
import { envFor, runLoa, testConfig } from './support/services';

describe.each(DATABASE_KINDS)('schema versions on %s', (kind) => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await freshDatabase(kind);
  });
  afterEach(() => database.drop());

  test('a database a newer Loa migrated is refused at every start, naming both versions', async () => {
    const db = await openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' });
    await sql`insert into kysely_migration (name, timestamp) values ('0099-tuong-lai', ${new Date().toISOString()})`.execute(
      db.kysely,
    );
    await db.close();
    await expect(openStore(database.url, { defaultUnit: 'UBND xã Tân Lập' })).rejects.toThrow(SchemaTooNewError);
    const env = envFor(testConfig(database.url));
    const plans = await runLoa(['plans'], env);
    expect(plans.code).toBe(1);
    expect(plans.stderr).toContain(
      `cấu trúc 0099 (0099-tuong-lai), còn Loa 0.1.0 này chỉ biết tới cấu trúc ${SCHEMA_VERSION}`,
    );
    const status = await runLoa(['migrate', '--status'], env);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('Loa này không biết): 0099-tuong-lai');
  });

  test('loa migrate --status lists what is pending; loa migrate backs up first, then applies it', async () => {
    const previous = MIGRATION_NAMES.at(-2)!;
    const db = connect(database.url);
    await migrateTo(db, previous);
    await db.close();
    const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-migrate-'));
    const env = envFor(testConfig(database.url), { LOA_BACKUP_DIR: backupDir });
    const status = await runLoa(['migrate', '--status'], env);
    expect(status.stdout).toContain(`Còn chờ (1):\n  - ${MIGRATION_NAMES.at(-1)}`);
    const migrated = await runLoa(['migrate'], env);
    expect(migrated.stderr).toBe('');
    expect(migrated.stdout).toContain('Đã sao lưu trước khi cập nhật');
    expect(migrated.stdout).toContain(`lên ${SCHEMA_VERSION}: ${MIGRATION_NAMES.at(-1)}`);
    expect(
      fs.readdirSync(backupDir).filter((f) => f.startsWith('loa-truoc-cap-nhat-') && f.endsWith('.tar.gz')),
    ).toHaveLength(1);
    const after = connect(database.url);
    try {
      expect((await schemaStatus(after)).pending).toEqual([]);
    } finally {
      await after.close();
    }
  });
});
