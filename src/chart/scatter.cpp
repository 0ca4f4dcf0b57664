// Scatter: one circle per row at (x, y), coloured by a category column with a legend.
#include <algorithm>
#include <limits>

#include <fmt/format.h>

#include "columns.h"
#include "frame.h"
#include "helenus/chart/palette.h"
#include "helenus/common/error.h"
#include "kinds.h"

namespace helenus::chart {
namespace {

// Above this many points circles shrink and fade so that dense regions stay readable.
constexpr size_t kManyPoints = 2000;

ChartResult RenderScatter(const Table& table, const ChartOptions& options) {
  const XyPoints points = ReadXyPoints(table, options, "scatter");
  const size_t x = points.x, y = points.y;
  const std::vector<size_t>& rows = points.rows;
  const double x_lo = points.x_lo, x_hi = points.x_hi, y_lo = points.y_lo, y_hi = points.y_hi;
  const int color = ChooseColumn(table, options, "color", FirstText(table, {x, y}));

  ChartResult result;
  result.skipped = points.skipped;
  const bool many = rows.size() > kManyPoints;
  const double radius = options.GetDouble("radius", many ? 2 : 3.5);
  const double opacity = options.GetDouble("opacity", many ? 0.55 : 0.8);
  if (radius <= 0 || opacity <= 0 || opacity > 1) {
    ThrowInvalid("Scatter radius must be positive and opacity in (0, 1]");
  }

  Categories categories;
  std::vector<LegendEntry> legend;
  if (color >= 0) {
    categories = CategoriesOf(table.column(color), rows, true);
    for (size_t i = 0; i < categories.names.size(); ++i) {
      legend.push_back({categories.names[i], std::string(CategoricalColor(i))});
    }
  } else {
    categories.names = {""};
    categories.of_row.assign(rows.size(), 0);
  }

  const std::string legend_title = color >= 0 ? table.column(color).name : "";
  XyCanvas canvas = StartXyCanvas(options, "scatter", table.column(x).name, table.column(y).name,
                                  x_lo, x_hi, y_lo, y_hi, legend_title, legend);
  SvgWriter& svg = canvas.svg;
  const PlotArea& area = canvas.area;
  const LinearScale& sx = canvas.sx;
  const LinearScale& sy = canvas.sy;

  // One group per category so each circle carries only its position.
  for (size_t c = 0; c < categories.names.size(); ++c) {
    svg.OpenGroup(fmt::format("class=\"points\" fill=\"{}\" fill-opacity=\"{}\"",
                              CategoricalColor(c), SvgNumber(opacity)));
    for (size_t i = 0; i < rows.size(); ++i) {
      if (categories.of_row[i] != c) continue;
      const size_t r = rows[i];
      svg.Circle(sx(std::get<double>(table.column(x).cells[r])),
                 sy(std::get<double>(table.column(y).cells[r])), radius);
      ++result.points;
    }
    svg.CloseGroup();
  }
  DrawLegend(svg, area.right() + 16, area.top, legend_title, legend);
  result.svg = svg.Finish();
  return result;
}

}  // namespace

ChartKind ScatterChartKind() {
  return {"scatter",
          "points at (x, y), coloured by a category column",
          {"x", "y", "color", "radius", "opacity"},
          RenderScatter};
}

}  // namespace helenus::chart
