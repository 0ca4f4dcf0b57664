// Axis ticks at 1-2-5 steps and linear scales from data to pixels.
#include "helenus/chart/scale.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace helenus::chart {

Ticks NiceTicks(double lo, double hi, int target) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    lo = 0;
    hi = 1;
  }
  if (lo > hi) std::swap(lo, hi);
  const double magnitude = std::max({1e-300, std::fabs(lo), std::fabs(hi)});
  if (hi - lo <= magnitude * 1e-12) {
    // One distinct value: give it room on both sides instead of a zero-width axis.
    const double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  target = std::max(1, target);
  const double raw = (hi - lo) / target;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / power;
  const double step = (norm <= 1 + 1e-9   ? 1
                       : norm <= 2 + 1e-9 ? 2
                       : norm <= 5 + 1e-9 ? 5
                                          : 10) *
                      power;
  // The epsilon keeps a bound that is already a multiple (0.3 / 0.1 = 2.9999...) on its tick.
  const double first = std::floor(lo / step + 1e-9) * step;
  const double last = std::ceil(hi / step - 1e-9) * step;
  Ticks t;
  t.step = step;
  const long n = std::lround((last - first) / step);
  for (long i = 0; i <= n; ++i) {
    double v = first + static_cast<double>(i) * step;
    if (std::fabs(v) < step * 1e-9) v = 0;  // no "-0" or 1e-17 ticks
    t.values.push_back(v);
  }
  t.lo = t.values.front();
  t.hi = t.values.back();
  return t;
}

std::string FormatTick(double value, double step) {
  const double a = std::fabs(value);
  if (a < step * 1e-9 || a == 0) return "0";
  if (a >= 1e7 || a < 1e-4) return fmt::format("{:.3g}", value);
  const int decimals = std::clamp(static_cast<int>(std::ceil(-std::log10(step) - 1e-9)), 0, 10);
  return fmt::format("{:.{}f}", value, decimals);
}

std::string FormatNumber(double value) {
  if (!std::isfinite(value)) return fmt::format("{}", value);
  const double a = std::fabs(value);
  if (a == 0) return "0";
  if (value == std::round(value) && a < 1e15) return fmt::format("{:.0f}", value);
  if (a >= 1000) return fmt::format("{:.1f}", value);
  if (a >= 1e-4) return fmt::format("{:.4g}", value);
  return fmt::format("{:.3g}", value);
}

LinearScale::LinearScale(double d0, double d1, double r0, double r1)
    : d0_(d0), d1_(d1), r0_(r0), r1_(r1) {}

double LinearScale::operator()(double v) const {
  if (d1_ == d0_) return (r0_ + r1_) / 2;
  return r0_ + (v - d0_) / (d1_ - d0_) * (r1_ - r0_);
}

}  // namespace helenus::chart
