#!/usr/bin/env bash
# Installs every Debian package Helenus needs to build, test and benchmark.
# Idempotent: packages already present are skipped quickly.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-format
  librocksdb-dev libasio-dev liblz4-dev libsnappy-dev libzstd-dev
  libfmt-dev libspdlog-dev libcli11-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev libedit-dev libtbb-dev libeigen3-dev
  python3-cassandra python3-pandas python3-sklearn python3-xgboost golang-go golang-github-gocql-gocql-dev bc time
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Node.js driver test needs node and npm; the machine image ships them.
# Fall back to Debian's packages only where they are absent.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive ${SUDO:-} apt-get install -y -q nodejs npm
fi
