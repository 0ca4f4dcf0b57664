#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/random.h"
#include "helenus/ml/tuning.h"

namespace helenus::ml {

std::vector<uint32_t> RandomSplitAssignment(size_t rows, const std::vector<double>& weights,
                                            uint64_t seed, const Context& ctx) {
  if (weights.empty()) ThrowInvalid("A random split needs at least one weight");
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0) || std::isinf(w))
      ThrowInvalid("Split weights must be finite and >= 0, got {}", w);
    total += w;
  }
  if (!(total > 0)) ThrowInvalid("Split weights must not all be zero");
  std::vector<double> bounds;
  double acc = 0;
  for (double w : weights) {
    acc += w / total;
    bounds.push_back(acc);
  }
  bounds.back() = 1.0;  // rounding must not leave a sliver of draws unassigned
  const uint64_t key = Mix64(seed);
  std::vector<uint32_t> part(rows);
  ForRows(ctx, rows, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      const double u = static_cast<double>(Mix64(key ^ Mix64(r)) >> 11) * 0x1.0p-53;
      uint32_t p = 0;
      while (u >= bounds[p]) ++p;
      part[r] = p;
    }
  });
  return part;
}

std::vector<Frame> RandomSplit(const Frame& f, const std::vector<double>& weights, uint64_t seed,
                               const Context& ctx) {
  const std::vector<uint32_t> part = RandomSplitAssignment(f.num_rows(), weights, seed, ctx);
  std::vector<std::vector<uint32_t>> rows(weights.size());
  for (size_t r = 0; r < part.size(); ++r) rows[part[r]].push_back(static_cast<uint32_t>(r));
  std::vector<Frame> out(weights.size());
  ctx.pool->ParallelFor(weights.size(), [&](size_t p) { out[p] = f.Take(rows[p]); });
  return out;
}

}  // namespace helenus::ml
