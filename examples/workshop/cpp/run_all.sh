#!/bin/sh
# Runs the six C++ workshop programs on freshly prepared data (the ctest
# workshop_cpp). Usage: run_all.sh HELENUS WORK_DIR PROGRAM...
# Uses the workshop's own CSV files when $HELENUS_WORKSHOP_DATA (or the
# repository's ../shared/datasets/workshop) holds them, generated data otherwise.
# Exit 77 (ctest: skipped) when the data cannot be prepared.
set -u
helenus=$1
work=$2
shift 2

here=$(cd "$(dirname "$0")" && pwd)
workshop_data=${HELENUS_WORKSHOP_DATA:-$here/../../../../shared/datasets/workshop}
rm -rf "$work"
mkdir -p "$work"
if [ -d "$workshop_data" ]; then
  workshop_data=$(cd "$workshop_data" && pwd)
  prepare="$helenus workshop prepare --out $work --workshop-data $workshop_data"
else
  prepare="$helenus workshop prepare --out $work"
fi
if ! $prepare >"$work/prepare.log" 2>&1 || [ ! -f "$work/data/wines.csv" ]; then
  echo "cannot prepare the workshop data ($prepare):"
  cat "$work/prepare.log"
  exit 77
fi

failed=0
for program in "$@"; do
  name=$(basename "$program")
  echo "=== $name"
  if "$program" --data-dir "$work/data" >"$work/$name.log" 2>&1; then
    cat "$work/$name.log"
    if ! grep -q "^wrote [0-9]* rows" "$work/$name.log"; then
      echo "FAILED: $name wrote no table"
      failed=1
    fi
  else
    cat "$work/$name.log"
    echo "FAILED: $name exited with an error"
    failed=1
  fi
done
exit $failed
