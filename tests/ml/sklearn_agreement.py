#!/usr/bin/python3
"""Helenus's ML statements checked against scikit-learn on the same rows.

    /usr/bin/python3 tests/ml/sklearn_agreement.py [--helenus BIN | --port P] [--only WORD]

Starts a fresh server (tests/harness.py), loads datasets into keyspace
`mltest` with the DataStax Python driver and trains every model twice: with
CREATE MODEL over CQL and with scikit-learn (or a small NumPy reference)
in this process, on exactly the same rows. Every table has a column
`is_test boolean` computed here (a fixed numpy RandomState(1234)
permutation, 20 % test rows); Helenus trains on
`... WHERE is_test = false ALLOW FILTERING` and is scored with PREDICT and
EVALUATE on `... WHERE is_test = true ALLOW FILTERING`.

Datasets: scikit-learn's shipped breast_cancer, iris, wine, digits,
diabetes and a fixed make_friedman1 sample (no network), and the workshop
data under ../shared/datasets/workshop/ (wines, socialMedia, ratings); the
workshop checks are skipped when that directory is absent.

What is compared (the printed table says the tolerance of each row):
  * naive_bayes gaussian / multinomial vs GaussianNB / MultinomialNB and
    kmeans with explicit initial centres vs KMeans(lloyd, same init):
    identical predictions (probabilities and cluster centres to 1e-9);
  * logistic_regression, linear_svc with reg_param 0.01 (MLlib standardizes
    internally) vs scikit-learn on StandardScaler'd rows with the same
    objective, C = 1 / (0.01 * n_train): test accuracy within 0.03;
  * decision trees, random forests (MLlib's features per node: ceil(sqrt d)
    for classifiers, ceil(d / 3) for regressors), GBT: test accuracy (r2 for
    the regressors) within 0.05;
  * linear_regression vs LinearRegression: predictions to 1e-6 relative,
    r2 to 1e-9;
  * EVALUATE rows vs sklearn.metrics on Helenus's own predictions: 1e-12
    (1e-9 for areaUnderROC, logLoss, silhouette); `var` is MLlib's explained
    variance, sum((pred - mean(y))^2) / n;
  * fp_growth frequent itemsets and association rules vs a brute-force
    miner here: identical;
  * als: test RMSE within 0.05 of a NumPy ALS-WR, PREDICT and RECOMMEND
    consistent with the factor artifacts; pca: components equal up to sign
    (1e-8), explained variance (ratio) to 1e-9;
  * bad statements (one class, unknown option, unknown column, empty
    training set) are InvalidRequest naming the problem, and the server
    keeps serving.

Each check is independent: one failing or missing estimator is one FAIL
row. Exit 0 when every check passes, 1 on any FAIL, 77 when a required
Python package is missing.
"""

import argparse
import collections
import csv
import math
import os
import signal
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import harness  # noqa: E402

try:
    import numpy as np
    from scipy import sparse
    from sklearn import datasets as skdata
    from sklearn import metrics as skm
    from sklearn.cluster import KMeans
    from sklearn.decomposition import PCA
    from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor,
                                  RandomForestClassifier, RandomForestRegressor)
    from sklearn.linear_model import LinearRegression, LogisticRegression
    from sklearn.naive_bayes import GaussianNB, MultinomialNB
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import LinearSVC
    from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
except ImportError as e:  # pragma: no cover
    print("SKIP: %s (needs numpy and scikit-learn for /usr/bin/python3)" % e)
    sys.exit(77)

from cassandra import InvalidRequest  # noqa: E402
from cassandra.cluster import Cluster  # noqa: E402
from cassandra.concurrent import execute_concurrent  # noqa: E402
from cassandra.query import BatchStatement, BatchType, SimpleStatement  # noqa: E402

KS = "mltest"
SPLIT_SEED = 1234
TEST_FRACTION = 0.2
TIMEOUT_S = 120
SCRIPT_TIMEOUT_S = 500
CONCURRENCY = 16
BATCH_ROWS = 100
FETCH_SIZE = 5000

# L2 strength of the linear classifiers; scikit-learn gets C = 1 / (REG * n).
LINEAR_REG = 0.01


class Failure(Exception):
    pass


# ------------------------------------------------------------------ results --
class Results:
    """The table of checks: one row per comparison."""

    def __init__(self):
        self.rows = []
        self.details = []

    def add(self, dataset, algorithm, metric, helenus, reference, diff, tol, ok, note=""):
        row = (dataset, algorithm, metric, fmt(helenus), fmt(reference), fmt(diff), tol,
               "OK" if ok else "FAIL")
        self.rows.append(row)
        print(format_row(row), flush=True)
        if not ok and note:
            self.details.append("%s / %s / %s: %s" % (dataset, algorithm, metric, note))

    def fail(self, dataset, algorithm, what, error):
        row = (dataset, algorithm, what, "error", "", "", "", "FAIL")
        self.rows.append(row)
        print(format_row(row), flush=True)
        self.details.append("%s / %s / %s: %s" % (dataset, algorithm, what, error))

    def skip(self, dataset, algorithm, why):
        row = (dataset, algorithm, why, "", "", "", "", "SKIP")
        self.rows.append(row)
        print(format_row(row), flush=True)

    def failed(self):
        return [r for r in self.rows if r[-1] == "FAIL"]


WIDTHS = (9, 26, 34, 12, 12, 10, 9, 4)
HEADER = ("dataset", "algorithm", "metric", "helenus", "sklearn", "diff", "tol", "")


def format_row(row):
    return "  ".join(str(v)[:w].ljust(w) for v, w in zip(row, WIDTHS)).rstrip()


def fmt(v):
    if v is None:
        return ""
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        if v == 0:
            return "0"
        if v.is_integer() and 1 <= abs(v) < 1e15:
            return "%d" % v
        if abs(v) < 1e-3 or abs(v) >= 1e6:
            return "%.3g" % v
        return "%.6f" % v
    return str(v)


def close(a, b, rel, abs_tol=0.0):
    return math.isclose(float(a), float(b), rel_tol=rel, abs_tol=abs_tol)


# ------------------------------------------------------------------ driver --
def opt_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    if isinstance(v, (list, tuple, np.ndarray)):
        return "[" + ", ".join(repr(float(x)) for x in v) + "]"
    return "'%s'" % str(v).replace("'", "''")


def run(session, cql):
    statement = SimpleStatement(cql, fetch_size=FETCH_SIZE)
    return list(session.execute(statement, timeout=TIMEOUT_S))


def create_model(session, name, estimator, options, query):
    """CREATE OR REPLACE MODEL; returns its (metric, class, predicted, value) rows."""
    with_clause = ""
    if options:
        with_clause = " WITH " + " AND ".join("%s = %s" % (k, opt_value(v))
                                              for k, v in options.items())
    cql = "CREATE OR REPLACE MODEL %s.%s USING %s%s AS %s" % (KS, name, estimator, with_clause,
                                                               query)
    return run(session, cql)


