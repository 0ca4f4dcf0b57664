#include "helenus/ml/tuning.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "helenus/common/error.h"
#include "helenus/exec/pool.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/random.h"

namespace helenus::ml {
namespace {

// A test-only classifier: the class whose mean of one chosen feature is
// nearest. Its "feature" parameter makes one grid point obviously better.
class CentroidModel final : public ClassificationModel {
 public:
  CentroidModel(PredictorColumns cols, const LabeledData& d, size_t feature,
                std::vector<double> centroids)
      : ClassificationModel(std::move(cols), d),
        feature_(feature),
        centroids_(std::move(centroids)) {}
  std::string kind() const override { return "test_centroid"; }
  void PredictRaw(const Vectors& x, size_t r, double* raw) const override {
    double v = 0;
    x.ForEach(r, [&](uint32_t j, double value) {
      if (j == feature_) v = value;
    });
    for (size_t c = 0; c < centroids_.size(); ++c) {
      raw[c] = -(v - centroids_[c]) * (v - centroids_[c]);
    }
  }
  void RawToProbability(double* s) const override {
    double total = 0;
    for (size_t c = 0; c < centroids_.size(); ++c) total += s[c] = std::exp(s[c]);
    for (size_t c = 0; c < centroids_.size(); ++c) s[c] /= total;
  }
  void Save(Writer& out) const override {
    SaveBase(out);
    out.U64(feature_);
    out.F64s(centroids_);
  }

 private:
  size_t feature_;
  std::vector<double> centroids_;
};

class CentroidEstimator final : public Estimator {
 public:
  explicit CentroidEstimator(const Params& p)
      : cols_(PredictorColumns::From(p)), feature_(static_cast<size_t>(p.Int("feature", 0))) {}
  std::string kind() const override { return "test_centroid"; }
  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const LabeledData d = ReadLabeled(input, cols_, true);
    std::vector<double> sum(d.num_classes, 0), count(d.num_classes, 0);
    std::vector<double> row(d.x->dim);
    for (size_t r = 0; r < d.rows(); ++r) {
      d.x->Densify(r, row.data());
      sum[static_cast<size_t>(d.y[r])] += row[feature_];
      count[static_cast<size_t>(d.y[r])] += 1;
    }
    for (size_t c = 0; c < sum.size(); ++c) sum[c] /= std::max(1.0, count[c]);
    return std::make_unique<CentroidModel>(cols_, d, feature_, std::move(sum));
  }

 private:
  PredictorColumns cols_;
  size_t feature_;
};

EstimatorFactory CentroidFactory() {
  return [](const Params& p) { return std::make_unique<CentroidEstimator>(p); };
}

// Feature 0 separates the classes, feature 1 is noise.
Frame ToyData(size_t n, uint64_t seed) {
  Rng rng(seed);
  Vectors x = Vectors::Dense(n, 2);
  exec::Column label = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (size_t r = 0; r < n; ++r) {
    const double y = static_cast<double>(r % 2);
    x.MutableRow(r)[0] = 2 * y + 0.5 * rng.Normal();
    x.MutableRow(r)[1] = rng.Normal();
    label.AppendDouble(y);
  }
  Frame f;
  f.Add("features", std::move(x));
  f.Add("label", std::move(label));
  return f;
}

TEST(ParamGridBuilder, CartesianProductInAFixedOrder) {
  ParamGridBuilder b;
  b.AddGrid("maxDepth", {2.0, 5.0})
      .AddGrid("impurity", {std::string("gini"), std::string("entropy")});
  b.AddGrid("seed", {1.0});
  const auto grid = b.Build(Params().Set("num_trees", 10.0));
  ASSERT_EQ(grid.size(), 4u);
  EXPECT_EQ(ParamMapText(grid[0]), "impurity='gini', max_depth=2, num_trees=10, seed=1");
  EXPECT_EQ(ParamMapText(grid[1]), "impurity='entropy', max_depth=2, num_trees=10, seed=1");
  EXPECT_EQ(ParamMapText(grid[2]), "impurity='gini', max_depth=5, num_trees=10, seed=1");
  EXPECT_EQ(ParamMapText(grid[3]), "impurity='entropy', max_depth=5, num_trees=10, seed=1");
  // Adding a name again replaces its values; an empty grid is the base alone.
  b.AddGrid("max_depth", {3.0});
  EXPECT_EQ(b.Build().size(), 2u);
  EXPECT_EQ(ParamGridBuilder().Build().size(), 1u);
  EXPECT_TRUE(ParamGridBuilder().AddGrid("k", {}).Build().empty());
}

TEST(RandomSplit, DisjointCompleteAndDeterministic) {
  const size_t n = 20000;
  Frame f;
  exec::Column id = exec::Column::Make(DataType::Of(TypeKind::kBigint));
  for (size_t i = 0; i < n; ++i) id.AppendInt(static_cast<int64_t>(i));
  f.Add("id", std::move(id));
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  // Weights are normalized: {2, 1, 1} is {0.5, 0.25, 0.25}.
  const auto parts = RandomSplit(f, {2, 1, 1}, 7, c1);
  ASSERT_EQ(parts.size(), 3u);
  std::set<int64_t> seen;
  size_t total = 0;
  for (const Frame& p : parts) {
    const auto& ids = p.Scalar("id").ints;
    EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));  // original order kept
    for (int64_t i : ids) EXPECT_TRUE(seen.insert(i).second) << "row " << i << " twice";
    total += ids.size();
  }
  EXPECT_EQ(total, n);
  EXPECT_NEAR(parts[0].num_rows() / double(n), 0.5, 0.02);
  EXPECT_NEAR(parts[1].num_rows() / double(n), 0.25, 0.02);
  const auto again = RandomSplit(f, {2, 1, 1}, 7, c2);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(parts[i].Scalar("id").ints, again[i].Scalar("id").ints);
  const auto other = RandomSplit(f, {2, 1, 1}, 8, c1);
  EXPECT_NE(parts[0].Scalar("id").ints, other[0].Scalar("id").ints);
  // A zero weight gets no row.
  EXPECT_EQ(RandomSplit(f, {1, 0, 1}, 7)[1].num_rows(), 0u);
  EXPECT_THROW(RandomSplit(f, {}, 1), CqlError);
  EXPECT_THROW(RandomSplit(f, {1, -1}, 1), CqlError);
  EXPECT_THROW(RandomSplit(f, {0, 0}, 1), CqlError);
}

