#pragma once

#include "helenus/chart/chart.h"

// One function per chart kind (each in its own file); registry.cpp lists them.
namespace helenus::chart {

// Points at (x, y), coloured by a category column.
ChartKind ScatterChartKind();
// Lines through (x, y) sorted by x, one per series.
ChartKind LineChartKind();
// Horizontal bars of values by label, in row order.
ChartKind BarChartKind();
// A grid of cells coloured by value, rows by columns.
ChartKind HeatmapChartKind();

}  // namespace helenus::chart