def predict(session, name, query):
    """PREDICT rows as a list of named tuples."""
    return run(session, "PREDICT %s.%s ON %s" % (KS, name, query))


def evaluate(session, name, query):
    return run(session, "EVALUATE MODEL %s.%s ON %s" % (KS, name, query))


def artifact(session, name, artifact_name):
    return run(session, "DESCRIBE MODEL %s.%s ARTIFACT %s" % (KS, name, artifact_name))


def metric_map(rows):
    """{(metric, class, predicted): value} of EVALUATE / CREATE MODEL rows."""
    return {(r.metric, r[1], r.predicted): r.value for r in rows}


# -------------------------------------------------------------------- data --
class Dataset:
    """Rows of one table: ids, feature matrix, label, test mask."""

    def __init__(self, name, X, y, label_type, feature_names=None, label_cast=None):
        self.name = name
        self.X = np.asarray(X, dtype=float)
        self.y = np.asarray(y)
        self.label_type = label_type
        self.label_cast = label_cast or (lambda v: v)
        n, d = self.X.shape
        self.features = feature_names or ["f%d" % j for j in range(d)]
        self.ids = np.arange(n)
        self.is_test = split_mask(n)
        self.train = ~self.is_test

    @property
    def cols(self):
        return ", ".join(self.features)

    def train_query(self, label=True):
        return "SELECT %s%s FROM %s.%s WHERE is_test = false ALLOW FILTERING" % (
            self.cols, ", label" if label else "", KS, self.name)

    def test_query(self, label=False, where="is_test = true"):
        return "SELECT id, %s%s FROM %s.%s WHERE %s ALLOW FILTERING" % (
            self.cols, ", label" if label else "", KS, self.name, where)

    def schema(self):
        return ("CREATE TABLE %s.%s (id int PRIMARY KEY, %s, label %s, is_test boolean)" % (
            KS, self.name, ", ".join("%s double" % f for f in self.features), self.label_type))

    def rows(self):
        out = []
        for i in range(len(self.ids)):
            out.append([int(self.ids[i])] + [float(v) for v in self.X[i]] +
                       [self.label_cast(self.y[i].item() if hasattr(self.y[i], "item")
                                        else self.y[i]), bool(self.is_test[i])])
        return out

    def columns(self):
        return ["id"] + self.features + ["label", "is_test"]

    # splits in id order, as scikit-learn sees them
    def Xtr(self):
        return self.X[self.train]

    def ytr(self):
        return self.y[self.train]

    def Xte(self):
        return self.X[self.is_test]

    def yte(self):
        return self.y[self.is_test]


def split_mask(n):
    perm = np.random.RandomState(SPLIT_SEED).permutation(n)
    mask = np.zeros(n, dtype=bool)
    mask[perm[:int(round(TEST_FRACTION * n))]] = True
    return mask


def sklearn_datasets():
    out = {}
    bc = skdata.load_breast_cancer()
    # Text labels: Helenus indexes them in ascending order (benign, malignant)
    # exactly as scikit-learn's classes_ does.
    out["bc"] = Dataset("bc", bc.data, bc.target_names[bc.target].astype(object), "text",
                        label_cast=str)
    iris = skdata.load_iris()
    out["iris"] = Dataset("iris", iris.data, iris.target_names[iris.target].astype(object),
                          "text", label_cast=str)
    wine = skdata.load_wine()
    out["wine"] = Dataset("wine", wine.data, wine.target, "int", label_cast=int)
    digits = skdata.load_digits()
    out["digits"] = Dataset("digits", digits.data, digits.target, "int", label_cast=int)
    diabetes = skdata.load_diabetes()
    out["diabetes"] = Dataset("diabetes", diabetes.data, diabetes.target, "double",
                              label_cast=float)
    Xf, yf = skdata.make_friedman1(n_samples=2000, n_features=8, noise=1.0, random_state=0)
    out["friedman"] = Dataset("friedman", Xf, yf, "double", label_cast=float)
    return out


# workshop CSV files (see tests/compat/analytics_pandas.py for their layout)
WINE_FEATURES = ["fixed_acidity", "volatile_acidity", "citric_acid", "residual_sugar",
                 "chlorides", "free_sulfur_dioxide", "total_sulfur_dioxide", "density",
                 "ph", "sulphates", "alcohol"]
WINE_FILES = ["winequality-red.csv", "winequality-white.csv"]
SOCIAL_COUNTS = ["num_reactions", "num_comments", "num_shares", "num_likes", "num_loves",
                 "num_wows", "num_hahas", "num_sads", "num_angrys"]


def read_csv_rows(path, delimiter=","):
    # utf-8-sig: socialMedia.csv starts with a byte order mark
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [row for row in csv.reader(f, delimiter=delimiter) if row]


def workshop_datasets(directory):
    """{name: Dataset or raw rows} from the workshop CSVs; None when absent."""
    names = WINE_FILES + ["socialMedia.csv", "ratings.csv"]
    if not all(os.path.isfile(os.path.join(directory, n)) for n in names):
        return None
    out = {}
    X, y = [], []
    for name in WINE_FILES:
        for fields in read_csv_rows(os.path.join(directory, name), ";"):
            values = [float(v) for v in fields]
            X.append(values[:11])
            y.append(values[11] > 5)
    out["wines"] = Dataset("wines", X, np.array(y, dtype=bool), "boolean",
                           feature_names=WINE_FEATURES, label_cast=bool)

    X, types = [], []
    for fields in read_csv_rows(os.path.join(directory, "socialMedia.csv")):
        types.append(fields[0].strip())
        X.append([int(v) for v in fields[1:]])
    social = Dataset("social", X, np.array(types, dtype=object), "text",
                     feature_names=SOCIAL_COUNTS, label_cast=str)
    out["social"] = social

    ratings = {}
    for fields in read_csv_rows(os.path.join(directory, "ratings.csv")):
        ratings[(int(fields[0]), int(fields[1]))] = float(fields[2])
    keys = sorted(ratings)
    arr = np.array([(u, m, ratings[(u, m)]) for u, m in keys], dtype=float)
    out["ratings"] = {"users": arr[:, 0].astype(int), "items": arr[:, 1].astype(int),
                      "ratings": arr[:, 2], "is_test": split_mask(len(keys))}
    return out


