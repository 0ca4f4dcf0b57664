#!/usr/bin/env bash
# Builds the dev preset and runs every test: unit tests, logic scripts
# through a real server, and the driver compatibility suites.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev "$@"
