#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace helenus {

// s with ASCII letters upper-cased (CQL keywords, option names).
std::string AsciiUpper(std::string_view s);
// s with ASCII letters lower-cased.
std::string AsciiLower(std::string_view s);
// Lower-case hexadecimal digits of bytes, two per byte, no prefix.
std::string HexEncode(std::string_view bytes);

// The pieces of s between separators, each without surrounding whitespace.
std::vector<std::string> SplitTrimmed(std::string_view s, char sep);

}  // namespace helenus