EvaluatorPtr Auc() {
  return MakeEvaluator("binary_classification_evaluator");
}

TEST(CrossValidator, PicksTheInformativeFeatureWhateverTheThreads) {
  const Frame data = ToyData(600, 3);
  const auto grid = ParamGridBuilder().AddGrid("feature", {1.0, 0.0}).Build();
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  const CrossValidator sequential(CentroidFactory(), grid, Auc(), Params());
  const CrossValidator parallel(CentroidFactory(), grid, Auc(),
                                Params().Set("parallelism", 4.0).Set("num_folds", 3.0));
  const TuningResult a = sequential.Fit(data, c1);
  const TuningResult b = parallel.Fit(data, c2);
  ASSERT_EQ(a.avg_metrics.size(), 2u);
  EXPECT_EQ(a.best_index, 1u);  // feature 0
  EXPECT_GT(a.avg_metrics[1], 0.95);
  EXPECT_LT(a.avg_metrics[0], 0.7);
  EXPECT_EQ(a.metric_name, "areaUnderROC");
  EXPECT_EQ(a.avg_metrics, b.avg_metrics);  // bit-identical
  EXPECT_EQ(a.std_metrics, b.std_metrics);
  EXPECT_EQ(a.best_index, b.best_index);
  // The best model is refitted on everything and predicts well.
  const Frame out = a.best_model->Transform(data, c1);
  EXPECT_GT(Auc()->Evaluate(out, c1), 0.95);
  // A different seed deals other folds.
  const CrossValidator seeded(CentroidFactory(), grid, Auc(), Params().Set("seed", 99.0));
  EXPECT_NE(seeded.Fit(data, c1).avg_metrics, a.avg_metrics);

  const Frame table = a.ToFrame();
  ASSERT_EQ(table.num_rows(), 2u);
  EXPECT_EQ(table.Scalar("params").strings[1], "feature=0");
  EXPECT_EQ(table.Numeric("metric"), a.avg_metrics);
  EXPECT_EQ(table.Numeric("best"), (std::vector<double>{0, 1}));
  EXPECT_GE(table.Find("std_metric"), 0);
}

TEST(CrossValidator, SmallerIsBetterMetricsAndErrors) {
  const Frame data = ToyData(300, 4);
  const auto grid = ParamGridBuilder().AddGrid("feature", {1.0, 0.0}).Build();
  EvaluatorPtr loss = MakeEvaluator("multiclass_classification_evaluator",
                                    Params().Set("metric_name", std::string("logLoss")));
  const TuningResult r = CrossValidator(CentroidFactory(), grid, loss).Fit(data, Context());
  EXPECT_EQ(r.best_index, 1u);
  EXPECT_LT(r.avg_metrics[1], r.avg_metrics[0]);
  EXPECT_THROW(CrossValidator(CentroidFactory(), {}, loss), CqlError);
  EXPECT_THROW(CrossValidator(CentroidFactory(), grid, loss, Params().Set("num_folds", 1.0)),
               CqlError);
  EXPECT_THROW(CrossValidator(CentroidFactory(), grid, loss).Fit(ToyData(2, 1), Context()),
               CqlError);
  // A failing fit surfaces as Invalid (here: an unknown estimator name).
  EXPECT_THROW(RegistryFactory("no_such_estimator"), CqlError);
}

TEST(TrainValidationSplit, PicksTheInformativeFeature) {
  const Frame data = ToyData(400, 5);
  const auto grid = ParamGridBuilder().AddGrid("feature", {0.0, 1.0}).Build();
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  const TrainValidationSplit tvs(CentroidFactory(), grid, Auc(), Params().Set("parallelism", 2.0));
  const TuningResult a = tvs.Fit(data, c1);
  const TuningResult b = tvs.Fit(data, c2);
  EXPECT_EQ(a.best_index, 0u);
  EXPECT_EQ(a.avg_metrics, b.avg_metrics);
  EXPECT_TRUE(a.std_metrics.empty());
  EXPECT_LT(a.ToFrame().Find("std_metric"), 0);
  EXPECT_THROW(
      TrainValidationSplit(CentroidFactory(), grid, Auc(), Params().Set("train_ratio", 1.5)),
      CqlError);
}

}  // namespace
}  // namespace helenus::ml
