#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"

namespace helenus::ml {

namespace {

// scikit-learn's force_finite: a constant target explains everything when
// it is matched exactly and nothing otherwise, instead of NaN or -inf (a
// NaN metric would also poison model selection).
double OneMinusRatio(double num, double den) {
  if (den > 0) return 1.0 - num / den;
  return num == 0 ? 1.0 : 0.0;
}

}  // namespace

RegressionMetrics ComputeRegressionMetrics(std::span<const double> labels,
                                           std::span<const double> predictions,
                                           std::span<const double> weights, bool through_origin) {
  const size_t n = labels.size();
  if (predictions.size() != n) {
    ThrowInvalid("{} labels but {} predictions", n, predictions.size());
  }
  if (!weights.empty() && weights.size() != n) {
    ThrowInvalid("{} weights for {} rows", weights.size(), n);
  }
  auto weight = [&](size_t r) { return weights.empty() ? 1.0 : weights[r]; };
  double w_sum = 0, y_sum = 0, err_sum = 0;
  for (size_t r = 0; r < n; ++r) {
    if (std::isnan(labels[r]) || std::isnan(predictions[r])) {
      ThrowInvalid("Label or prediction is NaN at row {}", r);
    }
    const double w = weight(r);
    if (!(w >= 0) || std::isinf(w)) ThrowInvalid("Weights must be finite and non-negative");
    w_sum += w;
    y_sum += w * labels[r];
    err_sum += w * (labels[r] - predictions[r]);
  }
  if (!(w_sum > 0)) ThrowInvalid("Regression metrics need at least one row of positive weight");
  const double y_mean = y_sum / w_sum;
  const double err_mean = err_sum / w_sum;
  double ss_err = 0, abs_err = 0, ss_tot = 0, ss_y = 0, ss_reg = 0, ss_err_centered = 0;
  for (size_t r = 0; r < n; ++r) {
    const double w = weight(r);
    const double y = labels[r];
    const double e = y - predictions[r];
    ss_err += w * e * e;
    abs_err += w * std::abs(e);
    ss_tot += w * (y - y_mean) * (y - y_mean);
    ss_y += w * y * y;
    ss_reg += w * (predictions[r] - y_mean) * (predictions[r] - y_mean);
    ss_err_centered += w * (e - err_mean) * (e - err_mean);
  }
  RegressionMetrics m;
  m.count = w_sum;
  m.mse = ss_err / w_sum;
  m.rmse = std::sqrt(m.mse);
  m.mae = abs_err / w_sum;
  m.r2 = through_origin ? OneMinusRatio(ss_err, ss_y) : OneMinusRatio(ss_err, ss_tot);
  m.explained_variance = ss_reg / w_sum;
  m.explained_variance_score = OneMinusRatio(ss_err_centered, ss_tot);
  return m;
}

}  // namespace helenus::ml
