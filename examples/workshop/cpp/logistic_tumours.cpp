// Workshop exercise 6: logistic regression on breast tumours.
//
// The lesson's tumour example: 569 tumours from the Wisconsin breast cancer
// data that Debian's python3-sklearn ships, 30 measurements each, diagnosed
// 'malignant' or 'benign'. Train on 80%, then look at accuracy, precision and
// recall side by side (positive class: malignant) and at the confusion
// matrix: a missed malignant tumour costs more than a false alarm.
//
//   workshop_logistic_tumours --data-dir OUT/data [--db DIR]

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "helenus/ml/evaluator.h"
#include "helenus/ml/metrics.h"
#include "helenus/ml/pipeline.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

using helenus::exec::Col;
namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

// The 30 measurements: mean, standard error and worst of ten properties.
const std::vector<std::string> kFeatures = {"mean_radius",      "mean_texture",
                                            "mean_perimeter",   "mean_area",
                                            "mean_smoothness",  "mean_compactness",
                                            "mean_concavity",   "mean_concave_points",
                                            "mean_symmetry",    "mean_fractal_dimension",
                                            "radius_error",     "texture_error",
                                            "perimeter_error",  "area_error",
                                            "smoothness_error", "compactness_error",
                                            "concavity_error",  "concave_points_error",
                                            "symmetry_error",   "fractal_dimension_error",
                                            "worst_radius",     "worst_texture",
                                            "worst_perimeter",  "worst_area",
                                            "worst_smoothness", "worst_compactness",
                                            "worst_concavity",  "worst_concave_points",
                                            "worst_symmetry",   "worst_fractal_dimension"};

constexpr char kPositive[] = "malignant";

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load the tumours into a table");
  ws.CreateKeyspace();
  std::string columns = "tumourid int PRIMARY KEY";
  for (const auto& f : kFeatures) columns += ", " + f + " double";
  columns += ", diagnosis text";
  ws.CreateTable("tumours", columns);
  ws.LoadCsv("tumours.csv", "tumours");

  workshop::Section("Read the table back and split it 80/20");
  const auto tumours = ws.Table("tumours");
  tumours.group_by({"diagnosis"}).count().order_by({"diagnosis"}).show();
  const auto parts = tumours.random_split({0.8, 0.2}, 1234);
  const ml::Frame train = ml::Frame::FromDataFrame(parts[0]);
  const ml::Frame test = ml::Frame::FromDataFrame(parts[1]);
  std::cout << "\ntraining rows: " << train.num_rows() << ", test rows: " << test.num_rows()
            << "\n";

  workshop::Section("Train: StringIndexer -> VectorAssembler -> LogisticRegression");
  const ml::Registry& registry = ml::Registry::Default();
  // Alphabetical order makes benign class 0 and malignant class 1, so
  // "positive" means malignant (and matches the ML statements' numbering).
  ml::EstimatorPtr indexer = registry.MakeEstimator(
      "string_indexer", ml::Params()
                            .Set("input_col", std::string("diagnosis"))
                            .Set("output_col", std::string("label"))
                            .Set("string_order_type", std::string("alphabetAsc")));
  ml::TransformerPtr assembler = registry.MakeTransformer(
      "vector_assembler", ml::Params()
                              .Set("input_cols", fmt::format("{}", fmt::join(kFeatures, ",")))
                              .Set("output_col", std::string("features")));
  // Spark's defaults (standardized features, 100 iterations) plus a little L2
  // regularization, as the CQL form: without it these nearly separable rows
  // push the probabilities to exactly 0 or 1.
  ml::EstimatorPtr logistic =
      registry.MakeEstimator("logistic_regression", ml::Params().Set("reg_param", 0.01));
  const ml::Pipeline pipeline({indexer, assembler, logistic});

  const auto start = std::chrono::steady_clock::now();
  const auto model = pipeline.Fit(train, ws.ml_context());
  std::cout << "trained in " << workshop::Fixed(workshop::SecondsSince(start), 3) << " s\n";

  workshop::Section("Evaluate on the held-out tumours");
  const ml::Frame predictions = model->Transform(test, ws.ml_context());
  const std::vector<std::string> labels = predictions.AttrsOf("label").labels;
  const auto positive =
      static_cast<size_t>(std::find(labels.begin(), labels.end(), kPositive) - labels.begin());
  if (positive >= labels.size()) {
    throw workshop::WorkshopError("no tumour of the training rows is diagnosed malignant");
  }
  // Spark: MulticlassClassificationEvaluator(metricName="precisionByLabel",
  // metricLabel=1.0) and the like; BinaryClassificationEvaluator for the AUC.
  auto by_label = [&](const std::string& name) {
    return ml::MakeEvaluator("multiclass_classification_evaluator",
                             ml::Params()
                                 .Set("metric_name", name)
                                 .Set("metric_label", static_cast<double>(positive)))
        ->Evaluate(predictions, ws.ml_context());
  };
  const double auc = ml::MakeEvaluator("binary_classification_evaluator",
                                       ml::Params().Set("num_bins", 0.0))  // the exact curve
                         ->Evaluate(predictions, ws.ml_context());
  std::cout << "Positive class: " << kPositive << "\n";
  workshop::PrintTable(
      {"accuracy", "precision", "recall", "f1", "area under ROC"},
      {{workshop::Fixed(by_label("accuracy")), workshop::Fixed(by_label("precisionByLabel")),
        workshop::Fixed(by_label("recallByLabel")), workshop::Fixed(by_label("fMeasureByLabel")),
        workshop::Fixed(auc)}});
  std::cout << "\n";
  workshop::PrintConfusionMatrix(predictions, labels);

  workshop::Section("Write the predictions back to a table");
  // As PREDICT ... INTO writes them: the diagnosis predicted and its probability.
  const ml::Frame out =
      workshop::LabelledPredictions(predictions, {"tumourid", "diagnosis"}, "diagnosis");
  ws.CreateTable("tumour_predictions",
                 "tumourid int PRIMARY KEY, diagnosis text, prediction text, probability double");
  ws.Write(out, "tumour_predictions");
  std::cout << "\nThe tumours it got wrong:\n";
  ws.Table("tumour_predictions").filter(Col("diagnosis") != Col("prediction")).show();
}

}  // namespace

int main(int argc, char** argv) {
  return workshop::RunExercise(argc, argv, "Workshop 6: logistic regression on breast tumours",
                               Exercise);
}
