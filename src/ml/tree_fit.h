#pragma once

// Training entry points of the tree estimators and the pieces they share.

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "helenus/ml/model.h"
#include "helenus/ml/predictor.h"
#include "ml/tree_grower.h"
#include "ml/tree_params.h"

namespace helenus::ml {

// Fits a decision tree or a random forest (settings.algo), classifier or regressor.
std::unique_ptr<Model> FitForest(const std::string& kind, const TreeSettings& settings,
                                 const PredictorColumns& cols, const Frame& input,
                                 const Context& ctx);

// Fits gradient-boosted trees, classifier or regressor.
std::unique_ptr<Model> FitBoosted(const std::string& kind, const TreeSettings& settings,
                                  const PredictorColumns& cols, const Frame& input,
                                  const Context& ctx);

// The features column's slot names, when its attributes have one per feature.
std::vector<std::string> FeatureNamesOf(const Frame& input, const PredictorColumns& cols,
                                        size_t dim);

// Grow options every estimator shares (depth, minimum sizes, gain, memory).
GrowOptions BaseGrowOptions(const TreeSettings& settings);

// MLlib's ensemble importances: each tree's normalized to sum 1, averaged,
// normalized again (all zeros when no tree split).
std::vector<double> EnsembleImportances(const std::vector<std::vector<double>>& per_tree,
                                        size_t num_features);

// Reports one more finished unit of `total` (trees or iterations), safely
// from several threads, and checks for cancellation.
class TreeProgress {
 public:
  TreeProgress(const Context& ctx, uint64_t total) : ctx_(ctx), total_(total) {}
  void Done();

 private:
  const Context& ctx_;
  uint64_t total_;
  uint64_t done_ = 0;
  std::mutex mu_;
};

}  // namespace helenus::ml
