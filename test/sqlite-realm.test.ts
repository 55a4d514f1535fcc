import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

import SQLite from 'better-sqlite3';

import { giveSqliteErrorsThisRealm } from './support/sqlite-realm';

const root = path.dirname(require.resolve('better-sqlite3/package.json'));
const addon = require(path.join(root, 'build/Release/better_sqlite3.node')) as {
  setErrorConstructor(c: unknown): void;
};

/** better-sqlite3's SqliteError as an earlier test file of the same worker loaded it: in a realm of its own. */
function sqliteErrorOfAnotherRealm(): unknown {
  const module = { exports: {} as unknown };
  vm.runInNewContext(fs.readFileSync(path.join(root, 'lib/sqlite-error.js'), 'utf8'), { module });
  return module.exports;
}

const refused = () => {
  const database = new SQLite(':memory:');
  try {
    database.exec(
      "CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (1); CREATE TRIGGER t_no_update BEFORE UPDATE ON t BEGIN SELECT RAISE(ABORT, 'không được sửa'); END",
    );
    database.prepare('UPDATE t SET n = 2').run();
  } finally {
    database.close();
  }
};

test('a statement SQLite refuses throws an Error of this test file, even after another file set the addon up', () => {
  addon.setErrorConstructor(sqliteErrorOfAnotherRealm());
  // What a test file saw when it was not the first of its worker to load better-sqlite3.
  expect(refused).not.toThrow(Error);
  giveSqliteErrorsThisRealm();
  expect(refused).toThrow(/không được sửa/);
  expect(refused).toThrow(SQLite.SqliteError);
});
