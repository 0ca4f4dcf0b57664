#include "helenus/ml/evaluator.h"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <map>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"

namespace helenus::ml {
namespace {

constexpr double kTol = 1e-12;

exec::Column Doubles(const std::vector<double>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (double d : v) {
    if (std::isnan(d)) {
      c.AppendNull();
    } else {
      c.AppendDouble(d);
    }
  }
  return c;
}

exec::Column Ints(const std::vector<int64_t>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kInt));
  for (int64_t i : v) c.AppendInt(i);
  return c;
}

Vectors Rows(const std::vector<std::vector<double>>& rows) {
  Vectors v = Vectors::Dense(0, rows[0].size());
  for (const auto& r : rows) v.AppendDense(r);
  return v;
}

// The binary fixture of metrics_test (ties included) as model output:
// probability = (1 - s, s), raw_prediction = (-s, s).
Frame BinaryFrame() {
  const std::vector<double> s = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.4, 0.3, 0.2, 0.2, 0.1};
  const std::vector<double> l = {1, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0};
  std::vector<std::vector<double>> prob, raw;
  std::vector<double> pred;
  for (double v : s) {
    prob.push_back({1 - v, v});
    raw.push_back({-v, v});
    pred.push_back(v > 0.5 ? 1 : 0);
  }
  Frame f;
  f.Add("label", Doubles(l));
  f.Add("score", Doubles(s));
  f.Add("probability", Rows(prob));
  f.Add("raw_prediction", Rows(raw));
  f.Add("prediction", Doubles(pred));
  return f;
}

double Eval(std::string_view name, const Frame& f, Params p = {}) {
  return MakeEvaluator(name, p)->Evaluate(f, Context());
}

TEST(BinaryClassificationEvaluator, AreasMatchScikitLearnAndMLlib) {
  const Frame f = BinaryFrame();
  // roc_auc_score = 0.7857142857142858; MLlib areaUnderPR = 0.7460317460317459.
  EXPECT_NEAR(Eval("binary_classification_evaluator", f), 0.7857142857142858, kTol);
  EXPECT_NEAR(Eval("BinaryClassificationEvaluator", f,
                   Params().Set("metricName", std::string("areaUnderPR"))),
              0.7460317460317459, kTol);
  // P(1), a plain score column and exact curves agree on the same ranking.
  EXPECT_NEAR(
      Eval("binary_classification", f,
           Params().Set("raw_prediction_col", std::string("probability")).Set("num_bins", 0.0)),
      0.7857142857142858, kTol);
  EXPECT_NEAR(
      Eval("binary_classification", f, Params().Set("raw_prediction_col", std::string("score"))),
      0.7857142857142858, kTol);
  auto e = MakeEvaluator("binary_classification_evaluator");
  EXPECT_EQ(e->metric_name(), "areaUnderROC");
  EXPECT_TRUE(e->larger_is_better());
  EXPECT_EQ(e->kind(), "binary_classification_evaluator");
}

TEST(Evaluators, UnknownNamesAndBadParamsAreInvalid) {
  EXPECT_THROW(MakeEvaluator("nope"), CqlError);
  EXPECT_THROW(MakeEvaluator("regression", Params().Set("metric_name", std::string("auc"))),
               CqlError);
  EXPECT_THROW(MakeEvaluator("ranking", Params().Set("k", 0.0)), CqlError);
  EXPECT_THROW(MakeEvaluator("clustering", Params().Set("bogus", 1.0)), CqlError);
  const Frame f = BinaryFrame();
  EXPECT_THROW(Eval("regression", f, Params().Set("label_col", std::string("missing"))), CqlError);
  EXPECT_EQ(Evaluators().size(), 5u);
}

// The multiclass fixture of metrics_test (scikit-learn values there).
Frame MulticlassFrame() {
  Frame f;
  f.Add("label", Doubles({0, 1, 2, 2, 1, 0, 0, 2, 1, 1, 0, 2}));
  f.Add("prediction", Doubles({0, 2, 2, 2, 1, 0, 1, 0, 1, 1, 3, 1}));
  f.Add("w", Doubles({1, 2, 1, 1, 0.5, 1, 3, 1, 1, 2, 1, 1.5}));
  return f;
}

