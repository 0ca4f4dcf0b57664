#include "term_binder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::query {
namespace {

using cql::ast::Literal;
using cql::ast::Term;

std::string_view LiteralKindName(Literal::Kind k) {
  switch (k) {
    case Literal::Kind::kString:
      return "STRING";
    case Literal::Kind::kInteger:
      return "INTEGER";
    case Literal::Kind::kFloat:
    case Literal::Kind::kNaN:
    case Literal::Kind::kInfinity:
      return "FLOAT";
    case Literal::Kind::kBoolean:
      return "BOOLEAN";
    case Literal::Kind::kUuid:
      return "UUID";
    case Literal::Kind::kHex:
      return "HEX";
    case Literal::Kind::kDuration:
      return "DURATION";
  }
  return "CONSTANT";
}

[[noreturn]] void BadLiteral(const Literal& lit, const DataType& type, std::string_view name) {
  ThrowInvalid("Invalid {} constant ({}) for \"{}\" of type {}", LiteralKindName(lit.kind),
               lit.text, name, type.ToCql());
}

// Integer text to int64 with overflow detection.
bool ParseInt64(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  bool neg = s[0] == '-';
  size_t i = neg || s[0] == '+' ? 1 : 0;
  if (i == s.size()) return false;
  unsigned __int128 v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (v > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max()) + 1) return false;
  }
  if (!neg && v > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) {
    return false;
  }
  *out = neg ? static_cast<int64_t>(-static_cast<__int128>(v)) : static_cast<int64_t>(v);
  return true;
}

