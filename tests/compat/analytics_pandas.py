#!/usr/bin/python3
"""Analytic SQL on the workshop data, cross-checked with pandas.

    /usr/bin/python3 tests/compat/analytics_pandas.py [--helenus BIN | --port P]

Loads the workshop datasets (../shared/datasets/workshop/, relative to the
repository root) into a fresh keyspace `analytics` with the DataStax Python
driver (prepared inserts, execute_concurrent_with_args):

    wines         wineid int PRIMARY KEY, 11 double features, quality int
                  (winequality-red.csv then winequality-white.csv, wineid 1..6497)
    socialmedia   status_id int PRIMARY KEY (1..7050 in file order),
                  status_type text, num_reactions .. num_angrys int (all rows)
    movies        movieid int PRIMARY KEY, title text, genres text
    movieratings  userid int, movieid int, rating double,
                  PRIMARY KEY (userid, movieid)

then runs analytic SQL (queries CQL rejects, ending in ALLOW FILTERING)
through the driver and compares every result with the same computation done
by pandas on the same parsed rows: counts must be equal, other numbers equal
to 1e-9 relative. Prints one line per check (name, rows, PASS/FAIL) and
exits 0 when all pass, 1 on any mismatch or error, 77 when the datasets are
missing.
"""

import argparse
import csv
import math
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

try:
    import pandas as pd  # noqa: E402
except ImportError:  # pragma: no cover
    pd = None

from cassandra.cluster import Cluster  # noqa: E402
from cassandra.concurrent import execute_concurrent_with_args  # noqa: E402
from cassandra.query import SimpleStatement  # noqa: E402

KEYSPACE = "analytics"
REL_TOL = 1e-9
ABS_TOL = 1e-12
TIMEOUT_S = 120
SCRIPT_TIMEOUT_S = 1800
CONCURRENCY = 96
FETCH_SIZE = 1000

WINE_FEATURES = ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar",
                 "chlorides", "free_sulfur_dioxide", "total_sulfur_dioxide", "density",
                 "ph", "sulphates", "alcohol"]
WINE_FILES = ["winequality-red.csv", "winequality-white.csv"]
SOCIAL_COUNTS = ["num_reactions", "num_comments", "num_shares", "num_likes", "num_loves",
                 "num_wows", "num_hahas", "num_sads", "num_angrys"]
EXPECTED_ROWS = {"wines": 6497, "socialmedia": 7050, "movies": 27278, "movieratings": 100000}


class Failure(Exception):
    pass


# ------------------------------------------------------------------ data --
def read_csv_rows(path, delimiter=","):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [row for row in csv.reader(f, delimiter=delimiter) if row]


def load_datasets(directory):
    """{table: (columns, rows)} parsed from the CSV files; None if absent."""
    names = WINE_FILES + ["socialMedia.csv", "movies.csv", "ratings.csv"]
    if not all(os.path.isfile(os.path.join(directory, n)) for n in names):
        return None
    data = {}

    wines = []
    for name in WINE_FILES:
        for fields in read_csv_rows(os.path.join(directory, name), ";"):
            if len(fields) != 12:
                raise Failure("%s: expected 12 fields, got %r" % (name, fields))
            values = [float(x) for x in fields]
            quality = values[11]
            if quality != int(quality):
                raise Failure("%s: non-integer quality %r" % (name, fields[11]))
            wines.append([len(wines) + 1] + values[:11] + [int(quality)])
    data["wines"] = (["wineid"] + WINE_FEATURES + ["quality"], wines)

    social = []
    for fields in read_csv_rows(os.path.join(directory, "socialMedia.csv")):
        if len(fields) != 10:
            raise Failure("socialMedia.csv: expected 10 fields, got %r" % fields)
        social.append([len(social) + 1, fields[0].strip()] + [int(x) for x in fields[1:]])
    data["socialmedia"] = (["status_id", "status_type"] + SOCIAL_COUNTS, social)

    movies = []
    for fields in read_csv_rows(os.path.join(directory, "movies.csv")):
        if len(fields) != 3:
            raise Failure("movies.csv: expected 3 fields, got %r" % fields)
        movies.append([int(fields[0]), fields[1], fields[2]])
    data["movies"] = (["movieid", "title", "genres"], movies)

    ratings = {}
    for fields in read_csv_rows(os.path.join(directory, "ratings.csv")):
        if len(fields) != 4:
            raise Failure("ratings.csv: expected 4 fields, got %r" % fields)
        # PRIMARY KEY (userid, movieid): a later duplicate overwrites, as an upsert does
        ratings[(int(fields[0]), int(fields[1]))] = float(fields[2])
    data["movieratings"] = (["userid", "movieid", "rating"],
                            [[u, m, r] for (u, m), r in ratings.items()])
    return data


