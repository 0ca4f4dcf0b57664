#include "exercises.h"

#include <algorithm>
#include <cstdlib>

#include "helenus/common/error.h"

namespace helenus::workshop {
namespace {

double Number(const client::Row& row, size_t i) {
  if (row.IsNull(i)) ThrowInvalid("expected a number, got null");
  return std::strtod(row.ToText(i).c_str(), nullptr);
}

// The value of an EVALUATE row (metric, class, predicted, value).
std::function<double(const std::vector<client::Row>&)> Metric(std::string metric,
                                                              std::string cls = "") {
  return [metric, cls](const std::vector<client::Row>& rows) {
    for (const auto& r : rows) {
      if (r.GetString("metric") != metric) continue;
      const std::string c = r.IsNull("class") ? "" : r.GetString("class");
      if (c == cls) return Number(r, r.Index("value"));
    }
    ThrowInvalid("no metric {}{}", metric, cls.empty() ? "" : " for class " + cls);
  };
}

double RowCount(const std::vector<client::Row>& rows) {
  return static_cast<double>(rows.size());
}

double FirstValue(const std::vector<client::Row>& rows) {
  if (rows.empty()) ThrowInvalid("no rows");
  return Number(rows.front(), 0);
}

// Rows (status_type, cluster, posts): the share of posts whose cluster matches
// their type under the better of the two cluster-to-type assignments.
double ClusterAgreement(const std::vector<client::Row>& rows) {
  double direct = 0, swapped = 0, total = 0;
  for (const auto& r : rows) {
    const std::string type = r.GetString(0);
    const double cluster = Number(r, 1);
    const double n = Number(r, 2);
    total += n;
    ((type == "photo") == (cluster == 0) ? direct : swapped) += n;
  }
  if (total == 0) ThrowInvalid("no clustered posts");
  return std::max(direct, swapped) / total;
}

}  // namespace

const std::vector<Exercise>& Exercises() {
  static const std::vector<Exercise> kExercises = {
      {"1_kmeans_social.cql",
       "k-means: social media posts",
       "social_kmeans",
       {{"silhouette",
         "EVALUATE MODEL workshop.social_kmeans ON SELECT num_likes, num_comments "
         "FROM workshop.social_clusters",
         Metric("silhouette")},
        {"clusters match photo/video",
         "SELECT status_type, prediction, count(*) FROM workshop.social_clusters "
         "GROUP BY status_type, prediction ALLOW FILTERING",
         ClusterAgreement}}},
      {"2_naive_bayes_wine.cql",
       "naive Bayes: wine quality",
       "wine_nb",
       {{"accuracy", "EVALUATE MODEL workshop.wine_nb", Metric("accuracy")}}},
      {"3_random_forest_wine.cql",
       "random forest: wine quality",
       "wine_rf",
       {{"accuracy", "EVALUATE MODEL workshop.wine_rf", Metric("accuracy")},
        {"weighted precision", "EVALUATE MODEL workshop.wine_rf", Metric("weightedPrecision")},
        {"weighted recall", "EVALUATE MODEL workshop.wine_rf", Metric("weightedRecall")}}},
      {"4_fp_growth_movies.cql",
       "FP-Growth: movie ratings",
       "movie_fpgrowth",
       {{"frequent itemsets", "DESCRIBE MODEL workshop.movie_fpgrowth ARTIFACT freq_itemsets",
         RowCount},
        {"association rules", "DESCRIBE MODEL workshop.movie_fpgrowth ARTIFACT association_rules",
         RowCount}}},
      {"5_als_movies.cql",
       "ALS: movie ratings",
       "movie_als",
       {{"test RMSE", "EVALUATE MODEL workshop.movie_als", Metric("rmse")},
        {"recommendations kept", "SELECT count(*) FROM workshop.movie_recommendations",
         FirstValue}}},
      {"6_logistic_tumours.cql",
       "logistic regression: tumours",
       "tumour_lr",
       {{"accuracy", "EVALUATE MODEL workshop.tumour_lr", Metric("accuracy")},
        {"precision (malignant)", "EVALUATE MODEL workshop.tumour_lr",
         Metric("precisionByLabel", "malignant")},
        {"recall (malignant)", "EVALUATE MODEL workshop.tumour_lr",
         Metric("recallByLabel", "malignant")},
        {"ROC AUC", "EVALUATE MODEL workshop.tumour_lr", Metric("areaUnderROC")}}},
  };
  return kExercises;
}

}  // namespace helenus::workshop
