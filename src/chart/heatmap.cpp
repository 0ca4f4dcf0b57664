// Heatmap: a grid of row x column cells coloured by value, the value printed in each.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include <fmt/format.h>

#include "columns.h"
#include "frame.h"
#include "helenus/chart/palette.h"
#include "kinds.h"

namespace helenus::chart {
namespace {

constexpr double kTickFont = 11;
constexpr size_t kMaxLabelChars = 30;
constexpr double kColorBarWidth = 14;
constexpr const char* kEmptyCell = "#f2f2f2";

// The value column: the first numeric one after the row and column columns (so that
// "actual, predicted, count" picks count), else any numeric one that is neither.
int DefaultValueColumn(const Table& table, size_t row, size_t column) {
  for (size_t i = std::max(row, column) + 1; i < table.num_columns(); ++i) {
    if (table.column(i).IsNumeric()) return static_cast<int>(i);
  }
  return FirstNumeric(table, {row, column});
}

ChartResult RenderHeatmap(const Table& table, const ChartOptions& options) {
  const size_t row =
      RequireColumn(table, options, "heatmap", "row", 0, "a column of row categories");
  const size_t column =
      RequireColumn(table, options, "heatmap", "column", table.num_columns() > 1 ? 1 : -1,
                    "a column of column categories");
  const size_t value = RequireColumn(table, options, "heatmap", "value",
                                     DefaultValueColumn(table, row, column), "a numeric column");
  RequireNumeric(table, value, "value");

  ChartResult result;
  std::vector<size_t> rows;
  for (size_t r = 0; r < table.num_rows(); ++r) {
    if (FiniteNumber(table.column(value).cells[r])) {
      rows.push_back(r);
    } else {
      ++result.skipped;
    }
  }
  RequirePoints(rows.size(), result.skipped, "heatmap");
  // Text keeps its first-appearance order, so a confusion matrix keeps the order the
  // evaluator wrote; numbers (GROUP BY output arrives in hash order) are sorted.
  const Categories row_cats = CategoriesOf(table.column(row), rows, true);
  const Categories col_cats = CategoriesOf(table.column(column), rows, true);
  // Repeated (row, column) pairs add up, so raw rows with a count of 1 also work.
  std::map<std::pair<size_t, size_t>, double> cells;
  for (size_t i = 0; i < rows.size(); ++i) {
    cells[{row_cats.of_row[i], col_cats.of_row[i]}] +=
        std::get<double>(table.column(value).cells[rows[i]]);
  }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& [key, v] : cells) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  auto shade = [&](double v) { return hi > lo ? (v - lo) / (hi - lo) : 0.5; };

  std::vector<std::string> row_names, col_names;
  double row_width = 0, col_width = 0;
  for (const auto& n : row_cats.names) {
    row_names.push_back(Shorten(n, kMaxLabelChars));
    row_width = std::max(row_width, TextWidth(row_names.back(), kTickFont));
  }
  for (const auto& n : col_cats.names) {
    col_names.push_back(Shorten(n, kMaxLabelChars));
    col_width = std::max(col_width, TextWidth(col_names.back(), kTickFont));
  }
  const size_t n_rows = row_names.size(), n_cols = col_names.size();
  const bool has_title = !options.Get("title").empty();
  const int fit = static_cast<int>(std::ceil((has_title ? 46 : 20) + 56 + 24.0 * n_rows));
  const ChartFrame frame = ReadFrame(options, table.column(column).name, table.column(row).name,
                                     std::clamp(fit, 480, 20000));
  const double scale_width =
      kColorBarWidth + 8 +
      std::max(TextWidth(FormatNumber(lo), kTickFont), TextWidth(FormatNumber(hi), kTickFont)) + 12;
  // Column labels that do not fit under their cells are turned 45 degrees.
  const double plot_width_guess = frame.width - row_width - scale_width - 80;
  const bool slanted = col_width > plot_width_guess / static_cast<double>(n_cols) - 6;
  const double label_height = slanted ? col_width * 0.72 + 8 : 18;
  SvgWriter svg = StartChart(frame, "heatmap");
  const PlotArea area = LayoutPlot(frame, row_width + 8, label_height, scale_width);
  DrawAxisLabels(svg, frame, area);

  const double cw = area.width / static_cast<double>(n_cols);
  const double ch = area.height / static_cast<double>(n_rows);
  const double font = std::clamp(std::min(ch * 0.35, cw * 0.3), 6.0, 16.0);
  svg.OpenGroup("class=\"cells\" stroke=\"#ffffff\" stroke-width=\"1\"");
  for (size_t r = 0; r < n_rows; ++r) {
    for (size_t c = 0; c < n_cols; ++c) {
      auto it = cells.find({r, c});
      svg.Rect(area.left + c * cw, area.top + r * ch, cw, ch,
               it == cells.end() ? kEmptyCell : SequentialColor(shade(it->second)));
    }
  }
  svg.CloseGroup();
  svg.OpenGroup(fmt::format("class=\"values\" font-size=\"{}\"", SvgNumber(font)));
  for (const auto& [key, v] : cells) {
    svg.Text(area.left + (key.second + 0.5) * cw, area.top + (key.first + 0.5) * ch + font * 0.35,
             FormatNumber(v), "middle", fmt::format("fill=\"{}\"", TextColorOn(shade(v))));
    ++result.points;
  }
  svg.CloseGroup();

  svg.OpenGroup(fmt::format("font-size=\"{}\" fill=\"#444444\"", kTickFont));
  for (size_t r = 0; r < n_rows; ++r) {
    svg.Text(area.left - 6, area.top + (r + 0.5) * ch + 4, row_names[r], "end");
  }
  for (size_t c = 0; c < n_cols; ++c) {
    const double x = area.left + (c + 0.5) * cw, y = area.bottom() + 16;
    if (slanted) {
      svg.Text(x, y, col_names[c], "end",
               fmt::format("transform=\"rotate(-45 {} {})\"", SvgNumber(x), SvgNumber(y)));
    } else {
      svg.Text(x, y, col_names[c], "middle");
    }
  }
  svg.CloseGroup();

  // The colour scale: a vertical gradient from the lowest to the highest value.
  std::string stops;
  for (int i = 0; i <= 4; ++i) {
    stops +=
        fmt::format("<stop offset=\"{}\" stop-color=\"{}\"/>", i / 4.0, SequentialColor(i / 4.0));
  }
  svg.Raw(
      fmt::format("<defs><linearGradient id=\"heat-scale\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">{}"
                  "</linearGradient></defs>\n",
                  stops));
  const double bar_x = area.right() + 12;
  svg.Rect(bar_x, area.top, kColorBarWidth, area.height, "url(#heat-scale)", "stroke=\"#cccccc\"");
  svg.OpenGroup(fmt::format("font-size=\"{}\" fill=\"#444444\"", kTickFont));
  svg.Text(bar_x + kColorBarWidth + 4, area.top + 10, FormatNumber(hi));
  svg.Text(bar_x + kColorBarWidth + 4, area.bottom(), FormatNumber(lo));
  svg.CloseGroup();
  result.svg = svg.Finish();
  return result;
}

}  // namespace

ChartKind HeatmapChartKind() {
  return {"heatmap",
          "cells of row x column coloured by value, the value printed in each",
          {"row", "column", "value"},
          RenderHeatmap};
}

}  // namespace helenus::chart
