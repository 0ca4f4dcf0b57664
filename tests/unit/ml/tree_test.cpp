#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <vector>

#include "helenus/common/error.h"
#include "helenus/ml/random.h"
#include "helenus/ml/registry.h"
#include "ml/tree_binning.h"
#include "ml/tree_models.h"

namespace helenus::ml {
namespace {

struct Data {
  std::vector<double> x;  // row-major
  size_t dim = 0;
  std::vector<double> y;
};

Frame ToFrame(const Data& d, bool sparse = false, Attributes attrs = {}) {
  const size_t n = d.y.size();
  Vectors v = Vectors::Dense(n, d.dim);
  v.values = d.x;
  if (sparse) {
    Vectors s = Vectors::Sparse(d.dim);
    for (size_t r = 0; r < n; ++r) {
      std::vector<uint32_t> idx;
      std::vector<double> val;
      for (size_t j = 0; j < d.dim; ++j) {
        if (d.x[r * d.dim + j] != 0) {
          idx.push_back(static_cast<uint32_t>(j));
          val.push_back(d.x[r * d.dim + j]);
        }
      }
      s.AppendSparse(idx, val);
    }
    v = std::move(s);
  }
  Frame f;
  f.Add("features", std::move(v), std::move(attrs));
  exec::Column label = exec::Column::Make(DataType::Of(TypeKind::kDouble), n);
  for (double y : d.y) label.AppendDouble(y);
  f.Add("label", std::move(label));
  return f;
}

std::unique_ptr<Model> Fit(const std::string& name, const Frame& f, Params p = {},
                           const Context& ctx = {}) {
  return Registry::Default().MakeEstimator(name, p)->Fit(f, ctx);
}

std::vector<double> Column(const Model& m, const Frame& f, const std::string& col = "prediction",
                           const Context& ctx = {}) {
  Frame out = m.Transform(f, ctx);
  if (out.column(out.Require(col)).is_vector()) return out.VectorsOf(col).values;
  return out.Numeric(col);
}

double Accuracy(const std::vector<double>& pred, const std::vector<double>& y) {
  size_t ok = 0;
  for (size_t i = 0; i < y.size(); ++i) ok += pred[i] == y[i] ? 1 : 0;
  return static_cast<double>(ok) / static_cast<double>(y.size());
}

double Rmse(const std::vector<double>& pred, const std::vector<double>& y) {
  double s = 0;
  for (size_t i = 0; i < y.size(); ++i) s += (pred[i] - y[i]) * (pred[i] - y[i]);
  return std::sqrt(s / static_cast<double>(y.size()));
}

// Classes in disjoint ranges of feature 0 (a few values each, so every gap
// between classes is a bin boundary); features 1 and 2 are noise.
Data Separable(size_t n, size_t classes, uint64_t seed) {
  Data d;
  d.dim = 3;
  Rng rng(seed);
  for (size_t r = 0; r < n; ++r) {
    const size_t c = r % classes;
    d.x.push_back(static_cast<double>(c * 10 + rng.Below(5)));
    d.x.push_back(rng.Normal());
    d.x.push_back(rng.Normal());
    d.y.push_back(static_cast<double>(c));
  }
  return d;
}

// y = sin(x0) * 3 + x1^2 + noise, with two noise features.
Data Wavy(size_t n, uint64_t seed, double noise = 0.3) {
  Data d;
  d.dim = 4;
  Rng rng(seed);
  for (size_t r = 0; r < n; ++r) {
    const double a = rng.Uniform() * 6 - 3, b = rng.Uniform() * 4 - 2;
    d.x.insert(d.x.end(), {a, b, rng.Normal(), rng.Normal()});
    d.y.push_back(std::sin(a) * 3 + b * b + noise * rng.Normal());
  }
  return d;
}

// Binary labels from a nonlinear rule on features 0 and 1, with label noise.
Data Rings(size_t n, uint64_t seed) {
  Data d;
  d.dim = 5;
  Rng rng(seed);
  for (size_t r = 0; r < n; ++r) {
    double v[5];
    for (double& x : v) x = rng.Normal();
    d.x.insert(d.x.end(), v, v + 5);
    double label = v[0] * v[0] + v[1] * v[1] > 1.4 ? 1 : 0;
    if (rng.Uniform() < 0.05) label = 1 - label;
    d.y.push_back(label);
  }
  return d;
}

const char* kClassifiers[] = {"decision_tree_classifier", "random_forest_classifier",
                              "gbt_classifier"};
const char* kRegressors[] = {"decision_tree_regressor", "random_forest_regressor", "gbt_regressor"};

TEST(Trees, SeparableDataIsClassifiedPerfectly) {
  for (size_t classes : {2, 3}) {
    const Data d = Separable(600, classes, 7);
    const Frame f = ToFrame(d);
    for (const char* name : kClassifiers) {
      auto m = Fit(name, f);
      EXPECT_EQ(Accuracy(Column(*m, f), d.y), 1.0) << name << " with " << classes << " classes";
      const auto prob = Column(*m, f, "probability");
      ASSERT_EQ(prob.size(), d.y.size() * classes);
      for (size_t r = 0; r < d.y.size(); ++r) {
        double sum = 0;
        for (size_t c = 0; c < classes; ++c) sum += prob[r * classes + c];
        EXPECT_NEAR(sum, 1.0, 1e-12);
      }
    }
  }
}

TEST(Trees, KnownSmallRegression) {
  // A step at x = 4.5: one split, leaves at the means 1 and 3.
  Data d;
  d.dim = 1;
  for (int i = 0; i < 10; ++i) {
    d.x.push_back(i);
    d.y.push_back(i < 5 ? 1.0 : 3.0);
  }
  const Frame f = ToFrame(d);
  auto m = Fit("decision_tree_regressor", f, Params().Set("max_depth", 3.0));
  EXPECT_EQ(Column(*m, f), d.y);
  Frame trees = m->Artifact("trees");
  EXPECT_EQ(trees.Numeric("nodes")[0], 3);
  EXPECT_EQ(trees.Numeric("depth")[0], 1);
  EXPECT_EQ(exec::TextAt(trees.Scalar("debug"), 0),
            "Tree 0 (weight 1.0):\n"
            "  If (feature 0 <= 4.5)\n"
            "   Predict: 1.0\n"
            "  Else (feature 0 > 4.5)\n"
            "   Predict: 3.0\n");
  // Two steps, depth 1: the split that removes the most variance wins.
  d.y = {0, 0, 0, 0, 0, 0, 0, 0, 10, 10};
  auto stump = Fit("decision_tree_regressor", ToFrame(d), Params().Set("max_depth", 1.0));
  EXPECT_EQ(Column(*stump, ToFrame(d)), d.y);
  // A mean-only model at depth 0.
  auto leaf = Fit("decision_tree_regressor", ToFrame(d), Params().Set("max_depth", 0.0));
  for (double p : Column(*leaf, ToFrame(d))) EXPECT_DOUBLE_EQ(p, 2.0);
}

TEST(Trees, GiniTreeMatchesHandComputedSplit) {
  // Labels 0 0 0 1 1 | 1 1 1 on x = 0..7: the best Gini split is x <= 2.5
  // (left pure), and the right side splits again at 4.5 at depth 2.
  Data d;
  d.dim = 1;
  const double labels[] = {0, 0, 0, 1, 1, 1, 1, 1};
  for (int i = 0; i < 8; ++i) {
    d.x.push_back(i);
    d.y.push_back(labels[i]);
  }
  auto m = Fit("decision_tree_classifier", ToFrame(d), Params().Set("max_depth", 1.0));
  const auto* model = dynamic_cast<const TreeClassifierModel*>(m.get());
  ASSERT_NE(model, nullptr);
  const Tree& t = model->ensemble().trees[0];
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.feature[0], 0);
  EXPECT_DOUBLE_EQ(t.threshold[0], 2.5);
  // Gini 2*(3/8)*(5/8) before, 0 after: gain 0.46875.
  EXPECT_DOUBLE_EQ(t.gain[0], 0.46875);
  // Raw prediction of a decision tree: the leaf's class counts.
  EXPECT_EQ(Column(*m, ToFrame(d), "raw_prediction")[0], 3.0);
}

TEST(Trees, ParametersAreValidated) {
  const Registry& r = Registry::Default();
  auto bad = [&](const char* name, const char* param, ParamValue v) {
    EXPECT_THROW(r.MakeEstimator(name, Params().Set(param, v)), CqlError) << name << " " << param;
  };
  for (const char* name :
       {"decision_tree_classifier", "random_forest_regressor", "gbt_classifier"}) {
    bad(name, "max_depth", 31.0);
    bad(name, "max_depth", -1.0);
    bad(name, "max_depth", 2.5);
    bad(name, "max_bins", 1.0);
    bad(name, "min_instances_per_node", 0.0);
    bad(name, "min_info_gain", -0.1);
    bad(name, "no_such_param", 1.0);
  }
  bad("random_forest_classifier", "num_trees", 0.0);
  bad("random_forest_classifier", "subsampling_rate", 0.0);
  bad("random_forest_classifier", "subsampling_rate", 1.5);
  bad("random_forest_classifier", "feature_subset_strategy", std::string("most"));
  bad("random_forest_classifier", "feature_subset_strategy", std::string("1.5"));
  bad("random_forest_classifier", "impurity", std::string("variance"));
  bad("random_forest_regressor", "impurity", std::string("gini"));
  bad("decision_tree_classifier", "min_weight_fraction_per_node", 0.5);
  bad("gbt_classifier", "step_size", 0.0);
  bad("gbt_classifier", "loss_type", std::string("squared"));
  bad("gbt_regressor", "loss_type", std::string("logistic"));
  bad("gbt_regressor", "max_iter", -1.0);
  EXPECT_NO_THROW(r.MakeEstimator("random_forest_classifier",
                                  Params().Set("featureSubsetStrategy", std::string("0.5"))));
  EXPECT_NO_THROW(r.MakeEstimator("random_forest_classifier",
                                  Params().Set("feature_subset_strategy", std::string("3"))));
}

TEST(Trees, BadInputIsInvalid) {
  Data one = Separable(50, 2, 1);
  for (double& y : one.y) y = 1;
  for (const char* name : kClassifiers) {
    EXPECT_THROW(Fit(name, ToFrame(one)), CqlError) << name;
  }
  Data nan = Wavy(50, 1);
  nan.x[17] = std::nan("");
  for (const char* name : kRegressors) {
    EXPECT_THROW(Fit(name, ToFrame(nan)), CqlError) << name;
  }
  Data empty;
  empty.dim = 2;
  EXPECT_THROW(Fit("random_forest_regressor", ToFrame(empty)), CqlError);
  Data fractional = Separable(20, 2, 1);
  fractional.y[3] = 0.5;
  EXPECT_THROW(Fit("gbt_classifier", ToFrame(fractional)), CqlError);
  // A model refuses features of another dimension.
  auto m = Fit("random_forest_regressor", ToFrame(Wavy(100, 2)));
  EXPECT_THROW(m->Transform(ToFrame(Separable(10, 2, 1)), {}), CqlError);
}

TEST(Trees, IdenticalWhateverTheThreadCount) {
  // Enough rows for several histogram and partition chunks.
  const Data d = Rings(70000, 3);
  const Frame f = ToFrame(d);
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  struct Case {
    const char* name;
    Params params;
    const char* column;
  };
  const Case cases[] = {
      {"random_forest_classifier", Params().Set("num_trees", 4.0), "probability"},
      {"gbt_classifier", Params().Set("max_iter", 4.0).Set("subsampling_rate", 0.8), "probability"},
      {"gbt_regressor", Params().Set("max_iter", 3.0), "prediction"},
      {"random_forest_regressor", Params().Set("num_trees", 3.0).Set("max_depth", 8.0),
       "prediction"},
  };
  for (const Case& c : cases) {
    auto m1 = Fit(c.name, f, c.params, c1);
    auto m2 = Fit(c.name, f, c.params, c2);
    const auto p1 = Column(*m1, f, c.column, c1);
    const auto p2 = Column(*m2, f, c.column, c2);
    ASSERT_EQ(p1.size(), p2.size());
    EXPECT_EQ(0, std::memcmp(p1.data(), p2.data(), p1.size() * sizeof(double))) << c.name;
    EXPECT_EQ(SaveModel(*m1), SaveModel(*m2)) << c.name;
  }
}

TEST(Trees, SeedsChangeForestsButNotTheirQuality) {
  const Data d = Rings(3000, 4);
  const Frame f = ToFrame(d);
  auto a = Fit("random_forest_classifier", f, Params().Set("seed", 1.0));
  auto b = Fit("random_forest_classifier", f, Params().Set("seed", 2.0));
  auto a2 = Fit("random_forest_classifier", f, Params().Set("seed", 1.0));
  EXPECT_NE(Column(*a, f, "probability"), Column(*b, f, "probability"));
  EXPECT_EQ(Column(*a, f, "probability"), Column(*a2, f, "probability"));
  EXPECT_GT(Accuracy(Column(*a, f), d.y), 0.85);
  EXPECT_GT(Accuracy(Column(*b, f), d.y), 0.85);
}

TEST(Trees, SaveLoadRoundTrips) {
  const Data c = Separable(300, 3, 5);
  const Data r = Wavy(300, 5);
  const Frame fc = ToFrame(Rings(500, 6));
  const Frame f3 = ToFrame(c);
  const Frame fr = ToFrame(r);
  for (const char* name : kClassifiers) {
    for (const Frame* f : {&fc, &f3}) {
      auto m = Fit(name, *f, Params().Set("max_depth", 4.0));
      auto bytes = SaveModel(*m);
      auto back = LoadModel(bytes);
      EXPECT_EQ(back->kind(), name);
      EXPECT_EQ(Column(*m, *f, "probability"), Column(*back, *f, "probability")) << name;
      EXPECT_EQ(Column(*m, *f, "raw_prediction"), Column(*back, *f, "raw_prediction"));
      EXPECT_EQ(SaveModel(*back), bytes);
      EXPECT_EQ(m->Describe(), back->Describe());
      bytes.resize(bytes.size() - 9);
      EXPECT_THROW(LoadModel(bytes), CqlError);
    }
  }
  for (const char* name : kRegressors) {
    auto m = Fit(name, fr);
    auto back = LoadModel(SaveModel(*m));
    EXPECT_EQ(Column(*m, fr), Column(*back, fr)) << name;
  }
}

TEST(Trees, FeatureImportancesRankTheInformativeFeature) {
  Data d = Wavy(2000, 8);
  // Feature 0 carries sin(x0) * 3, feature 1 carries x1^2 (smaller), 2 and 3 nothing.
  Attributes attrs;
  attrs.feature_names = {"wave", "bowl", "noise_a", "noise_b"};
  const Frame f = ToFrame(d, false, attrs);
  for (const char* name : kRegressors) {
    auto m = Fit(name, f);
    Frame imp = m->Artifact("feature_importances");
    ASSERT_EQ(imp.num_rows(), 4u);
    EXPECT_EQ(exec::TextAt(imp.Scalar("feature"), 0), "wave") << name;
    EXPECT_EQ(exec::TextAt(imp.Scalar("feature"), 1), "bowl") << name;
    const auto v = imp.Numeric("importance");
    EXPECT_NEAR(std::accumulate(v.begin(), v.end(), 0.0), 1.0, 1e-12);
    EXPECT_TRUE(std::is_sorted(v.rbegin(), v.rend()));
  }
  auto m = Fit("random_forest_classifier", ToFrame(Rings(2000, 9)));
  Frame imp = m->Artifact("feature_importances");
  const std::string top0 = exec::TextAt(imp.Scalar("feature"), 0);
  const std::string top1 = exec::TextAt(imp.Scalar("feature"), 1);
  EXPECT_TRUE((top0 == "f0" && top1 == "f1") || (top0 == "f1" && top1 == "f0"));
  EXPECT_EQ(m->Artifacts(), (std::vector<std::string>{"feature_importances", "trees"}));
  EXPECT_EQ(m->Artifact("trees").num_rows(), 20u);
  EXPECT_THROW(m->Artifact("coefficients"), CqlError);
}

TEST(Trees, BoostingBeatsOneTreeOnNoisyNonlinearData) {
  const Data train = Wavy(4000, 10, 0.5), test = Wavy(2000, 11, 0.5);
  const Frame ftrain = ToFrame(train), ftest = ToFrame(test);
  auto tree = Fit("decision_tree_regressor", ftrain);
  auto gbt = Fit("gbt_regressor", ftrain, Params().Set("max_iter", 100.0));
  const double tree_rmse = Rmse(Column(*tree, ftest), test.y);
  const double gbt_rmse = Rmse(Column(*gbt, ftest), test.y);
  EXPECT_LT(gbt_rmse, tree_rmse * 0.8) << tree_rmse << " vs " << gbt_rmse;
  EXPECT_LT(gbt_rmse, 0.7);

  const Data ctrain = Rings(4000, 12), ctest = Rings(2000, 13);
  auto ctree = Fit("decision_tree_classifier", ToFrame(ctrain), Params().Set("max_depth", 3.0));
  auto cgbt =
      Fit("gbt_classifier", ToFrame(ctrain), Params().Set("max_depth", 3.0).Set("max_iter", 50.0));
  EXPECT_GT(Accuracy(Column(*cgbt, ToFrame(ctest)), ctest.y),
            Accuracy(Column(*ctree, ToFrame(ctest)), ctest.y));
}

TEST(Trees, SparseAndDenseFeaturesGiveTheSameModel) {
  Data d = Rings(1500, 14);
  for (size_t i = 0; i < d.x.size(); ++i) {
    if (i % 3 == 0) d.x[i] = 0;  // plenty of zeros
  }
  const Frame dense = ToFrame(d), sparse = ToFrame(d, true);
  for (const char* name : kClassifiers) {
    auto a = Fit(name, dense);
    auto b = Fit(name, sparse);
    EXPECT_EQ(SaveModel(*a), SaveModel(*b)) << name;
    EXPECT_EQ(Column(*a, dense, "probability"), Column(*b, sparse, "probability")) << name;
  }
}

TEST(Trees, MinInstancesAndDepthAreRespected) {
  const Data d = Wavy(1000, 15);
  auto m = Fit("decision_tree_regressor", ToFrame(d),
               Params().Set("min_instances_per_node", 50.0).Set("max_depth", 10.0));
  const auto* model = dynamic_cast<const TreeRegressorModel*>(m.get());
  ASSERT_NE(model, nullptr);
  const Tree& t = model->ensemble().trees[0];
  EXPECT_LE(t.Depth(), 10);
  for (size_t n = 0; n < t.size(); ++n) EXPECT_GE(t.weight[n], 50) << n;
  auto deep = Fit("decision_tree_regressor", ToFrame(d), Params().Set("max_depth", 12.0));
  EXPECT_GT(dynamic_cast<const TreeRegressorModel*>(deep.get())->ensemble().trees[0].Depth(), 8);
}

TEST(Trees, BoostingStopsEarlyOnValidationRows) {
  Data d = Wavy(3000, 16, 1.0);
  Frame f = ToFrame(d);
  exec::Column val = exec::Column::Make(DataType::Of(TypeKind::kBoolean), d.y.size());
  for (size_t r = 0; r < d.y.size(); ++r) val.AppendInt(r % 4 == 0 ? 1 : 0);
  f.Add("is_val", std::move(val));
  auto m = Fit("gbt_regressor", f,
               Params()
                   .Set("max_iter", 300.0)
                   .Set("step_size", 0.5)
                   .Set("validation_indicator_col", std::string("is_val")));
  const auto* model = dynamic_cast<const TreeRegressorModel*>(m.get());
  ASSERT_NE(model, nullptr);
  EXPECT_LT(model->ensemble().trees.size(), 300u);
  EXPECT_GT(model->ensemble().trees.size(), 2u);
}

TEST(Trees, AbsoluteLossIgnoresOutliers) {
  Data d = Wavy(2000, 17, 0.1);
  const std::vector<double> clean = d.y;
  for (size_t r = 0; r < d.y.size(); r += 10) d.y[r] += 1000;
  auto squared = Fit("gbt_regressor", ToFrame(d), Params().Set("max_iter", 50.0));
  auto absolute = Fit("gbt_regressor", ToFrame(d),
                      Params().Set("max_iter", 50.0).Set("loss_type", std::string("absolute")));
  const Frame f = ToFrame(d);
  EXPECT_LT(Rmse(Column(*absolute, f), clean), Rmse(Column(*squared, f), clean));
}

TEST(Trees, QuantileThresholdsSplitCountsEvenly) {
  std::vector<double> values, counts;
  for (int i = 0; i < 100; ++i) {
    values.push_back(i);
    counts.push_back(1);
  }
  auto thr = QuantileThresholds(values, counts, 4);
  EXPECT_EQ(thr, (std::vector<double>{24.5, 49.5, 74.5}));
  // A heavy value gets its own bin, the rest share the others.
  counts[0] = 1000;
  thr = QuantileThresholds(values, counts, 4);
  ASSERT_EQ(thr.size(), 3u);
  EXPECT_EQ(thr[0], 0.5);
  EXPECT_TRUE(QuantileThresholds({1.0}, {5.0}, 32).empty());
  EXPECT_EQ(QuantileThresholds({1.0, 2.0}, {5.0, 1.0}, 32), (std::vector<double>{1.5}));
}

}  // namespace
}  // namespace helenus::ml
