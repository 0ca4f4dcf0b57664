#pragma once

#include <string>
#include <vector>

namespace helenus::chart {

// Round tick values covering an axis range.
struct Ticks {
  double lo = 0;    // the axis starts here (the first tick)
  double hi = 1;    // and ends here (the last tick)
  double step = 1;  // 1, 2 or 5 times a power of ten
  std::vector<double> values;
};

// Ticks at a 1-2-5 step covering [lo, hi] with about target intervals; an empty or
// degenerate range is widened around its value.
Ticks NiceTicks(double lo, double hi, int target = 5);

// A tick value as text with as many decimals as its step needs ("0.25", "1000", "2e+06").
std::string FormatTick(double value, double step);

// A value printed on a chart (bar ends, heatmap cells): integers whole, others with
// four significant digits.
std::string FormatNumber(double value);

// Maps a numeric domain linearly onto a pixel range.
class LinearScale {
 public:
  // Maps d0 to r0 and d1 to r1 (d0 == d1 maps everything to the middle).
  LinearScale(double d0, double d1, double r0, double r1);
  // The pixel of v.
  double operator()(double v) const;

 private:
  double d0_, d1_, r0_, r1_;
};

}  // namespace helenus::chart
