#include "ml/kmeans_kernels.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"

namespace helenus::ml {
namespace {

// Dense rows whose distances are computed together (bounds the scratch).
constexpr size_t kRowBlock = 256;

// Four doubles: one AVX register, or two SSE2 ones in the baseline clone.
using V4 = double __attribute__((vector_size(32)));
// A comparison of two V4: -1 (true) or 0 per lane.
using M4 = long long __attribute__((vector_size(32)));

constexpr double kInf = std::numeric_limits<double>::infinity();

// G rows against KV * 4 centres: acc[q * KV + c] holds the dot products of
// row q with centres 4c .. 4c+3. Accumulators are indexed by constants only
// (through an index sequence) so they stay in registers, and each centre
// vector loaded serves G rows. Then finish(q, acc + q * KV) per row.
template <size_t KV, size_t G, typename Finish>
[[gnu::always_inline]] inline void Group(const double* __restrict x, size_t dim,
                                         const double* __restrict t, size_t stride,
                                         Finish&& finish) {
  V4 acc[G * KV] = {};
  [&]<size_t... I>(std::index_sequence<I...>) {
    for (size_t j = 0; j < dim; ++j) {
      const double* tj = t + j * stride;
      const double* xj = x + j;
      auto step = [&](V4& a, size_t q, size_t c) {
        const double v = xj[q * dim];
        const V4 xq = {v, v, v, v};
        V4 tc;
        __builtin_memcpy(&tc, tj + 4 * c, sizeof(tc));
        a += xq * tc;
      };
      (step(acc[I], I / KV, I % KV), ...);
    }
  }
  (std::make_index_sequence<G * KV>{});
  for (size_t q = 0; q < G; ++q) finish(q, acc + q * KV);
}

// Group over all rows; finish(row, acc) as above.
template <size_t KV, typename Finish>
[[gnu::always_inline]] inline void Tile(const double* x, size_t rows, size_t dim, const double* t,
                                        size_t stride, Finish&& finish) {
  // Rows per group: as many as the 16 vector registers hold accumulators for.
  constexpr size_t kGroup = KV <= 2 ? 4 : (KV == 3 ? 3 : 2);
  size_t r = 0;
  for (; r + kGroup <= rows; r += kGroup) {
    Group<KV, kGroup>(x + r * dim, dim, t, stride,
                      [&](size_t q, const V4* a) { finish(r + q, a); });
  }
  for (; r < rows; ++r) {
    Group<KV, 1>(x + r * dim, dim, t, stride, [&](size_t, const V4* a) { finish(r, a); });
  }
}

// out (rows x kp) = dense rows x (rows x dim) times centres t (dim x kp).
// One clone per instruction set, chosen when the program loads; a machine
// always runs the same one.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void DenseDots(const double* x,
                                                                           size_t rows, size_t dim,
                                                                           const double* t,
                                                                           size_t kp, double* out) {
  for (size_t c0 = 0; c0 < kp; c0 += 16) {
    auto store = [&]<size_t KV>(size_t r, const V4* a) {
      __builtin_memcpy(out + r * kp + c0, a, KV * sizeof(V4));
    };
    const double* tc = t + c0;
    switch (std::min<size_t>(16, kp - c0) / 4) {
      case 1:
        Tile<1>(x, rows, dim, tc, kp, [&](size_t r, const V4* a) { store.operator()<1>(r, a); });
        break;
      case 2:
        Tile<2>(x, rows, dim, tc, kp, [&](size_t r, const V4* a) { store.operator()<2>(r, a); });
        break;
      case 3:
        Tile<3>(x, rows, dim, tc, kp, [&](size_t r, const V4* a) { store.operator()<3>(r, a); });
        break;
      default:
        Tile<4>(x, rows, dim, tc, kp, [&](size_t r, const V4* a) { store.operator()<4>(r, a); });
        break;
    }
  }
}

// What DenseNearest needs besides the rows.
struct NearestArgs {
  const double* t;    // centres, dim x kp
  size_t kp;          // at most 16
  const double* sqn;  // |c|^2, +infinity past the k centres
  const double* xx;   // |x|^2 per row
  double tie;         // relative rounding of |c|^2 - 2 x.c
  double max_sq;      // largest |c|^2
  uint32_t* best;
  double* dist;    // squared distance to the nearest centre
  double* second;  // squared distance to the second nearest
  uint8_t* ties;   // 1 where the best two centres are too close to call
};

// Squared distances from dot products, without branches: the lowest, the
// first centre reaching it, and how many centres are within rounding of it.
template <size_t KV>
[[gnu::always_inline]] inline void Argmin(size_t r, const V4* a, const NearestArgs& p) {
  V4 d[KV];
  V4 m = {kInf, kInf, kInf, kInf};
  for (size_t c = 0; c < KV; ++c) {
    V4 s;
    __builtin_memcpy(&s, p.sqn + 4 * c, sizeof(s));
    d[c] = s - 2.0 * a[c];
    m = d[c] < m ? d[c] : m;
  }
  const double low = std::min(std::min(m[0], m[1]), std::min(m[2], m[3]));
  const double bound = low + p.tie * (p.xx[r] + p.max_sq);
  const V4 lowv = {low, low, low, low};
  const V4 limit = {bound, bound, bound, bound};
  V4 first = {kInf, kInf, kInf, kInf};
  M4 near = {};
  for (size_t c = 0; c < KV; ++c) {
    const double b = 4.0 * static_cast<double>(c);
    const V4 index = {b, b + 1, b + 2, b + 3};
    first = (d[c] == lowv && index < first) ? index : first;
    near += d[c] <= limit;
  }
  const double arg = std::min(std::min(first[0], first[1]), std::min(first[2], first[3]));
  const V4 argv = {arg, arg, arg, arg};
  V4 rest = {kInf, kInf, kInf, kInf};
  for (size_t c = 0; c < KV; ++c) {
    const double b = 4.0 * static_cast<double>(c);
    const V4 index = {b, b + 1, b + 2, b + 3};
    const V4 other = index == argv ? V4{kInf, kInf, kInf, kInf} : d[c];
    rest = other < rest ? other : rest;
  }
  const double next = std::min(std::min(rest[0], rest[1]), std::min(rest[2], rest[3]));
  p.best[r] = arg < 16 ? static_cast<uint32_t>(arg) : 0;
  p.dist[r] = std::max(0.0, p.xx[r] + low);
  p.second[r] = std::max(0.0, p.xx[r] + next);
  p.ties[r] = -(near[0] + near[1] + near[2] + near[3]) > 1 || !(arg < 16);
}

// Nearest of at most 16 centres for dense rows x (rows x dim).
__attribute__((target_clones("arch=x86-64-v3", "default"))) void DenseNearest(
    const double* x, size_t rows, size_t dim, const NearestArgs& p) {
  switch (p.kp / 4) {
    case 1:
      Tile<1>(x, rows, dim, p.t, p.kp, [&](size_t r, const V4* a) { Argmin<1>(r, a, p); });
      break;
    case 2:
      Tile<2>(x, rows, dim, p.t, p.kp, [&](size_t r, const V4* a) { Argmin<2>(r, a, p); });
      break;
    case 3:
      Tile<3>(x, rows, dim, p.t, p.kp, [&](size_t r, const V4* a) { Argmin<3>(r, a, p); });
      break;
    default:
      Tile<4>(x, rows, dim, p.t, p.kp, [&](size_t r, const V4* a) { Argmin<4>(r, a, p); });
      break;
  }
}

// sums[best[i]] += scale[i] * row i (scale null = 1), for dense rows.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void AddRowsKernel(const double* rows,
                                                                               size_t n, size_t dim,
                                                                               const uint32_t* best,
                                                                               const double* scale,
                                                                               double* sums) {
  for (size_t i = 0; i < n; ++i) {
    const double* __restrict row = rows + i * dim;
    double* __restrict sum = sums + static_cast<size_t>(best[i]) * dim;
    if (scale == nullptr) {
      for (size_t j = 0; j < dim; ++j) sum[j] += row[j];
    } else {
      const double f = scale[i];
      for (size_t j = 0; j < dim; ++j) sum[j] += f * row[j];
    }
  }
}

