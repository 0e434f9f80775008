#!/usr/bin/env bash
# Database round trips per purchase, counted by the server itself: a throwaway PostgreSQL with
# log_statement=all, the real host (rifa-host serve) on it, one jugador, one activa rifa bound to
# the sandbox payment and ONE notifier (log). After a few warm-up purchases (so that statements
# prepared once per pooled session are prepared), it makes PURCHASES one-ticket purchases one after
# another over HTTP and counts every statement the host's sessions sent meanwhile (BEGIN/COMMIT
# included; the auth lookup of the handler included). The host runs with jobs.workers 0, so the
# notification jobs a sale queues are not delivered meanwhile (that is work after the purchase,
# not part of it).
#
#   bash bench/api/round_trips.sh        # prints "round trips per one-ticket purchase: N"
# Environment (defaults): BUILD_DIR (build), PURCHASES (20), WARMUP (5), VERBOSE (unset: set it to
# print the statements of one purchase).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/host_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
PURCHASES=${PURCHASES:-20}
WARMUP=${WARMUP:-5}
HOST_BIN="$BUILD_DIR/host/main/rifa-host"
[[ -x "$HOST_BIN" ]] || { echo "round_trips: $HOST_BIN is missing; build first" >&2; exit 1; }
for tool in jq curl psql; do
  command -v "$tool" >/dev/null || { echo "round_trips: $tool is needed" >&2; exit 1; }
done