# ---------------------------------------------------------------- loading --
def create_schema(session):
    session.execute("DROP KEYSPACE IF EXISTS %s" % KEYSPACE)
    session.execute("CREATE KEYSPACE %s WITH replication = "
                    "{'class': 'SimpleStrategy', 'replication_factor': 1}" % KEYSPACE)
    session.execute("CREATE TABLE %s.wines (wineid int PRIMARY KEY, %s, quality int)"
                    % (KEYSPACE, ", ".join("%s double" % c for c in WINE_FEATURES)))
    session.execute("CREATE TABLE %s.socialmedia (status_id int PRIMARY KEY, status_type text, %s)"
                    % (KEYSPACE, ", ".join("%s int" % c for c in SOCIAL_COUNTS)))
    session.execute("CREATE TABLE %s.movies (movieid int PRIMARY KEY, title text, genres text)"
                    % KEYSPACE)
    session.execute("CREATE TABLE %s.movieratings (userid int, movieid int, rating double, "
                    "PRIMARY KEY (userid, movieid))" % KEYSPACE)


def insert_rows(session, table, columns, rows):
    prepared = session.prepare("INSERT INTO %s.%s (%s) VALUES (%s)" % (
        KEYSPACE, table, ", ".join(columns), ", ".join("?" for _ in columns)))
    results = execute_concurrent_with_args(session, prepared, rows, concurrency=CONCURRENCY,
                                           raise_on_first_error=False)
    failed = [r for ok, r in results if not ok]
    if failed:
        raise Failure("%s: %d of %d inserts failed; first: %s"
                      % (table, len(failed), len(rows), failed[0]))


def load(session, data):
    create_schema(session)
    for table, (columns, rows) in data.items():
        started = time.monotonic()
        insert_rows(session, table, columns, rows)
        count = session.execute("SELECT count(*) FROM %s.%s" % (KEYSPACE, table),
                                timeout=TIMEOUT_S).one()[0]
        if count != len(rows):
            raise Failure("%s: count(*) = %d after inserting %d rows" % (table, count, len(rows)))
        print("  loaded %-13s %7d rows in %.1f s" % (table, len(rows), time.monotonic() - started))


def frames(data):
    return {table: pd.DataFrame(rows, columns=columns) for table, (columns, rows) in data.items()}


# --------------------------------------------------------------- comparing --
def same_number(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b
    a, b = float(a), float(b)
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL)


def same_value(a, b):
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    return same_number(a, b)


def py(v):
    """A pandas / numpy scalar as a plain Python value (NaN stays NaN)."""
    if v is None:
        return None
    if hasattr(v, "item"):
        v = v.item()
    return v


def compare_rows(expected, actual, exact_columns=()):
    """None when the row lists match position by position, else a description.
    Columns listed in exact_columns must also have the same Python type class
    (int for counts)."""
    if len(expected) != len(actual):
        return "expected %d rows, got %d; first expected %r, first got %r" % (
            len(expected), len(actual), expected[:1], actual[:1])
    for i, (e, a) in enumerate(zip(expected, actual)):
        if len(e) != len(a):
            return "row %d: expected %d columns, got %d" % (i + 1, len(e), len(a))
        for j, (x, y) in enumerate(zip(e, a)):
            if j in exact_columns and not (isinstance(y, int) and x == y):
                return "row %d column %d: expected exactly %r, got %r (%s)" % (
                    i + 1, j + 1, x, y, type(y).__name__)
            if not same_value(x, y):
                return "row %d column %d: expected %r, got %r\n    expected row %r\n    actual row   %r" % (
                    i + 1, j + 1, x, y, e, a)
    return None


def run(session, sql):
    statement = SimpleStatement(sql, fetch_size=FETCH_SIZE)
    result = session.execute(statement, timeout=TIMEOUT_S)
    return [tuple(row) for row in result]


# ------------------------------------------------------------------ checks --
def q(sql):
    return sql.replace("{ks}", KEYSPACE)


