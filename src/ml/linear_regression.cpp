// Linear regression as Spark MLlib fits it. Squared error: features and
// label are standardized, the objective is
//   1/(2W) sum w (y~ - x~ b)^2 + reg/std_y * ((1-a)/2 ||b||^2 + a ||b||_1)
// and the result is mapped back to the original scale. The normal solver
// builds the (d+1)^2 Gram matrix of [x, y] in one pass (SumRows) and solves
// it with LDLT (OWL-QN over the Gram matrix when there is an L1 term); the
// l-bfgs solver passes over the rows at every evaluation. Huber loss (Owen's
// concomitant scale, as Spark): jointly minimizes over the coefficients and
// the scale sigma with L-BFGS, L2 penalty only.

#include <fmt/format.h>

#include <Eigen/Dense>
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

constexpr char kKind[] = "linear_regression";
// Spark's WeightedLeastSquares limit: beyond it the Gram matrix is too big.
constexpr size_t kMaxNormalFeatures = 4096;
// Gram rows are accumulated in panels so that SumRows's partial
// accumulators (one per partial) stay within this many bytes.
constexpr size_t kPanelBudgetBytes = size_t{256} << 20;

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::vector<ParamSpec> Spec() {
  std::vector<ParamSpec> s = LinearParams::Specs(true);
  s.push_back(StringParam("solver", "auto",
                          "normal (Gram matrix), l-bfgs, or auto: normal up to 4096 features",
                          {"auto", "normal", "l-bfgs"}));
  s.push_back(StringParam("loss", "squared_error", "squared_error or huber",
                          {"squared_error", "squaredError", "huber"}));
  s.push_back(DoubleParam("epsilon", 1.35, "huber loss: where it turns from quadratic to linear",
                          1.0 + 1e-12));
  return WithColumnSpecs(std::move(s), false);
}

// What a fit produced beyond the coefficients.
struct RegressionFit {
  std::vector<double> coef;
  double intercept = 0;
  double scale = 0;  // huber only: the fitted sigma
  std::string solver;
  int64_t iterations = 0;
  double objective = 0;
  std::string stop_reason;
  double rmse = 0;
  double r2 = 0;
};

class LinearRegressionModel final : public RegressionModel {
 public:
  LinearRegressionModel() = default;
  LinearRegressionModel(PredictorColumns cols, const LabeledData& data, const Frame& input,
                        LinearParams params, bool huber, double epsilon, RegressionFit fit)
      : RegressionModel(std::move(cols), data),
        params_(params),
        huber_(huber),
        epsilon_(epsilon),
        fit_(std::move(fit)) {
    feature_names_ = FeatureNames(input, cols_.features, num_features_);
  }

  std::string kind() const override { return kKind; }

  double Predict(const Vectors& x, size_t r) const override {
    return x.Dot(r, fit_.coef.data()) + fit_.intercept;
  }

  void Save(Writer& out) const override {
    SaveBase(out);
    params_.Save(out);
    out.Bool(huber_);
    out.F64(epsilon_);
    out.F64s(fit_.coef);
    out.F64(fit_.intercept);
    out.F64(fit_.scale);
    out.Str(fit_.solver);
    out.I64(fit_.iterations);
    out.F64(fit_.objective);
    out.Str(fit_.stop_reason);
    out.F64(fit_.rmse);
    out.F64(fit_.r2);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    auto m = std::make_unique<LinearRegressionModel>();
    m->LoadBase(in);
    m->params_ = LinearParams::Load(in);
    m->huber_ = in.Bool();
    m->epsilon_ = in.F64();
    RegressionFit& f = m->fit_;
    f.coef = in.F64s();
    f.intercept = in.F64();
    f.scale = in.F64();
    f.solver = in.Str();
    f.iterations = in.I64();
    f.objective = in.F64();
    f.stop_reason = in.Str();
    f.rmse = in.F64();
    f.r2 = in.F64();
    if (f.coef.size() != m->num_features_) {
      ThrowInvalid("Corrupt model: linear regression has {} coefficients for {} features",
                   f.coef.size(), m->num_features_);
    }
    return m;
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    auto d = RegressionModel::Describe();
    params_.Describe(&d);
    d.push_back({"loss", huber_ ? "huber" : "squared_error"});
    if (huber_) {
      d.push_back({"epsilon", fmt::format("{}", epsilon_)});
      d.push_back({"scale", fmt::format("{}", fit_.scale)});
    }
    d.push_back({"solver", fit_.solver});
    d.push_back({"iterations", std::to_string(fit_.iterations)});
    d.push_back({"objective", fmt::format("{}", fit_.objective)});
    if (!fit_.stop_reason.empty()) d.push_back({"stop_reason", fit_.stop_reason});
    d.push_back({"intercept", fmt::format("{}", fit_.intercept)});
    d.push_back({"coefficients", JoinNumbers(fit_.coef)});
    d.push_back({"training_rmse", fmt::format("{}", fit_.rmse)});
    d.push_back({"training_r2", fmt::format("{}", fit_.r2)});
    return d;
  }

