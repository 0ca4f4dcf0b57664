"""Shared helpers for the Python form of the Helenus workshop.

The workshop notebooks connect to Cassandra with the DataStax Python driver,
create a keyspace and a table, load a CSV, train a model and write the
results back. Here the same driver (Debian's python3-cassandra, unmodified)
talks to Helenus, and the training happens in the database: the ML
statements (CREATE MODEL, EVALUATE MODEL, PREDICT, RECOMMEND, DESCRIBE MODEL)
are ordinary CQL strings, see docs/ml-statements.md.

Every exercise script uses these helpers:

    args = workshop.parse_args(__doc__)        # --host, --port, --data-dir
    cluster, session = workshop.connect(args)  # clear message when the server is down
    workshop.create_keyspace(session)
    workshop.create_table(session, workshop.TABLES["wines"])
    workshop.load_csv(session, "wines", workshop.data_file(args, "wines.csv"))
    workshop.print_rows(session.execute("SELECT ..."), title="...")

The CSV files are the ones `helenus workshop prepare --out OUT` writes into
OUT/data (one header line, columns named as in the tables below).
Run with /usr/bin/python3, the interpreter that sees the Debian packages.
"""

import argparse
import contextlib
import csv
import os
import sys
import time

try:
    from cassandra.cluster import Cluster, NoHostAvailable
    from cassandra.concurrent import execute_concurrent_with_args
except ImportError:  # pragma: no cover - depends on the machine
    sys.exit("the DataStax Python driver is missing: apt-get install python3-cassandra, "
             "and run with /usr/bin/python3")

KEYSPACE = "workshop"
DEFAULT_PORT = 9042
LOAD_CONCURRENCY = 64  # in-flight INSERTs while loading a CSV
LOAD_CHUNK = 20000  # rows between two progress marks of a load

# The workshop's tables, as the CQL form (examples/workshop/cql) creates them.
# The column names are the CSV header names, so load_csv maps one to the other.
TUMOUR_FEATURES = [
    "mean_radius", "mean_texture", "mean_perimeter", "mean_area", "mean_smoothness",
    "mean_compactness", "mean_concavity", "mean_concave_points", "mean_symmetry",
    "mean_fractal_dimension",
    "radius_error", "texture_error", "perimeter_error", "area_error", "smoothness_error",
    "compactness_error", "concavity_error", "concave_points_error", "symmetry_error",
    "fractal_dimension_error",
    "worst_radius", "worst_texture", "worst_perimeter", "worst_area", "worst_smoothness",
    "worst_compactness", "worst_concavity", "worst_concave_points", "worst_symmetry",
    "worst_fractal_dimension",
]
WINE_FEATURES = [
    "fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar", "chlorides",
    "free_sulfur_dioxide", "total_sulfur_dioxide", "density", "ph", "sulphates", "alcohol",
]

TABLES = {
    "wines": "CREATE TABLE IF NOT EXISTS workshop.wines (wineid int PRIMARY KEY, "
             + ", ".join(f"{c} double" for c in WINE_FEATURES) + ", quality int)",
    "socialmedia": "CREATE TABLE IF NOT EXISTS workshop.socialmedia (status_id int PRIMARY KEY, "
                   "status_type text, num_reactions int, num_comments int, num_shares int, "
                   "num_likes int, num_loves int, num_wows int, num_hahas int, num_sads int, "
                   "num_angrys int)",
    "movieratings": "CREATE TABLE IF NOT EXISTS workshop.movieratings (userid int, movieid int, "
                    "rating double, ts text, PRIMARY KEY (userid, movieid))",
    "movies": "CREATE TABLE IF NOT EXISTS workshop.movies (movieid int PRIMARY KEY, title text, "
              "genres text)",
    "tumours": "CREATE TABLE IF NOT EXISTS workshop.tumours (tumourid int PRIMARY KEY, "
               + ", ".join(f"{c} double" for c in TUMOUR_FEATURES) + ", diagnosis text)",
}

