#!/usr/bin/python3
"""Logic test runner: sqllogictest-style CQL scripts against `helenus serve`.

Usage:
    /usr/bin/python3 tests/logic/run.py --helenus BIN [--filter SUBSTR] DIR_OR_FILES...

Starts `helenus serve` on a free loopback port with a fresh data directory,
connects with the DataStax Python driver (protocol v4, one session) and runs
every `*.test` file found (recursively, sorted). Before each file every
non-system keyspace is dropped; each file creates its own keyspaces.

File format (records separated by blank lines; `#` lines are comments):

    statement ok
    CREATE KEYSPACE ks WITH replication = {...}

    statement error [0xCODE] [substring]
    SELECT * FROM nope

    query <types> [rowsort] [paged=N]
    SELECT a, b FROM ks.t
    ----
    1 hello
    2 NULL

    sleep 1.5

A statement runs until a blank line or `----`. `sleep S` pauses (S <= 10 s;
for TTL expiry). A last statement line `bind VALUES`, VALUES a Python
literal (a list for positional `?` markers, a dict for named `:name`
markers), makes the runner PREPARE the statement and EXECUTE it with them:

    query IT
    SELECT k, v FROM ks.t WHERE k = :key
    bind {'key': 1}
    ----
    1 one `statement error` passes when
the server answers with an error whose message contains the substring
(case-insensitive), and, when given, whose error code is 0xCODE. For
AlreadyExists (0x2400) the driver replaces the server's text with
"Keyspace 'ks' already exists" / "Table 'ks.t' already exists".

<types> has one letter per column; the runner checks each value against it:
    I  integer types (tinyint, smallint, int, bigint, varint, counter)
    R  float/double/decimal, printed as format(float(v), '.6g')
    B  boolean
    T  anything else (and any type, unchecked); floats printed with repr()
An expected cell written [LO..HI] matches any integer from LO to HI (for
ttl() values that may tick down while the test runs).
`rowsort` sorts the rendered rows before comparing. `names` expects a first
line with the result's column names (as the server names them: aliases,
"count", "system.writetime(v)", ...). `paged=N` fetches with
page size N, walks every page, and fails if a page holds more than N rows or
an empty page claims more pages.

Rendering (columns joined by one space):
    null                 NULL
    boolean              true / false
    integers             decimal
    float/double         R: format(v, '.6g'); T: repr(v); NaN, Infinity, -Infinity
    decimal              R: like a float; T: str(Decimal), e.g. 1.50, 1E+3
    text/ascii/varchar   as is; the empty string as (empty)
    inet                 as returned by the driver: 127.0.0.1, ::1
    uuid/timeuuid        lowercase canonical 8-4-4-4-12
    blob                 0x + lowercase hex (0x for an empty blob)
    timestamp            2020-01-02T03:04:05.678Z (UTC, milliseconds)
    date                 2020-01-02 (days since epoch when out of range)
    time                 03:04:05.000000123 (nanoseconds)
    duration             Cassandra's form: 1y2mo3d4h5m6s7ms8us9ns, -1d, 0s
    list / set           [1, 2] / {1, 2} in the order returned
    map                  {'a': 1, 'b': 2} in the order returned
    tuple                (1, 'a', NULL)
Inside collections and tuples text is quoted with single quotes ('it''s'
stays as Python's repr of the string: "it's").
"""

import argparse
import ast
import datetime
import decimal
import math
import os
import re
import signal
import sys
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

from cassandra.cluster import Cluster, ExecutionProfile, EXEC_PROFILE_DEFAULT  # noqa: E402
from cassandra.policies import RoundRobinPolicy  # noqa: E402
from cassandra.query import SimpleStatement, tuple_factory, FETCH_SIZE_UNSET  # noqa: E402
from cassandra import AlreadyExists  # noqa: E402
from cassandra.util import Date, Time, Duration  # noqa: E402

STATEMENT_TIMEOUT_S = 30
MAX_PAGES = 100000
CODE_RE = re.compile(r"^0x[0-9a-fA-F]{4}$")
SERVER_CODE_RE = re.compile(r"code=([0-9a-fA-F]{4})")


