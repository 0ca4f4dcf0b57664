#pragma once

// Variable-length integers of the CQL value formats: Cassandra's vints
// (durations) and arbitrary-precision two's complement (varint, decimal).
// Internal to the cql layer.

#include <cstdint>
#include <string>
#include <string_view>

namespace helenus::cql {

// Appends a zigzag-encoded signed vint (Cassandra's VIntCoding).
void PutSignedVint(int64_t v, std::string* out);
// Reads a signed vint from *in (advancing it); false when truncated.
bool GetSignedVint(std::string_view* in, int64_t* v);

// Two's complement big-endian bytes of a decimal integer string ("-123").
std::string DecimalToVarint(std::string_view digits);
// The decimal string of two's complement big-endian bytes.
std::string VarintToDecimal(std::string_view bytes);
// Orders two varint values.
int CompareVarint(std::string_view a, std::string_view b);
// Orders two decimal values ([int scale][varint unscaled]) exactly.
int CompareDecimal(std::string_view a, std::string_view b);

}  // namespace helenus::cql
