#!/usr/bin/python3
"""The main job's pipeline on the workshop files, checked against scikit-learn.

    /usr/bin/python3 tests/workshop/main_job.py --helenus BIN [--workshop-data DIR|generated]

Starts a fresh server, runs `helenus workshop run` (the six CQL exercises of
examples/workshop/cql, exactly what scripts/workshop.sh runs) on the
workshop's CSV files in ../shared/datasets/workshop/, then recomputes every
figure of its summary (summary.json) with scikit-learn or a NumPy reference
on the same rows and the same split. The split is read back from the tables
the exercises leave behind (the held-out predictions), so both sides see
exactly the same training and test rows. With `--workshop-data generated`
the same checks run on the data Helenus generates when the workshop files
are absent. Exits 77 (skipped) when the workshop files or the Python
packages are absent.

Tolerances follow tests/ml/sklearn_agreement.py: naive Bayes identical
predictions; random forests within 0.05 accuracy; logistic regression within
0.03 accuracy; k-means: the same clusters as scikit-learn's KMeans from the
same starting centres, and the summary's silhouette equal to scikit-learn's
(squared euclidean, Spark's definition); FP-Growth itemsets and rules
identical to a reference miner; ALS test RMSE within 0.05 of a NumPy ALS-WR
on the same training rows.
"""

import argparse
import collections
import csv
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "ml"))
import harness  # noqa: E402

try:
    import numpy as np
    from sklearn import metrics as skm
    from sklearn.cluster import KMeans
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.preprocessing import StandardScaler
    from cassandra.cluster import Cluster
    import sklearn_agreement as ref
except ImportError as e:  # pragma: no cover - depends on the machine
    print("skipped: %s (install python3-sklearn python3-cassandra)" % e)
    sys.exit(77)

