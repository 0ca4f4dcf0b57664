#!/bin/sh
# Usage: bench/cql_load.sh [--helenus BIN | --port P] [-- cql_load flags...]
# Builds bench/cql_load.go offline against Debian's gocql and runs it against
# a fresh `helenus serve` (default binary: newest build/*/helenus) or an
# already running server on port P. Example:
#   bench/cql_load.sh --helenus build/release/helenus -- -rows 200000 -workers 8
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$here")/tests
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
server_args=
while [ $# -gt 0 ]; do
    case "$1" in
        --helenus|--port) server_args="$server_args $1 $2"; shift 2 ;;
        --server-args) server_args="$server_args --server-args=$2"; shift 2 ;;
        --) shift; break ;;
        *) break ;;
    esac
done
status=0
"$tests/compat/gobuild.sh" "$here/cql_load.go" "$scratch/cql_load" || status=$?
[ $status -eq 0 ] || exit $status
# shellcheck disable=SC2086
/usr/bin/python3 "$tests/harness.py" --timeout 1800 $server_args -- "$scratch/cql_load" "$@" || status=$?
exit $status
