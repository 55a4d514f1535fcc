// Mutation testing of one module at a time (`npm run mutate -- src/store/publish-protocol.ts`): StrykerJS changes the
// module one small edit at a time (a condition flipped, a boundary moved, a statement removed) and runs the tests that
// guard it; a change no test notices is a gap. One module runs in minutes on 2 cores because only the test files
// named for it below run (a module the table does not name gets jest's related tests, which for a module the store
// imports can be most of the suite), on SQLite only, one process at a time. The report is written to
// reports/mutation/ (HTML and JSON), the sandbox to .stryker-tmp/; both are ignored by git, Prettier and ESLint.
import path from 'node:path';

import { Stryker } from '@stryker-mutator/core';

/** The test files that guard each module (paths from the project's root). */
const TESTS = {
  // exactly-once.test.ts also guards it, but times a lease against a slow call: under Stryker's instrumentation on a
  // loaded machine its initial run fails, and Stryker stops on that.
  'src/store/publish-protocol.ts': [
    'test/claim-eligibility.test.ts',
    'test/platform-ledger.test.ts',
    'test/operations.test.ts',
  ],
  'src/outbound/address-guard.ts': [
    'test/hostile/address-guard.test.ts',
    'test/hostile/outbound.test.ts',
    'test/sources/rules.test.ts',
  ],
  'src/importer/dates.ts': ['test/importer/dates.test.ts', 'test/importer/timing.test.ts'],
};

// A path may end with a line range, as Stryker takes it: src/store/publish-protocol.ts:429-646.
const targets = process.argv.slice(2).map((p) => path.relative(process.cwd(), path.resolve(p)));
const fileOf = (target) => target.replace(/:\d+-\d+$/, '');
if (!targets.length) {
  console.error('Cách dùng: npm run mutate -- <tệp hoặc mẫu glob trong src/> [tệp khác…]');
  console.error(`Các mô-đun đã có danh sách bài kiểm thử: ${Object.keys(TESTS).join(', ')}`);
  process.exit(2);
}
const named = targets.flatMap((t) => TESTS[fileOf(t)] ?? []);
const unmapped = targets.filter((t) => !TESTS[fileOf(t)]);
if (unmapped.length)
  console.error(
    `[mutate] ${unmapped.join(', ')}: chưa có trong bảng của scripts/mutate.mjs, dùng các bài kiểm thử liên quan của jest (có thể lâu)`,
  );

process.env.LOA_TEST_DATABASES ??= 'sqlite';
const stryker = new Stryker({
  mutate: targets,
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    // With a table entry, only those files; otherwise jest's --findRelatedTests on the mutated files.
    ...(unmapped.length ? { enableFindRelatedTests: true } : { enableFindRelatedTests: false }),
    ...(unmapped.length ? {} : { config: { testMatch: [...new Set(named)].map((t) => `<rootDir>/${t}`) } }),
  },
  coverageAnalysis: 'perTest',
  // A mutant in a module-level constant needs every test rerun for each; they are few and slow, so left out.
  ignoreStatic: true,
  concurrency: Number(process.env.LOA_MUTATE_CONCURRENCY ?? 1),
  timeoutMS: 30_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  ignorePatterns: ['.cache', 'data', 'exports', 'backups', 'dist', 'reports', 'test/artifacts', 'coverage'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  thresholds: { high: 80, low: 60, break: null },
});
const results = await stryker.runMutationTest();
const count = (status) => results.filter((r) => r.status === status).length;
const killed = count('Killed');
const timeout = count('Timeout');
const survived = count('Survived');
const noCoverage = count('NoCoverage');
const detected = killed + timeout;
const score = detected + survived + noCoverage ? (100 * detected) / (detected + survived + noCoverage) : 100;
console.log(
  `[mutate] ${targets.join(', ')}: ${killed} bị bắt, ${survived} sống sót, ${timeout} quá giờ, ${noCoverage} không có bài kiểm thử nào chạy qua; điểm ${score.toFixed(1)} %`,
);
