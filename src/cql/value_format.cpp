// CQL literal text of serialized values.
#include <arpa/inet.h>

#include <cmath>

#include "civil_time.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/cql/value_codec.h"
#include "varint.h"

namespace helenus::cql {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string UuidText(std::string_view b) {
  std::string h = HexEncode(b);
  if (h.size() != 32) return "0x" + h;
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20);
}

std::string TimestampText(int64_t millis) {
  // Floor division without negating millis, which overflows near INT64_MIN.
  int64_t ms = millis % 86400000;
  int64_t days = millis / 86400000 - (ms < 0 ? 1 : 0);
  if (ms < 0) ms += 86400000;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, ms / 3600000,
                     ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
}

std::string DurationText(std::string_view b) {
  int64_t months = 0, days = 0, nanos = 0;
  std::string_view in = b;
  if (!GetSignedVint(&in, &months) || !GetSignedVint(&in, &days) || !GetSignedVint(&in, &nanos)) {
    return "0x" + HexEncode(b);
  }
  if (months == INT64_MIN || days == INT64_MIN || nanos == INT64_MIN) return "0x" + HexEncode(b);
  std::string out;
  if (months < 0 || days < 0 || nanos < 0) {
    out = "-";
    months = -months;
    days = -days;
    nanos = -nanos;
  }
  auto part = [&](int64_t v, const char* unit) {
    if (v) out += fmt::format("{}{}", v, unit);
  };
  part(months / 12, "y");
  part(months % 12, "mo");
  part(days, "d");
  part(nanos / 3600000000000LL, "h");
  part(nanos / 60000000000LL % 60, "m");
  part(nanos / 1000000000LL % 60, "s");
  part(nanos / 1000000 % 1000, "ms");
  part(nanos / 1000 % 1000, "us");
  part(nanos % 1000, "ns");
  if (out.empty() || out == "-") out = "0s";
  return out;
}

// Java's spelling of non-finite values, which is also CQL's literal syntax.
template <typename F>
std::string FloatingText(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  return fmt::format("{}", v);
}

std::string DecimalText(std::string_view b) {
  int32_t scale = DecodeInt(b.substr(0, 4));
  std::string digits = VarintToDecimal(b.substr(4));
  bool neg = digits[0] == '-';
  if (neg) digits.erase(0, 1);
  if (scale < 0)
    return (neg ? "-" : "") + digits + "E+" + std::to_string(-static_cast<int64_t>(scale));
  // Java's BigDecimal.toString: scientific notation below 1E-6, so a huge
  // scale never turns into a string of that many zeros.
  int64_t adjusted = static_cast<int64_t>(digits.size()) - 1 - scale;
  if (adjusted < -6) {
    std::string mantissa = digits.substr(0, 1);
    if (digits.size() > 1) mantissa += "." + digits.substr(1);
    return (neg ? "-" : "") + mantissa + "E" + std::to_string(adjusted);
  }
  if (scale > 0) {
    if (digits.size() <= static_cast<size_t>(scale)) {
      digits.insert(0, static_cast<size_t>(scale) - digits.size() + 1, '0');
    }
    digits.insert(digits.size() - static_cast<size_t>(scale), ".");
  }
  return (neg ? "-" : "") + digits;
}

}  // namespace

std::string ToLiteral(const DataType& type, std::string_view b) {
  if (b.empty() && type.kind != TypeKind::kText && type.kind != TypeKind::kAscii &&
      type.kind != TypeKind::kBlob) {
    return "null";
  }
  switch (type.kind) {
    case TypeKind::kAscii:
    case TypeKind::kText:
      return Quote(b);
    case TypeKind::kBlob:
      return "0x" + HexEncode(b);
    case TypeKind::kBoolean:
      return DecodeBoolean(b) ? "true" : "false";
    case TypeKind::kTinyint:
      return std::to_string(DecodeTinyint(b));
    case TypeKind::kSmallint:
      return std::to_string(DecodeSmallint(b));
    case TypeKind::kInt:
      return std::to_string(DecodeInt(b));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return std::to_string(DecodeBigint(b));
    case TypeKind::kFloat:
      return FloatingText(DecodeFloat(b));
    case TypeKind::kDouble:
      return FloatingText(DecodeDouble(b));
    case TypeKind::kVarint:
      return VarintToDecimal(b);
    case TypeKind::kDecimal:
      return DecimalText(b);
    case TypeKind::kTimestamp:
      return TimestampText(DecodeBigint(b));
    case TypeKind::kDate: {
      int64_t days = static_cast<int64_t>(static_cast<uint32_t>(DecodeInt(b))) - (1LL << 31);
      int64_t y;
      unsigned m, d;
      CivilFromDays(days, &y, &m, &d);
      return fmt::format("{:04}-{:02}-{:02}", y, m, d);
    }
    case TypeKind::kTime: {
      int64_t n = DecodeBigint(b);
      return fmt::format("{:02}:{:02}:{:02}.{:09}", n / 3600000000000LL, n / 60000000000LL % 60,
                         n / 1000000000LL % 60, n % 1000000000LL);
    }
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return UuidText(b);
    case TypeKind::kInet: {
      if (b.size() != 4 && b.size() != 16) return "0x" + HexEncode(b);
      char buf[INET6_ADDRSTRLEN] = {};
      inet_ntop(b.size() == 4 ? AF_INET : AF_INET6, b.data(), buf, sizeof(buf));
      return buf;
    }
    case TypeKind::kDuration:
      return DurationText(b);
    case TypeKind::kList:
    case TypeKind::kSet: {
      std::string out = type.kind == TypeKind::kList ? "[" : "{";
      bool first = true;
      for (const auto& e : DecodeCollection(b)) {
        out += (first ? "" : ", ") + ToLiteral(type.params[0], e);
        first = false;
      }
      return out + (type.kind == TypeKind::kList ? "]" : "}");
    }
    case TypeKind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : DecodeMap(b)) {
        out += (first ? "" : ", ") + ToLiteral(type.params[0], k) + ": " +
               ToLiteral(type.params[1], v);
        first = false;
      }
      return out + "}";
    }
    case TypeKind::kTuple: {
      std::string out = "(";
      auto elems = DecodeTuple(b, type.params.size());
      for (size_t i = 0; i < elems.size(); ++i) {
        out += (i ? ", " : "") + (elems[i] ? ToLiteral(type.params[i], *elems[i]) : "null");
      }
      return out + ")";
    }
    default:
      return "0x" + HexEncode(b);
  }
}

}  // namespace helenus::cql
