#pragma once

// Parameters of the tree estimators (MLlib's names in snake_case, MLlib's
// defaults), read once into TreeSettings, which models keep and save.

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "helenus/ml/params.h"
#include "helenus/ml/serialize.h"

namespace helenus::ml {

// The three estimator families.
enum class TreeAlgo : uint8_t { kDecisionTree = 0, kRandomForest = 1, kBoosted = 2 };

// Seed used when none is given (MLlib hashes the class name; any fixed number works).
inline constexpr int64_t kDefaultTreeSeed = 42;

// The parameter specs of one estimator, column specs included.
std::vector<ParamSpec> TreeParamSpecs(TreeAlgo algo, bool classifier);

// Every tree parameter, read and checked.
struct TreeSettings {
  TreeAlgo algo = TreeAlgo::kDecisionTree;
  bool classifier = true;
  int max_depth = 5;
  size_t max_bins = 32;
  double min_instances_per_node = 1;
  double min_weight_fraction_per_node = 0;
  double min_info_gain = 0;
  std::string impurity = "gini";
  int64_t seed = kDefaultTreeSeed;
  size_t max_memory_in_mb = 256;
  int num_trees = 1;  // random forest
  std::string feature_subset_strategy = "all";
  double subsampling_rate = 1.0;
  bool bootstrap = false;                // random forest
  int max_iter = 20;                     // boosting
  double step_size = 0.1;                // boosting
  std::string loss_type = "logistic";    // boosting
  double validation_tol = 0.01;          // boosting, with validation_indicator_col
  std::string validation_indicator_col;  // boosting: rows where this is true validate

  // Reads params (already validated against TreeParamSpecs); Invalid for
  // values the specs cannot express (open ranges, feature_subset_strategy).
  static TreeSettings From(TreeAlgo algo, bool classifier, const Params& params);
  // Features drawn per node out of num_features (MLlib's featureSubsetStrategy).
  size_t FeaturesPerNode(size_t num_features) const;
  // The parameters as DESCRIBE lines.
  std::vector<std::pair<std::string, std::string>> Describe() const;
  void Save(Writer& out) const;
  static TreeSettings Load(Reader& in);
};

}  // namespace helenus::ml
