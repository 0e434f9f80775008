#!/usr/bin/env bash
# HTTP API benchmark: the real host (rifa-host serve) on PostgreSQL and on SQLite, driven over
# loopback by wrk:
#   - POST /api/v1/rifas/{id}/tickets (one ticket, a new idempotency key each, as 32 jugadores),
#   - GET  /api/v1/rifas/{id},
# then the sold/transaction consistency check, then the purchase's own SQL straight against the
# same PostgreSQL with pgbench (bench/api/purchase.pgbench.sql), then the references of
# ../shared/bench-peers run back to back on this machine under the same synchronous_commit:
#   - the seed's own stack (FastAPI + uvicorn + psycopg2) doing the same purchase,
#   - the one-transaction purchase under pgbench (the database's floor),
#   - a bare Boost.Beast server (the HTTP ceiling for a read),
# and the ratios the purchase-speed goals are stated in. Figures alone mean little on a shared
# machine; the ratios, measured in one run, are what to compare.
#
#   bash bench/api/run.sh
# Environment (defaults): BUILD_DIR (build), BACKENDS ("postgresql sqlite"), DURATION (10s),
# CONNECTIONS (64), WRK_THREADS (2), IO_THREADS (2), POOL_SIZE (8), USERS (32), TICKETS (200000),
# JOB_WORKERS (2: the host's job threads, which run the notification each sale queues),
# PGBENCH_MODE (prepared; extended or simple parse every statement),
# SYNC (on: PostgreSQL with fsync and synchronous_commit on, as production runs; "off" for the
# fsync-off variant, labelled as such), PEERS (../shared/bench-peers; skipped with a note when
# absent or when RUN_PEERS=0).
# KEEP_LOGS (unset; a folder: the hosts' logs are copied there at the end),
# PROFILE (0; 1: where a purchase's time goes, on PostgreSQL: pg_stat_statements' top statements,
# a histogram of pg_stat_activity's wait events sampled every 20 ms during the purchase run, and
# `perf record` of the host process, printed after the purchase line).
# SQLite runs as configured (WAL, synchronous FULL).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/host_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
BACKENDS=${BACKENDS:-postgresql sqlite}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
IO_THREADS=${IO_THREADS:-2}
POOL_SIZE=${POOL_SIZE:-8}
USERS=${USERS:-32}
TICKETS=${TICKETS:-200000}
JOB_WORKERS=${JOB_WORKERS:-2}
PGBENCH_MODE=${PGBENCH_MODE:-prepared}
SYNC=${SYNC:-on}
PEERS=${PEERS:-$ROOT/../shared/bench-peers}
RUN_PEERS=${RUN_PEERS:-1}
PROFILE=${PROFILE:-0}
HOST_BIN="$BUILD_DIR/host/main/rifa-host"
BENCH_DIR="$ROOT/bench/api"

