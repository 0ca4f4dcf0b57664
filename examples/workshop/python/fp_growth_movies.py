#!/usr/bin/python3
"""Exercise 4: FP-Growth on movie ratings.

Which movies do the same people like? The workshop grouped the movies each
user rated above 3 into one basket per user and mined them with Spark's
FPGrowth (minSupport 0.1, minConfidence 0.2). Here the baskets come from the
training query itself (a join with workshop.movies, so the baskets hold
titles and the rules are readable, then collect_set ... GROUP BY userid), the
rules from the model's association_rules artifact; they are kept, strongest
first, in workshop.movie_rules.

    /usr/bin/python3 fp_growth_movies.py --host 127.0.0.1 --port 9042 --data-dir OUT/data
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402

# The same table as the CQL form's: a rule is keyed by its two sides.
RULES_TABLE = ("CREATE TABLE IF NOT EXISTS workshop.movie_rules ("
               "antecedent frozen<set<text>>, consequent frozen<set<text>>, confidence double, "
               "lift double, support double, PRIMARY KEY (antecedent, consequent))")


def run(session, args):
    w.heading("4. FP-Growth: movies liked together (ratings > 3, one basket per user)")
    w.load_table(session, args, "movies")
    w.load_table(session, args, "movieratings")

    # One basket per user: the titles of the movies they rated above 3.
    overall, _ = w.create_model(session, "mining frequent itemsets and rules", """
CREATE OR REPLACE MODEL workshop.movie_fpgrowth USING fp_growth
WITH items_col = 'movies' AND min_support = 0.1 AND min_confidence = 0.2
AS SELECT r.userid, collect_set(m.title) AS movies
   FROM workshop.movieratings r JOIN workshop.movies m ON r.movieid = m.movieid
   WHERE r.rating > 3 GROUP BY r.userid""")
    itemsets = list(session.execute(
        "DESCRIBE MODEL workshop.movie_fpgrowth ARTIFACT freq_itemsets"))
    w.recreate_table(session, RULES_TABLE)
    with w.step("writing the rules to workshop.movie_rules") as s:
        written = session.execute("DESCRIBE MODEL workshop.movie_fpgrowth "
                                  "ARTIFACT association_rules INTO workshop.movie_rules").one()
        s["rows"] = written.rows_written
    rules = written.rows_written
    print(f"    {len(itemsets):,} frequent itemsets, {rules:,} rules "
          f"from {int(overall['training_rows']):,} baskets")

    strongest = session.execute(
        "SELECT antecedent, consequent, confidence, lift, support FROM workshop.movie_rules "
        "ORDER BY confidence DESC LIMIT 10 ALLOW FILTERING")
    w.print_rows([(" + ".join(sorted(r.antecedent)), " + ".join(sorted(r.consequent)),
                   r.confidence, r.lift, r.support) for r in strongest],
                 columns=["if a user liked", "they also liked", "confidence", "lift", "support"],
                 title="the 10 strongest rules")
    w.print_metrics({"training_rows": overall["training_rows"],
                     "freq_itemsets": len(itemsets), "rules": rules},
                    ["training_rows", "freq_itemsets", "rules"], title="FP-Growth")
    return w.summary("FP-Growth movies", overall, "rules", rules)


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
