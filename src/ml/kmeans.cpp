// k-means clustering (Spark MLlib's KMeans): k-means|| or random initial
// centres, then Lloyd iterations whose centroid sums come from SumRows, so
// a model is identical whatever the thread count and can train across ranks.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/registry.h"
#include "ml/kmeans_kernels.h"
#include "ml/kmeans_lloyd.h"

namespace helenus::ml {
namespace {

constexpr std::string_view kKind = "kmeans";

std::vector<ParamSpec> KMeansSpec() {
  return {
      IntParam("k", 2, "number of clusters", 2, 1e6),
      IntParam("max_iter", 20, "maximum number of Lloyd iterations", 0, 1e9),
      StringParam("init_mode", "k-means||", "how initial centres are chosen",
                  {"k-means||", "random"}),
      IntParam("init_steps", 2, "rounds of k-means|| sampling", 1, 1e6),
      DoubleParam("tol", 1e-4, "convergence: every centre moves at most this far", 0),
      StringParam("distance_measure", "euclidean", "distance between points",
                  {"euclidean", "cosine"}),
      IntParam("seed", 0, "random seed"),
      DoublesParam("initial_centers", {},
                   "k * dim starting centres, row-major (overrides init_mode when set)"),
      StringParam("features_col", "features", "feature vector column"),
      StringParam("prediction_col", "prediction", "cluster index column (int)"),
  };
}

KMeansDistance ParseDistance(std::string_view s) {
  return s == "cosine" ? KMeansDistance::kCosine : KMeansDistance::kEuclidean;
}

std::string_view DistanceName(KMeansDistance d) {
  return d == KMeansDistance::kCosine ? "cosine" : "euclidean";
}

// Everything a fitted k-means model holds.
struct KMeansState {
  std::string features_col;
  std::string prediction_col;
  KMeansDistance distance = KMeansDistance::kEuclidean;
  size_t dim = 0;
  std::vector<double> centers;  // num_clusters x dim
  std::vector<std::string> feature_names;
  std::vector<int64_t> sizes;  // training rows per cluster
  double training_cost = 0;
  int64_t iterations = 0;
  // Parameters, for Describe.
  int64_t k = 2;
  int64_t max_iter = 20;
  std::string init_mode;
  int64_t init_steps = 2;
  double tol = 1e-4;
  int64_t seed = 0;
};

// Column names for per-feature columns: the feature names when they are
// usable, else f0, f1, ...
std::vector<std::string> FeatureColumnNames(const std::vector<std::string>& names, size_t dim,
                                            const std::set<std::string>& reserved) {
  std::vector<std::string> out(dim);
  std::set<std::string> seen = reserved;
  const bool named = names.size() == dim;
  for (size_t j = 0; j < dim; ++j) {
    std::string name = named ? names[j] : "";
    if (name.empty() || !seen.insert(name).second) name = fmt::format("f{}", j);
    out[j] = name;
  }
  return out;
}

class KMeansModel final : public Model {
 public:
  explicit KMeansModel(KMeansState s) : s_(std::move(s)), set_(s_.centers, s_.dim, s_.distance) {
    s_.centers = set_.centers();
  }

