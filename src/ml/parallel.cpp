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

size_t NumPartials(size_t rows) {
  return std::max<size_t>(1, std::min(NumChunks(rows), kMaxPartials));
}

void ForPartials(const Context& ctx, size_t rows,
                 const std::function<void(size_t, size_t, size_t)>& fn) {
  const size_t chunks = NumChunks(rows);
  const size_t parts = NumPartials(rows);
  ctx.pool->ParallelFor(parts, [&](size_t p) {
    for (size_t c = p; c < chunks; c += parts) {
      fn(p, c * kChunkRows, std::min(rows, (c + 1) * kChunkRows));
    }
  });
}

std::vector<double> SumRows(const Context& ctx, size_t rows, size_t n,
                            const std::function<void(size_t, size_t, double*)>& fn) {
  std::vector<std::vector<double>> partial(NumPartials(rows), std::vector<double>(n, 0.0));
  ForPartials(ctx, rows,
              [&](size_t p, size_t begin, size_t end) { fn(begin, end, partial[p].data()); });
  std::vector<double> total(n, 0.0);
  for (const auto& part : partial) {
    for (size_t i = 0; i < n; ++i) total[i] += part[i];
  }
  ctx.collective->AllReduceSum(total);
  return total;
}

}  // namespace helenus::ml
