// cqlsh-style aligned tables.
#include "helenus/shell/table_printer.h"

#include <algorithm>

namespace helenus::shell {
namespace {

std::string PadLeft(const std::string& s, size_t width) {
  size_t w = DisplayWidth(s);
  return w >= width ? s : std::string(width - w, ' ') + s;
}

std::string PadRight(const std::string& s, size_t width) {
  size_t w = DisplayWidth(s);
  return w >= width ? s : s + std::string(width - w, ' ');
}

}  // namespace

size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;  // count only the first byte of each code point
  }
  return n;
}

std::string FormatTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) widths[i] = DisplayWidth(headers[i]);
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(r[i]));
    }
  }
  std::string out;
  for (size_t i = 0; i < headers.size(); ++i) {
    out += (i ? " | " : " ") + PadRight(headers[i], widths[i]);
  }
  out += "\n";
  for (size_t i = 0; i < headers.size(); ++i) {
    out += (i ? "-+-" : "-") + std::string(widths[i], '-');
  }
  out += "-\n";
  for (const auto& r : rows) {
    for (size_t i = 0; i < headers.size(); ++i) {
      out += (i ? " | " : " ") + PadLeft(i < r.size() ? r[i] : "", widths[i]);
    }
    out += "\n";
  }
  return out;
}

std::string FormatExpanded(const std::vector<std::string>& headers,
                           const std::vector<std::vector<std::string>>& rows, size_t first_row) {
  size_t name_width = 0, value_width = 0;
  for (const auto& h : headers) name_width = std::max(name_width, DisplayWidth(h));
  for (const auto& r : rows) {
    for (const auto& v : r) value_width = std::max(value_width, DisplayWidth(v));
  }
  std::string out;
  for (size_t n = 0; n < rows.size(); ++n) {
    out += "\n@ Row " + std::to_string(first_row + n) + "\n";
    out += "-" + std::string(name_width, '-') + "-+-" + std::string(value_width, '-') + "-\n";
    for (size_t i = 0; i < headers.size(); ++i) {
      out += " " + PadRight(headers[i], name_width) + " | " +
             (i < rows[n].size() ? rows[n][i] : "") + "\n";
    }
  }
  return out;
}

}  // namespace helenus::shell
