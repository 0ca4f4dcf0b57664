#include "helenus/ml/pipeline.h"

#include <gtest/gtest.h>

#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/random.h"
#include "helenus/ml/tuning.h"

namespace helenus::ml {
namespace {

// Test-only stages: a centering estimator (features -> centered), a
// nearest-centroid classifier and a parameter-free transformer.

class CenterModel final : public Model {
 public:
  explicit CenterModel(std::vector<double> mean) : mean_(std::move(mean)) {}
  std::string kind() const override { return "test_center"; }
  Frame Transform(const Frame& input, const Context& ctx) const override {
    Vectors x = input.VectorsOf("features").ToDense();
    for (size_t r = 0; r < x.rows; ++r) {
      for (size_t j = 0; j < x.dim; ++j) x.MutableRow(r)[j] -= mean_[j];
    }
    Frame out = input;
    out.Add("centered", std::move(x));
    return out;
  }
  void Save(Writer& out) const override { out.F64s(mean_); }
  std::vector<std::string> Artifacts() const override { return {"means", "shared"}; }
  Frame Artifact(std::string_view name) const override {
    exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kText));
    c.AppendString(name == "shared" ? "from center" : "means");
    Frame f;
    f.Add("who", std::move(c));
    return f;
  }
  static std::unique_ptr<Model> Load(Reader& in) {
    return std::make_unique<CenterModel>(in.F64s());
  }

 private:
  std::vector<double> mean_;
};

class CenterEstimator final : public Estimator {
 public:
  std::string kind() const override { return "test_center"; }
  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const Vectors& x = input.VectorsOf("features");
    std::vector<double> mean(x.dim, 0), row(x.dim);
    for (size_t r = 0; r < x.rows; ++r) {
      x.Densify(r, row.data());
      for (size_t j = 0; j < x.dim; ++j) mean[j] += row[j] / static_cast<double>(x.rows);
    }
    return std::make_unique<CenterModel>(std::move(mean));
  }
};

class CentroidModel final : public ClassificationModel {
 public:
  CentroidModel() = default;
  CentroidModel(PredictorColumns cols, const LabeledData& d, std::vector<double> centroids)
      : ClassificationModel(std::move(cols), d), centroids_(std::move(centroids)) {}
  std::string kind() const override { return "test_centroid"; }
  void PredictRaw(const Vectors& x, size_t r, double* raw) const override {
    std::vector<double> row(x.dim);
    x.Densify(r, row.data());
    for (size_t c = 0; c < num_classes(); ++c) {
      double d = 0;
      for (size_t j = 0; j < x.dim; ++j) {
        d += (row[j] - centroids_[c * x.dim + j]) * (row[j] - centroids_[c * x.dim + j]);
      }
      raw[c] = -d;
    }
  }
  void RawToProbability(double* s) const override {
    double total = 0;
    for (size_t c = 0; c < num_classes(); ++c) total += s[c] = std::exp(s[c]);
    for (size_t c = 0; c < num_classes(); ++c) s[c] /= total;
  }
  void Save(Writer& out) const override {
    SaveBase(out);
    out.F64s(centroids_);
  }
  std::vector<std::string> Artifacts() const override { return {"shared"}; }
  Frame Artifact(std::string_view name) const override {
    exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kText));
    c.AppendString("from centroid");
    Frame f;
    f.Add("who", std::move(c));
    return f;
  }
  static std::unique_ptr<Model> Load(Reader& in) {
    auto m = std::make_unique<CentroidModel>();
    m->LoadBase(in);
    m->centroids_ = in.F64s();
    return m;
  }

 private:
  std::vector<double> centroids_;
};

class CentroidEstimator final : public Estimator {
 public:
  explicit CentroidEstimator(PredictorColumns cols) : cols_(std::move(cols)) {}
  std::string kind() const override { return "test_centroid"; }
  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const LabeledData d = ReadLabeled(input, cols_, true);
    const size_t dim = d.x->dim;
    std::vector<double> sum(d.num_classes * dim, 0), count(d.num_classes, 0), row(dim);
    for (size_t r = 0; r < d.rows(); ++r) {
      d.x->Densify(r, row.data());
      const size_t c = static_cast<size_t>(d.y[r]);
      for (size_t j = 0; j < dim; ++j) sum[c * dim + j] += row[j];
      count[c] += 1;
    }
    for (size_t c = 0; c < d.num_classes; ++c) {
      for (size_t j = 0; j < dim; ++j) sum[c * dim + j] /= std::max(1.0, count[c]);
    }
    return std::make_unique<CentroidModel>(cols_, d, std::move(sum));
  }

 private:
  PredictorColumns cols_;
};

// Adds a constant column "tag" (a transformer with nothing to learn).
class TagTransformer final : public Transformer {
 public:
  std::string kind() const override { return "test_tag"; }
  Frame Transform(const Frame& input, const Context& ctx) const override {
    exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kInt));
    for (size_t r = 0; r < input.num_rows(); ++r) c.AppendInt(7);
    Frame out = input;
    out.Add("tag", std::move(c));
    return out;
  }
  void Save(Writer& out) const override {}
  static std::unique_ptr<Model> Load(Reader& in) { return std::make_unique<TagTransformer>(); }
};

