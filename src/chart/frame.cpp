// Layout, axes, labels and legends shared by the chart kinds.
#include "frame.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include <fmt/format.h>

namespace helenus::chart {
namespace {

constexpr double kTickFont = 11;
constexpr double kLabelFont = 12;
constexpr double kTitleFont = 16;
constexpr size_t kMaxLegendEntries = 20;
constexpr size_t kMaxLegendChars = 28;
constexpr const char* kGridColor = "#e6e6e6";
constexpr const char* kAxisColor = "#555555";
constexpr const char* kTickTextColor = "#444444";

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

ChartFrame ReadFrame(const ChartOptions& options, std::string_view x_default,
                     std::string_view y_default, int default_height) {
  ChartFrame f;
  f.width = options.GetInt("width", 720, 160, 20000);
  f.height = options.GetInt("height", default_height, 120, 20000);
  f.title = options.Get("title");
  f.x_label = options.Get("x_label", x_default);
  f.y_label = options.Get("y_label", y_default);
  return f;
}

double TextWidth(std::string_view text, double font_size) {
  return static_cast<double>(CodePoints(text)) * font_size * 0.6;
}

std::string Shorten(std::string_view text, size_t max_chars) {
  if (CodePoints(text) <= max_chars) return std::string(text);
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool starts_char = (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80;
    if (starts_char && ++n > max_chars - 1) break;
    out += text[i];
  }
  return out + "\xE2\x80\xA6";
}

int TickTarget(double length, double spacing) {
  return std::clamp(static_cast<int>(std::lround(length / spacing)), 2, 10);
}

SvgWriter StartChart(const ChartFrame& frame, std::string_view kind) {
  SvgWriter svg(frame.width, frame.height);
  svg.Title(frame.title.empty() ? std::string(kind) + " chart" : frame.title);
  if (!frame.title.empty()) {
    svg.Text(frame.width / 2, 28, frame.title, "middle",
             fmt::format("font-size=\"{}\" font-weight=\"bold\"", kTitleFont));
  }
  return svg;
}

PlotArea LayoutPlot(const ChartFrame& frame, double left_extra, double bottom_extra,
                    double right_extra) {
  PlotArea a;
  a.top = frame.title.empty() ? 20 : 46;
  a.left = 12 + left_extra + (frame.y_label.empty() ? 0 : 22);
  const double bottom = 12 + bottom_extra + (frame.x_label.empty() ? 0 : 22);
  const double right = 20 + right_extra;
  // Tiny canvases still get a positive plot area; the drawing just gets cramped.
  a.width = std::max(20.0, frame.width - a.left - right);
  a.height = std::max(20.0, frame.height - a.top - bottom);
  return a;
}

double YTickWidth(const Ticks& ticks) {
  double w = 0;
  for (double v : ticks.values) w = std::max(w, TextWidth(FormatTick(v, ticks.step), kTickFont));
  return w + 8;
}

void DrawXAxis(SvgWriter& svg, const PlotArea& area, const Ticks& ticks, const LinearScale& x) {
  svg.OpenGroup(fmt::format("font-size=\"{}\" fill=\"{}\"", kTickFont, kTickTextColor));
  for (double v : ticks.values) {
    const double px = x(v);
    svg.Line(px, area.top, px, area.bottom(), kGridColor, 1);
    svg.Text(px, area.bottom() + 16, FormatTick(v, ticks.step), "middle");
  }
  svg.CloseGroup();
  svg.Line(area.left, area.bottom(), area.right(), area.bottom(), kAxisColor, 1);
}

void DrawYAxis(SvgWriter& svg, const PlotArea& area, const Ticks& ticks, const LinearScale& y) {
  svg.OpenGroup(fmt::format("font-size=\"{}\" fill=\"{}\"", kTickFont, kTickTextColor));
  for (double v : ticks.values) {
    const double py = y(v);
    svg.Line(area.left, py, area.right(), py, kGridColor, 1);
    svg.Text(area.left - 6, py + 4, FormatTick(v, ticks.step), "end");
  }
  svg.CloseGroup();
  svg.Line(area.left, area.top, area.left, area.bottom(), kAxisColor, 1);
}

void DrawAxisLabels(SvgWriter& svg, const ChartFrame& frame, const PlotArea& area) {
  const std::string font = fmt::format("font-size=\"{}\"", kLabelFont);
  if (!frame.x_label.empty()) {
    svg.Text(area.left + area.width / 2, frame.height - 12, frame.x_label, "middle", font);
  }
  if (!frame.y_label.empty()) {
    const double cx = 18, cy = area.top + area.height / 2;
    svg.Text(cx, cy, frame.y_label, "middle",
             fmt::format("{} transform=\"rotate(-90 {} {})\"", font, SvgNumber(cx), SvgNumber(cy)));
  }
}

double LegendWidth(std::string_view title, const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return 0;
  double w = TextWidth(Shorten(title, kMaxLegendChars), kLabelFont);
  for (const auto& e : entries) {
    w = std::max(w, 16 + TextWidth(Shorten(e.label, kMaxLegendChars), kTickFont));
  }
  return w + 16;
}

void DrawLegend(SvgWriter& svg, double x, double y, std::string_view title,
                const std::vector<LegendEntry>& entries) {
  if (entries.empty()) return;
  double row = y;
  if (!title.empty()) {
    svg.Text(x, row + 10, Shorten(title, kMaxLegendChars), "start",
             fmt::format("font-size=\"{}\" font-weight=\"bold\"", kLabelFont));
    row += 20;
  }
  svg.OpenGroup(fmt::format("font-size=\"{}\"", kTickFont));
  const size_t shown = std::min(entries.size(), kMaxLegendEntries);
  for (size_t i = 0; i < shown; ++i) {
    svg.Rect(x, row, 10, 10, entries[i].color);
    svg.Text(x + 16, row + 9, Shorten(entries[i].label, kMaxLegendChars));
    row += 18;
  }
  if (shown < entries.size()) {
    svg.Text(x, row + 9, fmt::format("\xE2\x80\xA6 {} more", entries.size() - shown));
  }
  svg.CloseGroup();
}

XyCanvas StartXyCanvas(const ChartOptions& options, std::string_view kind, std::string_view x_name,
                       std::string_view y_name, double x_lo, double x_hi, double y_lo, double y_hi,
                       std::string_view legend_title, const std::vector<LegendEntry>& legend) {
  const ChartFrame frame = ReadFrame(options, x_name, y_name);
  const Ticks y_ticks = NiceTicks(y_lo, y_hi, TickTarget(frame.height, 80));
  const double legend_width = LegendWidth(legend_title, legend);
  SvgWriter svg = StartChart(frame, kind);
  const PlotArea area =
      LayoutPlot(frame, YTickWidth(y_ticks), 18, legend_width > 0 ? legend_width + 12 : 0);
  const Ticks x_ticks = NiceTicks(x_lo, x_hi, TickTarget(area.width, 110));
  XyCanvas c{frame,
             std::move(svg),
             area,
             x_ticks,
             y_ticks,
             LinearScale(x_ticks.lo, x_ticks.hi, area.left, area.right()),
             LinearScale(y_ticks.lo, y_ticks.hi, area.bottom(), area.top)};
  DrawXAxis(c.svg, c.area, c.x_ticks, c.sx);
  DrawYAxis(c.svg, c.area, c.y_ticks, c.sy);
  DrawAxisLabels(c.svg, c.frame, c.area);
  return c;
}

}  // namespace helenus::chart
