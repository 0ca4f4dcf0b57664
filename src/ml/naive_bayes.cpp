// Naive Bayes as Spark MLlib and scikit-learn define it:
//   multinomial  theta_cj = log((sum_c x_j + a) / (sum_c sum_j x_j + d a))
//   bernoulli    theta_cj = log((sum_c x_j + a) / (n_c + 2 a)), features 0/1
//   complement   theta_cj = -log((sum_not_c x_j + a) / (sum_not_c sum_j x_j + d a)),
//                raw prediction normalized to log-probabilities (Spark), no prior
//   gaussian     per-class mean and variance + 1e-9 * the largest feature variance
// with a = smoothing. The class prior is the weighted class frequency
// log(n_c / n) for every model but complement (scikit-learn's; Spark adds
// smoothing to it for multinomial/bernoulli, which flips near-tied rows
// against scikit-learn). Classes without training weight are never predicted.
// Training is one or two passes of per-class sums (SumRows); sparse vectors
// are never densified.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numbers>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {
namespace {

constexpr char kKind[] = "naive_bayes";
// Per-(class, feature) sums are taken in panels of features so that
// SumRows's partial accumulators (one per partial) stay within this many
// bytes for wide text features; one pass when they fit.
constexpr size_t kPanelBudgetBytes = size_t{256} << 20;
// scikit-learn's floor on the smoothing (its force_alpha=False): a zero
// smoothing would give log(0) for unseen features.
constexpr double kMinSmoothing = 1e-10;
// GaussianNB's var_smoothing (Spark uses the same fraction).
constexpr double kVarSmoothing = 1e-9;
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

enum class NbType { kMultinomial, kBernoulli, kGaussian, kComplement };

NbType ParseType(const std::string& s) {
  if (s == "bernoulli") return NbType::kBernoulli;
  if (s == "gaussian") return NbType::kGaussian;
  if (s == "complement") return NbType::kComplement;
  return NbType::kMultinomial;
}

std::string TypeName(NbType t) {
  switch (t) {
    case NbType::kMultinomial:
      return "multinomial";
    case NbType::kBernoulli:
      return "bernoulli";
    case NbType::kGaussian:
      return "gaussian";
    case NbType::kComplement:
      return "complement";
  }
  return "?";
}

std::vector<ParamSpec> Spec() {
  return WithColumnSpecs(
      {
          DoubleParam("smoothing", 1.0, "additive (Laplace/Lidstone) smoothing", 0.0),
          StringParam("model_type", "multinomial",
                      "multinomial, bernoulli (0/1 features), gaussian or complement",
                      {"multinomial", "bernoulli", "gaussian", "complement"}),
      },
      true);
}

// Why a feature value is unusable for the model type, or nullptr.
const char* BadValue(NbType t, double v) {
  switch (t) {
    case NbType::kMultinomial:
    case NbType::kComplement:
      return v >= 0 && v < std::numeric_limits<double>::infinity()
                 ? nullptr
                 : "must be non-negative and finite";
    case NbType::kBernoulli:
      return v == 0 || v == 1 ? nullptr : "must be 0 or 1";
    case NbType::kGaussian:
      return std::isfinite(v) ? nullptr : "must be finite";
  }
  return nullptr;
}

[[noreturn]] void ThrowBadValue(NbType t, size_t row, double v) {
  ThrowInvalid("naive_bayes with model_type {}: feature values {}; row {} has {}", TypeName(t),
               BadValue(t, v), row, v);
}

// Sums per (class, feature) over all rows, feature panel by panel:
// fn(b, e, f0, f1, acc) adds rows [b, e)'s statistics of features [f0, f1)
// into acc (k x (f1 - f0)), followed, in the first panel only, by `extra`
// values. Returns k x d sums then the extras.
std::vector<double> ClassFeatureSums(
    const Context& ctx, size_t rows, size_t k, size_t d, size_t extra,
    const std::function<void(size_t, size_t, size_t, size_t, double*)>& fn) {
  std::vector<double> out(k * d + extra, 0.0);
  const size_t partials = NumPartials(rows);
  const size_t width =
      std::max<size_t>(1, kPanelBudgetBytes / (sizeof(double) * partials * std::max<size_t>(k, 1)));
  for (size_t f0 = 0; f0 < d || (d == 0 && f0 == 0); f0 += width) {
    const size_t f1 = std::min(d, f0 + width);
    const size_t pw = f1 - f0;
    const size_t n = k * pw + (f0 == 0 ? extra : 0);
    auto acc = SumRows(ctx, rows, n, [&](size_t b, size_t e, double* a) { fn(b, e, f0, f1, a); });
    for (size_t c = 0; c < k; ++c) {
      std::copy_n(acc.data() + c * pw, pw, out.data() + c * d + f0);
    }
    if (f0 == 0) std::copy_n(acc.data() + k * pw, extra, out.data() + k * d);
    ctx.CheckCancelled();
    if (d == 0) break;
  }
  return out;
}

class NaiveBayesModel final : public ClassificationModel {
 public:
  NaiveBayesModel() = default;
  NaiveBayesModel(PredictorColumns cols, const LabeledData& data, const Frame& input, NbType type,
                  double smoothing, std::vector<double> pi, std::vector<double> theta,
                  std::vector<double> sigma)
      : ClassificationModel(std::move(cols), data),
        type_(type),
        smoothing_(smoothing),
        pi_(std::move(pi)),
        theta_(std::move(theta)),
        sigma_(std::move(sigma)) {
    feature_names_ = input.AttrsOf(cols_.features).feature_names;
    Prepare();
  }

