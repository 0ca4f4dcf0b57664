#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/chart/options.h"
#include "helenus/chart/table.h"

namespace helenus::chart {

// The column for a role: the one the option named role names (an unknown name throws,
// listing the columns; '' or 'none' mean no column), else fallback (-1 = none).
int ChooseColumn(const Table& table, const ChartOptions& options, std::string_view role,
                 int fallback);

// Like ChooseColumn, but the chart cannot do without it: throws "<kind> needs <what> for
// <role>" listing the columns when there is none.
size_t RequireColumn(const Table& table, const ChartOptions& options, std::string_view kind,
                     std::string_view role, int fallback, std::string_view what);

// Throws CqlError(kInvalid) unless the column holds numbers (and nulls) only.
void RequireNumeric(const Table& table, size_t column, std::string_view role);

// The first numeric column not in exclude; -1 when there is none.
int FirstNumeric(const Table& table, const std::vector<size_t>& exclude = {});

// The first column holding text not in exclude; -1 when there is none.
int FirstText(const Table& table, const std::vector<size_t>& exclude = {});

// Throws CqlError(kInvalid) when no row could be drawn.
void RequirePoints(size_t points, size_t skipped, std::string_view kind);

// The rows of an x/y chart: the x and y columns (named by the options, else the
// first two numeric ones), the rows where both are finite, and their ranges.
struct XyPoints {
  size_t x = 0, y = 0;
  std::vector<size_t> rows;
  size_t skipped = 0;  // rows with a null or NaN x or y
  double x_lo = 0, x_hi = 0, y_lo = 0, y_hi = 0;
};

// The points of a kind of x/y chart; throws when a column is missing or not
// numeric, or when no row has both numbers.
XyPoints ReadXyPoints(const Table& table, const ChartOptions& options, std::string_view kind);

// The distinct values of a column over some rows, and each of those rows' category.
struct Categories {
  std::vector<std::string> names;
  std::vector<size_t> of_row;  // indexed like the rows given, not the table
};

// The categories of column over rows: numbers ascending when every value is a number
// (cluster ids, classes), otherwise in order of first appearance; null is "null".
Categories CategoriesOf(const Column& column, const std::vector<size_t>& rows, bool sort_numbers);

}  // namespace helenus::chart
