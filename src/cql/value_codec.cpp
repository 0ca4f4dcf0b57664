#include "helenus/cql/value_codec.h"

#include <bit>
#include <cmath>
#include <cstring>

#include "helenus/common/error.h"
#include "varint.h"

namespace helenus::cql {
namespace {

template <typename T>
Bytes EncodeBE(T v) {
  using U = std::make_unsigned_t<T>;
  auto u = static_cast<U>(v);
  Bytes b(sizeof(T), '\0');
  for (size_t i = 0; i < sizeof(T); ++i) {
    b[i] = static_cast<char>(u >> (8 * (sizeof(T) - 1 - i)));
  }
  return b;
}

template <typename T>
T DecodeBE(std::string_view b, std::string_view type) {
  if (b.size() != sizeof(T)) {
    ThrowInvalid("Expected {} byte {} value, got {} bytes", sizeof(T), type, b.size());
  }
  using U = std::make_unsigned_t<T>;
  U u = 0;
  for (size_t i = 0; i < sizeof(T); ++i) u = static_cast<U>(u << 8 | static_cast<uint8_t>(b[i]));
  return static_cast<T>(u);
}

int32_t ReadLen(std::string_view* b) {
  if (b->size() < 4) ThrowInvalid("Not enough bytes to read a collection length");
  int32_t n = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint8_t>((*b)[0])) << 24 |
                                   static_cast<uint32_t>(static_cast<uint8_t>((*b)[1])) << 16 |
                                   static_cast<uint32_t>(static_cast<uint8_t>((*b)[2])) << 8 |
                                   static_cast<uint8_t>((*b)[3]));
  b->remove_prefix(4);
  return n;
}

std::string_view ReadElem(std::string_view* b) {
  int32_t n = ReadLen(b);
  if (n < 0 || static_cast<size_t>(n) > b->size()) {
    ThrowInvalid("Not enough bytes to read a collection element");
  }
  auto v = b->substr(0, n);
  b->remove_prefix(n);
  return v;
}

void AppendElem(Bytes* out, std::string_view v) {
  out->append(EncodeBE<int32_t>(static_cast<int32_t>(v.size())));
  out->append(v);
}

