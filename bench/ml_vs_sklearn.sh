#!/bin/sh
# The ML estimators, Helenus against scikit-learn / XGBoost / a numpy ALS:
# one generated dataset (make_classification, 20 features, 80/20 split) and
# the MovieLens ratings, both sides training on the same files, printed side by side.
# Usage: bench/ml_vs_sklearn.sh [--rows N] [--rf-rows N] [--quick] [--build DIR]
#   --rows     generated rows, train + test (default 1000000; --quick: 100000)
#   --rf-rows  training rows random forest uses (default 200000; --quick: 50000)
#   --omp-active  leave OpenMP's default (spinning) wait policy to the peers
# The peers (scikit-learn, XGBoost: OpenMP) run with OMP_WAIT_POLICY=PASSIVE:
# on a shared, loaded machine spinning OpenMP threads slow them down many
# times over (HistGradientBoosting on 16k rows: 19 s active, 0.5 s passive).
set -eu
ROWS=1000000
RF_ROWS=200000
BUILD=build/release
RATINGS=/work/shared/datasets/workshop/ratings.csv
OMP_POLICY=PASSIVE
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) ROWS=$2; shift 2 ;;
    --rf-rows) RF_ROWS=$2; shift 2 ;;
    --quick) ROWS=100000; RF_ROWS=50000; shift ;;
    --build) BUILD=$2; shift 2 ;;
    --omp-active) OMP_POLICY=; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
if [ ! -f "$BUILD/build.ninja" ]; then cmake --preset release >/dev/null; fi
echo "building ml_bench..." >&2
ninja -C "$BUILD" -j 2 ml_bench >/dev/null

DATA=$(mktemp -d)
trap 'rm -rf "$DATA"' EXIT
$PY bench/ml_sklearn.py gen --out "$DATA" --rows "$ROWS" --ratings "$RATINGS"
load() { cut -d' ' -f1-3 /proc/loadavg; }
LOAD_START=$(load)
"$BUILD/bench/ml_bench" --data "$DATA" --rf-rows "$RF_ROWS" | tee "$DATA/helenus.jsonl"
LOAD_MID=$(load)
if [ -n "$OMP_POLICY" ]; then export OMP_WAIT_POLICY=$OMP_POLICY; fi
$PY bench/ml_sklearn.py run --data "$DATA" --rf-rows "$RF_ROWS" | tee "$DATA/peer.jsonl"
LOAD_END=$(load)
[ -f "$RATINGS" ] || echo "note: $RATINGS is absent: ALS skipped"
echo
$PY bench/ml_sklearn.py table --helenus "$DATA/helenus.jsonl" --peer "$DATA/peer.jsonl"
echo "note: $(nproc) cores; load average (1/5/15 min) at start $LOAD_START," \
  "after Helenus $LOAD_MID, after peers $LOAD_END; peers' OMP_WAIT_POLICY=${OMP_POLICY:-default}"
