#!/bin/sh
# Runs every libFuzzer target for N seconds each and prints a summary table.
#
#   fuzz/run.sh [SECONDS] [BUILD_DIR]
#
# SECONDS defaults to 60, BUILD_DIR to build/fuzz (configured with
# CC=clang CXX=clang++ cmake -DHELENUS_FUZZ=ON; built here if needed).
# Corpora live in BUILD_DIR/corpus/<target>, crash inputs and logs in
# BUILD_DIR/fuzz-out/<target>. Exit code 1 when any target found a bug.
set -u
seconds=${1:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
build=${2:-$repo/build/fuzz}

if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DHELENUS_FUZZ=ON >/dev/null || exit 2
fi
cmake --build "$build" --target fuzz -j2 >/dev/null || { echo "fuzz build failed" >&2; exit 2; }

status=0
summary=""
for target in frame_fuzz parser_fuzz value_fuzz key_codec_fuzz; do
  bin="$build/fuzz/$target"
  if [ ! -x "$bin" ]; then
    summary="$summary$(printf '%-16s %-8s %10s %8s %s' "$target" "SKIPPED" "-" "-" "not built")\n"
    continue
  fi
  corpus="$build/corpus/$target"
  out="$build/fuzz-out/$target"
  mkdir -p "$corpus" "$out"
  if [ "$target" = parser_fuzz ] && [ -z "$(ls "$corpus")" ]; then
    # Seed the parser with the statements of the logic tests (one file each).
    grep -rhiE '^(select|insert|update|delete|create|alter|drop|use|begin|truncate|grant)' \
      "$repo/tests/logic" | head -n 2000 | split -l 1 - "$corpus/seed-"
  fi
  rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-*
  # Bounded input size, memory and per-input time: a slow or huge input is a finding too.
  "$bin" "$corpus" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$out/" >"$out/log.txt" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log.txt" | tail -n1)
  cov=$(grep -o 'cov: [0-9]*' "$out/log.txt" | tail -n1 | cut -d' ' -f2)
  finding=$(ls "$out" | grep -E '^(crash|leak|timeout|oom)-' | head -n1)
  if [ $rc -eq 0 ] && [ -z "$finding" ]; then
    result=OK
  else
    result=FAIL
    status=1
  fi
  summary="$summary$(printf '%-16s %-8s %10s %8s %s' "$target" "$result" "${runs:-?}" "${cov:-?}" \
    "${finding:+$out/$finding}")\n"
done
printf '%-16s %-8s %10s %8s %s\n' target result runs coverage finding
printf "$summary"
exit $status
