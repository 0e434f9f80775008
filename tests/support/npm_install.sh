#!/usr/bin/env bash
# CTest fixture behind rifa_npm_fixture() (cmake/RifaTesting.cmake): installs npm packages at
# pinned versions into a folder of the build tree (never committed), for the tests that check our
# output with a standard's or a provider's own library. Exits 77 (CTest: skipped), saying why,
# without node/npm or without a registry to install from; installs nothing when every package is
# already there at its version.
#   npm_install.sh PREFIX WHAT-NEEDS-IT NAME@VERSION...
set -u
prefix="$1"
needed_by="$2"
shift 2
missing=()
for spec in "$@"; do
  name="${spec%@*}" version="${spec##*@}"
  manifest="$prefix/node_modules/$name/package.json"
  if [[ -f "$manifest" ]] && grep -q "\"version\": \"$version\"" "$manifest"; then continue; fi
  missing+=("$spec")
done
if ((${#missing[@]} == 0)); then
  echo "$* already installed in $prefix"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: npm/node not found; $needed_by needs ${missing[*]} (scripts/setup.sh installs nodejs and npm)"
  exit 77
fi
mkdir -p "$prefix"
if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "$@"; then
  echo "SKIPPED: npm install $* failed (no registry access?); $needed_by will skip"
  exit 77
fi
echo "installed $* in $prefix"