def check_wine_counts(session, df):
    actual = run(session, q("SELECT quality, count(*) AS n FROM {ks}.wines "
                            "GROUP BY quality ORDER BY quality ALLOW FILTERING"))
    counts = df["wines"].groupby("quality").size().sort_index()
    expected = [(int(k), int(v)) for k, v in counts.items()]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0, 1))


def check_wine_means(session, df):
    avgs = ", ".join("avg(%s)" % c for c in WINE_FEATURES)
    actual = run(session, q("SELECT quality, %s FROM {ks}.wines GROUP BY quality "
                            "ORDER BY quality ALLOW FILTERING" % avgs))
    means = df["wines"].groupby("quality")[WINE_FEATURES].mean().sort_index()
    expected = [tuple([int(k)] + [py(row[c]) for c in WINE_FEATURES])
                for k, row in means.iterrows()]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0,))


def check_wine_spread(session, df):
    actual = run(session, q("SELECT quality, count(alcohol), stddev(alcohol), var_pop(ph), "
                            "min(density), max(density) FROM {ks}.wines GROUP BY quality "
                            "HAVING count(*) > 1 ORDER BY quality DESC ALLOW FILTERING"))
    g = df["wines"].groupby("quality")
    expected = []
    for k in sorted(g.groups, reverse=True):
        part = g.get_group(k)
        if len(part) <= 1:
            continue
        expected.append((int(k), int(part["alcohol"].count()), py(part["alcohol"].std(ddof=1)),
                         py(part["ph"].var(ddof=0)), py(part["density"].min()),
                         py(part["density"].max())))
    return expected, actual, compare_rows(expected, actual, exact_columns=(0, 1))


def check_top_movies(session, df):
    actual = run(session, q(
        "SELECT m.movieid, m.title, avg(r.rating) AS avg_rating, count(*) AS n "
        "FROM {ks}.movieratings r JOIN {ks}.movies m ON r.movieid = m.movieid "
        "GROUP BY m.movieid, m.title HAVING count(*) >= 50 "
        "ORDER BY avg_rating DESC LIMIT 20 ALLOW FILTERING"))
    merged = df["movieratings"].merge(df["movies"], on="movieid", how="inner")
    stats = merged.groupby(["movieid", "title"])["rating"].agg(["mean", "count"]).reset_index()
    stats = stats[stats["count"] >= 50].sort_values(["mean", "movieid"], ascending=[False, True])
    ranked = [(int(r.movieid), r.title, float(r["mean"]), int(r["count"]))
              for _, r in stats.iterrows()]
    expected = ranked[:20]
    if len(actual) != len(expected):
        return expected, actual, "expected %d rows, got %d" % (len(expected), len(actual))
    # The order is by average only: movies whose averages tie may come in
    # any order, and may swap across the LIMIT boundary.
    problem = compare_rows([(e[2],) for e in expected], [(a[2],) for a in actual])
    if problem:
        return expected, actual, "averages in rank order differ: " + problem
    by_id = {r[0]: r for r in ranked}
    cutoff = expected[-1][2]
    seen = set()
    for a in actual:
        e = by_id.get(a[0])
        if e is None:
            return expected, actual, "movie %r is not among the movies with >= 50 ratings" % (a,)
        if a[0] in seen:
            return expected, actual, "movie %r listed twice" % (a,)
        seen.add(a[0])
        problem = compare_rows([e], [a], exact_columns=(0, 3))
        if problem:
            return expected, actual, problem
        if e[2] < cutoff and not same_number(e[2], cutoff):
            return expected, actual, "movie %r is below the 20th average %r" % (a, cutoff)
    return expected, actual, None


def check_social_photo_video(session, df):
    actual = run(session, q(
        "SELECT status_type, avg(num_likes), avg(num_comments), count(*) FROM {ks}.socialmedia "
        "WHERE status_type IN ('photo', 'video') GROUP BY status_type "
        "ORDER BY status_type ALLOW FILTERING"))
    s = df["socialmedia"]
    s = s[s["status_type"].isin(["photo", "video"])]
    g = s.groupby("status_type").agg(likes=("num_likes", "mean"),
                                     comments=("num_comments", "mean"),
                                     n=("status_id", "size")).sort_index()
    expected = [(k, py(r["likes"]), py(r["comments"]), int(r["n"])) for k, r in g.iterrows()]
    return expected, actual, compare_rows(expected, actual, exact_columns=(3,))


