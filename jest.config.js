/** Tests run against real Redis, SQLite and PostgreSQL; type checking is done once by `tsc` in scripts/test.sh. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 180000,
  maxWorkers: 2,
};