# ----------------------------------------------------------------- loading --
def insert_batched(session, table, columns, rows):
    """Unlogged batches of BATCH_ROWS prepared inserts, run concurrently."""
    prepared = session.prepare("INSERT INTO %s.%s (%s) VALUES (%s)" % (
        KS, table, ", ".join(columns), ", ".join("?" for _ in columns)))
    statements = []
    for start in range(0, len(rows), BATCH_ROWS):
        batch = BatchStatement(batch_type=BatchType.UNLOGGED)
        for row in rows[start:start + BATCH_ROWS]:
            batch.add(prepared, row)
        statements.append((batch, ()))
    results = execute_concurrent(session, statements, concurrency=CONCURRENCY,
                                 raise_on_first_error=False)
    failed = [r for ok, r in results if not ok]
    if failed:
        raise Failure("%s: %d of %d batches failed; first: %s"
                      % (table, len(failed), len(statements), failed[0]))


def count_rows(session, table):
    return run(session, "SELECT count(*) FROM %s.%s" % (KS, table))[0][0]


def load_dataset(session, ds):
    session.execute(ds.schema())
    rows = ds.rows()
    insert_batched(session, ds.name, ds.columns(), rows)
    n = count_rows(session, ds.name)
    if n != len(rows):
        raise Failure("%s: count(*) = %d after inserting %d rows" % (ds.name, n, len(rows)))


def load_ratings(session, r):
    session.execute("CREATE TABLE %s.ratings (userid int, movieid int, rating double, "
                    "is_test boolean, PRIMARY KEY (userid, movieid))" % KS)
    rows = [[int(u), int(m), float(v), bool(t)]
            for u, m, v, t in zip(r["users"], r["items"], r["ratings"], r["is_test"])]
    insert_batched(session, "ratings", ["userid", "movieid", "rating", "is_test"], rows)
    n = count_rows(session, "ratings")
    if n != len(rows):
        raise Failure("ratings: count(*) = %d after inserting %d rows" % (n, len(rows)))


# ---------------------------------------------------------------- helpers --
def predictions_by_id(rows):
    """{id: (prediction, probability or None)}."""
    out = {}
    for r in rows:
        out[r.id] = (r.prediction, getattr(r, "probability", None))
    return out


def test_predictions(session, ds, model):
    """Helenus's test-row predictions in id order, with probabilities."""
    got = predictions_by_id(predict(session, model, ds.test_query()))
    ids = ds.ids[ds.is_test]
    missing = [int(i) for i in ids if int(i) not in got]
    if missing or len(got) != len(ids):
        raise Failure("PREDICT returned %d rows for %d test rows (missing ids %s)"
                      % (len(got), len(ids), missing[:5]))
    pred = [got[int(i)][0] for i in ids]
    prob = [got[int(i)][1] for i in ids]
    return pred, prob


def same_type_values(helenus, reference, cast):
    """Counts predictions that differ; a prediction of the wrong Python type differs."""
    bad = 0
    first = None
    for h, s in zip(helenus, reference):
        expected = cast(s.item() if hasattr(s, "item") else s)
        if type(h) is not type(expected) or h != expected:
            bad += 1
            if first is None:
                first = (h, expected)
    return bad, first


def accuracy(pred, y, cast):
    y = [cast(v.item() if hasattr(v, "item") else v) for v in y]
    return sum(1 for p, t in zip(pred, y) if p == t) / float(len(y))


def check_identical(res, session, ds, algorithm, model, estimator, options, sk_model):
    """Trains both, requires the same prediction on every test row."""
    created = metric_map(create_model(session, model, estimator,
                                      dict({"label": "label"}, **options), ds.train_query()))
    if created.get(("training_rows", None, None)) != ds.train.sum():
        raise Failure("CREATE MODEL reports training_rows %s, the table has %d training rows"
                      % (created.get(("training_rows", None, None)), ds.train.sum()))
    pred, prob = test_predictions(session, ds, model)
    sk_model.fit(ds.Xtr(), ds.ytr())
    sk_pred = sk_model.predict(ds.Xte())
    bad, first = same_type_values(pred, sk_pred, ds.label_cast)
    acc_h = accuracy(pred, ds.yte(), ds.label_cast)
    acc_s = accuracy(sk_pred, ds.yte(), ds.label_cast)
    res.add(ds.name, algorithm, "differing predictions /%d" % len(pred), acc_h, acc_s, bad,
            "0 rows", bad == 0,
            "first difference: helenus %r, sklearn %r" % first if first else "")
    # PREDICT's probability is that of the predicted class
    sk_prob = sk_model.predict_proba(ds.Xte()).max(axis=1)
    have = np.array([np.nan if p is None else p for p in prob], dtype=float)
    diff = float(np.max(np.abs(have - sk_prob)))
    res.add(ds.name, algorithm, "probability (max abs)", None, None, diff, "1e-9",
            diff <= 1e-9)


def check_accuracy(res, session, ds, algorithm, model, estimator, options, sk_model, tol,
                   sk_X=None):
    create_model(session, model, estimator, dict({"label": "label"}, **options),
                 ds.train_query())
    pred, _ = test_predictions(session, ds, model)
    if sk_X is not None:
        Xtr, Xte = sk_X
    else:
        Xtr, Xte = ds.Xtr(), ds.Xte()
    sk_model.fit(Xtr, ds.ytr())
    sk_pred = sk_model.predict(Xte)
    acc_h = accuracy(pred, ds.yte(), ds.label_cast)
    acc_s = accuracy(sk_pred, ds.yte(), ds.label_cast)
    diff = acc_h - acc_s
    res.add(ds.name, algorithm, "test accuracy (n=%d)" % len(pred), acc_h, acc_s, diff,
            "%g" % tol, abs(diff) <= tol + 1e-12)


def check_r2(res, session, ds, algorithm, model, estimator, options, sk_model, tol):
    create_model(session, model, estimator, dict({"label": "label"}, **options),
                 ds.train_query())
    pred, _ = test_predictions(session, ds, model)
    sk_model.fit(ds.Xtr(), ds.ytr())
    r2_h = skm.r2_score(ds.yte(), np.array(pred, dtype=float))
    r2_s = skm.r2_score(ds.yte(), sk_model.predict(ds.Xte()))
    res.add(ds.name, algorithm, "test r2 (n=%d)" % len(pred), r2_h, r2_s, r2_h - r2_s,
            "%g" % tol, abs(r2_h - r2_s) <= tol)


def spark_sqrt(ds):
    """Features per node of a forest classifier: MLlib's ceil(sqrt(d))
    (sklearn's "sqrt" rounds down)."""
    return int(math.ceil(math.sqrt(ds.X.shape[1])))


def spark_onethird(ds):
    """Features per node of a forest regressor: MLlib's ceil(d / 3)."""
    return int(math.ceil(ds.X.shape[1] / 3.0))


def standardized(ds):
    scaler = StandardScaler().fit(ds.Xtr())
    return scaler.transform(ds.Xtr()), scaler.transform(ds.Xte())


