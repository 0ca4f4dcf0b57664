// Colours: Tableau 10 for categories, a white-to-blue ramp for heatmaps.
#include "helenus/chart/palette.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace helenus::chart {
namespace {

constexpr std::array<std::string_view, 10> kTableau10 = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2",
                                                         "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                                                         "#9c755f", "#bab0ac"};

// Stops of the heatmap ramp (close to ColorBrewer's Blues), evenly spaced over [0, 1].
constexpr std::array<std::array<int, 3>, 5> kBlues = {
    {{247, 251, 255}, {198, 219, 239}, {107, 174, 214}, {33, 113, 181}, {8, 48, 107}}};

}  // namespace

std::string_view CategoricalColor(size_t i) {
  return kTableau10[i % kTableau10.size()];
}

std::string SequentialColor(double t) {
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, 0.0, 1.0);
  const double pos = t * (kBlues.size() - 1);
  const size_t i = std::min(kBlues.size() - 2, static_cast<size_t>(pos));
  const double f = pos - static_cast<double>(i);
  int rgb[3];
  for (int c = 0; c < 3; ++c) {
    rgb[c] = static_cast<int>(std::lround(kBlues[i][c] + (kBlues[i + 1][c] - kBlues[i][c]) * f));
  }
  return fmt::format("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2]);
}

std::string_view TextColorOn(double t) {
  // Past the middle of the ramp the blues are dark enough that black text gets lost.
  return std::isfinite(t) && t > 0.55 ? "#ffffff" : "#1a1a1a";
}

}  // namespace helenus::chart