# CQL type -> how a CSV field becomes a driver value (empty field = NULL).
CONVERTERS = {
    "int": int, "bigint": int, "smallint": int, "tinyint": int, "varint": int,
    "double": float, "float": float, "decimal": float,
    "text": str, "varchar": str, "ascii": str,
    "boolean": lambda s: s.strip().lower() in ("true", "1", "yes"),
}


# ------------------------------------------------------------------ setup --
def parse_args(description, argv=None):
    """--host, --port and --data-dir (the directory holding the prepared CSVs)."""
    parser = argparse.ArgumentParser(description=description,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_arguments(parser)
    return parser.parse_args(argv)


def add_arguments(parser):
    parser.add_argument("--host", default="127.0.0.1",
                        help="Helenus (or Cassandra) host, or HOST:PORT (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None,
                        help=f"CQL port (default {DEFAULT_PORT})")
    parser.add_argument("--data-dir", default="data",
                        help="directory with the prepared CSV files, i.e. OUT/data after "
                             "`helenus workshop prepare --out OUT` (default ./data)")


def host_port(args):
    host, port = args.host, args.port
    if ":" in host and host.count(":") == 1:  # HOST:PORT (not an IPv6 address)
        host, _, p = host.partition(":")
        port = port or int(p)
    return host, port or DEFAULT_PORT


def connect(args):
    """(cluster, session) or exit with a clear message when nobody answers."""
    host, port = host_port(args)
    cluster = Cluster([host], port=port, connect_timeout=10)
    try:
        session = cluster.connect()
    except NoHostAvailable as e:
        cluster.shutdown()
        sys.exit(f"cannot connect to a CQL server at {host}:{port}: "
                 f"{next(iter(e.errors.values()), e)}\n"
                 f"start one with: helenus serve --data DIR --listen {host}:{port}")
    # Training a model reads every row of the table: give the ML statements time.
    session.default_timeout = 600
    return cluster, session


def data_file(args, name):
    """The path of a prepared CSV; exits with a clear message when it is missing."""
    path = os.path.join(args.data_dir, name)
    if not os.path.isfile(path):
        sys.exit(f"missing data file {path}\n"
                 f"prepare the files with: helenus workshop prepare --out OUT "
                 f"[--workshop-data DIR], then pass --data-dir OUT/data")
    return path


def create_keyspace(session):
    session.execute(f"CREATE KEYSPACE IF NOT EXISTS {KEYSPACE} WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}")


def create_table(session, ddl):
    session.execute(ddl)


def recreate_table(session, ddl):
    """An output table, emptied: dropped and created again, so that a second
    run does not leave the first run's rows behind."""
    name = ddl.split("(", 1)[0].split()[-1]
    session.execute(f"DROP TABLE IF EXISTS {name}")
    session.execute(ddl.replace("IF NOT EXISTS ", ""))


# ------------------------------------------------------------- progress --
@contextlib.contextmanager
def step(what):
    """Prints `what ...` then, when the block ends, its seconds (and rows when
    the block sets result["rows"])."""
    print(f"  {what} ...", end="", flush=True)
    result = {}
    start = time.perf_counter()
    try:
        yield result
    except BaseException:
        print(" failed", flush=True)
        raise
    seconds = time.perf_counter() - start
    unit = result.get("unit", "rows")
    rows = f"{result['rows']:,} {unit}, " if "rows" in result else ""
    print(f" {rows}{seconds:.2f} s", flush=True)


def heading(title):
    print(f"\n== {title} ==", flush=True)


# ---------------------------------------------------------------- loading --
def column_types(session, table):
    """{column: cql type} of workshop.<table>, from system_schema."""
    rows = session.execute("SELECT column_name, type FROM system_schema.columns "
                           "WHERE keyspace_name = %s AND table_name = %s", (KEYSPACE, table))
    return {r.column_name: r.type for r in rows}


def read_csv(path, types):
    """The rows of a prepared CSV converted to the table's column types."""
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        unknown = [c for c in header if c not in types]
        if unknown:
            sys.exit(f"{path}: columns {unknown} are not in the table")
        convert = [CONVERTERS.get(types[c], str) for c in header]
        rows = []
        for line_no, fields in enumerate(reader, start=2):
            if not fields:
                continue
            if len(fields) != len(header):
                sys.exit(f"{path}:{line_no}: {len(fields)} fields, expected {len(header)}")
            try:
                rows.append([conv(v) if v != "" else None for conv, v in zip(convert, fields)])
            except ValueError as e:
                sys.exit(f"{path}:{line_no}: {e}")
    return header, rows


def load_csv(session, table, path):
    """Loads a prepared CSV into workshop.<table> with a prepared INSERT run
    concurrently (what the workshop notebook did row by row). Returns the rows."""
    with step(f"loading {os.path.basename(path)} into {KEYSPACE}.{table}") as s:
        header, rows = read_csv(path, column_types(session, table))
        insert = session.prepare(f"INSERT INTO {KEYSPACE}.{table} ({', '.join(header)}) "
                                 f"VALUES ({', '.join('?' * len(header))})")
        # In chunks, so that a long load shows how far it got.
        for done in range(0, len(rows), LOAD_CHUNK):
            chunk = rows[done:done + LOAD_CHUNK]
            execute_concurrent_with_args(session, insert, chunk, concurrency=LOAD_CONCURRENCY,
                                         raise_on_first_error=True)
            if len(rows) > LOAD_CHUNK:
                print(f" {done + len(chunk):,}", end="", flush=True)
        s["rows"] = len(rows)
    return len(rows)


_loaded_tables = set()  # tables this process loaded already (run_all shares them)


def load_table(session, args, table):
    """Creates workshop.<table> and loads <table>.csv into it, once per process:
    the two wine exercises share the wines, the two movie exercises the ratings."""
    if table in _loaded_tables:
        return
    create_table(session, TABLES[table])
    load_csv(session, table, data_file(args, table + ".csv"))
    _loaded_tables.add(table)


# ---------------------------------------------------------------- printing --
def _cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}" if abs(value) < 1e6 else f"{value:.4g}"
    if isinstance(value, (str, bytes)):
        return str(value)
    if hasattr(value, "__iter__"):  # list, set, the driver's SortedSet
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    return str(value)