def linear_c(ds):
    return 1.0 / (LINEAR_REG * int(ds.train.sum()))


# ------------------------------------------------------------------ checks --
def checks_naive_bayes(res, session, data):
    for name in ("bc", "iris", "wine", "digits"):
        guarded(res, name, "naive_bayes gaussian", check_identical, session, data[name],
                "naive_bayes gaussian", "nb_g_" + name, "naive_bayes",
                {"model_type": "gaussian"}, GaussianNB())
    guarded(res, "digits", "naive_bayes multinomial", check_identical, session, data["digits"],
            "naive_bayes multinomial", "nb_m_digits", "naive_bayes",
            {"model_type": "multinomial", "smoothing": 1.0}, MultinomialNB(alpha=1.0))


def check_kmeans_iris(res, session, ds):
    init = ds.Xtr()[:3]
    create_model(session, "km_iris", "kmeans",
                 {"k": 3, "initial_centers": init.ravel(), "max_iter": 20, "tol": 1e-4},
                 ds.train_query(label=False))
    compare_kmeans(res, session, ds, "km_iris", init, max_iter=20, tol=1e-4)


def compare_kmeans(res, session, ds, model, init, max_iter, tol):
    k = len(init)
    sk = KMeans(n_clusters=k, init=init, n_init=1, algorithm="lloyd", max_iter=max_iter,
                tol=tol).fit(ds.Xtr())
    # every row (training and test rows), so the assignments cover the whole set
    got = predictions_by_id(predict(session, model, ds.test_query(where="id >= 0")))
    pred = np.array([got[int(i)][0] for i in ds.ids])
    sk_pred = sk.predict(ds.X)
    bad = int((pred != sk_pred).sum())
    res.add(ds.name, "kmeans k=%d" % k, "differing clusters /%d" % len(pred),
            None, None, bad, "0 rows", bad == 0,
            "first difference at id %s" % (int(np.argmax(pred != sk_pred)),) if bad else "")
    centers = artifact(session, model, "cluster_centers")
    mat = numeric_matrix(centers, skip=("cluster", "size", "rows", "count"))
    order = cluster_ids(centers)
    if order is not None:
        mat = mat[np.argsort(order)]
    if mat.shape != sk.cluster_centers_.shape:
        raise Failure("cluster_centers artifact has shape %s, expected %s (columns %s)"
                      % (mat.shape, sk.cluster_centers_.shape, list(centers[0]._fields)))
    scale = np.abs(sk.cluster_centers_).max()
    diff = float(np.abs(mat - sk.cluster_centers_).max() / scale)
    res.add(ds.name, "kmeans k=%d" % k, "cluster centres (max rel)", None, None, diff, "1e-9",
            diff <= 1e-9)


def cluster_ids(rows):
    for name in ("cluster", "cluster_id", "prediction", "id"):
        if rows and name in rows[0]._fields:
            return np.array([getattr(r, name) for r in rows])
    return None


def numeric_matrix(rows, skip=()):
    """The float columns of artifact rows (list columns are expanded)."""
    out = []
    for r in rows:
        values = []
        for name, v in zip(r._fields, r):
            if name in skip:
                continue
            if isinstance(v, float):
                values.append(v)
            elif isinstance(v, (list, tuple)) and all(isinstance(x, (int, float)) for x in v):
                values.extend(float(x) for x in v)
        out.append(values)
    return np.array(out, dtype=float)


def checks_logistic(res, session, data):
    for name in ("bc", "iris", "wine", "digits"):
        ds = data[name]
        guarded(res, name, "logistic_regression", check_accuracy, session, ds,
                "logistic_regression", "lr_" + name, "logistic_regression",
                {"reg_param": LINEAR_REG, "max_iter": 500},
                LogisticRegression(C=linear_c(ds), max_iter=5000), 0.03, sk_X=standardized(ds))
    ds = data["bc"]
    guarded(res, "bc", "linear_svc", check_accuracy, session, ds, "linear_svc", "svc_bc",
            "linear_svc", {"reg_param": LINEAR_REG, "max_iter": 500},
            LinearSVC(C=linear_c(ds), loss="hinge", max_iter=100000), 0.03,
            sk_X=standardized(ds))


def checks_trees(res, session, data):
    for name in ("bc", "iris", "wine", "digits"):
        ds = data[name]
        guarded(res, name, "decision_tree_classifier", check_accuracy, session, ds,
                "decision_tree_classifier", "dt_" + name, "decision_tree_classifier",
                {"max_depth": 5}, DecisionTreeClassifier(max_depth=5, random_state=0), 0.05)
        guarded(res, name, "random_forest_classifier", check_accuracy, session, ds,
                "random_forest_classifier", "rf_" + name, "random_forest_classifier",
                {"num_trees": 50, "max_depth": 5},
                RandomForestClassifier(50, max_depth=5, max_features=spark_sqrt(ds),
                                       random_state=0, n_jobs=2), 0.05)
    ds = data["bc"]
    guarded(res, "bc", "gbt_classifier", check_accuracy, session, ds, "gbt_classifier", "gbt_bc",
            "gbt_classifier", {"max_iter": 20, "max_depth": 5, "step_size": 0.1},
            GradientBoostingClassifier(n_estimators=20, max_depth=5, learning_rate=0.1,
                                       random_state=0), 0.05)
    ds = data["friedman"]
    guarded(res, "friedman", "decision_tree_regressor", check_r2, session, ds,
            "decision_tree_regressor", "dtr_friedman", "decision_tree_regressor",
            {"max_depth": 5}, DecisionTreeRegressor(max_depth=5, random_state=0), 0.05)
    guarded(res, "friedman", "random_forest_regressor", check_r2, session, ds,
            "random_forest_regressor", "rfr_friedman", "random_forest_regressor",
            {"num_trees": 50, "max_depth": 5},
            RandomForestRegressor(50, max_depth=5, max_features=spark_onethird(ds),
                                  random_state=0, n_jobs=2), 0.05)
    guarded(res, "friedman", "gbt_regressor", check_r2, session, ds, "gbt_regressor",
            "gbtr_friedman", "gbt_regressor", {"max_iter": 20, "max_depth": 5, "step_size": 0.1},
            GradientBoostingRegressor(n_estimators=20, max_depth=5, learning_rate=0.1,
                                      random_state=0), 0.05)


