#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "helenus/chart/options.h"
#include "helenus/chart/scale.h"
#include "helenus/chart/svg_writer.h"

namespace helenus::chart {

// The common options of a chart, read once with their defaults applied.
struct ChartFrame {
  double width = 720;
  double height = 480;
  std::string title;
  std::string x_label;
  std::string y_label;
};

// The rectangle of the canvas where the data is drawn.
struct PlotArea {
  double left = 0;
  double top = 0;
  double width = 0;
  double height = 0;

  // The right edge.
  double right() const { return left + width; }
  // The bottom edge.
  double bottom() const { return top + height; }
};

// A colour swatch and its label in a legend.
struct LegendEntry {
  std::string label;
  std::string color;
};

// Reads title, x_label, y_label (defaulting to the given column names), width and
// height (default 720 and default_height).
ChartFrame ReadFrame(const ChartOptions& options, std::string_view x_default,
                     std::string_view y_default, int default_height = 480);

// Approximate width in pixels of text at font_size (a sans-serif average; there are no
// font metrics when writing SVG by hand).
double TextWidth(std::string_view text, double font_size);

// text cut to at most max_chars characters (UTF-8 aware), with "…" when cut.
std::string Shorten(std::string_view text, size_t max_chars);

// About how many tick intervals fit along an axis of length pixels.
int TickTarget(double length, double spacing);

// The document with its background and title drawn.
SvgWriter StartChart(const ChartFrame& frame, std::string_view kind);

// The plot area of a frame: left_extra pixels for y tick labels, bottom_extra for x tick
// labels, right_extra for a legend, plus room for the title and the axis labels.
PlotArea LayoutPlot(const ChartFrame& frame, double left_extra, double bottom_extra,
                    double right_extra);

// Width of the y tick labels of ticks (for LayoutPlot's left_extra).
double YTickWidth(const Ticks& ticks);

// Vertical grid lines and tick labels under the plot for the x ticks, and the x axis line.
void DrawXAxis(SvgWriter& svg, const PlotArea& area, const Ticks& ticks, const LinearScale& x);

// Horizontal grid lines and tick labels left of the plot for the y ticks, and the y axis line.
void DrawYAxis(SvgWriter& svg, const PlotArea& area, const Ticks& ticks, const LinearScale& y);

// The x label centred under the plot and the y label rotated along the left edge.
void DrawAxisLabels(SvgWriter& svg, const ChartFrame& frame, const PlotArea& area);

// Width a legend with this title and these entries needs (0 when there are none).
double LegendWidth(std::string_view title, const std::vector<LegendEntry>& entries);

// A legend whose top-left corner is (x, y); long lists end with "… n more".
void DrawLegend(SvgWriter& svg, double x, double y, std::string_view title,
                const std::vector<LegendEntry>& entries);

// An x/y chart's canvas with its title, axes, grid and axis labels drawn; the
// data and the legend come next.
struct XyCanvas {
  ChartFrame frame;
  SvgWriter svg;
  PlotArea area;
  Ticks x_ticks, y_ticks;
  LinearScale sx, sy;
};

// Lays out an x/y chart over [x_lo, x_hi] x [y_lo, y_hi], leaving room on the
// right for a legend of this title and these entries.
XyCanvas StartXyCanvas(const ChartOptions& options, std::string_view kind, std::string_view x_name,
                       std::string_view y_name, double x_lo, double x_hi, double y_lo, double y_hi,
                       std::string_view legend_title, const std::vector<LegendEntry>& legend);

}  // namespace helenus::chart
