#!/usr/bin/env bash
# CTest fixture: installs Stripe's official Node library at a pinned version into the build tree
# (never committed), for stripe_signature_npm_test. Exits 77 (CTest: skipped) without npm or
# without a registry to install from, saying so.
set -u
prefix="$1"
version="$2"
if [[ -f "$prefix/node_modules/stripe/package.json" ]] &&
   grep -q "\"version\": \"$version\"" "$prefix/node_modules/stripe/package.json"; then
  echo "stripe@$version already installed in $prefix"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: npm/node not found; the Stripe signature cross-check needs them (apt-get install nodejs npm)"
  exit 77
fi
mkdir -p "$prefix"
if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error "stripe@$version"; then
  echo "SKIPPED: npm install stripe@$version failed (no registry access?)"
  exit 77
fi
echo "installed stripe@$version in $prefix"