def check_linear_regression(res, session, ds):
    create_model(session, "linreg_diabetes", "linear_regression", {"label": "label"},
                 ds.train_query())
    pred, _ = test_predictions(session, ds, "linreg_diabetes")
    pred = np.array(pred, dtype=float)
    sk = LinearRegression().fit(ds.Xtr(), ds.ytr())
    sk_pred = sk.predict(ds.Xte())
    rel = float(np.max(np.abs(pred - sk_pred) / np.maximum(np.abs(sk_pred), 1e-300)))
    res.add(ds.name, "linear_regression", "predictions (max rel)", None, None, rel, "1e-6",
            rel <= 1e-6)
    # EVALUATE's r2 on the test rows against scikit-learn's model's r2
    ev = metric_map(evaluate(session, "linreg_diabetes", ds.test_query(label=True)))
    r2_s = skm.r2_score(ds.yte(), sk_pred)
    r2_h = ev[("r2", None, None)]
    res.add(ds.name, "linear_regression", "test r2 (EVALUATE)", r2_h, r2_s, r2_h - r2_s, "1e-9",
            abs(r2_h - r2_s) <= 1e-9)
    # the regression metrics of EVALUATE vs sklearn.metrics on Helenus's predictions
    y = ds.yte()
    expected = {
        "rows": float(len(y)),
        "mse": skm.mean_squared_error(y, pred),
        "rmse": math.sqrt(skm.mean_squared_error(y, pred)),
        "mae": skm.mean_absolute_error(y, pred),
        "r2": skm.r2_score(y, pred),
        # Spark's "var" (RegressionMetrics.explainedVariance) is
        # sum((pred - mean(y))^2) / n, not sklearn's explained_variance_score
        "var": float(np.mean((pred - np.mean(y)) ** 2)),
    }
    compare_metrics(res, ds.name, "linear_regression EVALUATE", ev, expected, 1e-12)


def compare_metrics(res, dataset, algorithm, got, expected, tol, tols=None):
    """One row per metric: Helenus's EVALUATE value vs the expected one (relative tol)."""
    tols = tols or {}
    for key, want in expected.items():
        if not isinstance(key, tuple):
            key = (key, None, None)
        name = key[0] + ("[%s]" % key[1] if key[1] is not None else "") + (
            "[%s]" % key[2] if key[2] is not None else "")
        t = tols.get(key[0], tol)
        if key not in got:
            res.add(dataset, algorithm, name, "missing", want, None, "%g" % t, False,
                    "EVALUATE has no row %r; it has %s" % (key, sorted(set(k[0] for k in got))))
            continue
        have = got[key]
        ok = math.isclose(have, want, rel_tol=t, abs_tol=t)
        res.add(dataset, algorithm, name, have, want, have - want, "%g" % t, ok)


def classification_metrics(y, pred, classes, label_text):
    """EVALUATE's classification rows computed with sklearn.metrics."""
    out = {
        "rows": float(len(y)),
        "accuracy": skm.accuracy_score(y, pred),
        "weightedPrecision": skm.precision_score(y, pred, labels=classes, average="weighted",
                                                 zero_division=0),
        "weightedRecall": skm.recall_score(y, pred, labels=classes, average="weighted",
                                           zero_division=0),
        "f1": skm.f1_score(y, pred, labels=classes, average="weighted", zero_division=0),
        "macroF1": skm.f1_score(y, pred, labels=classes, average="macro", zero_division=0),
    }
    p, r, f, s = skm.precision_recall_fscore_support(y, pred, labels=classes, zero_division=0)
    cm = skm.confusion_matrix(y, pred, labels=classes)
    for i, c in enumerate(classes):
        out[("precisionByLabel", label_text(c), None)] = p[i]
        out[("recallByLabel", label_text(c), None)] = r[i]
        out[("fMeasureByLabel", label_text(c), None)] = f[i]
        out[("support", label_text(c), None)] = float(s[i])
        for j, c2 in enumerate(classes):
            out[("confusion", label_text(c), label_text(c2))] = float(cm[i, j])
    return out


def check_evaluate_classification(res, session, ds, model):
    """EVALUATE of an already trained classifier vs sklearn.metrics on its PREDICT rows."""
    pred, prob = test_predictions(session, ds, model)
    y = [ds.label_cast(v) for v in ds.yte()]
    classes = sorted(set(y) | set(pred))
    ev = metric_map(evaluate(session, model, ds.test_query(label=True)))
    expected = classification_metrics(y, pred, classes, str)
    if len(classes) == 2:
        positive = classes[1]  # ascending order: index 1 is the positive class
        p1 = np.array([p if c == positive else 1.0 - p for c, p in zip(pred, prob)])
        truth = np.array([1 if t == positive else 0 for t in y])
        expected["areaUnderROC"] = skm.roc_auc_score(truth, p1)
        clipped = np.clip(p1, 1e-15, 1 - 1e-15)
        expected["logLoss"] = skm.log_loss(truth, clipped, labels=[0, 1])
    compare_metrics(res, ds.name, "%s EVALUATE" % model, ev, expected, 1e-12,
                    tols={"areaUnderROC": 1e-9, "logLoss": 1e-9})


def check_evaluate_clustering(res, session, ds, model):
    got = predictions_by_id(predict(session, model, ds.test_query()))
    ids = ds.ids[ds.is_test]
    labels = np.array([got[int(i)][0] for i in ids])
    ev = metric_map(evaluate(session, model, ds.test_query()))
    expected = {"rows": float(len(ids)),
                "silhouette": skm.silhouette_score(ds.Xte(), labels, metric="sqeuclidean")}
    compare_metrics(res, ds.name, "%s EVALUATE" % model, ev, expected, 1e-9)


def check_pca(res, session, ds):
    create_model(session, "pca_iris", "pca", {"k": 2}, ds.train_query(label=False))
    sk = PCA(n_components=2).fit(ds.Xtr())
    comps = sk.components_
    # "components": one row per component, one double column per feature
    mat = numeric_matrix(artifact(session, "pca_iris", "components"))
    if mat.shape != comps.shape:
        raise Failure("components artifact has shape %s, expected %s" % (mat.shape, comps.shape))
    signs = np.sign((mat * comps).sum(axis=1))  # components are defined up to sign
    diff = float(np.abs(mat * signs[:, None] - comps).max())
    res.add(ds.name, "pca k=2", "components (max abs, up to sign)", None, None, diff, "1e-8",
            diff <= 1e-8)
    rows = artifact(session, "pca_iris", "explained_variance")
    for column, want in (("explained_variance", sk.explained_variance_),
                         ("explained_variance_ratio", sk.explained_variance_ratio_)):
        have = np.array([getattr(r, column) for r in rows], dtype=float)
        rel = float(np.max(np.abs(have - want) / np.abs(want)))
        res.add(ds.name, "pca k=2", "%s (max rel)" % column, have[0], want[0], rel, "1e-9",
                rel <= 1e-9)


