#!/usr/bin/env bash
# Runs the whole test suite again on another Node.js major (default 24, the current LTS), fetched from the npm
# registry. The project is copied to .cache/node-<major>/ with its own node_modules, because the SQLite driver is a
# native module built for one Node ABI; the registry's node-<platform> package carries the headers, so it is built here from source.
#   scripts/test-on-node.sh [major] [jest args…]
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:-24}; shift || true
say() { printf '[test node %s] %s\n' "$major" "$*"; }

# The registry's platform package holds the whole distribution: the binary and the headers a native module needs.
runtime=.cache/node-$major-runtime
pkg="node-$(node -p 'process.platform + "-" + process.arch')"
if [ ! -x "$runtime/node_modules/$pkg/bin/node" ]; then
  say "Lấy Node.js $major từ npm ($pkg)…"
  npm install --prefix "$runtime" --no-audit --no-fund --loglevel=error "$pkg@$major" >/dev/null
fi
node_dir=$(cd "$runtime/node_modules/$pkg" && pwd)
node_bin=$node_dir/bin/node
npm_cli="$(npm root -g)/npm/bin/npm-cli.js"

copy=.cache/node-$major
mkdir -p "$copy"
# The sources are copied fresh each time; node_modules is kept while the lock file is unchanged.
find "$copy" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .installed-lock.json -exec rm -rf {} +
tar --exclude=./node_modules --exclude=./.git --exclude=./.cache --exclude=./data --exclude=./exports -cf - . | tar -xf - -C "$copy"
if [ ! -f "$copy/node_modules/.package-lock.json" ] || ! cmp -s package-lock.json "$copy/.installed-lock.json"; then
  say "Cài các gói npm cho Node $major (dựng better-sqlite3 từ mã nguồn)…"
  (cd "$copy" && rm -rf node_modules && npm_config_nodedir="$node_dir" "$node_bin" "$npm_cli" ci --no-audit --no-fund --loglevel=error)
  cp package-lock.json "$copy/.installed-lock.json"
fi
say "$("$node_bin" --version): chạy các bài kiểm thử…"
cd "$copy"
report=$(mktemp --suffix=.json)
status=0
PATH="$(dirname "$node_bin"):$PATH" "$node_bin" node_modules/.bin/jest --json --outputFile="$report" "$@" || status=$?
"$node_bin" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest (node ${process.versions.node}): ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
rm -f "$report"
exit $status
