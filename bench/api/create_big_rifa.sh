#!/usr/bin/env bash
# Creating a big rifa over the API: the real host (rifa-host serve) on PostgreSQL and on SQLite,
# POST /api/v1/rifas with total_boletas $NUMBERS (default 1,000,000), timed; meanwhile a poller
# asks GET /api/v1/health and GET /api/v1/rifas/{a small rifa} in a loop, one request at a time,
# and the worst latency it saw while the creation ran is printed (issue 12: other requests keep
# being answered). Then the new rifa is read back (its counts) and activated, both timed.
#
#   bash bench/api/create_big_rifa.sh
# Environment (defaults): BUILD_DIR (build), BACKENDS ("postgresql sqlite"), NUMBERS (1000000),
# IO_THREADS (2), POOL_SIZE (8). The throwaway PostgreSQL runs with fsync=off
# (scripts/pg_throwaway.sh); SQLite runs as configured (WAL, synchronous FULL). Figures are for
# this machine at this moment (uptime's load is printed with them).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/host_lib.sh"
API_MAX_TIME=600  # creating a million numbers is one slow call
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
BACKENDS=${BACKENDS:-postgresql sqlite}
NUMBERS=${NUMBERS:-1000000}
IO_THREADS=${IO_THREADS:-2}
POOL_SIZE=${POOL_SIZE:-8}
HOST_BIN="$BUILD_DIR/host/main/rifa-host"

[[ -x "$HOST_BIN" ]] || { echo "bench/api: $HOST_BIN is missing; build first (bash scripts/build.sh)" >&2; exit 1; }
for tool in jq curl; do
  command -v "$tool" >/dev/null || { echo "bench/api: $tool is needed" >&2; exit 1; }
done

