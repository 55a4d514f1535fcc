import type SQLiteDatabase from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct SQL texts kept prepared. Loa's queries are a few hundred shapes; IN lists of other lengths are new texts. */
const DEFAULT_CAPACITY = 500;

/**
 * better-sqlite3 under Kysely, with its prepared statements kept. Kysely's SQLite driver calls `prepare(sql)` for
 * every query and better-sqlite3 compiles each call afresh; on the publish path that compile cost more than running
 * the statement. A statement is reused only on the one connection it was prepared on, and Kysely's SQLite driver
 * runs one query at a time on it, so a statement is never bound twice at once. The least recently used text is
 * dropped when the cache is full (SQLite re-prepares a kept statement by itself after a schema change).
 */
export function withStatementCache(database: SQLiteDatabase.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql); // re-inserted below: the Map's order is the order of last use
      } else {
        statement = database.prepare(sql) as unknown as SqliteStatement;
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
    close(): void {
      statements.clear();
      database.close();
    },
  };
}
