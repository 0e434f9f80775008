#!/usr/bin/env bash
# Configures (once) and builds everything into build/. Used by run.sh and test.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${RIFA_BUILD_DIR:-$root/build}"
jobs="${RIFA_BUILD_JOBS:-$(nproc)}"
if [[ ! -f "$build/build.ninja" ]]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${RIFA_BUILD_TYPE:-Release}"
fi
cmake --build "$build" -j "$jobs"
