#include "ml/linear_common.h"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"

namespace helenus::ml {

namespace {

using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Rows per sub-block of an objective evaluation (see LinearObjective).
constexpr size_t kSubBlockRows = 512;

}  // namespace

std::vector<ParamSpec> LinearParams::Specs(bool elastic_net) {
  std::vector<ParamSpec> s = {
      IntParam("max_iter", 100, "maximum number of optimizer iterations", 0, 1e9),
      DoubleParam("reg_param", 0.0, "regularization strength", 0.0),
  };
  if (elastic_net) {
    s.push_back(DoubleParam("elastic_net_param", 0.0,
                            "elastic net mixing: 0 = L2 penalty, 1 = L1 penalty", 0.0, 1.0));
  }
  s.push_back(DoubleParam("tol", 1e-6, "convergence tolerance of the optimizer", 0.0));
  s.push_back(BoolParam("fit_intercept", true, "whether to fit an intercept term"));
  s.push_back(BoolParam("standardization", true,
                        "whether to standardize features before fitting (coefficients are "
                        "always reported on the original scale)"));
  return s;
}

LinearParams LinearParams::From(const Params& p) {
  LinearParams l;
  l.max_iter = p.Int("max_iter", l.max_iter);
  l.reg_param = p.Double("reg_param", l.reg_param);
  l.elastic_net_param = p.Double("elastic_net_param", l.elastic_net_param);
  l.tol = p.Double("tol", l.tol);
  l.fit_intercept = p.Bool("fit_intercept", l.fit_intercept);
  l.standardization = p.Bool("standardization", l.standardization);
  return l;
}

void LinearParams::Save(Writer& out) const {
  out.I64(max_iter);
  out.F64(reg_param);
  out.F64(elastic_net_param);
  out.F64(tol);
  out.Bool(fit_intercept);
  out.Bool(standardization);
}

LinearParams LinearParams::Load(Reader& in) {
  LinearParams l;
  l.max_iter = in.I64();
  l.reg_param = in.F64();
  l.elastic_net_param = in.F64();
  l.tol = in.F64();
  l.fit_intercept = in.Bool();
  l.standardization = in.Bool();
  return l;
}

void LinearParams::Describe(std::vector<std::pair<std::string, std::string>>* out,
                            bool elastic_net) const {
  out->push_back({"max_iter", std::to_string(max_iter)});
  out->push_back({"reg_param", fmt::format("{}", reg_param)});
  if (elastic_net) out->push_back({"elastic_net_param", fmt::format("{}", elastic_net_param)});
  out->push_back({"tol", fmt::format("{}", tol)});
  out->push_back({"fit_intercept", fit_intercept ? "true" : "false"});
  out->push_back({"standardization", standardization ? "true" : "false"});
}

FeatureStats ComputeFeatureStats(const Context& ctx, const LabeledData& data, bool with_label) {
  const Vectors& x = *data.x;
  const size_t d = x.dim;
  const size_t n = data.rows();
  // Sums are taken around the first row's values: a constant column then
  // sums to exactly zero and gets a standard deviation of exactly zero,
  // instead of rounding noise that would blow up when divided by.
  // Every rank must use the same shift: the largest first-row value.
  std::vector<double> shift(d + 1, 0.0);
  x.Densify(0, shift.data());
  shift[d] = with_label ? data.y[0] : 0.0;
  ctx.collective->AllReduceMax(shift);
  const double y_shift = shift[d];
  const bool sparse = x.sparse;
  // Pass 1: [sum w (x - shift)] d, then for sparse [stored weight] d and
  // [stored count] d, then W, sum w^2, non-finite values, sum w (y - y_shift), rows.
  const size_t base = sparse ? 3 * d : d;
  auto p1 = SumRows(ctx, n, base + 5, [&](size_t b, size_t e, double* acc) {
    size_t bad = 0;
    for (size_t r = b; r < e; ++r) {
      const double w = data.weight(r);
      if (sparse) {
        for (uint64_t k = x.offsets[r]; k < x.offsets[r + 1]; ++k) {
          const uint32_t j = x.indices[k];
          const double v = x.values[k];
          bad += !std::isfinite(v);
          acc[j] += w * (v - shift[j]);
          acc[d + j] += w;
          acc[2 * d + j] += 1;
        }
      } else {
        const double* row = x.Row(r);
        for (size_t j = 0; j < d; ++j) {
          bad += !std::isfinite(row[j]);
          acc[j] += w * (row[j] - shift[j]);
        }
      }
      acc[base] += w;
      acc[base + 1] += w * w;
      if (with_label) {
        bad += !std::isfinite(data.y[r]);
        acc[base + 3] += w * (data.y[r] - y_shift);
      }
    }
    acc[base + 2] += static_cast<double>(bad);
    acc[base + 4] += static_cast<double>(e - b);
  });
  if (p1[base + 2] > 0) {
    for (size_t r = 0; r < n; ++r) {
      bool ok = !with_label || std::isfinite(data.y[r]);
      x.ForEach(r, [&](uint32_t, double v) { ok = ok && std::isfinite(v); });
      if (!ok) {
        ThrowInvalid(
            "Training data must hold finite numbers; row {} has NaN or infinity "
            "in its features{}",
            r, with_label ? " or label" : "");
      }
    }
    ThrowInvalid("Training data must hold finite numbers");  // the bad rows are on another rank
  }
  FeatureStats s;
  s.weight_sum = p1[base];
  const double w_sq = p1[base + 1];
  if (!(s.weight_sum > 0)) ThrowInvalid("The weights of the training rows sum to zero");
  const double rows = p1[base + 4];
  // Weight of the rows that do not store slot j (their value is 0).
  auto unstored = [&](size_t j) {
    return !sparse || p1[2 * d + j] == rows ? 0.0 : s.weight_sum - p1[d + j];
  };
  s.mean.resize(d);
  for (size_t j = 0; j < d; ++j) {
    s.mean[j] = shift[j] + (p1[j] - shift[j] * unstored(j)) / s.weight_sum;
  }
  if (with_label) s.label_mean = y_shift + p1[base + 3] / s.weight_sum;
  // Pass 2: sum w (x - mean)^2 over stored values; unstored zeros add mean^2 each.
  auto p2 = SumRows(ctx, n, d + 1, [&](size_t b, size_t e, double* acc) {
    for (size_t r = b; r < e; ++r) {
      const double w = data.weight(r);
      if (sparse) {
        for (uint64_t k = x.offsets[r]; k < x.offsets[r + 1]; ++k) {
          const double dv = x.values[k] - s.mean[x.indices[k]];
          acc[x.indices[k]] += w * dv * dv;
        }
      } else {
        const double* row = x.Row(r);
        for (size_t j = 0; j < d; ++j) {
          const double dv = row[j] - s.mean[j];
          acc[j] += w * dv * dv;
        }
      }
      if (with_label) {
        const double dy = data.y[r] - s.label_mean;
        acc[d] += w * dy * dy;
      }
    }
  });
  // MLlib's unbiased estimate with reliability weights.
  const double denom = s.weight_sum - w_sq / s.weight_sum;
  auto std_of = [&](double m2) { return denom > 0 ? std::sqrt(std::max(m2, 0.0) / denom) : 0.0; };
  s.std.resize(d);
  s.inv_std.resize(d);
  for (size_t j = 0; j < d; ++j) {
    s.std[j] = std_of(p2[j] + unstored(j) * s.mean[j] * s.mean[j]);
    s.inv_std[j] = s.std[j] > 0 ? 1.0 / s.std[j] : 0.0;
  }
  if (with_label) s.label_std = std_of(p2[d]);
  return s;
}

Penalty MakePenalty(const LinearParams& p, const FeatureStats& s, size_t k, size_t num_params,
                    double scale) {
  const size_t d = s.mean.size();
  const double reg = p.reg_param * scale;
  const double l2 = reg * (1.0 - p.elastic_net_param);
  const double l1 = reg * p.elastic_net_param;
  Penalty pen;
  pen.l2.assign(num_params, 0.0);
  if (l1 > 0) pen.l1.assign(num_params, 0.0);
  for (size_t c = 0; c < k; ++c) {
    for (size_t j = 0; j < d; ++j) {
      const double sd = s.std[j];
      double w2 = l2;
      double w1 = l1;
      if (!p.standardization) {
        w2 = sd > 0 ? l2 / (sd * sd) : 0.0;
        w1 = sd > 0 ? l1 / sd : 0.0;
      }
      pen.l2[c * d + j] = w2;
      if (!pen.l1.empty()) pen.l1[c * d + j] = w1;
    }
  }
  return pen;
}

LinearObjective::LinearObjective(const Context& ctx, const LabeledData& data,
                                 const FeatureStats& stats, size_t k, bool center, bool intercept,
                                 BlockLoss loss, std::vector<double> l2)
    : ctx_(ctx),
      data_(data),
      stats_(stats),
      k_(k),
      dim_(data.x->dim),
      center_(center),
      intercept_(intercept),
      loss_(std::move(loss)),
      l2_(std::move(l2)) {}

double LinearObjective::operator()(const std::vector<double>& theta,
                                   std::vector<double>& grad) const {
  const size_t d = dim_;
  const size_t k = k_;
  // Margins in the original space: w = beta / std, and the centering folds
  // into a per-class offset, so rows are read as stored (sparse stays sparse).
  // w and the gradient sums are feature-major (dim x k): a sparse row's
  // classes then share one cache line per feature.
  std::vector<double> w(d * k);
  std::vector<double> offset(k, 0.0);
  for (size_t c = 0; c < k; ++c) {
    if (intercept_) offset[c] = theta[k * d + c];
    for (size_t j = 0; j < d; ++j) {
      const double v = theta[c * d + j] * stats_.inv_std[j];
      w[j * k + c] = v;
      if (center_) offset[c] -= v * stats_.mean[j];
    }
  }
  const Vectors& x = *data_.x;
  // Sums: [X^T g] dim x k, [sum g] k, loss.
  auto sums = SumRows(ctx_, data_.rows(), d * k + k + 1, [&](size_t b, size_t e, double* acc) {
    // Sub-blocks small enough that the rows read for the margins are still
    // in cache when they are read again for the gradient.
    const size_t block = std::min(e - b, kSubBlockRows);
    std::vector<double> margins(block * k);
    std::vector<double> g(block * k);
    for (size_t sb = b; sb < e; sb += block) {
      const size_t se = std::min(e, sb + block);
      const size_t m = se - sb;
      BlockMargins(x, sb, se, w.data(), k, margins.data());
      for (size_t r = 0; r < m; ++r) {
        for (size_t c = 0; c < k; ++c) margins[r * k + c] += offset[c];
      }
      acc[d * k + k] += loss_(sb, se, margins.data(), g.data());
      BlockGradient(x, sb, se, g.data(), k, acc);
      for (size_t r = 0; r < m; ++r) {
        for (size_t c = 0; c < k; ++c) acc[d * k + c] += g[r * k + c];
      }
    }
  });
  const double inv_w = 1.0 / stats_.weight_sum;
  double f = sums[d * k + k] * inv_w;
  grad.assign(num_params(), 0.0);
  for (size_t c = 0; c < k; ++c) {
    const double gsum = sums[d * k + c];
    for (size_t j = 0; j < d; ++j) {
      const double s = sums[j * k + c] - (center_ ? stats_.mean[j] * gsum : 0.0);
      grad[c * d + j] = s * stats_.inv_std[j] * inv_w;
    }
    if (intercept_) grad[k * d + c] = gsum * inv_w;
  }
  for (size_t i = 0; i < l2_.size(); ++i) {
    if (l2_[i] == 0) continue;
    f += 0.5 * l2_[i] * theta[i] * theta[i];
    grad[i] += l2_[i] * theta[i];
  }
  return f;
}

void LinearObjective::Unscale(const std::vector<double>& theta, std::vector<double>* coef,
                              std::vector<double>* intercepts) const {
  const size_t d = dim_;
  coef->assign(k_ * d, 0.0);
  intercepts->assign(k_, 0.0);
  for (size_t c = 0; c < k_; ++c) {
    double b = intercept_ ? theta[k_ * d + c] : 0.0;
    for (size_t j = 0; j < d; ++j) {
      const double v = theta[c * d + j] * stats_.inv_std[j];
      (*coef)[c * d + j] = v;
      if (center_) b -= v * stats_.mean[j];
    }
    (*intercepts)[c] = b;
  }
}

void BlockMargins(const Vectors& x, size_t begin, size_t end, const double* w, size_t k,
                  double* out) {
  const size_t d = x.dim;
  const size_t m = end - begin;
  if (!x.sparse) {
    Eigen::Map<const RowMatrix> xb(x.values.data() + begin * d, m, d);
    if (k == 1) {
      Eigen::Map<Eigen::VectorXd> o(out, m);
      o.noalias() = xb * Eigen::Map<const Eigen::VectorXd>(w, d);
    } else {
      Eigen::Map<RowMatrix> o(out, m, k);
      o.noalias() = xb * Eigen::Map<const RowMatrix>(w, d, k);
    }
    return;
  }
  for (size_t r = 0; r < m; ++r) {
    double* o = out + r * k;
    for (size_t c = 0; c < k; ++c) o[c] = 0;
    for (uint64_t i = x.offsets[begin + r]; i < x.offsets[begin + r + 1]; ++i) {
      const double v = x.values[i];
      const double* wj = w + static_cast<size_t>(x.indices[i]) * k;
      for (size_t c = 0; c < k; ++c) o[c] += v * wj[c];
    }
  }
}

void BlockGradient(const Vectors& x, size_t begin, size_t end, const double* g, size_t k,
                   double* acc) {
  const size_t d = x.dim;
  const size_t m = end - begin;
  if (!x.sparse) {
    Eigen::Map<const RowMatrix> xb(x.values.data() + begin * d, m, d);
    if (k == 1) {
      Eigen::Map<Eigen::RowVectorXd> a(acc, d);
      a.noalias() += Eigen::Map<const Eigen::RowVectorXd>(g, m) * xb;
    } else {
      Eigen::Map<RowMatrix> a(acc, d, k);
      a.noalias() += xb.transpose() * Eigen::Map<const RowMatrix>(g, m, k);
    }
    return;
  }
  for (size_t r = 0; r < m; ++r) {
    const double* gr = g + r * k;
    for (uint64_t i = x.offsets[begin + r]; i < x.offsets[begin + r + 1]; ++i) {
      const double v = x.values[i];
      double* aj = acc + static_cast<size_t>(x.indices[i]) * k;
      for (size_t c = 0; c < k; ++c) aj[c] += gr[c] * v;
    }
  }
}

LinearFit FitLinear(const Context& ctx, const LabeledData& data, const FeatureStats& stats,
                    const LinearParams& p, const LinearProblem& problem) {
  const size_t k = problem.k;
  const size_t d = data.x->dim;
  const size_t num_params = k * d + (problem.intercept ? k : 0);
  Penalty pen = MakePenalty(p, stats, k, num_params, problem.reg_scale);
  LinearObjective objective(ctx, data, stats, k, problem.center, problem.intercept, problem.loss,
                            std::move(pen.l2));
  std::vector<double> theta(num_params, 0.0);
  if (problem.intercept) {
    for (size_t c = 0; c < k && c < problem.initial_intercepts.size(); ++c) {
      theta[k * d + c] = problem.initial_intercepts[c];
    }
  }
  LbfgsOptions options = MakeLbfgsOptions(p, ctx);
  options.l1 = std::move(pen.l1);
  options.orthant_wise = problem.orthant_wise;
  LinearFit fit;
  fit.result = MinimizeLbfgs([&objective](const std::vector<double>& x,
                                          std::vector<double>& g) { return objective(x, g); },
                             std::move(theta), options);
  objective.Unscale(fit.result.x, &fit.coef, &fit.intercepts);
  return fit;
}

LbfgsOptions MakeLbfgsOptions(const LinearParams& p, const Context& ctx) {
  LbfgsOptions o;
  o.max_iter = static_cast<int>(std::min<int64_t>(p.max_iter, 1 << 30));
  o.tol = p.tol;
  const uint64_t total = static_cast<uint64_t>(o.max_iter);
  o.on_iteration = [&ctx, total](int it) {
    ctx.CheckCancelled();
    ctx.Step(static_cast<uint64_t>(it), total);
  };
  return o;
}

std::vector<std::string> FeatureNames(const Frame& f, const std::string& column, size_t dim) {
  std::vector<std::string> names = f.AttrsOf(column).feature_names;
  if (names.size() == dim) return names;
  names.clear();
  for (size_t j = 0; j < dim; ++j) names.push_back(fmt::format("f{}", j));
  return names;
}

Frame CoefficientsFrame(const std::vector<std::string>& classes,
                        const std::vector<std::string>& features, const std::vector<double>& coef,
                        const std::vector<double>& intercepts, bool fit_intercept) {
  const size_t d = features.size();
  const size_t k = std::max<size_t>(classes.size(), 1);
  const DataType text = DataType::Of(TypeKind::kText);
  exec::Column cls = exec::Column::Make(text);
  exec::Column feat = exec::Column::Make(text);
  exec::Column val = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  auto add = [&](size_t c, std::string_view name, double v) {
    if (!classes.empty()) cls.AppendString(classes[c]);
    feat.AppendString(name);
    val.AppendDouble(v);
  };
  for (size_t c = 0; c < k; ++c) {
    for (size_t j = 0; j < d; ++j) add(c, features[j], coef[c * d + j]);
  }
  if (fit_intercept) {
    for (size_t c = 0; c < k; ++c) add(c, "(intercept)", intercepts[c]);
  }
  Frame out;
  if (!classes.empty()) out.Add("class", std::move(cls));
  out.Add("feature", std::move(feat));
  out.Add("coefficient", std::move(val));
  return out;
}

std::string JoinNumbers(const std::vector<double>& v, size_t limit) {
  std::string s = "[";
  for (size_t i = 0; i < v.size() && i < limit; ++i) {
    if (i > 0) s += ", ";
    s += fmt::format("{:.6g}", v[i]);
  }
  if (v.size() > limit) s += ", ...";
  return s + "]";
}

}  // namespace helenus::ml
