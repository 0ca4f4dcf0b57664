#!/bin/sh
# Usage: gobuild.sh SOURCE_DIR_OR_GO_FILE OUTPUT
# Builds a Go main package (a directory, or a single .go file) offline in GOPATH mode against Debian's gocql
# (golang-github-gocql-gocql-dev). Exits 77 (CTest skip) when go or Debian's
# gocql is not installed.
set -eu
debian_gopath=/usr/share/gocode
if ! command -v go >/dev/null 2>&1 || [ ! -d "$debian_gopath/src/github.com/gocql/gocql" ]; then
    echo "SKIP: go or golang-github-gocql-gocql-dev not installed"
    exit 77
fi
out=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
if [ -d "$1" ]; then
    cd "$1"; target=.
else
    cd "$(dirname "$1")"; target=$(basename "$1")
fi
GOPATH=$debian_gopath GO111MODULE=off GOFLAGS= GOCACHE=${TMPDIR:-/tmp}/helenus-gocache \
    timeout 600 go build -o "$out" "$target"
