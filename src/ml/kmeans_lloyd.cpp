#include "ml/kmeans_lloyd.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "helenus/ml/parallel.h"

namespace helenus::ml {
namespace {

// Rows handled together (their sums are added while still in cache).
constexpr size_t kBlock = 256;
// Bounded passes add only the rows that changed centre to the previous
// sums; every this many passes the sums are recomputed from all rows, so
// rounding cannot drift.
constexpr uint64_t kRefreshEvery = 8;

}  // namespace

LloydPass::LloydPass(const Vectors& x, const std::vector<double>& norms, KMeansDistance distance)
    : x_(x),
      norms_(norms),
      distance_(distance),
      bounded_(!x.sparse && distance == KMeansDistance::kEuclidean) {}

std::vector<double> LloydPass::PlainSums(const Context& ctx, const CenterSet& set) const {
  const size_t kc = set.k();
  const size_t dim = x_.dim;
  const bool cosine = distance_ == KMeansDistance::kCosine;
  auto add_rows = [&](size_t chunk_begin, size_t chunk_end, double* acc) {
    uint32_t best[kBlock];
    double dist[kBlock];
    double scale[kBlock];
    double* counts = acc + kc * dim;
    for (size_t b = chunk_begin; b < chunk_end; b += kBlock) {
      const size_t e = std::min(chunk_end, b + kBlock);
      set.NearestRows(x_, b, e, norms_.data(), best, dist);
      if (cosine) {
        for (size_t r = b; r < e; ++r) scale[r - b] = 1.0 / norms_[r];
      }
      if (x_.sparse) {
        for (size_t r = b; r < e; ++r) {
          double* sum = acc + static_cast<size_t>(best[r - b]) * dim;
          const double f = cosine ? scale[r - b] : 1.0;
          x_.ForEach(r, [&](uint32_t j, double v) { sum[j] += f * v; });
        }
      } else {
        AddDenseRows(x_.Row(b), e - b, dim, best, cosine ? scale : nullptr, acc);
      }
      for (size_t r = b; r < e; ++r) counts[best[r - b]] += 1;
    }
  };
  return SumRows(ctx, x_.rows, kc * dim + kc, add_rows);
}

std::vector<double> LloydPass::Sums(const Context& ctx, const CenterSet& set) {
  if (!bounded_) return PlainSums(ctx, set);
  const size_t n = x_.rows;
  const size_t kc = set.k();
  const size_t dim = x_.dim;
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Relative widening of every bound, well above the rounding of the
  // square roots, sums and differences that produce them.
  const double slack = 1e-12 + 8.0 * static_cast<double>(dim) * 1.1102230246251565e-16;
  const bool first = previous_.size() != kc * dim;
  const bool full = first || passes_ % kRefreshEvery == 0;
  ++passes_;

  // How far each centre moved since the previous call: the largest two.
  std::vector<double> moved(kc, 0.0);
  double max1 = 0, max2 = 0;
  size_t top = 0;
  if (!first) {
    for (size_t c = 0; c < kc; ++c) {
      moved[c] = std::sqrt(PointDistance(previous_.data() + c * dim, 1.0, set.Center(c), 1.0, dim,
                                         KMeansDistance::kEuclidean)) *
                 (1 + slack);
      if (moved[c] > max1) {
        max2 = max1;
        max1 = moved[c];
        top = c;
      } else if (moved[c] > max2) {
        max2 = moved[c];
      }
    }
  } else {
    assign_.assign(n, 0);
    upper_.assign(n, 0.0);
    lower_.assign(n, 0.0);
  }
  // Half the distance from each centre to its nearest other: a row closer
  // than that to its centre cannot be nearer to another one.
  std::vector<double> half(kc, kInf);
  for (size_t c = 0; c < kc; ++c) {
    for (size_t o = 0; o < kc; ++o) {
      if (o == c) continue;
      const double d =
          PointDistance(set.Center(c), 1.0, set.Center(o), 1.0, dim, KMeansDistance::kEuclidean);
      half[c] = std::min(half[c], 0.5 * std::sqrt(d) * (1 - slack));
    }
  }

  auto add_rows = [&](size_t chunk_begin, size_t chunk_end, double* acc) {
    size_t pending[kBlock];
    uint32_t best[kBlock];
    double xx[kBlock], dist[kBlock], second[kBlock];
    uint8_t ties[kBlock];
    std::vector<double> gathered(kBlock * dim), scratch(set.scratch_size());
    double* counts = acc + kc * dim;
    for (size_t b = chunk_begin; b < chunk_end; b += kBlock) {
      const size_t e = std::min(chunk_end, b + kBlock);
      size_t np = 0;
      for (size_t r = b; r < e; ++r) {
        if (first) {
          pending[np++] = r;
          continue;
        }
        const uint32_t a = assign_[r];
        double u = (upper_[r] + moved[a]) * (1 + slack);
        const double l = std::max(0.0, (lower_[r] - (a == top ? max2 : max1)) * (1 - slack));
        lower_[r] = l;
        const double limit = std::max(half[a], l);
        if (u < limit) {
          upper_[r] = u;
          continue;
        }
        u = std::sqrt(FastSquaredDistance(x_.Row(r), set.Center(a), dim)) * (1 + slack);
        upper_[r] = u;
        if (u < limit) continue;
        pending[np++] = r;
      }
      if (np > 0) {
        const double* rows = x_.Row(b);
        if (np != e - b) {
          for (size_t i = 0; i < np; ++i) {
            std::copy_n(x_.Row(pending[i]), dim, gathered.data() + i * dim);
          }
          rows = gathered.data();
        }
        for (size_t i = 0; i < np; ++i) xx[i] = norms_[pending[i]] * norms_[pending[i]];
        set.NearestDense(rows, np, xx, best, dist, second, ties);
        for (size_t i = 0; i < np; ++i) {
          const size_t r = pending[i];
          const uint32_t old = assign_[r];
          if (ties[i]) {
            double d;
            assign_[r] = set.Nearest(x_, r, 0.0, scratch.data(), &d);
            upper_[r] = std::sqrt(d) * (1 + slack);
            lower_[r] = 0;
          } else {
            const double err = set.Rounding(xx[i]);
            assign_[r] = best[i];
            upper_[r] = std::sqrt(dist[i] + err) * (1 + slack);
            lower_[r] = std::sqrt(std::max(0.0, second[i] - err)) * (1 - slack);
          }
          if (!full && assign_[r] != old) {
            // Moves the row's contribution from its old centre to the new.
            const double* row = x_.Row(r);
            double* to = acc + static_cast<size_t>(assign_[r]) * dim;
            double* from = acc + static_cast<size_t>(old) * dim;
            for (size_t j = 0; j < dim; ++j) {
              to[j] += row[j];
              from[j] -= row[j];
            }
            counts[assign_[r]] += 1;
            counts[old] -= 1;
          }
        }
      }
      if (full) {
        AddDenseRows(x_.Row(b), e - b, dim, assign_.data() + b, nullptr, acc);
        for (size_t r = b; r < e; ++r) counts[assign_[r]] += 1;
      }
    }
  };
  std::vector<double> sums = SumRows(ctx, n, kc * dim + kc, add_rows);
  previous_ = set.centers();
  if (full) {
    sums_ = std::move(sums);
  } else {
    for (size_t i = 0; i < sums_.size(); ++i) sums_[i] += sums[i];
  }
  return sums_;
}

}  // namespace helenus::ml
