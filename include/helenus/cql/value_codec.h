#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/value.h"

namespace helenus::cql {

// Fixed-size scalar serializations (big-endian, as the protocol carries them).
Bytes EncodeTinyint(int8_t v);
Bytes EncodeSmallint(int16_t v);
Bytes EncodeInt(int32_t v);
Bytes EncodeBigint(int64_t v);
Bytes EncodeFloat(float v);
Bytes EncodeDouble(double v);
Bytes EncodeBoolean(bool v);

// Decoders; a value of the wrong length throws CqlError(kInvalid).
int8_t DecodeTinyint(std::string_view b);
int16_t DecodeSmallint(std::string_view b);
int32_t DecodeInt(std::string_view b);
int64_t DecodeBigint(std::string_view b);
float DecodeFloat(std::string_view b);
double DecodeDouble(std::string_view b);
bool DecodeBoolean(std::string_view b);

// Collections (protocol v3+): [int n] then [int len][bytes] per element.
Bytes EncodeCollection(const std::vector<Bytes>& elements);
// Maps: [int n] then key, value pairs.
Bytes EncodeMap(const std::vector<std::pair<Bytes, Bytes>>& entries);
// Elements of a list or set; throws CqlError(kInvalid) when malformed.
std::vector<Bytes> DecodeCollection(std::string_view b);
// Entries of a map; throws CqlError(kInvalid) when malformed.
std::vector<std::pair<Bytes, Bytes>> DecodeMap(std::string_view b);
// Tuples: [int len][bytes] per element, -1 for null.
Bytes EncodeTuple(const std::vector<Value>& elements);
// The first n elements of a tuple (missing trailing elements are null).
std::vector<Value> DecodeTuple(std::string_view b, size_t n);

// nullopt when bytes is a valid value of type, else Cassandra's complaint.
std::optional<std::string> Validate(const DataType& type, std::string_view bytes);
// Cassandra's ordering of two values of type (<0, 0, >0).
int Compare(const DataType& type, std::string_view a, std::string_view b);
// The CQL literal of a value ('text', 1.5, 2020-01-02T03:04:05.000Z, [1, 2], ...).
std::string ToLiteral(const DataType& type, std::string_view bytes);

// Parsers of literal texts; each throws CqlError(kInvalid) with a clear message.
Bytes ParseUuid(std::string_view s);
Bytes ParseTimestamp(std::string_view s);
Bytes ParseDate(std::string_view s);
Bytes ParseTime(std::string_view s);
Bytes ParseDuration(std::string_view s);
Bytes ParseInet(std::string_view s);
Bytes ParseVarint(std::string_view s);
Bytes ParseDecimal(std::string_view s);

// A new version 1 (time-based) uuid, increasing within this process.
Bytes NewTimeUuid();
// A new version 4 (random) uuid.
Bytes NewRandomUuid();
// Microseconds since the Unix epoch of a version 1 uuid.
int64_t TimeUuidMicros(std::string_view uuid);
// minTimeuuid / maxTimeuuid of a millisecond timestamp.
Bytes BoundTimeUuid(int64_t millis, bool max);

}  // namespace helenus::cql

namespace helenus::cql {

// Exact varint sum, for sum() and avg().
Bytes AddVarint(std::string_view a, std::string_view b);
// Varint divided by n, truncated toward zero (avg of varints).
Bytes DivideVarint(std::string_view a, int64_t n);
// Exact decimal sum; the result has the larger scale.
Bytes AddDecimal(std::string_view a, std::string_view b);
// Decimal divided by n at a's scale, rounded half-even (avg of decimals).
Bytes DivideDecimal(std::string_view a, int64_t n);

}  // namespace helenus::cql
