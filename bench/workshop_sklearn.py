#!/usr/bin/python3
"""The six workshop exercises done the classic way: the Python driver + pandas
+ scikit-learn (and numpy where scikit-learn has no estimator).

The peer of `helenus workshop run` in bench/workshop_vs_python.sh. Like the
workshop did with Cassandra, it loads the prepared CSVs into the server with
the DataStax Python driver, reads the tables back into pandas through the
driver, trains and evaluates on the client, and writes predictions and
recommendations back through the driver:

  1. k-means       KMeans(n_clusters=2, random_state=1, n_init=10) on
                   (num_likes, num_comments) of the photo and video posts
  2. naive Bayes   MultinomialNB(alpha=1.0), wines with quality > 5,
                   train_test_split(test_size=0.2, random_state=1234)
  3. forest        RandomForestClassifier(n_estimators=10, random_state=1234), same split
  4. FP-Growth     min_support 0.1, min_confidence 0.2 over the titles of the movies
                   each user rated > 3 (no mlxtend here: Apriori over bitsets, below)
  5. ALS           numpy ALS-WR as Spark (rank 10, 5 iterations, reg 0.01 scaled by
                   each entity's rating count), random 80/20 split (seed 1234), cold
                   start rows dropped from the test RMSE, top 10 movies per user
  6. logistic      LogisticRegression on the tumours (standardized features, as
                   Spark's standardization=true; L2 as reg_param 0.01), positive class
                   malignant

    /usr/bin/python3 bench/workshop_sklearn.py --host 127.0.0.1 --port 9042 --data-dir OUT/data

Ends with the summary table (exercise, rows, training seconds, metric, value),
the shape of the Helenus main job's summary. Progress: one line per step.
"""
import math
import os
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples", "workshop", "python"))
sys.path.insert(0, HERE)
import workshop as w  # noqa: E402  (driver helpers shared with the Python examples)

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from cassandra.concurrent import execute_concurrent_with_args  # noqa: E402
from cassandra.query import SimpleStatement  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import (accuracy_score, confusion_matrix,  # noqa: E402
                             precision_recall_fscore_support)
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from ml_sklearn import NumpyAls  # noqa: E402  (the numpy ALS of bench/ml_vs_sklearn.sh)

PAGE = 5000  # rows per page when reading a table back


# --------------------------------------------------------------- driver I/O --
def read_table(session, query):
    """The rows of a query as a DataFrame, paged through the driver."""
    with w.step(f"reading {query.split(' FROM ')[1].split()[0]} into pandas") as s:
        result = session.execute(SimpleStatement(query, fetch_size=PAGE))
        df = pd.DataFrame(list(result), columns=result.column_names)
        s["rows"] = len(df)
    return df


def write_rows(session, table, columns, rows, ddl):
    """Recreates <table> and writes rows with a prepared INSERT, concurrently."""
    w.recreate_table(session, ddl)
    with w.step(f"writing {table}") as s:
        insert = session.prepare(f"INSERT INTO {table} ({', '.join(columns)}) "
                                 f"VALUES ({', '.join('?' * len(columns))})")
        execute_concurrent_with_args(session, insert, rows, concurrency=w.LOAD_CONCURRENCY,
                                     raise_on_first_error=True)
        s["rows"] = len(rows)


def py(values):
    """numpy scalars -> Python values the driver serializes."""
    return [v.item() if isinstance(v, np.generic) else v for v in values]


def timed(what, fit):
    """Runs fit() with a progress line; returns (its result, seconds)."""
    with w.step(what):
        start = time.perf_counter()
        result = fit()
        seconds = time.perf_counter() - start
    return result, seconds


def result(exercise, rows, seconds, metric, value):
    return {"exercise": exercise, "rows": rows, "training_s": seconds, "metric": metric,
            "value": value}


# -------------------------------------------------------------- 1. k-means --
def squared_euclidean_silhouette(x, labels):
    """The mean silhouette with squared euclidean distances, as Spark's
    ClusteringEvaluator (and Helenus) compute it: in closed form from each
    cluster's size, sum and sum of squared norms, O(n k d). Equal to
    sklearn.metrics.silhouette_score(x, labels, metric="sqeuclidean"), which
    builds the n x n distance matrix (6,622 posts: +500 MB, 1.4 s)."""
    clusters = np.unique(labels)
    own = np.searchsorted(clusters, labels)
    norms = (x * x).sum(axis=1)
    size = np.bincount(own, minlength=len(clusters)).astype(float)
    sums = np.stack([x[own == c].sum(axis=0) for c in range(len(clusters))])
    sq_sums = np.bincount(own, weights=norms, minlength=len(clusters))
    # Sum of squared distances from every point to every cluster's points.
    total = size[None, :] * norms[:, None] - 2 * x @ sums.T + sq_sums[None, :]
    rows = np.arange(len(x))
    a = total[rows, own] / np.maximum(size[own] - 1, 1)  # the point itself adds 0
    mean_other = total / size[None, :]
    mean_other[rows, own] = np.inf
    b = mean_other.min(axis=1)
    return float(np.where(size[own] > 1, (b - a) / np.maximum(a, b), 0.0).mean())



