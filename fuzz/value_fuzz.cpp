// Value validation, ordering, printing and collection decoding on arbitrary
// bytes: only CqlError may escape, and a value Validate accepts must compare
// equal to itself and print without throwing.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_types.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace cql = helenus::cql;
using helenus::TypeKind;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const helenus::DataType& type = helenus::fuzz::PickType(data[0]);
  std::string_view b(reinterpret_cast<const char*>(data + 1), size - 1);

  if (!cql::Validate(type, b)) {
    // Valid values are total: nothing below may throw.
    if (cql::Compare(type, b, b) != 0) __builtin_trap();
    (void)cql::ToLiteral(type, b);
    if (type.kind == TypeKind::kVarint) (void)cql::AddVarint(b, b);
    if (type.kind == TypeKind::kDecimal && !b.empty()) (void)cql::AddDecimal(b, b);
  }
  try {
    (void)cql::DecodeCollection(b);
  } catch (const helenus::CqlError&) {
  }
  try {
    (void)cql::DecodeMap(b);
  } catch (const helenus::CqlError&) {
  }
  try {
    (void)cql::DecodeTuple(b, data[0] % 5);
  } catch (const helenus::CqlError&) {
  }
  // Two valid values of one type must order consistently both ways.
  if (size >= 3 && b.size() >= 2) {
    size_t cut = data[1] % b.size();
    std::string_view x = b.substr(1, cut), y = b.substr(1 + cut);
    if (!cql::Validate(type, x) && !cql::Validate(type, y)) {
      if (cql::Compare(type, x, y) != -cql::Compare(type, y, x)) __builtin_trap();
    }
  }
  return 0;
}
