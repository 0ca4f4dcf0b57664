// Workshop exercise 1: k-means on social-media posts.
//
// The Spark notebook: load Facebook posts into Cassandra, keep the photo and
// video posts, cluster them into k = 2 groups by (num_likes, num_comments)
// without telling k-means the post type, then cross-tabulate the clusters
// against the true type: does engagement alone tell photos from videos?
//
//   workshop_kmeans_social --data-dir OUT/data [--db DIR]

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "helenus/ml/evaluator.h"
#include "helenus/ml/pipeline.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

using helenus::exec::Col;
using helenus::exec::Fn;
using helenus::exec::Lit;
namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load the posts into a table");
  ws.CreateKeyspace();
  ws.CreateTable("socialmedia",
                 "status_id int PRIMARY KEY, status_type text, num_reactions int, "
                 "num_comments int, num_shares int, num_likes int, num_loves int, num_wows int, "
                 "num_hahas int, num_sads int, num_angrys int");
  ws.LoadCsv("socialmedia.csv", "socialmedia");

  workshop::Section("Read the photo and video posts");
  // Spark: spark.read.table("socialmedia").filter(col("status_type").isin("photo", "video"))
  const auto posts = ws.Table("socialmedia")
                         .filter(Fn("in", Col("status_type"), Lit("photo"), Lit("video")))
                         .select(std::vector<std::string>{"status_id", "status_type", "num_likes",
                                                          "num_comments"});
  posts.group_by({"status_type"}).count().order_by({"status_type"}).show();
  // Clustering has no held-out rows to score: train on every post.
  const ml::Frame data = ml::Frame::FromDataFrame(posts);

  workshop::Section("Train: VectorAssembler -> KMeans (k = 2, seed 1)");
  const ml::Registry& registry = ml::Registry::Default();
  ml::TransformerPtr assembler = registry.MakeTransformer(
      "vector_assembler", ml::Params()
                              .Set("input_cols", std::string("num_likes,num_comments"))
                              .Set("output_col", std::string("features")));
  ml::EstimatorPtr kmeans =
      registry.MakeEstimator("kmeans", ml::Params().Set("k", 2.0).Set("seed", 1.0));
  const ml::Pipeline pipeline({assembler, kmeans});
  const auto start = std::chrono::steady_clock::now();
  const auto model = pipeline.Fit(data, ws.ml_context());
  std::cout << "trained in " << workshop::Fixed(workshop::SecondsSince(start), 3) << " s\n\n";
  workshop::Show(model->Artifact("cluster_centers"));

  workshop::Section("Assign every post to a cluster");
  const ml::Frame clustered = model->Transform(data, ws.ml_context());
  // Spark: ClusteringEvaluator() (silhouette with squared euclidean distance).
  const double silhouette =
      ml::MakeEvaluator("clustering_evaluator")->Evaluate(clustered, ws.ml_context());
  workshop::PrintMetrics(
      {{"posts", static_cast<double>(clustered.num_rows())}, {"silhouette", silhouette}});

  workshop::Section("Clusters against the true post type");
  // Spark: clustered.crosstab("status_type", "prediction"). The group-by runs
  // on the engine; the pivot into one column per cluster is done here.
  const auto counts = clustered.Select({"status_type", "prediction"})
                          .ToDataFrame(&ws.engine())
                          .group_by(std::vector<std::string>{"status_type", "prediction"})
                          .count()
                          .collect()
                          .Concat();
  std::map<std::string, std::map<int64_t, int64_t>> crosstab;
  for (size_t r = 0; r < counts.num_rows; ++r) {
    crosstab[counts.columns[0].strings[r]][counts.columns[1].ints[r]] = counts.columns[2].ints[r];
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& [type, by_cluster] : crosstab) {
    rows.push_back({type, fmt::format("{}", by_cluster.contains(0) ? by_cluster.at(0) : 0),
                    fmt::format("{}", by_cluster.contains(1) ? by_cluster.at(1) : 0)});
  }
  workshop::PrintTable({"status_type", "cluster 0", "cluster 1"}, rows);

  workshop::Section("Write the clusters back to a table");
  ws.CreateTable("social_clusters",
                 "status_id int PRIMARY KEY, status_type text, num_likes int, num_comments int, "
                 "prediction int");
  ws.Write(clustered, "social_clusters");
}

}  // namespace

int main(int argc, char** argv) {
  return workshop::RunExercise(argc, argv, "Workshop 1: k-means on social-media posts", Exercise);
}
