#pragma once

// Fitted tree models: a decision tree, a random forest or boosted trees,
// as a classifier or a regressor.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/ml/predictor.h"
#include "ml/tree_model.h"
#include "ml/tree_params.h"

namespace helenus::ml {

// The trees of a model and how their outputs combine.
struct TreeEnsemble {
  TreeSettings settings;
  std::vector<Tree> trees;
  std::vector<double> weights;      // per tree: 1 (forest) or the step size (boosted)
  std::vector<double> bias;         // boosted: initial score per output (one for binary)
  size_t outputs = 1;               // boosted: trees per iteration (classes when > 2)
  std::vector<double> importances;  // per feature; sums to 1 unless no split was made

  void Save(Writer& out) const;
  // Reads an ensemble and checks it against the model's shape.
  static TreeEnsemble Load(Reader& in, size_t num_features, size_t num_classes);
  // The "feature_importances" artifact (names per feature, or f0, f1, ...).
  Frame ImportancesFrame(const std::vector<std::string>& feature_names) const;
  // The "trees" artifact; predict_text renders a leaf's values.
  Frame TreesFrame(const std::function<std::string(const double*)>& predict_text) const;
  // Learned summary lines (sizes, depth, top features) plus the settings.
  std::vector<std::pair<std::string, std::string>> Describe(
      const std::vector<std::string>& feature_names) const;
};

// A fitted tree classifier (decision_tree_classifier, random_forest_classifier, gbt_classifier).
class TreeClassifierModel final : public ClassificationModel {
 public:
  TreeClassifierModel(std::string kind, PredictorColumns cols, const LabeledData& data,
                      std::vector<std::string> feature_names, TreeEnsemble ensemble);
  // Reads a model saved by Save (the loader of each classifier kind).
  static std::unique_ptr<Model> Load(std::string kind, Reader& in);

  std::string kind() const override { return kind_; }
  void PredictRaw(const Vectors& x, size_t r, double* raw) const override;
  void RawToProbability(double* scores) const override;
  double BinaryScore(const double* raw, const double* probability) const override;
  void Save(Writer& out) const override;
  std::vector<std::pair<std::string, std::string>> Describe() const override;
  std::vector<std::string> Artifacts() const override;
  Frame Artifact(std::string_view name) const override;

  // The trees and how they combine.
  const TreeEnsemble& ensemble() const { return ensemble_; }

 private:
  explicit TreeClassifierModel(std::string kind) : kind_(std::move(kind)) {}
  std::string kind_;
  TreeEnsemble ensemble_;
};

// A fitted tree regressor (decision_tree_regressor, random_forest_regressor, gbt_regressor).
class TreeRegressorModel final : public RegressionModel {
 public:
  TreeRegressorModel(std::string kind, PredictorColumns cols, const LabeledData& data,
                     std::vector<std::string> feature_names, TreeEnsemble ensemble);
  // Reads a model saved by Save (the loader of each regressor kind).
  static std::unique_ptr<Model> Load(std::string kind, Reader& in);

  std::string kind() const override { return kind_; }
  double Predict(const Vectors& x, size_t r) const override;
  void Save(Writer& out) const override;
  std::vector<std::pair<std::string, std::string>> Describe() const override;
  std::vector<std::string> Artifacts() const override;
  Frame Artifact(std::string_view name) const override;

  // The trees and how they combine.
  const TreeEnsemble& ensemble() const { return ensemble_; }

 private:
  explicit TreeRegressorModel(std::string kind) : kind_(std::move(kind)) {}
  std::string kind_;
  TreeEnsemble ensemble_;
};

}  // namespace helenus::ml