def kmeans_social(session, args):
    w.heading("1. k-means: social media (scikit-learn KMeans)")
    w.load_table(session, args, "socialmedia")
    df = read_table(session, "SELECT status_id, status_type, num_likes, num_comments "
                             "FROM workshop.socialmedia")
    df = df[df.status_type.isin(["photo", "video"])].sort_values("status_id")
    x = df[["num_likes", "num_comments"]].to_numpy(dtype=float)
    model, seconds = timed("training KMeans(k=2)",
                           lambda: KMeans(n_clusters=2, random_state=1, n_init=10).fit(x))
    silhouette = squared_euclidean_silhouette(x, model.labels_)
    df = df.assign(prediction=model.labels_.astype(int))
    write_rows(session, "workshop.social_clusters",
               ["status_id", "status_type", "num_likes", "num_comments", "prediction"],
               [py(r) for r in df[["status_id", "status_type", "num_likes", "num_comments",
                                   "prediction"]].itertuples(index=False)],
               "CREATE TABLE workshop.social_clusters (status_id int PRIMARY KEY, "
               "status_type text, num_likes int, num_comments int, prediction int)")
    crosstab = pd.crosstab(df.status_type, df.prediction)
    w.print_rows(crosstab.reset_index().values.tolist(),
                 columns=["status_type"] + [f"cluster {c}" for c in crosstab.columns],
                 title="cluster vs true type")
    # Share of posts whose cluster matches their type (the better of the two mappings).
    diagonal = max(np.trace(crosstab.to_numpy()), np.trace(crosstab.to_numpy()[:, ::-1]))
    w.print_rows([["silhouette", silhouette], ["clusters match photo/video",
                                               diagonal / len(df)]],
                 columns=["metric", "value"], title="k-means metrics")
    return result("k-means social media", len(x), seconds, "silhouette", silhouette)


# ------------------------------------------------------- 2-3. wine classifiers --
def wine_split(session, args):
    w.load_table(session, args, "wines")
    df = read_table(session, "SELECT * FROM workshop.wines").sort_values("wineid")
    df = df[df.quality > 5]
    x, y = df[w.WINE_FEATURES].to_numpy(dtype=float), df.quality.to_numpy()
    return train_test_split(x, y, df.wineid.to_numpy(), test_size=0.2, random_state=1234)


def wine_classifier(session, exercise, name, make, x_train, x_test, y_train, y_test, _id_train,
                    id_test):
    model, seconds = timed(f"training {name}", lambda: make().fit(x_train, y_train))
    predicted = model.predict(x_test)
    probability = model.predict_proba(x_test).max(axis=1)
    accuracy = accuracy_score(y_test, predicted)
    table = f"workshop.{exercise}_predictions"
    write_rows(session, table, ["wineid", "quality", "prediction", "probability"],
               [py(r) for r in zip(id_test, y_test, predicted, probability)],
               f"CREATE TABLE {table} (wineid int PRIMARY KEY, quality int, prediction int, "
               "probability double)")
    labels = np.unique(np.concatenate([y_test, predicted]))
    p, r, f, support = precision_recall_fscore_support(y_test, predicted, labels=labels,
                                                       zero_division=0)
    w.print_rows([py(row) for row in zip(labels, p, r, f, support)],
                 columns=["class", "precision", "recall", "f1", "support"],
                 title=f"{name}: accuracy {accuracy:.4f} on {len(y_test)} held-out rows")
    return model, result(f"{name} wine", len(y_train), seconds, "accuracy", accuracy)


def naive_bayes_wine(session, args, split):
    w.heading("2. naive Bayes: wine quality (scikit-learn MultinomialNB)")
    _, summary = wine_classifier(session, "wine_nb", "naive Bayes",
                                 lambda: MultinomialNB(alpha=1.0), *split)
    return summary


