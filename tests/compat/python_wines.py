#!/usr/bin/python3
"""The workshop's wine round trip with the DataStax Python driver, unmodified.

    /usr/bin/python3 tests/compat/python_wines.py [--helenus BIN | --port P]

A default Cluster (schema metadata on, protocol negotiated) creates keyspace
`accelerate` with tables `wines` and `wines_simple` (wineid int primary key,
12 float columns), inserts the 6,497 rows of winequality-red.csv then
winequality-white.csv (wineid 1..6497) with prepared statements into `wines`
and with `%s` simple statements into `wines_simple`, reads every row back by
key and with a full scan paged by 100, and compares every value with float32
semantics. It also checks what cluster.metadata says about the table.

Exit code 0 on success, 1 on any mismatch, 77 when the dataset is missing.
"""

import argparse
import csv
import os
import signal
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

from cassandra.cluster import Cluster  # noqa: E402
from cassandra.concurrent import execute_concurrent_with_args  # noqa: E402
from cassandra.query import SimpleStatement  # noqa: E402

FLOAT_COLUMNS = ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar",
                 "chlorides", "free_sulfur_dioxide", "total_sulfur_dioxide", "density",
                 "ph", "sulphates", "alcohol", "quality"]
COLUMNS = ["wineid"] + FLOAT_COLUMNS
FILES = ["winequality-red.csv", "winequality-white.csv"]
EXPECTED_ROWS = 6497
PAGE_SIZE = 100
TIMEOUT_S = 30
SCRIPT_TIMEOUT_S = 900
CONCURRENCY = 64


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def f32(x):
    return struct.unpack(">f", struct.pack(">f", x))[0]


# ------------------------------------------------------------------ data --
def load_wines():
    """[(wineid, [12 floats])], red first, wineid from 1; None if absent."""
    directory = harness.dataset_dir("workshop")
    paths = [os.path.join(directory, name) for name in FILES]
    if not all(os.path.isfile(p) for p in paths):
        return None
    rows = []
    for path in paths:
        with open(path, newline="") as f:
            for fields in csv.reader(f, delimiter=";"):
                if fields:
                    check(len(fields) == 12, "%s: expected 12 fields, got %r" % (path, fields))
                    rows.append((len(rows) + 1, [float(x) for x in fields]))
    return rows


# ---------------------------------------------------------------- schema --
def schema_version(session):
    row = session.execute("SELECT schema_version FROM system.local WHERE key = 'local'").one()
    check(row is not None and row.schema_version is not None, "system.local.schema_version is null")
    return row.schema_version


def create_schema(session):
    session.execute("DROP KEYSPACE IF EXISTS accelerate")
    session.execute("CREATE KEYSPACE accelerate WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}")
    columns = ", ".join("%s float" % c for c in FLOAT_COLUMNS)
    for table in ("wines", "wines_simple"):
        before = schema_version(session)
        session.execute("CREATE TABLE accelerate.%s (wineid int PRIMARY KEY, %s)"
                        % (table, columns))
        check(schema_version(session) != before, "schema_version unchanged by CREATE TABLE")


def check_metadata(cluster):
    keyspaces = cluster.metadata.keyspaces
    check("accelerate" in keyspaces, "metadata has no keyspace accelerate: %s" % sorted(keyspaces))
    tables = keyspaces["accelerate"].tables
    check("wines" in tables, "metadata has no table wines: %s" % sorted(tables))
    table = tables["wines"]
    check(sorted(table.columns) == sorted(COLUMNS),
          "wines columns %s, expected %s" % (sorted(table.columns), sorted(COLUMNS)))
    for name, column in table.columns.items():
        expected = "int" if name == "wineid" else "float"
        check(column.cql_type == expected,
              "column %s has type %s, expected %s" % (name, column.cql_type, expected))
    check([c.name for c in table.partition_key] == ["wineid"],
          "partition key %s" % [c.name for c in table.partition_key])
    check(table.clustering_key == [], "clustering key %s" % table.clustering_key)
    check(table.is_cql_compatible and not table.is_compact_storage,
          "driver sees wines as a compact-storage table")
    ddl = table.export_as_string()
    check("PRIMARY KEY" in ddl and "accelerate.wines" in ddl, "odd DDL export:\n%s" % ddl)


# ---------------------------------------------------------------- writes --
def run_concurrent(session, statement, params, what):
    results = execute_concurrent_with_args(session, statement, params,
                                           concurrency=CONCURRENCY, raise_on_first_error=False)
    failures = [r for ok, r in results if not ok]
    check(not failures, "%s: %d of %d failed; first: %s"
          % (what, len(failures), len(params), failures[:1]))
    return [r for _, r in results]


