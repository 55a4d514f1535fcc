import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';

import type { Db } from './connection';
import * as initial from './migrations/0001-initial';
import * as itemPriority from './migrations/0002-item-priority';
import * as createdBy from './migrations/0003-created-by';
import * as fencedClaims from './migrations/0004-fenced-claims';
import * as channelSecretsAndPause from './migrations/0006-channel-secrets-and-pause';
import * as report from './migrations/0008-report';
import * as sources from './migrations/0009-sources';
import * as accounts from './migrations/0010-accounts';
import * as reportRollup from './migrations/0011-report-rollup';
import * as withdrawalAndOrigins from './migrations/0012-withdrawal-and-origins';
import * as cheaperReportTriggers from './migrations/0013-cheaper-report-triggers';
import * as platformLedger from './migrations/0014-platform-ledger';

/** Versioned migrations, in order. Never edit one that has shipped: add the next. */
const MIGRATIONS = {
  '0001-initial': initial,
  '0002-item-priority': itemPriority,
  '0003-created-by': createdBy,
  '0004-fenced-claims': fencedClaims,
  '0006-channel-secrets-and-pause': channelSecretsAndPause,
  '0008-report': report,
  '0009-sources': sources,
  '0010-accounts': accounts,
  '0011-report-rollup': reportRollup,
  '0012-withdrawal-and-origins': withdrawalAndOrigins,
  '0013-cheaper-report-triggers': cheaperReportTriggers,
  '0014-platform-ledger': platformLedger,
};

class InCodeMigrations implements MigrationProvider {
  constructor(private readonly db: Db) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const dialect = this.db.dialect;
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [
        name,
        { up: (kysely: Kysely<any>) => m.up(kysely, dialect) } satisfies Migration,
      ]),
    );
  }
}

/** Brings the schema up to date; runs on every start and is a no-op the second time. Kysely locks it across processes. */
export async function migrate(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db: db.kysely, provider: new InCodeMigrations(db) });
  const { error, results } = await migrator.migrateToLatest();
  if (error)
    throw new Error(`Không cập nhật được cấu trúc cơ sở dữ liệu (${db.description}): ${String(error)}`, {
      cause: error,
    });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Brings the schema up to `name` and no further: a database as an earlier release left it, for upgrade tests.
 */
export async function migrateTo(db: Db, name: keyof typeof MIGRATIONS): Promise<void> {
  const migrator = new Migrator({ db: db.kysely, provider: new InCodeMigrations(db) });
  const { error } = await migrator.migrateTo(name);
  if (error)
    throw new Error(`Không cập nhật được cấu trúc cơ sở dữ liệu (${db.description}): ${String(error)}`, {
      cause: error,
    });
}