def print_summary(results, title, start):
    """The closing table of a run: one row per exercise, then the total time."""
    heading(title)
    print_rows([[r["exercise"], r["rows"], r["training_s"], r["metric"], r["value"]]
                for r in results],
               columns=["exercise", "rows", "training_s", "metric", "value"])
    print(f"\nall six exercises in {time.perf_counter() - start:.1f} s")


def print_rows(rows, columns=None, title=None, limit=None, max_width=60):
    """Prints rows (driver rows, dicts or sequences) as an aligned table."""
    rows = list(rows)
    if limit is not None:
        rows = rows[:limit]
    if columns is None:
        if rows and hasattr(rows[0], "_fields"):
            columns = list(rows[0]._fields)
        elif rows and isinstance(rows[0], dict):
            columns = list(rows[0])
        else:
            columns = []
    cells = []
    for r in rows:
        if isinstance(r, dict):
            values = [r.get(c) for c in columns]
        elif hasattr(r, "_fields"):
            values = [getattr(r, c) for c in columns]
        else:
            values = list(r)
        texts = [_cell(v) for v in values]
        cells.append([t if len(t) <= max_width else t[:max_width - 3] + "..." for t in texts])
    numeric = [all(_is_number(r[i]) for r in cells if r[i]) for i in range(len(columns))]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values):
        return "  ".join(v.rjust(w) if num else v.ljust(w)
                         for v, w, num in zip(values, widths, numeric)).rstrip()

    if title:
        print(f"\n{title}")
    if not columns:
        print("(no rows)")
        return
    print(line(columns))
    print("  ".join("-" * w for w in widths))
    for r in cells:
        print(line(r))
    if not cells:
        print("(no rows)")


def _is_number(text):
    try:
        float(text)
        return True
    except ValueError:
        return False


def metrics(rows):
    """{metric: value} for the class-less rows of a CREATE/EVALUATE result, and
    the per-class rows as a list, from (metric, class, predicted, value) rows."""
    overall, per_class = {}, []
    for r in rows:
        if r.metric == "confusion" or r[1] is not None:
            per_class.append(r)
        else:
            overall[r.metric] = r.value
    return overall, per_class