Frame ToyData(size_t n) {
  Rng rng(17);
  Vectors x = Vectors::Dense(n, 2);
  exec::Column label = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (size_t r = 0; r < n; ++r) {
    const double y = static_cast<double>(r % 3);
    x.MutableRow(r)[0] = 100 + 3 * y + rng.Normal();
    x.MutableRow(r)[1] = -50 - 2 * y + rng.Normal();
    label.AppendDouble(y);
  }
  Frame f;
  f.Add("features", std::move(x));
  f.Add("label", std::move(label));
  return f;
}

PredictorColumns CenteredColumns() {
  PredictorColumns cols;
  cols.features = "centered";
  return cols;
}

Pipeline ToyPipeline() {
  return Pipeline({std::make_shared<TagTransformer>(), std::make_shared<CenterEstimator>(),
                   std::make_shared<CentroidEstimator>(CenteredColumns()),
                   std::make_shared<TagTransformer>()});
}

TEST(Pipeline, FitsStagesInOrderOnTransformedFrames) {
  const Frame data = ToyData(300);
  const auto model = ToyPipeline().Fit(data, Context());
  const auto* pm = dynamic_cast<const PipelineModel*>(model.get());
  ASSERT_NE(pm, nullptr);
  ASSERT_EQ(pm->stages().size(), 4u);
  EXPECT_EQ(pm->stages()[1]->kind(), "test_center");
  EXPECT_EQ(pm->stages()[2]->kind(), "test_centroid");
  const Frame out = model->Transform(data, Context());
  EXPECT_GE(out.Find("centered"), 0);
  EXPECT_GE(out.Find("tag"), 0);
  EXPECT_GT(MakeEvaluator("multiclass_classification_evaluator",
                          Params().Set("metric_name", std::string("accuracy")))
                ->Evaluate(out, Context()),
            0.8);
  EXPECT_EQ(model->Describe()[0], (std::pair<std::string, std::string>{
                                      "stages", "test_tag, test_center, test_centroid, test_tag"}));
  // Artifacts: the union; a shared name comes from the last stage that has it.
  EXPECT_EQ(model->Artifacts(), (std::vector<std::string>{"means", "shared"}));
  EXPECT_EQ(model->Artifact("shared").Scalar("who").strings[0], "from centroid");
  EXPECT_EQ(model->Artifact("means").Scalar("who").strings[0], "means");
  EXPECT_THROW(model->Artifact("nothing"), CqlError);
}

TEST(Pipeline, SaveLoadRoundTripGivesIdenticalPredictions) {
  Registry registry;
  registry.AddLoader("test_center", CenterModel::Load);
  registry.AddLoader("test_centroid", CentroidModel::Load);
  registry.AddLoader("test_tag", TagTransformer::Load);
  registry.AddLoader("pipeline_model", PipelineModelLoader(&registry));
  const Frame data = ToyData(200);
  auto model = ToyPipeline().Fit(data, Context());
  const std::vector<uint8_t> bytes = SaveModel(*model);
  const auto loaded = LoadModel(bytes, registry);
  EXPECT_EQ(loaded->kind(), "pipeline_model");
  const Frame a = model->Transform(data, Context());
  const Frame b = loaded->Transform(data, Context());
  EXPECT_EQ(a.Numeric("prediction"), b.Numeric("prediction"));
  EXPECT_EQ(a.VectorsOf("probability").values, b.VectorsOf("probability").values);
  EXPECT_EQ(SaveModel(*loaded), bytes);
  // A pipeline nested in a pipeline round-trips too.
  const PipelineModel nested({std::shared_ptr<const Model>(std::move(model))});
  EXPECT_EQ(SaveModel(*LoadModel(SaveModel(nested), registry)), SaveModel(nested));
  // Truncated bytes are Invalid, not a crash.
  std::vector<uint8_t> cut(bytes.begin(), bytes.end() - 5);
  EXPECT_THROW(LoadModel(cut, registry), CqlError);
  // The default registry knows pipeline_model but not the test stages.
  EXPECT_THROW(LoadModel(bytes), CqlError);
}

TEST(Pipeline, OnlyTransformersAndEmptyStages) {
  const Frame data = ToyData(10);
  const auto model = Pipeline({std::make_shared<TagTransformer>()}).Fit(data, Context());
  EXPECT_GE(model->Transform(data, Context()).Find("tag"), 0);
  EXPECT_THROW(Pipeline({EstimatorPtr()}), CqlError);
}

TEST(Pipeline, CrossValidatesAsOneEstimator) {
  const Frame data = ToyData(300);
  EstimatorFactory make = [](const Params& p) -> std::unique_ptr<Estimator> {
    // "centered" chooses whether the classifier sees centered features.
    PredictorColumns cols;
    if (p.Bool("centered", true)) cols.features = "centered";
    return std::make_unique<Pipeline>(std::vector<PipelineStage>{
        std::make_shared<CenterEstimator>(), std::make_shared<CentroidEstimator>(cols)});
  };
  const auto grid = ParamGridBuilder().AddGrid("centered", {true, false}).Build();
  const TuningResult r =
      CrossValidator(make, grid, MakeEvaluator("multiclass_classification_evaluator"))
          .Fit(data, Context());
  ASSERT_EQ(r.avg_metrics.size(), 2u);
  // Centering moves every point alike: the same accuracy either way.
  EXPECT_NEAR(r.avg_metrics[0], r.avg_metrics[1], 1e-9);
  EXPECT_EQ(r.best_model->kind(), "pipeline_model");
}

}  // namespace
}  // namespace helenus::ml
