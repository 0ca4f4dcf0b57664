// Gradient-boosted trees (MLlib's GBTClassifier / GBTRegressor), trained
// like XGBoost "hist": each tree fits the loss's gradients and hessians
// with second-order gains, and its leaves take Newton steps -G/H.
// Multiclass classification boosts one tree per class per iteration on the
// softmax loss (MLlib only boosts binary classifiers).

#include <algorithm>
#include <cmath>
#include <numeric>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/random.h"
#include "ml/tree_binning.h"
#include "ml/tree_fit.h"
#include "ml/tree_models.h"

namespace helenus::ml {

namespace {

constexpr uint64_t kFeatureSalt = 0x66656174757265ull;
constexpr uint64_t kSampleSalt = 0x73616d706c65ull;

enum class Loss { kLogistic, kSoftmax, kSquared, kAbsolute };

// The value at which half of the weight lies on either side.
double WeightedMedian(std::vector<std::pair<double, double>>& v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  double total = 0;
  for (const auto& p : v) total += p.second;
  double acc = 0;
  for (const auto& p : v) {
    acc += p.second;
    if (acc >= total / 2) return p.first;
  }
  return v.back().first;
}

double Sigmoid(double f) {
  return 1 / (1 + std::exp(-f));
}

// Everything one boosting run works on.
class Booster {
 public:
  Booster(const TreeSettings& s, const LabeledData& data, const BinnedFeatures& bins,
          std::vector<uint8_t> validation, const Context& ctx)
      : s_(s),
        data_(data),
        bins_(bins),
        ctx_(ctx),
        n_(data.rows()),
        validation_(std::move(validation)) {
    if (s.classifier) {
      loss_ = data.num_classes > 2 ? Loss::kSoftmax : Loss::kLogistic;
      k_ = data.num_classes > 2 ? data.num_classes : 1;
    } else {
      loss_ = s.loss_type == "absolute" ? Loss::kAbsolute : Loss::kSquared;
    }
    for (size_t r = 0; r < n_; ++r) {
      if (!IsValidation(r)) train_.push_back(static_cast<uint32_t>(r));
    }
    if (train_.empty()) ThrowInvalid("Every row is a validation row; none is left to train on");
    has_validation_ = train_.size() < n_;
  }

  TreeEnsemble Run() {
    const size_t k = k_;
    InitBias();
    f_.resize(n_ * k);
    for (size_t r = 0; r < n_; ++r) std::copy_n(bias_.data(), k, f_.data() + r * k);
    g_.resize(n_ * k);
    h_.resize(n_ * k);

    GrowOptions opt = BaseGrowOptions(s_);
    opt.objective = Objective::kNewton;
    opt.features_per_node = s_.FeaturesPerNode(bins_.num_features());
    double mean_w = 0;
    for (uint32_t r : train_) mean_w += data_.weight(r);
    mean_w /= static_cast<double>(train_.size());
    // Like sklearn's min_hessian_to_split: children with almost no curvature
    // would take huge Newton steps.
    opt.min_hessian = loss_ == Loss::kLogistic || loss_ == Loss::kSoftmax ? 1e-3 * mean_w : 0;
    const RowData rows{};

    TreeEnsemble e;
    e.settings = s_;
    e.outputs = k;
    std::vector<std::vector<double>> importance;
    double best_error = has_validation_ ? ValidationError() : 0;
    size_t best_iterations = 0;
    const uint64_t seed = static_cast<uint64_t>(s_.seed);
    for (int it = 0; it < s_.max_iter; ++it) {
      ctx_.CheckCancelled();
      Gradients();
      const std::vector<uint32_t> sample = Sample(it);
      const bool all_rows = sample.size() == n_;
      std::vector<TreeJob> jobs(k);
      for (size_t c = 0; c < k; ++c) {
        jobs[c].rows = sample;
        jobs[c].g = g_.data() + c * n_;
        jobs[c].h = h_.data() + c * n_;
        jobs[c].seed = seed ^ kFeatureSalt;
        jobs[c].stream = static_cast<uint64_t>(it) * k + c;
      }
      std::vector<GrownTree> grown = GrowTrees(bins_, opt, rows, std::move(jobs), ctx_);
      for (size_t c = 0; c < k; ++c) {
        std::vector<double> leaf = LeafValues(grown[c], c);
        Tree t = grown[c].ToTree(bins_, 1, [&](size_t node, double* out) { *out = leaf[node]; });
        Update(grown[c], leaf, c, all_rows);
        importance.emplace_back(bins_.num_features(), 0.0);
        grown[c].AddImportances(bins_, &importance.back());
        e.trees.push_back(std::move(t));
        e.weights.push_back(s_.step_size);
      }
      ctx_.Step(it + 1, s_.max_iter);
      if (has_validation_) {
        // MLlib's rule: stop once an iteration improves the validation loss
        // by less than validation_tol relative to it; keep the best prefix.
        const double error = ValidationError();
        if (best_error - error < s_.validation_tol * std::max(error, 0.01)) break;
        if (error < best_error) {
          best_error = error;
          best_iterations = it + 1;
        }
      } else {
        best_iterations = it + 1;
      }
    }
    e.trees.resize(best_iterations * k);
    e.weights.resize(best_iterations * k);
    importance.resize(best_iterations * k);
    e.bias = bias_;
    e.importances = EnsembleImportances(importance, bins_.num_features());
    return e;
  }

