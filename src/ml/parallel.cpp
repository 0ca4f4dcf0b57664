#include "helenus/ml/parallel.h"

#include <algorithm>

namespace helenus::ml {

size_t NumChunks(size_t rows) {
  return (rows + kChunkRows - 1) / kChunkRows;
}

void ForRows(const Context& ctx, size_t rows, const std::function<void(size_t, size_t)>& fn) {
  ctx.pool->ParallelFor(
      NumChunks(rows), [&](size_t c) { fn(c * kChunkRows, std::min(rows, (c + 1) * kChunkRows)); });
}

std::vector<double> SumRows(const Context& ctx, size_t rows, size_t n,
                            const std::function<void(size_t, size_t, double*)>& fn) {
  // Partial p owns chunks p, p + P, p + 2P, ... and adds them in order; the
  // partials are then added in index order. Both orders depend only on the
  // row count, so sums are identical whatever the thread count.
  const size_t chunks = NumChunks(rows);
  const size_t parts = std::min(chunks, kMaxPartials);
  std::vector<std::vector<double>> partial(parts);
  ctx.pool->ParallelFor(parts, [&](size_t p) {
    partial[p].assign(n, 0.0);
    for (size_t c = p; c < chunks; c += parts) {
      fn(c * kChunkRows, std::min(rows, (c + 1) * kChunkRows), partial[p].data());
    }
  });
  std::vector<double> total(n, 0.0);
  for (const auto& part : partial) {
    for (size_t i = 0; i < n; ++i) total[i] += part[i];
  }
  ctx.collective->AllReduceSum(total);
  return total;
}

}  // namespace helenus::ml