def insert_prepared(session, wines):
    marks = ", ".join("?" for _ in COLUMNS)
    prepared = session.prepare("INSERT INTO accelerate.wines (%s) VALUES (%s)"
                               % (", ".join(COLUMNS), marks))
    run_concurrent(session, prepared, [[wid] + values for wid, values in wines],
                   "prepared inserts")


def insert_simple(session, wines):
    marks = ", ".join("%s" for _ in COLUMNS)
    statement = SimpleStatement("INSERT INTO accelerate.wines_simple (%s) VALUES (%s)"
                                % (", ".join(COLUMNS), marks))
    run_concurrent(session, statement, [[wid] + values for wid, values in wines],
                   "simple inserts")


# ----------------------------------------------------------------- reads --
def check_row(table, row, expected_values):
    for name, want in zip(FLOAT_COLUMNS, expected_values):
        got = getattr(row, name)
        check(got == f32(want), "%s wineid %d column %s: got %r, expected %r (float32 of %r)"
              % (table, row.wineid, name, got, f32(want), want))


def read_by_key(session, table, wines):
    prepared = session.prepare("SELECT %s FROM accelerate.%s WHERE wineid = ?"
                               % (", ".join(COLUMNS), table))
    results = run_concurrent(session, prepared, [[wid] for wid, _ in wines],
                             "%s reads by key" % table)
    for (wid, values), result in zip(wines, results):
        rows = list(result)
        check(len(rows) == 1, "%s wineid %d: %d rows by key" % (table, wid, len(rows)))
        check(rows[0].wineid == wid, "%s asked for %d, got %d" % (table, wid, rows[0].wineid))
        check_row(table, rows[0], values)


def scan_pages(session, table):
    """All rows of a full scan with fetch_size=100, checking page sizes."""
    statement = SimpleStatement("SELECT * FROM accelerate.%s" % table, fetch_size=PAGE_SIZE)
    result = session.execute(statement)
    rows, pages = [], 0
    while True:
        page = list(result.current_rows)
        pages += 1
        check(len(page) <= PAGE_SIZE, "%s: page of %d rows" % (table, len(page)))
        check(page or not result.has_more_pages, "%s: empty page claims more pages" % table)
        rows.extend(page)
        if not result.has_more_pages:
            break
        check(pages < 10 * EXPECTED_ROWS, "%s: too many pages" % table)
        result.fetch_next_page()
    return rows, pages


def read_by_scan(session, table, wines):
    rows, pages = scan_pages(session, table)
    expected = dict(wines)
    check(len(rows) == len(expected), "%s scan: %d rows, expected %d"
          % (table, len(rows), len(expected)))
    seen = set()
    for row in rows:
        check(row.wineid in expected, "%s scan: unexpected wineid %r" % (table, row.wineid))
        check(row.wineid not in seen, "%s scan: wineid %d twice" % (table, row.wineid))
        seen.add(row.wineid)
        check_row(table, row, expected[row.wineid])
    check(pages >= len(expected) // PAGE_SIZE,
          "%s scan: %d pages for %d rows at page size %d" % (table, pages, len(rows), PAGE_SIZE))
    count = session.execute("SELECT count(*) FROM accelerate.%s" % table).one()[0]
    check(count == len(expected), "%s: count(*) = %d" % (table, count))
    print("  %s: %d rows by key and in %d pages" % (table, len(rows), pages))


# ------------------------------------------------------------------ main --
def round_trip(port, wines):
    cluster = Cluster(["127.0.0.1"], port=port)
    try:
        session = cluster.connect()
        session.default_timeout = TIMEOUT_S
        print("  connected, protocol v%d" % cluster.protocol_version)
        create_schema(session)
        check_metadata(cluster)
        insert_prepared(session, wines)
        insert_simple(session, wines)
        for table in ("wines", "wines_simple"):
            read_by_key(session, table, wines)
            read_by_scan(session, table, wines)
    finally:
        cluster.shutdown()


def on_alarm(signum, frame):
    raise Failure("timed out after %d s" % SCRIPT_TIMEOUT_S)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    harness.add_server_args(parser)
    args = parser.parse_args()
    wines = load_wines()
    if wines is None:
        print("SKIP: workshop wine CSVs not found under %s" % harness.dataset_dir())
        return 77
    if len(wines) != EXPECTED_ROWS:
        print("FAIL: dataset has %d rows, expected %d" % (len(wines), EXPECTED_ROWS))
        return 1
    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(SCRIPT_TIMEOUT_S)
    server = harness.server_from_args(args)
    try:
        round_trip(server.port if server else args.port, wines)
    except Exception as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        if server:
            print(server.stderr_tail())
        return 1
    finally:
        signal.alarm(0)
        if server:
            server.stop()
            server.cleanup()
    print("PASS python_wines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
