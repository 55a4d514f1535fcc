#!/usr/bin/env bash
# Runs the test suite (or the jest arguments given) on another Node.js major (default 24, the current LTS), fetched from
# the npm registry, in a copy of the project with its own node_modules (scripts/node-copy.sh).
#   scripts/test-on-node.sh [major] [jest args…]
set -euo pipefail
cd "$(dirname "$0")/.."
major=${1:-24}; shift || true
say() { printf '[test node %s] %s\n' "$major" "$*"; }
source scripts/node-copy.sh
use_node_copy "$major"
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