// Squared distance of two dense points, four lanes at a time.
__attribute__((target_clones("arch=x86-64-v3", "default"))) double SquaredDistanceKernel(
    const double* a, const double* b, size_t dim) {
  V4 acc = {};
  size_t j = 0;
  for (; j + 4 <= dim; j += 4) {
    V4 va, vb;
    __builtin_memcpy(&va, a + j, sizeof(va));
    __builtin_memcpy(&vb, b + j, sizeof(vb));
    const V4 d = va - vb;
    acc += d * d;
  }
  double s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  for (; j < dim; ++j) s += (a[j] - b[j]) * (a[j] - b[j]);
  return s;
}

}  // namespace

CenterSet::CenterSet(std::vector<double> centers, size_t dim, KMeansDistance distance)
    : k_(dim == 0 ? 0 : centers.size() / dim),
      dim_(dim),
      kp_((k_ + 3) / 4 * 4),
      distance_(distance),
      centers_(std::move(centers)) {
  if (distance_ == KMeansDistance::kCosine) {
    for (size_t c = 0; c < k_; ++c) {
      double* v = centers_.data() + c * dim_;
      double s = 0;
      for (size_t j = 0; j < dim_; ++j) s += v[j] * v[j];
      if (!(s > 0)) ThrowInvalid("Cosine distance is not defined for a zero-length centre");
      const double inv = 1.0 / std::sqrt(s);
      for (size_t j = 0; j < dim_; ++j) v[j] *= inv;
    }
  }
  transposed_.assign(dim_ * kp_, 0.0);
  sq_norms_.assign(kp_, 0.0);
  for (size_t c = 0; c < k_; ++c) {
    const double* v = Center(c);
    double s = 0;
    for (size_t j = 0; j < dim_; ++j) {
      transposed_[j * kp_ + c] = v[j];
      s += v[j] * v[j];
    }
    sq_norms_[c] = s;
    max_sq_norm_ = std::max(max_sq_norm_, s);
  }
  tie_ = 4.0 * static_cast<double>(dim_ + 2) * std::numeric_limits<double>::epsilon();
  sq_norms_inf_.assign(kp_, kInf);
  std::copy_n(sq_norms_.begin(), k_, sq_norms_inf_.begin());
}