bool ParseDouble(std::string_view s, double* out) {
  std::string tmp(s);
  char* end = nullptr;
  errno = 0;
  *out = std::strtod(tmp.c_str(), &end);
  return end == tmp.c_str() + tmp.size() && !tmp.empty();
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Bytes IntegerLiteral(const Literal& lit, const DataType& type, std::string_view name) {
  int64_t v = 0;
  bool fits = ParseInt64(lit.text, &v);
  auto check_range = [&](int64_t lo, int64_t hi) {
    if (!fits || v < lo || v > hi) {
      std::string_view java = type.kind == TypeKind::kTinyint    ? "byte"
                              : type.kind == TypeKind::kSmallint ? "short"
                              : type.kind == TypeKind::kInt      ? "int"
                                                                 : "long";
      ThrowInvalid("Unable to make {} from '{}'", java, lit.text);
    }
  };
  switch (type.kind) {
    case TypeKind::kTinyint:
      check_range(-128, 127);
      return cql::EncodeTinyint(static_cast<int8_t>(v));
    case TypeKind::kSmallint:
      check_range(-32768, 32767);
      return cql::EncodeSmallint(static_cast<int16_t>(v));
    case TypeKind::kInt:
      check_range(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max());
      return cql::EncodeInt(static_cast<int32_t>(v));
    case TypeKind::kBigint:
    case TypeKind::kCounter:
      check_range(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
      return cql::EncodeBigint(v);
    case TypeKind::kTimestamp:
      check_range(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
      return cql::EncodeBigint(v);
    case TypeKind::kVarint:
      return cql::ParseVarint(lit.text);
    case TypeKind::kDecimal:
      return cql::ParseDecimal(lit.text);
    case TypeKind::kFloat:
      return cql::EncodeFloat(static_cast<float>(std::stod(lit.text)));
    case TypeKind::kDouble:
      return cql::EncodeDouble(std::stod(lit.text));
    case TypeKind::kDate:
      return cql::ParseDate(lit.text);
    case TypeKind::kTime:
      check_range(0, 86399999999999LL);
      return cql::EncodeBigint(v);
    default:
      BadLiteral(lit, type, name);
  }
}

Bytes FloatLiteral(const Literal& lit, const DataType& type, std::string_view name) {
  double d = 0;
  if (lit.kind == Literal::Kind::kNaN) {
    d = std::numeric_limits<double>::quiet_NaN();
  } else if (lit.kind == Literal::Kind::kInfinity) {
    d = lit.text.starts_with('-') ? -HUGE_VAL : HUGE_VAL;
  } else if (!ParseDouble(lit.text, &d)) {
    BadLiteral(lit, type, name);
  }
  switch (type.kind) {
    case TypeKind::kFloat:
      return cql::EncodeFloat(static_cast<float>(d));
    case TypeKind::kDouble:
      return cql::EncodeDouble(d);
    case TypeKind::kDecimal:
      if (lit.kind != Literal::Kind::kFloat) BadLiteral(lit, type, name);
      return cql::ParseDecimal(lit.text);
    default:
      BadLiteral(lit, type, name);
  }
}

}  // namespace

Bytes LiteralToBytes(const Literal& lit, const DataType& type, std::string_view name) {
  switch (lit.kind) {
    case Literal::Kind::kInteger:
      return IntegerLiteral(lit, type, name);
    case Literal::Kind::kFloat:
    case Literal::Kind::kNaN:
    case Literal::Kind::kInfinity:
      return FloatLiteral(lit, type, name);
    case Literal::Kind::kBoolean:
      if (type.kind != TypeKind::kBoolean) BadLiteral(lit, type, name);
      return cql::EncodeBoolean(lit.text == "true");
    case Literal::Kind::kUuid:
      if (type.kind == TypeKind::kUuid) return cql::ParseUuid(lit.text);
      if (type.kind == TypeKind::kTimeuuid) {
        Bytes b = cql::ParseUuid(lit.text);
        if ((static_cast<uint8_t>(b[6]) >> 4) != 1) {
          ThrowInvalid("Unsupported UUID for timeuuid: {} is not a version 1 (time-based) UUID",
                       lit.text);
        }
        return b;
      }
      BadLiteral(lit, type, name);
    case Literal::Kind::kHex: {
      if (type.kind != TypeKind::kBlob) BadLiteral(lit, type, name);
      std::string_view hex = std::string_view(lit.text).substr(2);
      if (hex.size() % 2 != 0) {
        ThrowInvalid("Invalid HEX constant ({}) for \"{}\" of type blob: odd number of digits",
                     lit.text, name);
      }
      Bytes out;
      out.reserve(hex.size() / 2);
      auto nib = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
      for (size_t i = 0; i < hex.size(); i += 2) {
        out += static_cast<char>(nib(hex[i]) << 4 | nib(hex[i + 1]));
      }
      return out;
    }
    case Literal::Kind::kDuration:
      if (type.kind != TypeKind::kDuration) BadLiteral(lit, type, name);
      return cql::ParseDuration(lit.text);
    case Literal::Kind::kString:
      switch (type.kind) {
        case TypeKind::kText:
          return lit.text;
        case TypeKind::kAscii:
          if (std::any_of(lit.text.begin(), lit.text.end(),
                          [](char c) { return static_cast<unsigned char>(c) > 127; })) {
            ThrowInvalid("Invalid ASCII character in string literal for \"{}\"", name);
          }
          return lit.text;
        case TypeKind::kTimestamp:
          return cql::ParseTimestamp(lit.text);
        case TypeKind::kDate:
          return cql::ParseDate(lit.text);
        case TypeKind::kTime:
          return cql::ParseTime(lit.text);
        case TypeKind::kInet:
          return cql::ParseInet(lit.text);
        case TypeKind::kDuration:
          return cql::ParseDuration(lit.text);
        default:
          BadLiteral(lit, type, name);
      }
  }
  BadLiteral(lit, type, name);
}

TermBinder::TermBinder(const std::vector<cql::BoundValue>* values,
                       const std::vector<std::string>* names,
                       const std::vector<std::string>* marker_names, size_t marker_count)
    : values_(values), marker_to_value_(marker_count, -1) {
  size_t provided = values ? values->size() : 0;
  if (names && !names->empty() && marker_names) {
    for (size_t m = 0; m < marker_count; ++m) {
      const auto& wanted = (*marker_names)[m];
      for (size_t v = 0; v < names->size(); ++v) {
        if ((*names)[v] == wanted) marker_to_value_[m] = static_cast<int>(v);
      }
      if (marker_to_value_[m] < 0) ThrowInvalid("No value provided for bind marker :{}", wanted);
    }
    return;
  }
  if (provided != marker_count) {
    ThrowInvalid("There were {} markers(?) in CQL but {} bound variables", marker_count, provided);
  }
  for (size_t m = 0; m < marker_count; ++m) marker_to_value_[m] = static_cast<int>(m);
}

const cql::BoundValue* TermBinder::Marker(const cql::ast::BindMarker& m) const {
  if (m.index >= marker_to_value_.size() || marker_to_value_[m.index] < 0 || !values_) {
    ThrowInvalid("No value bound for marker {}", m.index);
  }
  return &(*values_)[marker_to_value_[m.index]];
}

BoundTerm TermBinder::Bind(const Term& term, const DataType& type,
                           std::string_view receiver_name) const {
  using cql::ast::BindMarker;
  using cql::ast::CollectionLiteral;
  if (const auto* m = term.As<BindMarker>()) {
    const auto* v = Marker(*m);
    if (v->state == cql::BoundValue::State::kNull) return {BoundTerm::State::kNull, {}};
    if (v->state == cql::BoundValue::State::kUnset) return {BoundTerm::State::kUnset, {}};
    if (auto err = cql::Validate(type, v->bytes)) {
      ThrowInvalid("Invalid value for \"{}\" of type {}: {}", receiver_name, type.ToCql(), *err);
    }
    return {BoundTerm::State::kValue, v->bytes};
  }
  if (const auto* lit = term.As<Literal>()) {
    return {BoundTerm::State::kValue, LiteralToBytes(*lit, type, receiver_name)};
  }
  if (term.Is<cql::ast::Null>()) return {BoundTerm::State::kNull, {}};
  if (const auto* cast = term.As<cql::ast::TypeCast>()) {
    return Bind(*cast->term, type, receiver_name);
  }
  if (const auto* f = term.As<cql::ast::FunctionCall>())
    return BindFunction(*f, type, receiver_name);
  if (const auto* tuple = term.As<cql::ast::TupleLiteral>()) {
    if (type.kind != TypeKind::kTuple) {
      ThrowInvalid("Invalid tuple literal for {} of type {}", receiver_name, type.ToCql());
    }
    if (tuple->elements.size() > type.params.size()) {
      DataType shown = type;
      shown.frozen = false;
      ThrowInvalid("Invalid tuple literal for {}: too many elements. Type {} expects {} but got {}",
                   receiver_name, shown.ToCql(), type.params.size(), tuple->elements.size());
    }
    std::vector<Value> elems;
    for (size_t i = 0; i < tuple->elements.size(); ++i) {
      BoundTerm b;
      try {
        b = Bind(tuple->elements[i], type.params[i], receiver_name);
      } catch (const CqlError&) {
        if (!tuple->elements[i].Is<Literal>()) throw;
        ThrowInvalid("Invalid tuple literal for {}: component {} is not of type {}", receiver_name,
                     i, type.params[i].ToCql());
      }
      if (b.state == BoundTerm::State::kUnset) ThrowInvalid("Invalid unset value in tuple");
      elems.push_back(b.AsValue());
    }
    return {BoundTerm::State::kValue, cql::EncodeTuple(elems)};
  }
  if (const auto* coll = term.As<CollectionLiteral>()) {
    std::string_view kind_name = type.kind == TypeKind::kList  ? "list"
                                 : type.kind == TypeKind::kSet ? "set"
                                                               : "map";
    auto element = [&](const Term& t, const DataType& et) {
      BoundTerm b;
      try {
        b = Bind(t, et, receiver_name);
      } catch (const CqlError& e) {
        if (!t.Is<cql::ast::Literal>() && !t.Is<cql::ast::CollectionLiteral>()) throw;
        ThrowInvalid("Invalid {} literal for {}: value {} is not of type {}", kind_name,
                     receiver_name, cql::ast::ToCql(t), et.ToCql());
      }
      if (!b.is_value()) {
        ThrowInvalid("null is not supported inside collections");
      }
      return std::move(b.bytes);
    };
    bool braces = coll->kind == CollectionLiteral::Kind::kEmptyBraces;
    if (type.kind == TypeKind::kList && coll->kind == CollectionLiteral::Kind::kList) {
      std::vector<Bytes> elems;
      for (const auto& t : coll->elements) elems.push_back(element(t, type.params[0]));
      return {BoundTerm::State::kValue, cql::EncodeCollection(elems)};
    }
    if (type.kind == TypeKind::kSet && (coll->kind == CollectionLiteral::Kind::kSet || braces)) {
      std::vector<Bytes> elems;
      for (const auto& t : coll->elements) elems.push_back(element(t, type.params[0]));
      const auto& et = type.params[0];
      std::sort(elems.begin(), elems.end(),
                [&](const Bytes& a, const Bytes& b) { return cql::Compare(et, a, b) < 0; });
      elems.erase(
          std::unique(elems.begin(), elems.end(),
                      [&](const Bytes& a, const Bytes& b) { return cql::Compare(et, a, b) == 0; }),
          elems.end());
      return {BoundTerm::State::kValue, cql::EncodeCollection(elems)};
    }
    if (type.kind == TypeKind::kMap && (coll->kind == CollectionLiteral::Kind::kMap || braces)) {
      std::vector<std::pair<Bytes, Bytes>> entries;
      for (const auto& [k, v] : coll->entries) {
        entries.emplace_back(element(k, type.params[0]), element(v, type.params[1]));
      }
      const auto& kt = type.params[0];
      // Later entries win for duplicate keys, as in a map literal.
      std::stable_sort(entries.begin(), entries.end(), [&](const auto& a, const auto& b) {
        return cql::Compare(kt, a.first, b.first) < 0;
      });
      std::vector<std::pair<Bytes, Bytes>> unique;
      for (auto& e : entries) {
        if (!unique.empty() && cql::Compare(kt, unique.back().first, e.first) == 0) {
          unique.back() = std::move(e);
        } else {
          unique.push_back(std::move(e));
        }
      }
      return {BoundTerm::State::kValue, cql::EncodeMap(unique)};
    }
    ThrowInvalid("Invalid {} literal for {} of type {}",
                 coll->kind == CollectionLiteral::Kind::kList  ? "list"
                 : coll->kind == CollectionLiteral::Kind::kMap ? "map"
                                                               : "set",
                 receiver_name, type.ToCql());
  }
  ThrowInvalid("Invalid value for {}: user-defined type literals are not supported", receiver_name);
}

BoundTerm TermBinder::BindFunction(const cql::ast::FunctionCall& f, const DataType& type,
                                   std::string_view receiver_name) const {
  auto require_kind = [&](std::initializer_list<TypeKind> kinds, std::string_view result_type) {
    for (auto k : kinds) {
      if (type.kind == k) return;
    }
    ThrowInvalid("Type error: cannot assign result of function system.{} (type {}) to {} (type {})",
                 f.name, result_type, receiver_name, type.ToCql());
  };
  auto one_timestamp_arg = [&]() -> int64_t {
    if (f.args.size() != 1)
      ThrowInvalid("Invalid number of arguments in call to function {}", f.name);
    const auto& arg = f.args[0];
    if (const auto* lit = arg.As<Literal>(); lit && lit->kind == Literal::Kind::kString) {
      return cql::DecodeBigint(cql::ParseTimestamp(lit->text));
    }
    if (const auto* inner = arg.As<cql::ast::FunctionCall>()) {
      auto b = BindFunction(*inner, DataType::Of(TypeKind::kTimestamp), receiver_name);
      return cql::DecodeBigint(b.bytes);
    }
    auto b = Bind(arg, DataType::Of(TypeKind::kTimestamp), receiver_name);
    if (!b.is_value()) ThrowInvalid("Invalid null argument to {}", f.name);
    return cql::DecodeBigint(b.bytes);
  };
  const std::string& n = f.name;
  if (n == "now" || n == "currenttimeuuid") {
    require_kind({TypeKind::kTimeuuid, TypeKind::kUuid}, "timeuuid");
    return {BoundTerm::State::kValue, cql::NewTimeUuid()};
  }
  if (n == "uuid") {
    require_kind({TypeKind::kUuid}, "uuid");
    return {BoundTerm::State::kValue, cql::NewRandomUuid()};
  }
  if (n == "currenttimestamp") {
    require_kind({TypeKind::kTimestamp}, "timestamp");
    return {BoundTerm::State::kValue, cql::EncodeBigint(NowMillis())};
  }
  if (n == "currentdate") {
    require_kind({TypeKind::kDate}, "date");
    int64_t days = NowMillis() / 86400000;
    return {BoundTerm::State::kValue,
            cql::EncodeInt(static_cast<int32_t>(static_cast<uint32_t>(days + (1LL << 31))))};
  }
  if (n == "totimestamp" || n == "dateof") {
    require_kind({TypeKind::kTimestamp}, "timestamp");
    if (f.args.size() == 1) {
      if (const auto* inner = f.args[0].As<cql::ast::FunctionCall>();
          inner && (inner->name == "now" || inner->name == "currenttimeuuid")) {
        return {BoundTerm::State::kValue, cql::EncodeBigint(NowMillis())};
      }
      auto b = Bind(f.args[0], DataType::Of(TypeKind::kTimeuuid), receiver_name);
      if (!b.is_value()) return {BoundTerm::State::kNull, {}};
      return {BoundTerm::State::kValue, cql::EncodeBigint(cql::TimeUuidMicros(b.bytes) / 1000)};
    }
  }
  if (n == "tounixtimestamp" || n == "unixtimestampof") {
    require_kind({TypeKind::kBigint}, "bigint");
    return {BoundTerm::State::kValue, cql::EncodeBigint(one_timestamp_arg())};
  }
  if (n == "mintimeuuid" || n == "maxtimeuuid") {
    require_kind({TypeKind::kTimeuuid}, "timeuuid");
    int64_t millis = one_timestamp_arg();
    return {BoundTerm::State::kValue, cql::BoundTimeUuid(millis, n == "maxtimeuuid")};
  }
  ThrowInvalid("Unknown function {} called", f.name);
}

Bytes TermBinder::BindRequired(const Term& term, const DataType& type,
                               std::string_view receiver_name) const {
  auto b = Bind(term, type, receiver_name);
  if (b.state == BoundTerm::State::kUnset) {
    ThrowInvalid("Invalid unset value for column {}", receiver_name);
  }
  if (b.state == BoundTerm::State::kNull) {
    ThrowInvalid("Invalid null value for column {}", receiver_name);
  }
  return std::move(b.bytes);
}

std::vector<Bytes> TermBinder::BindInList(const std::vector<Term>& terms, const DataType& type,
                                          std::string_view receiver_name) const {
  std::vector<Bytes> out;
  if (terms.size() == 1 && terms[0].Is<cql::ast::BindMarker>()) {
    // `IN ?`: the marker carries a whole list.
    auto list_type = DataType::List(type, true);
    auto b = Bind(terms[0], list_type, receiver_name);
    if (!b.is_value()) ThrowInvalid("Invalid null value for IN restriction on {}", receiver_name);
    for (auto& e : cql::DecodeCollection(b.bytes)) out.push_back(std::move(e));
    return out;
  }
  for (const auto& t : terms) {
    auto b = Bind(t, type, receiver_name);
    if (!b.is_value()) ThrowInvalid("Invalid null value in condition for column {}", receiver_name);
    out.push_back(std::move(b.bytes));
  }
  return out;
}

}  // namespace helenus::query