source "$ROOT/scripts/pg_throwaway.sh"
WORK=$(mktemp -d /tmp/rifa-round-trips.XXXXXX)
HOST_PID=""
cleanup() {
  if [[ -n "$HOST_PID" ]]; then kill -TERM "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT

pg_start >/dev/null
pg_query() { psql -X -q -t -A -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -c "$1"; }
# Every statement in the server log, tagged with the client's application_name (psql's own
# statements are told apart by it). No restart needed: these are reloadable settings.
pg_query "ALTER SYSTEM SET log_statement = 'all'" >/dev/null
pg_query "ALTER SYSTEM SET log_line_prefix = '%m [%p] app=%a '" >/dev/null
pg_query "SELECT pg_reload_conf()" >/dev/null
sleep 0.3

PORT=$(pg_free_port)
cat >"$WORK/host.yaml" <<YAML
server:
  listen: 127.0.0.1
  port: $PORT
  rate_limit: {per_ip: {per_second: 0, burst: 1}, per_user: {per_second: 0, burst: 1}}
database:
  url: "postgresql://postgres@127.0.0.1:$PGPORT/postgres"
  pool_size: 4
  migrate_on_start: true
  seed: $ROOT/fixtures/seed
secrets:
  jwt_secret: round-trips-only-jwt-secret-0123456789abcdef0123
logging: {level: warn, format: text}
jobs: {workers: 0}
$(bench_plugins_yaml "$BUILD_DIR/plugins" round-trips-sandbox-secret-0123456789abcdef)
YAML
"$HOST_BIN" --config "$WORK/host.yaml" serve >"$WORK/host.log" 2>&1 &
HOST_PID=$!
wait_for_host "$WORK/host.log"

ADMIN_EMAIL=rt-admin@rifa1122.test
ADMIN_PASSWORD='Round-trips-admin-password-2026!'
PLAYER_PASSWORD='Round-trips-player-password-2026!'
RIFA_ADMIN_PASSWORD=$ADMIN_PASSWORD "$HOST_BIN" --config "$WORK/host.yaml" users create-admin \
  --email "$ADMIN_EMAIL" --nombre RoundTrips >/dev/null
admin=$(api POST /auth/login "" "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}" | jq -r .access_token)
categoria=$(api GET '/categorias?per_page=100' "$admin" | jq -r '.items[0].id')
loteria=$(api GET '/loterias?per_page=100' "$admin" | jq -r '[.items[] | select(.plugin_instance == "mock")][0].id')
rifa=$(api POST /rifas "$admin" "$(jq -nc --arg c "$categoria" --arg l "$loteria" \
  --arg i "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg f "$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)" \
  '{nombre: "RoundTrips", categoria_id: $c, loteria_id: $l, fecha_inicio: $i, fecha_fin: $f, total_boletas: 1000}')" \
  | jq -r .id)
api PATCH "/rifas/$rifa" "$admin" '{"estado":"activa"}' >/dev/null
api POST /auth/register "" "{\"nombre\":\"Jugador\",\"email\":\"rt-player@rifa1122.test\",\"password\":\"$PLAYER_PASSWORD\",\"fecha_nacimiento\":\"1990-05-17\",\"documento_tipo\":\"CC\",\"documento_numero\":\"70001\",\"acepta_politica_datos\":true}" >/dev/null
player=$(api POST /auth/login "" "{\"email\":\"rt-player@rifa1122.test\",\"password\":\"$PLAYER_PASSWORD\"}" | jq -r .access_token)

buy() {
  local answer
  answer=$(curl -sS -o "$WORK/answer.json" -w '%{http_code}' -X POST "http://127.0.0.1:$PORT/api/v1/rifas/$rifa/tickets" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $player" \
    --data "{\"quantity\":1,\"idempotency_key\":\"rt-$1\"}")
  [[ "$answer" == 201 ]] || { echo "round_trips: purchase $1 answered $answer: $(cat "$WORK/answer.json")" >&2; exit 1; }
}
for i in $(seq 1 "$WARMUP"); do buy "warm-$i"; done

LOG="$PGTMP/log"
mark() { pg_query "SELECT 'round-trips-mark-$1'" >/dev/null; }
# The statements of the host's sessions between two marks (psql's own are told apart by their
# application_name).
count_between() {
  awk -v from="round-trips-mark-$1" -v to="round-trips-mark-$2" '
    index($0, from) { on = 1; next }
    index($0, to) { on = 0 }
    on && !/ app=psql / && / LOG:  (statement|execute [^:]*):/ { n++ }
    END { print n + 0 }' "$LOG"
}

mark one-start
buy one
mark one-end
mark many-start
for i in $(seq 1 "$PURCHASES"); do buy "n-$i"; done
mark many-end
sleep 0.5  # the log collector is asynchronous
[[ -n "${KEEP_LOG:-}" ]] && cp "$LOG" "$KEEP_LOG"

if [[ -n "${VERBOSE:-}" ]]; then
  echo "statements of one purchase:"
  awk '/round-trips-mark-one-start/ { on = 1; next } /round-trips-mark-one-end/ { on = 0 }
       on && !/ app=psql / && / LOG:  (statement|execute [^:]*):/ { sub(/.* LOG:  /, ""); print "  " substr($0, 1, 150) }' "$LOG"
fi
total=$(count_between many-start many-end)
# The live feed's outbox relay (storage/live_outbox_relay.hpp) runs after each commit of this host:
# with one purchase at a time that is once per transaction; under load one relay sends many.
relay=$(awk -v from="round-trips-mark-many-start" -v to="round-trips-mark-many-end" '
    index($0, from) { on = 1; next }
    index($0, to) { on = 0 }
    on && !/ app=psql / && / LOG:  (statement|execute [^:]*):/ && /rifa_live_relay/ { n++ }
    END { print n + 0 }' "$LOG")
sold=$(pg_query "SELECT count(*) FROM tickets WHERE rifa_id = '$rifa' AND estado = 'vendido'")
echo "statements for $PURCHASES purchases: $total (sold in the rifa: $sold, warm-up included)"
awk -v t="$total" -v r="$relay" -v n="$PURCHASES" 'BEGIN {
  printf "round trips per one-ticket purchase: %.1f (%.1f of them the live outbox relay, after the purchase'"'"'s commits)\n", t / n, r / n }'
