#!/usr/bin/python3
"""Exercise 1: k-means on social-media posts.

Do photo and video posts fall into two groups by their number of likes and
comments? The workshop trained Spark's KMeans (k=2, seed 1) on the photo and
video rows of the Facebook posts table; here CREATE MODEL ... USING kmeans
trains it inside Helenus, PREDICT writes every post's cluster to
workshop.social_clusters, and a GROUP BY compares clusters with the true type.

    /usr/bin/python3 kmeans_social.py --host 127.0.0.1 --port 9042 --data-dir OUT/data
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import workshop as w  # noqa: E402

# Only photos and videos: the workshop drops links and status updates.
PHOTO_VIDEO = ("SELECT status_id, status_type, num_likes, num_comments "
               "FROM workshop.socialmedia WHERE status_type IN ('photo', 'video')")


def run(session, args):
    w.heading("1. k-means: social-media posts (photo/video vs likes and comments)")
    w.load_table(session, args, "socialmedia")

    # k=2 clusters on two features. test_fraction 0: clustering has no label,
    # every row trains, and the silhouette is computed on the training rows.
    overall, _ = w.create_model(session, "training k-means (k=2)", f"""
CREATE OR REPLACE MODEL workshop.social_kmeans USING kmeans
WITH k = 2 AND seed = 1 AND features = 'num_likes, num_comments' AND test_fraction = 0
AS {PHOTO_VIDEO}""")

    # Where the two centres ended up: one for ordinary posts, one for the few
    # posts with thousands of comments.
    centers = session.execute("DESCRIBE MODEL workshop.social_kmeans ARTIFACT cluster_centers")
    w.print_rows(centers, title="cluster centres")

    # Write each post's cluster back to a table, next to its true type.
    w.recreate_table(session, "CREATE TABLE IF NOT EXISTS workshop.social_clusters ("
                            "status_id int PRIMARY KEY, status_type text, num_likes int, "
                            "num_comments int, prediction int)")
    w.ml(session, "predicting every photo/video post",
         f"PREDICT workshop.social_kmeans ON {PHOTO_VIDEO} INTO workshop.social_clusters")

    # Clusters against the true type: analytic SQL (it runs on the analytics
    # engine when the query ends with ALLOW FILTERING).
    crosstab = sorted(session.execute(
        "SELECT status_type, prediction, count(*) AS posts FROM workshop.social_clusters "
        "GROUP BY status_type, prediction ALLOW FILTERING"),
        key=lambda r: (r.status_type, r.prediction))
    w.print_rows(crosstab, title="cluster vs true type")
    # How well the clusters separate the types: the share of posts whose cluster
    # matches their type, under the better of the two cluster -> type mappings.
    posts = {(r.status_type, r.prediction): r.posts for r in crosstab}
    total = sum(posts.values())
    overall["clusters match photo/video"] = max(
        posts.get(("photo", a), 0) + posts.get(("video", b), 0) for a, b in ((0, 1), (1, 0))
    ) / total
    w.print_rows(session.execute(
        "SELECT status_id, status_type, num_likes, num_comments, prediction "
        "FROM workshop.social_clusters LIMIT 5"),
                 title="a few rows of workshop.social_clusters")
    w.print_metrics(overall, ["training_rows", "silhouette", "clusters match photo/video"],
                    title="k-means metrics")
    return w.summary("k-means social media", overall, "silhouette")


def main(argv=None):
    w.run_main(run, __doc__, argv)


if __name__ == "__main__":
    main()
