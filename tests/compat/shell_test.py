#!/usr/bin/python3
"""`helenus shell` and `helenus load` against a real server.

    /usr/bin/python3 tests/compat/shell_test.py [--helenus BIN | --port P]

Checks, with the real binary (`-e`, `-f` and a pseudo-terminal):
  * DESCRIBE KEYSPACE output, re-executed in a fresh keyspace, gives the same
    system_schema.columns rows;
  * COPY FROM then COPY TO round-trips the five workshop CSV files with every
    value intact (row multisets compared; floats as float32);
  * bad rows go to the reject file with their line numbers, the rest loads
    (COPY ... WITH ERRFILE and `helenus load --reject-file`);
  * a failing statement in -f gives a cqlsh-like error and a non-zero exit;
  * an interactive multi-line statement (and CHART) typed into a pty runs;
  * CHART writes SVG files: a scatter from a SELECT (one <circle> per row with
    numbers), a heatmap of a model's confusion matrix, a ROC line; a CHART
    error (unknown column) is reported and the script goes on.

Exit code 0 on success, 1 on failure, 77 when the dataset is missing.
"""

import argparse
import collections
import csv
import os
import pty
import re
import select
import struct
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

TIMEOUT_S = 300

WINE_COLS = ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar", "chlorides",
             "free_sulfur_dioxide", "total_sulfur_dioxide", "density", "ph", "sulphates",
             "alcohol", "quality"]
SOCIAL_COLS = ["type"] + ["c%d" % i for i in range(1, 10)]

SCHEMA = """
CREATE KEYSPACE ws WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};
USE ws;
-- every column is in the key: these files have no id and hold duplicate rows
CREATE TABLE wines (%s, PRIMARY KEY ((fixed_acidity, volatile_acidity, citric_acid), %s));
CREATE TABLE social (%s, PRIMARY KEY ((type, c1), %s));
CREATE TABLE movies (movieid int PRIMARY KEY, title text, genres text);
CREATE TABLE movieratings (userid int, movieid int, rating float, timestamp text,
                           PRIMARY KEY (userid, movieid));
CREATE TABLE kinds (a int, b text, c bigint, s int static, d double, l list<int>,
                    m map<text, int>, st set<text>, fr frozen<list<text>>, ts timestamp,
                    u uuid, bl blob, bo boolean, de decimal, vi varint,
                    PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC);
""" % (", ".join(c + " float" for c in WINE_COLS), ", ".join(WINE_COLS[3:]),
       ", ".join(["type text"] + [c + " int" for c in SOCIAL_COLS[1:]]),
       ", ".join(SOCIAL_COLS[2:]))

# file, table, delimiter, column types (f=float, i=int, t=text), columns
DATASETS = [
    ("winequality-red.csv", "wines", ";", "f" * 12, WINE_COLS),
    ("winequality-white.csv", "wines", ";", "f" * 12, WINE_COLS),
    ("socialMedia.csv", "social", ",", "t" + "i" * 9, SOCIAL_COLS),
    ("movies.csv", "movies", ",", "itt", ["movieid", "title", "genres"]),
    ("ratings.csv", "movieratings", ",", "iift", ["userid", "movieid", "rating", "timestamp"]),
]


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def f32(x):
    return struct.unpack(">f", struct.pack(">f", float(x)))[0]


def shell(binary, port, *args, expect_rc=0):
    proc = subprocess.run([binary, "shell", "127.0.0.1:%d" % port] + list(args),
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    if expect_rc is not None and proc.returncode != expect_rc:
        raise Failure("shell %s: rc=%d\nstdout:%s\nstderr:%s" %
                      (args, proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:]))
    return proc


def read_rows(path, delimiter, types):
    """The file's rows as a multiset of typed tuples."""
    rows = collections.Counter()
    with open(path, newline="", encoding="utf-8-sig") as f:
        for rec in csv.reader(f, delimiter=delimiter):
            conv = []
            for t, v in zip(types, rec):
                conv.append(f32(v) if t == "f" else int(v) if t == "i" else v)
            rows[tuple(conv)] += 1
    return rows


