#!/usr/bin/env bash
# CTest fixture: installs the `ws` WebSocket client at a pinned version into the build tree
# (never committed), for live_feed_test's WebSocket cases. Exits 77 (CTest: skipped) without npm
# or without a registry to install from, saying so.
set -u
prefix="$1"
version="$2"
if [[ -f "$prefix/node_modules/ws/package.json" ]] &&
   grep -q "\"version\": \"$version\"" "$prefix/node_modules/ws/package.json"; then
  echo "ws@$version already installed in $prefix"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: npm/node not found; the live feed's WebSocket tests need them (apt-get install nodejs npm)"
  exit 77
fi
mkdir -p "$prefix"
if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "ws@$version"; then
  echo "SKIPPED: npm install ws@$version failed (no registry access?)"
  exit 77
fi
echo "installed ws@$version in $prefix"
