#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/cql/messages.h"

// Building bound values from C++ types (thin helpers over value_codec).
namespace helenus::client {

// One bound value: set (serialized bytes), null or unset.
using BoundValue = cql::BoundValue;

// CQL null.
BoundValue Null();
// "Not set": leaves the column untouched (protocol v4).
BoundValue Unset();
// Already-serialized bytes.
BoundValue Raw(std::string bytes);
// tinyint.
BoundValue Tinyint(int8_t v);
// smallint.
BoundValue Smallint(int16_t v);
// int.
BoundValue Int(int32_t v);
// bigint (also counter).
BoundValue Bigint(int64_t v);
// timestamp: milliseconds since the Unix epoch.
BoundValue Timestamp(int64_t millis);
// float.
BoundValue Float(float v);
// double.
BoundValue Double(double v);
// boolean.
BoundValue Boolean(bool v);
// text / varchar / ascii.
BoundValue Text(std::string_view v);
// blob.
BoundValue Blob(std::string_view v);
// uuid or timeuuid from its 36-character text; throws CqlError(kInvalid) when malformed.
BoundValue Uuid(std::string_view text);
// list or set of already-serialized elements.
BoundValue Collection(const std::vector<std::string>& elements);

// A scalar value from its unquoted CQL/CSV text ("42", "2020-01-01", "abc", a uuid, "true");
// throws CqlError(kInvalid) when it does not parse or the type is a collection/tuple/UDT.
BoundValue FromText(const DataType& type, std::string_view text);

}  // namespace helenus::client
