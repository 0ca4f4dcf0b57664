#pragma once

// What an ML statement trains, keeps and applies: the automatic feature
// encoding, the label's classes and the estimator's model, as one unit that
// serializes to the bytes kept in system_ml.models.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "helenus/ml/auto_features.h"
#include "helenus/ml/model.h"
#include "helenus/ml/params.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {

// One row of an evaluation: an overall metric (cls and predicted empty), a
// per-class metric (cls set) or a confusion-matrix cell (both set).
struct MetricRow {
  std::string metric;
  std::string cls;
  std::string predicted;
  double value = 0;
};

// A trained estimator with the preprocessing CREATE MODEL put in front of it.
class StatementModel {
 public:
  // What CREATE MODEL asked for.
  struct Spec {
    std::string estimator;              // registry name
    Params params;                      // the estimator's own parameters
    std::string label;                  // supervised estimators: the label column
    std::vector<std::string> features;  // empty: every column but the label
  };

  // Trains on the rows of `train`; Invalid for unusable options or data.
  static StatementModel Train(const Frame& train, Spec spec, const Context& ctx);

  // input plus the model's outputs: `prediction` (of the label's type for
  // classifiers) and, for classifiers, `probability` of the predicted class.
  Frame Predict(const Frame& input, const Context& ctx) const;
  // Metrics on labelled rows (classification, regression, clustering, recommendation).
  std::vector<MetricRow> Evaluate(const Frame& data, const Context& ctx) const;
  // Evaluate, keeping a classifier's confusion matrix and ROC curve of `data`
  // (the held-out rows) as artifacts when keep_artifacts is set.
  std::vector<MetricRow> Evaluate(const Frame& data, const Context& ctx, bool keep_artifacts);

  // Key/value lines for DESCRIBE MODEL.
  std::vector<std::pair<std::string, std::string>> Describe() const;
  // Names of the tables DESCRIBE MODEL ... ARTIFACT can show.
  std::vector<std::string> Artifacts() const;
  // The artifact called name; Invalid when unknown.
  Frame Artifact(const std::string& name) const;

  const std::string& estimator() const { return estimator_; }
  Task task() const { return task_; }
  const std::string& label() const { return label_; }
  // The input columns features come from.
  std::vector<std::string> feature_columns() const;
  const Model& model() const { return *model_; }

  std::vector<uint8_t> Save() const;
  static StatementModel Load(std::span<const uint8_t> bytes);

 private:
  // Adds "__features" (and for classifiers "__label") the estimator reads.
  Frame Prepare(const Frame& input, const Context& ctx, bool with_label) const;
  // A classifier's scores of the rows of data whose label it knows.
  Frame ScoreKnownLabels(const Frame& data, const Context& ctx) const;
  // For a binary classifier, each scored row's ranking score (the model's
  // BinaryScore); nullopt for other models.
  std::optional<std::vector<double>> BinaryScores(const Frame& scored) const;
  // Evaluate; also fills *artifacts (when not null) for classifiers.
  std::vector<MetricRow> EvaluateInto(const Frame& data, const Context& ctx,
                                      std::vector<std::pair<std::string, Frame>>* artifacts) const;

  std::string estimator_;
  Task task_ = Task::kClassification;
  std::string label_;
  std::shared_ptr<const AutoFeatures> features_;  // null for ALS / FP-Growth
  std::unique_ptr<LabelEncoder> classes_;         // classifiers only
  std::shared_ptr<const Model> model_;
  std::vector<std::pair<std::string, Frame>> kept_;  // evaluation artifacts
};

// Writes a Frame of scalar columns (artifact tables) and reads it back.
void SaveScalarFrame(const Frame& f, Writer& out);
Frame LoadScalarFrame(Reader& in);

}  // namespace helenus::ml
