#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace helenus {

// Serialized bytes of one CQL value, exactly as the native protocol carries
// them (int: 4 bytes big-endian, text: UTF-8, list: [int n][int len][bytes]...).
using Bytes = std::string;

// A nullable CQL value: nullopt is CQL null.
using Value = std::optional<Bytes>;

}  // namespace helenus