  std::vector<std::string> Artifacts() const override { return {"coefficients"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "coefficients") return Model::Artifact(name);
    return CoefficientsFrame({}, feature_names_, fit_.coef, {fit_.intercept},
                             params_.fit_intercept);
  }

 private:
  LinearParams params_;
  bool huber_ = false;
  double epsilon_ = 1.35;
  RegressionFit fit_;
};

// Sum w z z^T over rows for z = [x, y] - shift, in panels of rows of the
// (d+1) x (d+1) result. Sparse rows must come with a zero shift.
Eigen::MatrixXd Gram(const Context& ctx, const LabeledData& data,
                     const std::vector<double>& shift) {
  const Vectors& x = *data.x;
  const size_t d = x.dim;
  const size_t n1 = d + 1;
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(n1, n1);
  const size_t partials = NumPartials(data.rows());
  const size_t panel = std::max<size_t>(1, kPanelBudgetBytes / (sizeof(double) * partials * n1));
  for (size_t p0 = 0; p0 < n1; p0 += panel) {
    const size_t p1 = std::min(n1, p0 + panel);
    const size_t rows_p = p1 - p0;
    auto acc = SumRows(ctx, data.rows(), rows_p * n1, [&](size_t b, size_t e, double* out) {
      const size_t m = e - b;
      Eigen::Map<RowMatrix> a(out, rows_p, n1);
      if (!x.sparse) {
        RowMatrix z(m, n1);
        for (size_t r = 0; r < m; ++r) {
          const double sw = std::sqrt(data.weight(b + r));
          const double* row = x.Row(b + r);
          for (size_t j = 0; j < d; ++j) z(r, j) = sw * (row[j] - shift[j]);
          z(r, d) = sw * (data.y[b + r] - shift[d]);
        }
        if (rows_p == n1) {
          Eigen::MatrixXd full = Eigen::MatrixXd::Zero(n1, n1);
          full.selfadjointView<Eigen::Lower>().rankUpdate(z.transpose());
          a += full.selfadjointView<Eigen::Lower>();
        } else {
          a.noalias() += z.middleCols(p0, rows_p).transpose() * z;
        }
        return;
      }
      std::vector<uint32_t> idx;
      std::vector<double> val;
      for (size_t r = b; r < e; ++r) {
        const double w = data.weight(r);
        idx.assign(x.indices.begin() + x.offsets[r], x.indices.begin() + x.offsets[r + 1]);
        val.assign(x.values.begin() + x.offsets[r], x.values.begin() + x.offsets[r + 1]);
        idx.push_back(static_cast<uint32_t>(d));
        val.push_back(data.y[r]);
        for (size_t u = 0; u < idx.size(); ++u) {
          if (idx[u] < p0 || idx[u] >= p1) continue;
          double* arow = out + (idx[u] - p0) * n1;
          const double wv = w * val[u];
          for (size_t v = 0; v < idx.size(); ++v) arow[idx[v]] += wv * val[v];
        }
      }
    });
    gram.middleRows(p0, rows_p) = Eigen::Map<RowMatrix>(acc.data(), rows_p, n1);
    ctx.CheckCancelled();
  }
  return gram;
}

class LinearRegression final : public Estimator {
 public:
  explicit LinearRegression(const Params& p)
      : cols_(PredictorColumns::From(p)),
        params_(LinearParams::From(p)),
        solver_(p.String("solver", "auto")),
        huber_(p.String("loss", "squared_error") == "huber"),
        epsilon_(p.Double("epsilon", 1.35)) {}

