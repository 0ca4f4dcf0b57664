// Linear support vector classification as Spark MLlib fits it: mean hinge
// loss plus reg_param / 2 * ||w||^2 on the standardized coefficients,
// minimized with OWL-QN (Spark runs Breeze's OWL-QN without an L1 term: its
// backtracking line search copes with the hinge's kinks). Binary only.
//
// Spark's LinearSVCModel has no probability column. Helenus fills it with
// the one-hot vector of the prediction (1 for the predicted class), so that
// argmax of the probability is the prediction whatever the threshold; the
// margins are in raw_prediction as [-m, m].

#include <fmt/format.h>

#include <algorithm>
#include <memory>

#include "helenus/common/error.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/registry.h"
#include "ml/linear_common.h"

namespace helenus::ml {
namespace {

constexpr char kKind[] = "linear_svc";

std::vector<ParamSpec> Spec() {
  std::vector<ParamSpec> s = LinearParams::Specs(false);
  s.push_back(DoubleParam("threshold", 0.0, "predict class 1 when the margin is above this"));
  return WithColumnSpecs(std::move(s), true);
}

class LinearSvcModel final : public ClassificationModel {
 public:
  LinearSvcModel() = default;
  LinearSvcModel(PredictorColumns cols, const LabeledData& data, const Frame& input,
                 LinearParams params, double threshold, LinearFit fit)
      : ClassificationModel(std::move(cols), data),
        params_(params),
        margin_threshold_(threshold),
        coef_(std::move(fit.coef)),
        intercept_(fit.intercepts[0]),
        iterations_(fit.result.iterations),
        objective_(fit.result.value),
        stop_reason_(std::move(fit.result.stop_reason)) {
    feature_names_ = FeatureNames(input, cols_.features, num_features_);
  }

  std::string kind() const override { return kKind; }

  void PredictRaw(const Vectors& x, size_t r, double* raw) const override {
    const double m = x.Dot(r, coef_.data()) + intercept_;
    raw[0] = -m;
    raw[1] = m;
  }

  void RawToProbability(double* s) const override {
    const double one = s[1] > margin_threshold_ ? 1.0 : 0.0;
    s[0] = 1.0 - one;
    s[1] = one;
  }

  void Save(Writer& out) const override {
    SaveBase(out);
    params_.Save(out);
    out.F64(margin_threshold_);
    out.F64s(coef_);
    out.F64(intercept_);
    out.I64(iterations_);
    out.F64(objective_);
    out.Str(stop_reason_);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    auto m = std::make_unique<LinearSvcModel>();
    m->LoadBase(in);
    m->params_ = LinearParams::Load(in);
    m->margin_threshold_ = in.F64();
    m->coef_ = in.F64s();
    m->intercept_ = in.F64();
    m->iterations_ = in.I64();
    m->objective_ = in.F64();
    m->stop_reason_ = in.Str();
    if (m->num_classes_ != 2 || m->coef_.size() != m->num_features_) {
      ThrowInvalid("Corrupt model: linear SVC coefficients do not match its shape");
    }
    return m;
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    auto d = ClassificationModel::Describe();
    params_.Describe(&d, false);
    d.push_back({"threshold", fmt::format("{}", margin_threshold_)});
    d.push_back({"iterations", std::to_string(iterations_)});
    d.push_back({"objective", fmt::format("{}", objective_)});
    d.push_back({"stop_reason", stop_reason_});
    d.push_back({"intercept", fmt::format("{}", intercept_)});
    d.push_back({"coefficients", JoinNumbers(coef_)});
    return d;
  }

  std::vector<std::string> Artifacts() const override { return {"coefficients"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "coefficients") return Model::Artifact(name);
    return CoefficientsFrame({}, feature_names_, coef_, {intercept_}, params_.fit_intercept);
  }

 private:
  LinearParams params_;
  double margin_threshold_ = 0;
  std::vector<double> coef_;
  double intercept_ = 0;
  int64_t iterations_ = 0;
  double objective_ = 0;
  std::string stop_reason_;
};

class LinearSvc final : public Estimator {
 public:
  explicit LinearSvc(const Params& p)
      : cols_(PredictorColumns::From(p)),
        params_(LinearParams::From(p)),
        threshold_(p.Double("threshold", 0.0)) {}

  std::string kind() const override { return kKind; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    LabeledData data = ReadLabeled(input, cols_, true);
    if (data.num_classes != 2) {
      ThrowInvalid("linear_svc is a binary classifier; column {} has {} classes", cols_.label,
                   data.num_classes);
    }
    const FeatureStats stats = ComputeFeatureStats(ctx, data, false);
    LinearProblem problem;
    problem.center = params_.fit_intercept;
    problem.intercept = params_.fit_intercept;
    problem.orthant_wise = true;
    // Hinge loss max(0, 1 - s m) with s = 2y - 1, and its subgradient.
    problem.loss = [&data](size_t b, size_t e, const double* margins, double* g) {
      double loss = 0;
      for (size_t r = b; r < e; ++r) {
        const double s = 2 * data.y[r] - 1;
        const double w = data.weight(r);
        const double h = 1 - s * margins[r - b];
        if (h > 0) {
          loss += w * h;
          g[r - b] = -w * s;
        } else {
          g[r - b] = 0;
        }
      }
      return loss;
    };
    LinearFit fit = FitLinear(ctx, data, stats, params_, problem);
    const auto it = static_cast<uint64_t>(std::max(fit.result.iterations, 1));
    ctx.Step(it, it);
    return std::make_unique<LinearSvcModel>(cols_, data, input, params_, threshold_,
                                            std::move(fit));
  }

 private:
  PredictorColumns cols_;
  LinearParams params_;
  double threshold_;
};

}  // namespace

void RegisterLinearSvc(Registry& r) {
  r.Add(EstimatorInfo{kKind, Task::kClassification,
                      "Linear support vector classifier (hinge loss, L2 regularization)", Spec(),
                      [](const Params& p) { return std::make_unique<LinearSvc>(p); }});
  r.AddLoader(kKind, [](Reader& in) { return LinearSvcModel::Load(in); });
}

}  // namespace helenus::ml