def test_copy_round_trip(binary, port, data_dir, work):
    for name, table, delim, types, cols in DATASETS:
        src = os.path.join(data_dir, name)
        shell(binary, port, "-e", "TRUNCATE ws.%s" % table)
        opts = "DELIMITER='%s' AND HEADER=false" % delim
        p = shell(binary, port, "-e", "COPY ws.%s (%s) FROM '%s' WITH %s" %
                  (table, ", ".join(cols), src, opts))
        check("Rejected: 0 rows" in p.stdout, "%s: rows rejected:\n%s" % (name, p.stdout))
        out = os.path.join(work, "out-" + name)
        p = shell(binary, port, "-e", "COPY ws.%s (%s) TO '%s' WITH %s" %
                  (table, ", ".join(cols), out, opts))
        expected = read_rows(src, delim, types)
        got = read_rows(out, delim, types)
        if table in ("wines", "social"):
            # Every column is in the primary key: duplicates collapse to one row.
            expected = collections.Counter(set(expected))
        check(got == expected, "%s: round trip differs: %d rows in, %d out; e.g. missing %s, extra %s"
              % (name, sum(expected.values()), sum(got.values()),
                 list((expected - got).items())[:3], list((got - expected).items())[:3]))
        print("  COPY round trip %-22s %7d rows ok" % (name, sum(got.values())))


def schema_rows(binary, port, keyspace):
    p = shell(binary, port, "-e", "SELECT keyspace_name, table_name, column_name, clustering_order,"
              " kind, position, type FROM system_schema.columns")
    rows = set()
    for line in p.stdout.splitlines():
        parts = [x.strip() for x in line.split("|")]
        if len(parts) == 7 and parts[0] == keyspace:
            rows.add(tuple(parts[1:]))
    return rows


def test_describe(binary, port):
    p = shell(binary, port, "-e", "DESCRIBE KEYSPACE ws")
    ddl = p.stdout
    check("CREATE TABLE ws.kinds" in ddl, "DESCRIBE lacks kinds:\n" + ddl)
    copy = re.sub(r"\bws\.", "ws_copy.", ddl).replace("CREATE KEYSPACE ws ", "CREATE KEYSPACE ws_copy ")
    with tempfile.NamedTemporaryFile("w", suffix=".cql", delete=False) as f:
        f.write(copy)
    shell(binary, port, "-f", f.name)
    os.unlink(f.name)
    a, b = schema_rows(binary, port, "ws"), schema_rows(binary, port, "ws_copy")
    check(a and a == b, "schema differs after DESCRIBE round trip:\n%s\n%s" % (a ^ b, ddl))
    p = shell(binary, port, "-e", "DESCRIBE TABLE ws.kinds; DESC KEYSPACES; DESC TABLES")
    check("PRIMARY KEY ((a, b), c)" in p.stdout and "ws_copy" in p.stdout,
          "DESCRIBE output:\n" + p.stdout)
    print("  DESCRIBE round trip: %d columns identical" % len(a))


def test_values(binary, port):
    shell(binary, port, "-e", "INSERT INTO ws.kinds (a, b, c, s, d, l, m, st, fr, ts, u, bl, bo, de,"
          " vi) VALUES (1, 'x', 2, 3, 0.5, [1, 2], {'a': 1}, {'p'}, ['q'], '2020-01-02 03:04:05+0000',"
          " 123e4567-e89b-12d3-a456-426614174000, 0x01ff, true, 1.25, 12345678901234567890)")
    p = shell(binary, port, "-e", "SELECT * FROM ws.kinds")
    for want in ["[1, 2]", "{'a': 1}", "{'p'}", "['q']", "2020-01-02 03:04:05.000000+0000",
                 "123e4567-e89b-12d3-a456-426614174000", "0x01ff", "True", "1.25",
                 "12345678901234567890", "(1 rows)"]:
        check(want in p.stdout, "SELECT output lacks %r:\n%s" % (want, p.stdout))
    p = shell(binary, port, "-e", "EXPAND ON; SELECT a, b FROM ws.kinds")
    check("@ Row 1" in p.stdout, "EXPAND output:\n" + p.stdout)
    print("  value formatting ok")


