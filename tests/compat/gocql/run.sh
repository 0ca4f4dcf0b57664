#!/bin/sh
# Usage: run.sh [--helenus BIN | --port P]
# Builds tests/compat/gocql offline against Debian's gocql and runs it against
# a fresh `helenus serve` (default binary: newest build/*/helenus) or an
# already running server on port P: once with the default configuration
# (1000 rows), then with Snappy and LZ4 frame compression (300 rows).
# Exit 77 when go/gocql is not installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$(dirname "$here")")
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
"$tests/compat/gobuild.sh" "$here" "$scratch/gocql_compat" || status=$?
[ $status -eq 0 ] || exit $status
/usr/bin/python3 "$tests/harness.py" --timeout 900 "$@" -- sh -c '
    "$1" && "$1" -compressor snappy -rows 300 && "$1" -compressor lz4 -rows 300
' sh "$scratch/gocql_compat" || status=$?
exit $status
