// Initial k-means centres: k-means|| (Spark's default) and random rows.

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "helenus/ml/parallel.h"
#include "helenus/ml/random.h"
#include "ml/kmeans_kernels.h"

namespace helenus::ml {
namespace {

// Points per parallel task when scanning candidate centres.
constexpr size_t kPointBlock = 256;
// Lloyd iterations of the local k-means on the k-means|| candidates (Spark's).
constexpr int kLocalIterations = 30;

void AppendRow(const Vectors& x, size_t r, std::vector<double>* out) {
  const size_t at = out->size();
  out->resize(at + x.dim);
  x.Densify(r, out->data() + at);
}

std::vector<uint8_t> ToBytes(const std::vector<double>& v) {
  std::vector<uint8_t> bytes(v.size() * sizeof(double));
  if (!v.empty()) std::memcpy(bytes.data(), v.data(), bytes.size());
  return bytes;
}

void AppendBytes(const std::vector<uint8_t>& bytes, std::vector<double>* out) {
  const size_t at = out->size();
  out->resize(at + bytes.size() / sizeof(double));
  if (!bytes.empty()) std::memcpy(out->data() + at, bytes.data(), bytes.size());
}

// Every rank's points, in rank order: candidates are sampled where the rows are.
std::vector<double> GatherPoints(const Context& ctx, std::vector<double> local) {
  if (ctx.collective->size() == 1) return local;
  std::vector<double> all;
  for (const auto& part : ctx.collective->AllGather(ToBytes(local))) AppendBytes(part, &all);
  return all;
}

// Rank 0's points on every rank.
void BroadcastPoints(const Context& ctx, std::vector<double>* points) {
  if (ctx.collective->size() == 1) return;
  std::vector<uint8_t> bytes = ToBytes(*points);
  ctx.collective->Broadcast(&bytes, 0);
  points->clear();
  AppendBytes(bytes, points);
}

// The distinct points (dim values each), first occurrences, in their order.
std::vector<double> DistinctPoints(const std::vector<double>& points, size_t dim) {
  const size_t m = dim == 0 ? 0 : points.size() / dim;
  std::vector<size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  auto row = [&](size_t i) { return points.data() + i * dim; };
  auto less = [&](size_t a, size_t b) {
    return std::lexicographical_compare(row(a), row(a) + dim, row(b), row(b) + dim);
  };
  std::stable_sort(order.begin(), order.end(), less);
  std::vector<size_t> keep;
  for (size_t i = 0; i < m; ++i) {
    if (i == 0 || less(order[i - 1], order[i])) keep.push_back(order[i]);
  }
  std::sort(keep.begin(), keep.end());
  std::vector<double> out;
  out.reserve(keep.size() * dim);
  for (size_t i : keep) out.insert(out.end(), row(i), row(i) + dim);
  return out;
}

// Spark's LocalKMeans.kMeansPlusPlus: weighted k-means++ seeding, then
// weighted Lloyd iterations, over a few candidate points.
std::vector<double> LocalKMeansPlusPlus(const Context& ctx, const std::vector<double>& points,
                                        const std::vector<double>& weights, size_t dim, size_t k,
                                        Rng& rng, KMeansDistance distance) {
  const size_t m = weights.size();
  Vectors pts = Vectors::Dense(0, dim);
  pts.values = points;
  pts.rows = m;
  std::vector<double> norms(m);
  for (size_t p = 0; p < m; ++p) {
    double s = 0;
    for (size_t j = 0; j < dim; ++j) s += pts.Row(p)[j] * pts.Row(p)[j];
    norms[p] = std::sqrt(s);
  }
  const size_t blocks = (m + kPointBlock - 1) / kPointBlock;
  auto for_points = [&](const std::function<void(size_t)>& fn) {
    ctx.pool->ParallelFor(blocks, [&](size_t b) {
      for (size_t p = b * kPointBlock; p < std::min(m, (b + 1) * kPointBlock); ++p) fn(p);
    });
  };
  auto copy_point = [&](size_t p, size_t c, std::vector<double>* centers) {
    std::copy_n(pts.Row(p), dim, centers->data() + c * dim);
  };

  std::vector<double> centers(k * dim);
  size_t picked = 0;
  {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    const double r = rng.Uniform() * total;
    double cum = 0;
    size_t i = 0;
    while (i < m && cum < r) cum += weights[i++];
    picked = i == 0 ? 0 : i - 1;
  }
  copy_point(picked, 0, &centers);
  std::vector<double> cost(m);
  for_points([&](size_t p) {
    cost[p] = PointDistance(pts.Row(p), norms[p], centers.data(), norms[picked], dim, distance);
  });
  for (size_t c = 1; c < k; ++c) {
    double sum = 0;
    for (size_t p = 0; p < m; ++p) sum += cost[p] * weights[p];
    const double r = rng.Uniform() * sum;
    double cum = 0;
    size_t j = 0;
    while (j < m && cum < r) {
      cum += weights[j] * cost[j];
      ++j;
    }
    const size_t chosen = j == 0 ? 0 : j - 1;
    copy_point(chosen, c, &centers);
    const double* center = centers.data() + c * dim;
    for_points([&](size_t p) {
      cost[p] = std::min(cost[p],
                         PointDistance(pts.Row(p), norms[p], center, norms[chosen], dim, distance));
    });
  }

  std::vector<uint32_t> closest(m, std::numeric_limits<uint32_t>::max());
  std::vector<uint32_t> assigned(m);
  for (int iter = 0; iter < kLocalIterations; ++iter) {
    CenterSet set(centers, dim, distance);
    for_points([&](size_t p) {
      std::vector<double> scratch(set.scratch_size());
      double d;
      assigned[p] = set.Nearest(pts, p, norms[p], scratch.data(), &d);
    });
    bool moved = false;
    std::vector<double> sums(k * dim, 0.0), counts(k, 0.0);
    for (size_t p = 0; p < m; ++p) {
      const uint32_t c = assigned[p];
      if (c != closest[p]) moved = true;
      closest[p] = c;
      // Cosine centres are means of unit vectors (Spark's CosineDistanceMeasure).
      const double scale =
          weights[p] * (distance == KMeansDistance::kCosine ? 1.0 / norms[p] : 1.0);
      for (size_t j = 0; j < dim; ++j) sums[c * dim + j] += scale * pts.Row(p)[j];
      counts[c] += weights[p];
    }
    if (!moved) break;
    for (size_t c = 0; c < k; ++c) {
      if (counts[c] == 0) {
        copy_point(rng.Below(m), c, &centers);
      } else {
        for (size_t j = 0; j < dim; ++j) centers[c * dim + j] = sums[c * dim + j] / counts[c];
      }
    }
  }
  return centers;
}

}  // namespace

std::vector<double> InitKMeansParallel(const Context& ctx, const Vectors& x,
                                       const std::vector<double>& norms, size_t k, int steps,
                                       uint64_t seed, KMeansDistance distance) {
  const size_t n = x.rows;
  const size_t dim = x.dim;
  const uint64_t rank = static_cast<uint64_t>(ctx.collective->rank());
  std::vector<double> fresh;
  if (rank == 0 && n > 0) {
    Rng rng = Rng::Stream(seed, 0);
    AppendRow(x, rng.Below(n), &fresh);
  }
  BroadcastPoints(ctx, &fresh);
  std::vector<double> candidates = fresh;
  std::vector<double> cost(n, std::numeric_limits<double>::infinity());
  double total = 0;
  for (int step = 0; step < steps; ++step) {
    ctx.CheckCancelled();
    if (!fresh.empty()) {
      CenterSet set(fresh, dim, distance);
      total = SumRows(ctx, n, 1, [&](size_t begin, size_t end, double* acc) {
        std::vector<uint32_t> best(end - begin);
        std::vector<double> dist(end - begin);
        set.NearestRows(x, begin, end, norms.data(), best.data(), dist.data());
        for (size_t r = begin; r < end; ++r) {
          cost[r] = std::min(cost[r], dist[r - begin]);
          acc[0] += cost[r];
        }
      })[0];
    }
    if (!(total > 0)) break;  // every row sits on a candidate already
    // Each row is kept with probability 2k * cost / total (Spark's
    // oversampling), from a generator per row chunk.
    std::vector<std::vector<double>> chosen(NumChunks(n));
    const double factor = 2.0 * static_cast<double>(k) / total;
    const uint64_t step_seed = Mix64(seed + 1 + static_cast<uint64_t>(step)) ^ (rank << 40);
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      const size_t chunk = begin / kChunkRows;
      Rng rng = Rng::Stream(step_seed, chunk);
      for (size_t r = begin; r < end; ++r) {
        if (rng.Uniform() < factor * cost[r]) AppendRow(x, r, &chosen[chunk]);
      }
    });
    fresh.clear();
    for (const auto& c : chosen) fresh.insert(fresh.end(), c.begin(), c.end());
    fresh = GatherPoints(ctx, std::move(fresh));
    candidates.insert(candidates.end(), fresh.begin(), fresh.end());
  }
  std::vector<double> distinct = DistinctPoints(candidates, dim);
  const size_t m = dim == 0 ? 0 : distinct.size() / dim;
  if (m <= k) return distinct;
  CenterSet set(distinct, dim, distance);
  std::vector<double> weights = SumRows(ctx, n, m, [&](size_t begin, size_t end, double* acc) {
    std::vector<uint32_t> best(end - begin);
    std::vector<double> dist(end - begin);
    set.NearestRows(x, begin, end, norms.data(), best.data(), dist.data());
    for (uint32_t c : best) acc[c] += 1;
  });
  Rng rng = Rng::Stream(seed, 1);
  return LocalKMeansPlusPlus(ctx, distinct, weights, dim, k, rng, distance);
}

std::vector<double> InitKMeansRandom(const Context& ctx, const Vectors& x, size_t k,
                                     uint64_t seed) {
  std::vector<double> points;
  if (ctx.collective->rank() == 0) {
    // A partial Fisher-Yates shuffle over row numbers, swaps kept in a map.
    Rng rng = Rng::Stream(seed, 0);
    const uint64_t n = x.rows;
    std::unordered_map<uint64_t, uint64_t> moved;
    auto at = [&](uint64_t i) {
      auto it = moved.find(i);
      return it == moved.end() ? i : it->second;
    };
    for (uint64_t i = 0; i < std::min<uint64_t>(k, n); ++i) {
      const uint64_t j = i + rng.Below(n - i);
      const uint64_t vi = at(i), vj = at(j);
      moved[j] = vi;
      AppendRow(x, vj, &points);
    }
  }
  BroadcastPoints(ctx, &points);
  return DistinctPoints(points, x.dim);
}

}  // namespace helenus::ml