def check_social_all_types(session, df):
    actual = run(session, q(
        "SELECT status_type, count(*), sum(num_reactions), max(num_shares), "
        "avg(num_loves + num_wows) FROM {ks}.socialmedia GROUP BY status_type "
        "ORDER BY count(*) DESC ALLOW FILTERING"))
    s = df["socialmedia"].copy()
    s["lw"] = s["num_loves"] + s["num_wows"]
    g = s.groupby("status_type").agg(n=("status_id", "size"), reactions=("num_reactions", "sum"),
                                     shares=("num_shares", "max"), lw=("lw", "mean"))
    g = g.sort_values("n", ascending=False)
    expected = [(k, int(r["n"]), int(r["reactions"]), int(r["shares"]), py(r["lw"]))
                for k, r in g.iterrows()]
    return expected, actual, compare_rows(expected, actual, exact_columns=(1, 2, 3))


def check_rating_histogram(session, df):
    actual = run(session, q("SELECT rating, count(*) FROM {ks}.movieratings GROUP BY rating "
                            "ORDER BY rating ALLOW FILTERING"))
    h = df["movieratings"].groupby("rating").size().sort_index()
    expected = [(float(k), int(v)) for k, v in h.items()]
    return expected, actual, compare_rows(expected, actual, exact_columns=(1,))


def check_user_high_ratings(session, df):
    actual = run(session, q(
        "SELECT userid, count(*) AS n FROM {ks}.movieratings WHERE rating > 3 "
        "GROUP BY userid HAVING count(*) >= 100 ORDER BY userid ALLOW FILTERING"))
    r = df["movieratings"]
    c = r[r["rating"] > 3].groupby("userid").size()
    c = c[c >= 100].sort_index()
    expected = [(int(k), int(v)) for k, v in c.items()]
    if not expected:
        return expected, actual, "the threshold leaves no users; the check is empty"
    return expected, actual, compare_rows(expected, actual, exact_columns=(0, 1))


def check_user_high_ratings_top(session, df):
    actual = run(session, q(
        "SELECT userid, count(*) AS n, avg(rating) AS a FROM {ks}.movieratings "
        "WHERE rating > 3 GROUP BY userid ORDER BY n DESC, userid LIMIT 10 ALLOW FILTERING"))
    r = df["movieratings"]
    g = r[r["rating"] > 3].groupby("userid")["rating"].agg(["size", "mean"]).reset_index()
    g = g.sort_values(["size", "userid"], ascending=[False, True]).head(10)
    expected = [(int(x.userid), int(x["size"]), float(x["mean"])) for _, x in g.iterrows()]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0, 1))


def check_unrated_movies(session, df):
    actual = run(session, q(
        "SELECT count(*) FROM {ks}.movies m LEFT JOIN {ks}.movieratings r "
        "ON m.movieid = r.movieid WHERE r.movieid IS NULL ALLOW FILTERING"))
    rated = set(df["movieratings"]["movieid"])
    expected = [(int((~df["movies"]["movieid"].isin(rated)).sum()),)]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0,))


def check_unrated_movies_anti(session, df):
    actual = run(session, q(
        "SELECT count(*) FROM {ks}.movies m LEFT ANTI JOIN {ks}.movieratings r "
        "ON m.movieid = r.movieid ALLOW FILTERING"))
    rated = set(df["movieratings"]["movieid"])
    expected = [(int((~df["movies"]["movieid"].isin(rated)).sum()),)]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0,))


def check_ratings_without_movie(session, df):
    actual = run(session, q(
        "SELECT count(*), count(DISTINCT r.movieid) FROM {ks}.movieratings r "
        "LEFT ANTI JOIN {ks}.movies m ON r.movieid = m.movieid ALLOW FILTERING"))
    known = set(df["movies"]["movieid"])
    orphans = df["movieratings"][~df["movieratings"]["movieid"].isin(known)]
    expected = [(int(len(orphans)), int(orphans["movieid"].nunique()))]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0, 1))


def check_comedy_ratings(session, df):
    actual = run(session, q(
        "SELECT count(*), avg(r.rating), count(DISTINCT r.userid) FROM {ks}.movieratings r "
        "JOIN {ks}.movies m ON r.movieid = m.movieid WHERE m.genres LIKE '%Comedy%' "
        "ALLOW FILTERING"))
    merged = df["movieratings"].merge(df["movies"], on="movieid", how="inner")
    part = merged[merged["genres"].str.contains("Comedy", regex=False)]
    expected = [(int(len(part)), py(part["rating"].mean()), int(part["userid"].nunique()))]
    return expected, actual, compare_rows(expected, actual, exact_columns=(0, 2))


