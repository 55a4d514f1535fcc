# Sourced by scripts/test-on-node.sh and scripts/run-on-node.sh: `use_node_copy MAJOR` fetches that Node.js major from
# the npm registry (once; the registry's node-<platform> package holds the whole distribution, binary and headers) and
# keeps a copy of the project in .cache/node-<major>/ with its own node_modules, because the SQLite driver is a native
# module built for one Node ABI. Sets node_bin (the binary) and copy (the copy's folder).
use_node_copy() {
  local major=$1
  local runtime=.cache/node-$major-runtime
  local pkg
  pkg="node-$(node -p 'process.platform + "-" + process.arch')"
  if [ ! -x "$runtime/node_modules/$pkg/bin/node" ]; then
    printf '[node %s] %s\n' "$major" "Lấy Node.js $major từ npm ($pkg)…" >&2
    npm install --prefix "$runtime" --no-audit --no-fund --loglevel=error "$pkg@$major" >/dev/null
  fi
  local node_dir
  node_dir=$(cd "$runtime/node_modules/$pkg" && pwd)
  node_bin=$node_dir/bin/node
  local npm_cli
  npm_cli="$(npm root -g)/npm/bin/npm-cli.js"
  copy=.cache/node-$major
  mkdir -p "$copy"
  # The sources are copied fresh each time; node_modules is kept while the lock file is unchanged.
  find "$copy" -mindepth 1 -maxdepth 1 ! -name node_modules ! -name .installed-lock.json -exec rm -rf {} +
  tar --exclude=./node_modules --exclude=./.git --exclude=./.cache --exclude=./data --exclude=./exports --exclude=./backups -cf - . | tar -xf - -C "$copy"
  if [ ! -f "$copy/node_modules/.package-lock.json" ] || ! cmp -s package-lock.json "$copy/.installed-lock.json"; then
    printf '[node %s] %s\n' "$major" "Cài các gói npm cho Node $major (dựng better-sqlite3 từ mã nguồn)…" >&2
    (cd "$copy" && rm -rf node_modules && npm_config_nodedir="$node_dir" "$node_bin" "$npm_cli" ci --prefer-offline --no-audit --no-fund --loglevel=error >&2)
    cp package-lock.json "$copy/.installed-lock.json"
  fi
}
