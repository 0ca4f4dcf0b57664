#include <algorithm>
#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"

namespace helenus::ml {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Scored {
  double score;
  double pos;
  double neg;
};

double Trapezoids(const std::vector<std::pair<double, double>>& xy) {
  double area = 0;
  for (size_t i = 1; i < xy.size(); ++i) {
    area += (xy[i].first - xy[i - 1].first) * (xy[i].second + xy[i - 1].second) / 2;
  }
  return area;
}

double Rate(double count, double total) {
  return total > 0 ? count / total : 0;
}

double PrecisionAt(const BinaryConfusions& c, size_t i) {
  const double predicted = c.tp[i] + c.fp[i];
  return predicted > 0 ? c.tp[i] / predicted : 1.0;
}

}  // namespace

BinaryConfusions ComputeBinaryConfusions(std::span<const double> scores,
                                         std::span<const double> labels,
                                         std::span<const double> weights, size_t num_bins) {
  const size_t n = scores.size();
  if (labels.size() != n) ThrowInvalid("{} scores but {} labels", n, labels.size());
  if (!weights.empty() && weights.size() != n) {
    ThrowInvalid("{} weights for {} rows", weights.size(), n);
  }
  if (n == 0) ThrowInvalid("Binary metrics need at least one row");
  std::vector<Scored> rows(n);
  for (size_t r = 0; r < n; ++r) {
    if (std::isnan(scores[r])) ThrowInvalid("Score is NaN at row {}", r);
    if (std::isnan(labels[r])) ThrowInvalid("Label is NaN at row {}", r);
    const double w = weights.empty() ? 1.0 : weights[r];
    if (!(w >= 0) || std::isinf(w)) ThrowInvalid("Weights must be finite and non-negative");
    const bool positive = labels[r] > 0.5;
    rows[r] = {scores[r], positive ? w : 0.0, positive ? 0.0 : w};
  }
  std::sort(rows.begin(), rows.end(),
            [](const Scored& a, const Scored& b) { return a.score > b.score; });

  // One bin per distinct score: ties share a threshold, so they move the
  // curve diagonally (the "half credit" of tied scores).
  std::vector<Scored> bins;
  for (const Scored& s : rows) {
    if (bins.empty() || bins.back().score != s.score) {
      bins.push_back(s);
    } else {
      bins.back().pos += s.pos;
      bins.back().neg += s.neg;
    }
  }
  if (num_bins > 0 && bins.size() / num_bins >= 2) {
    // MLlib's down-sampling. Its merged point carries the run's first score in
    // some versions; the run's last (lowest) score is the threshold that its
    // cumulative counts actually describe, so that one is kept here. Areas
    // do not depend on the choice.
    const size_t group = bins.size() / num_bins;
    std::vector<Scored> merged;
    for (size_t i = 0; i < bins.size(); i += group) {
      Scored m{0, 0, 0};
      const size_t end = std::min(bins.size(), i + group);
      for (size_t j = i; j < end; ++j) {
        m.pos += bins[j].pos;
        m.neg += bins[j].neg;
      }
      m.score = bins[end - 1].score;
      merged.push_back(m);
    }
    bins = std::move(merged);
  }

  BinaryConfusions c;
  c.thresholds.reserve(bins.size());
  c.tp.reserve(bins.size());
  c.fp.reserve(bins.size());
  double tp = 0, fp = 0;
  for (const Scored& b : bins) {
    tp += b.pos;
    fp += b.neg;
    c.thresholds.push_back(b.score);
    c.tp.push_back(tp);
    c.fp.push_back(fp);
  }
  c.positives = tp;
  c.negatives = fp;
  return c;
}

std::vector<RocPoint> RocCurve(const BinaryConfusions& c) {
  std::vector<RocPoint> out;
  out.reserve(c.thresholds.size() + 2);
  out.push_back({kInf, 0, 0});
  for (size_t i = 0; i < c.thresholds.size(); ++i) {
    out.push_back({c.thresholds[i], Rate(c.fp[i], c.negatives), Rate(c.tp[i], c.positives)});
  }
  // Without positives (or negatives) the last point stops short of (1, 1);
  // MLlib closes the curve there, which fixes its area at 0 (or 1).
  if (out.back().fpr != 1 || out.back().tpr != 1) out.push_back({-kInf, 1, 1});
  return out;
}

double AreaUnderRoc(const BinaryConfusions& c) {
  std::vector<std::pair<double, double>> xy;
  for (const RocPoint& p : RocCurve(c)) xy.emplace_back(p.fpr, p.tpr);
  return Trapezoids(xy);
}

std::vector<PrPoint> PrCurve(const BinaryConfusions& c) {
  std::vector<PrPoint> out;
  if (c.thresholds.empty()) return out;
  out.reserve(c.thresholds.size() + 1);
  out.push_back({kInf, 0, PrecisionAt(c, 0)});
  for (size_t i = 0; i < c.thresholds.size(); ++i) {
    out.push_back({c.thresholds[i], Rate(c.tp[i], c.positives), PrecisionAt(c, i)});
  }
  return out;
}

double AreaUnderPr(const BinaryConfusions& c) {
  std::vector<std::pair<double, double>> xy;
  for (const PrPoint& p : PrCurve(c)) xy.emplace_back(p.recall, p.precision);
  return Trapezoids(xy);
}

double AveragePrecision(const BinaryConfusions& c) {
  double ap = 0;
  double prev_recall = 0;
  for (size_t i = 0; i < c.thresholds.size(); ++i) {
    const double recall = Rate(c.tp[i], c.positives);
    ap += (recall - prev_recall) * PrecisionAt(c, i);
    prev_recall = recall;
  }
  return ap;
}

}  // namespace helenus::ml
