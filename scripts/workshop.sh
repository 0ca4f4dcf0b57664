#!/usr/bin/env bash
# The main job: installs what is missing, builds the release binary, starts
# `helenus serve` on a fresh data directory, runs the six workshop exercises
# (examples/workshop/cql) through the shell, prints their summary table,
# leaves predictions, recommendations and charts behind, and stops the server.
#
#   scripts/workshop.sh [--workshop-data DIR] [--out DIR] [--port N]
#
# Without --workshop-data the exercises run on data generated with the
# workshop files' shape (and the breast cancer data python3-sklearn ships).
set -euo pipefail
cd "$(dirname "$0")/.."

out=workshop-out
port=9042
run_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --workshop-data) run_args+=(--workshop-data "$(realpath "$2")"); shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target helenus

if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
  echo "port $port is in use by another server; pass --port N" >&2
  exit 1
fi
mkdir -p "$out"
rm -rf "$out/server"
start=$(date +%s.%N)
build/release/helenus serve --data "$out/server" --listen "127.0.0.1:$port" >"$out/server.log" 2>&1 &
server=$!
stop_server() {
  kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
}
trap stop_server EXIT
echo "helenus serve --data $out/server on 127.0.0.1:$port (pid $server, log $out/server.log)"

status=0
/usr/bin/time -f "%e %M" -o "$out/runner.time" build/release/helenus workshop run --out "$out" --host "127.0.0.1:$port" "${run_args[@]}" || status=$?

server_peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$server/status" 2>/dev/null || echo 0)
stop_server
trap - EXIT
wall=$(echo "$(date +%s.%N) - $start" | bc)
runner_peak_kb=$(tail -1 "$out/runner.time" | awk '{print $2}')
printf 'Main job: %.1f s wall (server start to stop); peak memory: server %s MiB, workshop runner %s MiB\n' \
  "$wall" "$((server_peak_kb / 1024))" "$((runner_peak_kb / 1024))"
exit "$status"
