#include <algorithm>
#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"
#include "helenus/ml/parallel.h"

namespace helenus::ml {

namespace {

constexpr size_t kMaxClusters = 1 << 16;

double SquaredNorm(const Vectors& x, size_t r) {
  double s = 0;
  x.ForEach(r, [&](uint32_t, double v) { s += v * v; });
  return s;
}

// MLlib's pointSilhouetteCoefficient: a is the mean distance to its own
// cluster including itself (distance 0), rescaled to exclude itself.
double PointSilhouette(const std::vector<double>& mean_dist, const std::vector<double>& weight,
                       size_t own, double w) {
  if (weight[own] == w) return 0;  // alone in its cluster
  double b = std::numeric_limits<double>::infinity();
  for (size_t c = 0; c < mean_dist.size(); ++c) {
    if (c != own && weight[c] > 0) b = std::min(b, mean_dist[c]);
  }
  const double a = mean_dist[own] * weight[own] / (weight[own] - w);
  if (a < b) return 1 - a / b;
  if (a > b) return b / a - 1;
  return 0;
}

}  // namespace

double Silhouette(const Vectors& x, std::span<const double> clusters, SilhouetteDistance distance,
                  const Context& ctx, std::span<const double> weights) {
  const size_t n = x.rows;
  if (clusters.size() != n) ThrowInvalid("{} cluster ids for {} points", clusters.size(), n);
  if (!weights.empty() && weights.size() != n) {
    ThrowInvalid("{} weights for {} points", weights.size(), n);
  }
  const bool cosine = distance == SilhouetteDistance::kCosine;
  std::vector<double> norms(n);
  double max_id = 0;
  for (size_t r = 0; r < n; ++r) {
    const double c = clusters[r];
    if (!(c >= 0) || c != std::floor(c) || c >= kMaxClusters) {
      ThrowInvalid("Cluster ids must be 0, 1, 2, ... (below {}); got {}", kMaxClusters, c);
    }
    if (x.IsNull(r)) ThrowInvalid("Features are NULL at row {}", r);
    const double w = weights.empty() ? 1.0 : weights[r];
    if (!(w >= 0) || std::isinf(w)) ThrowInvalid("Weights must be finite and non-negative");
    max_id = std::max(max_id, c);
    norms[r] = SquaredNorm(x, r);
    if (cosine) {
      if (norms[r] == 0) ThrowInvalid("Cosine silhouette needs non-zero vectors (row {})", r);
      norms[r] = std::sqrt(norms[r]);
    }
  }
  // Other ranks may hold higher cluster ids; every rank must size alike.
  std::vector<double> k_all = {n == 0 ? -1.0 : max_id};
  ctx.collective->AllReduceMax(k_all);
  if (k_all[0] < 0) ThrowInvalid("Silhouette needs at least one point");
  const size_t k = static_cast<size_t>(k_all[0]) + 1;
  const size_t d = x.dim;
  // Per cluster: [weight, sum of w ||x||^2, sum of w x (d values)]; for the
  // cosine distance x is normalized first and the norm sum is unused.
  const size_t stride = d + 2;
  auto weight_of = [&](size_t r) { return weights.empty() ? 1.0 : weights[r]; };
  std::vector<double> stats = SumRows(ctx, n, k * stride, [&](size_t b, size_t e, double* acc) {
    for (size_t r = b; r < e; ++r) {
      const double w = weight_of(r);
      double* s = acc + static_cast<size_t>(clusters[r]) * stride;
      s[0] += w;
      const double scale = cosine ? w / norms[r] : w;
      if (!cosine) s[1] += w * norms[r];
      x.ForEach(r, [&](uint32_t j, double v) { s[2 + j] += scale * v; });
    }
  });
  std::vector<double> cluster_weight(k);
  size_t non_empty = 0;
  for (size_t c = 0; c < k; ++c) {
    cluster_weight[c] = stats[c * stride];
    if (cluster_weight[c] > 0) ++non_empty;
  }
  if (non_empty < 2) {
    ThrowInvalid("Number of clusters must be greater than one (found {})", non_empty);
  }

  std::vector<double> total = SumRows(ctx, n, 2, [&](size_t b, size_t e, double* acc) {
    std::vector<double> mean_dist(k);
    for (size_t r = b; r < e; ++r) {
      const double w = weight_of(r);
      for (size_t c = 0; c < k; ++c) {
        const double wc = cluster_weight[c];
        if (wc <= 0) continue;
        const double* s = stats.data() + c * stride;
        const double dot = x.Dot(r, s + 2);
        // Mean over the cluster of ||x - y||^2 = ||x||^2 + mean ||y||^2 - 2 x . mean y,
        // and of 1 - x^ . y^ = 1 - x^ . mean y^.
        mean_dist[c] = cosine ? 1 - dot / (norms[r] * wc) : norms[r] + (s[1] - 2 * dot) / wc;
      }
      acc[0] += w * PointSilhouette(mean_dist, cluster_weight, static_cast<size_t>(clusters[r]), w);
      acc[1] += w;
    }
  });
  if (!(total[1] > 0)) ThrowInvalid("Silhouette needs points of positive weight");
  return total[0] / total[1];
}

}  // namespace helenus::ml