def test_rejects(binary, port, work):
    bad = os.path.join(work, "bad.csv")
    with open(bad, "w") as f:
        f.write("1,One,Drama\n"
                "notanumber,Two,Comedy\n"
                "3,\"Three, The\",Drama\n"
                "4,too,many,fields\n"
                "5,Five,Horror\n")
    err = os.path.join(work, "bad.err")
    shell(binary, port, "-e", "TRUNCATE ws.movies")
    p = shell(binary, port, "-e", "COPY ws.movies (movieid, title, genres) FROM '%s' WITH ERRFILE='%s'" % (bad, err),
              expect_rc=None)
    check(p.returncode != 0, "COPY with rejects should fail the script")
    check("Loaded: 3 rows" in p.stdout and "Rejected: 2 rows" in p.stdout, p.stdout + p.stderr)
    text = open(err).read()
    check("# line 2:" in text and "# line 4:" in text and "notanumber" in text, text)
    # The same through `helenus load`, with its own reject file name.
    err2 = os.path.join(work, "load.err")
    proc = subprocess.run([binary, "load", bad, "--table", "ws.movies", "--columns", "movieid,title,genres", "--host",
                           "127.0.0.1:%d" % port, "--reject-file", err2],
                          capture_output=True, text=True, timeout=TIMEOUT_S)
    check(proc.returncode == 1 and "Rejected: 2 rows" in proc.stdout, proc.stdout + proc.stderr)
    check(open(err2).read().count("# line") == 2, open(err2).read())
    p = shell(binary, port, "-e", "SELECT count(*) FROM ws.movies")
    check(re.search(r"\b3\b", p.stdout), p.stdout)
    print("  reject files ok (2 of 5 rows rejected with line numbers)")


def test_failing_script(binary, port, work):
    script = os.path.join(work, "fail.cql")
    with open(script, "w") as f:
        f.write("USE ws;\nSELECT * FROM\n  no_such_table;\nSELECT count(*) FROM movies;\n")
    p = shell(binary, port, "-f", script, expect_rc=None)
    check(p.returncode != 0, "a failing -f script must exit non-zero")
    check(re.search(r"fail\.cql:2:InvalidRequest: Error from server: code=2200 \[Invalid query\] "
                    r"message=\".*\"", p.stderr), p.stderr)
    check("(1 rows)" in p.stdout, "statements after the error still run:\n" + p.stdout)
    p = shell(binary, port, "-e", "SELEC 1", expect_rc=None)
    check(p.returncode != 0 and "SyntaxException" in p.stderr, p.stderr)
    print("  failing statements: non-zero exit, cqlsh-like errors")


def svg_elements(path, tag):
    """The elements named tag in an SVG file (which must parse as XML)."""
    root = ET.parse(path).getroot()
    return root.findall(".//{http://www.w3.org/2000/svg}%s" % tag)


