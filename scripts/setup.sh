#!/usr/bin/env bash
# Sets up Loa on a fresh Debian/Ubuntu machine: npm packages, and Redis (and, for the tests, PostgreSQL) from the
# system's packages when they are missing and this user may install them. Loa runs on Node.js 24 LTS; on a machine
# whose node is older (20 or 22), `npm run demo` and `npm test` run on Node 24 fetched from the npm registry
# (scripts/run-on-node.sh, scripts/test-on-node.sh), and this says so once.
#   scripts/setup.sh        what the demo needs
#   scripts/setup.sh test   what the tests need too (running Redis and PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
want=${1:-demo}

say() { printf '[setup] %s\n' "$*"; }

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
  say "Cần Node.js 20 trở lên để cài đặt (máy đang có: $(node --version 2>/dev/null || echo 'chưa cài'))."; exit 1
fi
if [ "$major" -lt 24 ] && [ ! -f .cache/node-24-runtime/.told ]; then
  say "Loa chạy trên Node.js 24 LTS; máy đang có $(node --version). npm run demo và npm test sẽ tự lấy Node.js 24 từ kho npm (vào .cache/), không đụng tới Node của máy."
  mkdir -p .cache/node-24-runtime && touch .cache/node-24-runtime/.told
fi

# Install only when the lock file changed since the last install (it rebuilds the SQLite driver). `npm ci` installs
# exactly the committed lock file; if it refuses, the lock file is wrong and must be regenerated, not papered over.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Cài các gói npm (vài phút trên đường truyền chậm)…"
  npm ci --no-audit --no-fund --loglevel=error &
  installing=$!
  started=$SECONDS
  # npm ci prints nothing at this log level: a line every 15 s says how far it has got.
  while kill -0 "$installing" 2>/dev/null; do
    for _ in $(seq 30); do kill -0 "$installing" 2>/dev/null && sleep 0.5; done
    kill -0 "$installing" 2>/dev/null || break
    say "  … $(node scripts/install-progress.js 2>/dev/null || echo 'đang cài') — $((SECONDS - started)) giây"
  done
  wait "$installing"
fi

# bin/loa.js runs the compiled build (dist/) while it is newer than every source, else the sources through tsx (slower
# to start). `npm ci` builds it ("prepare"); it is rebuilt here when missing or older than a source. A failed build says
# so and leaves no dist/: loa still runs, from the sources.
if ! node -e 'process.exit(require("./bin/build-state").buildIsCurrent(".") ? 0 : 1)'; then
  say "Dựng bản biên dịch (dist/)…"
  node scripts/build.js || true
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
  else return 1; fi
}
apt_updated=
apt_install() {
  command -v apt-get >/dev/null || return 1
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq || return 1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! command -v redis-server >/dev/null; then
  say "Chưa có redis-server: cài từ gói của hệ thống…"
  apt_install redis-server || say "Không tự cài được Redis. Cài bằng: sudo apt-get install -y redis-server"
fi

# Optional: espeak-ng gives each radio script a WAV preview in a Vietnamese voice.
if ! command -v espeak-ng >/dev/null; then
  apt_install espeak-ng || say "Không cài được espeak-ng: kịch bản phát thanh sẽ không có bản nghe thử (sudo apt-get install -y espeak-ng)."
fi

[ "$want" = test ] || exit 0

# The web desk's tests drive Debian's Chromium headless (playwright-core brings no browser of its own).
[ -x "${LOA_TEST_CHROMIUM:-/usr/bin/chromium}" ] || apt_install chromium || say "Không cài được Chromium: các bài kiểm thử trang web sẽ báo lỗi (sudo apt-get install -y chromium)."

# The tests read the .docx programmes with unzip.
command -v unzip >/dev/null || apt_install unzip || say "Không cài được unzip: bỏ qua kiểm tra nội dung .docx."

redis_up() { node -e "require('net').connect(6379,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }
if ! redis_up; then
  say "Khởi động Redis ở 127.0.0.1:6379 (không lưu gì xuống đĩa)…"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do redis_up && break; sleep 0.1; done
fi

pg_up() { node -e "require('net').connect(5432,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; }
if [ "${LOA_TEST_DATABASES:-sqlite,postgres}" != sqlite ] && ! pg_up; then
  if ! ls /etc/postgresql >/dev/null 2>&1; then
    say "Chưa có PostgreSQL: cài từ gói của hệ thống…"
    apt_install postgresql || { say "Không tự cài được PostgreSQL. Cài bằng: sudo apt-get install -y postgresql, hoặc chạy LOA_TEST_DATABASES=sqlite npm test"; exit 1; }
  fi
  say "Khởi động PostgreSQL…"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  for _ in $(seq 100); do pg_up && break; sleep 0.1; done
  pg_up || { say "PostgreSQL không khởi động được."; exit 1; }
fi
