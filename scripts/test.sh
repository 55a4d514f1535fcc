#!/usr/bin/env bash
# Sets up what the tests need, type-checks, and runs every test on SQLite and PostgreSQL with real Redis, on Node.js 24
# LTS: this machine's node when it is 24 or newer, else Node 24 fetched from the npm registry (scripts/test-on-node.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
echo "[test] Kiểm tra kiểu (tsc)…"
npx tsc --noEmit -p .
status=0
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  report=$(mktemp --suffix=.json)
  npx jest --json --outputFile="$report" "$@" || status=$?
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
  ' "$report" || true
  rm -f "$report"
else
  bash scripts/test-on-node.sh 24 "$@" || status=$?
fi
# LOA_TEST_ALSO_ON_NODE=24: the same suite again on that Node major (the current LTS), fetched from the npm registry.
if [ -n "${LOA_TEST_ALSO_ON_NODE:-}" ]; then
  bash scripts/test-on-node.sh "$LOA_TEST_ALSO_ON_NODE" "$@" || status=$?
fi
exit $status