def random_forest_wine(session, args, split):
    w.heading("3. random forest: wine quality (scikit-learn RandomForestClassifier)")
    model, summary = wine_classifier(
        session, "wine_rf", "random forest",
        lambda: RandomForestClassifier(n_estimators=10, random_state=1234), *split)
    order = np.argsort(-model.feature_importances_)
    w.print_rows([[w.WINE_FEATURES[i], float(model.feature_importances_[i])] for i in order],
                 columns=["feature", "importance"], title="feature importances")
    return summary


# ------------------------------------------------------------ 4. FP-Growth --
def frequent_itemsets(baskets, min_support):
    """Apriori over bitsets: {frozenset(items): count} of the itemsets in at
    least ceil(min_support * len(baskets)) baskets (Spark's minCount).

    Each item's baskets are one Python int used as a bitset, so the support
    of a candidate is the popcount of an AND. Level k+1 candidates join two
    frequent k-itemsets sharing their first k-1 items (sorted), and are kept
    only when all their k-subsets are frequent (the Apriori property)."""
    min_count = math.ceil(min_support * len(baskets))
    bits = {}
    for b, items in enumerate(baskets):
        for item in items:
            bits[item] = bits.get(item, 0) | (1 << b)
    level = {(item,): mask for item, mask in sorted(bits.items())
             if mask.bit_count() >= min_count}
    found = {}
    while level:
        found.update({frozenset(k): m.bit_count() for k, m in level.items()})
        keys = sorted(level)
        following = {}
        for i, a in enumerate(keys):
            for b in keys[i + 1:]:
                if a[:-1] != b[:-1]:
                    break  # sorted: no later key shares a's prefix
                candidate = a + b[-1:]
                if all(candidate[:j] + candidate[j + 1:] in level
                       for j in range(len(candidate) - 2)):
                    mask = level[a] & level[b]
                    if mask.bit_count() >= min_count:
                        following[candidate] = mask
        level = following
    return found


def association_rules(itemsets, n_baskets, min_confidence):
    """Spark's rules: one item as consequent, confidence = count(X u {y}) / count(X),
    lift = confidence / support({y}), support = count(X u {y}) / n."""
    rules = []
    for itemset, count in itemsets.items():
        if len(itemset) < 2:
            continue
        for y in itemset:
            antecedent = itemset - {y}
            confidence = count / itemsets[antecedent]
            if confidence >= min_confidence:
                lift = confidence / (itemsets[frozenset([y])] / n_baskets)
                rules.append((sorted(antecedent), [y], confidence, lift, count / n_baskets))
    rules.sort(key=lambda r: (-r[2], -r[3], r[0], r[1]))
    return rules


def fp_growth_movies(session, args):
    w.heading("4. FP-Growth: movies liked together (Apriori over bitsets)")
    w.load_table(session, args, "movies")
    w.load_table(session, args, "movieratings")
    ratings = read_table(session, "SELECT userid, movieid, rating FROM workshop.movieratings")
    movies = read_table(session, "SELECT movieid, title FROM workshop.movies")
    # One basket per user: the titles of the movies rated above 3 (as the
    # Helenus training query, which joins the titles in).
    liked = ratings[ratings.rating > 3].merge(movies, on="movieid")
    baskets = [sorted(set(group)) for _, group in liked.groupby("userid").title]

    def mine():
        itemsets = frequent_itemsets(baskets, 0.1)
        return itemsets, association_rules(itemsets, len(baskets), 0.2)

    (itemsets, rules), seconds = timed("mining itemsets and rules", mine)
    rows = [[rank, a, c, conf, lift, sup]
            for rank, (a, c, conf, lift, sup) in enumerate(rules, start=1)]
    write_rows(session, "workshop.movie_rules",
               ["rule", "antecedent", "consequent", "confidence", "lift", "support"], rows,
               "CREATE TABLE workshop.movie_rules (rule int PRIMARY KEY, antecedent list<text>, "
               "consequent list<text>, confidence double, lift double, support double)")
    w.print_rows([[r[0], " + ".join(r[1]), " + ".join(r[2])] + r[3:] for r in rows[:5]],
                 columns=["rule", "if a user liked", "they also liked", "confidence", "lift",
                          "support"],
                 title=f"{len(itemsets)} frequent itemsets, {len(rules)} rules; the strongest")
    return result("FP-Growth movies", len(baskets), seconds, "rules", len(rules))