 private:
  bool IsValidation(size_t r) const { return !validation_.empty() && validation_[r] != 0; }

  void InitBias() {
    double wsum = 0;
    for (uint32_t r : train_) wsum += data_.weight(r);
    if (!(wsum > 0)) ThrowInvalid("The training rows have zero total weight");
    switch (loss_) {
      case Loss::kLogistic: {
        double pos = 0;
        for (uint32_t r : train_) pos += data_.weight(r) * (data_.y[r] > 0 ? 1 : 0);
        const double p = std::clamp(pos / wsum, 1e-15, 1 - 1e-15);
        bias_ = {std::log(p / (1 - p))};
        return;
      }
      case Loss::kSoftmax: {
        std::vector<double> prior(k_, 0.0);
        for (uint32_t r : train_) prior[static_cast<size_t>(data_.y[r])] += data_.weight(r);
        bias_.resize(k_);
        for (size_t c = 0; c < k_; ++c) bias_[c] = std::log(std::max(prior[c] / wsum, 1e-15));
        return;
      }
      case Loss::kSquared: {
        double sum = 0;
        for (uint32_t r : train_) sum += data_.weight(r) * data_.y[r];
        bias_ = {sum / wsum};
        return;
      }
      case Loss::kAbsolute: {
        std::vector<std::pair<double, double>> v;
        for (uint32_t r : train_) v.push_back({data_.y[r], data_.weight(r)});
        bias_ = {WeightedMedian(v)};
        return;
      }
    }
  }

  void Gradients() {
    const size_t k = k_;
    ForRows(ctx_, n_, [&](size_t begin, size_t end) {
      std::vector<double> p(k);
      for (size_t r = begin; r < end; ++r) {
        const double w = data_.weight(r);
        const double y = data_.y[r];
        const double* f = f_.data() + r * k;
        switch (loss_) {
          case Loss::kLogistic: {
            const double q = Sigmoid(f[0]);
            g_[r] = w * (q - y);
            h_[r] = w * std::max(q * (1 - q), 1e-16);
            break;
          }
          case Loss::kSoftmax: {
            const double top = *std::max_element(f, f + k);
            double sum = 0;
            for (size_t c = 0; c < k; ++c) sum += (p[c] = std::exp(f[c] - top));
            for (size_t c = 0; c < k; ++c) {
              const double q = p[c] / sum;
              g_[c * n_ + r] = w * (q - (static_cast<size_t>(y) == c ? 1 : 0));
              h_[c * n_ + r] = w * std::max(q * (1 - q), 1e-16);
            }
            break;
          }
          case Loss::kSquared:
            g_[r] = w * (f[0] - y);
            h_[r] = w;
            break;
          case Loss::kAbsolute:
            g_[r] = w * (f[0] > y ? 1.0 : f[0] < y ? -1.0 : 0.0);
            h_[r] = w;
            break;
        }
      }
    });
  }

  // The rows an iteration learns from: every training row, or a Bernoulli
  // sample of subsampling_rate (MLlib samples without replacement for GBT).
  std::vector<uint32_t> Sample(int it) const {
    if (s_.subsampling_rate >= 1) return train_;
    Rng rng = Rng::Stream(static_cast<uint64_t>(s_.seed) ^ kSampleSalt, it);
    std::vector<uint32_t> rows;
    rows.reserve(static_cast<size_t>(static_cast<double>(train_.size()) * s_.subsampling_rate));
    for (uint32_t r : train_) {
      if (rng.Uniform() < s_.subsampling_rate) rows.push_back(r);
    }
    if (rows.empty()) rows.push_back(train_[rng.Below(train_.size())]);
    return rows;
  }

