import fs from 'node:fs';
import path from 'node:path';

import type SQLiteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  PostgresDialect,
  sql,
  SqliteDialect,
  SqliteDriver,
  type TransactionSettings,
} from 'kysely';

import { DEFAULT_DATABASE } from '../config';
import { ValidationError } from '../domain/errors';
import { maskUrl } from '../domain/secrets';
import { sendRegisteredByName } from './prepared-statements';
import type { Database } from './schema';
import { withStatementCache } from './statement-cache';

export type DialectName = 'sqlite' | 'postgres';

export interface Db {
  kysely: Kysely<Database>;
  dialect: DialectName;
  /** Where it points, without credentials (safe for logs and `loa doctor`). */
  description: string;
  /**
   * A text that changes whenever what this connection can read may have changed: another process's commit, or a
   * write of this one. Equal texts mean equal data, so what was computed from the data may be kept under it
   * (src/http/pages/kept-reads.ts). Read it before the data: what is then read is at least as new as the version.
   */
  version(): Promise<string>;
  close(): Promise<void>;
}

export { DEFAULT_DATABASE };

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/** Hides the password in a database URL. */
export function redactUrl(url: string): string {
  return maskUrl(url);
}

/**
 * A URL of another scheme (mysql://, redis://, http://…) is a mistake, not a SQLite file name: taking it as a path
 * would create folders named after the credentials in it.
 */
function checkDatabaseUrl(url: string): void {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme && scheme.length > 1 && !['postgres', 'postgresql', 'sqlite', 'file'].includes(scheme)) {
    throw new ValidationError(
      'LOA_DATABASE_URL',
      `kiểu địa chỉ "${scheme}:" không được hỗ trợ (${maskUrl(url)}); dùng đường dẫn tệp SQLite như ./data/loa.db hoặc postgres://người-dùng@máy/tên-csdl`,
    );
  }
  if (isPostgresUrl(url)) {
    try {
      new URL(url);
    } catch {
      throw new ValidationError(
        'LOA_DATABASE_URL',
        `địa chỉ PostgreSQL viết sai (${maskUrl(url)}); dạng đúng: postgres://người-dùng:mật-khẩu@máy:5432/tên-csdl`,
      );
    }
  }
}

/**
 * `url` is a SQLite file path (default ./data/loa.db, zero set-up) or a postgres:// URL (for workers on
 * several machines). Both give the same Kysely<Database>: one query layer, one set of migrations.
 */
export interface ConnectOptions {
  /** PostgreSQL: connections in the pool; a worker sizes it from its concurrency. Default 5. */
  poolSize?: number;
  /** Where connection trouble is reported (default stderr). */
  onError?: (error: Error) => void;
  /**
   * PostgreSQL: the publish path's statements are sent as named prepared statements (src/store/prepared-statements.ts).
   * Default true; false only to measure the difference.
   */
  preparedStatements?: boolean;
}

/** The file of a SQLite database URL (`./data/loa.db`, `sqlite:…`, `file:…`). */
export function sqliteFile(url: string): string {
  return url.replace(/^(sqlite|file):(\/\/)?/, '');
}

/**
 * Every SQLite transaction begins IMMEDIATE, taking the write lock at its start. A deferred transaction that reads and
 * then writes cannot wait for the lock once another process has written since its read (SQLite answers SQLITE_BUSY at
 * once, busy_timeout or not, since waiting could not make its snapshot current): `loa pause` beside two running workers
 * failed so in CI. Taken at BEGIN, the lock is waited for under busy_timeout like any single write. A transaction
 * begun with `setAccessMode('read only')` stays deferred.
 *
 * SQLite ends a transaction by itself on some errors (SQLITE_FULL: a full disk or file, SQLITE_IOERR, SQLITE_NOMEM);
 * Kysely's ROLLBACK that follows then fails with "cannot rollback - no transaction is active", and that error, not the
 * one that said why, reached the worker's log. The rollback is skipped when SQLite has already rolled back.
 */