[[ -x "$HOST_BIN" ]] || { echo "bench/api: $HOST_BIN is missing; build first (bash scripts/build.sh)" >&2; exit 1; }
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v jq >/dev/null || missing+=(jq)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v curl >/dev/null || missing+=(curl)
if ((${#missing[@]})); then
  echo "bench/api: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
    || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

case $SYNC in on|off) ;; *) echo "bench/api: SYNC is on or off, not '$SYNC'" >&2; exit 2 ;; esac
source "$ROOT/scripts/pg_throwaway.sh"
# The host's PostgreSQL: fsync and synchronous_commit as SYNC says, the peers' shared_buffers.
export RIFA_PG_FSYNC=$SYNC
export RIFA_PG_OPTS="-c synchronous_commit=$SYNC -c shared_buffers=256MB"
if [[ $PROFILE == 1 ]]; then
  RIFA_PG_OPTS+=" -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
fi
WORK=$(mktemp -d /tmp/rifa-bench-api.XXXXXX)
HOST_PID=""
stop_host() {
  if [[ -n "$HOST_PID" ]]; then
    kill -TERM "$HOST_PID" 2>/dev/null || true
    wait "$HOST_PID" 2>/dev/null || true
    HOST_PID=""
  fi
}
cleanup() { stop_host; pg_stop; [[ -n "${KEEP_LOGS:-}" ]] && mkdir -p "$KEEP_LOGS" && cp "$WORK"/host-*.log "$KEEP_LOGS"/ 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

ADMIN_EMAIL=bench-admin@rifa1122.test
ADMIN_PASSWORD='Bench-admin-password-2026!'
PLAYER_PASSWORD='Bench-player-password-2026!'

# The host's config for one backend: the default config with the bench's sizes, no rate limits
# (one client address sends everything) and quiet logs.
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
jobs: {workers: $JOB_WORKERS}
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

# A new activa rifa of $TICKETS numbers in the seed's first categoria, on the mock lottery.
new_rifa() {
  local token=$1 categoria loteria now fin id
  categoria=$(api GET '/categorias?per_page=100' "$token" | jq -r '.items[0].id')
  loteria=$(api GET '/loterias?per_page=100' "$token" | jq -r '[.items[] | select(.plugin_instance == "mock")][0].id')
  now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  fin=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
  id=$(api POST /rifas "$token" "$(jq -nc --arg c "$categoria" --arg l "$loteria" --arg i "$now" --arg f "$fin" \
        --argjson n "$TICKETS" '{nombre: "Bench", categoria_id: $c, loteria_id: $l, fecha_inicio: $i,
        fecha_fin: $f, total_boletas: $n}')" | jq -r .id)
  api PATCH "/rifas/$id" "$token" '{"estado":"activa"}' >/dev/null
  echo "$id"
}

# The user id in an access token's claims (base64url JSON between the two dots).
token_user_id() {
  local payload
  payload=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while (( ${#payload} % 4 )); do payload+='='; done
  base64 -d <<<"$payload" | jq -r .user_id
}

# Registers $USERS jugadores (argon2id makes this take a moment) into $WORK/users.lua. Sign-up
# answers 202 without the account (it never tells which emails exist), so each then logs in.
register_players() {
  local name=$1
  echo "users = {" >"$WORK/users.lua"
  for i in $(seq 1 "$USERS"); do
    echo "$i"
  done | xargs -P 4 -I{} curl -sS --fail-with-body -X POST "http://127.0.0.1:$PORT/api/v1/auth/register" \
      -H 'Content-Type: application/json' \
      --data "{\"nombre\":\"Jugador {}\",\"email\":\"bench-{}-$name@rifa1122.test\",\"password\":\"$PLAYER_PASSWORD\",\"fecha_nacimiento\":\"1990-05-17\",\"documento_tipo\":\"CC\",\"documento_numero\":\"7000{}\",\"acepta_politica_datos\":true}" \
      -o "$WORK/player-{}.json" \
    || { echo "bench/api: registering the jugadores failed; answers, then the host's log:" >&2
         cat "$WORK"/player-*.json "$WORK/host-$name.log" >&2; exit 1; }
  for i in $(seq 1 "$USERS"); do
    echo "$i"
  done | xargs -P 4 -I{} curl -sS --fail-with-body -X POST "http://127.0.0.1:$PORT/api/v1/auth/login" \
      -H 'Content-Type: application/json' \
      --data "{\"email\":\"bench-{}-$name@rifa1122.test\",\"password\":\"$PLAYER_PASSWORD\"}" \
      -o "$WORK/player-{}.json" \
    || { echo "bench/api: logging the jugadores in failed; answers, then the host's log:" >&2
         cat "$WORK"/player-*.json "$WORK/host-$name.log" >&2; exit 1; }
  local token
  for i in $(seq 1 "$USERS"); do
    token=$(jq -r .access_token "$WORK/player-$i.json")
    echo "  {id = \"$(token_user_id "$token")\", token = \"$token\"}," >>"$WORK/users.lua"
  done
  echo "}" >>"$WORK/users.lua"
  FIRST_PLAYER=$(token_user_id "$(jq -r .access_token "$WORK/player-1.json")")
}

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" <<<"$2"; }

# PROFILE=1 (PostgreSQL): statement times, wait events and the host's CPU during the purchase run.
PROFILE_PIDS=()
profile_start() {
  pg_query "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" >/dev/null
  (while :; do
     pg_query "SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity
               WHERE backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()"
     sleep 0.02
   done >"$WORK/waits.txt" 2>/dev/null) &
  PROFILE_PIDS=($!)
  if command -v perf >/dev/null; then
    perf record -F 499 -g -p "$HOST_PID" -o "$WORK/perf.data" -- sleep "${DURATION%s}" >/dev/null 2>&1 &
    PROFILE_PIDS+=($!)
  fi
}
profile_report() {
  kill "${PROFILE_PIDS[0]}" 2>/dev/null || true
  wait "${PROFILE_PIDS[@]}" 2>/dev/null || true
  echo "  -- pg_stat_statements, top 10 by total time (ms):"
  pg_query "SELECT round(total_exec_time) || ' total, ' || calls || ' calls, ' || round(mean_exec_time::numeric, 3) ||
            ' mean | ' || left(regexp_replace(query, '\s+', ' ', 'g'), 150)
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 10" | sed 's/^/     /'
  echo "  -- wait events of active client backends, sampled every 20 ms (samples, event):"
  echo "    $(wc -l <"$WORK/waits.txt") samples of active backends"
  sort "$WORK/waits.txt" | uniq -c | sort -rn | sed -n '1,10s/^/    /p'
  if [[ -s "$WORK/perf.data" ]]; then
    echo "  -- perf, the host process: top symbols by self time, then by time under them (children):"
    perf report -i "$WORK/perf.data" --stdio --no-children --sort dso,symbol 2>/dev/null \
      | grep -E '^ +[0-9]' | sed 's/ *-* *-* *$//' | cut -c1-150 | sed -n '1,20s/^/    /p' || true
    perf report -i "$WORK/perf.data" --stdio --children --sort symbol 2>/dev/null \
      | grep -E '^ +[0-9]' | sed 's/ *-* *-* *$//' | cut -c1-150 | sed -n '1,30s/^/    /p' || true
  fi
}

declare -A SUMMARY
run_backend() {
  local name=$1 url=$2 query=$3
  echo
  echo "== $name$([[ $name == postgresql ]] && echo " (fsync + synchronous_commit $SYNC)"): io_threads $IO_THREADS, pool_size $POOL_SIZE, job workers $JOB_WORKERS, $CONNECTIONS connections, $DURATION each"
  start_host "$url" "$name"
  local admin_token rifa before out rifa_json
  RIFA_ADMIN_PASSWORD=$ADMIN_PASSWORD "$HOST_BIN" --config "$WORK/$name.yaml" users create-admin \
    --email "$ADMIN_EMAIL" --nombre Bench >/dev/null
  admin_token=$(api POST /auth/login "" "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
  rifa=$(new_rifa "$admin_token")
  register_players "$name"

  [[ $PROFILE == 1 && $name == postgresql ]] && profile_start
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "$BENCH_DIR/purchase.lua" \
        "http://127.0.0.1:$PORT" -- "$rifa" "$$-$name" "$WORK/users.lua" | grep '^RESULT')
  printf '  %-28s %s\n' "POST /rifas/{id}/tickets" "${out#RESULT }"
  [[ $PROFILE == 1 && $name == postgresql ]] && profile_report
  SUMMARY[$name.purchase_rps]=$(field rps "$out")
  SUMMARY[$name.purchase_p50]=$(field p50_ms "$out")
  SUMMARY[$name.purchase_p99]=$(field p99_ms "$out")
  local created
  created=$(field s201 "$out")
  out=$(wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout 10s -s "$BENCH_DIR/read.lua" \
        "http://127.0.0.1:$PORT/api/v1/rifas/$rifa" | grep '^RESULT')
  printf '  %-28s %s\n' "GET /rifas/{id}" "${out#RESULT }"
  SUMMARY[$name.read_rps]=$(field rps "$out")
  SUMMARY[$name.read_p99]=$(field p99_ms "$out")
  rifa_json=$(api GET "/rifas/$rifa")
  stop_host

  # Consistency, read from the database itself: every 201 is a sold number, no number is held,
  # and the succeeded transacciones add up to the sold numbers' prices.
  local sold held sold_cents paid_cents succeeded
  read -r sold held sold_cents paid_cents succeeded < <($query "
    SELECT (SELECT count(*) FROM tickets WHERE rifa_id = '$rifa' AND estado = 'vendido'),
           (SELECT count(*) FROM tickets WHERE rifa_id = '$rifa' AND estado = 'reservado'),
           (SELECT COALESCE(sum(precio), 0) FROM tickets WHERE rifa_id = '$rifa' AND estado = 'vendido'),
           (SELECT COALESCE(sum(amount), 0) FROM transacciones WHERE rifa_id = '$rifa' AND status = 'succeeded'),
           (SELECT count(*) FROM transacciones WHERE rifa_id = '$rifa' AND status = 'succeeded')" | tr '|' ' ')
  local verdict=ok
  if [[ "$sold" != "$succeeded" || "$sold_cents" != "$paid_cents" || "$held" != 0 || "$created" -gt "$sold" ]]; then
    verdict=FAILED
  fi
  printf '  %-28s sold=%s held=%s 201s=%s succeeded_tx=%s sold_cents=%s paid_cents=%s api_vendidas=%s -> %s\n' \
    "consistency" "$sold" "$held" "$created" "$succeeded" "$sold_cents" "$paid_cents" \
    "$(jq -r .vendidas <<<"$rifa_json")" "$verdict"
  [[ $verdict == ok ]] || CONSISTENT=no
  SUMMARY[$name.rifa]=$rifa
}

CONSISTENT=yes
for backend in $BACKENDS; do
  case $backend in
    postgresql)
      for attempt in 1 2 3; do
        if pg_start >/dev/null; then break; fi
        pg_stop
        [[ $attempt == 3 ]] && exit 1
      done
      PGURL="postgresql://postgres@127.0.0.1:$PGPORT/postgres"
      pg_query() { psql -X -q -t -A -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "$1"; }
      run_backend postgresql "$PGURL" pg_query

      # The same purchase as plain SQL on the same server, the host stopped: the ceiling the HTTP
      # path is measured against. Its own rifa, so both start from the same state.
      start_host "$PGURL" postgresql
      admin_token=$(api POST /auth/login "" "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
      raw_rifa=$(new_rifa "$admin_token")
      stop_host
      seconds=${DURATION%s}
      # At the host's own concurrency (pool_size sessions) and at the HTTP run's connection count;
      # the ratio is taken against the better of the two, the database's real ceiling here.
      best_tps=0
      for clients in $(printf '%s\n' "$POOL_SIZE" "$CONNECTIONS" | sort -nu); do
        out=$(pgbench -n -M "$PGBENCH_MODE" -h 127.0.0.1 -p "$PGPORT" -U postgres -c "$clients" -j "$WRK_THREADS" \
              -T "$seconds" -r -D uid="$FIRST_PLAYER" -D rifa="$raw_rifa" -f "$BENCH_DIR/purchase.pgbench.sql" \
              postgres 2>&1) || { echo "$out" >&2; exit 1; }
        tps=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time)/\1/p' <<<"$out")
        lat=$(sed -n 's/^latency average = \([0-9.]*\) ms/\1/p' <<<"$out")
        printf '  %-28s tps=%.1f latency_avg_ms=%s (%s clients, %s mode)\n' "pgbench purchase SQL" "$tps" "$lat" \
          "$clients" "$PGBENCH_MODE"
        [[ -n "${VERBOSE:-}" ]] && echo "$out"
        best_tps=$(awk -v a="$best_tps" -v b="$tps" 'BEGIN { print (b > a ? b : a) }')
      done
      SUMMARY[postgresql.sql_tps]=$best_tps
      pg_stop
      ;;
    sqlite)
      db="$WORK/bench.db"
      sqlite_query() { sqlite3 -batch "$db" "$1"; }
      run_backend sqlite "sqlite3://$db" sqlite_query
      ;;
    *) echo "bench/api: unknown backend '$backend' (postgresql, sqlite)" >&2; exit 2 ;;
  esac
done

# ---- The peers, back to back on this machine -------------------------------------------------
# wrk's --latency lines read "    99%   12.34ms": in milliseconds whatever the unit.
wrk_ms() {
  awk -v p="$1" '$1 == p { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
    m = (u == "us") ? v / 1000 : (u == "s") ? v * 1000 : (u == "m") ? v * 60000 : v; printf "%.2f", m }'
}
if [[ $RUN_PEERS != 1 ]]; then
  echo; echo "== peers: skipped (RUN_PEERS=$RUN_PEERS)"
elif [[ ! -d $PEERS ]]; then
  echo; echo "== peers: skipped ($PEERS is absent): the ratios below need it"
else
  missing=()
  for p in python3-fastapi python3-uvicorn python3-psycopg2 python3-jwt python3-uvloop python3-httptools; do
    [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == "install ok installed" ]] || missing+=("$p")
  done
  if ((${#missing[@]})); then
    echo "bench/api: installing ${missing[*]} for the seed peer"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
  fi
  seconds=${DURATION%s}
  echo
  echo "== peers ($PEERS), synchronous_commit=$SYNC"
  out=$(bash "$PEERS/run_seed_peer.sh" "$seconds" "$CONNECTIONS" "$SYNC" 2>&1) || { echo "$out" >&2; exit 1; }
  SUMMARY[seed.rps]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  SUMMARY[seed.p50]=$(wrk_ms 50% <<<"$out")
  SUMMARY[seed.p99]=$(wrk_ms 99% <<<"$out")
  printf '  %-28s rps=%s p50_ms=%s p99_ms=%s %s\n' "seed peer (FastAPI) purchase" "${SUMMARY[seed.rps]}" \
    "${SUMMARY[seed.p50]}" "${SUMMARY[seed.p99]}" "$(grep '^check:' <<<"$out" || true)"
  out=$(bash "$PEERS/run_pgbench_floor.sh" "$seconds" "$CONNECTIONS" "$WRK_THREADS" 2>&1) || { echo "$out" >&2; exit 1; }
  SUMMARY[floor.tps]=$(awk -v sc="$SYNC" '/^== floor: synchronous_commit=/ { on = index($0, "synchronous_commit=" sc " ") > 0 }
    on && /^tps = / { print $3; exit }' <<<"$out")
  printf '  %-28s tps=%s (%s clients)\n' "pgbench floor, one tx" "${SUMMARY[floor.tps]}" "$CONNECTIONS"
  out=$(BUILD_DIR="$BUILD_DIR/bench-peers/beast_hello" bash "$PEERS/run_beast_hello.sh" "$seconds" "$CONNECTIONS" \
        "$IO_THREADS" 2>&1) || { echo "$out" >&2; exit 1; }
  SUMMARY[beast.rps]=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
  SUMMARY[beast.p99]=$(wrk_ms 99% <<<"$out")
  printf '  %-28s rps=%s p99_ms=%s (%s threads)\n' "bare Beast GET /hello" "${SUMMARY[beast.rps]}" \
    "${SUMMARY[beast.p99]}" "$IO_THREADS"
fi

echo
echo "== summary ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
for backend in $BACKENDS; do
  printf '  %-11s purchases/s %-8s p50/p99 %s/%s ms   reads/s %-9s p99 %s ms\n' "$backend" \
    "${SUMMARY[$backend.purchase_rps]}" "${SUMMARY[$backend.purchase_p50]}" "${SUMMARY[$backend.purchase_p99]}" \
    "${SUMMARY[$backend.read_rps]}" "${SUMMARY[$backend.read_p99]}"
done
# The goals of the purchase-speed work, as ratios to the peers measured above.
goal() {  # goal LABEL VALUE OP TARGET
  awk -v l="$1" -v v="$2" -v op="$3" -v t="$4" 'BEGIN {
    ok = (op == ">=") ? v >= t : v <= t
    printf "  %-58s %8.2f %s %-6s %s\n", l, v, op, t, ok ? "met" : "MISSED" }'
}
if [[ -n "${SUMMARY[seed.rps]:-}" ]]; then
  echo "== ratios (synchronous_commit=$SYNC on PostgreSQL; seed peer ${SUMMARY[seed.rps]} purchases/s)"
  ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0) ? a / b : 0 }'; }
  if [[ -n "${SUMMARY[postgresql.purchase_rps]:-}" ]]; then
    goal "PostgreSQL purchases/s / seed peer" "$(ratio "${SUMMARY[postgresql.purchase_rps]}" "${SUMMARY[seed.rps]}")" ">=" 2
    goal "PostgreSQL purchase p99 (ms)" "${SUMMARY[postgresql.purchase_p99]}" "<=" 40
    goal "PostgreSQL purchases/s / pgbench floor (information)" \
      "$(ratio "${SUMMARY[postgresql.purchase_rps]}" "${SUMMARY[floor.tps]}")" ">=" 0
    goal "PostgreSQL GET /rifas/{id} / bare Beast" "$(ratio "${SUMMARY[postgresql.read_rps]}" "${SUMMARY[beast.rps]}")" ">=" 0.6
    goal "PostgreSQL GET /rifas/{id} p99 (ms)" "${SUMMARY[postgresql.read_p99]}" "<=" 10
  fi
  if [[ -n "${SUMMARY[sqlite.purchase_rps]:-}" ]]; then
    goal "SQLite purchases/s / seed peer" "$(ratio "${SUMMARY[sqlite.purchase_rps]}" "${SUMMARY[seed.rps]}")" ">=" 1.5
    goal "SQLite GET /rifas/{id} / bare Beast" "$(ratio "${SUMMARY[sqlite.read_rps]}" "${SUMMARY[beast.rps]}")" ">=" 0.6
  fi
fi
if [[ -n "${SUMMARY[postgresql.sql_tps]:-}" ]]; then
  awk -v h="${SUMMARY[postgresql.purchase_rps]}" -v s="${SUMMARY[postgresql.sql_tps]}" \
    'BEGIN { printf "  HTTP purchases / raw SQL purchases on PostgreSQL: %.2f (%.1f / %.1f)\n", h / s, h, s }'
fi
[[ $CONSISTENT == yes ]] || { echo "bench/api: consistency check FAILED" >&2; exit 1; }
