#include <algorithm>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"

namespace helenus::ml {

namespace {

// A k x k matrix of doubles must stay small; thousands of classes are
// already far beyond what a confusion matrix is read for.
constexpr size_t kMaxClasses = 4096;

size_t ClassIndex(double v, const char* what) {
  if (!(v >= 0) || v != std::floor(v) || v >= static_cast<double>(kMaxClasses)) {
    ThrowInvalid("{} must be class indices 0, 1, 2, ... (below {}); got {}", what, kMaxClasses, v);
  }
  return static_cast<size_t>(v);
}

void CheckWeights(std::span<const double> weights, size_t n) {
  if (weights.empty()) return;
  if (weights.size() != n) ThrowInvalid("{} weights for {} rows", weights.size(), n);
  for (double w : weights) {
    if (!(w >= 0) || std::isinf(w)) ThrowInvalid("Weights must be finite and non-negative");
  }
}

// Weighted mean of metric(c) over classes, weighted by support.
template <typename Fn>
double SupportWeighted(const ConfusionMatrix& cm, Fn&& metric) {
  const double total = cm.Total();
  if (total <= 0) return 0;
  double sum = 0;
  for (size_t c = 0; c < cm.num_classes; ++c) {
    const double support = cm.Support(c);
    if (support > 0) sum += metric(c) * support;
  }
  return sum / total;
}

// Plain mean of metric(c) over classes that occur as a label or a prediction.
template <typename Fn>
double Macro(const ConfusionMatrix& cm, Fn&& metric) {
  double sum = 0;
  size_t present = 0;
  for (size_t c = 0; c < cm.num_classes; ++c) {
    if (cm.Support(c) > 0 || cm.Predicted(c) > 0) {
      sum += metric(c);
      ++present;
    }
  }
  return present == 0 ? 0 : sum / static_cast<double>(present);
}

}  // namespace

double ConfusionMatrix::Total() const {
  double s = 0;
  for (double v : counts) s += v;
  return s;
}

double ConfusionMatrix::Support(size_t c) const {
  double s = 0;
  for (size_t p = 0; p < num_classes; ++p) s += at(c, p);
  return s;
}

double ConfusionMatrix::Predicted(size_t c) const {
  double s = 0;
  for (size_t t = 0; t < num_classes; ++t) s += at(t, c);
  return s;
}

ConfusionMatrix ComputeConfusionMatrix(std::span<const double> labels,
                                       std::span<const double> predictions,
                                       std::span<const double> weights, size_t num_classes) {
  const size_t n = labels.size();
  if (predictions.size() != n) {
    ThrowInvalid("{} labels but {} predictions", n, predictions.size());
  }
  CheckWeights(weights, n);
  if (num_classes > kMaxClasses) ThrowInvalid("At most {} classes are supported", kMaxClasses);
  size_t k = num_classes;
  for (size_t r = 0; r < n; ++r) {
    k = std::max(k, ClassIndex(labels[r], "Labels") + 1);
    k = std::max(k, ClassIndex(predictions[r], "Predictions") + 1);
  }
  ConfusionMatrix cm;
  cm.num_classes = k;
  cm.counts.assign(k * k, 0.0);
  for (size_t r = 0; r < n; ++r) {
    const size_t t = static_cast<size_t>(labels[r]);
    const size_t p = static_cast<size_t>(predictions[r]);
    cm.counts[t * k + p] += weights.empty() ? 1.0 : weights[r];
  }
  return cm;
}

double Accuracy(const ConfusionMatrix& cm) {
  const double total = cm.Total();
  if (total <= 0) return 0;
  double right = 0;
  for (size_t c = 0; c < cm.num_classes; ++c) right += cm.at(c, c);
  return right / total;
}

double HammingLoss(const ConfusionMatrix& cm) {
  return cm.Total() <= 0 ? 0 : 1.0 - Accuracy(cm);
}

double Precision(const ConfusionMatrix& cm, size_t c) {
  if (c >= cm.num_classes) return 0;
  const double predicted = cm.Predicted(c);
  return predicted > 0 ? cm.at(c, c) / predicted : 0;
}

double Recall(const ConfusionMatrix& cm, size_t c) {
  if (c >= cm.num_classes) return 0;
  const double support = cm.Support(c);
  return support > 0 ? cm.at(c, c) / support : 0;
}

double FMeasure(const ConfusionMatrix& cm, size_t c, double beta) {
  const double p = Precision(cm, c);
  const double r = Recall(cm, c);
  const double b2 = beta * beta;
  return p + r > 0 ? (1 + b2) * p * r / (b2 * p + r) : 0;
}

double FalsePositiveRate(const ConfusionMatrix& cm, size_t c) {
  if (c >= cm.num_classes) return 0;
  const double negatives = cm.Total() - cm.Support(c);
  const double fp = cm.Predicted(c) - cm.at(c, c);
  return negatives > 0 ? fp / negatives : 0;
}

double WeightedPrecision(const ConfusionMatrix& cm) {
  return SupportWeighted(cm, [&](size_t c) { return Precision(cm, c); });
}

double WeightedRecall(const ConfusionMatrix& cm) {
  return SupportWeighted(cm, [&](size_t c) { return Recall(cm, c); });
}

double WeightedFMeasure(const ConfusionMatrix& cm, double beta) {
  return SupportWeighted(cm, [&](size_t c) { return FMeasure(cm, c, beta); });
}

double WeightedFalsePositiveRate(const ConfusionMatrix& cm) {
  return SupportWeighted(cm, [&](size_t c) { return FalsePositiveRate(cm, c); });
}

double MacroPrecision(const ConfusionMatrix& cm) {
  return Macro(cm, [&](size_t c) { return Precision(cm, c); });
}

double MacroRecall(const ConfusionMatrix& cm) {
  return Macro(cm, [&](size_t c) { return Recall(cm, c); });
}

double MacroFMeasure(const ConfusionMatrix& cm, double beta) {
  return Macro(cm, [&](size_t c) { return FMeasure(cm, c, beta); });
}

double LogLoss(std::span<const double> labels, std::span<const double> probabilities,
               size_t num_classes, std::span<const double> weights, double eps) {
  const size_t n = labels.size();
  if (num_classes == 0 || probabilities.size() != n * num_classes) {
    ThrowInvalid("Log loss needs {} probabilities per row", num_classes);
  }
  if (!(eps > 0 && eps < 0.5)) ThrowInvalid("eps must be in (0, 0.5), got {}", eps);
  CheckWeights(weights, n);
  // MLlib clips rather than renormalizing (scikit-learn renormalizes the
  // clipped row; the two agree unless a probability is within eps of 0 or 1).
  const double loss_low = -std::log(eps);
  const double loss_high = -std::log1p(-eps);
  double loss = 0;
  double total = 0;
  for (size_t r = 0; r < n; ++r) {
    const size_t y = ClassIndex(labels[r], "Labels");
    if (y >= num_classes) {
      ThrowInvalid("Label {} has no probability (the model knows {} classes)", y, num_classes);
    }
    const double p = probabilities[r * num_classes + y];
    if (std::isnan(p)) ThrowInvalid("Probability is NaN at row {}", r);
    const double l = p < eps ? loss_low : (p > 1 - eps ? loss_high : -std::log(p));
    const double w = weights.empty() ? 1.0 : weights[r];
    loss += w * l;
    total += w;
  }
  if (total <= 0) ThrowInvalid("Log loss needs at least one row of positive weight");
  return loss / total;
}

}  // namespace helenus::ml