def check_errors(res, session, data):
    iris = data["iris"]
    cases = [
        ("one class",
         "CREATE MODEL %s.err_one USING naive_bayes WITH label = 'label' AS SELECT %s, label "
         "FROM %s.iris WHERE label = 'setosa' ALLOW FILTERING" % (KS, iris.cols, KS),
         ["one class"]),
        ("unknown option",
         "CREATE MODEL %s.err_opt USING naive_bayes WITH label = 'label' AND bogus_knob = 3 "
         "AS %s" % (KS, iris.train_query()), ["bogus_knob"]),
        ("unknown label column",
         "CREATE MODEL %s.err_col USING naive_bayes WITH label = 'no_such_col' AS %s"
         % (KS, iris.train_query()), ["no_such_col"]),
        ("unknown feature column",
         "CREATE MODEL %s.err_feat USING naive_bayes WITH label = 'label' AND "
         "features = 'f0, no_such_feature' AS %s" % (KS, iris.train_query()),
         ["no_such_feature"]),
        ("unknown column in query",
         "CREATE MODEL %s.err_sel USING naive_bayes WITH label = 'label' AS SELECT f0, "
         "no_such_select, label FROM %s.iris" % (KS, KS), ["no_such_select"]),
        ("empty training set",
         "CREATE MODEL %s.err_empty USING naive_bayes WITH label = 'label' AS SELECT %s, label "
         "FROM %s.iris WHERE id < 0 ALLOW FILTERING" % (KS, iris.cols, KS), ["empty"]),
        ("unknown estimator",
         "CREATE MODEL %s.err_est USING no_such_estimator AS %s" % (KS, iris.train_query()),
         ["no_such_estimator"]),
    ]
    for what, cql, words in cases:
        try:
            run(session, cql)
            res.add("iris", "errors", what, "accepted", "Invalid", None, "", False,
                    "statement succeeded: %s" % cql)
            continue
        except InvalidRequest as e:
            message = str(e)
            ok = all(w.lower() in message.lower() for w in words)
            res.add("iris", "errors", what, "Invalid", "Invalid", None, "names it", ok,
                    "message does not mention %s: %s" % (words, message))
            print("        %s" % message.split("message=", 1)[-1], flush=True)
        except Exception as e:  # another error class is a failure too
            res.add("iris", "errors", what, type(e).__name__, "Invalid", None, "", False, str(e))
    n = count_rows(session, "iris")
    res.add("iris", "errors", "server still serving", n, len(iris.ids), None, "",
            n == len(iris.ids))


# ------------------------------------------------------------- workshop --
def checks_workshop(res, session, ws):
    wines = ws["wines"]
    guarded(res, "wines", "naive_bayes multinomial", check_identical, session, wines,
            "naive_bayes multinomial", "nb_wines", "naive_bayes",
            {"model_type": "multinomial", "smoothing": 1.0}, MultinomialNB(alpha=1.0))
    guarded(res, "wines", "random_forest_classifier", check_accuracy, session, wines,
            "random_forest_classifier", "rf_wines", "random_forest_classifier",
            {"num_trees": 10, "max_depth": 5},
            RandomForestClassifier(10, max_depth=5, max_features=spark_sqrt(wines),
                                   random_state=0, n_jobs=2), 0.05)
    guarded(res, "social", "kmeans k=2", check_kmeans_social, session, ws["social"])
    guarded(res, "ratings", "fp_growth", check_fp_growth, session, ws["ratings"])
    guarded(res, "ratings", "als", check_als, session, ws["ratings"])


def check_kmeans_social(res, session, ds):
    # photo and video posts only; clustering on the nine counts
    keep = np.isin(ds.y, ["photo", "video"])
    sub = Dataset("social", ds.X[keep], ds.y[keep], "text", feature_names=ds.features,
                  label_cast=str)
    sub.ids = ds.ids[keep]
    sub.is_test = ds.is_test[keep]
    sub.train = ~sub.is_test
    where = "status_type IN ('photo', 'video')"
    init = sub.Xtr()[:2]
    if np.array_equal(init[0], init[1]):
        raise Failure("the first two training rows are equal; pick other initial centres")
    create_model(session, "km_social", "kmeans",
                 {"k": 2, "initial_centers": init.ravel(), "max_iter": 100, "tol": 0.0},
                 "SELECT %s FROM %s.social WHERE is_test = false AND %s ALLOW FILTERING"
                 % (sub.cols, KS, where))
    got = predictions_by_id(predict(
        session, "km_social", "SELECT id, %s FROM %s.social WHERE %s ALLOW FILTERING"
        % (sub.cols, KS, where)))
    if len(got) != len(sub.ids):
        raise Failure("PREDICT returned %d rows for %d photo/video rows" % (len(got), len(sub.ids)))
    pred = np.array([got[int(i)][0] for i in sub.ids])
    sk = KMeans(n_clusters=2, init=init, n_init=1, algorithm="lloyd", max_iter=100,
                tol=0.0).fit(sub.Xtr())
    sk_pred = sk.predict(sub.X)
    bad = int((pred != sk_pred).sum())
    res.add("social", "kmeans k=2", "differing clusters /%d" % len(pred), None, None, bad,
            "0 rows", bad == 0)


def frequent_itemsets(transactions, min_support):
    """Every itemset in at least ceil(min_support * n) transactions (Spark's
    count), by depth-first intersection of per-item transaction bitsets."""
    n = len(transactions)
    min_count = int(math.ceil(min_support * n))
    bits = collections.defaultdict(int)
    for t, items in enumerate(transactions):
        for item in items:
            bits[item] |= 1 << t
    frequent = sorted((item, b) for item, b in bits.items() if bin(b).count("1") >= min_count)
    out = {}

    def grow(prefix, prefix_bits, candidates):
        for i, (item, b) in enumerate(candidates):
            joined = b if prefix_bits is None else prefix_bits & b
            count = bin(joined).count("1")
            if count < min_count:
                continue
            itemset = prefix + (item,)
            out[frozenset(itemset)] = count
            grow(itemset, joined, candidates[i + 1:])

    grow((), None, frequent)
    return out


