/** Tests run against real Redis, SQLite and PostgreSQL; type checking is done once by `tsc` in scripts/test.sh. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 180000,
  // Each test file gets SQLite errors of its own realm (see test/support/sqlite-realm.ts).
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  maxWorkers: 2,
};