  std::string kind() const override { return kKind; }

  void PredictRaw(const Vectors& x, size_t r, double* raw) const override {
    const size_t k = num_classes_;
    if (type_ == NbType::kGaussian) {
      PredictGaussian(x, r, raw);
      return;
    }
    // weights_ is d x k (class innermost) so a feature's classes are contiguous.
    std::copy(bias_.begin(), bias_.end(), raw);
    x.ForEach(r, [&](uint32_t j, double v) {
      if (v == 0) return;
      if (BadValue(type_, v) != nullptr) ThrowBadValue(type_, r, v);
      const double* w = weights_.data() + static_cast<size_t>(j) * k;
      for (size_t c = 0; c < k; ++c) raw[c] += v * w[c];
    });
    for (size_t c = 0; c < k; ++c) {
      if (!present_[c]) raw[c] = kNegInf;
    }
    if (type_ == NbType::kComplement) {
      const double lse = LogSumExp(raw);
      for (size_t c = 0; c < k; ++c) raw[c] -= lse;
    }
  }

  void RawToProbability(double* s) const override {
    const size_t k = num_classes_;
    const double mx = *std::max_element(s, s + k);
    double sum = 0;
    for (size_t c = 0; c < k; ++c) sum += (s[c] = std::exp(s[c] - mx));
    for (size_t c = 0; c < k; ++c) s[c] /= sum;
  }

  void Save(Writer& out) const override {
    SaveBase(out);
    out.Str(TypeName(type_));
    out.F64(smoothing_);
    out.F64s(pi_);
    out.F64s(theta_);
    out.F64s(sigma_);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    auto m = std::make_unique<NaiveBayesModel>();
    m->LoadBase(in);
    const std::string type = in.Str();
    m->type_ = ParseType(type);
    if (TypeName(m->type_) != type) ThrowInvalid("Corrupt model: naive_bayes type {}", type);
    m->smoothing_ = in.F64();
    m->pi_ = in.F64s();
    m->theta_ = in.F64s();
    m->sigma_ = in.F64s();
    const size_t kd = m->num_classes_ * m->num_features_;
    if (m->pi_.size() != m->num_classes_ || m->theta_.size() != kd ||
        m->sigma_.size() != (m->type_ == NbType::kGaussian ? kd : 0)) {
      ThrowInvalid("Corrupt model: naive_bayes parameters do not match its shape");
    }
    m->Prepare();
    return m;
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    auto d = ClassificationModel::Describe();
    d.push_back({"model_type", TypeName(type_)});
    d.push_back({"smoothing", fmt::format("{}", smoothing_)});
    std::vector<std::string> pi;
    for (double v : pi_) pi.push_back(fmt::format("{:.6g}", v));
    d.push_back({"pi", fmt::format("[{}]", fmt::join(pi, ", "))});
    return d;
  }

  std::vector<std::string> Artifacts() const override {
    if (type_ == NbType::kGaussian) return {"pi", "theta", "sigma"};
    return {"pi", "theta"};
  }