def check_fp_growth(res, session, r):
    create_model(session, "fp_ratings", "fp_growth",
                 {"min_support": 0.1, "min_confidence": 0.2, "items_col": "items"},
                 "SELECT userid, collect_set(movieid) AS items FROM %s.ratings WHERE rating > 3 "
                 "GROUP BY userid ALLOW FILTERING" % KS)
    rows = artifact(session, "fp_ratings", "freq_itemsets")
    got = {}
    for row in rows:
        got[frozenset(row.items)] = row.freq
    per_user = collections.defaultdict(set)
    for u, m, v in zip(r["users"], r["items"], r["ratings"]):
        if v > 3:
            per_user[int(u)].add(int(m))
    expected = frequent_itemsets(list(per_user.values()), 0.1)
    missing = [s for s in expected if s not in got]
    extra = [s for s in got if s not in expected]
    wrong = [s for s in expected if s in got and got[s] != expected[s]]
    bad = len(missing) + len(extra) + len(wrong)
    note = ""
    if bad:
        note = "missing %d (e.g. %s), extra %d (e.g. %s), wrong count %d (e.g. %s)" % (
            len(missing), sorted(missing[0]) if missing else "-", len(extra),
            sorted(extra[0]) if extra else "-", len(wrong),
            "%s: %s vs %s" % (sorted(wrong[0]), got[wrong[0]], expected[wrong[0]])
            if wrong else "-")
    res.add("ratings", "fp_growth", "itemsets (%d) differing" % len(expected), len(got),
            len(expected), bad, "0 sets", bad == 0, note)
    compare_rules(res, artifact(session, "fp_ratings", "association_rules"), expected,
                  len(per_user), 0.2)


def association_rules(itemsets, n, min_confidence):
    """{(antecedent, consequent): (confidence, lift, support)} as MLlib
    defines them: single-item consequents of every frequent itemset."""
    out = {}
    for itemset, count in itemsets.items():
        if len(itemset) < 2:
            continue
        for c in itemset:
            antecedent = itemset - {c}
            confidence = count / float(itemsets[antecedent])
            if confidence >= min_confidence:
                lift = confidence / (itemsets[frozenset([c])] / float(n))
                out[(antecedent, c)] = (confidence, lift, count / float(n))
    return out


def compare_rules(res, rows, itemsets, n, min_confidence):
    expected = association_rules(itemsets, n, min_confidence)
    got = {}
    for row in rows:
        consequent = list(row.consequent)
        if len(consequent) != 1:
            raise Failure("rule with consequent %r (one item expected)" % (consequent,))
        got[(frozenset(row.antecedent), consequent[0])] = (row.confidence, row.lift, row.support)
    missing = [k for k in expected if k not in got]
    extra = [k for k in got if k not in expected]
    worst = 0.0
    for k in expected:
        if k in got:
            worst = max([worst] + [abs(a - b) / abs(b) for a, b in zip(got[k], expected[k])])
    bad = len(missing) + len(extra)
    note = "missing %d (e.g. %s), extra %d (e.g. %s)" % (
        len(missing), missing[:1], len(extra), extra[:1]) if bad else ""
    res.add("ratings", "fp_growth", "rules (%d) differing" % len(expected), len(got),
            len(expected), bad, "0 rules", bad == 0, note)
    res.add("ratings", "fp_growth", "rule conf/lift/support (max rel)", None, None, worst,
            "1e-12", worst <= 1e-12)


def numpy_als(users, items, ratings, rank, reg, iters, seed=0):
    """Explicit ALS-WR as Spark defines it: (YtY + reg * n_u * I) x_u = Yt r_u,
    items solved first, then users, each iteration."""
    rng = np.random.RandomState(seed)
    uid, u_idx = np.unique(users, return_inverse=True)
    iid, i_idx = np.unique(items, return_inverse=True)
    U = rng.normal(size=(len(uid), rank))
    U /= np.linalg.norm(U, axis=1, keepdims=True)
    V = rng.normal(size=(len(iid), rank))
    V /= np.linalg.norm(V, axis=1, keepdims=True)

    def solve(fixed, rows_idx, cols_idx, n_rows):
        # sum_j F_j F_j^T and sum_j r_j F_j per row, as sparse products
        F = fixed[cols_idx]
        m = len(rows_idx)
        member = sparse.csr_matrix((np.ones(m), (rows_idx, np.arange(m))), shape=(n_rows, m))
        A = (member @ (F[:, :, None] * F[:, None, :]).reshape(m, rank * rank))
        A = A.reshape(n_rows, rank, rank)
        b = member @ (F * ratings[:, None])
        counts = np.bincount(rows_idx, minlength=n_rows)
        A += (reg * counts)[:, None, None] * np.eye(rank)[None]
        return np.linalg.solve(A, b[:, :, None])[:, :, 0]

    for _ in range(iters):
        V = solve(U, i_idx, u_idx, len(iid))
        U = solve(V, u_idx, i_idx, len(uid))
    return dict(zip(uid.tolist(), range(len(uid)))), U, dict(zip(iid.tolist(), range(len(iid)))), V


def check_als(res, session, r):
    options = {"user_col": "userid", "item_col": "movieid", "label": "rating", "rank": 10,
               "max_iter": 10, "reg_param": 0.1, "seed": 1}
    create_model(session, "als_ratings", "als", options,
                 "SELECT userid, movieid, rating FROM %s.ratings WHERE is_test = false "
                 "ALLOW FILTERING" % KS)
    ev = metric_map(evaluate(session, "als_ratings",
                             "SELECT userid, movieid, rating FROM %s.ratings WHERE is_test = true "
                             "ALLOW FILTERING" % KS))
    tr = ~r["is_test"]
    umap, U, imap, V = numpy_als(r["users"][tr], r["items"][tr], r["ratings"][tr], 10, 0.1, 10)
    te = r["is_test"]
    known = [(umap[u], imap[m], v) for u, m, v in zip(r["users"][te], r["items"][te],
                                                       r["ratings"][te])
             if u in umap and m in imap]
    ui = np.array([k[0] for k in known])
    ii = np.array([k[1] for k in known])
    truth = np.array([k[2] for k in known])
    rmse_ref = float(np.sqrt(np.mean(((U[ui] * V[ii]).sum(axis=1) - truth) ** 2)))
    rows_h = ev.get(("rows", None, None))
    res.add("ratings", "als rank=10", "rows scored (known ids)", rows_h, len(known),
            None if rows_h is None else rows_h - len(known), "0", rows_h == len(known))
    rmse_h = ev.get(("rmse", None, None), float("nan"))
    res.add("ratings", "als rank=10", "test rmse vs numpy ALS", rmse_h, rmse_ref,
            rmse_h - rmse_ref, "0.05", abs(rmse_h - rmse_ref) <= 0.05)
    guarded(res, "ratings", "als RECOMMEND", check_als_recommend, session, r)


def factor_table(rows):
    """{id: vector} of a user_factors / item_factors artifact."""
    out = {}
    for row in rows:
        key = row[0]
        values = numeric_matrix([row], skip=(row._fields[0],))[0]
        out[key] = values
    return out


