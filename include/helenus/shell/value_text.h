#pragma once

#include <string>
#include <string_view>

#include "helenus/common/data_type.h"
#include "helenus/common/value.h"

namespace helenus::shell {

// How values are turned into text.
enum class TextStyle {
  kDisplay,  // as cqlsh prints them: floats with 5 significant decimals, True/False
  kCsv,      // for COPY TO: every digit that round-trips, same layout otherwise
};

// Serialized bytes of a value of type from its unquoted text (CSV field or cqlsh
// output): scalars as FromText accepts them, collections/tuples in CQL literal form
// ("[1, 2]", "{'a': 1}"). Throws CqlError(kInvalid) with the reason when it does not parse.
Bytes ParseValueText(const DataType& type, std::string_view text);

// The text of a value (null → "null"; top-level text unquoted, nested text quoted).
std::string FormatValue(const DataType& type, const Value& value, TextStyle style);

// A timestamp (milliseconds since the epoch) as cqlsh prints it: "2020-01-02 03:04:05.000000+0000".
std::string FormatTimestamp(int64_t millis, bool microseconds = true);

// A float or double as cqlsh prints it with precision significant decimals.
std::string FormatFloating(double v, int precision);

}  // namespace helenus::shell
