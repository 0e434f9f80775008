#!/usr/bin/env bash
# Installs the Debian packages Rifa1122 needs to build and run; with --tests (scripts/test.sh)
# also what only the tests use: the verifiers and the deployment tools they check our output with.
# Idempotent: asks dpkg first and only runs apt-get (update once, then install) for what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates curl
  libboost-dev libboost-filesystem-dev libboost-system-dev
  libsoci-dev libpq-dev libsqlite3-dev sqlite3
  libyaml-cpp-dev libspdlog-dev libfmt-dev
  libgumbo-dev libxml2-dev libcurl4-openssl-dev libssl-dev
  nlohmann-json3-dev libsodium-dev libicu-dev
  libgtest-dev libgmock-dev
  postgresql-15 postgresql-client-15 postgresql-contrib
  ccache
  python3-aiosmtpd  # notifier_email's tests run a real SMTP server (aiosmtpd, Debian's python3)
)

# The test script installs pinned npm packages (stripe, standardwebhooks) into the build folder, to
# check our signatures with the providers' own libraries: Debian's Node.js and npm, unless a node
# with npm is already on the PATH.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)
# The browser tests (tests/browser) drive Debian's Chromium headless with puppeteer-core.
packages+=(chromium)

if [[ "${1:-}" == "--tests" ]]; then
  packages+=(
    lintian            # the .deb is checked by Debian's own linter (tests/deploy)
    systemd            # systemd-analyze verify checks the package's unit (tests/deploy)
    nginx-light        # the reference proxy in front of several hosts (deploy/nginx, tests/deploy)
    prometheus         # promtool checks deploy/prometheus's alert rules
    clang-format clang-tidy-19  # the tree's lint (scripts/lint.py: clang-format 14, clang-tidy 19)
  )
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [[ "$(id -u)" != 0 ]]; then sudo=(sudo); fi
echo "setup: installing ${missing[*]}"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