def check_table_counts(session, df):
    actual = run(session, q(
        "SELECT 'movies' AS t, count(*) AS n FROM {ks}.movies "
        "UNION ALL SELECT 'movieratings', count(*) FROM {ks}.movieratings "
        "UNION ALL SELECT 'socialmedia', count(*) FROM {ks}.socialmedia "
        "UNION ALL SELECT 'wines', count(*) FROM {ks}.wines ORDER BY t ALLOW FILTERING"))
    expected = sorted((t, int(len(f))) for t, f in df.items())
    return expected, actual, compare_rows(expected, actual, exact_columns=(1,))


# Single-table checks first, joins last: a slow join must not hide the rest.
CHECKS = [
    ("table row counts (UNION ALL)", check_table_counts),
    ("wine count per quality", check_wine_counts),
    ("wine feature means per quality", check_wine_means),
    ("wine stddev/var_pop/min/max per quality", check_wine_spread),
    ("photo vs video mean likes/comments", check_social_photo_video),
    ("social media per status type", check_social_all_types),
    ("rating histogram", check_rating_histogram),
    ("users with >= 100 ratings > 3 (HAVING)", check_user_high_ratings),
    ("top 10 users by ratings > 3", check_user_high_ratings_top),
    ("top 20 movies by average (>= 50 ratings)", check_top_movies),
    ("movies without ratings (LEFT JOIN)", check_unrated_movies),
    ("movies without ratings (LEFT ANTI JOIN)", check_unrated_movies_anti),
    ("ratings of unknown movies (LEFT ANTI JOIN)", check_ratings_without_movie),
    ("comedy ratings (JOIN + LIKE)", check_comedy_ratings),
]


def run_checks(session, df):
    """Runs every check, printing one line per check as it finishes; returns
    [(name, problem)] for the failures."""
    width = max(len(name) for name, _ in CHECKS)
    print("  %-*s %7s %7s  %s" % (width, "check", "rows", "secs", "result"), flush=True)
    failures = []
    for name, fn in CHECKS:
        started = time.monotonic()
        try:
            _, actual, problem = fn(session, df)
            rows = len(actual)
        except Exception as e:  # a server error or timeout fails the check, not the run
            problem, rows = "%s: %s" % (type(e).__name__, e), 0
        print("  %-*s %7d %7.2f  %s" % (width, name, rows, time.monotonic() - started,
                                         "PASS" if problem is None else "FAIL"), flush=True)
        if problem is not None:
            failures.append((name, problem))
    for name, problem in failures:
        print("\nFAIL %s:\n    %s" % (name, problem.replace("\n", "\n    ")))
    return failures


# -------------------------------------------------------------------- main --
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    harness.add_server_args(parser)
    args = parser.parse_args()
    directory = harness.dataset_dir("workshop")
    if not os.path.isdir(directory):
        print("SKIP: workshop datasets not found under %s" % directory)
        return 77
    if pd is None:
        print("SKIP: pandas is not installed (Debian: python3-pandas)")
        return 77
    try:
        data = load_datasets(directory)
    except (Failure, ValueError) as e:
        print("FAIL: cannot parse the datasets: %s" % e)
        return 1
    if data is None:
        print("SKIP: some workshop CSV files are missing under %s" % directory)
        return 77
    for table, n in EXPECTED_ROWS.items():
        if len(data[table][1]) != n:
            print("FAIL: %s has %d rows in the CSV files, expected %d"
                  % (table, len(data[table][1]), n))
            return 1
    df = frames(data)

    harness.exit_on_timeout_or_term(SCRIPT_TIMEOUT_S)
    server = harness.server_from_args(args)
    cluster = None
    try:
        cluster = Cluster(["127.0.0.1"], port=server.port if server else args.port,
                          protocol_version=4)
        session = cluster.connect()
        session.default_timeout = TIMEOUT_S
        load(session, data)
        failures = run_checks(session, df)
        ok = not failures
    except (Exception, SystemExit) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        if server:
            print(server.stderr_tail())
        return 1
    finally:
        signal.alarm(0)
        if cluster is not None:
            cluster.shutdown()
        if server:
            server.stop()
            server.cleanup()
    print("PASS analytics_pandas" if ok else "FAIL analytics_pandas")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
