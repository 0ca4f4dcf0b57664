#pragma once

#include <string>
#include <vector>

namespace helenus::shell {

// Formats rows as cqlsh does: a header row, a dashed rule, values right-aligned
// in columns separated by " | ". No "(N rows)" footer: the caller adds it once.
std::string FormatTable(const std::vector<std::string>& headers,
                        const std::vector<std::vector<std::string>>& rows);

// Formats rows vertically (EXPAND ON): "@ Row N", then one "name | value" line per column.
// first_row numbers the first row given.
std::string FormatExpanded(const std::vector<std::string>& headers,
                           const std::vector<std::vector<std::string>>& rows, size_t first_row);

// Display width of UTF-8 text (code points; control characters count as one).
size_t DisplayWidth(const std::string& s);

}  // namespace helenus::shell
