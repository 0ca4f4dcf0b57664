#include "helenus/common/error.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

namespace {

std::vector<ParamSpec> Specs() {
  return {
      StringParam("metric_name", "rmse", "metric to compute", {"rmse", "mse", "r2", "mae", "var"}),
      StringParam("label_col", "label", "label column"),
      StringParam("prediction_col", "prediction", "prediction column"),
      StringParam("weight_col", "", "row weight column ('' = every row weighs 1)"),
      BoolParam("through_origin", false, "r2 of a regression through the origin"),
  };
}

class RegressionEvaluator final : public Evaluator {
 public:
  explicit RegressionEvaluator(const Params& p)
      : metric_(p.String(Specs(), "metric_name")),
        label_col_(p.String(Specs(), "label_col")),
        prediction_col_(p.String(Specs(), "prediction_col")),
        weight_col_(p.String(Specs(), "weight_col")),
        through_origin_(p.Bool(Specs(), "through_origin")) {}

  std::string kind() const override { return "regression_evaluator"; }
  std::string metric_name() const override { return metric_; }
  bool larger_is_better() const override { return metric_ == "r2" || metric_ == "var"; }

  double Evaluate(const Frame& f, const Context& ctx) const override {
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
    const RegressionMetrics m =
        ComputeRegressionMetrics(labels, predictions, weights, through_origin_);
    if (metric_ == "mse") return m.mse;
    if (metric_ == "r2") return m.r2;
    if (metric_ == "mae") return m.mae;
    if (metric_ == "var") return m.explained_variance;
    return m.rmse;
  }

 private:
  std::string metric_;
  std::string label_col_;
  std::string prediction_col_;
  std::string weight_col_;
  bool through_origin_;
};

}  // namespace

EvaluatorSpec RegressionEvaluatorSpec() {
  return {"regression_evaluator", "error of a regressor's predictions against the labels", Specs(),
          [](const Params& p) { return std::make_unique<RegressionEvaluator>(p); }};
}

}  // namespace helenus::ml
