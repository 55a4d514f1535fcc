#!/usr/bin/env node
// Compiles the TypeScript sources to dist/ (tsconfig.build.json) for bin/loa.js, which starts several times faster
// from JavaScript than through tsx. Runs on `npm ci` (the "prepare" script) and from scripts/setup.sh when the build is
// missing or older than a source. A failed build leaves no dist/ behind: loa then runs the sources through tsx.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { SOURCES, STAMP } = require('../bin/build-state');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
// The stamp carries the time the build started (less a second, for file systems with coarse times): a file saved
// while tsc was reading counts as newer, and loa runs the sources.
const started = new Date(Date.now() - 1000);

fs.rmSync(dist, { recursive: true, force: true });
const tsc = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')],
  { stdio: 'inherit' },
);
if (tsc.status !== 0) {
  fs.rmSync(dist, { recursive: true, force: true });
  console.error(
    '[build] Dựng bản biên dịch (dist/) không thành công: lệnh loa vẫn chạy, từ mã nguồn TypeScript (khởi động chậm hơn). Sửa lỗi ở trên rồi chạy: npm run build',
  );
  process.exit(1);
}

/** The files read beside the code at run time (views, stylesheets, scripts for the browser), copied next to it. */
function copyAssets(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) copyAssets(source, path.join(to, entry.name));
    else if (!entry.name.endsWith('.ts') && !entry.name.endsWith('.md')) {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(source, path.join(to, entry.name));
    }
  }
}
for (const source of SOURCES) {
  const from = path.join(root, source);
  if (fs.statSync(from).isDirectory()) copyAssets(from, path.join(dist, source));
}

fs.writeFileSync(path.join(root, STAMP), `${started.toISOString()}\n`);
fs.utimesSync(path.join(root, STAMP), started, started);