source "$ROOT/scripts/pg_throwaway.sh"
WORK=$(mktemp -d /tmp/rifa-bench-big.XXXXXX)
HOST_PID=""
POLL_PID=""
stop_host() {
  if [[ -n "$HOST_PID" ]]; then
    kill -TERM "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=""
  fi
}
cleanup() {
  if [[ -n "$POLL_PID" ]]; then kill "$POLL_PID" 2>/dev/null || true; fi
  stop_host
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN_EMAIL=bench-admin@rifa1122.test
ADMIN_PASSWORD='Bench-admin-password-2026!'

write_config() {
  local url=$1 port=$2 file=$3
  cat >"$file" <<YAML
server:
  listen: 127.0.0.1
  port: $port
  io_threads: $IO_THREADS
  rate_limit: {per_ip: {per_second: 0, burst: 1}, per_user: {per_second: 0, burst: 1}}
database:
  url: "$url"
  pool_size: $POOL_SIZE
  migrate_on_start: true
  seed: $ROOT/fixtures/seed
secrets:
  jwt_secret: bench-only-jwt-secret-0123456789abcdef0123456789
logging: {level: warn, format: text}
$(bench_plugins_yaml "$BUILD_DIR/plugins" bench-only-sandbox-secret-0123456789abcdef)
YAML
}

start_host() {
  local url=$1 name=$2
  PORT=$(pg_free_port)
  write_config "$url" "$PORT" "$WORK/$name.yaml"
  "$HOST_BIN" --config "$WORK/$name.yaml" serve >"$WORK/host-$name.log" 2>&1 &
  HOST_PID=$!
  wait_for_host "$WORK/host-$name.log"
}

rifa_body() {  # rifa_body NUMBERS: a rifa in the seed's first categoria, on the mock lottery
  local now fin
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  fin=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  jq -nc --arg c "$CATEGORIA" --arg l "$LOTERIA" --arg i "$now" --arg f "$fin" --argjson n "$1" \
    '{nombre: "Bench big rifa", categoria_id: $c, loteria_id: $l, fecha_inicio: $i, fecha_fin: $f, total_boletas: $n}'
}

now_s() { date +%s.%N; }

# One request at a time until $WORK/stop exists: "<seconds since epoch> <latency s> <http code> <path>".
poll() {
  local small=$1 path
  while [[ ! -e "$WORK/stop" ]]; do
    for path in /api/v1/health "/api/v1/rifas/$small"; do
      printf '%s %s\n' "$(now_s)" \
        "$(curl -s -o /dev/null --max-time 60 -w '%{time_total} %{http_code}' "http://127.0.0.1:$PORT$path") $path"
    done
  done
}

run_backend() {
  local name=$1 url=$2
  echo
  echo "== $name: POST /rifas total_boletas=$NUMBERS (io_threads $IO_THREADS, pool_size $POOL_SIZE; load $(cut -d' ' -f1-3 /proc/loadavg))"
  start_host "$url" "$name"
  RIFA_ADMIN_PASSWORD=$ADMIN_PASSWORD "$HOST_BIN" --config "$WORK/$name.yaml" users create-admin \
    --email "$ADMIN_EMAIL" --nombre Bench >/dev/null
  local token small t0 t1 t2 created id
  token=$(api POST /auth/login "" "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
  CATEGORIA=$(api GET '/categorias?per_page=100' "$token" | jq -r '.items[0].id')
  LOTERIA=$(api GET '/loterias?per_page=100' "$token" | jq -r '[.items[] | select(.plugin_instance == "mock")][0].id')
  small=$(api POST /rifas "$token" "$(rifa_body 100)" | jq -r .id)

  rm -f "$WORK/stop"
  poll "$small" >"$WORK/poll-$name.txt" &
  POLL_PID=$!
  sleep 1  # the poller's baseline, before the creation
  t0=$(now_s)
  created=$(api POST /rifas "$token" "$(rifa_body "$NUMBERS")")
  t1=$(now_s)
  touch "$WORK/stop"
  wait "$POLL_PID" || true
  POLL_PID=""
  id=$(jq -r .id <<<"$created")
  awk -v a="$t0" -v b="$t1" -v n="$NUMBERS" 'BEGIN { printf "  %-34s %.2f s (%.0f tickets/s)\n", "POST /rifas", b - a, n / (b - a) }'
  # Requests that were in flight at some moment of the creation: started before its end and
  # finished after its start.
  awk -v a="$t0" -v b="$t1" '
    { start = $1; lat = $2; end = start + lat }
    start < b && end > a { n++; if (lat > worst) { worst = lat; what = $4 } if ($3 != 200) bad++ }
    start >= a - 1 && start < a { base_n++; if (lat > base) base = lat }
    END { printf "  %-34s %d answered meanwhile, worst %.1f ms (%s), %d not 200; worst before it %.1f ms\n",
          "other requests during the creation", n, worst * 1000, what, bad, base * 1000 }' "$WORK/poll-$name.txt"

  t0=$(now_s)
  local view
  view=$(api GET "/rifas/$id")
  t1=$(now_s)
  api PATCH "/rifas/$id" "$token" '{"estado":"activa"}' >/dev/null
  t2=$(now_s)
  awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$(jq -r .disponibles <<<"$view")" \
    'BEGIN { printf "  %-34s %.0f ms (disponibles %s)\n  %-34s %.0f ms\n", "GET /rifas/{id} (counts)", (b - a) * 1000, d,
             "PATCH estado activa (freeze)", (c - b) * 1000 }'
  stop_host
}

for backend in $BACKENDS; do
  case $backend in
    postgresql)
      for attempt in 1 2 3; do
        if pg_start >/dev/null; then break; fi
        pg_stop
        [[ $attempt == 3 ]] && exit 1
      done
      run_backend postgresql "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
      pg_stop
      ;;
    sqlite)
      run_backend sqlite "sqlite3://$WORK/bench.db"
      ;;
    *) echo "bench/api: unknown backend '$backend' (postgresql, sqlite)" >&2; exit 2 ;;
  esac
done
