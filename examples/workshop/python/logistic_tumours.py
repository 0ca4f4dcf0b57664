#!/usr/bin/python3
"""Exercise 6: logistic regression on breast tumours.

Is a tumour malignant? The lesson trained a logistic regression on the
Wisconsin breast cancer data (569 tumours, 30 measurements; Debian's
python3-sklearn ships it) with an 80/20 split, and read accuracy, precision
and recall side by side with the confusion matrix. The positive class is
'malignant': its recall is the share of malignant tumours the model catches.

    /usr/bin/python3 logistic_tumours.py --host 127.0.0.1 --port 9042 --data-dir OUT/data
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402

ALL_TUMOURS = "SELECT * FROM workshop.tumours"
POSITIVE = "malignant"


def run(session, args):
    w.heading("6. logistic regression: breast tumours (malignant or benign)")
    w.load_table(session, args, "tumours")

    # The label is text: its classes are indexed in ascending order
    # (benign, malignant) and predictions come back as text. The 30
    # measurements are the features (not tumourid). A little L2
    # regularization (MLlib's default is none) keeps the probabilities graded
    # on these nearly separable rows, so the ROC curve has more than one threshold.
    overall, per_class = w.create_model(session, "training logistic regression", f"""
CREATE OR REPLACE MODEL workshop.tumour_lr USING logistic_regression
WITH label = 'diagnosis' AND features = '{", ".join(w.TUMOUR_FEATURES)}'
 AND reg_param = 0.01
 AND test_fraction = 0.2 AND seed = 1234
AS {ALL_TUMOURS}""")

    w.predict_held_out(session, "workshop.tumour_lr", "workshop.tumour_predictions",
                       "CREATE TABLE IF NOT EXISTS workshop.tumour_predictions ("
                       "tumourid int PRIMARY KEY, diagnosis text, prediction text, "
                       "probability double)")

    # Accuracy, precision and recall side by side; precision and recall are
    # those of the positive class.
    positive = {r.metric: r.value for r in per_class if r[1] == POSITIVE}
    side_by_side = {"accuracy": overall["accuracy"],
                    "precision": positive["precisionByLabel"],
                    "recall": positive["recallByLabel"],
                    "f1": positive["fMeasureByLabel"],
                    "areaUnderROC": overall.get("areaUnderROC")}
    w.print_rows([side_by_side], title=f"held-out metrics (positive class: {POSITIVE})")
    w.print_confusion(per_class)
    return w.summary("logistic regression tumours", overall, "accuracy")


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
