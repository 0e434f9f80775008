#!/usr/bin/env bash
# The README's *test* command: install what is missing, build, start a throwaway PostgreSQL, run every
# CTest test (the database tests run once on SQLite and once on PostgreSQL), stop PostgreSQL.
# Fails when the `postgres` tests did not run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RIFA_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh" --tests
bash "$root/scripts/build.sh"

source "$root/scripts/pg_throwaway.sh"
pg_start
trap pg_stop EXIT
export RIFA_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:${PGPORT}/postgres"
export RIFA_REQUIRE_POSTGRES=1

cd "$build"
ctest --output-on-failure -j "${RIFA_TEST_JOBS:-2}" --output-junit "$build/ctest-junit.xml" "$@"

# The postgres tests must have run against the server: present in the report, none skipped.
junit="$build/ctest-junit.xml"
pg_ran=$(grep -cE '<testcase name="[^"]*\.postgres"[^>]*status="run"' "$junit" || true)
pg_not_run=$(grep -E '<testcase name="[^"]*\.postgres"' "$junit" | grep -cv 'status="run"' || true)
if [[ "$pg_not_run" -gt 0 ]]; then
  echo "test.sh: ${pg_not_run} 'postgres' test(s) did not run (skipped); see $junit" >&2
  exit 1
fi
if [[ "$pg_ran" -eq 0 ]]; then
  echo "test.sh: no 'postgres' test ran; PostgreSQL coverage is missing" >&2
  exit 1
fi
echo "test.sh: ${pg_ran} test(s) ran against PostgreSQL on 127.0.0.1:${PGPORT}"

# The deployment tests (label deploy: the .deb installed and served, nginx in front of hosts) skip
# with 77 where they cannot run (not root, rifa1122 already installed); like a skipped postgres
# test, that fails the run unless the caller says it may (RIFA_ALLOW_DEPLOY_SKIP=1).
deploy_not_run=()
while read -r name; do
  [[ -n "$name" ]] || continue
  grep -qE "<testcase name=\"${name//./\\.}\"[^>]*status=\"run\"" "$junit" || deploy_not_run+=("$name")
done < <(ctest -N -L '^deploy$' "$@" | sed -n 's/^ *Test *#[0-9]*: //p')
if ((${#deploy_not_run[@]} > 0)); then
  if [[ "${RIFA_ALLOW_DEPLOY_SKIP:-0}" == 1 ]]; then
    echo "test.sh: deployment test(s) not run, allowed by RIFA_ALLOW_DEPLOY_SKIP=1: ${deploy_not_run[*]}" >&2
  else
    echo "test.sh: deployment test(s) did not run (skipped): ${deploy_not_run[*]}; see their output above," \
      "or set RIFA_ALLOW_DEPLOY_SKIP=1 to accept it" >&2
    exit 1
  fi
fi