# ---------------------------------------------------------------- parsing --
class Record:
    def __init__(self, path, line, kind):
        self.path, self.line, self.kind = path, line, kind
        self.sql = ""
        self.error_code = None     # int, for statement error
        self.error_text = ""       # substring, for statement error
        self.types = ""            # for query
        self.rowsort = False
        self.names = False
        self.page_size = None
        self.expected = []         # rendered rows
        self.bind = None           # values for a prepared statement


def parse_header(record, words):
    if record.kind == "statement":
        if words[1:2] == ["ok"]:
            record.kind = "ok"
        elif words[1:2] == ["error"]:
            record.kind = "error"
            rest = words[2:]
            if rest and CODE_RE.match(rest[0]):
                record.error_code = int(rest[0], 16)
                rest = rest[1:]
            record.error_text = " ".join(rest)
        else:
            raise ValueError("expected 'statement ok' or 'statement error'")
        return
    if len(words) < 2:
        raise ValueError("query needs column types")
    record.types = words[1]
    if not re.fullmatch(r"[IRTB]+", record.types):
        raise ValueError("bad column types %r (letters I, R, T, B)" % record.types)
    for option in words[2:]:
        if option == "rowsort":
            record.rowsort = True
        elif option == "names":
            record.names = True
        elif option.startswith("paged="):
            record.page_size = int(option[len("paged="):])
        else:
            raise ValueError("unknown query option %r" % option)


