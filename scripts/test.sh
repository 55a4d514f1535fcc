#!/usr/bin/env bash
# Sets up what the tests need, type-checks, and runs every test on SQLite and PostgreSQL with real Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh test
echo "[test] Kiểm tra kiểu (tsc)…"
npx tsc --noEmit -p .
report=$(mktemp --suffix=.json)
status=0
npx jest --json --outputFile="$report" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);
' "$report" || true
rm -f "$report"
# LOA_TEST_ALSO_ON_NODE=24: the same suite again on that Node major (the current LTS), fetched from the npm registry.
if [ -n "${LOA_TEST_ALSO_ON_NODE:-}" ]; then
  bash scripts/test-on-node.sh "$LOA_TEST_ALSO_ON_NODE" "$@" || status=$?
fi
exit $status
