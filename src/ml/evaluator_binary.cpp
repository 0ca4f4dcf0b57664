#include "helenus/common/error.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

namespace {

std::vector<ParamSpec> Specs() {
  return {
      StringParam("metric_name", "areaUnderROC", "metric to compute",
                  {"areaUnderROC", "areaUnderPR"}),
      StringParam("raw_prediction_col", "raw_prediction",
                  "score column: a number, or a vector whose slot 1 scores class 1"),
      StringParam("label_col", "label", "label column (> 0.5 is positive)"),
      StringParam("weight_col", "", "row weight column ('' = every row weighs 1)"),
      IntParam("num_bins", 1000, "curve points kept (MLlib's down-sampling; 0 = exact curves)", 0,
               1e9),
  };
}

class BinaryClassificationEvaluator final : public Evaluator {
 public:
  explicit BinaryClassificationEvaluator(const Params& p)
      : metric_(p.String(Specs(), "metric_name")),
        score_col_(p.String(Specs(), "raw_prediction_col")),
        label_col_(p.String(Specs(), "label_col")),
        weight_col_(p.String(Specs(), "weight_col")),
        num_bins_(static_cast<size_t>(p.Int(Specs(), "num_bins"))) {}

  std::string kind() const override { return "binary_classification_evaluator"; }
  std::string metric_name() const override { return metric_; }
  bool larger_is_better() const override { return true; }

  double Evaluate(const Frame& f, const Context& ctx) const override {
    using namespace evaluation;
    std::vector<double> scores = BinaryScoresOf(f, score_col_);
    std::vector<double> labels = NumbersOf(f, label_col_);
    std::vector<double> weights = WeightsOf(f, weight_col_);
    const size_t n = f.num_rows();
    const auto rows = CompleteRows(n, {{&scores}, {&labels}, {&weights}});
    RequireRows(rows, "a label and a score");
    KeepRows(&scores, rows, n);
    KeepRows(&labels, rows, n);
    KeepRows(&weights, rows, n);
    const BinaryConfusions c = ComputeBinaryConfusions(scores, labels, weights, num_bins_);
    return metric_ == "areaUnderPR" ? AreaUnderPr(c) : AreaUnderRoc(c);
  }

 private:
  std::string metric_;
  std::string score_col_;
  std::string label_col_;
  std::string weight_col_;
  size_t num_bins_;
};

}  // namespace

EvaluatorSpec BinaryClassificationEvaluatorSpec() {
  return {"binary_classification_evaluator",
          "area under the ROC or precision-recall curve of a binary classifier's scores", Specs(),
          [](const Params& p) { return std::make_unique<BinaryClassificationEvaluator>(p); }};
}

}  // namespace helenus::ml
