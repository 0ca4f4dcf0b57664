#include "ml/tree_fit.h"

namespace helenus::ml {

std::vector<std::string> FeatureNamesOf(const Frame& input, const PredictorColumns& cols,
                                        size_t dim) {
  const auto& names = input.AttrsOf(cols.features).feature_names;
  return names.size() == dim ? names : std::vector<std::string>{};
}

GrowOptions BaseGrowOptions(const TreeSettings& s) {
  GrowOptions opt;
  opt.max_depth = s.max_depth;
  opt.min_instances = s.min_instances_per_node;
  opt.min_info_gain = s.min_info_gain;
  opt.max_hist_bytes = s.max_memory_in_mb << 20;
  return opt;
}

std::vector<double> EnsembleImportances(const std::vector<std::vector<double>>& per_tree,
                                        size_t num_features) {
  std::vector<double> total(num_features, 0.0);
  for (const auto& imp : per_tree) {
    double sum = 0;
    for (double v : imp) sum += v;
    if (!(sum > 0)) continue;
    for (size_t j = 0; j < num_features; ++j) total[j] += imp[j] / sum;
  }
  double sum = 0;
  for (double v : total) sum += v;
  if (sum > 0) {
    for (double& v : total) v /= sum;
  }
  return total;
}

void TreeProgress::Done() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    ctx_.Step(done_, total_);
  }
  ctx_.CheckCancelled();
}

}  // namespace helenus::ml