  // pi: class, log_prior; theta/sigma: class, feature, value.
  Frame Artifact(std::string_view name) const override {
    const size_t k = num_classes_;
    const size_t d = num_features_;
    const DataType text = DataType::Of(TypeKind::kText);
    const DataType dbl = DataType::Of(TypeKind::kDouble);
    auto class_name = [&](size_t c) { return c < labels_.size() ? labels_[c] : std::to_string(c); };
    Frame out;
    if (name == "pi") {
      exec::Column cls = exec::Column::Make(text);
      exec::Column val = exec::Column::Make(dbl);
      for (size_t c = 0; c < k; ++c) {
        cls.AppendString(class_name(c));
        val.AppendDouble(pi_[c]);
      }
      out.Add("class", std::move(cls));
      out.Add("log_prior", std::move(val));
      return out;
    }
    if (name != "theta" && !(name == "sigma" && type_ == NbType::kGaussian)) {
      return Model::Artifact(name);
    }
    const std::vector<double>& m = name == "theta" ? theta_ : sigma_;
    exec::Column cls = exec::Column::Make(text);
    exec::Column feat = exec::Column::Make(text);
    exec::Column val = exec::Column::Make(dbl);
    for (size_t c = 0; c < k; ++c) {
      for (size_t j = 0; j < d; ++j) {
        cls.AppendString(class_name(c));
        feat.AppendString(j < feature_names_.size() && feature_names_.size() == d
                              ? feature_names_[j]
                              : fmt::format("f{}", j));
        val.AppendDouble(m[c * d + j]);
      }
    }
    out.Add("class", std::move(cls));
    out.Add("feature", std::move(feat));
    out.Add(std::string(name), std::move(val));
    return out;
  }

 private:
  // Derives the prediction-time tables from pi, theta and sigma.
  void Prepare() {
    const size_t k = num_classes_;
    const size_t d = num_features_;
    present_.assign(k, 0);
    for (size_t c = 0; c < k; ++c) present_[c] = pi_[c] > kNegInf ? 1 : 0;
    bias_.assign(k, 0.0);
    mean_term_.clear();
    if (type_ == NbType::kGaussian) {
      // raw_c = pi_c - 0.5 sum_j log(2 pi var) - 0.5 sum_j (x_j - mean)^2 / var;
      // sparse rows use sum_j mean^2 / var plus a correction per non-zero.
      inv_var_.resize(k * d);
      for (size_t c = 0; c < k; ++c) {
        double b = pi_[c];
        double mean_term = 0;
        for (size_t j = 0; j < d; ++j) {
          const double var = sigma_[c * d + j];
          inv_var_[c * d + j] = 1.0 / var;
          b -= 0.5 * std::log(2 * std::numbers::pi * var);
          mean_term += theta_[c * d + j] * theta_[c * d + j] / var;
        }
        bias_[c] = b;
        mean_term_.push_back(mean_term);
      }
      return;
    }
    weights_.assign(d * k, 0.0);
    for (size_t c = 0; c < k; ++c) {
      bias_[c] = type_ == NbType::kComplement ? 0.0 : pi_[c];
      for (size_t j = 0; j < d; ++j) {
        const double t = theta_[c * d + j];
        if (type_ == NbType::kBernoulli) {
          // log P(x_j = 0) for every feature, corrected for the ones present.
          const double neg = std::log1p(-std::exp(t));
          bias_[c] += neg;
          weights_[j * k + c] = t - neg;
        } else {
          weights_[j * k + c] = t;
        }
      }
    }
  }

  void PredictGaussian(const Vectors& x, size_t r, double* raw) const {
    const size_t k = num_classes_;
    const size_t d = num_features_;
    for (size_t c = 0; c < k; ++c) {
      if (!present_[c]) {
        raw[c] = kNegInf;
        continue;
      }
      const double* mean = theta_.data() + c * d;
      const double* iv = inv_var_.data() + c * d;
      double s = 0;
      if (x.sparse) {
        s = mean_term_[c];
        x.ForEach(r, [&](uint32_t j, double v) {
          if (!std::isfinite(v)) ThrowBadValue(type_, r, v);
          const double dv = v - mean[j];
          s += (dv * dv - mean[j] * mean[j]) * iv[j];
        });
      } else {
        const double* row = x.Row(r);
        for (size_t j = 0; j < d; ++j) {
          const double dv = row[j] - mean[j];
          s += dv * dv * iv[j];
        }
        if (!std::isfinite(s)) {
          for (size_t j = 0; j < d; ++j) {
            if (!std::isfinite(row[j])) ThrowBadValue(type_, r, row[j]);
          }
        }
      }
      raw[c] = bias_[c] - 0.5 * s;
    }
  }

  double LogSumExp(const double* raw) const {
    const size_t k = num_classes_;
    const double mx = *std::max_element(raw, raw + k);
    if (!std::isfinite(mx)) return mx;
    double sum = 0;
    for (size_t c = 0; c < k; ++c) sum += std::exp(raw[c] - mx);
    return mx + std::log(sum);
  }

