#include "helenus/ml/evaluator.h"

#include <fmt/format.h>

#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

using namespace evaluation;

const std::vector<EvaluatorSpec>& Evaluators() {
  static const std::vector<EvaluatorSpec> specs = {
      BinaryClassificationEvaluatorSpec(),
      MulticlassClassificationEvaluatorSpec(),
      RegressionEvaluatorSpec(),
      ClusteringEvaluatorSpec(),
      RankingEvaluatorSpec(),
  };
  return specs;
}

const EvaluatorSpec* FindEvaluator(std::string_view name) {
  const std::string snake = SnakeCase(name);
  for (const EvaluatorSpec& s : Evaluators()) {
    if (s.name == snake || s.name == snake + "_evaluator") return &s;
  }
  return nullptr;
}

std::unique_ptr<Evaluator> MakeEvaluator(std::string_view name, const Params& params) {
  const EvaluatorSpec* spec = FindEvaluator(name);
  if (spec == nullptr) {
    std::vector<std::string_view> known;
    for (const EvaluatorSpec& s : Evaluators()) known.push_back(s.name);
    ThrowInvalid("Unknown evaluator {}; known evaluators: {}", name, fmt::join(known, ", "));
  }
  params.Validate(spec->params, spec->name);
  return spec->make(params);
}

namespace {

using Report = std::vector<std::pair<std::string, double>>;

bool HasVectorColumn(const Frame& f, std::string_view name) {
  const int i = name.empty() ? -1 : f.Find(name);
  return i >= 0 && f.column(static_cast<size_t>(i)).is_vector();
}

bool HasColumn(const Frame& f, std::string_view name) {
  return !name.empty() && f.Find(name) >= 0;
}

void ClassificationReport(const Frame& f, const PredictorColumns& cols, Report* out) {
  const size_t n = f.num_rows();
  std::vector<double> labels = NumbersOf(f, cols.label);
  std::vector<double> predictions = NumbersOf(f, cols.prediction);
  std::vector<double> weights = WeightsOf(f, cols.weight);
  {
    std::vector<double> y = labels, p = predictions, w = weights;
    const auto rows = CompleteRows(n, {{&y}, {&p}, {&w}});
    RequireRows(rows, "a label and a prediction");
    KeepRows(&y, rows, n);
    KeepRows(&p, rows, n);
    KeepRows(&w, rows, n);
    const ConfusionMatrix cm = ComputeConfusionMatrix(y, p, w);
    out->emplace_back("accuracy", Accuracy(cm));
    out->emplace_back("weightedPrecision", WeightedPrecision(cm));
    out->emplace_back("weightedRecall", WeightedRecall(cm));
    out->emplace_back("f1", WeightedFMeasure(cm));
  }
  size_t k = 0;
  std::vector<double> probabilities;
  if (HasVectorColumn(f, cols.probability)) {
    probabilities = DenseRowsOf(f, cols.probability, &k);
    std::vector<double> y = labels, p = probabilities, w = weights;
    const auto rows = CompleteRows(n, {{&y}, {&p, k}, {&w}});
    if (!rows.empty() && k > 0) {
      KeepRows(&y, rows, n);
      KeepRows(&p, rows, n, k);
      KeepRows(&w, rows, n);
      out->emplace_back("logLoss", LogLoss(y, p, k, w));
    }
  }
  double max_class = 0;
  for (double v : labels) max_class = std::isnan(v) ? max_class : std::max(max_class, v);
  for (double v : predictions) max_class = std::isnan(v) ? max_class : std::max(max_class, v);
  if (max_class > 1 || k > 2) return;
  // P(1) ranks rows by the model's belief in class 1; slot 1 of the raw
  // scores (MLlib's choice) does not for every model (naive Bayes' raw
  // scores are per-class log joint likelihoods).
  std::vector<double> scores;
  if (k == 2) {
    scores = BinaryScoresOf(f, cols.probability);
  } else if (HasColumn(f, cols.raw_prediction) && (!HasVectorColumn(f, cols.raw_prediction) ||
                                                   f.VectorsOf(cols.raw_prediction).dim == 2)) {
    scores = BinaryScoresOf(f, cols.raw_prediction);
  } else {
    return;
  }
  std::vector<double> y = labels, w = weights;
  const auto rows = CompleteRows(n, {{&y}, {&scores}, {&w}});
  if (rows.empty()) return;
  KeepRows(&y, rows, n);
  KeepRows(&scores, rows, n);
  KeepRows(&w, rows, n);
  const BinaryConfusions c = ComputeBinaryConfusions(scores, y, w);
  out->emplace_back("areaUnderROC", AreaUnderRoc(c));
  out->emplace_back("areaUnderPR", AreaUnderPr(c));
}

void RegressionReport(const Frame& f, const PredictorColumns& cols, Report* out) {
  const size_t n = f.num_rows();
  std::vector<double> labels = NumbersOf(f, cols.label);
  std::vector<double> predictions = NumbersOf(f, cols.prediction);
  std::vector<double> weights = WeightsOf(f, cols.weight);
  const auto rows = CompleteRows(n, {{&labels}, {&predictions}, {&weights}});
  RequireRows(rows, "a label and a prediction");
  KeepRows(&labels, rows, n);
  KeepRows(&predictions, rows, n);
  KeepRows(&weights, rows, n);
  const RegressionMetrics m = ComputeRegressionMetrics(labels, predictions, weights);
  out->emplace_back("rmse", m.rmse);
  out->emplace_back("mse", m.mse);
  out->emplace_back("mae", m.mae);
  out->emplace_back("r2", m.r2);
  out->emplace_back("var", m.explained_variance);
}

}  // namespace

