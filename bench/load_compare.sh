#!/bin/sh
# Usage: bench/load_compare.sh [--helenus BIN] [--rows N]
# Loads ../shared/datasets/workshop/ratings.csv (100,000 rows) into
# `movieratings` three ways against one fresh `helenus serve` — `helenus load`,
# the workshop's one session.execute per row (DataStax Python driver, Debian
# python3-cassandra), and the driver's execute_concurrent_with_args — then runs
# `helenus bench` write and read, and prints the times and ratios side by side.
# Default binary: build/release/helenus (cmake --preset release && cmake --build --preset release).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=$root/build/release/helenus
extra=
while [ $# -gt 0 ]; do
    case "$1" in
        --helenus) bin=$2; shift 2 ;;
        *) extra="$extra $1"; shift ;;
    esac
done
[ -x "$bin" ] || { echo "no helenus binary at $bin (build the release preset)" >&2; exit 2; }
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
# shellcheck disable=SC2086
exec /usr/bin/python3 "$root/tests/harness.py" --helenus "$bin" --timeout 3600 -- \
    /usr/bin/python3 "$here/load_compare.py" --helenus "$bin" $extra
