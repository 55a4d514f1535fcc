import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { PROJECT } from './support/services';

/** A project folder with a lock of three packages (one for another system), `unpacked` of them in node_modules. */
function project(unpacked: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-install-'));
  const packages = {
    '': { name: 'x' },
    'node_modules/a': { version: '1.0.0' },
    'node_modules/@s/b': { version: '1.0.0' },
    'node_modules/other-os': { version: '1.0.0', os: ['aix'], optional: true },
  };
  fs.writeFileSync(path.join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages }));
  for (const name of unpacked) {
    fs.mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), '{}');
  }
  return dir;
}

const progress = (dir: string) =>
  execFileSync(process.execPath, [path.join(PROJECT, 'scripts/install-progress.js'), dir], { encoding: 'utf8' });

test("setup's install progress counts the lock's packages for this system that are unpacked", () => {
  expect(progress(project([]))).toBe('đã giải nén 0/2 gói (0 %)');
  expect(progress(project(['@s/b']))).toBe('đã giải nén 1/2 gói (50 %)');
  expect(progress(project(['a', '@s/b']))).toBe('đã giải nén đủ 2 gói, đang dựng các gói cần biên dịch (SQLite…)');
});
