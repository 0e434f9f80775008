#!/usr/bin/env bash
# The README's *run* command: install what is missing, build, migrate and seed the embedded SQLite
# database under var/, and serve on 127.0.0.1:8080 with config/rifa.yaml.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
mkdir -p "$root/var"
cd "$root"
exec "${RIFA_BUILD_DIR:-$root/build}/host/main/rifa-host" serve --config "${RIFA_CONFIG:-config/rifa.yaml}" "$@"
