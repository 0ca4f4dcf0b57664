#include <algorithm>

#include "helenus/common/error.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

namespace {

std::vector<ParamSpec> Specs() {
  return {
      StringParam("metric_name", "f1", "metric to compute",
                  {"f1", "accuracy", "weightedPrecision", "weightedRecall",
                   "weightedTruePositiveRate", "weightedFalsePositiveRate", "weightedFMeasure",
                   "truePositiveRateByLabel", "falsePositiveRateByLabel", "precisionByLabel",
                   "recallByLabel", "fMeasureByLabel", "logLoss", "hammingLoss"}),
      StringParam("label_col", "label", "label column"),
      StringParam("prediction_col", "prediction", "prediction column"),
      StringParam("probability_col", "probability", "class probability column (logLoss)"),
      StringParam("weight_col", "", "row weight column ('' = every row weighs 1)"),
      DoubleParam("metric_label", 0.0, "the class of the ...ByLabel metrics", 0, 1e9),
      DoubleParam("beta", 1.0, "beta of weightedFMeasure and fMeasureByLabel", 0, 1e300),
      DoubleParam("eps", 1e-15, "probabilities are clipped to [eps, 1 - eps] (logLoss)", 1e-300,
                  0.4999999),
  };
}

class MulticlassClassificationEvaluator final : public Evaluator {
 public:
  explicit MulticlassClassificationEvaluator(const Params& p)
      : metric_(p.String(Specs(), "metric_name")),
        label_col_(p.String(Specs(), "label_col")),
        prediction_col_(p.String(Specs(), "prediction_col")),
        probability_col_(p.String(Specs(), "probability_col")),
        weight_col_(p.String(Specs(), "weight_col")),
        metric_label_(p.Double(Specs(), "metric_label")),
        beta_(p.Double(Specs(), "beta")),
        eps_(p.Double(Specs(), "eps")) {
    if (metric_label_ != static_cast<double>(static_cast<size_t>(metric_label_))) {
      ThrowInvalid("metric_label must be a class index, got {}", metric_label_);
    }
  }

  std::string kind() const override { return "multiclass_classification_evaluator"; }
  std::string metric_name() const override { return metric_; }
  bool larger_is_better() const override {
    return metric_ != "weightedFalsePositiveRate" && metric_ != "falsePositiveRateByLabel" &&
           metric_ != "logLoss" && metric_ != "hammingLoss";
  }

  double Evaluate(const Frame& f, const Context& ctx) const override {
    return metric_ == "logLoss" ? EvaluateLogLoss(f) : EvaluateCounts(f);
  }

 private:
  double EvaluateLogLoss(const Frame& f) const {
    using namespace evaluation;
    std::vector<double> labels = NumbersOf(f, label_col_);
    size_t k = 0;
    std::vector<double> probabilities = DenseRowsOf(f, probability_col_, &k);
    std::vector<double> weights = WeightsOf(f, weight_col_);
    const size_t n = f.num_rows();
    const auto rows = CompleteRows(n, {{&labels}, {&probabilities, k}, {&weights}});
    RequireRows(rows, "a label and probabilities");
    KeepRows(&labels, rows, n);
    KeepRows(&probabilities, rows, n, k);
    KeepRows(&weights, rows, n);
    return LogLoss(labels, probabilities, k, weights, eps_);
  }

  double EvaluateCounts(const Frame& f) const {
    using namespace evaluation;
    std::vector<double> labels = NumbersOf(f, label_col_);
    std::vector<double> predictions = NumbersOf(f, prediction_col_);
    std::vector<double> weights = WeightsOf(f, weight_col_);
    const size_t n = f.num_rows();
    const auto rows = CompleteRows(n, {{&labels}, {&predictions}, {&weights}});
    RequireRows(rows, "a label and a prediction");
    KeepRows(&labels, rows, n);
    KeepRows(&predictions, rows, n);
    KeepRows(&weights, rows, n);
    const ConfusionMatrix cm = ComputeConfusionMatrix(labels, predictions, weights);
    const size_t c = static_cast<size_t>(metric_label_);
    if (metric_ == "f1") return WeightedFMeasure(cm, 1.0);
    if (metric_ == "accuracy") return Accuracy(cm);
    if (metric_ == "weightedPrecision") return WeightedPrecision(cm);
    if (metric_ == "weightedRecall" || metric_ == "weightedTruePositiveRate") {
      return WeightedRecall(cm);
    }
    if (metric_ == "weightedFalsePositiveRate") return WeightedFalsePositiveRate(cm);
    if (metric_ == "weightedFMeasure") return WeightedFMeasure(cm, beta_);
    if (metric_ == "truePositiveRateByLabel" || metric_ == "recallByLabel") {
      return Recall(cm, c);
    }
    if (metric_ == "falsePositiveRateByLabel") return FalsePositiveRate(cm, c);
    if (metric_ == "precisionByLabel") return Precision(cm, c);
    if (metric_ == "fMeasureByLabel") return FMeasure(cm, c, beta_);
    return HammingLoss(cm);
  }

  std::string metric_;
  std::string label_col_;
  std::string prediction_col_;
  std::string probability_col_;
  std::string weight_col_;
  double metric_label_;
  double beta_;
  double eps_;
};

}  // namespace

EvaluatorSpec MulticlassClassificationEvaluatorSpec() {
  return {"multiclass_classification_evaluator",
          "accuracy, weighted precision / recall / F-measure, per-class rates or log loss of a "
          "classifier",
          Specs(),
          [](const Params& p) { return std::make_unique<MulticlassClassificationEvaluator>(p); }};
}

}  // namespace helenus::ml
