#!/usr/bin/env bash
# Settlement benchmark on SQLite and on a throwaway PostgreSQL (started here, stopped on exit).
#   bash bench/settlement/run.sh [rifas] [tickets_per_rifa]      (defaults 100 10000)
# Needs a build: BUILD_DIR (default build) must hold bench/settlement/settlement_bench.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
source "$ROOT/scripts/pg_throwaway.sh"
trap pg_stop EXIT
# A free port can be taken between the probe and the bind (other servers start too): try again.
for attempt in 1 2 3; do
  if pg_start; then break; fi
  pg_stop
  [[ $attempt == 3 ]] && exit 1
done
RIFA_BENCH_POSTGRES_URL="postgresql://postgres@127.0.0.1:$PGPORT/postgres" \
  "$BUILD_DIR/bench/settlement/settlement_bench" "$@"
