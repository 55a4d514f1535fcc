import fs from 'node:fs';
import path from 'node:path';

const PROJECT = path.resolve(__dirname, '..');
/** Where Loa's code reads its environment: the product, its scripts, CI, and the tests and benchmarks. */
const ROOTS = ['src', 'channels', 'worker', 'bin', 'scripts', 'test', '.ci'];
const CODE = /\.(ts|js|sh)$|^run$/;
/** A variable read or set: `env.X`, `env['X']`, a quoted name (`fromEnv('X')`, a Vietnamese message). */
const READ = /(?:env\.|['"`])(LOA_[A-Z0-9_]+)/g;
/** In shell also `$X` and `${X}` (in TypeScript `${X}` is a constant put into a template, such as LOA_VERSION). */
const READ_SHELL = /(?:env\.|['"`$]|\$\{)(LOA_[A-Z0-9_]+)/g;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'fixtures' ? [] : files(full);
    return CODE.test(entry.name) ? [full] : [];
  });
}

/** The names in the first column of the README's variables table (a row may list two names). */
function documented(): Set<string> {
  const readme = fs.readFileSync(path.join(PROJECT, 'README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| `LOA_'));
  return new Set(rows.flatMap((row) => row.split('|')[1]!.match(/LOA_[A-Z0-9_]+/g) ?? []));
}

test('every LOA_ variable the code reads is in the README table, with its default', () => {
  const read = new Map<string, string>();
  for (const file of ROOTS.flatMap((root) =>
    fs.existsSync(path.join(PROJECT, root)) ? files(path.join(PROJECT, root)) : [],
  )) {
    const pattern = /\.(ts|js)$/.test(file) ? READ : READ_SHELL;
    for (const match of fs.readFileSync(file, 'utf8').matchAll(pattern))
      read.set(match[1]!, path.relative(PROJECT, file));
  }
  expect(read.size).toBeGreaterThan(30);
  const table = documented();
  const missing = [...read].filter(([name]) => !table.has(name)).map(([name, file]) => `${name} (${file})`);
  expect(missing).toEqual([]);
  // Every row gives a default (or says there is none with "—").
  const readme = fs.readFileSync(path.join(PROJECT, 'README.md'), 'utf8');
  const withoutDefault = readme
    .split('\n')
    .filter((line) => line.startsWith('| `LOA_'))
    .filter((row) => (row.split('|')[2] ?? '').trim() === '');
  expect(withoutDefault).toEqual([]);
});