def parse_file(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    records, i = [], 0
    while i < len(lines):
        text = lines[i].strip()
        if not text or text.startswith("#"):
            i += 1
            continue
        words = text.split()
        if words[0] == "sleep" and len(words) == 2:
            record = Record(path, i + 1, "sleep")
            record.sql = words[1]
            if not 0 <= float(words[1]) <= 10:
                raise ValueError("%s:%d: sleep must be 0..10 s" % (path, i + 1))
            records.append(record)
            i += 1
            continue
        if words[0] not in ("statement", "query"):
            raise ValueError("%s:%d: expected a record header, got %r" % (path, i + 1, text))
        record = Record(path, i + 1, words[0])
        try:
            parse_header(record, words)
        except ValueError as e:
            raise ValueError("%s:%d: %s" % (path, i + 1, e))
        i += 1
        sql = []
        while i < len(lines) and lines[i].strip() and lines[i].strip() != "----":
            sql.append(lines[i])
            i += 1
        if sql and sql[-1].startswith("bind "):
            try:
                record.bind = ast.literal_eval(sql.pop()[len("bind "):].strip())
            except (ValueError, SyntaxError) as e:
                raise ValueError("%s:%d: bad bind values: %s" % (path, record.line, e))
        record.sql = "\n".join(sql).strip()
        if not record.sql:
            raise ValueError("%s:%d: empty statement" % (path, record.line))
        if record.kind == "query":
            if i >= len(lines) or lines[i].strip() != "----":
                raise ValueError("%s:%d: query without ----" % (path, record.line))
            i += 1
            while i < len(lines) and lines[i].strip():
                record.expected.append(lines[i].rstrip())
                i += 1
        records.append(record)
    return records


# -------------------------------------------------------------- rendering --
def render_float(v, short):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return format(v, ".6g") if short else repr(v)


def render_duration(d):
    def take(builder, value, divisor, unit):
        if value == 0 or value < divisor:
            return value
        builder.append("%d%s" % (value // divisor, unit))
        return value % divisor

    parts = []
    rest = take(parts, abs(d.months), 12, "y")
    take(parts, rest, 1, "mo")
    take(parts, abs(d.days), 1, "d")
    rest = abs(d.nanoseconds)
    for divisor, unit in ((3600 * 10**9, "h"), (60 * 10**9, "m"), (10**9, "s"),
                          (10**6, "ms"), (10**3, "us"), (1, "ns")):
        rest = take(parts, rest, divisor, unit)
    sign = "-" if min(d.months, d.days, d.nanoseconds) < 0 else ""
    return sign + ("".join(parts) or "0s")


def render_timestamp(v):
    if v.tzinfo is not None:
        v = v.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ" % (v.year, v.month, v.day, v.hour, v.minute,
                                                     v.second, v.microsecond // 1000)


def render(v, short_floats=False, nested=False):
    if v is None:
        return "NULL"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return render_float(v, short_floats)
    if isinstance(v, decimal.Decimal):
        return format(float(v), ".6g") if short_floats else str(v)
    if isinstance(v, str):
        if nested:
            return repr(v)
        return v if v else "(empty)"
    if isinstance(v, (bytes, bytearray)):
        return "0x" + bytes(v).hex()
    if isinstance(v, uuid.UUID):
        return str(v)
    if isinstance(v, datetime.datetime):
        return render_timestamp(v)
    if isinstance(v, (Date, Time, datetime.date, datetime.time)):
        return str(v)
    if isinstance(v, Duration):
        return render_duration(v)
    if isinstance(v, tuple):
        return "(" + ", ".join(render(x, short_floats, True) for x in v) + ")"
    if isinstance(v, list):
        return "[" + ", ".join(render(x, short_floats, True) for x in v) + "]"
    if hasattr(v, "items"):
        return "{" + ", ".join("%s: %s" % (render(k, short_floats, True),
                                           render(x, short_floats, True))
                               for k, x in v.items()) + "}"
    if isinstance(v, (set, frozenset)) or type(v).__name__ == "SortedSet":
        return "{" + ", ".join(render(x, short_floats, True) for x in v) + "}"
    return str(v)


def type_ok(letter, v):
    if v is None or letter == "T":
        return True
    if letter == "I":
        return isinstance(v, int) and not isinstance(v, bool)
    if letter == "R":
        return isinstance(v, (float, decimal.Decimal))
    return isinstance(v, bool)


def render_row(types, row):
    if len(row) != len(types):
        raise Mismatch("expected %d columns (%s), got %d: %r" % (len(types), types, len(row), row))
    cells = []
    for i, (letter, v) in enumerate(zip(types, row)):
        if not type_ok(letter, v):
            raise Mismatch("column %d: expected type %s, got %s %r"
                           % (i + 1, letter, type(v).__name__, v))
        cells.append(render(v, short_floats=(letter == "R")))
    return " ".join(cells).rstrip()


# -------------------------------------------------------------- execution --
class Mismatch(Exception):
    pass


def error_code_of(exc):
    if isinstance(exc, AlreadyExists):
        return 0x2400
    if isinstance(getattr(exc, "code", None), int):
        return exc.code
    m = SERVER_CODE_RE.search(str(exc))
    return int(m.group(1), 16) if m else None


def error_text_of(exc):
    return getattr(exc, "message", None) or str(exc)


def execute(session, record, page_size=None):
    """Run the record's statement; without page_size the driver's default
    paging (5000 rows) applies, as for any application."""
    fetch_size = FETCH_SIZE_UNSET if page_size is None else page_size
    if record.bind is None:
        statement = SimpleStatement(record.sql, fetch_size=fetch_size)
    else:
        statement = session.prepare(record.sql).bind(record.bind)
        statement.fetch_size = fetch_size
    return session.execute(statement, timeout=STATEMENT_TIMEOUT_S)


def fetch_all(session, record):
    """(column names, all rows over all pages)"""
    result = execute(session, record, record.page_size)
    names = list(result.column_names or [])
    rows = list(result.current_rows)
    pages = 1
    check_page(record, result, rows)
    while result.has_more_pages:
        if pages >= MAX_PAGES:
            raise Mismatch("more than %d pages" % MAX_PAGES)
        result.fetch_next_page()
        pages += 1
        page = list(result.current_rows)
        check_page(record, result, page)
        rows.extend(page)
    return names, rows


def check_page(record, result, page):
    if record.page_size is None:
        return
    if len(page) > record.page_size:
        raise Mismatch("page of %d rows with page size %d" % (len(page), record.page_size))
    if not page and result.has_more_pages:
        raise Mismatch("empty page that claims more pages")


RANGE_CELL_RE = re.compile(r"^\[(-?\d+)\.\.(-?\d+)\]$")


def cell_matches(expected, actual):
    if expected == actual:
        return True
    m = RANGE_CELL_RE.match(expected)
    return bool(m and re.fullmatch(r"-?\d+", actual)
                and int(m.group(1)) <= int(actual) <= int(m.group(2)))


def row_matches(expected, actual):
    if expected == actual:
        return True
    e, a = expected.split(" "), actual.split(" ")
    return len(e) == len(a) and all(cell_matches(x, y) for x, y in zip(e, a))


def run_query(session, record):
    names, rows = fetch_all(session, record)
    actual = [render_row(record.types, row) for row in rows]
    expected = list(record.expected)
    header = [expected.pop(0)] if record.names and expected else []
    if record.rowsort:
        actual.sort()
        expected.sort()
    if record.names:
        actual.insert(0, " ".join(names))
        expected = header + expected
    if len(actual) != len(expected) or not all(map(row_matches, expected, actual)):
        raise Mismatch(diff_text(expected, actual))


def diff_text(expected, actual):
    out = ["expected %d rows, got %d" % (len(expected), len(actual))]
    for i in range(max(len(expected), len(actual))):
        e = expected[i] if i < len(expected) else "<none>"
        a = actual[i] if i < len(actual) else "<none>"
        if not row_matches(e, a):
            out.append("first difference at row %d:\n  expected: %s\n  actual:   %s" % (i + 1, e, a))
            break
    shown = 20
    out.append("expected:\n" + "\n".join("  " + r for r in expected[:shown])
               + ("\n  ..." if len(expected) > shown else ""))
    out.append("actual:\n" + "\n".join("  " + r for r in actual[:shown])
               + ("\n  ..." if len(actual) > shown else ""))
    return "\n".join(out)


def run_error(session, record):
    try:
        execute(session, record)
    except Exception as exc:  # any server error is a candidate
        code, text = error_code_of(exc), error_text_of(exc)
        if record.error_code is not None and code != record.error_code:
            raise Mismatch("expected error code 0x%04x, got %s: %s"
                           % (record.error_code, "0x%04x" % code if code is not None else "none",
                              text))
        if record.error_text.lower() not in text.lower():
            raise Mismatch("expected an error containing %r, got: %s" % (record.error_text, text))
        return
    raise Mismatch("expected an error (%s), but the statement succeeded" % (
        record.error_text or "any"))


def run_record(session, record):
    """None when the record passes, else a failure description."""
    try:
        if record.kind == "sleep":
            time.sleep(float(record.sql))
        elif record.kind == "ok":
            execute(session, record)
        elif record.kind == "error":
            run_error(session, record)
        else:
            run_query(session, record)
    except Mismatch as m:
        return str(m)
    except Exception as exc:
        return "unexpected error: %s: %s" % (type(exc).__name__, error_text_of(exc))
    return None


# ------------------------------------------------------------ connection --
class Connection:
    """A server plus one driver session; restartable after a crash."""

    def __init__(self, binary):
        self.binary = binary
        self.server = None
        self.cluster = None
        self.session = None

    def open(self):
        self.server = harness.Server(self.binary).start()
        profile = ExecutionProfile(load_balancing_policy=RoundRobinPolicy(),
                                   row_factory=tuple_factory,
                                   request_timeout=STATEMENT_TIMEOUT_S)
        self.cluster = Cluster(["127.0.0.1"], port=self.server.port, protocol_version=4,
                               execution_profiles={EXEC_PROFILE_DEFAULT: profile},
                               schema_metadata_enabled=False, token_metadata_enabled=False,
                               connect_timeout=10, control_connection_timeout=10)
        self.session = self.cluster.connect()

    def close(self):
        if self.cluster is not None:
            try:
                self.cluster.shutdown()
            except Exception:
                pass
            self.cluster = None
        if self.server is not None:
            self.server.stop()
            self.server.cleanup()
            self.server = None

    def reset(self):
        """Drop user keyspaces; use a fresh session if the last file ran USE."""
        if not self.server.alive():
            raise RuntimeError("server is not running")
        if self.session.keyspace is not None:
            self.session.shutdown()
            self.session = self.cluster.connect()
        rows = self.session.execute("SELECT keyspace_name FROM system_schema.keyspaces",
                                    timeout=STATEMENT_TIMEOUT_S)
        for (name,) in rows:
            if not name.startswith("system"):
                self.session.execute('DROP KEYSPACE "%s"' % name.replace('"', '""'),
                                     timeout=STATEMENT_TIMEOUT_S)


# ------------------------------------------------------------------ files --
def find_tests(paths, name_filter):
    found = []
    for path in paths:
        if os.path.isdir(path):
            for root, _, files in os.walk(path):
                found += [os.path.join(root, f) for f in files if f.endswith(".test")]
        else:
            found.append(path)
    found = sorted(set(found))
    if name_filter:
        found = [f for f in found if name_filter in f]
    return found


def run_file(conn, path, display, verbose=False):
    """Returns (passed, failed)."""
    try:
        records = parse_file(path)
    except (ValueError, OSError) as e:
        print("FAIL %s: cannot parse: %s" % (display, e))
        return 0, 1
    try:
        conn.reset()
    except Exception as e:
        print("FAIL %s: could not reset the server: %s" % (display, e))
        return 0, len(records)
    failures = []
    for record in records:
        problem = run_record(conn.session, record)
        if problem is not None:
            failures.append((record, problem))
    report_file(display, len(records), failures, verbose)
    return len(records) - len(failures), len(failures)


def report_failure(display, record, problem, label):
    print("  %s at %s:%d:\n    %s\n  %s" % (
        label, display, record.line, record.sql.replace("\n", "\n    "),
        problem.replace("\n", "\n  ")))


def report_file(display, total, failures, verbose):
    if not failures:
        print("PASS %s (%d records)" % (display, total))
        return
    print("FAIL %s: %d of %d records failed" % (display, len(failures), total))
    if verbose:
        for record, problem in failures:
            report_failure(display, record, problem, "failure")
        return
    report_failure(display, failures[0][0], failures[0][1], "first failure")
    for record, problem in failures[1:21]:
        print("  also line %d: %s" % (record.line, problem.splitlines()[0][:200]))
    if len(failures) > 21:
        print("  ... and %d more" % (len(failures) - 21))


def check_files(files):
    bad = 0
    for path in files:
        try:
            print("%s: %d records" % (path, len(parse_file(path))))
        except (ValueError, OSError) as e:
            print("cannot parse: %s" % e)
            bad += 1
    return 1 if bad else 0


class SuiteTimeout(Exception):
    pass


def on_alarm(signum, frame):
    raise SuiteTimeout()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--helenus", help="helenus binary (default: newest build/*/helenus)")
    parser.add_argument("--filter", help="only files whose path contains this")
    parser.add_argument("--timeout", type=int, default=900, help="whole-suite timeout, seconds")
    parser.add_argument("--check", action="store_true", help="only parse the files")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show every failure in full, not just the first per file")
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()
    if args.check:
        return check_files(find_tests(args.paths, args.filter))
    binary = args.helenus or harness.find_helenus()
    if not binary:
        parser.error("no --helenus BIN and no build/*/helenus found")
    files = find_tests(args.paths, args.filter)
    if not files:
        print("no .test files found")
        return 1
    base = os.path.commonpath([os.path.abspath(p) for p in args.paths])
    if not os.path.isdir(base):
        base = os.path.dirname(base)

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    passed = failed = 0
    conn = Connection(binary)
    started = time.monotonic()
    try:
        conn.open()
        for path in files:
            display = os.path.relpath(os.path.abspath(path), base)
            p, f = run_file(conn, path, display, args.verbose)
            passed, failed = passed + p, failed + f
            if not conn.server.alive():
                print("server died during %s (exit code %s)\n%s" % (
                    display, conn.server.proc.returncode, conn.server.stderr_tail()))
                conn.close()
                conn.open()
    except SuiteTimeout:
        print("suite timed out after %d s" % args.timeout)
        failed += 1
    except Exception as e:
        print("runner error: %s: %s" % (type(e).__name__, e))
        failed += 1
    finally:
        signal.alarm(0)
        tail = conn.server.stderr_tail() if failed and conn.server is not None else ""
        conn.close()
        if tail:
            print(tail)
    print("(%.1f s)" % (time.monotonic() - started))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
