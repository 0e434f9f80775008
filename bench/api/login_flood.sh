#!/usr/bin/env bash
# Wrong logins against one account while the health probe is measured: the real host (rifa-host
# serve) on SQLite; one wrk sends ~RATE wrong logins/s (argon2id at its production cost, then the
# login throttle's 429s) for DURATION while a second wrk measures GET /api/v1/health. Prints both.
# Issue 12's goal: health p99 <= 20 ms under 300 wrong logins/s. Figures are printed, not asserted.
#
#   bash bench/api/login_flood.sh
# Environment (defaults): BUILD_DIR (build), HOST_BIN ($BUILD_DIR/host/main/rifa-host; point it at
# an older build to compare), RATE (300), DURATION (10s), FLOOD_CONNECTIONS (10), HEALTH_CONNECTIONS
# (2), IO_THREADS (1), POOL_SIZE (4), WORKERS (unset: the host's default, database.pool_size).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/host_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
HOST_BIN=${HOST_BIN:-$BUILD_DIR/host/main/rifa-host}
PLUGIN_DIR=${PLUGIN_DIR:-$BUILD_DIR/plugins}
RATE=${RATE:-300}
DURATION=${DURATION:-10s}
FLOOD_CONNECTIONS=${FLOOD_CONNECTIONS:-10}
HEALTH_CONNECTIONS=${HEALTH_CONNECTIONS:-2}
IO_THREADS=${IO_THREADS:-1}
POOL_SIZE=${POOL_SIZE:-4}
WORKERS=${WORKERS:-}
BENCH_DIR="$ROOT/bench/api"

[[ -x "$HOST_BIN" ]] || { echo "bench/api: $HOST_BIN is missing; build first (bash scripts/build.sh)" >&2; exit 1; }
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench/api: $tool is missing (apt-get install $tool)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/rifa-bench-login.XXXXXX)
HOST_PID=""
cleanup() {
  if [[ -n "$HOST_PID" ]]; then
    kill -TERM "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
EMAIL=victim@rifa1122.test
workers_line=""
[[ -n "$WORKERS" ]] && workers_line="  workers: $WORKERS"
# No per-IP or per-user rate limit (one client address sends everything): the login throttle is
# what answers the flood, as it would for a botnet spread over many addresses.
cat >"$WORK/rifa.yaml" <<YAML
server:
  listen: 127.0.0.1
  port: $PORT
  io_threads: $IO_THREADS
$workers_line
  rate_limit: {per_ip: {per_second: 0, burst: 1}, per_user: {per_second: 0, burst: 1}}
database:
  url: "sqlite3://$WORK/rifa.db"
  pool_size: $POOL_SIZE
  migrate_on_start: true
secrets:
  jwt_secret: bench-only-jwt-secret-0123456789abcdef0123456789
logging: {level: warn, format: text}
$(bench_plugins_yaml "$PLUGIN_DIR" bench-only-sandbox-secret-0123456789abcdef)
YAML

"$HOST_BIN" --config "$WORK/rifa.yaml" serve >"$WORK/host.log" 2>&1 &
HOST_PID=$!
wait_for_host "$WORK/host.log"
curl -sS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/auth/register" -H 'Content-Type: application/json' \
  --data "{\"nombre\":\"Victima\",\"email\":\"$EMAIL\",\"password\":\"Bench-victim-password-2026!\",\"fecha_nacimiento\":\"1990-05-17\",\"documento_tipo\":\"CC\",\"documento_numero\":\"70002\",\"acepta_politica_datos\":true}"

# Each flood connection waits this long between its requests.
pause_ms=$(( FLOOD_CONNECTIONS * 1000 / RATE ))
wrk -t1 -c"$FLOOD_CONNECTIONS" -d"$DURATION" --timeout 10s -s "$BENCH_DIR/login_flood.lua" \
  "http://127.0.0.1:$PORT" -- "$EMAIL" "$pause_ms" >"$WORK/flood.out" 2>&1 &
flood_pid=$!
sleep 0.5
wrk -t1 -c"$HEALTH_CONNECTIONS" -d"$DURATION" --timeout 10s -s "$BENCH_DIR/read.lua" \
  "http://127.0.0.1:$PORT/api/v1/health" >"$WORK/health.out" 2>&1
wait "$flood_pid"

flood=$(grep '^RESULT' "$WORK/flood.out" || cat "$WORK/flood.out")
health=$(grep '^RESULT' "$WORK/health.out" || cat "$WORK/health.out")
echo "host: $HOST_BIN (io_threads $IO_THREADS, pool_size $POOL_SIZE, workers ${WORKERS:-default}), SQLite"
echo "wrong logins (asked ~$RATE/s over $FLOOD_CONNECTIONS connections): ${flood#RESULT }"
echo "GET /api/v1/health ($HEALTH_CONNECTIONS connections, as fast as answered): ${health#RESULT }"
p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$health")
[[ -n "$p99" ]] && echo "health p99 ${p99} ms (goal <= 20 ms)"
