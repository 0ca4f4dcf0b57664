#pragma once

// Histogram-based growth of decision trees (LightGBM / XGBoost "hist"
// style), level by level for a batch of trees at once:
//   - per node, per feature, per bin sums of row statistics, built over
//     fixed row chunks in parallel and added in chunk order (so results do
//     not depend on the thread count), then all-reduced through the
//     collective;
//   - the histogram subtraction trick: only the smaller child is built, the
//     larger is parent - smaller;
//   - best split per node from cumulative bin sums; rows are then stably
//     partitioned so each node's rows stay contiguous and ascending.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "helenus/ml/context.h"
#include "ml/tree_binning.h"
#include "ml/tree_model.h"

namespace helenus::ml {

// What a split optimizes.
enum class Objective {
  kGini,      // classification, Gini impurity
  kEntropy,   // classification, entropy (log2)
  kVariance,  // regression, variance
  kNewton,    // boosting: second-order gain G^2/H on gradients and hessians
};

// How trees are grown.
struct GrowOptions {
  Objective objective = Objective::kGini;
  size_t num_classes = 2;        // kGini / kEntropy
  int max_depth = 5;             // 0 = a single leaf
  double min_instances = 1;      // rows per child, counting bootstrap copies
  double min_weight = 0;         // weight per child (kGini/kEntropy/kVariance)
  double min_hessian = 0;        // hessian per child (kNewton)
  double min_info_gain = 0;      // smallest normalized gain worth a split
  size_t features_per_node = 0;  // features drawn per node; >= num_features = all, no draws
  size_t max_hist_bytes = size_t{256} << 20;  // histogram memory before splitting work in groups
};

// What rows contribute; shared by every tree of a batch.
struct RowData {
  const uint32_t* label = nullptr;  // kGini / kEntropy: class of each row
  const double* y = nullptr;        // kVariance: target of each row
  const double* w = nullptr;        // row weights (nullptr = all 1)
};

// One tree to grow.
struct TreeJob {
  std::vector<uint32_t> rows;       // the rows it learns from, ascending
  const uint8_t* copies = nullptr;  // bootstrap copies per row id (nullptr = 1 each)
  const double* g = nullptr;        // kNewton: gradient per row id, weight included
  const double* h = nullptr;        // kNewton: hessian per row id, weight included
  uint64_t seed = 0;                // feature subsets draw from Rng::Stream(seed, stream)
  uint64_t stream = 0;
};

// A node of a grown tree, in bins.
struct GrownNode {
  int32_t slot = -1;  // split slot of BinnedFeatures; -1 at leaves
  uint32_t bin = 0;   // rows whose code is <= bin go left
  int32_t left = -1;
  int32_t right = -1;
  int depth = 0;
  double gain = 0;        // normalized gain (Spark's information gain)
  double importance = 0;  // gain scaled by the node's weight (Spark's feature importance term)
  uint32_t begin = 0;     // the node's rows are GrownTree::rows[begin, end)
  uint32_t end = 0;
};

// A grown tree: structure, per-node statistics and its partitioned rows.
struct GrownTree {
  std::vector<GrownNode> nodes;
  size_t stat_dim = 0;
  // stat_dim per node: [count, class weights...] (kGini/kEntropy),
  // [count, weight, weight*y] (kVariance) or [count, sum g, sum h] (kNewton).
  std::vector<double> stats;
  std::vector<uint32_t> rows;  // every leaf's rows are contiguous

  const double* Stats(size_t node) const { return stats.data() + node * stat_dim; }
  // The leaf row r falls in, following bin codes.
  size_t LeafOf(const BinnedFeatures& bins, size_t r) const {
    size_t n = 0;
    while (nodes[n].slot >= 0) {
      n = bins.Code(nodes[n].slot, r) <= nodes[n].bin ? nodes[n].left : nodes[n].right;
    }
    return n;
  }
  // The model tree: thresholds from bins; value(node, out) writes value_dim values.
  Tree ToTree(const BinnedFeatures& bins, size_t value_dim,
              const std::function<void(size_t, double*)>& value) const;
  // Adds each split's importance to (*imp)[feature].
  void AddImportances(const BinnedFeatures& bins, std::vector<double>* imp) const;
};

// Values per row and per histogram bin for these options.
size_t StatDim(const GrowOptions& opt);

// Grows one tree per job, all level by level together.
std::vector<GrownTree> GrowTrees(const BinnedFeatures& bins, const GrowOptions& opt,
                                 const RowData& data, std::vector<TreeJob> jobs,
                                 const Context& ctx);

}  // namespace helenus::ml
