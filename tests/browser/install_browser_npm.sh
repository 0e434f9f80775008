#!/usr/bin/env bash
# CTest fixture: installs puppeteer-core and axe-core at pinned versions into the build tree (never
# committed), for the browser tests. Exits 77 (CTest: skipped), saying why, without npm/node or
# without a registry to install from. The browser itself is Debian's chromium (scripts/setup.sh).
set -u
prefix="$1"
puppeteer_version="$2"
axe_version="$3"
installed() {
  local pkg="$1" version="$2"
  [[ -f "$prefix/node_modules/$pkg/package.json" ]] &&
    grep -q "\"version\": \"$version\"" "$prefix/node_modules/$pkg/package.json"
}
if installed puppeteer-core "$puppeteer_version" && installed axe-core "$axe_version"; then
  echo "puppeteer-core@$puppeteer_version and axe-core@$axe_version already installed in $prefix"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "SKIPPED: npm/node not found; the browser tests need them (scripts/setup.sh installs nodejs and npm)"
  exit 77
fi
mkdir -p "$prefix"
if ! npm install --prefix "$prefix" --no-audit --no-fund --no-save --loglevel=error \
    "puppeteer-core@$puppeteer_version" "axe-core@$axe_version"; then
  echo "SKIPPED: npm install puppeteer-core@$puppeteer_version axe-core@$axe_version failed (no registry access?)"
  exit 77
fi
echo "installed puppeteer-core@$puppeteer_version and axe-core@$axe_version in $prefix"
