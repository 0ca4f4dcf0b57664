#!/usr/bin/python3
"""The six workshop exercises in order, with the Python driver, then one
summary table (exercise, rows, training seconds, metric, value).

    /usr/bin/python3 run_all.py --host 127.0.0.1 --port 9042 --data-dir OUT/data

The data files come from `helenus workshop prepare --out OUT`; the server
from `helenus serve --data DIR`. Each exercise also runs on its own
(kmeans_social.py, naive_bayes_wine.py, ...). Tables shared by two exercises
(wines, movies, movieratings) are loaded once.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402
import als_movies  # noqa: E402
import fp_growth_movies  # noqa: E402
import kmeans_social  # noqa: E402
import logistic_tumours  # noqa: E402
import naive_bayes_wine  # noqa: E402
import random_forest_wine  # noqa: E402

EXERCISES = [kmeans_social, naive_bayes_wine, random_forest_wine, fp_growth_movies,
             als_movies, logistic_tumours]


def run(session, args):
    start = time.perf_counter()
    for name in w.TABLES:  # fail early, before any work, when a file is missing
        w.data_file(args, name + ".csv")
    results = [exercise.run(session, args) for exercise in EXERCISES]
    w.print_summary(results, "summary", start)


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
