#!/usr/bin/env bash
# Runs `node ARGS…` on Node.js MAJOR or newer: this machine's node when it is recent enough, else that major fetched
# from the npm registry, running the project's copy in .cache/node-<major>/ (scripts/node-copy.sh) from this folder,
# so files the command writes (./data, ./exports) land here as usual.
#   scripts/run-on-node.sh MAJOR script.js [args…]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
major=$1; script=$2; shift 2
if [ "$(node -p 'process.versions.node.split(".")[0]')" -ge "$major" ]; then exec node "$root/$script" "$@"; fi
here=$PWD
cd "$root"
source scripts/node-copy.sh
use_node_copy "$major"
cd "$here"
PATH="$(dirname "$node_bin"):$PATH" exec "$node_bin" "$root/$copy/$script" "$@"