  NbType type_ = NbType::kMultinomial;
  double smoothing_ = 1.0;
  std::vector<double> pi_;     // log prior per class (-inf: class absent from training)
  std::vector<double> theta_;  // k x d: log probabilities, or means (gaussian)
  std::vector<double> sigma_;  // k x d: variances (gaussian only)
  // Prediction tables, rebuilt by Prepare().
  std::vector<uint8_t> present_;
  std::vector<double> bias_;
  std::vector<double> weights_;  // d x k
  std::vector<double> inv_var_;  // k x d
  std::vector<double> mean_term_;
};

class NaiveBayes final : public Estimator {
 public:
  explicit NaiveBayes(const Params& p)
      : cols_(PredictorColumns::From(p)),
        type_(ParseType(p.String("model_type", "multinomial"))),
        smoothing_(p.Double("smoothing", 1.0)) {}

  std::string kind() const override { return kKind; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    LabeledData data = ReadLabeled(input, cols_, true);
    const Vectors& x = *data.x;
    const size_t k = data.num_classes;
    const size_t d = x.dim;
    const size_t n = data.rows();
    // Pass 1: per class sum w x, then per class weight, and bad values.
    auto sums = ClassFeatureSums(ctx, n, k, d, k + 1,
                                 [&](size_t b, size_t e, size_t f0, size_t f1, double* acc) {
                                   const size_t pw = f1 - f0;
                                   size_t bad = 0;
                                   for (size_t r = b; r < e; ++r) {
                                     const size_t c = static_cast<size_t>(data.y[r]);
                                     const double w = data.weight(r);
                                     double* a = acc + c * pw;
                                     if (x.sparse) {
                                       for (uint64_t i = x.offsets[r]; i < x.offsets[r + 1]; ++i) {
                                         const uint32_t j = x.indices[i];
                                         const double v = x.values[i];
                                         if (f0 == 0) bad += BadValue(type_, v) != nullptr;
                                         if (j >= f0 && j < f1) a[j - f0] += w * v;
                                       }
                                     } else {
                                       const double* row = x.Row(r);
                                       if (f0 == 0) {
                                         for (size_t j = 0; j < d; ++j)
                                           bad += BadValue(type_, row[j]) != nullptr;
                                       }
                                       for (size_t j = f0; j < f1; ++j) a[j - f0] += w * row[j];
                                     }
                                     if (f0 == 0) acc[k * pw + c] += w;
                                   }
                                   if (f0 == 0) acc[k * pw + k] += static_cast<double>(bad);
                                 });
    if (sums[k * d + k] > 0) ReportBadValue(data);
    const std::vector<double> class_weight(sums.begin() + k * d, sums.begin() + k * d + k);
    double total = 0;
    for (double w : class_weight) total += w;
    if (!(total > 0)) ThrowInvalid("The weights of the training rows sum to zero");
    std::vector<double> pi(k, kNegInf);
    for (size_t c = 0; c < k; ++c) {
      if (class_weight[c] > 0) pi[c] = std::log(class_weight[c]) - std::log(total);
    }
    std::vector<double> theta(k * d, 0.0), sigma;
    if (type_ == NbType::kGaussian) {
      sigma = GaussianVariances(ctx, data, class_weight, sums, &theta);
    } else {
      DiscreteTheta(class_weight, sums, &theta);
    }
    ctx.Step(1, 1);
    return std::make_unique<NaiveBayesModel>(cols_, data, input, type_, smoothing_, std::move(pi),
                                             std::move(theta), std::move(sigma));
  }

 private:
  [[noreturn]] void ReportBadValue(const LabeledData& data) const {
    for (size_t r = 0; r < data.rows(); ++r) {
      data.x->ForEach(r, [&](uint32_t, double v) {
        if (BadValue(type_, v) != nullptr) ThrowBadValue(type_, r, v);
      });
    }
    ThrowInvalid("naive_bayes: bad feature value");
  }