  std::string kind() const override { return kKind; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    LabeledData data = ReadLabeled(input, cols_, false);
    const size_t d = data.x->dim;
    if (huber_ && solver_ == "normal") {
      ThrowInvalid("linear_regression with loss 'huber' supports only solver 'l-bfgs'");
    }
    if (huber_ && params_.elastic_net_param > 0 && params_.reg_param > 0) {
      ThrowInvalid(
          "linear_regression with loss 'huber' supports only L2 regularization "
          "(elastic_net_param 0)");
    }
    if (solver_ == "normal" && d > kMaxNormalFeatures) {
      ThrowInvalid(
          "linear_regression solver 'normal' supports at most {} features, got {}; "
          "use solver 'l-bfgs'",
          kMaxNormalFeatures, d);
    }
    const FeatureStats stats = ComputeFeatureStats(ctx, data, true);
    RegressionFit fit;
    if (huber_) {
      fit = FitHuber(ctx, data, stats);
    } else if (stats.label_std == 0 && (params_.fit_intercept || stats.label_mean == 0)) {
      // Spark: a constant label needs no training (coefficients 0, intercept the label).
      fit.coef.assign(d, 0.0);
      fit.intercept = params_.fit_intercept ? stats.label_mean : 0.0;
      fit.solver = "constant label";
    } else if (solver_ == "normal" || (solver_ == "auto" && d <= kMaxNormalFeatures)) {
      fit = FitNormal(ctx, data, stats);
    } else {
      fit = FitRows(ctx, data, stats);
    }
    Evaluate(ctx, data, stats, &fit);
    const auto it = static_cast<uint64_t>(std::max<int64_t>(fit.iterations, 1));
    ctx.Step(it, it);
    return std::make_unique<LinearRegressionModel>(cols_, data, input, params_, huber_, epsilon_,
                                                   std::move(fit));
  }

 private:
  // Spark scales by the label's std; a constant label (without intercept) by its size.
  static double LabelScale(const FeatureStats& s) {
    return s.label_std > 0 ? s.label_std : std::abs(s.label_mean);
  }

  RegressionFit FitNormal(const Context& ctx, const LabeledData& data,
                          const FeatureStats& stats) const {
    const size_t d = data.x->dim;
    const double w_sum = stats.weight_sum;
    const double y_std = LabelScale(stats);
    const bool center = params_.fit_intercept;
    // Dense rows are accumulated around the means (accurate); sparse ones
    // raw, then centered by subtracting W mean mean^T.
    std::vector<double> shift(d + 1, 0.0);
    if (center && !data.x->sparse) std::copy(stats.mean.begin(), stats.mean.end(), shift.begin());
    if (center) shift[d] = stats.label_mean;
    Eigen::MatrixXd c = Gram(ctx, data, shift);
    if (center) {
      Eigen::VectorXd delta(d + 1);
      for (size_t j = 0; j < d; ++j) delta(j) = stats.mean[j] - shift[j];
      delta(d) = stats.label_mean - shift[d];
      c.noalias() -= w_sum * delta * delta.transpose();
    }
    // The objective in the standardized space: 0.5 b^T S b - v^T b + 0.5 yy.
    Eigen::MatrixXd s(d, d);
    Eigen::VectorXd v(d);
    for (size_t i = 0; i < d; ++i) {
      for (size_t j = 0; j < d; ++j) {
        s(i, j) = c(i, j) * stats.inv_std[i] * stats.inv_std[j] / w_sum;
      }
      v(i) = c(i, d) * stats.inv_std[i] / (y_std * w_sum);
      if (stats.inv_std[i] == 0) s(i, i) = 1.0;  // left-out feature: its coefficient solves to 0
    }
    const double yy = c(d, d) / (y_std * y_std * w_sum);
    Penalty pen = MakePenalty(params_, stats, 1, d, 1.0 / y_std);
    for (size_t i = 0; i < d; ++i) {
      if (stats.inv_std[i] == 0) pen.l2[i] = 0;
    }
    auto objective = [&](const std::vector<double>& beta, std::vector<double>& grad) {
      Eigen::Map<const Eigen::VectorXd> b(beta.data(), d);
      Eigen::Map<Eigen::VectorXd> g(grad.data(), d);
      g.noalias() = s * b - v;
      double f = 0.5 * b.dot(g - v) + 0.5 * yy;
      for (size_t i = 0; i < d; ++i) {
        f += 0.5 * pen.l2[i] * beta[i] * beta[i];
        grad[i] += pen.l2[i] * beta[i];
      }
      return f;
    };
    RegressionFit fit;
    fit.solver = "normal";
    std::vector<double> beta(d, 0.0);
    if (pen.l1.empty()) {
      Eigen::MatrixXd a = s;
      for (size_t i = 0; i < d; ++i) a(i, i) += pen.l2[i];
      Eigen::LDLT<Eigen::MatrixXd> ldlt(a);
      Eigen::VectorXd sol;
      if (ldlt.info() == Eigen::Success && ldlt.isPositive() && ldlt.rcond() > 1e-12) {
        sol = ldlt.solve(v);
      }
      if (sol.size() != static_cast<Eigen::Index>(d) || !sol.allFinite()) {
        // Collinear features without a penalty: the minimum-norm solution.
        sol = a.completeOrthogonalDecomposition().solve(v);
      }
      std::copy(sol.data(), sol.data() + d, beta.begin());
      std::vector<double> grad(d);
      fit.objective = objective(beta, grad);
    } else {
      LbfgsOptions o = MakeLbfgsOptions(params_, ctx);
      o.l1 = pen.l1;
      LbfgsResult res = MinimizeLbfgs(objective, beta, o);
      beta = res.x;
      fit.iterations = res.iterations;
      fit.objective = res.value;
      fit.stop_reason = res.stop_reason;
    }
    fit.coef.resize(d);
    fit.intercept = center ? stats.label_mean : 0.0;
    for (size_t j = 0; j < d; ++j) {
      fit.coef[j] = beta[j] * y_std * stats.inv_std[j];
      if (center) fit.intercept -= fit.coef[j] * stats.mean[j];
    }
    return fit;
  }