def print_per_class(per_class_rows, title="per class (held-out rows)"):
    """precisionByLabel / recallByLabel / fMeasureByLabel / support as one row per class."""
    by_class = {}
    for r in per_class_rows:
        if r.metric != "confusion":
            by_class.setdefault(r[1], {})[r.metric] = r.value
    print_rows([[c, v.get("precisionByLabel"), v.get("recallByLabel"), v.get("fMeasureByLabel"),
                 int(v.get("support", 0))] for c, v in sorted(by_class.items(), key=lambda kv: str(kv[0]))],
               columns=["class", "precision", "recall", "f1", "support"], title=title)


def print_metrics(overall, names, title):
    """Chosen overall metrics as a (metric, value) table."""
    print_rows([[n, int(overall[n]) if n.endswith("rows") or isinstance(overall[n], int) else overall[n]]
                for n in names if n in overall], columns=["metric", "value"], title=title)


def print_confusion(per_class_rows, title="confusion matrix (rows: actual, columns: predicted)"):
    """The `confusion` rows of an EVALUATE result as a matrix."""
    cells = {(r[1], r.predicted): r.value for r in per_class_rows if r.metric == "confusion"}
    labels = sorted({a for a, _ in cells} | {p for _, p in cells}, key=str)
    print_rows([[f"actual {a}"] + [int(cells.get((a, p), 0)) for p in labels] for a in labels],
               columns=[""] + [str(p) for p in labels], title=title)


# -------------------------------------------------------- ML statements --
def show_cql(cql, width=150):
    """Echoes a statement the way a notebook cell shows its code (long lines,
    such as a list of 30 features, are cut: the script holds them whole)."""
    lines = [ln if len(ln) <= width else ln[:width - 3] + "..." for ln in cql.strip().split("\n")]
    print("    cql> " + "\n         ".join(lines), flush=True)


def ml(session, what, cql):
    """Sends one ML statement (plain CQL text), shows it and its time; returns
    its rows. The step line counts the rows written (INTO) or returned."""
    show_cql(cql)
    with step(what) as s:
        rows = list(session.execute(cql.strip().replace("\n", " ")))
        if len(rows) == 1 and "rows_written" in rows[0]._fields:
            s["rows"], s["unit"] = int(rows[0].rows_written), "rows written"
        elif not cql.lstrip().upper().startswith("CREATE"):
            s["rows"] = len(rows)
    return rows


def create_model(session, what, cql):
    """CREATE MODEL: returns ({metric: value}, per-class rows) of its result,
    which holds training_rows, test_rows, training_seconds and the held-out
    evaluation (see docs/ml-statements.md)."""
    overall, per_class = metrics(ml(session, what, cql))
    print(f"    trained on {int(overall.get('training_rows', 0)):,} rows in "
          f"{overall.get('training_seconds', 0):.3f} s (server side), "
          f"{int(overall.get('test_rows', 0)):,} rows held out", flush=True)
    return overall, per_class


def predict_held_out(session, model, table, ddl):
    """Creates table afresh (ddl), then PREDICT <model> INTO <table> without ON:
    the rows the model held out at training (its test split, as EVALUATE MODEL
    without ON scores them) with their prediction. Shows a few of them and
    returns the rows written."""
    recreate_table(session, ddl)
    rows = ml(session, f"predicting the held-out rows into {table}",
              f"PREDICT {model} INTO {table}")
    print_rows(session.execute(f"SELECT * FROM {table} LIMIT 5"),
               title=f"a few rows of {table}")
    return int(rows[0].rows_written) if rows else 0


def summary(exercise, overall, metric, value=None):
    """One row of run_all's summary table (the main job prints the same shape)."""
    return {"exercise": exercise, "rows": int(overall.get("training_rows", 0)),
            "training_s": overall.get("training_seconds"), "metric": metric,
            "value": overall.get(metric) if value is None else value}


def run_main(run, description, argv=None):
    """The body of every exercise's main(): parse, connect, run, disconnect."""
    args = parse_args(description, argv)
    cluster, session = connect(args)
    try:
        create_keyspace(session)
        run(session, args)
    finally:
        cluster.shutdown()
