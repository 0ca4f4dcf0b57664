// Workshop exercise 2: Naive Bayes on wine quality.
//
// The Spark notebook: load the wines into Cassandra, read the table back as a
// DataFrame, keep the good wines (quality > 5), index the quality as the
// label, assemble the 11 chemical measurements into a feature vector, split
// 80/20, train a multinomial Naive Bayes and measure its accuracy on the
// held-out 20%. Helenus runs every step in this one process.
//
//   workshop_naive_bayes_wine --data-dir OUT/data [--db DIR]

#include <iostream>
#include <string>
#include <vector>

#include "helenus/ml/evaluator.h"
#include "helenus/ml/pipeline.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

using helenus::exec::Col;
using helenus::exec::Lit;
namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load the wines into a table");
  ws.LoadWines();

  workshop::Section("Read the table back, keep the good wines and split them 80/20");
  // Spark: spark.read.table("wines").filter("quality > 5")
  ws.Table("wines")
      .filter(Col("quality") > Lit(5))
      .group_by({"quality"})
      .count()
      .order_by({"quality"})
      .show();
  // The same rows and split as CREATE MODEL ... WITH test_fraction = 0.2 AND seed = 1234.
  const auto [train, test] = ws.GoodWinesSplit(1234);
  std::cout << "\ntraining rows: " << train.num_rows() << ", test rows: " << test.num_rows()
            << "\n";

  workshop::Section("Train: StringIndexer -> VectorAssembler -> NaiveBayes");
  // Qualities in ascending order (6 -> 0, 7 -> 1, ...), as scikit-learn's
  // LabelEncoder and the ML statements number them; the 11 measurements as features.
  std::vector<ml::PipelineStage> stages = workshop::WineLabelAndFeatures();
  stages.push_back(ml::Registry::Default().MakeEstimator(
      "naive_bayes",
      ml::Params().Set("model_type", std::string("multinomial")).Set("smoothing", 1.0)));
  const ml::Pipeline pipeline(std::move(stages));

  const auto start = std::chrono::steady_clock::now();
  const auto model = pipeline.Fit(train, ws.ml_context());
  std::cout << "trained in " << workshop::Fixed(workshop::SecondsSince(start), 3) << " s\n";

  workshop::Section("Predict the held-out wines and measure the accuracy");
  const ml::Frame predictions = model->Transform(test, ws.ml_context());
  const std::vector<std::string> labels = predictions.AttrsOf("label").labels;
  // Spark: MulticlassClassificationEvaluator(metricName="accuracy")
  const auto accuracy = ml::MakeEvaluator("multiclass_classification_evaluator",
                                          ml::Params().Set("metric_name", std::string("accuracy")));
  const auto weighted_f1 = ml::MakeEvaluator("multiclass_classification_evaluator");
  workshop::PrintMetrics({
      {"test rows", static_cast<double>(predictions.num_rows())},
      {"accuracy", accuracy->Evaluate(predictions, ws.ml_context())},
      {"weighted f1", weighted_f1->Evaluate(predictions, ws.ml_context())},
  });
  workshop::PrintConfusionMatrix(predictions, labels);

  workshop::Section("Write the predictions back to a table");
  // The class index back to the quality it stands for, as PREDICT ... INTO
  // writes it: the table has the same columns as the CQL form's.
  const ml::Frame out =
      workshop::LabelledPredictions(predictions, {"wineid", "quality"}, "quality");
  ws.CreateTable("wine_nb_predictions",
                 "wineid int PRIMARY KEY, quality int, prediction int, probability double");
  ws.Write(out, "wine_nb_predictions");
  ws.Table("wine_nb_predictions").limit(5).show();
}

}  // namespace

int main(int argc, char** argv) {
  return workshop::RunExercise(argc, argv, "Workshop 2: Naive Bayes on wine quality", Exercise);
}
