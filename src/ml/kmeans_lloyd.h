#pragma once

// The centroid sums of Lloyd iterations. For dense rows and Euclidean
// distance it keeps Hamerly's bounds between iterations (an upper bound on
// each row's distance to its centre, a lower bound on its distance to any
// other): rows whose bounds prove the centre unchanged skip the distance
// computations, and between full recomputations the sums only move the
// rows that changed centre. The bounds are widened for rounding, so
// assignments are those of plain Lloyd.

#include <cstdint>
#include <vector>

#include "helenus/ml/context.h"
#include "ml/kmeans_kernels.h"

namespace helenus::ml {

// Lloyd's centroid sums over one training set, iteration after iteration.
class LloydPass {
 public:
  // x and norms (|x_r|) must outlive the pass.
  LloydPass(const Vectors& x, const std::vector<double>& norms, KMeansDistance distance);

  // For the centres of `set`: per centre the sum of its nearest rows (unit
  // rows for cosine), then per centre the number of rows. Each call must
  // pass the centres that followed the previous call's (bounds carry over).
  std::vector<double> Sums(const Context& ctx, const CenterSet& set);

 private:
  std::vector<double> PlainSums(const Context& ctx, const CenterSet& set) const;

  const Vectors& x_;
  const std::vector<double>& norms_;
  KMeansDistance distance_;
  bool bounded_;                  // dense Euclidean rows: Hamerly's bounds
  std::vector<double> previous_;  // the centres of the previous call
  std::vector<double> sums_;      // the sums the previous call returned
  uint64_t passes_ = 0;
  std::vector<uint32_t> assign_;
  std::vector<double> upper_;
  std::vector<double> lower_;
};

}  // namespace helenus::ml