TEST(MulticlassClassificationEvaluator, MetricsMatchScikitLearn) {
  const Frame f = MulticlassFrame();
  auto m = [&](const char* metric, Params p = {}) {
    p.Set("metric_name", std::string(metric));
    return Eval("multiclass_classification_evaluator", f, p);
  };
  EXPECT_NEAR(Eval("multiclass_classification_evaluator", f), 0.6031746031746033, kTol);  // f1
  EXPECT_NEAR(m("accuracy"), 0.5833333333333334, kTol);
  EXPECT_NEAR(m("weightedPrecision"), 0.6444444444444444, kTol);
  EXPECT_NEAR(m("weightedRecall"), 0.5833333333333334, kTol);
  EXPECT_NEAR(m("weightedFMeasure", Params().Set("beta", 2.0)), 0.5889724310776941, kTol);
  EXPECT_NEAR(m("precisionByLabel", Params().Set("metric_label", 1.0)), 0.6, kTol);
  EXPECT_NEAR(m("recallByLabel", Params().Set("metric_label", 1.0)), 0.75, kTol);
  EXPECT_NEAR(m("fMeasureByLabel", Params().Set("metric_label", 2.0)), 0.5714285714285715, kTol);
  EXPECT_NEAR(m("falsePositiveRateByLabel", Params().Set("metric_label", 1.0)), 0.25, kTol);
  EXPECT_NEAR(m("hammingLoss"), 0.4166666666666667, kTol);
  EXPECT_NEAR(m("weightedPrecision", Params().Set("weight_col", std::string("w"))), 0.541015625,
              kTol);
  EXPECT_FALSE(MakeEvaluator("multiclass_classification_evaluator",
                             Params().Set("metric_name", std::string("logLoss")))
                   ->larger_is_better());
  EXPECT_TRUE(MakeEvaluator("multiclass_classification_evaluator")->larger_is_better());
}

TEST(MulticlassClassificationEvaluator, LogLossReadsProbabilities) {
  Frame f;
  f.Add("label", Doubles({0, 1, 2}));
  f.Add("prediction", Doubles({0, 1, 0}));
  f.Add("probability", Rows({{0.7, 0.2, 0.1}, {0.1, 0.8, 0.1}, {0.5, 0.3, 0.2}}));
  const double expected = -(std::log(0.7) + std::log(0.8) + std::log(0.2)) / 3;
  EXPECT_NEAR(Eval("multiclass_classification_evaluator", f,
                   Params().Set("metric_name", std::string("logLoss"))),
              expected, kTol);
}

TEST(RegressionEvaluator, MetricsAndNullRowsSkipped) {
  Frame f;
  // The scikit-learn fixture of metrics_test plus a row with a NULL prediction.
  f.Add("label", Doubles({3, -0.5, 2, 7, 4.2, 1.1, 100}));
  f.Add("prediction", Doubles({2.5, 0.0, 2, 8, 3.9, 1.5, std::nan("")}));
  auto m = [&](const char* metric) {
    return Eval("regression_evaluator", f, Params().Set("metric_name", std::string(metric)));
  };
  EXPECT_NEAR(Eval("regression_evaluator", f), 0.5400617248673217, kTol);  // rmse
  EXPECT_NEAR(m("mse"), 0.2916666666666667, kTol);
  EXPECT_NEAR(m("mae"), 0.45, kTol);
  EXPECT_NEAR(m("r2"), 0.9486200822078684, kTol);
  EXPECT_NEAR(m("var"), 6.418333333333332, kTol);
  EXPECT_FALSE(MakeEvaluator("regression_evaluator")->larger_is_better());
  EXPECT_TRUE(MakeEvaluator("regression_evaluator", Params().Set("metric_name", std::string("r2")))
                  ->larger_is_better());
  Frame empty;
  empty.Add("label", Doubles({1}));
  empty.Add("prediction", Doubles({std::nan("")}));
  EXPECT_THROW(Eval("regression_evaluator", empty), CqlError);
}