  std::string kind() const override { return std::string(kKind); }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const Vectors& x = input.VectorsOf(s_.features_col);
    CheckDimension(x, s_.dim, s_.features_col);
    const size_t n = x.rows;
    const bool cosine = s_.distance == KMeansDistance::kCosine;
    std::vector<double> norms;
    if (x.sparse || cosine) norms = RowNorms(ctx, x);
    std::vector<int64_t> pred(n, -1);
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      std::vector<uint32_t> best(end - begin);
      std::vector<double> dist(end - begin);
      set_.NearestRows(x, begin, end, norms.empty() ? nullptr : norms.data(), best.data(),
                       dist.data());
      for (size_t r = begin; r < end; ++r) {
        if (x.IsNull(r) || (cosine && !(norms[r] > 0))) continue;
        // NaN or infinite features have no nearest centre: NULL.
        if (std::isfinite(dist[r - begin])) pred[r] = best[r - begin];
      }
    });
    exec::Column col = exec::Column::Make(DataType::Of(TypeKind::kInt), n);
    for (size_t r = 0; r < n; ++r) {
      if (pred[r] < 0) {
        col.AppendNull();
      } else {
        col.AppendInt(pred[r]);
      }
    }
    Frame out = input;
    out.Add(s_.prediction_col, std::move(col));
    return out;
  }

  void Save(Writer& out) const override {
    out.Str(s_.features_col);
    out.Str(s_.prediction_col);
    out.Str(DistanceName(s_.distance));
    out.U64(s_.dim);
    out.F64s(s_.centers);
    out.Strs(s_.feature_names);
    out.I64s(s_.sizes);
    out.F64(s_.training_cost);
    out.I64(s_.iterations);
    out.I64(s_.k);
    out.I64(s_.max_iter);
    out.Str(s_.init_mode);
    out.I64(s_.init_steps);
    out.F64(s_.tol);
    out.I64(s_.seed);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    KMeansState s;
    s.features_col = in.Str();
    s.prediction_col = in.Str();
    const std::string distance = in.Str();
    if (distance != "euclidean" && distance != "cosine") {
      ThrowInvalid("Corrupt model: k-means distance {}", distance);
    }
    s.distance = ParseDistance(distance);
    s.dim = in.U64();
    s.centers = in.F64s();
    s.feature_names = in.Strs();
    s.sizes = in.I64s();
    s.training_cost = in.F64();
    s.iterations = in.I64();
    s.k = in.I64();
    s.max_iter = in.I64();
    s.init_mode = in.Str();
    s.init_steps = in.I64();
    s.tol = in.F64();
    s.seed = in.I64();
    if (s.dim == 0 || s.centers.empty() || s.centers.size() % s.dim != 0 ||
        s.sizes.size() != s.centers.size() / s.dim) {
      ThrowInvalid("Corrupt model: k-means centres do not match their dimension");
    }
    return std::make_unique<KMeansModel>(std::move(s));
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    return {
        {"k", std::to_string(s_.k)},
        {"num_clusters", std::to_string(set_.k())},
        {"num_features", std::to_string(s_.dim)},
        {"distance_measure", std::string(DistanceName(s_.distance))},
        {"init_mode", s_.init_mode},
        {"init_steps", std::to_string(s_.init_steps)},
        {"max_iter", std::to_string(s_.max_iter)},
        {"tol", fmt::format("{}", s_.tol)},
        {"seed", std::to_string(s_.seed)},
        {"iterations", std::to_string(s_.iterations)},
        {"training_cost", fmt::format("{}", s_.training_cost)},
        {"cluster_sizes", fmt::format("{}", fmt::join(s_.sizes, ", "))},
    };
  }

  std::vector<std::string> Artifacts() const override { return {"cluster_centers"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "cluster_centers") return Model::Artifact(name);
    const size_t k = set_.k();
    Frame f;
    exec::Column cluster = exec::Column::Make(DataType::Of(TypeKind::kInt), k);
    exec::Column size = exec::Column::Make(DataType::Of(TypeKind::kBigint), k);
    for (size_t c = 0; c < k; ++c) {
      cluster.AppendInt(static_cast<int64_t>(c));
      size.AppendInt(s_.sizes[c]);
    }
    f.Add("cluster", std::move(cluster));
    const auto names = FeatureColumnNames(s_.feature_names, s_.dim, {"cluster", "size"});
    for (size_t j = 0; j < s_.dim; ++j) {
      exec::Column v = exec::Column::Make(DataType::Of(TypeKind::kDouble), k);
      for (size_t c = 0; c < k; ++c) v.AppendDouble(set_.Center(c)[j]);
      f.Add(names[j], std::move(v));
    }
    f.Add("size", std::move(size));
    return f;
  }

 private:
  KMeansState s_;
  CenterSet set_;
};

// The first row of x that k-means cannot use (NULL, NaN or infinite values;
// zero length for cosine), or x.rows when there is none.
size_t FirstBadRow(const Context& ctx, const Vectors& x, const std::vector<double>& norms,
                   bool cosine) {
  std::vector<size_t> bad(NumChunks(x.rows), x.rows);
  ForRows(ctx, x.rows, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      // A finite norm means every value is finite.
      if (x.IsNull(r) || !std::isfinite(norms[r]) || (cosine && !(norms[r] > 0))) {
        bad[begin / kChunkRows] = r;
        return;
      }
    }
  });
  return bad.empty() ? x.rows : *std::min_element(bad.begin(), bad.end());
}

class KMeans final : public Estimator {
 public:
  explicit KMeans(const Params& p) {
    const auto spec = KMeansSpec();
    s_.k = p.Int(spec, "k");
    s_.max_iter = p.Int(spec, "max_iter");
    s_.init_mode = p.String(spec, "init_mode");
    s_.init_steps = p.Int(spec, "init_steps");
    s_.tol = p.Double(spec, "tol");
    s_.distance = ParseDistance(p.String(spec, "distance_measure"));
    s_.seed = p.Int(spec, "seed");
    s_.features_col = p.String(spec, "features_col");
    s_.prediction_col = p.String(spec, "prediction_col");
    initial_ = p.Doubles(spec, "initial_centers");
  }

