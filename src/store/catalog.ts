import { type Kysely, sql } from 'kysely';

import type { DialectName } from './connection';

/**
 * What tables the database holds, read from the database itself (SQLite's catalogue, PostgreSQL's information
 * schema), never from a list in the code: a backup copies every table the migrations made, including ones added after
 * this file was written. Kysely's own bookkeeping (`kysely_migration…`) is left out: a restore rebuilds it by running
 * the migrations.
 */
export interface TableInfo {
  name: string;
  /** In the table's order. */
  columns: string[];
  /** The primary key's columns in key order; every Loa table has one (a backup reads it in key order). */
  primaryKey: string[];
  /** Tables this one references by a foreign key (itself excluded). */
  references: string[];
}

const isLoaTable = (name: string) => !name.startsWith('kysely_') && !name.startsWith('sqlite_');

async function sqliteTables(db: Kysely<any>): Promise<TableInfo[]> {
  const { rows } = await sql<{
    name: string;
  }>`select name from sqlite_master where type = 'table' order by name`.execute(db);
  const tables: TableInfo[] = [];
  for (const { name } of rows.filter((r) => isLoaTable(r.name))) {
    const columns = (
      await sql<{ name: string; pk: number }>`select name, pk from pragma_table_info(${name})`.execute(db)
    ).rows;
    const keys = (await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${name})`.execute(db)).rows;
    tables.push({
      name,
      columns: columns.map((c) => c.name),
      primaryKey: columns
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      references: [...new Set(keys.map((k) => k.table))].filter((t) => t !== name),
    });
  }
  return tables;
}

async function postgresTables(db: Kysely<any>): Promise<TableInfo[]> {
  const names = (
    await sql<{ name: string }>`select table_name as name from information_schema.tables
      where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`.execute(db)
  ).rows.map((r) => r.name);
  const columns = (
    await sql<{ table: string; name: string }>`select table_name as "table", column_name as name
      from information_schema.columns where table_schema = current_schema() order by table_name, ordinal_position`.execute(
      db,
    )
  ).rows;
  const keys = (
    await sql<{ table: string; name: string }>`select k.table_name as "table", k.column_name as name
      from information_schema.table_constraints c
      join information_schema.key_column_usage k on k.constraint_name = c.constraint_name and k.table_schema = c.table_schema
      where c.constraint_type = 'PRIMARY KEY' and c.table_schema = current_schema()
      order by k.table_name, k.ordinal_position`.execute(db)
  ).rows;
  const references = (
    await sql<{
      table: string;
      target: string;
    }>`select conrelid::regclass::text as "table", confrelid::regclass::text as target
      from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace`.execute(db)
  ).rows;
  return names.filter(isLoaTable).map((name) => ({
    name,
    columns: columns.filter((c) => c.table === name).map((c) => c.name),
    primaryKey: keys.filter((k) => k.table === name).map((k) => k.name),
    references: [
      ...new Set(references.filter((r) => r.table === name).map((r) => r.target.replace(/^"|"$/g, ''))),
    ].filter((t) => t !== name),
  }));
}

/**
 * Every Loa table, parents before the tables that reference them, so rows can be inserted in this order with the
 * foreign keys checked as they go.
 */
export async function listTables(db: Kysely<any>, dialect: DialectName): Promise<TableInfo[]> {
  const tables = dialect === 'postgres' ? await postgresTables(db) : await sqliteTables(db);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (table: TableInfo, path: string[]) => {
    if (state.get(table.name) === 'done') return;
    if (state.get(table.name) === 'visiting')
      throw new Error(`khóa ngoại vòng tròn giữa các bảng: ${[...path, table.name].join(' → ')}`);
    state.set(table.name, 'visiting');
    for (const parent of table.references) {
      const known = byName.get(parent);
      if (known) visit(known, [...path, table.name]);
    }
    state.set(table.name, 'done');
    ordered.push(table);
  };
  for (const table of tables) visit(table, []);
  return ordered;
}

/** Row counts of every Loa table (empty tables included). */
export async function countRows(db: Kysely<any>, tables: TableInfo[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await db
      .selectFrom(table.name)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    counts[table.name] = Number(row.n);
  }
  return counts;
}
