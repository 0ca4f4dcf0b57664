// Picking the columns a chart draws, with defaults and errors that name the columns.
#include "columns.h"

#include <algorithm>
#include <limits>
#include <map>

#include "helenus/common/error.h"
#include "helenus/common/strings.h"

namespace helenus::chart {
namespace {

bool Excluded(size_t i, const std::vector<size_t>& exclude) {
  return std::find(exclude.begin(), exclude.end(), i) != exclude.end();
}

}  // namespace

int ChooseColumn(const Table& table, const ChartOptions& options, std::string_view role,
                 int fallback) {
  if (!options.Has(role)) return fallback;
  const std::string name = options.Get(role);
  const int found = table.Find(name);
  if (found >= 0) return found;
  if (name.empty() || AsciiLower(name) == "none") return -1;
  ThrowInvalid("Unknown column '{}' for {}; the columns are: {}", name, role, table.ColumnNames());
}

size_t RequireColumn(const Table& table, const ChartOptions& options, std::string_view kind,
                     std::string_view role, int fallback, std::string_view what) {
  const int c = ChooseColumn(table, options, role, fallback);
  if (c < 0) {
    ThrowInvalid("A {} chart needs {} for {} (WITH {} = 'column'); the columns are: {}", kind, what,
                 role, role, table.ColumnNames());
  }
  return static_cast<size_t>(c);
}

void RequireNumeric(const Table& table, size_t column, std::string_view role) {
  const Column& c = table.column(column);
  if (c.HasText()) {
    ThrowInvalid("Column '{}' ({}) is not numeric: it holds text such as '{}'", c.name, role,
                 c.FirstText());
  }
}

int FirstNumeric(const Table& table, const std::vector<size_t>& exclude) {
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (!Excluded(i, exclude) && table.column(i).IsNumeric()) return static_cast<int>(i);
  }
  return -1;
}

int FirstText(const Table& table, const std::vector<size_t>& exclude) {
  for (size_t i = 0; i < table.num_columns(); ++i) {
    if (!Excluded(i, exclude) && table.column(i).HasText()) return static_cast<int>(i);
  }
  return -1;
}

void RequirePoints(size_t points, size_t skipped, std::string_view kind) {
  if (points == 0) {
    ThrowInvalid("Nothing to draw in the {} chart: all {} rows have a null or NaN value", kind,
                 skipped);
  }
}

Categories CategoriesOf(const Column& column, const std::vector<size_t>& rows, bool sort_numbers) {
  Categories out;
  out.of_row.reserve(rows.size());
  bool all_numbers = sort_numbers;
  for (size_t r : rows) {
    if (!FiniteNumber(column.cells[r])) all_numbers = false;
  }
  if (all_numbers) {
    std::map<double, size_t> order;
    for (size_t r : rows) order.emplace(std::get<double>(column.cells[r]), 0);
    for (auto& [value, index] : order) {
      index = out.names.size();
      out.names.push_back(CellText(value));
    }
    for (size_t r : rows) out.of_row.push_back(order[std::get<double>(column.cells[r])]);
    return out;
  }
  std::map<std::string, size_t> seen;
  for (size_t r : rows) {
    std::string name = CellText(column.cells[r]);
    auto [it, inserted] = seen.emplace(name, out.names.size());
    if (inserted) out.names.push_back(std::move(name));
    out.of_row.push_back(it->second);
  }
  return out;
}

XyPoints ReadXyPoints(const Table& table, const ChartOptions& options, std::string_view kind) {
  XyPoints p;
  p.x = RequireColumn(table, options, kind, "x", FirstNumeric(table), "a numeric column");
  p.y = RequireColumn(table, options, kind, "y", FirstNumeric(table, {p.x}),
                      "a second numeric column");
  RequireNumeric(table, p.x, "x");
  RequireNumeric(table, p.y, "y");
  p.x_lo = p.y_lo = std::numeric_limits<double>::infinity();
  p.x_hi = p.y_hi = -p.x_lo;
  for (size_t r = 0; r < table.num_rows(); ++r) {
    const auto vx = FiniteNumber(table.column(p.x).cells[r]);
    const auto vy = FiniteNumber(table.column(p.y).cells[r]);
    if (!vx || !vy) {
      ++p.skipped;
      continue;
    }
    p.rows.push_back(r);
    p.x_lo = std::min(p.x_lo, *vx);
    p.x_hi = std::max(p.x_hi, *vx);
    p.y_lo = std::min(p.y_lo, *vy);
    p.y_hi = std::max(p.y_hi, *vy);
  }
  RequirePoints(p.rows.size(), p.skipped, kind);
  return p;
}

}  // namespace helenus::chart
