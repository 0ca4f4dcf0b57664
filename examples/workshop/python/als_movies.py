#!/usr/bin/python3
"""Exercise 5: ALS collaborative filtering on movie ratings.

Which movies would a user rate highly? The workshop split the ratings 80/20,
trained Spark's ALS (maxIter 5, regParam 0.01, coldStartStrategy 'drop': test
rows whose user or movie is unseen in training are left out of the RMSE),
measured the test RMSE and wrote the top 10 movies per user back to
Cassandra. Here CREATE MODEL ... USING als trains and scores the split,
RECOMMEND ... INTO writes the recommendations, and a join shows their titles.

    /usr/bin/python3 als_movies.py --host 127.0.0.1 --port 9042 --data-dir OUT/data
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402

RECOMMENDATIONS_TABLE = ("CREATE TABLE IF NOT EXISTS workshop.movie_recommendations ("
                         "userid int, movieid int, rating double, PRIMARY KEY (userid, movieid))")
SHOW_USER = 1


def run(session, args):
    w.heading("5. ALS: movie recommendations (80/20 split, test RMSE, top 10 per user)")
    w.load_table(session, args, "movies")
    w.load_table(session, args, "movieratings")

    # Rank 10 (Spark's default), ALS-WR regularization (reg_param scaled by
    # each user's / movie's number of ratings, as Spark does).
    overall, _ = w.create_model(session, "training ALS (5 iterations)", """
CREATE OR REPLACE MODEL workshop.movie_als USING als
WITH user_col = 'userid' AND item_col = 'movieid' AND rating_col = 'rating'
 AND max_iter = 5 AND reg_param = 0.01 AND cold_start_strategy = 'drop'
 AND test_fraction = 0.2 AND seed = 1234
AS SELECT userid, movieid, rating FROM workshop.movieratings""")

    # Top 10 movies for every user, written to a table the application reads.
    w.recreate_table(session, RECOMMENDATIONS_TABLE)
    w.ml(session, "recommending 10 movies per user",
         "RECOMMEND workshop.movie_als FOR USERS LIMIT 10 INTO workshop.movie_recommendations")

    # What one user gets, with titles: a join on the analytics engine.
    w.print_rows(session.execute(
        "SELECT r.userid, r.movieid, r.rating, m.title "
        "FROM workshop.movie_recommendations r JOIN workshop.movies m ON r.movieid = m.movieid "
        f"WHERE r.userid = {SHOW_USER} ORDER BY r.rating DESC ALLOW FILTERING"),
        title=f"top 10 for user {SHOW_USER} (predicted rating)")

    # Low regularization and few ratings per movie: the predictions overshoot
    # the 0.5..5 scale and the test RMSE is well above the training RMSE.
    w.print_metrics(overall, ["training_rows", "test_rows", "rows", "rmse", "mae"],
                    title="ALS on the held-out ratings (rows: scored after dropping cold starts)")
    return w.summary("ALS movies", overall, "rmse")


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
