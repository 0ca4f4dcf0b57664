// Decision trees and random forests (MLlib's DecisionTree* and RandomForest*).

#include <algorithm>
#include <cmath>

#include "helenus/ml/random.h"
#include "ml/tree_binning.h"
#include "ml/tree_fit.h"
#include "ml/tree_models.h"

namespace helenus::ml {

namespace {

// Salt separating the feature-subset streams from the bootstrap streams of a seed.
constexpr uint64_t kFeatureSalt = 0x66656174757265ull;

// Draws Poisson(mean) counts by inverting the CDF with one uniform per row
// (Spark's bootstrap weights; mean = subsampling_rate <= 1).
class PoissonDraw {
 public:
  explicit PoissonDraw(double mean) {
    double p = std::exp(-mean), cdf = p;
    for (int k = 1; cdf < 1 - 1e-16 && k < 255; ++k) {
      cdf_.push_back(cdf);
      p *= mean / k;
      cdf += p;
    }
  }
  uint8_t operator()(Rng& rng) const {
    const double u = rng.Uniform();
    size_t k = 0;
    while (k < cdf_.size() && u >= cdf_[k]) ++k;
    return static_cast<uint8_t>(k);
  }

 private:
  std::vector<double> cdf_;
};

}  // namespace

std::unique_ptr<Model> FitForest(const std::string& kind, const TreeSettings& s,
                                 const PredictorColumns& cols, const Frame& input,
                                 const Context& ctx) {
  const LabeledData data = ReadLabeled(input, cols, s.classifier);
  const size_t n = data.rows();
  const size_t d = data.x->dim;
  const uint64_t seed = static_cast<uint64_t>(s.seed);
  const BinnedFeatures bins = BinnedFeatures::Build(*data.x, s.max_bins, seed, ctx);

  GrowOptions opt = BaseGrowOptions(s);
  double total_weight = 0;
  for (size_t r = 0; r < n; ++r) total_weight += data.weight(r);
  opt.min_weight = s.min_weight_fraction_per_node * total_weight;
  opt.features_per_node = s.algo == TreeAlgo::kRandomForest ? s.FeaturesPerNode(d) : d;

  RowData rows;
  rows.w = data.w.empty() ? nullptr : data.w.data();
  std::vector<uint32_t> labels;
  std::vector<double> centered;
  double mean = 0;
  if (s.classifier) {
    opt.objective = s.impurity == "entropy" ? Objective::kEntropy : Objective::kGini;
    opt.num_classes = data.num_classes;
    labels.resize(n);
    for (size_t r = 0; r < n; ++r) labels[r] = static_cast<uint32_t>(data.y[r]);
    rows.label = labels.data();
  } else {
    // Centering keeps variance sums accurate when the target sits far from 0.
    opt.objective = Objective::kVariance;
    for (size_t r = 0; r < n; ++r) mean += data.weight(r) * data.y[r];
    mean = total_weight > 0 ? mean / total_weight : 0;
    centered.resize(n);
    for (size_t r = 0; r < n; ++r) centered[r] = data.y[r] - mean;
    rows.y = centered.data();
  }

  const size_t num_trees = s.algo == TreeAlgo::kRandomForest ? s.num_trees : 1;
  const bool sampled = s.algo == TreeAlgo::kRandomForest && (s.bootstrap || s.subsampling_rate < 1);
  const PoissonDraw poisson(s.subsampling_rate);
  const size_t value_dim = s.classifier ? data.num_classes : 1;
  std::vector<Tree> trees(num_trees);
  std::vector<std::vector<double>> importance(num_trees, std::vector<double>(d, 0.0));
  TreeProgress progress(ctx, num_trees);

  auto grow = [&](size_t t) {
    TreeJob job;
    job.seed = seed ^ kFeatureSalt;
    job.stream = t;
    std::vector<uint8_t> copies;
    if (sampled) {
      Rng rng = Rng::Stream(seed, t);
      copies.resize(n);
      if (s.bootstrap) {
        for (size_t r = 0; r < n; ++r) copies[r] = poisson(rng);
        job.copies = copies.data();
      } else {
        for (size_t r = 0; r < n; ++r) copies[r] = rng.Uniform() < s.subsampling_rate ? 1 : 0;
      }
      job.rows.reserve(n);
      for (size_t r = 0; r < n; ++r) {
        if (copies[r] != 0) job.rows.push_back(static_cast<uint32_t>(r));
      }
    } else {
      job.rows.resize(n);
      for (size_t r = 0; r < n; ++r) job.rows[r] = static_cast<uint32_t>(r);
    }
    std::vector<TreeJob> jobs;
    jobs.push_back(std::move(job));
    GrownTree g = std::move(GrowTrees(bins, opt, rows, std::move(jobs), ctx)[0]);
    trees[t] = g.ToTree(bins, value_dim, [&](size_t node, double* out) {
      const double* st = g.Stats(node);
      if (s.classifier) {
        std::copy_n(st + 1, value_dim, out);
      } else {
        out[0] = st[1] > 0 ? st[2] / st[1] + mean : mean;
      }
    });
    g.AddImportances(bins, &importance[t]);
    progress.Done();
  };
  // Trees are independent, so they grow in parallel; with several ranks every
  // rank must make the same collective calls in the same order, so one at a time.
  if (ctx.collective->size() == 1) {
    ctx.pool->ParallelFor(num_trees, grow);
  } else {
    for (size_t t = 0; t < num_trees; ++t) grow(t);
  }

  TreeEnsemble e;
  e.settings = s;
  e.trees = std::move(trees);
  e.weights.assign(num_trees, 1.0);
  e.importances = EnsembleImportances(importance, d);
  auto names = FeatureNamesOf(input, cols, d);
  if (s.classifier) {
    return std::make_unique<TreeClassifierModel>(kind, cols, data, std::move(names), std::move(e));
  }
  return std::make_unique<TreeRegressorModel>(kind, cols, data, std::move(names), std::move(e));
}

}  // namespace helenus::ml
