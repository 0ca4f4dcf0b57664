#pragma once

// Deterministic parallel passes over rows. Rows are cut into fixed chunks
// (never by thread count) and partial sums are combined in a fixed order,
// then across ranks through the collective, so a result is bit-identical
// whatever the number of threads.

#include <cstddef>
#include <functional>
#include <vector>

#include "helenus/ml/context.h"

namespace helenus::ml {

// Rows per chunk of work.
inline constexpr size_t kChunkRows = 8192;
// At most this many partial accumulators are alive during SumRows.
inline constexpr size_t kMaxPartials = 64;

// Number of chunks `rows` rows are cut into.
size_t NumChunks(size_t rows);

// Number of partial accumulators a reduction over `rows` rows keeps (at least 1).
size_t NumPartials(size_t rows);

// The shape of every deterministic reduction: partial p (0 <= p <
// NumPartials(rows), in parallel) gets fn(p, begin, end) for chunks p, p + P,
// p + 2P, ... in that order. Combining the partials in index order then gives
// the same result whatever the thread count.
void ForPartials(const Context& ctx, size_t rows,
                 const std::function<void(size_t, size_t, size_t)>& fn);

// Runs fn(begin, end) for every chunk of [0, rows), in parallel.
void ForRows(const Context& ctx, size_t rows, const std::function<void(size_t, size_t)>& fn);

// Returns the sum over all rows of n statistics: fn(begin, end, acc) adds
// the statistics of rows [begin, end) into acc (n doubles, starting at
// zero). Partials are combined in chunk order and then all-reduced across
// the collective's ranks.
std::vector<double> SumRows(const Context& ctx, size_t rows, size_t n,
                            const std::function<void(size_t, size_t, double*)>& fn);

}  // namespace helenus::ml
