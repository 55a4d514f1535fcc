import path from 'node:path';

/**
 * Jest runs each test file in a realm of its own (its own Error), but a native addon is loaded once per worker
 * process. better-sqlite3 hands its addon the SqliteError class only the first time it is required, so in every
 * later test file of the same worker its errors come from the first file's realm: not `instanceof Error` there, and
 * `expect(…).rejects.toThrow(…)` reports "did not throw" for a statement SQLite refused (the audit trail's triggers,
 * once inside the full suite). Run for every test file (jest.config.js setupFiles): the addon gets this file's class.
 */
export function giveSqliteErrorsThisRealm(): void {
  const root = path.dirname(require.resolve('better-sqlite3/package.json'));
  const addon = require(path.join(root, 'build/Release/better_sqlite3.node')) as {
    setErrorConstructor(c: unknown): void;
    isInitialized?: boolean;
  };
  addon.setErrorConstructor(require('better-sqlite3/lib/sqlite-error'));
  addon.isInitialized = true;
}