# ------------------------------------------------------------------ 5. ALS --
def als_movies(session, args):
    w.heading("5. ALS: movie recommendations (numpy ALS-WR)")
    w.load_table(session, args, "movieratings")
    df = read_table(session, "SELECT userid, movieid, rating FROM workshop.movieratings")
    df = df.sort_values(["userid", "movieid"])
    r = df.to_numpy(dtype=np.float64)
    perm = np.random.default_rng(1234).permutation(len(r))
    cut = len(r) - int(round(0.2 * len(r)))
    train, test = r[perm[:cut]], r[perm[cut:]]
    model, seconds = timed("training ALS (rank 10, 5 iterations)", lambda: NumpyAls(
        rank=10, max_iter=5, reg=0.01, seed=1234).fit(
            train[:, 0].astype(np.int64), train[:, 1].astype(np.int64), train[:, 2]))
    predicted = model.predict(test[:, 0].astype(np.int64), test[:, 1].astype(np.int64))
    known = np.isfinite(predicted)  # cold start 'drop': unseen users/movies left out
    rmse = float(np.sqrt(np.mean((predicted[known] - test[known, 2]) ** 2)))

    with w.step("top 10 movies per user") as s:
        scores = model.user_factors @ model.item_factors.T
        top = np.argpartition(-scores, 10, axis=1)[:, :10]
        rows = [[int(model.user_ids[u]), int(model.item_ids[i]), float(scores[u, i])]
                for u in range(len(top)) for i in top[u]]
        s["rows"] = len(rows)
    write_rows(session, "workshop.movie_recommendations", ["userid", "movieid", "rating"], rows,
               "CREATE TABLE workshop.movie_recommendations (userid int, movieid int, "
               "rating double, PRIMARY KEY (userid, movieid))")
    w.print_rows([["training rows", len(train)], ["test rows", len(test)],
                  ["scored (cold start dropped)", int(known.sum())], ["rmse", rmse]],
                 columns=["metric", "value"], title="ALS on the held-out ratings")
    return result("ALS movies", len(train), seconds, "rmse", rmse)


# ------------------------------------------------------------- 6. logistic --
def logistic_tumours(session, args):
    w.heading("6. logistic regression: tumours (scikit-learn LogisticRegression)")
    w.load_table(session, args, "tumours")
    df = read_table(session, "SELECT * FROM workshop.tumours").sort_values("tumourid")
    x, y = df[w.TUMOUR_FEATURES].to_numpy(dtype=float), df.diagnosis.to_numpy()
    x_train, x_test, y_train, y_test, _, id_test = train_test_split(
        x, y, df.tumourid.to_numpy(), test_size=0.2, random_state=1234)
    # Helenus (like Spark) minimizes mean log loss + reg_param / 2 * |w|^2 on
    # standardized features; scikit-learn's C * sum of log loss + 1/2 |w|^2 is
    # the same objective with C = 1 / (reg_param * n).
    c = 1.0 / (0.01 * len(y_train))
    model, seconds = timed("training LogisticRegression", lambda: make_pipeline(
        StandardScaler(), LogisticRegression(C=c, max_iter=1000)).fit(x_train, y_train))
    predicted = model.predict(x_test)
    probability = model.predict_proba(x_test).max(axis=1)
    write_rows(session, "workshop.tumour_predictions",
               ["tumourid", "diagnosis", "prediction", "probability"],
               [py(r) for r in zip(id_test, y_test, predicted, probability)],
               "CREATE TABLE workshop.tumour_predictions (tumourid int PRIMARY KEY, "
               "diagnosis text, prediction text, probability double)")
    accuracy = accuracy_score(y_test, predicted)
    p, r, f, _ = precision_recall_fscore_support(y_test, predicted, pos_label="malignant",
                                                 average="binary")
    w.print_rows([[accuracy, p, r, f]], columns=["accuracy", "precision", "recall", "f1"],
                 title="held-out metrics (positive class: malignant)")
    labels = ["benign", "malignant"]
    cm = confusion_matrix(y_test, predicted, labels=labels)
    w.print_rows([[f"actual {a}"] + py(cm[i]) for i, a in enumerate(labels)],
                 columns=[""] + labels, title="confusion matrix (rows: actual, columns: predicted)")
    return result("logistic regression tumours", len(y_train), seconds, "accuracy", accuracy)


# -------------------------------------------------------------------- main --
def run(session, args):
    start = time.perf_counter()
    for name in w.TABLES:  # fail before any work when a file is missing
        w.data_file(args, name + ".csv")
    results = [kmeans_social(session, args)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        w.heading("wines: the split shared by exercises 2 and 3")
        split = wine_split(session, args)
        results.append(naive_bayes_wine(session, args, split))
        results.append(random_forest_wine(session, args, split))
    results.append(fp_growth_movies(session, args))
    results.append(als_movies(session, args))
    results.append(logistic_tumours(session, args))
    w.print_summary(results, "summary (Python driver + scikit-learn)", start)


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
