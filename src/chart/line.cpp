// Line: points joined in x order, one line per series, with an optional y = x reference.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "columns.h"
#include "frame.h"
#include "helenus/chart/palette.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "kinds.h"

namespace helenus::chart {
namespace {

// Markers on every point help short lines; on long curves (ROC) they only add clutter.
constexpr size_t kMarkerLimit = 50;

ChartResult RenderLine(const Table& table, const ChartOptions& options) {
  const XyPoints points = ReadXyPoints(table, options, "line");
  const size_t x = points.x, y = points.y;
  const std::vector<size_t>& rows = points.rows;
  const double x_lo = points.x_lo, x_hi = points.x_hi, y_lo = points.y_lo, y_hi = points.y_hi;
  const int series = ChooseColumn(table, options, "series", -1);
  const bool diagonal = options.GetBool("diagonal", false);

  ChartResult result;
  result.skipped = points.skipped;

  Categories groups;
  if (series >= 0) {
    groups = CategoriesOf(table.column(series), rows, true);
  } else {
    groups.names = {""};
    groups.of_row.assign(rows.size(), 0);
  }
  std::vector<std::vector<std::pair<double, double>>> lines(groups.names.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    lines[groups.of_row[i]].emplace_back(std::get<double>(table.column(x).cells[rows[i]]),
                                         std::get<double>(table.column(y).cells[rows[i]]));
  }
  size_t longest = 0;
  for (auto& line : lines) {
    // Stable: points with equal x (steps of a ROC curve) keep their row order.
    std::stable_sort(line.begin(), line.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    longest = std::max(longest, line.size());
  }
  const std::string markers = AsciiLower(options.Get("markers", "auto"));
  const bool draw_markers =
      markers == "auto" ? longest <= kMarkerLimit : options.GetBool("markers", false);

  std::vector<LegendEntry> legend;
  if (series >= 0) {
    for (size_t i = 0; i < groups.names.size(); ++i) {
      legend.push_back({groups.names[i], std::string(CategoricalColor(i))});
    }
  }
  const std::string legend_title = series >= 0 ? table.column(series).name : "";
  XyCanvas canvas = StartXyCanvas(options, "line", table.column(x).name, table.column(y).name, x_lo,
                                  x_hi, y_lo, y_hi, legend_title, legend);
  SvgWriter& svg = canvas.svg;
  const PlotArea& area = canvas.area;
  const LinearScale& sx = canvas.sx;
  const LinearScale& sy = canvas.sy;

  if (diagonal) {
    // y = x over the part of the plot where both axes overlap.
    const double from = std::max(canvas.x_ticks.lo, canvas.y_ticks.lo),
                 to = std::min(canvas.x_ticks.hi, canvas.y_ticks.hi);
    if (from < to) {
      svg.Line(sx(from), sy(from), sx(to), sy(to), "#999999", 1.2,
               "stroke-dasharray=\"5,4\" class=\"diagonal\"");
    }
  }
  for (size_t s = 0; s < lines.size(); ++s) {
    std::vector<std::pair<double, double>> pixels;
    pixels.reserve(lines[s].size());
    for (const auto& [vx, vy] : lines[s]) pixels.emplace_back(sx(vx), sy(vy));
    svg.Polyline(pixels, CategoricalColor(s), 2, "class=\"series\"");
    if (draw_markers) {
      svg.OpenGroup(fmt::format("class=\"points\" fill=\"{}\"", CategoricalColor(s)));
      for (const auto& [px, py] : pixels) svg.Circle(px, py, 3);
      svg.CloseGroup();
    }
    result.points += lines[s].size();
  }
  DrawLegend(svg, area.right() + 16, area.top, legend_title, legend);
  result.svg = svg.Finish();
  return result;
}

}  // namespace

ChartKind LineChartKind() {
  return {"line",
          "lines through (x, y) in x order, one per series; diagonal draws y = x",
          {"x", "y", "series", "diagonal", "markers"},
          RenderLine};
}

}  // namespace helenus::chart
