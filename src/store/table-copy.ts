import { type Kysely, sql } from 'kysely';

import type { TableInfo } from './catalog';
import type { DialectName } from './connection';

/** Rows per read (and per backup file entry): bounded memory whatever the table's size. */
export const ROWS_PER_CHUNK = 5_000;

/** Bound values per INSERT, under both databases' limits (SQLite 32,766, PostgreSQL 65,535). */
const VALUES_PER_INSERT = 10_000;

/**
 * Reads a table in primary-key order, a chunk at a time, each chunk after the last key of the one before (keyset
 * paging: every read costs the same however deep into the table). Rows are arrays in `table.columns` order.
 * Inside a snapshot (a repeatable-read transaction, or a copy of a SQLite file) the chunks add up to one moment.
 */
export async function* readTable(db: Kysely<any>, table: TableInfo): AsyncGenerator<unknown[][]> {
  const key = table.primaryKey.length ? table.primaryKey : table.columns;
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  const order = sql.join(key.map((c) => sql.ref(c)));
  const keyIndex = key.map((c) => table.columns.indexOf(c));
  let after: unknown[] | null = null;
  for (;;) {
    const where: ReturnType<typeof sql> = after ? sql`where (${order}) > (${sql.join(after)})` : sql``;
    const { rows } = await sql<
      Record<string, unknown>
    >`select ${columns} from ${sql.table(table.name)} ${where} order by ${order} limit ${ROWS_PER_CHUNK}`.execute(db);
    if (rows.length === 0) return;
    const arrays = rows.map((row) => table.columns.map((c) => row[c] ?? null));
    yield arrays;
    if (rows.length < ROWS_PER_CHUNK) return;
    const last = arrays[arrays.length - 1]!;
    after = keyIndex.map((i) => last[i]);
  }
}

/** Inserts rows (arrays in `columns` order) as they are, ids included. */
export async function insertRows(db: Kysely<any>, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const perInsert = Math.max(1, Math.floor(VALUES_PER_INSERT / columns.length));
  for (let start = 0; start < rows.length; start += perInsert) {
    const values = rows
      .slice(start, start + perInsert)
      .map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
    await db.insertInto(table).values(values).execute();
  }
}

/**
 * Runs `work` with the tables' own triggers off (the report rollup's, the audit trail's append-only guard): a restore
 * loads the rollup tables as they were, so triggers firing on the raw rows would count everything twice. SQLite has
 * no switch, so its triggers are dropped and made again from their own SQL; PostgreSQL disables the user triggers of
 * each table (foreign keys stay checked). Call it inside a transaction: a failure leaves the triggers as they were.
 */
export async function withoutTriggers<T>(
  tx: Kysely<any>,
  dialect: DialectName,
  tables: TableInfo[],
  work: () => Promise<T>,
): Promise<T> {
  if (dialect === 'postgres') {
    for (const table of tables) await sql`alter table ${sql.table(table.name)} disable trigger user`.execute(tx);
    const result = await work();
    for (const table of tables) await sql`alter table ${sql.table(table.name)} enable trigger user`.execute(tx);
    return result;
  }
  const { rows: triggers } = await sql<{
    name: string;
    sql: string;
  }>`select name, sql from sqlite_master where type = 'trigger'`.execute(tx);
  for (const trigger of triggers) await sql`drop trigger ${sql.id(trigger.name)}`.execute(tx);
  const result = await work();
  for (const trigger of triggers) await sql.raw(trigger.sql).execute(tx);
  return result;
}

/**
 * PostgreSQL's serial columns draw from sequences that an insert with explicit ids does not move: each is set past
 * the largest id, or the next new row would collide with a restored one. (SQLite's AUTOINCREMENT follows by itself.)
 */
export async function advanceSequences(tx: Kysely<any>, dialect: DialectName): Promise<void> {
  if (dialect !== 'postgres') return;
  const { rows } = await sql<{ table: string; column: string }>`select table_name as "table", column_name as "column"
    from information_schema.columns where table_schema = current_schema() and column_default like 'nextval(%'`.execute(
    tx,
  );
  for (const { table, column } of rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}), coalesce((select max(${sql.ref(column)}) from ${sql.table(table)}), 0) + 1, false)`.execute(
      tx,
    );
  }
}
