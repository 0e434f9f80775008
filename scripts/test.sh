#!/usr/bin/env bash
# The README's *test* command: install what is missing, build, start a throwaway PostgreSQL, run every
# CTest test (the database tests run once on SQLite and once on PostgreSQL), stop PostgreSQL.
# Fails when the `postgres` tests did not run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RIFA_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"

source "$root/scripts/pg_throwaway.sh"
pg_start
trap pg_stop EXIT
export RIFA_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:${PGPORT}/postgres"
export RIFA_REQUIRE_POSTGRES=1

cd "$build"
ctest --output-on-failure -j "${RIFA_TEST_JOBS:-2}" --output-junit "$build/ctest-junit.xml" "$@"

# The postgres tests must have run (not merely been skipped or filtered away).
pg_ran=$(ctest -N -L postgres | sed -n 's/^Total Tests: //p')
if [[ -z "$pg_ran" || "$pg_ran" -eq 0 ]]; then
  echo "test.sh: no test labelled 'postgres' exists; PostgreSQL coverage is missing" >&2
  exit 1
fi
if grep -q 'status="skipped"' <(grep -E 'name="[^"]*\.postgres"' "$build/ctest-junit.xml"); then
  echo "test.sh: some 'postgres' tests were skipped" >&2
  exit 1
fi
echo "test.sh: ${pg_ran} postgres tests ran against PostgreSQL on port ${PGPORT}"
