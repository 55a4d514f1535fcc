// Prints how far `npm ci` has got: the packages of package-lock.json already unpacked into node_modules, of all.
// setup.sh calls it every few seconds while npm ci runs, so a 4-minute install on a slow line shows it is moving.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = process.argv[2] ?? path.join(__dirname, '..');
const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
// A package for another system (an optional esbuild or resvg binary, say) is never unpacked here.
const fits = (list, value) =>
  !list || list.includes(value) || (list.every((v) => v.startsWith('!')) && !list.includes(`!${value}`));
const libc = process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
const wanted = Object.entries(lock.packages)
  .filter(
    ([key, entry]) =>
      key.startsWith('node_modules/') &&
      fits(entry.os, process.platform) &&
      fits(entry.cpu, process.arch) &&
      fits(entry.libc, libc),
  )
  .map(([key]) => key);
const unpacked = wanted.filter((key) => fs.existsSync(path.join(root, key, 'package.json'))).length;
const percent = Math.floor((100 * unpacked) / wanted.length);
process.stdout.write(
  unpacked < wanted.length
    ? `đã giải nén ${unpacked}/${wanted.length} gói (${percent} %)`
    : `đã giải nén đủ ${wanted.length} gói, đang dựng các gói cần biên dịch (SQLite…)`,
);
