#!/usr/bin/env bash
# What the layers above RocksDB cost, from one run on the same row shape
# (int key + 12 float columns):
#   raw RocksDB puts and iteration, in-process          (storage_bench)
#   Helenus's storage layer writes and scans, in-process (storage_bench)
#   inserts/s and scanned rows/s over CQL from gocql     (cql_load.go)
# Usage: bench/storage_vs_cql.sh [ROWS]   (default 200000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-200000}

echo "building the release preset..." >&2
cmake --preset release >/dev/null
cmake --build --preset release --target helenus storage_bench >/dev/null

echo "storage layer in-process ($rows rows)..." >&2
storage_out=$(build/release/bench/storage_bench "$rows")
echo "$storage_out"
echo "CQL over loopback, server in periodic commitlog mode ($rows rows)..." >&2
periodic_out=$(bench/cql_load.sh --helenus build/release/helenus \
  --server-args --commitlog-sync=periodic -- -rows "$rows")
echo "$periodic_out"
echo "CQL over loopback, server in batch commitlog mode (every write fsynced)..." >&2
batch_out=$(bench/cql_load.sh --helenus build/release/helenus -- -rows "$rows")
echo "$batch_out"

field() {  # field NAME TEXT: the value of NAME=... on the machine-readable line
  grep -o "$1=[0-9.]*" <<<"$2" | tail -1 | cut -d= -f2
}
raw_put=$(field raw_put_per_s "$storage_out")
store_put=$(field store_put_per_s "$storage_out")
raw_scan=$(field raw_scan_per_s "$storage_out")
store_scan=$(field store_scan_per_s "$storage_out")
cql_put=$(field insert_rows_per_s "$periodic_out")
cql_scan=$(field scan_rows_per_s "$periodic_out")
cql_put_sync=$(field insert_rows_per_s "$batch_out")

echo
printf '%-44s %14s %14s %8s\n' "what" "peer rows/s" "helenus rows/s" "ratio"
row() { printf '%-44s %14.0f %14.0f %7.0f%%\n' "$1" "$2" "$3" "$(echo "100*$3/$2" | bc -l)"; }
row "writes: RocksDB put vs Store::Apply" "$raw_put" "$store_put"
row "writes: RocksDB put vs CQL INSERT (periodic)" "$raw_put" "$cql_put"
row "writes: RocksDB put vs CQL INSERT (batch)" "$raw_put" "$cql_put_sync"
row "scan: RocksDB iteration vs Store scan" "$raw_scan" "$store_scan"
row "scan: RocksDB iteration vs CQL paged scan" "$raw_scan" "$cql_scan"
