// Logistic regression as Spark MLlib fits it: mean log loss plus an elastic
// net on the standardized coefficients, minimized with L-BFGS (OWL-QN with
// L1); binomial (one coefficient vector, class 1 against 0) or multinomial
// (softmax over every class, the over-parameterized form, centered).

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/registry.h"
#include "ml/linear_common.h"

namespace helenus::ml {
namespace {

constexpr char kKind[] = "logistic_regression";

std::vector<ParamSpec> Spec() {
  std::vector<ParamSpec> s = LinearParams::Specs(true);
  s.push_back(StringParam("family", "auto",
                          "binomial (two classes), multinomial (softmax), or auto: binomial "
                          "for two classes",
                          {"auto", "binomial", "multinomial"}));
  s.push_back(DoubleParam("threshold", 0.5, "binary prediction threshold on P(class 1)", 0.0, 1.0));
  return WithColumnSpecs(std::move(s), true);
}

class LogisticRegressionModel final : public ClassificationModel {
 public:
  LogisticRegressionModel() = default;
  LogisticRegressionModel(PredictorColumns cols, const LabeledData& data, const Frame& input,
                          LinearParams params, bool multinomial, double threshold, LinearFit fit)
      : ClassificationModel(std::move(cols), data),
        params_(params),
        multinomial_(multinomial),
        coef_(std::move(fit.coef)),
        intercepts_(std::move(fit.intercepts)),
        iterations_(fit.result.iterations),
        objective_(fit.result.value),
        stop_reason_(std::move(fit.result.stop_reason)) {
    feature_names_ = FeatureNames(input, cols_.features, num_features_);
    if (num_classes_ == 2) set_threshold(threshold);
  }

  std::string kind() const override { return kKind; }

  void PredictRaw(const Vectors& x, size_t r, double* raw) const override {
    const size_t d = num_features_;
    if (!multinomial_) {
      const double m = x.Dot(r, coef_.data()) + intercepts_[0];
      raw[0] = -m;
      raw[1] = m;
      return;
    }
    const size_t k = num_classes_;
    for (size_t c = 0; c < k; ++c) raw[c] = intercepts_[c];
    x.ForEach(r, [&](uint32_t j, double v) {
      if (v == 0) return;
      for (size_t c = 0; c < k; ++c) raw[c] += v * coef_[c * d + j];
    });
  }

  void RawToProbability(double* s) const override {
    if (!multinomial_) {
      const double p = 1.0 / (1.0 + std::exp(-s[1]));
      s[0] = 1.0 - p;
      s[1] = p;
      return;
    }
    const size_t k = num_classes_;
    const double mx = *std::max_element(s, s + k);
    double sum = 0;
    for (size_t c = 0; c < k; ++c) sum += (s[c] = std::exp(s[c] - mx));
    for (size_t c = 0; c < k; ++c) s[c] /= sum;
  }

  void Save(Writer& out) const override {
    SaveBase(out);
    params_.Save(out);
    out.Bool(multinomial_);
    out.F64s(coef_);
    out.F64s(intercepts_);
    out.I64(iterations_);
    out.F64(objective_);
    out.Str(stop_reason_);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    auto m = std::make_unique<LogisticRegressionModel>();
    m->LoadBase(in);
    m->params_ = LinearParams::Load(in);
    m->multinomial_ = in.Bool();
    m->coef_ = in.F64s();
    m->intercepts_ = in.F64s();
    m->iterations_ = in.I64();
    m->objective_ = in.F64();
    m->stop_reason_ = in.Str();
    const size_t sets = m->multinomial_ ? m->num_classes_ : 1;
    if ((!m->multinomial_ && m->num_classes_ != 2) || m->coef_.size() != sets * m->num_features_ ||
        m->intercepts_.size() != sets) {
      ThrowInvalid("Corrupt model: logistic regression coefficients do not match its shape");
    }
    return m;
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    auto d = ClassificationModel::Describe();
    d.push_back({"family", multinomial_ ? "multinomial" : "binomial"});
    params_.Describe(&d);
    if (num_classes_ == 2) d.push_back({"threshold", fmt::format("{}", threshold_)});
    d.push_back({"iterations", std::to_string(iterations_)});
    d.push_back({"objective", fmt::format("{}", objective_)});
    d.push_back({"stop_reason", stop_reason_});
    if (multinomial_) {
      d.push_back({"intercepts", JoinNumbers(intercepts_)});
    } else {
      d.push_back({"intercept", fmt::format("{}", intercepts_[0])});
      d.push_back({"coefficients", JoinNumbers(coef_)});
    }
    return d;
  }

  std::vector<std::string> Artifacts() const override { return {"coefficients"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "coefficients") return Model::Artifact(name);
    std::vector<std::string> classes;
    for (size_t c = multinomial_ ? 0 : 1; c < num_classes_; ++c) {
      classes.push_back(c < labels_.size() ? labels_[c] : std::to_string(c));
    }
    return CoefficientsFrame(classes, feature_names_, coef_, intercepts_, params_.fit_intercept);
  }