uint32_t CenterSet::Nearest(const Vectors& x, size_t r, double norm, double* scratch,
                            double* dist) const {
  double* __restrict acc = scratch;
  const size_t kp = kp_;
  std::fill(acc, acc + kp, 0.0);
  const double* __restrict t = transposed_.data();
  const bool euclidean = distance_ == KMeansDistance::kEuclidean;
  if (!x.sparse && euclidean) {
    // Direct sums of squared differences: as exact as the data allows, so
    // ties and near-ties resolve as a plain Lloyd implementation would.
    const double* __restrict row = x.Row(r);
    for (size_t j = 0; j < dim_; ++j) {
      const double xj = row[j];
      const double* __restrict tj = t + j * kp;
      for (size_t c = 0; c < kp; ++c) {
        const double d = xj - tj[c];
        acc[c] += d * d;
      }
    }
  } else {
    // Dot products with every centre, then distances from the norms.
    x.ForEach(r, [&](uint32_t j, double v) {
      const double* __restrict tj = t + static_cast<size_t>(j) * kp;
      for (size_t c = 0; c < kp; ++c) acc[c] += v * tj[c];
    });
    if (euclidean) {
      const double n2 = norm * norm;
      for (size_t c = 0; c < k_; ++c) acc[c] = std::max(0.0, n2 - 2 * acc[c] + sq_norms_[c]);
    } else {
      const double inv = 1.0 / norm;
      for (size_t c = 0; c < k_; ++c) acc[c] = 1.0 - acc[c] * inv;
    }
  }
  uint32_t best = 0;
  double best_dist = acc[0];
  for (size_t c = 1; c < k_; ++c) {
    if (acc[c] < best_dist) {
      best_dist = acc[c];
      best = static_cast<uint32_t>(c);
    }
  }
  *dist = best_dist;
  return best;
}

void CenterSet::NearestDense(const double* rows, size_t n, const double* xx, uint32_t* best,
                             double* dist, double* second, uint8_t* ties) const {
  for (size_t b = 0; b < n; b += kRowBlock) {
    const size_t m = std::min(kRowBlock, n - b);
    if (kp_ <= 16) {
      const NearestArgs args{
          transposed_.data(), kp_,      sq_norms_inf_.data(), xx + b,  tie_, max_sq_norm_,
          best + b,           dist + b, second + b,           ties + b};
      DenseNearest(rows + b * dim_, m, dim_, args);
      continue;
    }
    // Many centres: dot products in tiles of 16, then a scalar scan.
    std::vector<double> acc(m * kp_);
    DenseDots(rows + b * dim_, m, dim_, transposed_.data(), kp_, acc.data());
    for (size_t i = 0; i < m; ++i) {
      const double* a = acc.data() + i * kp_;
      uint32_t arg = 0;
      double low = sq_norms_[0] - 2 * a[0];
      double next = kInf;
      for (size_t c = 1; c < k_; ++c) {
        const double d = sq_norms_[c] - 2 * a[c];
        if (d < low) {
          next = low;
          low = d;
          arg = static_cast<uint32_t>(c);
        } else if (d < next) {
          next = d;
        }
      }
      const size_t r = b + i;
      best[r] = arg;
      dist[r] = std::max(0.0, xx[r] + low);
      second[r] = std::max(0.0, xx[r] + next);
      ties[r] = !(next - low > Rounding(xx[r]));
    }
  }
}

