// Workshop exercise 3: a random forest on wine quality.
//
// The same good wines (quality > 5), label, features and 80/20 split as the
// Naive Bayes exercise, now with 10 decision trees: accuracy, precision and
// recall per class, and which measurements the forest relies on most.
//
//   workshop_random_forest_wine --data-dir OUT/data [--db DIR]

#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "helenus/ml/evaluator.h"
#include "helenus/ml/pipeline.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

// The seed of both the split and the forest: CREATE MODEL ... WITH seed = 1234
// hands its seed to the estimator too, so the two forms grow the same trees.
constexpr uint64_t kSeed = 1234;

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load the wines into a table");
  ws.LoadWines();

  workshop::Section("Read the good wines and split them 80/20");
  const auto [train, test] = ws.GoodWinesSplit(kSeed);
  std::cout << "training rows: " << train.num_rows() << ", test rows: " << test.num_rows() << "\n";

  workshop::Section("Train: StringIndexer -> VectorAssembler -> RandomForestClassifier");
  std::vector<ml::PipelineStage> stages = workshop::WineLabelAndFeatures();
  stages.push_back(ml::Registry::Default().MakeEstimator(
      "random_forest_classifier",
      ml::Params().Set("num_trees", 10.0).Set("seed", static_cast<double>(kSeed))));
  const ml::Pipeline pipeline(std::move(stages));

  const auto start = std::chrono::steady_clock::now();
  const auto model = pipeline.Fit(train, ws.ml_context());
  std::cout << "trained 10 trees in " << workshop::Fixed(workshop::SecondsSince(start), 3)
            << " s\n";

  workshop::Section("Evaluate on the held-out wines");
  const ml::Frame predictions = model->Transform(test, ws.ml_context());
  const std::vector<std::string> labels = predictions.AttrsOf("label").labels;
  auto metric = [&](const std::string& name) {
    return ml::MakeEvaluator("multiclass_classification_evaluator",
                             ml::Params().Set("metric_name", name))
        ->Evaluate(predictions, ws.ml_context());
  };
  workshop::PrintMetrics({
      {"test rows", static_cast<double>(predictions.num_rows())},
      {"accuracy", metric("accuracy")},
      {"weighted precision", metric("weightedPrecision")},
      {"weighted recall", metric("weightedRecall")},
      {"weighted f1", metric("f1")},
  });
  std::cout << "\nPer class (quality):\n";
  workshop::PrintClassReport(predictions, labels);
  workshop::PrintConfusionMatrix(predictions, labels);

  workshop::Section("Feature importances");
  // Spark: model.stages[-1].featureImportances (normalized to sum to 1).
  ml::Frame importances = model->Artifact("feature_importances");
  const std::vector<double> weight = importances.Numeric("importance");
  const auto& feature = importances.Scalar("feature");
  std::vector<uint32_t> order(importances.num_rows());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](uint32_t a, uint32_t b) { return weight[a] > weight[b]; });
  std::vector<std::vector<std::string>> rows;
  for (uint32_t i : order) {
    const auto bar = static_cast<size_t>(weight[i] * 50 + 0.5);
    rows.push_back({feature.strings[i], workshop::Fixed(weight[i]), std::string(bar, '#')});
  }
  workshop::PrintTable({"feature", "importance", ""}, rows);

  workshop::Section("Write predictions and importances back to tables");
  // The class index back to the quality it stands for, as PREDICT ... INTO
  // writes it: the table has the same columns as the CQL form's.
  const ml::Frame out =
      workshop::LabelledPredictions(predictions, {"wineid", "quality"}, "quality");
  ws.CreateTable("wine_rf_predictions",
                 "wineid int PRIMARY KEY, quality int, prediction int, probability double");
  ws.Write(out, "wine_rf_predictions");
  ws.CreateTable("wine_rf_feature_importances", "feature text PRIMARY KEY, importance double");
  ws.Write(importances, "wine_rf_feature_importances");
}

}  // namespace

int main(int argc, char** argv) {
  return workshop::RunExercise(argc, argv, "Workshop 3: random forest on wine quality", Exercise);
}