  RegressionFit FitRows(const Context& ctx, const LabeledData& data,
                        const FeatureStats& stats) const {
    const double y_std = LabelScale(stats);
    const double y_center = params_.fit_intercept ? stats.label_mean : 0.0;
    LinearProblem problem;
    problem.center = params_.fit_intercept;
    problem.intercept = false;  // centered features and label: the intercept is 0 there
    problem.reg_scale = 1.0 / y_std;
    problem.loss = [&data, y_std, y_center](size_t b, size_t e, const double* m, double* g) {
      double loss = 0;
      const double inv = 1.0 / y_std;
      for (size_t r = b; r < e; ++r) {
        const double res = m[r - b] - (data.y[r] - y_center) * inv;
        const double w = data.weight(r);
        loss += 0.5 * w * res * res;
        g[r - b] = w * res;
      }
      return loss;
    };
    LinearFit lf = FitLinear(ctx, data, stats, params_, problem);
    RegressionFit fit;
    fit.solver = "l-bfgs";
    fit.coef = std::move(lf.coef);
    for (double& c : fit.coef) c *= y_std;
    fit.intercept = params_.fit_intercept ? stats.label_mean + y_std * lf.intercepts[0] : 0.0;
    fit.iterations = lf.result.iterations;
    fit.objective = lf.result.value;
    fit.stop_reason = std::move(lf.result.stop_reason);
    return fit;
  }

