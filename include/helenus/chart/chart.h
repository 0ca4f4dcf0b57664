#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/chart/options.h"
#include "helenus/chart/table.h"

namespace helenus::chart {

// What rendering a chart produced.
struct ChartResult {
  std::string svg;     // the whole SVG document
  size_t points = 0;   // marks drawn: scatter/line points, bars, heatmap cells
  size_t skipped = 0;  // rows left out for a null or NaN where a number was needed
};

// Draws one kind of chart from a table and its options.
using ChartRenderer = ChartResult (*)(const Table& table, const ChartOptions& options);

// A chart kind: its name, a one-line summary, its own option names and its renderer.
struct ChartKind {
  std::string name;
  std::string summary;
  std::vector<std::string> options;  // besides CommonChartOptions()
  ChartRenderer render = nullptr;
};

// The options every kind accepts: title, x_label, y_label, width, height.
const std::vector<std::string>& CommonChartOptions();

// Every chart kind, sorted by name.
const std::vector<ChartKind>& ChartKinds();

// The kind called name (case-insensitive); throws CqlError(kInvalid) listing the kinds.
const ChartKind& FindChartKind(std::string_view name);

// Throws CqlError(kInvalid) when options holds a name kind does not accept.
void CheckChartOptions(const ChartKind& kind, const ChartOptions& options);

// Renders table as a chart of the named kind; throws CqlError(kInvalid) for an unknown
// kind or option, an empty table, a missing or non-numeric column.
ChartResult RenderChart(std::string_view kind, const Table& table, const ChartOptions& options);

}  // namespace helenus::chart
