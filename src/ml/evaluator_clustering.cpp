#include "helenus/common/error.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

namespace {

std::vector<ParamSpec> Specs() {
  return {
      StringParam("metric_name", "silhouette", "metric to compute", {"silhouette"}),
      StringParam("distance_measure", "squaredEuclidean", "distance between points",
                  {"squaredEuclidean", "cosine"}),
      StringParam("features_col", "features", "feature vector column"),
      StringParam("prediction_col", "prediction", "cluster id column"),
      StringParam("weight_col", "", "row weight column ('' = every row weighs 1)"),
  };
}

class ClusteringEvaluator final : public Evaluator {
 public:
  explicit ClusteringEvaluator(const Params& p)
      : metric_(p.String(Specs(), "metric_name")),
        cosine_(p.String(Specs(), "distance_measure") == "cosine"),
        features_col_(p.String(Specs(), "features_col")),
        prediction_col_(p.String(Specs(), "prediction_col")),
        weight_col_(p.String(Specs(), "weight_col")) {}

  std::string kind() const override { return "clustering_evaluator"; }
  std::string metric_name() const override { return metric_; }
  bool larger_is_better() const override { return true; }

  double Evaluate(const Frame& f, const Context& ctx) const override {
    using namespace evaluation;
    const Vectors& x = f.VectorsOf(features_col_);
    std::vector<double> clusters = NumbersOf(f, prediction_col_);
    std::vector<double> weights = WeightsOf(f, weight_col_);
    const size_t n = f.num_rows();
    std::vector<uint32_t> rows = CompleteRows(n, {{&clusters}, {&weights}});
    if (!x.valid.empty()) {
      std::erase_if(rows, [&](uint32_t r) { return x.IsNull(r); });
    }
    RequireRows(rows, "features and a cluster");
    const auto distance =
        cosine_ ? SilhouetteDistance::kCosine : SilhouetteDistance::kSquaredEuclidean;
    if (rows.size() == n) return Silhouette(x, clusters, distance, ctx, weights);
    KeepRows(&clusters, rows, n);
    KeepRows(&weights, rows, n);
    return Silhouette(x.Take(rows), clusters, distance, ctx, weights);
  }

 private:
  std::string metric_;
  bool cosine_;
  std::string features_col_;
  std::string prediction_col_;
  std::string weight_col_;
};

}  // namespace

EvaluatorSpec ClusteringEvaluatorSpec() {
  return {"clustering_evaluator", "silhouette of a clustering (MLlib's O(n k) formula)", Specs(),
          [](const Params& p) { return std::make_unique<ClusteringEvaluator>(p); }};
}

}  // namespace helenus::ml