  // theta = [standardized coefficients (d), intercept (when fit_intercept),
  // log sigma]; the scale is optimized through its log, which keeps it
  // positive without Spark's bound constraint (same minimum).
  RegressionFit FitHuber(const Context& ctx, const LabeledData& data,
                         const FeatureStats& stats) const {
    const Vectors& x = *data.x;
    const size_t d = x.dim;
    const bool icpt = params_.fit_intercept;
    const size_t np = d + (icpt ? 1 : 0) + 1;
    Penalty pen = MakePenalty(params_, stats, 1, np);
    const double eps = epsilon_;
    auto objective = [&](const std::vector<double>& theta, std::vector<double>& grad) {
      std::vector<double> w(d);
      double offset = icpt ? theta[d] : 0.0;
      for (size_t j = 0; j < d; ++j) {
        w[j] = theta[j] * stats.inv_std[j];
        if (icpt) offset -= w[j] * stats.mean[j];
      }
      const double sigma = std::exp(theta[np - 1]);
      // Sums: [g^T X] d, sum g, d loss / d sigma, loss.
      auto sums = SumRows(ctx, data.rows(), d + 3, [&](size_t b, size_t e, double* acc) {
        const size_t m = e - b;
        std::vector<double> mg(m);
        BlockMargins(x, b, e, w.data(), 1, mg.data());
        double loss = 0, dsigma = 0, gsum = 0;
        for (size_t r = 0; r < m; ++r) {
          const double wt = data.weight(b + r);
          const double res = mg[r] + offset - data.y[b + r];
          if (std::abs(res) <= sigma * eps) {
            const double z = res / sigma;
            loss += 0.5 * wt * (sigma + res * z);
            dsigma += 0.5 * wt * (1 - z * z);
            mg[r] = wt * z;
          } else {
            loss += 0.5 * wt * (sigma + 2 * eps * std::abs(res) - sigma * eps * eps);
            dsigma += 0.5 * wt * (1 - eps * eps);
            mg[r] = wt * eps * (res > 0 ? 1.0 : -1.0);
          }
          gsum += mg[r];
        }
        BlockGradient(x, b, e, mg.data(), 1, acc);
        acc[d] += gsum;
        acc[d + 1] += dsigma;
        acc[d + 2] += loss;
      });
      const double inv_w = 1.0 / stats.weight_sum;
      double f = sums[d + 2] * inv_w;
      for (size_t j = 0; j < d; ++j) {
        grad[j] = (sums[j] - (icpt ? stats.mean[j] * sums[d] : 0.0)) * stats.inv_std[j] * inv_w;
      }
      if (icpt) grad[d] = sums[d] * inv_w;
      grad[np - 1] = sums[d + 1] * inv_w * sigma;
      for (size_t i = 0; i < np; ++i) {
        f += 0.5 * pen.l2[i] * theta[i] * theta[i];
        grad[i] += pen.l2[i] * theta[i];
      }
      return f;
    };
    std::vector<double> theta(np, 0.0);  // Spark starts from sigma = 1
    LbfgsResult res = MinimizeLbfgs(objective, theta, MakeLbfgsOptions(params_, ctx));
    RegressionFit fit;
    fit.solver = "l-bfgs";
    fit.coef.resize(d);
    fit.intercept = icpt ? res.x[d] : 0.0;
    for (size_t j = 0; j < d; ++j) {
      fit.coef[j] = res.x[j] * stats.inv_std[j];
      if (icpt) fit.intercept -= fit.coef[j] * stats.mean[j];
    }
    fit.scale = std::exp(res.x[np - 1]);
    fit.iterations = res.iterations;
    fit.objective = res.value;
    fit.stop_reason = std::move(res.stop_reason);
    return fit;
  }

  // Training RMSE and R^2 (through the origin without intercept), as Spark's summary.
  void Evaluate(const Context& ctx, const LabeledData& data, const FeatureStats& stats,
                RegressionFit* fit) const {
    const Vectors& x = *data.x;
    auto sums = SumRows(ctx, data.rows(), 3, [&](size_t b, size_t e, double* acc) {
      for (size_t r = b; r < e; ++r) {
        const double w = data.weight(r);
        const double y = data.y[r];
        const double err = y - (x.Dot(r, fit->coef.data()) + fit->intercept);
        const double dy = y - stats.label_mean;
        acc[0] += w * err * err;
        acc[1] += w * dy * dy;
        acc[2] += w * y * y;
      }
    });
    const double tot = params_.fit_intercept ? sums[1] : sums[2];
    fit->rmse = std::sqrt(sums[0] / stats.weight_sum);
    fit->r2 = tot > 0 ? 1.0 - sums[0] / tot : (sums[0] == 0 ? 1.0 : 0.0);
  }

  PredictorColumns cols_;
  LinearParams params_;
  std::string solver_;
  bool huber_;
  double epsilon_;
};

}  // namespace

void RegisterLinearRegression(Registry& r) {
  r.Add(EstimatorInfo{kKind, Task::kRegression,
                      "Linear least squares (or huber) regression with elastic-net "
                      "regularization",
                      Spec(),
                      [](const Params& p) { return std::make_unique<LinearRegression>(p); }});
  r.AddLoader(kKind, [](Reader& in) { return LinearRegressionModel::Load(in); });
}

}  // namespace helenus::ml
