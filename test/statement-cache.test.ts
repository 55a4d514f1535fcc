import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect } from 'kysely';

import { withStatementCache } from '../src/store/statement-cache';

/** Kysely's SQLite driver prepares every query it runs; the cache makes a repeated query reuse its statement. */
function countingDatabase() {
  const database = new SQLite(':memory:');
  let prepared = 0;
  const prepare = database.prepare.bind(database);
  database.prepare = ((text: string) => {
    prepared++;
    return prepare(text);
  }) as typeof database.prepare;
  return { database, prepared: () => prepared };
}

test('a query run again reuses its prepared statement, with new values each time', async () => {
  const counting = countingDatabase();
  const db = new Kysely<{ t: { n: number } }>({
    dialect: new SqliteDialect({ database: withStatementCache(counting.database) }),
  });
  await sql`create table t (n integer)`.execute(db);
  for (let n = 1; n <= 5; n++) await db.insertInto('t').values({ n }).execute();
  const rows = await db.selectFrom('t').select('n').where('n', '>', 2).execute();
  expect(rows.map((r) => r.n)).toEqual([3, 4, 5]);
  expect(counting.prepared()).toBe(3); // create, insert, select: the insert prepared once for five runs
  await db.destroy();
});

test('the least recently used statement is dropped when the cache is full', async () => {
  const counting = countingDatabase();
  const db = new Kysely<{ t: { n: number } }>({
    dialect: new SqliteDialect({ database: withStatementCache(counting.database, 2) }),
  });
  await sql`create table t (n integer)`.execute(db);
  const select = () => db.selectFrom('t').select('n').execute();
  const count = () =>
    db
      .selectFrom('t')
      .select((eb) => eb.fn.countAll().as('c'))
      .execute();
  await select(); // cache: create, select
  await count(); // cache: select, count (create dropped)
  await select(); // kept
  expect(counting.prepared()).toBe(3);
  await sql`create table u (n integer)`.execute(db); // drops count
  await count();
  expect(counting.prepared()).toBe(5);
  await db.destroy();
});