def test_chart(binary, port, work):
    points = os.path.join(work, "points.csv")
    n = 400
    with open(points, "w") as f:
        for i in range(n):
            kind = "small" if i % 2 else "large"
            base = 10.0 if kind == "small" else 30.0
            y = "" if i == 7 else "%.3f" % (base + (i * 37 % 100) / 10.0)
            f.write("%d,%s,%.3f,%s\n" % (i, kind, base + (i * 53 % 100) / 10.0, y))
    charts = os.path.join(work, "charts")
    script = os.path.join(work, "chart.cql")
    with open(script, "w") as f:
        f.write("""USE ws;
CREATE TABLE chart_pts (id int PRIMARY KEY, kind text, x double, y double);
COPY chart_pts (id, kind, x, y) FROM '%(points)s' WITH HEADER = false;
CHART scatter TO '%(charts)s/points.svg'
  WITH title = 'Points <&> "kinds"'
  AND x_label = 'x value'
  AS SELECT kind, x, y FROM chart_pts;
CHART scatter TO '%(charts)s/bad.svg' WITH x = 'no_such' AS SELECT kind, x, y FROM chart_pts;
SELECT count(*) FROM chart_pts;
CREATE MODEL chart_lr USING logistic_regression
  WITH label = 'kind' AND features = 'x, y' AND test_fraction = 0.25 AND seed = 1234
  AS SELECT kind, x, y FROM chart_pts WHERE y > 0 ALLOW FILTERING;
CHART heatmap TO '%(charts)s/confusion.svg' WITH title = 'Confusion matrix'
  AS DESCRIBE MODEL chart_lr ARTIFACT confusion_matrix;
CHART line TO '%(charts)s/roc.svg' WITH x = 'fpr' AND y = 'tpr' AND diagonal = 'true'
  AS DESCRIBE MODEL ws.chart_lr ARTIFACT roc_curve;
-- a comment above a shell command must not hide it
COPY chart_pts (id, kind) TO '%(work)s/copied.csv';
DESCRIBE MODEL chart_lr;
""" % {"points": points, "charts": charts, "work": work})
    p = shell(binary, port, "-f", script, expect_rc=None)
    out = p.stdout
    check(p.returncode != 0, "a failing CHART must fail the script:\n" + out + p.stderr)
    check(re.search(r"chart\.cql:8:InvalidRequest: .*Unknown column 'no_such' for x; "
                    r"the columns are: kind, x, y", p.stderr), p.stderr)
    check(not os.path.exists(os.path.join(charts, "bad.svg")), "a failed CHART wrote a file")
    check("(1 rows)" in out, "the script goes on after a CHART error:\n" + out)
    copied = open(os.path.join(work, "copied.csv")).read().splitlines()
    check(len(copied) == n, "COPY TO after a comment: %d rows, want %d" % (len(copied), n))
    # DESCRIBE MODEL goes to the server, not to the shell's schema DESCRIBE.
    check(re.search(r"estimator\s*\|\s*logistic_regression", out), "DESCRIBE MODEL:\n" + out)
    # Scatter: one circle per row with both numbers (row 7 has a null y).
    check("Wrote %s/points.svg (scatter, %d points, 1 row skipped" % (charts, n - 1) in out, out)
    circles = svg_elements(os.path.join(charts, "points.svg"), "circle")
    check(len(circles) == n - 1, "scatter: %d circles, want %d" % (len(circles), n - 1))
    text = open(os.path.join(charts, "points.svg")).read()
    check("Points &lt;&amp;&gt; &quot;kinds&quot;" in text, "title not escaped")
    check(">small</text>" in text and ">large</text>" in text, "scatter legend lacks the kinds")
    # Heatmap of the confusion matrix: 2 x 2 cells whose counts add up to the test rows.
    m = re.search(r"Wrote \S+/confusion\.svg \(heatmap, (\d+) points\)", out)
    check(m and m.group(1) == "4", "heatmap output:\n" + out)
    test_rows = int(re.search(r"test_rows \|\s+null \|\s+null \|\s+(\d+)", out).group(1))
    groups = {g.get("class"): g for g in svg_elements(os.path.join(charts, "confusion.svg"), "g")}
    cells = groups["cells"].findall("{http://www.w3.org/2000/svg}rect")
    values = [float(t.text) for t in groups["values"].findall("{http://www.w3.org/2000/svg}text")]
    check(len(cells) == 4 and len(values) == 4, "heatmap: %d cells, %d values" % (len(cells), len(values)))
    check(sum(values) == test_rows, "heatmap counts %s do not add up to %d" % (values, test_rows))
    # ROC: one curve and the dashed diagonal.
    roc = os.path.join(charts, "roc.svg")
    check(len(svg_elements(roc, "polyline")) == 1, "roc: no curve")
    check(any(l.get("class") == "diagonal" for l in svg_elements(roc, "line")), "roc: no diagonal")
    print("  CHART: scatter (%d circles), confusion-matrix heatmap, ROC line; errors keep going"
          % (n - 1))