void CenterSet::NearestRows(const Vectors& x, size_t begin, size_t end, const double* norms,
                            uint32_t* best, double* dist) const {
  if (x.sparse || k_ == 0) {
    std::vector<double> scratch(kp_);
    for (size_t r = begin; r < end; ++r) {
      best[r - begin] =
          Nearest(x, r, norms == nullptr ? 0.0 : norms[r], scratch.data(), &dist[r - begin]);
    }
    return;
  }
  const size_t n = end - begin;
  if (distance_ == KMeansDistance::kEuclidean) {
    // Dot products with every centre (half the work of differences);
    // |x|^2 + |c|^2 - 2 x.c ranks the centres, and rows whose best two are
    // closer than that form's rounding are ranked again by sums of squared
    // differences, so assignments are those of the direct formula.
    std::vector<double> xx(n), second(n), exact(kp_);
    std::vector<uint8_t> ties(n);
    for (size_t r = begin; r < end; ++r) {
      if (norms != nullptr) {
        xx[r - begin] = norms[r] * norms[r];
      } else {
        const double* row = x.Row(r);
        double s = 0;
        for (size_t j = 0; j < dim_; ++j) s += row[j] * row[j];
        xx[r - begin] = s;
      }
    }
    NearestDense(x.Row(begin), n, xx.data(), best, dist, second.data(), ties.data());
    for (size_t i = 0; i < n; ++i) {
      if (ties[i]) best[i] = Nearest(x, begin + i, 0.0, exact.data(), &dist[i]);
    }
    return;
  }
  std::vector<double> acc(std::min(kRowBlock, n) * kp_);
  for (size_t b = begin; b < end; b += kRowBlock) {
    const size_t rows = std::min(kRowBlock, end - b);
    DenseDots(x.Row(b), rows, dim_, transposed_.data(), kp_, acc.data());
    for (size_t i = 0; i < rows; ++i) {
      const double* a = acc.data() + i * kp_;
      const size_t r = b + i;
      const double inv = 1.0 / norms[r];
      uint32_t arg = 0;
      double low = 1.0 - a[0] * inv;
      for (size_t c = 1; c < k_; ++c) {
        const double d = 1.0 - a[c] * inv;
        if (d < low) {
          low = d;
          arg = static_cast<uint32_t>(c);
        }
      }
      best[r - begin] = arg;
      dist[r - begin] = low;
    }
  }
}

double FastSquaredDistance(const double* a, const double* b, size_t dim) {
  return SquaredDistanceKernel(a, b, dim);
}

void AddDenseRows(const double* rows, size_t n, size_t dim, const uint32_t* best,
                  const double* scale, double* sums) {
  AddRowsKernel(rows, n, dim, best, scale, sums);
}

double CenterSet::Distance(const double* point, double norm, size_t c) const {
  // Cosine centres are unit length already.
  return PointDistance(point, norm, Center(c), 1.0, dim_, distance_);
}

double PointDistance(const double* a, double na, const double* b, double nb, size_t dim,
                     KMeansDistance distance) {
  double s = 0;
  if (distance == KMeansDistance::kEuclidean) {
    for (size_t j = 0; j < dim; ++j) {
      const double d = a[j] - b[j];
      s += d * d;
    }
    return s;
  }
  for (size_t j = 0; j < dim; ++j) s += a[j] * b[j];
  return 1.0 - s / (na * nb);
}

std::vector<double> RowNorms(const Context& ctx, const Vectors& x) {
  std::vector<double> norms(x.rows, 0.0);
  ForRows(ctx, x.rows, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      if (x.IsNull(r)) continue;
      double s = 0;
      x.ForEach(r, [&](uint32_t, double v) { s += v * v; });
      norms[r] = std::sqrt(s);
    }
  });
  return norms;
}

}  // namespace helenus::ml
