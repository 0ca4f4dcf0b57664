#include "helenus/exec/format.h"

#include <fmt/format.h>

namespace helenus::exec {

std::string FormatRows(const Schema& schema, const std::vector<Batch>& batches) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> width;
  for (const auto& f : schema.fields) width.push_back(f.name.size());
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      std::vector<std::string> row;
      for (size_t c = 0; c < b.columns.size(); ++c) {
        row.push_back(TextAt(b.columns[c], r));
        width[c] = std::max(width[c], row.back().size());
      }
      cells.push_back(std::move(row));
    }
  }
  auto right = [&](size_t c) { return PhysicalOf(schema.fields[c].type) != Physical::kString; };
  std::string out;
  for (size_t c = 0; c < schema.size(); ++c) {
    out += fmt::format(" {:>{}} ", schema.fields[c].name, width[c]);
    out += c + 1 < schema.size() ? "|" : "\n";
  }
  for (size_t c = 0; c < schema.size(); ++c) {
    out += std::string(width[c] + 2, '-') + (c + 1 < schema.size() ? "+" : "\n");
  }
  for (const auto& row : cells) {
    for (size_t c = 0; c < row.size(); ++c) {
      out += right(c) ? fmt::format(" {:>{}} ", row[c], width[c])
                      : fmt::format(" {:<{}} ", row[c], width[c]);
      out += c + 1 < row.size() ? "|" : "\n";
    }
  }
  out += fmt::format("\n({} rows)\n", cells.size());
  return out;
}

}  // namespace helenus::exec
