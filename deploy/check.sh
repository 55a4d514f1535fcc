#!/usr/bin/env bash
# Checks deploy/ with the tools made for it: `systemd-analyze verify` on the units and `caddy validate` on the
# Caddyfile, installing Debian's caddy when it is missing (as scripts/setup.sh does for other packages). The units name
# /opt/loa and /usr/bin/node; they are checked in a copy pointing at this folder and this machine's node, with a `loa`
# user only if one exists (verify does not need it).
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '[deploy] %s\n' "$*"; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}
for tool in systemd-analyze caddy; do
  if ! command -v "$tool" >/dev/null; then
    pkg=$([ "$tool" = caddy ] && echo caddy || echo systemd)
    say "Chưa có $tool: cài gói $pkg…"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null ||
      { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null; }
  fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for unit in deploy/*.service; do
  sed -e "s#/opt/loa#$PWD#g" -e "s#/usr/bin/node#$(command -v node)#g" "$unit" > "$work/$(basename "$unit")"
done
# A template is verified through an instance of it.
cp "$work/loa-worker@.service" "$work/loa-worker@1.service"
say "systemd-analyze verify…"
out=$(systemd-analyze verify "$work/loa-serve.service" "$work/loa-worker@1.service" 2>&1 || true)
# Without a running systemd (a container) verify still parses the units; only messages about the units count.
problems=$(printf '%s\n' "$out" | grep -E 'loa-(serve|worker)' | grep -v "User or group 'loa'" || true)
if [ -n "$problems" ]; then printf '%s\n' "$problems"; say "Tệp dịch vụ systemd có lỗi."; exit 1; fi
say "caddy validate…"
caddy validate --adapter caddyfile --config deploy/Caddyfile >/dev/null
caddy fmt deploy/Caddyfile | diff -u deploy/Caddyfile - || { say "Caddyfile chưa đúng định dạng: caddy fmt --overwrite deploy/Caddyfile"; exit 1; }
say "deploy/ hợp lệ."
