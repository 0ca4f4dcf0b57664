#!/usr/bin/python3
"""Side-by-side CSV load times (run through bench/load_compare.sh).

Needs HELENUS_PORT (set by tests/harness.py) and Debian's python3-cassandra.
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests"))
import harness  # noqa: E402

from cassandra.cluster import Cluster  # noqa: E402
from cassandra.concurrent import execute_concurrent_with_args  # noqa: E402

KS = "loadbench"
INSERT = "INSERT INTO %s.movieratings (userid, movieid, rating, timestamp) VALUES (%%s, %%s, %%s, %%s)" % KS


def log(msg):
    sys.stderr.write(msg + "\n")
    sys.stderr.flush()


def reset(session):
    session.execute("DROP TABLE IF EXISTS %s.movieratings" % KS)
    session.execute("CREATE TABLE %s.movieratings (userid int, movieid int, rating float, "
                    "timestamp text, PRIMARY KEY (userid, movieid))" % KS)


def count(session):
    return session.execute("SELECT count(*) FROM %s.movieratings" % KS, timeout=120).one()[0]


def rows_of(path, limit):
    out = []
    with open(path, newline="") as f:
        for rec in csv.reader(f):
            out.append((int(rec[0]), int(rec[1]), float(rec[2]), rec[3]))
            if len(out) >= limit:
                break
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--helenus", required=True)
    parser.add_argument("--rows", type=int, default=100000)
    args = parser.parse_args()
    port = int(os.environ["HELENUS_PORT"])
    path = os.path.join(harness.dataset_dir("workshop"), "ratings.csv")
    if not os.path.exists(path):
        log("ratings.csv missing: skipped")
        return 77
    rows = rows_of(path, args.rows)
    n = len(rows)
    src = path
    if n < 100000:
        src = "/tmp/load_compare_%d.csv" % os.getpid()
        with open(path) as f, open(src, "w") as g:
            for i, line in enumerate(f):
                if i >= n:
                    break
                g.write(line)
    cluster = Cluster(["127.0.0.1"], port=port)
    session = cluster.connect()
    session.execute("CREATE KEYSPACE IF NOT EXISTS %s WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}" % KS)
    results = []

    # (a) helenus load
    reset(session)
    log("(a) helenus load %s ..." % os.path.basename(src))
    t = time.time()
    subprocess.run([args.helenus, "load", src, "--table", KS + ".movieratings",
                    "--host", "127.0.0.1:%d" % port], check=True, timeout=1800)
    results.append(("helenus load", time.time() - t, count(session)))

    # (b) the workshop: one synchronous session.execute per row
    reset(session)
    log("(b) workshop method: one session.execute per row ...")
    t = time.time()
    for i, r in enumerate(rows):
        session.execute(INSERT, r)
        if (i + 1) % 10000 == 0:
            log("    %d rows, %.0f rows/s" % (i + 1, (i + 1) / (time.time() - t)))
    results.append(("python: execute per row", time.time() - t, count(session)))

    # (c) prepared statement + execute_concurrent_with_args
    reset(session)
    log("(c) python execute_concurrent_with_args ...")
    prepared = session.prepare(INSERT.replace("%s", "?"))
    t = time.time()
    execute_concurrent_with_args(session, prepared, rows, concurrency=100)
    results.append(("python: execute_concurrent", time.time() - t, count(session)))
    cluster.shutdown()

    # helenus bench write then read
    bench = []
    for workload in ("write", "read"):
        log("helenus bench --workload %s ..." % workload)
        p = subprocess.run([args.helenus, "bench", "--host", "127.0.0.1:%d" % port, "--workload",
                            workload, "--rows", str(n), "--concurrency", "128"],
                           capture_output=True, text=True, timeout=1800)
        sys.stderr.write(p.stdout)
        if p.returncode != 0:
            sys.stderr.write("helenus bench %s failed (rc=%d):\n%s\n" % (workload, p.returncode, p.stderr[-3000:]))
        m = re.search(r"= (\d+) ops/s", p.stdout)
        bench.append((workload, float(m.group(1)) if m else 0.0))

    base = results[1][1]
    print()
    print("Loading ratings.csv (%d rows) into movieratings, one server, same run" % n)
    print()
    print(" %-28s | %9s | %10s | %12s | %s" % ("method", "seconds", "rows/s", "rows loaded",
                                              "speed-up vs workshop"))
    print("-%s-+-%s-+-%s-+-%s-+-%s" % ("-" * 28, "-" * 9, "-" * 10, "-" * 12, "-" * 20))
    for name, secs, loaded in results:
        print(" %-28s | %9.2f | %10.0f | %12d | %19.1fx" % (name, secs, n / secs, loaded,
                                                            base / secs))
    print()
    print(" %-28s | %12s" % ("helenus bench", "ops/s"))
    print("-%s-+-%s" % ("-" * 28, "-" * 12))
    for workload, ops in bench:
        print(" %-28s | %12.0f" % (workload + " (concurrency 128)", ops))
    print()
    ok = all(loaded == n for _, _, loaded in results)
    if not ok:
        print("ERROR: some method did not load every row")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
