#!/bin/sh
# Group-by + join on N generated rows: Helenus DataFrames vs pandas, same data,
# same query, one run each, printed side by side.
# Usage: bench/analytics_vs_pandas.sh [ROWS] [BUILD_DIR]   (default 10000000, build/release)
set -eu
ROWS=${1:-10000000}
BUILD=${2:-build/release}
cd "$(dirname "$0")/.."
[ -x "$BUILD/bench/analytics_bench" ] || { cmake --preset release >/dev/null && cmake --build "$BUILD" --target analytics_bench; }
TABLE_DIR=$(mktemp -d)
trap 'rm -rf "$TABLE_DIR"' EXIT
mem=$("$BUILD/bench/analytics_bench" --rows "$ROWS")
tab=$("$BUILD/bench/analytics_bench" --rows "$ROWS" --table "$TABLE_DIR/db")
pd=$(/usr/bin/python3 bench/analytics_pandas.py --rows "$ROWS")
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
echo "$mem"; echo "$tab"; echo "$pd"
pm=$(field "$pd" seconds); hm=$(field "$mem" seconds); ht=$(field "$tab" seconds)
[ "$(field "$pd" count)" = "$(field "$mem" count)" ] || { echo "count differs"; exit 1; }
[ "$(field "$pd" count)" = "$(field "$tab" count)" ] || { echo "count differs (table)"; exit 1; }
printf '\n%-44s %10s %10s %8s\n' "join + group by, $ROWS rows" "pandas s" "helenus s" "speedup"
printf '%-44s %10s %10s %7.2fx\n' "in memory (DataFrame over batches)" "$pm" "$hm" "$(echo "$pm / $hm" | bc -l)"
printf '%-44s %10s %10s %7.2fx\n' "scanning RocksDB tables (LocalSource)" "$pm" "$ht" "$(echo "$pm / $ht" | bc -l)"
