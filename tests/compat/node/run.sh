#!/bin/sh
# Usage: run.sh [--helenus BIN | --port P]
# Runs test.js (npm cassandra-driver, installed on first use) against a fresh
# `helenus serve` (default binary: newest build/*/helenus) or an already
# running server on port P. Exit 77 when node or npm is not installed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tests=$(dirname "$(dirname "$here")")
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: node or npm not installed"
    exit 77
fi
cd "$here"
if [ ! -d node_modules/cassandra-driver ]; then
    timeout 300 npm install --no-audit --no-fund
fi
status=0
/usr/bin/python3 "$tests/harness.py" --timeout 600 "$@" -- node test.js || status=$?
exit $status