  std::string kind() const override { return std::string(kKind); }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const Vectors& x = input.VectorsOf(s_.features_col);
    const size_t n = x.rows;
    const size_t dim = x.dim;
    const size_t k = static_cast<size_t>(s_.k);
    if (n == 0) ThrowInvalid("The training set is empty");
    if (dim == 0) ThrowInvalid("Features column {} has no features", s_.features_col);
    const bool cosine = s_.distance == KMeansDistance::kCosine;
    const std::vector<double> norms = RowNorms(ctx, x);
    if (const size_t r = FirstBadRow(ctx, x, norms, cosine); r < n) {
      ThrowInvalid("Features column {} has a NULL vector, NaN or infinite values{} at row {}",
                   s_.features_col, cosine ? " or a zero vector (cosine)" : "", r);
    }
    KMeansState s = s_;
    s.dim = dim;
    s.feature_names = input.AttrsOf(s_.features_col).feature_names;
    const uint64_t seed = static_cast<uint64_t>(s_.seed);
    std::vector<double> centers;
    if (!initial_.empty()) {
      if (initial_.size() != k * dim) {
        ThrowInvalid("initial_centers has {} values; k * dim = {} * {} = {} are needed",
                     initial_.size(), k, dim, k * dim);
      }
      for (double v : initial_) {
        if (!std::isfinite(v)) ThrowInvalid("initial_centers must hold finite numbers");
      }
      centers = initial_;
    } else if (s_.init_mode == "random") {
      centers = InitKMeansRandom(ctx, x, k, seed);
    } else {
      centers =
          InitKMeansParallel(ctx, x, norms, k, static_cast<int>(s_.init_steps), seed, s_.distance);
    }
    CenterSet set(std::move(centers), dim, s_.distance);
    const size_t kc = set.k();
    const size_t total = static_cast<size_t>(s_.max_iter);

    // Lloyd: sums and counts of the rows nearest to each centre, then every
    // centre with rows moves to their mean; converged when none moved more
    // than tol (Spark's rule; an empty cluster keeps its centre).
    LloydPass lloyd(x, norms, s_.distance);
    int64_t iter = 0;
    bool converged = false;
    while (static_cast<size_t>(iter) < total && !converged) {
      ctx.CheckCancelled();
      const std::vector<double> stats = lloyd.Sums(ctx, set);
      std::vector<double> next = set.centers();
      converged = true;
      for (size_t c = 0; c < kc; ++c) {
        const double count = stats[kc * dim + c];
        if (count == 0) continue;
        double* center = next.data() + c * dim;
        for (size_t j = 0; j < dim; ++j) center[j] = stats[c * dim + j] / count;
        if (cosine) {
          double s2 = 0;
          for (size_t j = 0; j < dim; ++j) s2 += center[j] * center[j];
          // Opposite unit vectors can cancel out: keep the old centre then.
          if (!(s2 > 0)) {
            std::copy_n(set.Center(c), dim, center);
            continue;
          }
          for (size_t j = 0; j < dim; ++j) center[j] /= std::sqrt(s2);
        }
        const double moved = PointDistance(set.Center(c), 1.0, center, 1.0, dim, s_.distance);
        if (moved > (cosine ? s_.tol : s_.tol * s_.tol)) converged = false;
      }
      set = CenterSet(std::move(next), dim, s_.distance);
      ++iter;
      ctx.Step(static_cast<uint64_t>(iter), total);
    }

    // Sizes and cost against the final centres (what predictions give).
    const std::vector<double> fin = SumRows(ctx, n, kc + 1, [&](size_t b, size_t e, double* acc) {
      std::vector<uint32_t> best(e - b);
      std::vector<double> dist(e - b);
      set.NearestRows(x, b, e, norms.data(), best.data(), dist.data());
      for (size_t i = 0; i < e - b; ++i) {
        acc[best[i]] += 1;
        acc[kc] += dist[i];
      }
    });
    s.sizes.resize(kc);
    for (size_t c = 0; c < kc; ++c) s.sizes[c] = static_cast<int64_t>(fin[c]);
    s.training_cost = fin[kc];
    s.iterations = iter;
    s.centers = set.centers();
    return std::make_unique<KMeansModel>(std::move(s));
  }

 private:
  KMeansState s_;
  std::vector<double> initial_;
};

}  // namespace

void RegisterKMeans(Registry& r) {
  r.Add(EstimatorInfo{
      .name = std::string(kKind),
      .task = Task::kClustering,
      .doc = "k-means clustering (k-means|| initialization, Lloyd iterations)",
      .params = KMeansSpec(),
      .make = [](const Params& p) { return std::make_unique<KMeans>(p); },
  });
  r.AddLoader(std::string(kKind), [](Reader& in) { return KMeansModel::Load(in); });
}

}  // namespace helenus::ml
