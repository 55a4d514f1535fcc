import {
  DEFAULT_MIGRATION_TABLE,
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  NO_MIGRATIONS,
} from 'kysely';

import { LOA_VERSION } from '../config';
import { OperationalError } from '../domain/errors';
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
import * as unitHistory from './migrations/0015-unit-history';
import * as planOwner from './migrations/0016-plan-owner';
import * as reportRollupOffSettle from './migrations/0021-report-rollup-off-settle';
import * as channelTokenState from './migrations/0022-channel-token-state';
import * as channelConnections from './migrations/0023-channel-connections';
import * as workerHeartbeats from './migrations/0024-worker-heartbeats';
import * as deskIndexes from './migrations/0026-desk-indexes';
import * as dropPublicationsDue from './migrations/0027-drop-publications-due';

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
  '0015-unit-history': unitHistory,
  '0016-plan-owner': planOwner,
  '0021-report-rollup-off-settle': reportRollupOffSettle,
  '0022-channel-token-state': channelTokenState,
  '0023-channel-connections': channelConnections,
  // 0017–0020 were never used: 0021 had shipped, so a later migration takes the next number.
  '0024-worker-heartbeats': workerHeartbeats,
  '0026-desk-indexes': deskIndexes,
  '0027-drop-publications-due': dropPublicationsDue,
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

/** The migrations this Loa knows, in order. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(MIGRATIONS);

/** A schema's version as people read it: the number of its last migration ("0013"), "0000" for none. */
export function schemaVersionOf(names: readonly string[]): string {
  const last = [...names].sort().at(-1);
  return last ? last.slice(0, 4) : '0000';
}

/** This Loa's schema version. */
export const SCHEMA_VERSION = schemaVersionOf(MIGRATION_NAMES);

/** The migrations applied to a database (or to one view of it, a snapshot's transaction), in order; none when it has no tables. */
export async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) return [];
  const rows = await db.selectFrom(DEFAULT_MIGRATION_TABLE).select('name').execute();
  return rows.map((r) => r.name as string).sort();
}

export interface SchemaStatus {
  /** Applied to the database, in order. */
  applied: string[];
  /** Known to this Loa, not yet applied. */
  pending: string[];
  /** Applied by another (newer) Loa, unknown to this one. */
  unknown: string[];
}

export async function schemaStatus(db: Db): Promise<SchemaStatus> {
  const applied = await appliedMigrations(db.kysely);
  return {
    applied,
    pending: MIGRATION_NAMES.filter((name) => !applied.includes(name)),
    unknown: applied.filter((name) => !MIGRATION_NAMES.includes(name)),
  };
}

/**
 * A database a newer Loa has migrated is refused before anything reads or writes it: this Loa does not know what its
 * new tables and columns mean (a column it would not fill, a protocol step it would skip), so running could write
 * wrong rows or post twice. Every process opens its store through migrate(), so every start is checked.
 */
export class SchemaTooNewError extends OperationalError {
  override name = 'SchemaTooNewError';
  constructor(where: string, databaseVersion: string, unknown: string[]) {
    super(
      `cơ sở dữ liệu ${where} đã được một phiên bản Loa mới hơn cập nhật lên cấu trúc ${databaseVersion} ` +
        `(${unknown.join(', ')}), còn Loa ${LOA_VERSION} này chỉ biết tới cấu trúc ${SCHEMA_VERSION}. Loa dừng để không ghi ` +
        `sai dữ liệu: cài phiên bản Loa mà các máy khác đang chạy (cấu trúc ${databaseVersion}), hoặc khôi phục bản sao lưu ` +
        'làm trước khi nâng cấp (loa restore).',
    );
  }
}

export async function assertSchemaNotNewer(db: Db): Promise<SchemaStatus> {
  const status = await schemaStatus(db);
  if (status.unknown.length)
    throw new SchemaTooNewError(db.description, schemaVersionOf(status.applied), status.unknown);
  return status;
}

function migrator(db: Db): Migrator {
  return new Migrator({ db: db.kysely, provider: new InCodeMigrations(db) });
}

function applied(db: Db, { error, results }: MigrationResultSet): string[] {
  if (error)
    throw new Error(`Không cập nhật được cấu trúc cơ sở dữ liệu (${db.description}): ${String(error)}`, {
      cause: error,
    });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Brings the schema up to date; runs on every start and is a no-op the second time. Kysely locks it across processes.
 * A database from a newer Loa is refused first (SchemaTooNewError).
 */
export async function migrate(db: Db): Promise<string[]> {
  await assertSchemaNotNewer(db);
  return applied(db, await migrator(db).migrateToLatest());
}

/** Brings an empty database up to one migration of this Loa (a restore loads a backup at its own schema); null: none. */
export async function migrateTo(db: Db, name: string | null): Promise<string[]> {
  await assertSchemaNotNewer(db);
  return applied(db, await migrator(db).migrateTo(name ?? NO_MIGRATIONS));
}
