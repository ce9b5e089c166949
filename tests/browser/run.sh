#!/usr/bin/env bash
# Real-browser checks: CORS from a portal page, and GraphiQL with no internet.
#
#   bash tests/browser/run.sh
#
# Needs cargo, Node 20+ with npm, python3 and Debian's Chromium
# (/usr/bin/chromium, or CHROMIUM=/path; installed with apt-get when missing
# and run as root). Builds the debug binary, seeds a throw-away SQLite
# database, serves the API and a page on free ports, and runs check.mjs.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "== installing Chromium"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "FAIL: no Chromium at $CHROMIUM (apt-get install chromium, or set CHROMIUM)" >&2
    exit 1
  fi
fi

echo "== playwright-core (npm, into tests/browser/node_modules)"
(cd "$HERE" && npm install --no-audit --no-fund --loglevel=error >/dev/null)

echo "== cargo build"
cargo build --quiet
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="$TARGET_DIR/debug/reintegra"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
API_PORT="$(free_port)"
PAGE_PORT="$(free_port)"
OTHER_PORT="$(free_port)"

export REINTEGRA_ENV=development
export REINTEGRA_DATABASE_URL="sqlite://$WORK/reintegra.db"
export REINTEGRA_JWT_SECRET="browser-check-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
export REINTEGRA_BIND="127.0.0.1:$API_PORT"
export REINTEGRA_CORS_ORIGINS="http://127.0.0.1:$PAGE_PORT"
export REINTEGRA_GRAPHIQL=true
export REINTEGRA_LOG="${REINTEGRA_LOG:-warn}"

echo "== database: seed --demo 200"
"$BIN" seed --demo 200 >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }
TOKEN="$("$BIN" token --institution MINTRAB --role labour_officer \
  --subject browser@mintrab.gob.gt --ttl 30m 2>/dev/null | tail -n 1)"

echo "== serve on $API_PORT, pages on $PAGE_PORT (allowed) and $OTHER_PORT"
"$BIN" serve >"$WORK/serve.log" 2>&1 &
PIDS+=($!)
# The same page from two origins: one allowed by CORS, one not.
for port in "$PAGE_PORT" "$OTHER_PORT"; do
  python3 -m http.server "$port" --bind 127.0.0.1 --directory "$HERE/page" \
    >>"$WORK/page.log" 2>&1 &
  PIDS+=($!)
done
for _ in $(seq 1 100); do
  if curl -fsS "http://127.0.0.1:$API_PORT/healthz" >/dev/null 2>&1 &&
     curl -fsS "http://127.0.0.1:$PAGE_PORT/index.html" >/dev/null 2>&1 &&
     curl -fsS "http://127.0.0.1:$OTHER_PORT/index.html" >/dev/null 2>&1; then
    break
  fi
  sleep 0.1
done
curl -fsS "http://127.0.0.1:$API_PORT/healthz" >/dev/null || {
  echo "FAIL: the server did not start" >&2; cat "$WORK/serve.log" >&2; exit 1; }

echo "== browser checks"
API="http://127.0.0.1:$API_PORT" \
PAGE_ALLOWED="http://127.0.0.1:$PAGE_PORT" \
PAGE_OTHER="http://127.0.0.1:$OTHER_PORT" \
TOKEN="$TOKEN" CHROMIUM="$CHROMIUM" \
  node "$HERE/check.mjs" || { echo "-- server log:" >&2; tail -n 40 "$WORK/serve.log" >&2; exit 1; }