def check_als_recommend(res, session, r):
    users = factor_table(artifact(session, "als_ratings", "user_factors"))
    items = factor_table(artifact(session, "als_ratings", "item_factors"))
    # PREDICT on the test rows is the dot product of the artifacts' factors
    rows = predict(session, "als_ratings", "SELECT userid, movieid FROM %s.ratings WHERE "
                   "is_test = true ALLOW FILTERING" % KS)
    worst, scored, wrong_nan = 0.0, 0, 0
    for row in rows:
        known = row.userid in users and row.movieid in items
        if row.prediction is None or math.isnan(row.prediction):
            wrong_nan += known
            continue
        want = float(users[row.userid] @ items[row.movieid])
        worst = max(worst, abs(row.prediction - want) / max(abs(want), 1e-12))
        scored += 1
    res.add("ratings", "als PREDICT", "= factor dot products (max rel)", None, None, worst,
            "1e-9", worst <= 1e-9 and wrong_nan == 0 and scored > 0,
            "%d of %d rows scored, %d known (user, item) pairs predicted NaN"
            % (scored, len(rows), wrong_nan))
    recs = run(session, "RECOMMEND %s.als_ratings FOR USERS LIMIT 5" % KS)
    bad, first = compare_recommendations(users, items, recs, 5)
    res.add("ratings", "als RECOMMEND", "users differing /%d" % len(users), None, None, bad,
            "0 users", bad == 0 and len(users) > 0, first)


def compare_recommendations(users, items, recs, n):
    """Users whose RECOMMEND rows (user, item, rating) are not the n best
    items by the dot product of the factors; and the first such user."""
    item_ids = list(items)
    V = np.array([items[i] for i in item_ids])
    by_user = collections.defaultdict(list)
    for row in recs:
        by_user[row[0]].append((row[1], row[2]))
    bad = 0
    first = ""
    for u, vec in users.items():
        scores = V @ vec
        top = np.argsort(-scores, kind="stable")[:n]
        want = [(item_ids[j], scores[j]) for j in top]
        have = by_user.get(u, [])
        same = len(have) == len(want) and all(
            close(hs, ws, 1e-6, 1e-9) for (_, hs), (_, ws) in zip(sorted(have, key=lambda x: -x[1]),
                                                                  want))
        same = same and set(h[0] for h in have) == set(w[0] for w in want)
        if not same:
            bad += 1
            if not first:
                first = "user %r: RECOMMEND %r, from factors %r" % (u, have, want)
    return bad, first


# ------------------------------------------------------------------- main --
def guarded(res, dataset, algorithm, fn, *args, **kwargs):
    """Runs one check; an exception is one FAIL row, never the end of the run."""
    started = time.monotonic()
    try:
        fn(res, *args, **kwargs)
    except Failure as e:
        res.fail(dataset, algorithm, "check", str(e))
    except Exception as e:  # a server error or a bug in the check
        detail = "%s: %s" % (type(e).__name__, e)
        if not hasattr(e, "summary") and type(e).__module__.split(".")[0] != "cassandra":
            detail += "\n" + traceback.format_exc(limit=3)
        res.fail(dataset, algorithm, "check", detail)
    elapsed = time.monotonic() - started
    if elapsed > 5:
        print("    (%s %s took %.1f s)" % (dataset, algorithm, elapsed), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    harness.add_server_args(parser)
    parser.add_argument("--only", help="run only the check groups whose name contains this")
    args = parser.parse_args()
    started = time.monotonic()

    data = sklearn_datasets()
    directory = harness.dataset_dir("workshop")
    workshop = workshop_datasets(directory) if os.path.isdir(directory) else None

    harness.exit_on_timeout_or_term(SCRIPT_TIMEOUT_S)
    res = Results()
    server = harness.server_from_args(args)
    cluster = None
    try:
        cluster = Cluster(["127.0.0.1"], port=server.port if server else args.port,
                          protocol_version=4)
        session = cluster.connect()
        session.default_timeout = TIMEOUT_S
        session.execute("DROP KEYSPACE IF EXISTS %s" % KS)
        session.execute("CREATE KEYSPACE %s WITH replication = "
                        "{'class': 'SimpleStrategy', 'replication_factor': 1}" % KS)
        for ds in data.values():
            load_dataset(session, ds)
        if workshop:
            load_dataset(session, workshop["wines"])
            social = workshop["social"]
            session.execute("CREATE TABLE %s.social (id int PRIMARY KEY, status_type text, %s, "
                            "is_test boolean)" % (KS, ", ".join("%s int" % c
                                                                  for c in SOCIAL_COUNTS)))
            insert_batched(session, "social", ["id", "status_type"] + SOCIAL_COUNTS + ["is_test"],
                           [[int(i), str(t)] + [int(v) for v in x] + [bool(s)]
                            for i, t, x, s in zip(social.ids, social.y, social.X,
                                                  social.is_test)])
            load_ratings(session, workshop["ratings"])
        print("loaded the datasets in %.1f s\n" % (time.monotonic() - started))
        print(format_row(HEADER))
        print(format_row(tuple("-" * w for w in WIDTHS)))

        groups = [
            ("naive_bayes", lambda: checks_naive_bayes(res, session, data)),
            ("kmeans", lambda: guarded(res, "iris", "kmeans k=3", check_kmeans_iris, session,
                                       data["iris"])),
            ("logistic", lambda: checks_logistic(res, session, data)),
            ("trees", lambda: checks_trees(res, session, data)),
            ("linear_regression", lambda: guarded(res, "diabetes", "linear_regression",
                                                  check_linear_regression, session,
                                                  data["diabetes"])),
            ("evaluate", lambda: [
                guarded(res, "bc", "EVALUATE binary", check_evaluate_classification, session,
                        data["bc"], "lr_bc"),
                guarded(res, "wine", "EVALUATE multiclass", check_evaluate_classification,
                        session, data["wine"], "lr_wine"),
                guarded(res, "iris", "EVALUATE clustering", check_evaluate_clustering, session,
                        data["iris"], "km_iris")]),
            ("pca", lambda: guarded(res, "iris", "pca", check_pca, session, data["iris"])),
            ("errors", lambda: guarded(res, "iris", "errors", check_errors, session, data)),
            ("workshop", lambda: checks_workshop(res, session, workshop) if workshop else
             res.skip("workshop", "all", "datasets not found under %s" % directory)),
        ]
        for name, fn in groups:
            if args.only and args.only not in name:
                continue
            fn()
            if server and not server.alive():
                res.fail("server", name, "server exited", "helenus serve exited with code %s "
                         "during the %s checks\n%s" % (server.proc.returncode, name,
                                                         server.stderr_tail()))
                break
    except (Exception, SystemExit) as e:
        print("FAIL: %s: %s" % (type(e).__name__, e))
        traceback.print_exc()
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
    failed = res.failed()
    for line in res.details:
        print("\nFAIL " + line.replace("\n", "\n    "))
    print("\n%d checks, %d failed, %.1f s" % (len(res.rows), len(failed),
                                             time.monotonic() - started))
    print("PASS ml_sklearn" if not failed else "FAIL ml_sklearn")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
