#include "helenus/client/values.h"

#include <charconv>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::client {
namespace {

BoundValue Set(std::string bytes) {
  return BoundValue{BoundValue::State::kSet, std::move(bytes)};
}

template <typename T>
T ParseNumber(std::string_view text, std::string_view type) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) {
    ThrowInvalid("Unable to make {} from '{}'", type, text);
  }
  return v;
}

}  // namespace

BoundValue Null() {
  return BoundValue{BoundValue::State::kNull, {}};
}
BoundValue Unset() {
  return BoundValue{BoundValue::State::kUnset, {}};
}
BoundValue Raw(std::string bytes) {
  return Set(std::move(bytes));
}
BoundValue Tinyint(int8_t v) {
  return Set(cql::EncodeTinyint(v));
}
BoundValue Smallint(int16_t v) {
  return Set(cql::EncodeSmallint(v));
}
BoundValue Int(int32_t v) {
  return Set(cql::EncodeInt(v));
}
BoundValue Bigint(int64_t v) {
  return Set(cql::EncodeBigint(v));
}
BoundValue Timestamp(int64_t millis) {
  return Set(cql::EncodeBigint(millis));
}
BoundValue Float(float v) {
  return Set(cql::EncodeFloat(v));
}
BoundValue Double(double v) {
  return Set(cql::EncodeDouble(v));
}
BoundValue Boolean(bool v) {
  return Set(cql::EncodeBoolean(v));
}
BoundValue Text(std::string_view v) {
  return Set(std::string(v));
}
BoundValue Blob(std::string_view v) {
  return Set(std::string(v));
}
BoundValue Uuid(std::string_view text) {
  return Set(cql::ParseUuid(text));
}
BoundValue Collection(const std::vector<std::string>& elements) {
  return Set(cql::EncodeCollection(elements));
}

BoundValue FromText(const DataType& type, std::string_view text) {
  switch (type.kind) {
    case TypeKind::kText:
    case TypeKind::kAscii:
      return Text(text);
    case TypeKind::kTinyint:
      return Tinyint(ParseNumber<int8_t>(text, "tinyint"));
    case TypeKind::kSmallint:
      return Smallint(ParseNumber<int16_t>(text, "smallint"));
    case TypeKind::kInt:
      return Int(ParseNumber<int32_t>(text, "int"));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      return Bigint(ParseNumber<int64_t>(text, "bigint"));
    case TypeKind::kFloat:
      return Float(ParseNumber<float>(text, "float"));
    case TypeKind::kDouble:
      return Double(ParseNumber<double>(text, "double"));
    case TypeKind::kBoolean: {
      std::string lower(text);
      for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == "true") return Boolean(true);
      if (lower == "false") return Boolean(false);
      ThrowInvalid("Unable to make boolean from '{}'", text);
    }
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return Uuid(text);
    case TypeKind::kTimestamp:
      return Set(cql::ParseTimestamp(text));
    case TypeKind::kDate:
      return Set(cql::ParseDate(text));
    case TypeKind::kTime:
      return Set(cql::ParseTime(text));
    case TypeKind::kDuration:
      return Set(cql::ParseDuration(text));
    case TypeKind::kInet:
      return Set(cql::ParseInet(text));
    case TypeKind::kVarint:
      return Set(cql::ParseVarint(text));
    case TypeKind::kDecimal:
      return Set(cql::ParseDecimal(text));
    case TypeKind::kBlob: {
      // Blobs are written 0x...; anything else is taken as raw bytes.
      if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        std::string out;
        auto hex = [&](char c) -> int {
          if (c >= '0' && c <= '9') return c - '0';
          if (c >= 'a' && c <= 'f') return c - 'a' + 10;
          if (c >= 'A' && c <= 'F') return c - 'A' + 10;
          ThrowInvalid("Invalid hex blob '{}'", text);
        };
        if (text.size() % 2 != 0) ThrowInvalid("Invalid hex blob '{}'", text);
        for (size_t i = 2; i < text.size(); i += 2) {
          out.push_back(static_cast<char>(hex(text[i]) * 16 + hex(text[i + 1])));
        }
        return Set(std::move(out));
      }
      return Blob(text);
    }
    default:
      ThrowInvalid("Cannot convert text to {} (collections, tuples and UDTs are not supported)",
                   type.ToCql());
  }
}

}  // namespace helenus::client
