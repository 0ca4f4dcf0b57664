// The chart kinds by name, and the checks every kind shares.
#include <algorithm>

#include "helenus/chart/chart.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "kinds.h"

namespace helenus::chart {

const std::vector<std::string>& CommonChartOptions() {
  static const std::vector<std::string> kOptions = {"title", "x_label", "y_label", "width",
                                                    "height"};
  return kOptions;
}

const std::vector<ChartKind>& ChartKinds() {
  // An explicit list rather than self-registering statics: the linker drops unreferenced
  // objects of a static library, and with them their registrations.
  static const std::vector<ChartKind> kKinds = [] {
    std::vector<ChartKind> kinds = {
        BarChartKind(),
        HeatmapChartKind(),
        LineChartKind(),
        ScatterChartKind(),
    };
    std::sort(kinds.begin(), kinds.end(),
              [](const ChartKind& a, const ChartKind& b) { return a.name < b.name; });
    return kinds;
  }();
  return kKinds;
}

const ChartKind& FindChartKind(std::string_view name) {
  const std::string lower = AsciiLower(name);
  std::string names;
  for (const auto& k : ChartKinds()) {
    if (k.name == lower) return k;
    names += (names.empty() ? "" : ", ") + k.name;
  }
  ThrowInvalid("Unknown chart kind '{}'; the kinds are: {}", name, names);
}

void CheckChartOptions(const ChartKind& kind, const ChartOptions& options) {
  for (const auto& name : options.Names()) {
    const auto& common = CommonChartOptions();
    if (std::find(common.begin(), common.end(), name) != common.end()) continue;
    if (std::find(kind.options.begin(), kind.options.end(), name) != kind.options.end()) {
      continue;
    }
    std::string known;
    for (const auto& o : kind.options) known += o + ", ";
    for (const auto& o : common) known += o + (&o == &common.back() ? "" : ", ");
    ThrowInvalid("Unknown option '{}' for a {} chart; the options are: {}", name, kind.name, known);
  }
}

ChartResult RenderChart(std::string_view kind, const Table& table, const ChartOptions& options) {
  const ChartKind& k = FindChartKind(kind);
  CheckChartOptions(k, options);
  if (table.num_rows() == 0 || table.num_columns() == 0) {
    ThrowInvalid("Nothing to draw in the {} chart: the result has no rows", k.name);
  }
  return k.render(table, options);
}

}  // namespace helenus::chart
