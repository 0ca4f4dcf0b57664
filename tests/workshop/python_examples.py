#!/usr/bin/python3
"""The Python form of the workshop (examples/workshop/python/run_all.py) against
a real server, on prepared data.

    /usr/bin/python3 tests/workshop/python_examples.py [--helenus BIN | --port P]
                                                       [--data-dir OUT/data]

Prepares the data with `helenus workshop prepare` (the workshop's files from
../shared/datasets/workshop when present, else the generated ones), starts a
fresh `helenus serve` (tests/harness.py), runs run_all.py with the unmodified
DataStax Python driver, and checks that it succeeded, printed the six-row
summary, and left its output tables filled in.

Exit code 0 on success, 1 on failure, 77 (skipped) when the driver is absent.
"""

import argparse
import importlib.util
import os
import re
import subprocess
import sys
import shutil
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import harness  # noqa: E402

RUN_ALL = os.path.join(harness.REPO_ROOT, "examples", "workshop", "python", "run_all.py")
TIMEOUT_S = 1100
DATA_FILES = ["wines.csv", "socialmedia.csv", "movieratings.csv", "movies.csv", "tumours.csv"]
# Output tables and a lower bound on their rows (generated data included).
OUTPUT_TABLES = {"social_clusters": 100, "wine_nb_predictions": 50, "wine_rf_predictions": 50,
                 "movie_rules": 1, "movie_recommendations": 100, "tumour_predictions": 50}
HELD_OUT = {"wine_nb": "wine_nb_predictions", "wine_rf": "wine_rf_predictions",
            "tumour_lr": "tumour_predictions"}
SUMMARY_METRICS = {"k-means social media": "silhouette", "naive Bayes wine": "accuracy",
                   "random forest wine": "accuracy", "FP-Growth movies": "rules",
                   "ALS movies": "rmse", "logistic regression tumours": "accuracy"}


def prepare(binary, out):
    """OUT/data from `helenus workshop prepare`; None when the binary lacks it."""
    cmd = [binary, "workshop", "prepare", "--out", out]
    if os.path.isdir(harness.dataset_dir("workshop")):
        cmd += ["--workshop-data", harness.dataset_dir("workshop")]
    print("$ " + " ".join(cmd), flush=True)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=600)
    print(proc.stdout, flush=True)
    if proc.returncode != 0:
        return None
    return os.path.join(out, "data")


def check_summary(output):
    """The six summary rows with plausible values; returns the problems."""
    problems = []
    summary = output.split("== summary ==", 1)
    if len(summary) != 2:
        return ["no summary table in the output"]
    for exercise, metric in SUMMARY_METRICS.items():
        m = re.search(rf"^{re.escape(exercise)}\s+(\d+)\s+\S+\s+{metric}\s+(\S+)\s*$",
                      summary[1], re.MULTILINE)
        if not m:
            problems.append(f"summary: no row for {exercise} / {metric}")
            continue
        rows, value = int(m.group(1)), float(m.group(2))
        if rows <= 0:
            problems.append(f"summary: {exercise} trained on {rows} rows")
        if metric in ("accuracy", "silhouette") and not 0.3 <= value <= 1.0:
            problems.append(f"summary: {exercise} {metric} {value} is implausible")
        if metric == "rmse" and not 0.1 < value < 5:
            problems.append(f"summary: {exercise} rmse {value} is implausible")
        if metric == "rules" and value < 1:
            problems.append(f"summary: {exercise} found no rules")
    return problems


def check_tables(port):
    from cassandra.cluster import Cluster
    cluster = Cluster(["127.0.0.1"], port=port)
    problems = []
    try:
        session = cluster.connect()
        for table, at_least in OUTPUT_TABLES.items():
            n = session.execute(f"SELECT count(*) FROM workshop.{table}").one()[0]
            print(f"  workshop.{table}: {n} rows")
            if n < at_least:
                problems.append(f"workshop.{table} has {n} rows, expected at least {at_least}")
        # PREDICT without ON wrote exactly the held-out rows of each classifier.
        for model, table in HELD_OUT.items():
            held_out = session.execute(
                "SELECT test_rows FROM system_ml.models WHERE keyspace_name = 'workshop' "
                "AND model_name = %s", (model,)).one()
            n = session.execute(f"SELECT count(*) FROM workshop.{table}").one()[0]
            if held_out is None or held_out.test_rows != n:
                problems.append(f"workshop.{table} has {n} rows, model {model} held out "
                                f"{held_out.test_rows if held_out else '?'}")
    finally:
        cluster.shutdown()
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    harness.add_server_args(parser)
    parser.add_argument("--data-dir", help="already prepared OUT/data (skips prepare)")
    args = parser.parse_args()
    if importlib.util.find_spec("cassandra") is None:
        print("SKIP: the DataStax Python driver (python3-cassandra) is not installed")
        return 77
    harness.exit_on_timeout_or_term(TIMEOUT_S + 60)

    binary = args.helenus or harness.find_helenus()
    scratch = tempfile.mkdtemp(prefix="helenus-workshop-py-")
    server = None
    try:
        data_dir = args.data_dir
        if not data_dir:
            if not binary:
                print("FAIL: no --helenus BIN and no build/*/helenus found")
                return 1
            data_dir = prepare(binary, scratch)
            if data_dir is None:
                print("FAIL: helenus workshop prepare failed")
                return 1
        missing = [f for f in DATA_FILES if not os.path.isfile(os.path.join(data_dir, f))]
        if missing:
            print(f"FAIL: {data_dir} lacks {missing}")
            return 1

        server = harness.server_from_args(args)
        port = args.port or server.port
        cmd = [sys.executable, RUN_ALL, "--host", "127.0.0.1", "--port", str(port),
               "--data-dir", data_dir]
        print("$ " + " ".join(cmd), flush=True)
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              timeout=TIMEOUT_S)
        print(proc.stdout, flush=True)
        problems = []
        if proc.returncode != 0:
            problems.append(f"run_all.py exited with code {proc.returncode}")
        else:
            problems += check_summary(proc.stdout)
            problems += check_tables(port)
        for p in problems:
            print("FAIL: " + p)
        if problems and server:
            print(server.stderr_tail())
        if not problems:
            print("OK: the six Python workshop exercises ran and wrote their tables")
        return 1 if problems else 0
    finally:
        if server:
            server.stop()
            server.cleanup()
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
