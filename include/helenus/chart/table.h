#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace helenus::chart {

// One cell of a chart table: null, a number or a text.
using Cell = std::variant<std::monostate, double, std::string>;

// True when the cell is null.
inline bool IsNull(const Cell& cell) {
  return std::holds_alternative<std::monostate>(cell);
}
// The number of a cell when it holds a finite number (NaN and infinities count as missing).
std::optional<double> FiniteNumber(const Cell& cell);
// The text of a cell for labels: numbers in their shortest round-trip form, null as "null".
std::string CellText(const Cell& cell);

// A named column of cells.
struct Column {
  std::string name;
  std::vector<Cell> cells;

  // True when the column holds at least one number and no text.
  bool IsNumeric() const;
  // True when the column holds at least one text.
  bool HasText() const;
  // The first text cell, or "" (for error messages).
  std::string FirstText() const;
};

// The input of every chart: named columns of equal length, filled row by row.
class Table {
 public:
  // A table without columns.
  Table() = default;
  // An empty table with these column names.
  explicit Table(const std::vector<std::string>& names);

  // Appends a row; throws CqlError(kInvalid) when its width differs from the table's.
  void AddRow(std::vector<Cell> row);
  // Number of rows.
  size_t num_rows() const { return num_rows_; }
  // Number of columns.
  size_t num_columns() const { return columns_.size(); }
  // Column i.
  const Column& column(size_t i) const { return columns_.at(i); }
  // All columns in order.
  const std::vector<Column>& columns() const { return columns_; }
  // Index of a column by name (exact, then case-insensitive); -1 when absent.
  int Find(std::string_view name) const;
  // The column names joined by ", " (for error messages).
  std::string ColumnNames() const;

 private:
  std::vector<Column> columns_;
  size_t num_rows_ = 0;
};

}  // namespace helenus::chart
