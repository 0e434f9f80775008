#!/usr/bin/env bash
# The live feed's fan-out (issue 14 item 4): N WebSocket subscribers (the `ws` npm package, one
# Node process) on one rifa of the real host (rifa-host serve) while buyers purchase one number at a
# time over the REST API; each purchase's hold and sale reach every subscriber. Prints the delivery
# latency from commit to receipt (the frame's "ts" is stamped when the change is made, just before
# its commit: the PostgreSQL trigger's clock_timestamp(), SQLite's post-commit hook) p50/p99 over
# every (subscriber, frame), and the host's RSS before, with the subscribers idle (per subscriber)
# and at peak. Back to back, the reference: bench/live/live_ref_broadcaster (bare Boost.Beast, no
# database, no feed) sends the same number of frames at the same pace to the same N subscribers,
# measured by the same client; the ratios are what to read (the machine is shared). Also the CPU
# time each server used per 1000 frames delivered while the frames flowed (the host's includes
# serving the purchases): on a loaded machine latencies mostly measure the queue for the CPU,
# while CPU per frame still says what the fan-out costs.
#
#   BUILD_DIR=build bash bench/live/run.sh
# Environment (defaults): BUILD_DIR (build), BACKENDS ("postgresql sqlite"), SUBSCRIBERS
# ("1000 5000"), PURCHASES (60, one number each), BUYERS (4), IO_THREADS (2), POOL_SIZE (8).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
source "$ROOT/bench/api/host_lib.sh"
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
BACKENDS=${BACKENDS:-postgresql sqlite}
SUBSCRIBERS=${SUBSCRIBERS:-1000 5000}
PURCHASES=${PURCHASES:-60}
BUYERS=${BUYERS:-4}
IO_THREADS=${IO_THREADS:-2}
POOL_SIZE=${POOL_SIZE:-8}
HOST_BIN="$BUILD_DIR/host/main/rifa-host"
REF_BIN="$BUILD_DIR/bench/live/live_ref_broadcaster"
WS_DIR="$BUILD_DIR/npm/ws"
CLIENT="$ROOT/bench/live/live_bench_client.js"

for bin in "$HOST_BIN" "$REF_BIN"; do
  [[ -x "$bin" ]] || { echo "bench/live: $bin is missing; build first (cmake --build build --target rifa-host live_ref_broadcaster)" >&2; exit 1; }
done
for tool in jq curl node; do
  command -v "$tool" >/dev/null || { echo "bench/live: $tool is needed" >&2; exit 1; }