  std::vector<double> LeafValues(const GrownTree& g, size_t c) const {
    std::vector<double> v(g.nodes.size(), 0.0);
    if (loss_ == Loss::kAbsolute) {
      // Leaves move to the median residual of their rows (the loss's own
      // line search), not to the mean sign of the gradients.
      ctx_.pool->ParallelFor(g.nodes.size(), [&](size_t node) {
        if (g.nodes[node].slot >= 0) return;
        std::vector<std::pair<double, double>> res;
        for (uint32_t i = g.nodes[node].begin; i < g.nodes[node].end; ++i) {
          const uint32_t r = g.rows[i];
          res.push_back({data_.y[r] - f_[r], data_.weight(r)});
        }
        v[node] = WeightedMedian(res);
      });
      return v;
    }
    // Friedman's (K - 1) / K scales multiclass steps: the K trees' steps overlap.
    const double scale =
        loss_ == Loss::kSoftmax ? static_cast<double>(k_ - 1) / static_cast<double>(k_) : 1.0;
    for (size_t node = 0; node < g.nodes.size(); ++node) {
      const double* st = g.Stats(node);
      v[node] = st[2] > 0 ? -scale * st[1] / st[2] : 0.0;
    }
    return v;
  }

  void Update(const GrownTree& g, const std::vector<double>& leaf, size_t c, bool all_rows) {
    const size_t k = k_;
    const double step = s_.step_size;
    if (all_rows) {
      // Every row sits in exactly one leaf's range of the partition.
      ctx_.pool->ParallelFor(g.nodes.size(), [&](size_t node) {
        if (g.nodes[node].slot >= 0) return;
        const double v = step * leaf[node];
        for (uint32_t i = g.nodes[node].begin; i < g.nodes[node].end; ++i) {
          f_[g.rows[i] * k + c] += v;
        }
      });
      return;
    }
    ForRows(ctx_, n_, [&](size_t begin, size_t end) {
      for (size_t r = begin; r < end; ++r) f_[r * k + c] += step * leaf[g.LeafOf(bins_, r)];
    });
  }

  double ValidationError() const {
    const size_t k = k_;
    auto sums = SumRows(ctx_, n_, 2, [&](size_t begin, size_t end, double* acc) {
      for (size_t r = begin; r < end; ++r) {
        if (!IsValidation(r)) continue;
        const double w = data_.weight(r);
        const double y = data_.y[r];
        const double* f = f_.data() + r * k;
        double loss = 0;
        switch (loss_) {
          case Loss::kLogistic: {
            // log(1 + exp(-m)) for the signed margin m, computed without overflow.
            const double m = y > 0 ? f[0] : -f[0];
            loss = m > 0 ? std::log1p(std::exp(-m)) : -m + std::log1p(std::exp(m));
            break;
          }
          case Loss::kSoftmax: {
            const double top = *std::max_element(f, f + k);
            double sum = 0;
            for (size_t c = 0; c < k; ++c) sum += std::exp(f[c] - top);
            loss = std::log(sum) + top - f[static_cast<size_t>(y)];
            break;
          }
          case Loss::kSquared:
            loss = (f[0] - y) * (f[0] - y);
            break;
          case Loss::kAbsolute:
            loss = std::fabs(f[0] - y);
            break;
        }
        acc[0] += w * loss;
        acc[1] += w;
      }
    });
    return sums[1] > 0 ? sums[0] / sums[1] : 0;
  }

  const TreeSettings& s_;
  const LabeledData& data_;
  const BinnedFeatures& bins_;
  const Context& ctx_;
  const size_t n_;
  std::vector<uint8_t> validation_;
  Loss loss_ = Loss::kSquared;
  size_t k_ = 1;
  std::vector<uint32_t> train_;
  bool has_validation_ = false;
  std::vector<double> bias_;
  std::vector<double> f_;  // current score, k_ per row
  std::vector<double> g_;  // gradient, class-major: g_[c * n + r]
  std::vector<double> h_;  // hessian, class-major
};

}  // namespace

std::unique_ptr<Model> FitBoosted(const std::string& kind, const TreeSettings& s,
                                  const PredictorColumns& cols, const Frame& input,
                                  const Context& ctx) {
  const LabeledData data = ReadLabeled(input, cols, s.classifier);
  std::vector<uint8_t> validation;
  if (!s.validation_indicator_col.empty()) {
    const std::vector<double> v = input.Numeric(s.validation_indicator_col);
    validation.resize(v.size());
    for (size_t r = 0; r < v.size(); ++r) validation[r] = !std::isnan(v[r]) && v[r] != 0;
  }
  const BinnedFeatures bins =
      BinnedFeatures::Build(*data.x, s.max_bins, static_cast<uint64_t>(s.seed), ctx);
  Booster booster(s, data, bins, std::move(validation), ctx);
  TreeEnsemble e = booster.Run();
  auto names = FeatureNamesOf(input, cols, data.x->dim);
  if (s.classifier) {
    return std::make_unique<TreeClassifierModel>(kind, cols, data, std::move(names), std::move(e));
  }
  return std::make_unique<TreeRegressorModel>(kind, cols, data, std::move(names), std::move(e));
}

}  // namespace helenus::ml
