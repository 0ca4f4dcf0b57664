// The chart input table: named columns of null / number / text cells.
#include "helenus/chart/table.h"

#include <cmath>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/common/strings.h"

namespace helenus::chart {

std::optional<double> FiniteNumber(const Cell& cell) {
  const double* v = std::get_if<double>(&cell);
  if (v == nullptr || !std::isfinite(*v)) return std::nullopt;
  return *v;
}

std::string CellText(const Cell& cell) {
  if (const double* v = std::get_if<double>(&cell)) {
    // fmt's shortest round-trip form prints cluster ids as "0", not "0.000000".
    return fmt::format("{}", *v);
  }
  if (const std::string* s = std::get_if<std::string>(&cell)) return *s;
  return "null";
}

bool Column::IsNumeric() const {
  bool any = false;
  for (const Cell& c : cells) {
    if (std::holds_alternative<std::string>(c)) return false;
    any = any || std::holds_alternative<double>(c);
  }
  return any;
}

bool Column::HasText() const {
  for (const Cell& c : cells) {
    if (std::holds_alternative<std::string>(c)) return true;
  }
  return false;
}

std::string Column::FirstText() const {
  for (const Cell& c : cells) {
    if (const std::string* s = std::get_if<std::string>(&c)) return *s;
  }
  return "";
}

Table::Table(const std::vector<std::string>& names) {
  columns_.reserve(names.size());
  for (const auto& n : names) columns_.push_back(Column{n, {}});
}

void Table::AddRow(std::vector<Cell> row) {
  if (row.size() != columns_.size()) {
    ThrowInvalid("A chart row has {} cells but the table has {} columns", row.size(),
                 columns_.size());
  }
  for (size_t i = 0; i < row.size(); ++i) columns_[i].cells.push_back(std::move(row[i]));
  ++num_rows_;
}

int Table::Find(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i].name == name) return static_cast<int>(i);
  }
  const std::string lower = AsciiLower(name);
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (AsciiLower(columns_[i].name) == lower) return static_cast<int>(i);
  }
  return -1;
}

std::string Table::ColumnNames() const {
  std::string out;
  for (const auto& c : columns_) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

}  // namespace helenus::chart
