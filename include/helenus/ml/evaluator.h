#pragma once

// MLlib's evaluators: read a model's output columns from a Frame and return
// one metric. Built by name + Params (MakeEvaluator), like estimators.
// Rows where a column the evaluator reads is NULL or NaN are skipped (e.g. a
// model's NULL prediction for a NULL feature vector, ALS's cold-start NaN);
// an evaluation with no row left is Invalid.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/ml/context.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/params.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {

// Something that scores a transformed Frame with one number.
class Evaluator {
 public:
  virtual ~Evaluator() = default;
  // The registry name, e.g. "binary_classification_evaluator".
  virtual std::string kind() const = 0;
  // The metric of f (a frame a model has transformed).
  virtual double Evaluate(const Frame& f, const Context& ctx) const = 0;
  // The metric computed, as MLlib names it ("areaUnderROC", "rmse", ...).
  virtual std::string metric_name() const = 0;
  // True when a larger metric means a better model (false for rmse, logLoss, ...).
  virtual bool larger_is_better() const = 0;
};
using EvaluatorPtr = std::shared_ptr<const Evaluator>;

// A registered evaluator: name, documentation, parameters, constructor.
struct EvaluatorSpec {
  std::string name;  // snake_case, e.g. "regression_evaluator"
  std::string doc;   // one line
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Evaluator>(const Params&)> make;  // params already validated
};

// The MLlib evaluators: binary_classification_evaluator (metric_name
// areaUnderROC | areaUnderPR, raw_prediction_col, label_col, weight_col,
// num_bins 1000), multiclass_classification_evaluator (f1 | accuracy |
// weightedPrecision | weightedRecall | weightedFMeasure | ...ByLabel |
// logLoss | hammingLoss; metric_label, beta, eps), regression_evaluator
// (rmse | mse | r2 | mae | var; through_origin), clustering_evaluator
// (silhouette; distance_measure squaredEuclidean | cosine) and
// ranking_evaluator (meanAveragePrecision | meanAveragePrecisionAtK |
// precisionAtK | ndcgAtK | recallAtK; k 10).
const std::vector<EvaluatorSpec>& Evaluators();
// The spec called name (snake_case or MLlib's CamelCase, with or without the
// "_evaluator" suffix); nullptr when unknown.
const EvaluatorSpec* FindEvaluator(std::string_view name);
// Validates params and builds the evaluator; Invalid for an unknown name or bad params.
std::unique_ptr<Evaluator> MakeEvaluator(std::string_view name, const Params& params = {});

// The specs, one per evaluator file (Evaluators() lists them all).
EvaluatorSpec BinaryClassificationEvaluatorSpec();
EvaluatorSpec MulticlassClassificationEvaluatorSpec();
EvaluatorSpec RegressionEvaluatorSpec();
EvaluatorSpec ClusteringEvaluatorSpec();
EvaluatorSpec RankingEvaluatorSpec();

// The standard report of a model's output f:
//   classification: accuracy, weightedPrecision, weightedRecall, f1, logLoss
//     (when columns.probability is a vector column), and when there are at
//     most two classes areaUnderROC and areaUnderPR (exact curves; scores are
//     P(1) from the probability column, else slot 1 of raw_prediction);
//   regression and recommendation: rmse, mse, mae, r2, var (label vs prediction);
//   clustering: silhouette (squared euclidean, features vs prediction).
// Invalid for other tasks.
std::vector<std::pair<std::string, double>> EvaluateAll(Task task, const Frame& f,
                                                        const PredictorColumns& columns,
                                                        const Context& ctx = Context());

// The confusion matrix as rows (label double, predicted double, count bigint),
// every (label, predicted) cell in order; when the label (or prediction)
// column carries label names, label_name and predicted_name text columns too.
Frame ConfusionMatrixFrame(const Frame& f, std::string_view label_col = "label",
                           std::string_view prediction_col = "prediction");
// The exact ROC curve as rows (threshold, fpr, tpr); score_col is a number
// column or a vector column whose slot 1 is the score (raw_prediction, probability).
Frame RocCurveFrame(const Frame& f, std::string_view label_col = "label",
                    std::string_view score_col = "probability");
// The exact precision-recall curve as rows (threshold, recall, precision), MLlib's pr().
Frame PrCurveFrame(const Frame& f, std::string_view label_col = "label",
                   std::string_view score_col = "probability");

}  // namespace helenus::ml