def test_pty(binary, port):
    pid, fd = pty.fork()
    if pid == 0:
        env = dict(os.environ, HOME=tempfile.mkdtemp(), TERM="dumb")
        os.execve(binary, [binary, "shell", "127.0.0.1:%d" % port], env)
    out = b""

    def read_until(marker, timeout=20):
        nonlocal out
        deadline = time.time() + timeout
        while marker.encode() not in out:
            left = deadline - time.time()
            if left <= 0:
                raise Failure("pty: no %r in output:\n%s" % (marker, out.decode(errors="replace")))
            r, _, _ = select.select([fd], [], [], left)
            if r:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    chunk = b""
                if not chunk:
                    raise Failure("pty: shell exited:\n" + out.decode(errors="replace"))
                out += chunk

    try:
        read_until("helenus> ")
        os.write(fd, b"USE ws;\n")
        read_until("helenus:ws> ")
        os.write(fd, b"SELECT movieid, title\n")
        os.write(fd, b"  FROM movies WHERE movieid = 3;\n")
        read_until("(1 rows)")
        check("Three, The" in out.decode(errors="replace"), out.decode(errors="replace"))
        # CHART continues over lines until its ';' like any statement.
        chart = os.path.join(tempfile.mkdtemp(), "pty.svg")
        os.write(fd, ("CHART bar TO '%s'\n" % chart).encode())
        os.write(fd, b"  AS SELECT title, movieid FROM movies WHERE movieid = 3;\n")
        read_until("(bar, 1 point)")
        check(len(svg_elements(chart, "text")) > 0, "pty: empty chart")
        # Long results stop at ---MORE--- after each page; Enter shows the next.
        os.write(fd, b"PAGING 2\n")
        read_until("Page size: 2")
        os.write(fd, b"SELECT userid, movieid FROM movieratings LIMIT 5;\n")
        read_until("---MORE---")
        for _ in range(2):
            mark = len(out)
            os.write(fd, b"\n")
            deadline = time.time() + 20
            while b"---MORE---" not in out[mark:] and b"(5 rows)" not in out[mark:]:
                check(time.time() < deadline, "pty: paging stuck:\n" + out.decode(errors="replace"))
                r, _, _ = select.select([fd], [], [], 1)
                if r:
                    out += os.read(fd, 4096)
        read_until("(5 rows)")
        os.write(fd, b"EXIT\n")
        deadline = time.time() + 10
        while time.time() < deadline:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.1)
        else:
            raise Failure("pty: shell did not exit after EXIT")
    finally:
        try:
            os.kill(pid, 9)
            os.waitpid(pid, 0)
        except OSError:
            pass
        os.close(fd)
    print("  interactive multi-line statement and ---MORE--- paging through a pty ok")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    harness.add_server_args(parser)
    args = parser.parse_args()
    data_dir = harness.dataset_dir("workshop")
    if not all(os.path.exists(os.path.join(data_dir, d[0])) for d in DATASETS):
        print("workshop dataset missing: skipped")
        return 77
    binary = os.path.abspath(args.helenus or harness.find_helenus())
    server = harness.server_from_args(args)
    port = args.port or server.port
    work = tempfile.mkdtemp(prefix="helenus-shell-test-")
    try:
        shell(binary, port, "-e", "DROP KEYSPACE IF EXISTS ws; DROP KEYSPACE IF EXISTS ws_copy")
        with tempfile.NamedTemporaryFile("w", suffix=".cql", delete=False) as f:
            f.write(SCHEMA)
        shell(binary, port, "-f", f.name)
        os.unlink(f.name)
        test_describe(binary, port)
        test_values(binary, port)
        test_failing_script(binary, port, work)
        test_copy_round_trip(binary, port, data_dir, work)
        test_rejects(binary, port, work)
        test_chart(binary, port, work)
        test_pty(binary, port)
    except Failure as e:
        print("FAIL: %s" % e)
        if server:
            sys.stderr.write(server.stderr_tail() + "\n")
        return 1
    finally:
        if server:
            server.stop()
            server.cleanup()
    print("shell: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
