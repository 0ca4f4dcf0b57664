// Bar: one horizontal bar per row, in row order, with its value printed at the end.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "columns.h"
#include "frame.h"
#include "helenus/chart/palette.h"
#include "kinds.h"

namespace helenus::chart {
namespace {

constexpr double kValueFont = 11;
constexpr double kLabelFont = 11;
constexpr size_t kMaxLabelChars = 40;
// The height a row needs to stay legible; taller results grow the default canvas.
constexpr double kMinBand = 20;

ChartResult RenderBar(const Table& table, const ChartOptions& options) {
  const int text = FirstText(table);
  const size_t label =
      RequireColumn(table, options, "bar", "label", text >= 0 ? text : 0, "a column");
  const size_t value = RequireColumn(table, options, "bar", "value", FirstNumeric(table, {label}),
                                     "a numeric column");
  RequireNumeric(table, value, "value");

  ChartResult result;
  std::vector<std::pair<std::string, double>> bars;
  double lo = 0, hi = 0;  // bars start at zero, so zero is always on the axis
  for (size_t r = 0; r < table.num_rows(); ++r) {
    const auto v = FiniteNumber(table.column(value).cells[r]);
    if (!v) {
      ++result.skipped;
      continue;
    }
    bars.emplace_back(Shorten(CellText(table.column(label).cells[r]), kMaxLabelChars), *v);
    lo = std::min(lo, *v);
    hi = std::max(hi, *v);
  }
  RequirePoints(bars.size(), result.skipped, "bar");

  double label_width = 0, value_width = 0;
  for (const auto& [name, v] : bars) {
    label_width = std::max(label_width, TextWidth(name, kLabelFont));
    value_width = std::max(value_width, TextWidth(FormatNumber(v), kValueFont));
  }
  const bool has_title = !options.Get("title").empty();
  const double chrome = (has_title ? 46 : 20) + 12 + 18 + 22;  // LayoutPlot's top and bottom
  const int fit = static_cast<int>(std::ceil(chrome + kMinBand * bars.size()));
  const ChartFrame frame = ReadFrame(options, table.column(value).name, table.column(label).name,
                                     std::clamp(fit, 480, 20000));
  SvgWriter svg = StartChart(frame, "bar");
  const PlotArea area = LayoutPlot(frame, label_width + 8, 18, value_width + 6);
  // A negative bar prints its value left of its end, inside the plot: widen the axis on
  // the left until the longest such value fits.
  double axis_lo = lo;
  Ticks ticks = NiceTicks(axis_lo, hi, TickTarget(area.width, 110));
  for (int i = 0; i < 4 && lo < 0; ++i) {
    const double per_pixel = (ticks.hi - ticks.lo) / area.width;
    const double room = (lo - ticks.lo) / per_pixel;
    if (room >= value_width + 6) break;
    axis_lo -= (value_width + 6 - room) * per_pixel;
    ticks = NiceTicks(axis_lo, hi, TickTarget(area.width, 110));
  }
  const LinearScale sx(ticks.lo, ticks.hi, area.left, area.right());
  DrawXAxis(svg, area, ticks, sx);
  svg.Line(area.left, area.top, area.left, area.bottom(), "#555555", 1);
  DrawAxisLabels(svg, frame, area);

  const double band = area.height / static_cast<double>(bars.size());
  const double font = std::min(kLabelFont, std::max(6.0, band * 0.7));
  const std::string font_attr = fmt::format("font-size=\"{}\"", SvgNumber(font));
  const double zero = sx(0);
  svg.OpenGroup("class=\"bars\"");
  for (size_t i = 0; i < bars.size(); ++i) {
    const double end = sx(bars[i].second);
    svg.Rect(std::min(zero, end), area.top + band * (i + 0.15), std::fabs(end - zero), band * 0.7,
             CategoricalColor(0));
  }
  svg.CloseGroup();
  svg.OpenGroup(font_attr + " fill=\"#222222\"");
  for (size_t i = 0; i < bars.size(); ++i) {
    const double mid = area.top + band * (i + 0.5) + font * 0.35;
    const double v = bars[i].second;
    const double end = sx(v);
    svg.Text(area.left - 6, mid, bars[i].first, "end");
    if (v < 0) {
      svg.Text(end - 4, mid, FormatNumber(v), "end");
    } else {
      svg.Text(end + 4, mid, FormatNumber(v));
    }
    ++result.points;
  }
  svg.CloseGroup();
  result.svg = svg.Finish();
  return result;
}

}  // namespace

ChartKind BarChartKind() {
  return {"bar", "horizontal bars of value by label, in row order", {"label", "value"}, RenderBar};
}

}  // namespace helenus::chart