std::vector<std::pair<std::string, double>> EvaluateAll(Task task, const Frame& f,
                                                        const PredictorColumns& columns,
                                                        const Context& ctx) {
  Report out;
  switch (task) {
    case Task::kClassification:
      ClassificationReport(f, columns, &out);
      break;
    case Task::kRegression:
    case Task::kRecommendation:
      RegressionReport(f, columns, &out);
      break;
    case Task::kClustering: {
      Params p;
      p.Set("features_col", columns.features);
      p.Set("prediction_col", columns.prediction);
      p.Set("weight_col", columns.weight);
      out.emplace_back("silhouette", MakeEvaluator("clustering_evaluator", p)->Evaluate(f, ctx));
      break;
    }
    default:
      ThrowInvalid("No standard evaluation for {} models", TaskName(task));
  }
  return out;
}

Frame ConfusionMatrixFrame(const Frame& f, std::string_view label_col,
                           std::string_view prediction_col) {
  const size_t n = f.num_rows();
  std::vector<double> labels = NumbersOf(f, label_col);
  std::vector<double> predictions = NumbersOf(f, prediction_col);
  const auto rows = CompleteRows(n, {{&labels}, {&predictions}});
  KeepRows(&labels, rows, n);
  KeepRows(&predictions, rows, n);
  std::vector<std::string> names = f.AttrsOf(label_col).labels;
  if (names.empty()) names = f.AttrsOf(prediction_col).labels;
  const ConfusionMatrix cm = ComputeConfusionMatrix(labels, predictions, {}, names.size());
  const size_t k = cm.num_classes;
  std::vector<double> truth, predicted;
  std::vector<int64_t> count;
  std::vector<std::string> truth_name, predicted_name;
  for (size_t t = 0; t < k; ++t) {
    for (size_t p = 0; p < k; ++p) {
      truth.push_back(static_cast<double>(t));
      predicted.push_back(static_cast<double>(p));
      count.push_back(static_cast<int64_t>(cm.at(t, p)));
      if (!names.empty()) {
        truth_name.push_back(t < names.size() ? names[t] : std::to_string(t));
        predicted_name.push_back(p < names.size() ? names[p] : std::to_string(p));
      }
    }
  }
  Frame out;
  out.Add("label", DoubleColumn(truth));
  out.Add("predicted", DoubleColumn(predicted));
  out.Add("count", BigintColumn(count));
  if (!names.empty()) {
    out.Add("label_name", TextColumn(truth_name));
    out.Add("predicted_name", TextColumn(predicted_name));
  }
  return out;
}

namespace {

BinaryConfusions ExactConfusions(const Frame& f, std::string_view label_col,
                                 std::string_view score_col) {
  const size_t n = f.num_rows();
  std::vector<double> labels = NumbersOf(f, label_col);
  std::vector<double> scores = BinaryScoresOf(f, score_col);
  const auto rows = CompleteRows(n, {{&labels}, {&scores}});
  RequireRows(rows, "a label and a score");
  KeepRows(&labels, rows, n);
  KeepRows(&scores, rows, n);
  return ComputeBinaryConfusions(scores, labels);
}

}  // namespace

Frame RocCurveFrame(const Frame& f, std::string_view label_col, std::string_view score_col) {
  std::vector<double> threshold, fpr, tpr;
  for (const RocPoint& p : RocCurve(ExactConfusions(f, label_col, score_col))) {
    threshold.push_back(p.threshold);
    fpr.push_back(p.fpr);
    tpr.push_back(p.tpr);
  }
  Frame out;
  out.Add("threshold", DoubleColumn(threshold));
  out.Add("fpr", DoubleColumn(fpr));
  out.Add("tpr", DoubleColumn(tpr));
  return out;
}

Frame PrCurveFrame(const Frame& f, std::string_view label_col, std::string_view score_col) {
  std::vector<double> threshold, recall, precision;
  for (const PrPoint& p : PrCurve(ExactConfusions(f, label_col, score_col))) {
    threshold.push_back(p.threshold);
    recall.push_back(p.recall);
    precision.push_back(p.precision);
  }
  Frame out;
  out.Add("threshold", DoubleColumn(threshold));
  out.Add("recall", DoubleColumn(recall));
  out.Add("precision", DoubleColumn(precision));
  return out;
}

}  // namespace helenus::ml
