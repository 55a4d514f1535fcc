import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/*
 * bin/loa.js runs the compiled build (dist/) while it is current and the TypeScript sources otherwise. Checked on a
 * copy of the project built here (scripts/build.js), never on this checkout's own dist/: which files a run loaded is
 * read from require.cache by a preload script, so the product has no branch for the test.
 */

const PROJECT = path.resolve(__dirname, '..');
const COPIED = [
  'bin',
  'scripts/build.js',
  'src',
  'channels',
  'worker',
  'templates',
  'package.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
/** What `--help` must never load: the store, the queues, the web server, the report writers. */
const HEAVY =
  /node_modules\/(fastify|bullmq|ioredis|kysely|better-sqlite3|pg|docx|exceljs|echarts|liquidjs)\/|\/src\/(store|queue|http|report)\//;

let copy: string;

interface Run {
  stdout: string;
  stderr: string;
  status: number | null;
  /** Files of the copy that the run loaded, relative to it. */
  loaded: string[];
}

function loa(args: string[], input?: string): Run {
  const record = path.join(copy, `loaded-${process.hrtime.bigint()}.json`);
  const result = spawnSync(
    process.execPath,
    ['-r', path.join(copy, 'record-loaded.js'), path.join(copy, 'bin/loa.js'), ...args],
    {
      cwd: copy,
      env: { ...process.env, RECORD_LOADED_TO: record },
      input,
      encoding: 'utf8',
    },
  );
  // node_modules is a link to this checkout's, so its files load under their real path.
  const loaded = (JSON.parse(fs.readFileSync(record, 'utf8')) as string[]).flatMap((file) =>
    file.startsWith(`${copy}/`)
      ? [file.slice(copy.length + 1)]
      : file.startsWith(`${PROJECT}/node_modules/`)
        ? [file.slice(PROJECT.length + 1)]
        : [],
  );
  return { stdout: result.stdout, stderr: result.stderr, status: result.status, loaded };
}

/** The build is current again: its stamp is newer than every source, and a change from now on is newer than it. */
function markBuilt(): void {
  const now = new Date();
  fs.utimesSync(path.join(copy, 'dist/.built'), now, now);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}

beforeAll(() => {
  copy = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'loa-start-')));
  for (const entry of COPIED) fs.cpSync(path.join(PROJECT, entry), path.join(copy, entry), { recursive: true });
  fs.symlinkSync(path.join(PROJECT, 'node_modules'), path.join(copy, 'node_modules'));
  fs.writeFileSync(
    path.join(copy, 'record-loaded.js'),
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.RECORD_LOADED_TO, JSON.stringify(Object.keys(require.cache))));\n",
  );
  // As after a clone, when `npm ci` builds: the sources are older than the build by more than the stamp's margin.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1100);
  const build = spawnSync(process.execPath, [path.join(copy, 'scripts/build.js')], { cwd: copy, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build.js failed:\n${build.stdout}\n${build.stderr}`);
});

afterAll(() => {
  if (copy) fs.rmSync(copy, { recursive: true, force: true });
});

describe('bin/loa.js', () => {
  let fromBuild: { help: Run; itemsHelp: Run; version: Run; say: Run };

  test('with a current build, runs dist/ without tsx, and --help loads no store, queue or server', () => {
    fromBuild = {
      help: loa(['--help']),
      itemsHelp: loa(['items', 'add', '--help']),
      version: loa(['--version']),
      say: loa(['say'], 'UBND xã\n'),
    };
    expect(fromBuild.help.status).toBe(0);
    expect(fromBuild.help.loaded).toContain('dist/src/cli/main.js');
    expect(fromBuild.help.loaded.filter((file) => file.endsWith('.ts') || file.includes('node_modules/tsx/'))).toEqual(
      [],
    );
    expect(fromBuild.help.loaded.filter((file) => HEAVY.test(`/${file}`))).toEqual([]);
    expect(fromBuild.itemsHelp.loaded.filter((file) => HEAVY.test(`/${file}`))).toEqual([]);
    // From dist/, package.json and templates/ are still found (one directory deeper than src/).
    expect(fromBuild.version.stdout.trim()).toBe(
      JSON.parse(fs.readFileSync(path.join(PROJECT, 'package.json'), 'utf8')).version,
    );
    expect(fromBuild.say.stdout).toBe('Ủy ban nhân dân xã\n');
    expect(fromBuild.say.loaded).toContain('dist/src/cli/run/say.js');
  });

  test('after a source file changes, runs the sources, and prints the same help', () => {
    const now = new Date();
    fs.utimesSync(path.join(copy, 'src/domain/errors.ts'), now, now);
    const help = loa(['--help']);
    expect(help.loaded).toContain('src/cli/main.ts');
    expect(help.loaded.filter((file) => file.startsWith('dist/'))).toEqual([]);
    expect(help.stdout).toBe(fromBuild.help.stdout);
    expect(loa(['items', 'add', '--help']).stdout).toBe(fromBuild.itemsHelp.stdout);
    expect(loa(['--version']).stdout).toBe(fromBuild.version.stdout);
    expect(loa(['say'], 'UBND xã\n').stdout).toBe(fromBuild.say.stdout);
  });

  test('a file removed from a source directory, or no stamp, also means the sources', () => {
    markBuilt();
    expect(loa(['--help']).loaded).toContain('dist/src/cli/main.js');
    // Only the directory's time tells of a removal.
    fs.rmSync(path.join(copy, 'channels/radio/README.md'));
    expect(loa(['--help']).loaded).toContain('src/cli/main.ts');
    markBuilt();
    fs.rmSync(path.join(copy, 'dist/.built'));
    expect(loa(['--help']).loaded).toContain('src/cli/main.ts');
  });
});