class SqliteDialectForSeveralProcesses extends SqliteDialect {
  constructor(
    private readonly settings: ConstructorParameters<typeof SqliteDialect>[0],
    private readonly raw: SQLiteDatabase.Database,
  ) {
    super(settings);
  }
  override createDriver(): Driver {
    const raw = this.raw;
    return new (class extends SqliteDriver {
      override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
        // A transaction declared read-only (a report's snapshot) stays deferred: it never writes, and must not hold
        // the workers' writes off while it reads.
        const begin = settings?.accessMode === 'read only' ? 'begin' : 'begin immediate';
        await connection.executeQuery(CompiledQuery.raw(begin));
      }
      override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
        if (raw.inTransaction) await super.rollbackTransaction(connection);
      }
    })(this.settings);
  }
}

/**
 * PostgreSQL's version of the data: the current snapshot (xmin:xmax:in-progress ids). Two equal snapshots see the same
 * committed transactions, so the same data; any transaction that writes takes an id and changes it.
 */
async function postgresVersion(kysely: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ v: string }>`select pg_current_snapshot()::text as v`.execute(kysely);
  return rows[0]!.v;
}

/** SQLite connections opened by this process: a version is only comparable with its own connection's. */
let sqliteConnections = 0;

export function connect(url: string = DEFAULT_DATABASE, options: ConnectOptions = {}): Db {
  checkDatabaseUrl(url);
  // Each driver is loaded only when its database is used: a SQLite set-up never loads pg, and the reverse.
  if (isPostgresUrl(url)) {
    const { Pool } = require('pg') as typeof import('pg');
    const pool = new Pool({ connectionString: url, max: options.poolSize ?? 5 });
    // An idle connection dropped by the server (a restart, a failover) is reported here; without a listener Node
    // would end the process. The pool opens a new connection for the next query.
    const report =
      options.onError ?? ((e: Error) => console.error(`Cơ sở dữ liệu: mất một kết nối (${e.message}); sẽ kết nối lại`));
    pool.on('error', report);
    // A connection dropped while it is checked out (a worker's transaction between two statements, waiting on
    // Redis or a platform) emits on the client itself, where the pool listens no more: without this listener the
    // whole worker process ended on a PostgreSQL restart (found by `npm run chaos`). The statement in progress
    // fails on its own; the pool discards the dead client when it is released.
    pool.on('connect', (client) => {
      client.on('error', (error) => report(error));
      if (options.preparedStatements !== false) sendRegisteredByName(client);
    });
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      dialect: 'postgres',
      description: redactUrl(url),
      version: () => postgresVersion(kysely),
      close: () => kysely.destroy(),
    };
  }
  const file = sqliteFile(url);
  if (file !== ':memory:' && fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new ValidationError(
      'LOA_DATABASE_URL',
      `"${path.resolve(file)}" là một thư mục, không phải tệp cơ sở dữ liệu; đặt đường dẫn tới một tệp, ví dụ ${path.join(file, 'loa.db')}`,
    );
  }
  if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const SQLite = require('better-sqlite3') as typeof SQLiteDatabase;
  const database = new SQLite(file);
  // WAL lets the CLI, the HTTP server and workers read while one writes; busy_timeout makes writers queue
  // instead of failing with SQLITE_BUSY when several processes share the file.
  try {
    database.pragma('journal_mode = WAL');
  } catch (error) {
    database.close();
    if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
      throw new ValidationError(
        'LOA_DATABASE_URL',
        `tệp "${path.resolve(file)}" không phải cơ sở dữ liệu SQLite; kiểm tra lại đường dẫn (hoặc xoá tệp nếu nó không dùng vào việc gì khác)`,
      );
    }
    throw error;
  }
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({
    dialect: new SqliteDialectForSeveralProcesses({ database: withStatementCache(database) }, database),
  });
  const connection = ++sqliteConnections;
  const othersCommits = database.prepare('PRAGMA data_version').pluck();
  const ownChanges = database.prepare('SELECT total_changes()').pluck();
  return {
    kysely,
    dialect: 'sqlite',
    description: path.resolve(file),
    // data_version changes when another connection (another process) commits, never for this connection's own
    // commits; total_changes() counts the rows this connection has inserted, updated or deleted. Both belong to this
    // connection, hence its number first.
    version: async () => `${connection}.${othersCommits.get() as number}.${ownChanges.get() as number}`,
    close: () => kysely.destroy(),
  };
}
