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

#include <fmt/format.h>

#include "helenus/ml/evaluator.h"
#include "helenus/ml/pipeline.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

using helenus::exec::Col;
using helenus::exec::Lit;
namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

const std::vector<std::string>& kFeatures = workshop::WineFeatures();

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load the wines into a table");
  ws.LoadWines();

  workshop::Section("Read the table back and keep the good wines");
  // Spark: spark.read.table("wines").filter("quality > 5")
  const auto good = ws.Table("wines").filter(Col("quality") > Lit(5));
  good.group_by({"quality"}).count().order_by({"quality"}).show();

  // Spark: good.randomSplit([0.8, 0.2], seed=1234). Helenus splits by a hash
  // of each row, so the split is the same whatever the thread count, and the
  // same as CREATE MODEL ... WITH test_fraction = 0.2 AND seed = 1234.
  const auto parts = good.random_split({0.8, 0.2}, 1234);
  // Estimators make several passes over the rows: a Frame keeps them in
  // memory once (Spark users would cache() here).
  const ml::Frame train = ml::Frame::FromDataFrame(parts[0]);
  const ml::Frame test = ml::Frame::FromDataFrame(parts[1]);
  std::cout << "\ntraining rows: " << train.num_rows() << ", test rows: " << test.num_rows()
            << "\n";

  workshop::Section("Train: StringIndexer -> VectorAssembler -> NaiveBayes");
  const ml::Registry& registry = ml::Registry::Default();
  // Qualities in ascending order (6 -> 0, 7 -> 1, ...), as scikit-learn's
  // LabelEncoder and the ML statements number them. A quality the training
  // rows never saw cannot be scored: handle_invalid 'skip' leaves it out.
  ml::EstimatorPtr indexer = registry.MakeEstimator(
      "string_indexer", ml::Params()
                            .Set("input_col", std::string("quality"))
                            .Set("output_col", std::string("label"))
                            .Set("string_order_type", std::string("alphabetAsc"))
                            .Set("handle_invalid", std::string("skip")));
  ml::TransformerPtr assembler = registry.MakeTransformer(
      "vector_assembler", ml::Params()
                              .Set("input_cols", fmt::format("{}", fmt::join(kFeatures, ",")))
                              .Set("output_col", std::string("features")));
  ml::EstimatorPtr naive_bayes = registry.MakeEstimator(
      "naive_bayes",
      ml::Params().Set("model_type", std::string("multinomial")).Set("smoothing", 1.0));
  const ml::Pipeline pipeline({indexer, assembler, naive_bayes});

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