TEST(ClusteringEvaluator, SilhouetteMatchesScikitLearn) {
  Frame f;
  f.Add("features", Rows({{1, 1},
                          {1.5, 2},
                          {2, 1.2},
                          {1.2, 1.7},
                          {8, 8},
                          {8.5, 9},
                          {9, 8.2},
                          {7.5, 8.8},
                          {1, 8},
                          {2, 9},
                          {1.5, 8.5},
                          {5, 5}}));
  f.Add("prediction", Ints({0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 1}));
  // silhouette_score(metric='sqeuclidean') and (metric='cosine')
  EXPECT_NEAR(Eval("clustering_evaluator", f), 0.8610318554288786, 1e-12);
  EXPECT_NEAR(
      Eval("ClusteringEvaluator", f, Params().Set("distance_measure", std::string("cosine"))),
      0.3794522548091306, 1e-12);
}

// A CQL list<int> value: [n][len][big-endian int]...
std::string ListOfInts(const std::vector<int32_t>& items) {
  std::string out;
  auto put = [&](uint32_t x) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((x >> s) & 0xff));
  };
  put(static_cast<uint32_t>(items.size()));
  for (int32_t v : items) {
    put(4);
    put(static_cast<uint32_t>(v));
  }
  return out;
}

TEST(RankingEvaluator, ReadsListColumnsLikeMLlib) {
  const DataType list_int = DataType::List(DataType::Of(TypeKind::kInt), true);
  exec::Column pred = exec::Column::Make(list_int), label = exec::Column::Make(list_int);
  pred.AppendString(ListOfInts({1, 6, 2, 7, 8, 3, 9, 10, 4, 5}));
  label.AppendString(ListOfInts({1, 2, 3, 4, 5}));
  pred.AppendString(ListOfInts({4, 1, 5, 6, 2, 7, 3, 8, 9, 10}));
  label.AppendString(ListOfInts({1, 2, 3}));
  pred.AppendString(ListOfInts({1, 2, 3, 4, 5}));
  label.AppendString(ListOfInts({}));
  pred.AppendNull();  // skipped
  label.AppendString(ListOfInts({1}));
  Frame f;
  f.Add("prediction", std::move(pred));
  f.Add("label", std::move(label));
  auto m = [&](const char* metric, double k) {
    return Eval("ranking_evaluator", f,
                Params().Set("metric_name", std::string(metric)).Set("k", k));
  };
  EXPECT_NEAR(Eval("ranking_evaluator", f), 0.35502645502645497, kTol);
  EXPECT_NEAR(m("precisionAtK", 5), 0.8 / 3, kTol);
  EXPECT_NEAR(m("ndcgAtK", 10), 0.48791274569166343, kTol);
  EXPECT_NEAR(m("recallAtK", 15), 2.0 / 3, kTol);
  EXPECT_NEAR(m("meanAveragePrecisionAtK", 2), 0.25, kTol);

  // Vector columns work too (each row's values in order).
  Frame g;
  g.Add("prediction", Rows({{1, 6, 2}, {4, 1, 5}}));
  g.Add("label", Rows({{1, 2}, {1, 2}}));
  EXPECT_NEAR(Eval("ranking_evaluator", g,
                   Params().Set("metric_name", std::string("precisionAtK")).Set("k", 3.0)),
              (2.0 / 3 + 1.0 / 3) / 2, kTol);
  Frame bad;
  bad.Add("prediction", Doubles({1}));
  bad.Add("label", Doubles({1}));
  EXPECT_THROW(Eval("ranking_evaluator", bad), CqlError);
}

std::map<std::string, double> AsMap(const std::vector<std::pair<std::string, double>>& r) {
  return {r.begin(), r.end()};
}