 private:
  LinearParams params_;
  bool multinomial_ = false;
  std::vector<double> coef_;        // sets x features, original scale
  std::vector<double> intercepts_;  // sets
  int64_t iterations_ = 0;
  double objective_ = 0;
  std::string stop_reason_;
};

// log(1 + e^m) - y m summed with weights; g = w (sigmoid(m) - y).
double BinomialLoss(const LabeledData& data, size_t b, size_t e, const double* margins, double* g) {
  double loss = 0;
  for (size_t r = b; r < e; ++r) {
    const double m = margins[r - b];
    const double w = data.weight(r);
    const double y = data.y[r];
    const double t = std::exp(-std::abs(m));
    const double softplus = std::max(m, 0.0) + std::log1p(t);
    const double sigmoid = m >= 0 ? 1.0 / (1.0 + t) : t / (1.0 + t);
    loss += w * (softplus - y * m);
    g[r - b] = w * (sigmoid - y);
  }
  return loss;
}

// Cross-entropy of the softmax over k margins; g = w (p - onehot(y)).
double MultinomialLoss(const LabeledData& data, size_t k, size_t b, size_t e, const double* margins,
                       double* g) {
  double loss = 0;
  for (size_t r = b; r < e; ++r) {
    const double* m = margins + (r - b) * k;
    double* gr = g + (r - b) * k;
    const double w = data.weight(r);
    const size_t y = static_cast<size_t>(data.y[r]);
    const double mx = *std::max_element(m, m + k);
    double sum = 0;
    for (size_t c = 0; c < k; ++c) sum += (gr[c] = std::exp(m[c] - mx));
    loss += w * (mx + std::log(sum) - m[y]);
    const double scale = w / sum;
    for (size_t c = 0; c < k; ++c) gr[c] *= scale;
    gr[y] -= w;
  }
  return loss;
}

class LogisticRegression final : public Estimator {
 public:
  explicit LogisticRegression(const Params& p)
      : cols_(PredictorColumns::From(p)),
        params_(LinearParams::From(p)),
        family_(p.String("family", "auto")),
        threshold_(p.Double("threshold", 0.5)) {}

  std::string kind() const override { return kKind; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    LabeledData data = ReadLabeled(input, cols_, true);
    const size_t k = data.num_classes;
    if (family_ == "binomial" && k > 2) {
      ThrowInvalid(
          "Logistic regression with family 'binomial' needs 2 classes, column {} has "
          "{}; use family 'multinomial'",
          cols_.label, k);
    }
    const bool multinomial = family_ == "multinomial" || k > 2;
    const FeatureStats stats = ComputeFeatureStats(ctx, data, false);
    std::vector<double> hist = SumRows(ctx, data.rows(), k, [&](size_t b, size_t e, double* acc) {
      for (size_t r = b; r < e; ++r) acc[static_cast<size_t>(data.y[r])] += data.weight(r);
    });
    LinearProblem problem;
    problem.center = params_.fit_intercept;
    problem.intercept = params_.fit_intercept;
    // Spark's starting intercepts: the log odds of the class frequencies
    // (add-one smoothed and centered for multinomial).
    if (multinomial) {
      problem.k = k;
      problem.loss = [&data, k](size_t b, size_t e, const double* m, double* g) {
        return MultinomialLoss(data, k, b, e, m, g);
      };
      double mean = 0;
      for (double h : hist) mean += std::log1p(h) / static_cast<double>(k);
      for (double h : hist) problem.initial_intercepts.push_back(std::log1p(h) - mean);
    } else {
      problem.k = 1;
      problem.loss = [&data](size_t b, size_t e, const double* m, double* g) {
        return BinomialLoss(data, b, e, m, g);
      };
      if (hist[0] > 0 && hist[1] > 0) problem.initial_intercepts = {std::log(hist[1] / hist[0])};
    }
    LinearFit fit = FitLinear(ctx, data, stats, params_, problem);
    if (multinomial) {
      // The softmax is unchanged by adding a constant to every class: report
      // the centered solution (Spark centers coefficients only when there is
      // no penalty, which otherwise centers them already).
      const size_t d = data.x->dim;
      if (params_.reg_param == 0) {
        for (size_t j = 0; j < d; ++j) {
          double mean = 0;
          for (size_t c = 0; c < k; ++c) mean += fit.coef[c * d + j] / static_cast<double>(k);
          for (size_t c = 0; c < k; ++c) fit.coef[c * d + j] -= mean;
        }
      }
      if (params_.fit_intercept) {
        double mean = 0;
        for (double b : fit.intercepts) mean += b / static_cast<double>(k);
        for (double& b : fit.intercepts) b -= mean;
      }
    }
    const auto it = static_cast<uint64_t>(std::max(fit.result.iterations, 1));
    ctx.Step(it, it);
    return std::make_unique<LogisticRegressionModel>(cols_, data, input, params_, multinomial,
                                                     threshold_, std::move(fit));
  }

 private:
  PredictorColumns cols_;
  LinearParams params_;
  std::string family_;
  double threshold_;
};

}  // namespace

void RegisterLogisticRegression(Registry& r) {
  r.Add(EstimatorInfo{
      kKind, Task::kClassification,
      "Logistic regression (binomial or multinomial) with elastic-net regularization", Spec(),
      [](const Params& p) { return std::make_unique<LogisticRegression>(p); }});
  r.AddLoader(kKind, [](Reader& in) { return LogisticRegressionModel::Load(in); });
}

}  // namespace helenus::ml
