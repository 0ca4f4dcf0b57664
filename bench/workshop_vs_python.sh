#!/bin/sh
# The six workshop exercises, end to end, two ways, from one run:
#   Helenus:  `helenus workshop run` (CQL scripts, models trained in the server)
#   Python:   bench/workshop_sklearn.py (DataStax Python driver + pandas + scikit-learn)
# Each side gets a fresh `helenus serve` on its own data directory and port, and
# the same prepared files (`helenus workshop prepare`). Printed side by side:
# wall time of the client, peak RSS (VmHWM) of the server and of the client.
#
# Usage: bench/workshop_vs_python.sh [--workshop-data DIR] [--helenus BIN]
#                                    [--prepared DIR] [--keep DIR]
#   --workshop-data  the workshop's CSV files (default ../shared/datasets/workshop
#                    from the repository root)
#   --helenus        the binary (default: the newest build/*/helenus)
#   --prepared       an existing OUT/data of `helenus workshop prepare` (skips prepare)
#   --keep           keep outputs, logs and data directories in DIR (default: removed)
#   --omp-active     leave OpenMP's default (spinning) wait policy to scikit-learn
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORKSHOP_DATA=$ROOT/../shared/datasets/workshop
HELENUS=
PREPARED=
KEEP=
OMP_POLICY=PASSIVE
PY=/usr/bin/python3
while [ $# -gt 0 ]; do
  case "$1" in
    --workshop-data) WORKSHOP_DATA=$2; shift 2 ;;
    --helenus) HELENUS=$2; shift 2 ;;
    --prepared) PREPARED=$2; shift 2 ;;
    --keep) KEEP=$2; shift 2 ;;
    --omp-active) OMP_POLICY=; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ -z "$HELENUS" ]; then
  HELENUS=$(ls -t build/*/helenus 2>/dev/null | head -n 1 || true)
fi
[ -n "$HELENUS" ] && [ -x "$HELENUS" ] || {
  echo "no helenus binary (build one, or pass --helenus BIN)" >&2; exit 2; }
HELENUS=$(cd "$(dirname "$HELENUS")" && pwd)/$(basename "$HELENUS")
[ -d "$WORKSHOP_DATA" ] || { echo "no workshop data directory $WORKSHOP_DATA" >&2; exit 2; }
WORKSHOP_DATA=$(cd "$WORKSHOP_DATA" && pwd)
[ -x /usr/bin/time ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2; }
$PY -c 'import cassandra, sklearn, pandas' 2>/dev/null || {
  echo "python3-cassandra, python3-sklearn and python3-pandas are needed" >&2; exit 2; }

if [ -n "$KEEP" ]; then mkdir -p "$KEEP"; TMP=$(cd "$KEEP" && pwd); else TMP=$(mktemp -d); fi
SPID=
cleanup() {
  if [ -n "$SPID" ]; then kill -9 "$SPID" 2>/dev/null || true; fi
  if [ -z "$KEEP" ]; then rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  $PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server NAME: a fresh server on a free port; sets SPID and PORT.
start_server() {
  PORT=$(free_port)
  mkdir -p "$TMP/$1-server"
  "$HELENUS" serve --data "$TMP/$1-server" --listen "127.0.0.1:$PORT" \
    >"$TMP/$1-server.log" 2>&1 </dev/null &
  SPID=$!
  i=0
  until grep -q "listening on" "$TMP/$1-server.log" 2>/dev/null; do
    if ! kill -0 "$SPID" 2>/dev/null; then
      echo "helenus serve exited before it was ready:" >&2; tail -20 "$TMP/$1-server.log" >&2
      exit 1
    fi
    i=$((i + 1))
    if [ $i -gt 300 ]; then echo "helenus serve not ready after 30 s" >&2; exit 1; fi
    sleep 0.1
  done
  echo "$1: helenus serve pid $SPID on 127.0.0.1:$PORT, data $TMP/$1-server" >&2
}

# stop_server NAME: records the server's peak RSS (VmHWM, kB) then stops it.
stop_server() {
  awk '/^VmHWM:/ { print $2 }' "/proc/$SPID/status" >"$TMP/$1.server_kb"
  kill -TERM "$SPID"
  wait "$SPID" || true
  SPID=
}

# measure NAME CMD...: runs CMD under /usr/bin/time (output shown and kept in
# NAME.out); NAME.time gets "wall_seconds max_rss_kb", NAME.rc the exit code.
measure() {
  name=$1; shift
  { /usr/bin/time -f "%e %M" -o "$TMP/$name.time" "$@" && echo 0 >"$TMP/$name.rc" ||
      echo $? >"$TMP/$name.rc"; } 2>&1 |
    tee "$TMP/$name.out"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

# ---- the data both sides use
if [ -z "$PREPARED" ]; then
  echo "== preparing the data (helenus workshop prepare)" >&2
  "$HELENUS" workshop prepare --out "$TMP/prepared" --workshop-data "$WORKSHOP_DATA"
  PREPARED=$TMP/prepared/data
fi
for f in wines socialmedia movieratings movies tumours; do
  [ -f "$PREPARED/$f.csv" ] || { echo "missing $PREPARED/$f.csv" >&2; exit 2; }
done
PREPARED=$(cd "$PREPARED" && pwd)

LOAD_START=$(load)
# ---- Helenus: the main job's client against a fresh server
echo "== Helenus: helenus workshop run" >&2
start_server helenus
# workshop run writes its data/, charts/ and logs/ under --out.
measure helenus "$HELENUS" workshop run --out "$TMP/helenus-out" --host "127.0.0.1:$PORT" \
  --workshop-data "$WORKSHOP_DATA"
stop_server helenus
LOAD_MID=$(load)

# ---- Python driver + scikit-learn against another fresh server
echo "== Python driver + scikit-learn: bench/workshop_sklearn.py" >&2
start_server python
if [ -n "$OMP_POLICY" ]; then export OMP_WAIT_POLICY=$OMP_POLICY; fi
measure python $PY bench/workshop_sklearn.py --host 127.0.0.1 --port "$PORT" \
  --data-dir "$PREPARED"
stop_server python
LOAD_END=$(load)

# ---- side by side
STATUS=0
$PY - "$TMP" <<'EOF' || STATUS=$?
import os, sys
tmp = sys.argv[1]

def read(name):
    """(exit code, wall s, client peak MiB, server peak MiB) of one side."""
    rc = int(open(os.path.join(tmp, name + ".rc")).read().split()[0])
    wall, client_kb = open(os.path.join(tmp, name + ".time")).read().split("\n")[-2].split()
    server_kb = int(open(os.path.join(tmp, name + ".server_kb")).read().split()[0])
    return rc, float(wall), int(client_kb) / 1024, server_kb / 1024

h, p = read("helenus"), read("python")
rows = [("wall time (s)", h[1], p[1]), ("server peak RSS (MiB)", h[3], p[3]),
        ("client peak RSS (MiB)", h[2], p[2]),
        ("server + client (MiB)", h[2] + h[3], p[2] + p[3])]

def cell(value, ok, width):
    return f"{value:>{width}.1f}" if ok else f"{'failed':>{width}}"

print()
print(f"{'six workshop exercises':<24}{'Helenus':>10}{'Python+sklearn':>16}{'ratio':>8}")
print(f"{'-' * 22:<24}{'-' * 8:>10}{'-' * 14:>16}{'-' * 6:>8}")
for label, hv, pv in rows:
    ratio = f"{pv / hv:>7.1f}x" if h[0] == 0 and p[0] == 0 and hv > 0 else f"{'-':>8}"
    print(f"{label:<24}{cell(hv, h[0] == 0, 10)}{cell(pv, p[0] == 0, 16)}{ratio}")
print("ratio = Python+sklearn / Helenus; wall = the client's elapsed time (server start excluded);")
print("peak RSS = VmHWM of the server process, max RSS of the client process (/usr/bin/time)")
for name, r in (("helenus workshop run", h), ("bench/workshop_sklearn.py", p)):
    if r[0] != 0:
        print(f"FAILED: {name} exited with code {r[0]}: its column is not comparable")
sys.exit(1 if h[0] or p[0] else 0)
EOF
echo "note: $(nproc) cores; load average (1/5/15 min) at start $LOAD_START," \
  "after Helenus $LOAD_MID, after Python $LOAD_END; scikit-learn's OMP_WAIT_POLICY=${OMP_POLICY:-default}"
echo "note: both sides load the same prepared files ($PREPARED) into a fresh server;" \
  "helenus workshop run also writes its own copy of them and renders charts"
exit $STATUS
