#!/usr/bin/python3
"""Exercise 3: random forest on wine quality.

The same wines, label, features and 80/20 split (seed 1234) as the naive
Bayes exercise, now with Spark's RandomForestClassifier (10 trees): accuracy,
precision and recall per class, and which measurements the forest relies on
(the feature_importances artifact of the model).

    /usr/bin/python3 random_forest_wine.py --host 127.0.0.1 --port 9042 --data-dir OUT/data
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402
from naive_bayes_wine import FEATURES, GOOD_WINES, PREDICTIONS_TABLE  # noqa: E402


def run(session, args):
    w.heading("3. random forest: wine quality (same rows and split)")
    w.load_table(session, args, "wines")

    # Same split as naive Bayes: same query, test_fraction and seed.
    overall, per_class = w.create_model(session, "training a random forest (10 trees)", f"""
CREATE OR REPLACE MODEL workshop.wine_rf USING random_forest_classifier
WITH num_trees = 10 AND label = 'quality'
 AND features = '{FEATURES}'
 AND test_fraction = 0.2 AND seed = 1234
AS {GOOD_WINES}""")

    w.predict_held_out(session, "workshop.wine_rf", "workshop.wine_rf_predictions",
                       PREDICTIONS_TABLE.format(name="wine_rf_predictions"))

    w.print_metrics(overall, ["training_rows", "test_rows", "accuracy", "weightedPrecision",
                              "weightedRecall", "f1"],
                    title="random forest on the held-out rows")
    # Rare qualities (8, 9) are mostly predicted as 6 or 7: per-class recall shows it.
    w.print_per_class(per_class)
    w.print_confusion(per_class)
    # Importance of each feature, summed over the trees' splits (normalized to 1).
    w.print_rows(session.execute("DESCRIBE MODEL workshop.wine_rf ARTIFACT feature_importances"),
                 title="feature importances")
    return w.summary("random forest wine", overall, "accuracy")


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