done
# The same pinned ws as the live feed's tests (tests/integration/live/CMakeLists.txt), by the same installer.
bash "$ROOT/tests/support/npm_install.sh" "$WS_DIR" "bench/live" ws@8.18.0 >/dev/null ||
  { echo "bench/live: the ws npm package could not be installed into $WS_DIR" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"

source "$ROOT/scripts/pg_throwaway.sh"
WORK=$(mktemp -d /tmp/rifa-bench-live.XXXXXX)
HOST_PID=""
CLIENT_PID=""
stop_host() {
  if [[ -n "$HOST_PID" ]]; then
    kill -TERM "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=""
  fi
}
cleanup() {
  [[ -n "$CLIENT_PID" ]] && kill "$CLIENT_PID" 2>/dev/null || true
  stop_host
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

ADMIN_EMAIL=bench-admin@rifa1122.test
ADMIN_PASSWORD='Bench-admin-password-2026!'
PLAYER_PASSWORD='Bench-player-password-2026!'

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
# CPU time a process used so far (user + system), in ms: what the fan-out costs, which a loaded
# machine stretches far less than it stretches latencies.
TICK_HZ=$(getconf CLK_TCK)
cpu_ms() { awk -v hz="$TICK_HZ" '{ printf "%d", ($14 + $15) * 1000 / hz }' "/proc/$1/stat"; }
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
now_s() { date +%s.%N; }

write_config() {
  local url=$1 port=$2 file=$3
  cat >"$file" <<YAML
server:
  listen: 127.0.0.1
  port: $port
  io_threads: $IO_THREADS
  rate_limit: {per_ip: {per_second: 0, burst: 1}, per_user: {per_second: 0, burst: 1}}
  max_connections: 60000
  max_connections_per_ip: 60000
  live: {max_subscribers: 60000, max_subscribers_per_ip: 60000}
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

# Starts the Node subscribers on URL; waits until each has its snapshot.
start_clients() {
  local url=$1 n=$2 out=$3
  node "$CLIENT" "$WS_DIR" "$url" "$n" >"$out" 2>&1 &
  CLIENT_PID=$!
  for _ in $(seq 1 1200); do
    grep -q '^ready' "$out" && return 0
    kill -0 "$CLIENT_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "bench/live: the subscribers did not all get their snapshot:" >&2
  cat "$out" >&2
  exit 1
}

wait_clients() {  # wait_clients OUT → sets CLIENT_RESULT (the client's summary line)
  wait "$CLIENT_PID" || true
  CLIENT_PID=""
  CLIENT_RESULT=$(grep '^{' "$1" | tail -1 || true)
  [[ -n "$CLIENT_RESULT" ]] || { echo "bench/live: the subscribers printed no result:" >&2; cat "$1" >&2; exit 1; }
}

run_host() {  # run_host BACKEND URL N → sets HOST_RESULT, HOST_RSS, HOST_SECONDS, HOST_CPU (ms, purchases included)
  local name=$1 url=$2 n=$3
  PORT=$(pg_free_port)
  write_config "$url" "$PORT" "$WORK/$name.yaml"
  "$HOST_BIN" --config "$WORK/$name.yaml" serve >"$WORK/host-$name.log" 2>&1 &
  HOST_PID=$!
  wait_for_host "$WORK/host-$name.log"
  RIFA_ADMIN_PASSWORD=$ADMIN_PASSWORD "$HOST_BIN" --config "$WORK/$name.yaml" users create-admin \
    --email "$ADMIN_EMAIL" --nombre Bench >/dev/null 2>&1 || true
  local token categoria loteria now fin rifa
  token=$(api POST /auth/login "" "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
  categoria=$(api GET '/categorias?per_page=100' "$token" | jq -r '.items[0].id')
  loteria=$(api GET '/loterias?per_page=100' "$token" | jq -r '[.items[] | select(.plugin_instance == "mock")][0].id')
  now=$(date -u -d '-1 hour' +%Y-%m-%dT%H:%M:%SZ)
  fin=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  rifa=$(api POST /rifas "$token" "$(jq -nc --arg c "$categoria" --arg l "$loteria" --arg i "$now" --arg f "$fin" \
    '{nombre: "Bench live", categoria_id: $c, loteria_id: $l, fecha_inicio: $i, fecha_fin: $f, total_boletas: 10000}')" |
    jq -r .id)
  api PATCH "/rifas/$rifa" "$token" '{"estado":"activa"}' >/dev/null
  local tokens=()
  for b in $(seq 1 "$BUYERS"); do
    local email="bench-live-$b-$name-$n@rifa1122.test"
    curl -sS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/auth/register" -H 'Content-Type: application/json' \
      --data "{\"nombre\":\"Jugador $b\",\"email\":\"$email\",\"password\":\"$PLAYER_PASSWORD\",\"fecha_nacimiento\":\"1990-05-17\",\"documento_tipo\":\"CC\",\"documento_numero\":\"8100$b\",\"acepta_politica_datos\":true}"
    tokens+=("$(api POST /auth/login "" "{\"email\":\"$email\",\"password\":\"$PLAYER_PASSWORD\"}" | jq -r .access_token)")
  done

  local rss0 rss1 t0 t1 cpu0
  rss0=$(rss_kb "$HOST_PID")
  start_clients "ws://127.0.0.1:$PORT/api/v1/rifas/$rifa/live" "$n" "$WORK/client-$name-$n.txt"
  sleep 1
  rss1=$(rss_kb "$HOST_PID")
  cpu0=$(cpu_ms "$HOST_PID")
  t0=$(now_s)
  local per=$(( (PURCHASES + BUYERS - 1) / BUYERS ))
  local buyers=()
  for b in $(seq 0 $((BUYERS - 1))); do
    (
      for k in $(seq 1 "$per"); do
        curl -sS -o /dev/null -X POST "http://127.0.0.1:$PORT/api/v1/rifas/$rifa/tickets" \
          -H 'Content-Type: application/json' -H "Authorization: Bearer ${tokens[$b]}" \
          --data "{\"quantity\":1,\"idempotency_key\":\"live-$b-$k\"}"
      done
    ) &
    buyers+=($!)
  done
  wait "${buyers[@]}"
  t1=$(now_s)
  api POST "/rifas/$rifa/cerrar" "$token" >/dev/null
  wait_clients "$WORK/client-$name-$n.txt"
  HOST_CPU=$(( $(cpu_ms "$HOST_PID") - cpu0 ))
  HOST_RESULT=$CLIENT_RESULT
  HOST_SECONDS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  HOST_RSS="$rss0 $rss1 $(hwm_kb "$HOST_PID")"
  stop_host
}

run_ref() {  # run_ref N FRAMES INTERVAL_MS → sets REF_RESULT, REF_RSS, REF_CPU (ms)
  local n=$1 frames=$2 interval=$3
  local port
  port=$(pg_free_port)
  "$REF_BIN" "$port" "$n" "$frames" "$interval" "$IO_THREADS" >"$WORK/ref.log" 2>&1 &
  local pid=$!
  for _ in $(seq 1 100); do grep -q listening "$WORK/ref.log" && break; sleep 0.05; done
  local rss0
  rss0=$(rss_kb "$pid")
  start_clients "ws://127.0.0.1:$port/live" "$n" "$WORK/client-ref-$n.txt"
  local rss1 cpu0
  rss1=$(rss_kb "$pid")
  cpu0=$(cpu_ms "$pid")
  wait_clients "$WORK/client-ref-$n.txt"
  REF_CPU=$(( $(cpu_ms "$pid") - cpu0 ))
  REF_RESULT=$CLIENT_RESULT
  REF_RSS="$rss0 $rss1 $(hwm_kb "$pid" 2>/dev/null || echo 0)"
  wait "$pid" 2>/dev/null || true
}

echo "bench/live: $PURCHASES one-number purchases by $BUYERS buyers per run; load $(cut -d' ' -f1-3 /proc/loadavg)"
for backend in $BACKENDS; do
  case "$backend" in
    postgresql)
      pg_start >/dev/null
      url="postgresql://postgres@127.0.0.1:${PGPORT}/postgres" ;;
    sqlite)
      url="sqlite3://$WORK/live.db" ;;
    *) echo "bench/live: unknown backend $backend" >&2; exit 1 ;;
  esac
  for n in $SUBSCRIBERS; do
    [[ "$backend" == sqlite ]] && rm -f "$WORK"/live.db*
    run_host "$backend" "$url" "$n"
    frames=$(jq -r '.frames' <<<"$HOST_RESULT")
    per_sub=$(( frames / n ))
    [[ $per_sub -lt 1 ]] && per_sub=1
    interval=$(awk -v s="$HOST_SECONDS" -v f="$per_sub" 'BEGIN { v = s * 1000 / f; printf "%d", (v < 1 ? 1 : v) }')
    run_ref "$n" "$per_sub" "$interval"
    read -r h0 h1 hpeak <<<"$HOST_RSS"
    read -r r0 r1 rpeak <<<"$REF_RSS"
    jq -nr --arg b "$backend" --argjson n "$n" --argjson h "$HOST_RESULT" --argjson r "$REF_RESULT" \
      --argjson h0 "$h0" --argjson h1 "$h1" --argjson hp "$hpeak" --argjson r0 "$r0" --argjson r1 "$r1" \
      --argjson rp "${rpeak:-0}" --arg secs "$HOST_SECONDS" --argjson hc "$HOST_CPU" --argjson rc "$REF_CPU" '
      def r2: . * 100 | round / 100;
      "== \($b), \($n) subscribers: \($h.frames) frames received (\($h.frames / $n | floor) each) in \($secs) s of purchases; closed early \($h.closed_early)",
      "  host       p50 \($h.p50_ms) ms  p99 \($h.p99_ms) ms  max \($h.max_ms) ms;  RSS \($h0/1024|r2) MiB before, +\((($h1-$h0)/$n)|r2) KiB per idle subscriber, peak \($hp/1024|r2) MiB",
      "  reference  p50 \($r.p50_ms) ms  p99 \($r.p99_ms) ms  max \($r.max_ms) ms;  RSS +\((($r1-$r0)/$n)|r2) KiB per idle subscriber, peak \($rp/1024|r2) MiB",
      "  CPU per 1000 frames delivered: host \($hc * 1000 / ([$h.frames, 1] | max) | r2) ms (its purchases included), reference \($rc * 1000 / ([$r.frames, 1] | max) | r2) ms",
      "  ratio host/reference: p50 \(($h.p50_ms / ([$r.p50_ms, 0.01] | max)) | r2)x, p99 \(($h.p99_ms / ([$r.p99_ms, 0.01] | max)) | r2)x, KiB per idle subscriber \(((($h1-$h0)/$n) / ([(($r1-$r0)/$n), 0.01] | max)) | r2)x"'
  done
  [[ "$backend" == postgresql ]] && pg_stop >/dev/null 2>&1 || true
done
