#include <cmath>
#include <cstring>
#include <string_view>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/operators.h"
#include "op_hash.h"

namespace helenus::exec {

namespace {

int CompareDoubles(double a, double b) {
  bool na = std::isnan(a);
  bool nb = std::isnan(b);
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  return a < b ? -1 : (a > b ? 1 : 0);
}

int CompareBytewise(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

bool IsText(TypeKind kind) {
  return kind == TypeKind::kText || kind == TypeKind::kAscii;
}

}  // namespace

int CompareValues(const Column& a, size_t i, const Column& b, size_t j) {
  bool null_a = a.IsNull(i);
  bool null_b = b.IsNull(j);
  if (null_a || null_b) return null_a == null_b ? 0 : (null_a ? -1 : 1);
  Physical pa = a.physical();
  Physical pb = b.physical();
  if (pa != pb) {
    // Mixed numeric forms (e.g. int against double) compare as numbers.
    if (pa != Physical::kString && pb != Physical::kString) {
      double x = pa == Physical::kInt64 ? static_cast<double>(a.ints[i]) : a.doubles[i];
      double y = pb == Physical::kInt64 ? static_cast<double>(b.ints[j]) : b.doubles[j];
      return CompareDoubles(x, y);
    }
    ThrowInvalid("Cannot compare values of types {} and {}", a.type.ToCql(), b.type.ToCql());
  }
  switch (pa) {
    case Physical::kInt64: {
      int64_t x = a.ints[i];
      int64_t y = b.ints[j];
      return x < y ? -1 : (x > y ? 1 : 0);
    }
    case Physical::kDouble:
      return CompareDoubles(a.doubles[i], b.doubles[j]);
    case Physical::kString: {
      const std::string& x = a.strings[i];
      const std::string& y = b.strings[j];
      if (IsText(a.type.kind) || x == y) return CompareBytewise(x, y);
      // Serialized values order by their CQL type; values that type calls equal
      // but whose bytes differ are ordered bytewise so that 0 means equal bytes,
      // as HashValue and the hash operators assume.
      int c = cql::Compare(a.type, x, y);
      if (c != 0) return c < 0 ? -1 : 1;
      return CompareBytewise(x, y);
    }
  }
  return 0;
}

uint64_t HashValue(const Column& c, size_t i, uint64_t seed) {
  return ops::CombineHash(seed, ops::HashAt(c, i));
}

}  // namespace helenus::exec