TEST(EvaluateAll, ClassificationReport) {
  const Frame f = BinaryFrame();
  const auto report = EvaluateAll(Task::kClassification, f, PredictorColumns());
  std::vector<std::string> names;
  for (const auto& [n, v] : report) names.push_back(n);
  EXPECT_EQ(names, (std::vector<std::string>{"accuracy", "weightedPrecision", "weightedRecall",
                                             "f1", "logLoss", "areaUnderROC", "areaUnderPR"}));
  auto m = AsMap(report);
  std::vector<double> label = f.Numeric("label"), pred = f.Numeric("prediction");
  const ConfusionMatrix cm = ComputeConfusionMatrix(label, pred);
  EXPECT_NEAR(m["accuracy"], Accuracy(cm), kTol);
  EXPECT_NEAR(m["f1"], WeightedFMeasure(cm), kTol);
  EXPECT_NEAR(m["areaUnderROC"], 0.7857142857142858, kTol);
  EXPECT_NEAR(m["areaUnderPR"], 0.7460317460317459, kTol);
  // Multiclass: no areas, no log loss without probabilities.
  auto multi = AsMap(EvaluateAll(Task::kClassification, MulticlassFrame(), PredictorColumns()));
  EXPECT_EQ(multi.size(), 4u);
  EXPECT_NEAR(multi["weightedPrecision"], 0.6444444444444444, kTol);
}

TEST(EvaluateAll, RegressionAndClusteringReports) {
  Frame f;
  f.Add("label", Doubles({3, -0.5, 2, 7, 4.2, 1.1}));
  f.Add("prediction", Doubles({2.5, 0.0, 2, 8, 3.9, 1.5}));
  auto m = AsMap(EvaluateAll(Task::kRegression, f, PredictorColumns()));
  EXPECT_EQ(m.size(), 5u);
  EXPECT_NEAR(m["rmse"], 0.5400617248673217, kTol);
  EXPECT_NEAR(m["r2"], 0.9486200822078684, kTol);
  EXPECT_NEAR(m["var"], 6.418333333333332, kTol);
  Frame c;
  c.Add("features", Rows({{0, 0}, {0, 1}, {10, 10}, {10, 11}}));
  c.Add("prediction", Ints({0, 0, 1, 1}));
  auto s = EvaluateAll(Task::kClustering, c, PredictorColumns());
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].first, "silhouette");
  EXPECT_GT(s[0].second, 0.9);
  EXPECT_THROW(EvaluateAll(Task::kFeature, c, PredictorColumns()), CqlError);
}

TEST(ConfusionMatrixFrame, TumourFixtureAsRows) {
  std::vector<double> label(100, 0.0), pred(100, 0.0);
  for (int i = 0; i < 9; ++i) label[i] = 1;
  pred[0] = 1;
  pred[50] = 1;
  Frame f;
  Attributes names;
  names.labels = {"benign", "malignant"};
  f.Add("label", Doubles(label), names);
  f.Add("prediction", Doubles(pred));
  const Frame cm = ConfusionMatrixFrame(f);
  ASSERT_EQ(cm.num_rows(), 4u);
  EXPECT_EQ(cm.Numeric("label"), (std::vector<double>{0, 0, 1, 1}));
  EXPECT_EQ(cm.Numeric("predicted"), (std::vector<double>{0, 1, 0, 1}));
  EXPECT_EQ(cm.Numeric("count"), (std::vector<double>{90, 1, 8, 1}));
  EXPECT_EQ(cm.Scalar("label_name").strings,
            (std::vector<std::string>{"benign", "benign", "malignant", "malignant"}));
  EXPECT_EQ(cm.Scalar("predicted_name").strings[1], "malignant");
}

TEST(RocCurveFrame, ThresholdsAndRates) {
  const Frame roc = RocCurveFrame(BinaryFrame());
  ASSERT_EQ(roc.num_rows(), 9u);
  EXPECT_TRUE(std::isinf(roc.Numeric("threshold")[0]));
  EXPECT_EQ(roc.Numeric("threshold")[1], 0.9);
  EXPECT_NEAR(roc.Numeric("fpr")[4], 3.0 / 7, kTol);
  EXPECT_NEAR(roc.Numeric("tpr")[4], 0.8, kTol);
  const Frame pr = PrCurveFrame(BinaryFrame(), "label", "score");
  ASSERT_EQ(pr.num_rows(), 9u);
  EXPECT_EQ(pr.Numeric("recall")[0], 0.0);
  EXPECT_EQ(pr.Numeric("precision")[0], 1.0);
}

}  // namespace
}  // namespace helenus::ml