  void DiscreteTheta(const std::vector<double>& class_weight, const std::vector<double>& sums,
                     std::vector<double>* theta) const {
    const size_t k = class_weight.size();
    const size_t d = theta->size() / std::max<size_t>(k, 1);
    const double a = std::max(smoothing_, kMinSmoothing);
    std::vector<double> feature_total(d, 0.0);
    if (type_ == NbType::kComplement) {
      for (size_t c = 0; c < k; ++c) {
        for (size_t j = 0; j < d; ++j) feature_total[j] += sums[c * d + j];
      }
    }
    std::vector<double> count(d);
    for (size_t c = 0; c < k; ++c) {
      double denom = 0;
      for (size_t j = 0; j < d; ++j) {
        const double s = sums[c * d + j];
        count[j] = (type_ == NbType::kComplement ? feature_total[j] - s : s) + a;
        denom += count[j];
      }
      if (type_ == NbType::kBernoulli) denom = class_weight[c] + 2 * a;
      const double log_denom = std::log(denom);
      for (size_t j = 0; j < d; ++j) {
        const double t = std::log(count[j]) - log_denom;
        (*theta)[c * d + j] = type_ == NbType::kComplement ? -t : t;
      }
    }
  }

  // Means into theta; returns the variances (second pass around the means)
  // plus 1e-9 times the largest variance of a feature over all rows.
  std::vector<double> GaussianVariances(const Context& ctx, const LabeledData& data,
                                        const std::vector<double>& class_weight,
                                        const std::vector<double>& sums,
                                        std::vector<double>* theta) const {
    const Vectors& x = *data.x;
    const size_t k = class_weight.size();
    const size_t d = x.dim;
    for (size_t c = 0; c < k; ++c) {
      for (size_t j = 0; j < d; ++j) {
        (*theta)[c * d + j] = class_weight[c] > 0 ? sums[c * d + j] / class_weight[c] : 0.0;
      }
    }
    const std::vector<double>& mean = *theta;
    // Sparse rows: (x - m)^2 over stored values, minus m^2 there; the
    // implicit zeros add W_c m^2 once, below.
    auto m2 = ClassFeatureSums(ctx, data.rows(), k, d, 0,
                               [&](size_t b, size_t e, size_t f0, size_t f1, double* acc) {
                                 const size_t pw = f1 - f0;
                                 for (size_t r = b; r < e; ++r) {
                                   const size_t c = static_cast<size_t>(data.y[r]);
                                   const double w = data.weight(r);
                                   const double* mc = mean.data() + c * d;
                                   double* a = acc + c * pw;
                                   if (x.sparse) {
                                     for (uint64_t i = x.offsets[r]; i < x.offsets[r + 1]; ++i) {
                                       const uint32_t j = x.indices[i];
                                       if (j < f0 || j >= f1) continue;
                                       const double dv = x.values[i] - mc[j];
                                       a[j - f0] += w * (dv * dv - mc[j] * mc[j]);
                                     }
                                   } else {
                                     const double* row = x.Row(r);
                                     for (size_t j = f0; j < f1; ++j) {
                                       const double dv = row[j] - mc[j];
                                       a[j - f0] += w * dv * dv;
                                     }
                                   }
                                 }
                               });
    double total = 0;
    for (double w : class_weight) total += w;
    std::vector<double> var(k * d, 0.0);
    double max_var = 0;
    for (size_t j = 0; j < d; ++j) {
      // The variance over all rows from the per-class ones (exact decomposition).
      double grand_mean = 0;
      for (size_t c = 0; c < k; ++c) grand_mean += class_weight[c] * mean[c * d + j];
      grand_mean /= total;
      double grand_m2 = 0;
      for (size_t c = 0; c < k; ++c) {
        double s = m2[c * d + j];
        if (x.sparse) s += class_weight[c] * mean[c * d + j] * mean[c * d + j];
        s = std::max(s, 0.0);
        var[c * d + j] = class_weight[c] > 0 ? s / class_weight[c] : 0.0;
        const double dm = mean[c * d + j] - grand_mean;
        grand_m2 += s + class_weight[c] * dm * dm;
      }
      max_var = std::max(max_var, grand_m2 / total);
    }
    double epsilon = kVarSmoothing * max_var;
    // Every feature constant over all rows: any positive floor keeps the
    // densities finite (the classes then differ by their priors only).
    if (!(epsilon > 0)) epsilon = kVarSmoothing;
    for (double& v : var) v += epsilon;
    return var;
  }

  PredictorColumns cols_;
  NbType type_;
  double smoothing_;
};

}  // namespace

void RegisterNaiveBayes(Registry& r) {
  r.Add(EstimatorInfo{kKind, Task::kClassification,
                      "Naive Bayes classifier (multinomial, bernoulli, gaussian or complement)",
                      Spec(), [](const Params& p) { return std::make_unique<NaiveBayes>(p); }});
  r.AddLoader(kKind, [](Reader& in) { return NaiveBayesModel::Load(in); });
}

}  // namespace helenus::ml