// Strict UTF-8, as Java's decoder: no overlong forms, surrogates or code
// points above U+10FFFF.
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n = (c >= 0xC2 && c <= 0xDF)   ? 2
               : (c >= 0xE0 && c <= 0xEF) ? 3
               : (c >= 0xF0 && c <= 0xF4) ? 4
                                          : 0;
    if (n == 0 || i + n > s.size()) return false;
    auto c1 = static_cast<uint8_t>(s[i + 1]);
    uint8_t lo = 0x80, hi = 0xBF;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
    if (c1 < lo || c1 > hi) return false;
    for (size_t k = 2; k < n; ++k) {
      if ((static_cast<uint8_t>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

int CompareBytes(std::string_view a, std::string_view b) {
  int c = std::memcmp(a.data(), b.data(), std::min(a.size(), b.size()));
  if (c != 0) return c < 0 ? -1 : 1;
  return a.size() < b.size() ? -1 : a.size() > b.size() ? 1 : 0;
}

template <typename T>
int Cmp(T a, T b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Java's Double.compare: -0.0 < 0.0 and NaN above everything.
int CompareFloating(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) ? (std::isnan(b) ? 0 : 1) : -1;
  if (a == b) return Cmp(std::signbit(b), std::signbit(a));
  return Cmp(a, b);
}

uint64_t UuidTimestamp(std::string_view u) {
  auto byte = [&](int i) { return static_cast<uint64_t>(static_cast<uint8_t>(u[i])); };
  uint64_t time_low = byte(0) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  uint64_t time_mid = byte(4) << 8 | byte(5);
  uint64_t time_hi = (byte(6) & 0x0F) << 8 | byte(7);
  return time_hi << 48 | time_mid << 32 | time_low;
}

int CompareSignedBytes(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    int c = Cmp(static_cast<int8_t>(a[i]), static_cast<int8_t>(b[i]));
    if (c) return c;
  }
  return Cmp(a.size(), b.size());
}

int CompareUuid(std::string_view a, std::string_view b, bool time_only) {
  if (a.size() != 16 || b.size() != 16) return CompareBytes(a, b);
  int va = static_cast<uint8_t>(a[6]) >> 4, vb = static_cast<uint8_t>(b[6]) >> 4;
  if (!time_only && va != vb) return Cmp(va, vb);
  if (time_only || va == 1) {
    if (int c = Cmp(UuidTimestamp(a), UuidTimestamp(b))) return c;
  } else if (int c = CompareBytes(a.substr(0, 8), b.substr(0, 8))) {
    return c;
  }
  // TimeUUIDType breaks ties with signed bytes, UUIDType with unsigned ones.
  return time_only ? CompareSignedBytes(a.substr(8), b.substr(8))
                   : CompareBytes(a.substr(8), b.substr(8));
}

}  // namespace

Bytes EncodeTinyint(int8_t v) {
  return EncodeBE(v);
}
Bytes EncodeSmallint(int16_t v) {
  return EncodeBE(v);
}
Bytes EncodeInt(int32_t v) {
  return EncodeBE(v);
}
Bytes EncodeBigint(int64_t v) {
  return EncodeBE(v);
}
Bytes EncodeFloat(float v) {
  return EncodeBE(std::bit_cast<int32_t>(v));
}
Bytes EncodeDouble(double v) {
  return EncodeBE(std::bit_cast<int64_t>(v));
}
Bytes EncodeBoolean(bool v) {
  return Bytes(1, v ? '\1' : '\0');
}

int8_t DecodeTinyint(std::string_view b) {
  return DecodeBE<int8_t>(b, "tinyint");
}
int16_t DecodeSmallint(std::string_view b) {
  return DecodeBE<int16_t>(b, "smallint");
}
int32_t DecodeInt(std::string_view b) {
  return DecodeBE<int32_t>(b, "int");
}
int64_t DecodeBigint(std::string_view b) {
  return DecodeBE<int64_t>(b, "bigint");
}
float DecodeFloat(std::string_view b) {
  return std::bit_cast<float>(DecodeBE<int32_t>(b, "float"));
}
double DecodeDouble(std::string_view b) {
  return std::bit_cast<double>(DecodeBE<int64_t>(b, "double"));
}
bool DecodeBoolean(std::string_view b) {
  if (b.size() != 1) ThrowInvalid("Expected 1 byte for a boolean value, got {}", b.size());
  return b[0] != 0;
}

Bytes EncodeCollection(const std::vector<Bytes>& elements) {
  Bytes out = EncodeBE<int32_t>(static_cast<int32_t>(elements.size()));
  for (const auto& e : elements) AppendElem(&out, e);
  return out;
}

Bytes EncodeMap(const std::vector<std::pair<Bytes, Bytes>>& entries) {
  Bytes out = EncodeBE<int32_t>(static_cast<int32_t>(entries.size()));
  for (const auto& [k, v] : entries) {
    AppendElem(&out, k);
    AppendElem(&out, v);
  }
  return out;
}

std::vector<Bytes> DecodeCollection(std::string_view b) {
  int32_t n = ReadLen(&b);
  if (n < 0) ThrowInvalid("Negative collection size {}", n);
  std::vector<Bytes> out;
  out.reserve(std::min<size_t>(n, b.size() / 4));
  for (int32_t i = 0; i < n; ++i) out.emplace_back(ReadElem(&b));
  if (!b.empty()) ThrowInvalid("Unexpected extraneous bytes after collection value");
  return out;
}

std::vector<std::pair<Bytes, Bytes>> DecodeMap(std::string_view b) {
  int32_t n = ReadLen(&b);
  if (n < 0) ThrowInvalid("Negative map size {}", n);
  std::vector<std::pair<Bytes, Bytes>> out;
  out.reserve(std::min<size_t>(n, b.size() / 8));
  for (int32_t i = 0; i < n; ++i) {
    Bytes k(ReadElem(&b));
    out.emplace_back(std::move(k), Bytes(ReadElem(&b)));
  }
  if (!b.empty()) ThrowInvalid("Unexpected extraneous bytes after map value");
  return out;
}

Bytes EncodeTuple(const std::vector<Value>& elements) {
  Bytes out;
  for (const auto& e : elements) {
    if (e) {
      AppendElem(&out, *e);
    } else {
      out.append(EncodeBE<int32_t>(-1));
    }
  }
  return out;
}

std::vector<Value> DecodeTuple(std::string_view b, size_t n) {
  std::vector<Value> out;
  for (size_t i = 0; i < n; ++i) {
    if (b.empty()) {
      out.emplace_back(std::nullopt);
      continue;
    }
    int32_t len = ReadLen(&b);
    if (len < 0) {
      out.emplace_back(std::nullopt);
      continue;
    }
    if (static_cast<size_t>(len) > b.size()) ThrowInvalid("Not enough bytes to read a tuple field");
    out.emplace_back(Bytes(b.substr(0, len)));
    b.remove_prefix(len);
  }
  if (!b.empty()) ThrowInvalid("Invalid tuple value: too many fields");
  return out;
}

std::optional<std::string> Validate(const DataType& type, std::string_view b) {
  auto fixed = [&](size_t n, std::string_view name) -> std::optional<std::string> {
    if (b.size() == n || b.empty()) return std::nullopt;
    return fmt::format("Expected {} or 0 byte {} ({})", n, name, b.size());
  };
  switch (type.kind) {
    case TypeKind::kInt:
      return fixed(4, "int");
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return fixed(8, "long");
    case TypeKind::kTimestamp:
      return fixed(8, "long");
    case TypeKind::kTime:
      if (b.size() != 8) return fmt::format("Expected 8 byte long for time ({})", b.size());
      if (int64_t v = DecodeBigint(b); v < 0 || v >= 86400000000000LL) {
        return std::string("Time value out of range");
      }
      return std::nullopt;
    case TypeKind::kSmallint:
      if (b.size() != 2) return fmt::format("Expected 2 bytes for a smallint ({})", b.size());
      return std::nullopt;
    case TypeKind::kTinyint:
      if (b.size() != 1) return fmt::format("Expected 1 byte for a tinyint ({})", b.size());
      return std::nullopt;
    case TypeKind::kFloat:
      return fixed(4, "float");
    case TypeKind::kDouble:
      return fixed(8, "double");
    case TypeKind::kBoolean:
      if (b.size() > 1) return fmt::format("Expected 1 or 0 byte value ({})", b.size());
      return std::nullopt;
    case TypeKind::kDate:
      if (b.size() != 4) return fmt::format("Expected 4 byte long for date ({})", b.size());
      return std::nullopt;
    case TypeKind::kUuid:
      return fixed(16, "UUID");
    case TypeKind::kTimeuuid:
      if (b.empty()) return std::nullopt;
      if (b.size() != 16) return fmt::format("TimeUUID should be 16 or 0 bytes ({})", b.size());
      if ((static_cast<uint8_t>(b[6]) & 0xF0) != 0x10) {
        return std::string("Invalid version for TimeUUID type.");
      }
      return std::nullopt;
    case TypeKind::kInet:
      if (b.empty() || b.size() == 4 || b.size() == 16) return std::nullopt;
      return fmt::format("Invalid inet address of {} bytes", b.size());
    case TypeKind::kDecimal:
      if (!b.empty() && b.size() < 4) return std::string("Invalid decimal value");
      return std::nullopt;
    case TypeKind::kText:
      if (!ValidUtf8(b)) return std::string("String didn't validate.");
      return std::nullopt;
    case TypeKind::kAscii:
      for (char c : b) {
        if (static_cast<uint8_t>(c) > 127) {
          return fmt::format("Invalid byte for ascii: {}",
                             static_cast<int>(static_cast<uint8_t>(c)));
        }
      }
      return std::nullopt;
    case TypeKind::kDuration: {
      std::string_view in = b;
      int64_t v[3] = {};
      for (auto& x : v) {
        if (!GetSignedVint(&in, &x)) return std::string("Invalid duration value");
      }
      if (!in.empty()) return std::string("Invalid duration value");
      bool any_neg = v[0] < 0 || v[1] < 0 || v[2] < 0;
      bool any_pos = v[0] > 0 || v[1] > 0 || v[2] > 0;
      if (any_neg && any_pos) {
        return std::string(
            "The duration months, days and nanoseconds must be all of the same sign");
      }
      return std::nullopt;
    }
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
      try {
        if (type.kind == TypeKind::kMap) {
          for (const auto& [k, v] : DecodeMap(b)) {
            if (auto e = Validate(type.params[0], k)) return e;
            if (auto e = Validate(type.params[1], v)) return e;
          }
        } else {
          for (const auto& e : DecodeCollection(b)) {
            if (auto err = Validate(type.params[0], e)) return err;
          }
        }
      } catch (const CqlError& e) {
        return std::string(e.what());
      }
      return std::nullopt;
    case TypeKind::kTuple:
      try {
        auto elems = DecodeTuple(b, type.params.size());
        for (size_t i = 0; i < elems.size(); ++i) {
          if (elems[i]) {
            if (auto e = Validate(type.params[i], *elems[i])) return e;
          }
        }
      } catch (const CqlError& e) {
        return std::string(e.what());
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

int Compare(const DataType& type, std::string_view a, std::string_view b) {
  // Empty values sort before everything, as in Cassandra.
  if (a.empty() || b.empty()) return Cmp(!a.empty(), !b.empty());
  switch (type.kind) {
    case TypeKind::kTinyint:
      return Cmp(DecodeTinyint(a), DecodeTinyint(b));
    case TypeKind::kSmallint:
      return Cmp(DecodeSmallint(a), DecodeSmallint(b));
    case TypeKind::kInt:
      return Cmp(DecodeInt(a), DecodeInt(b));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return Cmp(DecodeBigint(a), DecodeBigint(b));
    case TypeKind::kDate:
      return Cmp(static_cast<uint32_t>(DecodeInt(a)), static_cast<uint32_t>(DecodeInt(b)));
    case TypeKind::kFloat:
      return CompareFloating(DecodeFloat(a), DecodeFloat(b));
    case TypeKind::kDouble:
      return CompareFloating(DecodeDouble(a), DecodeDouble(b));
    case TypeKind::kVarint:
      return CompareVarint(a, b);
    case TypeKind::kDecimal:
      return CompareDecimal(a, b);
    case TypeKind::kUuid:
      return CompareUuid(a, b, false);
    case TypeKind::kTimeuuid:
      return CompareUuid(a, b, true);
    case TypeKind::kList:
    case TypeKind::kSet: {
      auto x = DecodeCollection(a), y = DecodeCollection(b);
      for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        if (int c = Compare(type.params[0], x[i], y[i])) return c;
      }
      return Cmp(x.size(), y.size());
    }
    case TypeKind::kMap: {
      auto x = DecodeMap(a), y = DecodeMap(b);
      for (size_t i = 0; i < std::min(x.size(), y.size()); ++i) {
        if (int c = Compare(type.params[0], x[i].first, y[i].first)) return c;
        if (int c = Compare(type.params[1], x[i].second, y[i].second)) return c;
      }
      return Cmp(x.size(), y.size());
    }
    case TypeKind::kTuple: {
      auto x = DecodeTuple(a, type.params.size()), y = DecodeTuple(b, type.params.size());
      for (size_t i = 0; i < type.params.size(); ++i) {
        if (!x[i] || !y[i]) {
          if (x[i] || y[i]) return x[i] ? 1 : -1;
          continue;
        }
        if (int c = Compare(type.params[i], *x[i], *y[i])) return c;
      }
      return 0;
    }
    default:
      return CompareBytes(a, b);
  }
}

}  // namespace helenus::cql