def read_prepared(out_dir, name):
    with open(os.path.join(out_dir, "data", name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def ids_of(session, table, key):
    return {getattr(r, key) for r in session.execute("SELECT %s FROM workshop.%s" % (key, table))}


def summary_figures(summary):
    return {e["model"].split(".", 1)[1]: e for e in summary["exercises"]}


def split_by_ids(rows, key, test_ids):
    train = [r for r in rows if int(r[key]) not in test_ids]
    test = [r for r in rows if int(r[key]) in test_ids]
    return train, test


def matrix(rows, columns):
    return np.array([[float(r[c]) for c in columns] for r in rows])


def check_wines(res, session, out_dir, figures):
    wines = [r for r in read_prepared(out_dir, "wines.csv") if int(r["quality"]) > 5]
    # The 11 measurements between the id and the quality, in file order.
    features = [c for c in wines[0] if c not in ("wineid", "quality")]
    for model, table in (("wine_nb", "wine_nb_predictions"), ("wine_rf", "wine_rf_predictions")):
        test_ids = ids_of(session, table, "wineid")
        train, test = split_by_ids(wines, "wineid", test_ids)
        Xtr, Xte = matrix(train, features), matrix(test, features)
        ytr = np.array([int(r["quality"]) for r in train])
        yte = np.array([int(r["quality"]) for r in test])
        got = figures[model]["metrics"]
        res.add("wines", model, "test rows", figures[model]["test_rows"], len(test),
                figures[model]["test_rows"] - len(test), "0",
                figures[model]["test_rows"] == len(test))
        if model == "wine_nb":
            sk = MultinomialNB(alpha=1.0).fit(Xtr, ytr)
            pred = sk.predict(Xte)
            ours = {r.wineid: r.prediction for r in
                    session.execute("SELECT wineid, prediction FROM workshop.%s" % table)}
            differ = sum(1 for r, p in zip(test, pred) if ours[int(r["wineid"])] != p)
            res.add("wines", model, "predictions differing", differ, 0, differ, "0", differ == 0)
            acc = skm.accuracy_score(yte, pred)
            res.add("wines", model, "accuracy", got["accuracy"], acc,
                    abs(got["accuracy"] - acc), "1e-12", abs(got["accuracy"] - acc) <= 1e-12)
        else:
            # MLlib's forest: sqrt(d) features per node, bootstrap, 32 bins.
            sk = RandomForestClassifier(n_estimators=10, max_features="sqrt", max_depth=5,
                                        random_state=1234).fit(Xtr, ytr)
            pred = sk.predict(Xte)
            acc = skm.accuracy_score(yte, pred)
            res.add("wines", model, "accuracy", got["accuracy"], acc,
                    abs(got["accuracy"] - acc), "0.05", abs(got["accuracy"] - acc) <= 0.05)
            prec = skm.precision_score(yte, pred, average="weighted", zero_division=0)
            rec = skm.recall_score(yte, pred, average="weighted", zero_division=0)
            for name, ours_v, theirs in (("weighted precision", got["weighted precision"], prec),
                                         ("weighted recall", got["weighted recall"], rec)):
                res.add("wines", model, name, ours_v, theirs, abs(ours_v - theirs), "0.1",
                        abs(ours_v - theirs) <= 0.1)


def check_social(res, session, out_dir, figures):
    rows = {r.status_id: r for r in session.execute(
        "SELECT status_id, status_type, num_likes, num_comments, prediction "
        "FROM workshop.social_clusters")}
    posts = [r for r in read_prepared(out_dir, "socialmedia.csv")
             if r["status_type"] in ("photo", "video")]
    res.add("social", "kmeans", "clustered posts", len(rows), len(posts), len(rows) - len(posts),
            "0", len(rows) == len(posts))
    ids = sorted(rows)
    X = np.array([[rows[i].num_likes, rows[i].num_comments] for i in ids], dtype=float)
    ours = np.array([rows[i].prediction for i in ids])
    centres = sorted(session.execute(
        "DESCRIBE MODEL workshop.social_kmeans ARTIFACT cluster_centers"), key=lambda r: r.cluster)
    init = np.array([[c.num_likes, c.num_comments] for c in centres], dtype=float)
    # From the centres Helenus converged to, Lloyd's algorithm must stay put.
    sk = KMeans(n_clusters=2, init=init, n_init=1, algorithm="lloyd").fit(X)
    differ = int(np.sum(sk.labels_ != ours))
    res.add("social", "kmeans", "assignments differing", differ, 0, differ, "0", differ == 0)
    # And scikit-learn's own k-means++ (10 starts) finds a solution as good.
    best = KMeans(n_clusters=2, n_init=10, random_state=1).fit(X)
    cost = float(np.sum((X - init[ours]) ** 2))
    res.add("social", "kmeans", "cost vs sklearn k-means++", cost, best.inertia_,
            cost / best.inertia_ - 1, "1e-3", cost <= best.inertia_ * 1.001)
    sil = skm.silhouette_score(X, ours, metric="sqeuclidean")
    got = figures["social_kmeans"]["metrics"]["silhouette"]
    res.add("social", "kmeans", "silhouette (sq. euclidean)", got, sil, abs(got - sil), "0.02",
            abs(got - sil) <= 0.02)
    truth = np.array([rows[i].status_type == "photo" for i in ids])
    agree = max(np.mean(truth == (ours == 0)), np.mean(truth == (ours == 1)))
    got = figures["social_kmeans"]["metrics"]["clusters match photo/video"]
    res.add("social", "kmeans", "clusters match photo/video", got, agree, abs(got - agree),
            "1e-12", abs(got - agree) <= 1e-12)


def check_movies(res, session, out_dir, figures):
    ratings = read_prepared(out_dir, "movieratings.csv")
    titles = {int(r["movieid"]): r["title"] for r in read_prepared(out_dir, "movies.csv")}
    per_user = collections.defaultdict(set)
    for r in ratings:
        if float(r["rating"]) > 3 and int(r["movieid"]) in titles:
            per_user[int(r["userid"])].add(titles[int(r["movieid"])])
    itemsets = ref.frequent_itemsets(list(per_user.values()), 0.1)
    rules = ref.association_rules(itemsets, len(per_user), 0.2)
    got = figures["movie_fpgrowth"]["metrics"]
    for name, expected in (("frequent itemsets", len(itemsets)),
                           ("association rules", len(rules))):
        res.add("ratings", "fp_growth", name, got[name], expected, got[name] - expected, "0",
                got[name] == expected)
    kept = {(frozenset(r.antecedent), next(iter(r.consequent))): r.confidence
            for r in session.execute(
                "SELECT antecedent, consequent, confidence FROM workshop.movie_rules")}
    differ = len(set(kept) ^ set(rules)) + sum(
        1 for k, v in kept.items() if k in rules and abs(v - rules[k][0]) > 1e-12)
    res.add("ratings", "fp_growth", "rules in movie_rules differing", differ, 0, differ, "0",
            differ == 0)

    # ALS: the held-out rows are those the exercise scored into movie_test_predictions
    # (cold-start rows dropped); everything else of movieratings trained the model.
    scored = {(r.userid, r.movieid): r.prediction for r in session.execute(
        "SELECT userid, movieid, prediction FROM workshop.movie_test_predictions")}
    test = [r for r in ratings if (int(r["userid"]), int(r["movieid"])) in scored]
    train = [r for r in ratings if (int(r["userid"]), int(r["movieid"])) not in scored]
    users = np.array([int(r["userid"]) for r in train])
    items = np.array([int(r["movieid"]) for r in train])
    values = np.array([float(r["rating"]) for r in train])
    u_index, U, i_index, V = ref.numpy_als(users, items, values, 10, 0.01, 5)
    errors = [float(r["rating"]) - U[u_index[int(r["userid"])]] @ V[i_index[int(r["movieid"])]]
              for r in test
              if int(r["userid"]) in u_index and int(r["movieid"]) in i_index]
    rmse = float(np.sqrt(np.mean(np.square(errors))))
    ours = figures["movie_als"]["metrics"]["test RMSE"]
    res.add("ratings", "als", "test RMSE", ours, rmse, abs(ours - rmse), "0.05",
            abs(ours - rmse) <= 0.05)
    recs = figures["movie_als"]["metrics"]["recommendations kept"]
    users_all = len({r["userid"] for r in train})
    res.add("ratings", "als", "recommendations kept", recs, 10 * users_all,
            recs - 10 * users_all, "0", recs == 10 * users_all)


def check_tumours(res, session, out_dir, figures):
    rows = read_prepared(out_dir, "tumours.csv")
    features = [c for c in rows[0] if c not in ("tumourid", "diagnosis")]
    test_ids = ids_of(session, "tumour_predictions", "tumourid")
    train, test = split_by_ids(rows, "tumourid", test_ids)
    scaler = StandardScaler().fit(matrix(train, features))
    Xtr, Xte = scaler.transform(matrix(train, features)), scaler.transform(matrix(test, features))
    ytr = np.array([r["diagnosis"] == "malignant" for r in train])
    yte = np.array([r["diagnosis"] == "malignant" for r in test])
    # The exercise's reg_param 0.01 on MLlib's standardized features is this C.
    sk = LogisticRegression(C=1.0 / (0.01 * len(train)), max_iter=10000).fit(Xtr, ytr)
    pred = sk.predict(Xte)
    got = figures["tumour_lr"]["metrics"]
    for name, theirs in (("accuracy", skm.accuracy_score(yte, pred)),
                         ("precision (malignant)", skm.precision_score(yte, pred)),
                         ("recall (malignant)", skm.recall_score(yte, pred)),
                         ("ROC AUC", skm.roc_auc_score(yte, sk.decision_function(Xte)))):
        res.add("tumours", "logistic", name, got[name], theirs, abs(got[name] - theirs), "0.03",
                abs(got[name] - theirs) <= 0.03)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--helenus", help="helenus binary (default: a build/*/helenus)")
    parser.add_argument("--workshop-data", default=harness.dataset_dir(),
                        help="the workshop's CSV files; 'generated' for Helenus's own data")
    args = parser.parse_args()
    harness.exit_on_timeout_or_term(900)
    generated = args.workshop_data == "generated"
    if not generated and not os.path.isfile(
            os.path.join(args.workshop_data, "winequality-red.csv")):
        print("skipped: no workshop data in %s" % args.workshop_data)
        return 77
    binary = args.helenus or harness.find_helenus()
    out_dir = tempfile.mkdtemp(prefix="helenus-workshop-")
    res = ref.Results()
    with harness.Server(binary) as server:
        command = [binary, "workshop", "run", "--out", out_dir,
                   "--host", "127.0.0.1:%d" % server.port]
        if not generated:
            command += ["--workshop-data", args.workshop_data]
        print("$ " + " ".join(command), flush=True)
        rc = subprocess.run(command, timeout=800).returncode
        with open(os.path.join(out_dir, "summary.json")) as f:
            summary = json.load(f)
        if rc != 0:
            print("workshop run failed (exit %d); logs in %s/logs" % (rc, out_dir))
            return 1
        figures = summary_figures(summary)
        session = Cluster(["127.0.0.1"], port=server.port).connect()
        print("\n" + ref.format_row(ref.HEADER), flush=True)
        for check in (check_social, check_wines, check_movies, check_tumours):
            try:
                check(res, session, out_dir, figures)
            except Exception as e:  # a broken check is a failure, not a crash
                res.fail("workshop", check.__name__, "check raised", repr(e))
    failed = res.failed()
    print("\n%d checks, %d failed" % (len(res.rows), len(failed)))
    for d in res.details:
        print("  " + d)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
