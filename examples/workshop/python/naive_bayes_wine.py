#!/usr/bin/python3
"""Exercise 2: naive Bayes on wine quality.

Can the chemistry of a wine tell its quality? The workshop kept the wines
rated above 5, indexed the quality as the label, assembled the 11 chemical
measurements into a feature vector, split the rows 80/20 (seed 1234) and
trained Spark's multinomial NaiveBayes (smoothing 1.0). Here one CREATE MODEL
does the label indexing, feature assembly, split and training in Helenus;
its result already holds the accuracy on the held-out 20%.

    /usr/bin/python3 naive_bayes_wine.py --host 127.0.0.1 --port 9042 --data-dir OUT/data
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402

GOOD_WINES = "SELECT * FROM workshop.wines WHERE quality > 5"
FEATURES = ", ".join(w.WINE_FEATURES)
# Where the held-out predictions go: the key, the true label, the prediction.
PREDICTIONS_TABLE = ("CREATE TABLE IF NOT EXISTS workshop.{name} (wineid int PRIMARY KEY, "
                     "quality int, prediction int, probability double)")


def run(session, args):
    w.heading("2. naive Bayes: wine quality (quality > 5, 11 chemical features)")
    w.load_table(session, args, "wines")

    # The label is an integer; a classifier indexes its classes in ascending
    # order (6, 7, 8, 9) and predicts in the label's own type. The features
    # option leaves wineid out of the model.
    overall, per_class = w.create_model(session, "training multinomial naive Bayes", f"""
CREATE OR REPLACE MODEL workshop.wine_nb USING naive_bayes
WITH model_type = 'multinomial' AND smoothing = 1.0 AND label = 'quality'
 AND features = '{FEATURES}'
 AND test_fraction = 0.2 AND seed = 1234
AS {GOOD_WINES}""")

    # The held-out rows with their predictions, written back to a table.
    w.predict_held_out(session, "workshop.wine_nb", "workshop.wine_nb_predictions",
                       PREDICTIONS_TABLE.format(name="wine_nb_predictions"))

    w.print_metrics(overall, ["training_rows", "test_rows", "accuracy", "weightedPrecision",
                              "weightedRecall", "f1"],
                    title="naive Bayes on the held-out rows")
    w.print_confusion(per_class)
    return w.summary("naive Bayes wine", overall, "accuracy")


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
