// CAST between the native scalar types, with Spark's non-ANSI behaviour:
// text that does not parse becomes NULL, numbers narrow by truncation and
// wrap-around, and the Cassandra-only types go through their CQL literals.
#include <cmath>
#include <cstdlib>
#include <limits>

#include <fmt/format.h>

#include "cql/civil_time.h"
#include "exec/expr_internal.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/cql/value_codec.h"

namespace helenus::exec::eval {
namespace {

// How a type takes part in conversions.
enum class Cat {
  kIntegral,
  kBoolean,
  kFloating,
  kDecimal,
  kVarint,
  kText,
  kTimestamp,
  kDate,
  kTime,
  kUuid,
  kTimeuuid,
  kBlob,
  kParsed,  // inet, duration: from text through their CQL literal
  kOther,   // collections, tuples, UDTs, custom types
};

Cat CategoryOf(const DataType& t) {
  if (IsIntegral(t)) return Cat::kIntegral;
  if (IsFloating(t)) return Cat::kFloating;
  if (IsText(t)) return Cat::kText;
  switch (t.kind) {
    case TypeKind::kBoolean:
      return Cat::kBoolean;
    case TypeKind::kDecimal:
      return Cat::kDecimal;
    case TypeKind::kVarint:
      return Cat::kVarint;
    case TypeKind::kTimestamp:
      return Cat::kTimestamp;
    case TypeKind::kDate:
      return Cat::kDate;
    case TypeKind::kTime:
      return Cat::kTime;
    case TypeKind::kUuid:
      return Cat::kUuid;
    case TypeKind::kTimeuuid:
      return Cat::kTimeuuid;
    case TypeKind::kBlob:
      return Cat::kBlob;
    case TypeKind::kInet:
    case TypeKind::kDuration:
      return Cat::kParsed;
    default:
      return Cat::kOther;
  }
}

bool IsNumberCat(Cat c) {
  return c == Cat::kIntegral || c == Cat::kBoolean || c == Cat::kFloating || c == Cat::kDecimal ||
         c == Cat::kVarint;
}

constexpr int64_t kDateEpoch = int64_t{1} << 31;
constexpr int64_t kNanosPerDay = 86400000000000LL;

// Spark trims whitespace and control characters around text it parses.
std::string_view Trim(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ') s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ') s.remove_suffix(1);
  return s;
}

// Spark's text-to-integer: optional sign, digits, and a fraction that is
// dropped ("1.9" is 1); nullopt on anything else or overflow.
std::optional<int64_t> ParseIntegerText(std::string_view text) {
  std::string_view s = Trim(text);
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  uint64_t mag = 0;
  size_t i = 0, digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++digits) {
    if (mag > (std::numeric_limits<uint64_t>::max() - 9) / 10) return std::nullopt;
    mag = mag * 10 + static_cast<uint64_t>(s[i] - '0');
  }
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  }
  if (i != s.size() || digits == 0) return std::nullopt;
  uint64_t limit = neg ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (mag > limit) return std::nullopt;
  return neg ? static_cast<int64_t>(~mag + 1) : static_cast<int64_t>(mag);
}

std::optional<double> ParseDoubleText(std::string_view text) {
  std::string s(Trim(text));
  if (s.empty() || s.find_first_of("xX") != std::string::npos) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size()) return std::nullopt;
  return v;
}

std::optional<bool> ParseBooleanText(std::string_view text) {
  std::string s = AsciiLower(Trim(text));
  if (s == "t" || s == "true" || s == "y" || s == "yes" || s == "1") return true;
  if (s == "f" || s == "false" || s == "n" || s == "no" || s == "0") return false;
  return std::nullopt;
}

// Java's (int) d.
int64_t DoubleToInt(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 2147483647.0) return std::numeric_limits<int32_t>::max();
  if (d <= -2147483648.0) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(d);
}

// v narrowed to kind's width with two's complement wrap-around (Java casts).
int64_t Wrap(int64_t v, TypeKind kind) {
  switch (kind) {
    case TypeKind::kTinyint:
      return static_cast<int8_t>(v);
    case TypeKind::kSmallint:
      return static_cast<int16_t>(v);
    case TypeKind::kInt:
      return static_cast<int32_t>(v);
    default:
      return v;
  }
}

bool FitsIn(int64_t v, TypeKind kind) {
  return Wrap(v, kind) == v;
}

// The truncated integer digits of a decimal or varint ("-12"); nullopt when
// absurdly large.
std::optional<std::string> IntegerDigits(Cat cat, std::string_view b) {
  if (cat == Cat::kVarint) return cql::ToLiteral(TypeOf(TypeKind::kVarint), b);
  if (b.size() < 4) return std::nullopt;
  int32_t scale = cql::DecodeInt(b.substr(0, 4));
  std::string digits = cql::ToLiteral(TypeOf(TypeKind::kVarint), b.substr(4));
  bool neg = digits[0] == '-';
  if (neg) digits.erase(0, 1);
  if (scale < 0) {
    if (scale < -4096) return std::nullopt;
    if (digits != "0") digits.append(static_cast<size_t>(-static_cast<int64_t>(scale)), '0');
  } else if (static_cast<size_t>(scale) >= digits.size()) {
    digits = "0";
  } else {
    digits.resize(digits.size() - static_cast<size_t>(scale));
  }
  if (digits == "0") return digits;
  return (neg ? "-" : "") + digits;
}

// Whether a decimal or varint is zero (any scale).
bool BigIsZero(Cat cat, std::string_view b) {
  std::string_view unscaled = cat == Cat::kDecimal && b.size() >= 4 ? b.substr(4) : b;
  for (char c : unscaled) {
    if (c != 0) return false;
  }
  return true;
}

double BigToDouble(const DataType& from, std::string_view b) {
  return std::strtod(cql::ToLiteral(from, b).c_str(), nullptr);
}

// Catches the Invalid a CQL literal parser throws: casts turn it into NULL.
template <typename F>
auto TryParse(F&& f) -> std::optional<decltype(f())> {
  try {
    return f();
  } catch (const CqlError&) {
    return std::nullopt;
  }
}

// The bytes of a blob as a value of type, when they are a valid one.
std::optional<Bytes> ValidBlob(const DataType& type, std::string_view b) {
  if (cql::Validate(type, b)) return std::nullopt;
  if (b.empty() && PhysicalOf(type) != Physical::kString) return std::nullopt;
  return Bytes(b);
}

// A valid serialized value of an int64-physical type, as its physical value.
int64_t DecodeInt64(const DataType& type, std::string_view b) {
  switch (type.kind) {
    case TypeKind::kBoolean:
      return cql::DecodeBoolean(b) ? 1 : 0;
    case TypeKind::kTinyint:
      return cql::DecodeTinyint(b);
    case TypeKind::kSmallint:
      return cql::DecodeSmallint(b);
    case TypeKind::kInt:
      return cql::DecodeInt(b);
    case TypeKind::kDate:
      return static_cast<int64_t>(static_cast<uint32_t>(cql::DecodeInt(b))) - kDateEpoch;
    default:
      return cql::DecodeBigint(b);
  }
}

int64_t DateFromCql(const Bytes& b) {
  return static_cast<int64_t>(static_cast<uint32_t>(cql::DecodeInt(b))) - kDateEpoch;
}

// Text to date: a date literal, or the date of a timestamp literal (Spark's
// to_date('2020-01-02 10:00:00')).
std::optional<int64_t> ParseDateText(std::string_view text) {
  std::string_view s = Trim(text);
  if (auto d = TryParse([&] { return DateFromCql(cql::ParseDate(s)); })) return d;
  if (auto ms = TryParse([&] { return cql::DecodeBigint(cql::ParseTimestamp(s)); })) {
    return FloorDiv(*ms, kMillisPerDay);
  }
  return std::nullopt;
}

std::string TextOf(const ArgValues& v, size_t i, const DataType& from, Cat cat) {
  switch (cat) {
    case Cat::kText:
    case Cat::kBlob:
      return std::string(v.Str(i));
    case Cat::kIntegral:
      return std::to_string(v.Int(i));
    case Cat::kBoolean:
      return v.Int(i) ? "true" : "false";
    case Cat::kFloating:
      return from.kind == TypeKind::kFloat ? JavaFloatText(static_cast<float>(v.Dbl(i)))
                                           : JavaDoubleText(v.Dbl(i));
    case Cat::kTimestamp:
      return TimestampText(v.Int(i));
    case Cat::kDate:
      return DateText(v.Int(i));
    case Cat::kTime:
      return cql::ToLiteral(from, cql::EncodeBigint(v.Int(i)));
    default:
      return cql::ToLiteral(from, v.Str(i));
  }
}

Column ToText(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  Cat cat = CategoryOf(from);
  const ArgValues& v = a[0];
  return MapRows(to, rows, a, [&](size_t i) { return TextOf(v, i, from, cat); });
}

Column ToBlob(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  return MapRows(to, rows, a, [&](size_t i) { return *CqlValueAt(v.col(), v.Row(i)); });
}

Column ToIntegral(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  TypeKind k = to.kind;
  switch (CategoryOf(from)) {
    case Cat::kIntegral:
    case Cat::kBoolean:
    case Cat::kTimestamp:
    case Cat::kDate:
    case Cat::kTime:
      return MapRows(to, rows, a, [&](size_t i) { return Wrap(v.Int(i), k); });
    case Cat::kFloating:
      if (k == TypeKind::kBigint || k == TypeKind::kCounter) {
        return MapRows(to, rows, a, [&](size_t i) { return DoubleToLong(v.Dbl(i)); });
      }
      return MapRows(to, rows, a, [&](size_t i) { return Wrap(DoubleToInt(v.Dbl(i)), k); });
    case Cat::kDecimal:
    case Cat::kVarint: {
      Cat cat = CategoryOf(from);
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto digits = IntegerDigits(cat, v.Str(i));
        if (!digits) return std::nullopt;
        auto n = ParseIntegerText(*digits);
        if (!n) return std::nullopt;
        return Wrap(*n, k);
      });
    }
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto n = ParseIntegerText(v.Str(i));
        if (!n || !FitsIn(*n, k)) return std::nullopt;
        return *n;
      });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto b = ValidBlob(to, v.Str(i));
        if (!b) return std::nullopt;
        return DecodeInt64(to, *b);
      });
  }
}

Column ToBoolean(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  Cat cat = CategoryOf(from);
  switch (cat) {
    case Cat::kIntegral:
    case Cat::kBoolean:
      return MapRows(to, rows, a, [&](size_t i) -> int64_t { return v.Int(i) != 0; });
    case Cat::kFloating:
      return MapRows(to, rows, a, [&](size_t i) -> int64_t { return v.Dbl(i) != 0; });
    case Cat::kDecimal:
    case Cat::kVarint:
      return MapRows(to, rows, a, [&](size_t i) -> int64_t { return !BigIsZero(cat, v.Str(i)); });
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) { return ParseBooleanText(v.Str(i)); });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto b = ValidBlob(to, v.Str(i));
        if (!b) return std::nullopt;
        return DecodeInt64(to, *b);
      });
  }
}

Column ToFloating(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  bool single = to.kind == TypeKind::kFloat;
  auto narrow = [single](double d) {
    return single ? static_cast<double>(static_cast<float>(d)) : d;
  };
  switch (CategoryOf(from)) {
    case Cat::kIntegral:
    case Cat::kBoolean:
    case Cat::kTimestamp:
    case Cat::kDate:
    case Cat::kTime: {
      // The common widening, written as a plain loop so it vectorizes.
      Column out = Column::Make(to);
      out.doubles.resize(rows);
      const int64_t* x = v.col().ints.data();
      for (size_t i = 0; i < rows; ++i) out.doubles[i] = narrow(static_cast<double>(x[v.Row(i)]));
      if (v.has_nulls()) out.valid = AllValid(a, rows);
      return out;
    }
    case Cat::kFloating:
      return MapRows(to, rows, a, [&](size_t i) { return narrow(v.Dbl(i)); });
    case Cat::kDecimal:
    case Cat::kVarint:
      return MapRows(to, rows, a, [&](size_t i) { return narrow(BigToDouble(from, v.Str(i))); });
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<double> {
        auto d = ParseDoubleText(v.Str(i));
        if (!d) return std::nullopt;
        return narrow(*d);
      });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<double> {
        auto b = ValidBlob(to, v.Str(i));
        if (!b) return std::nullopt;
        return single ? cql::DecodeFloat(*b) : cql::DecodeDouble(*b);
      });
  }
}

std::optional<Bytes> DoubleToDecimal(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  return cql::ParseDecimal(fmt::format("{}", d));
}

std::optional<Bytes> DoubleToVarint(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  double t = std::trunc(d);
  return cql::ParseVarint(t == 0 ? std::string("0") : fmt::format("{:.0f}", t));
}

Column ToBigNumber(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  bool decimal = to.kind == TypeKind::kDecimal;
  auto from_digits = [decimal](const std::string& digits) {
    return decimal ? cql::ParseDecimal(digits) : cql::ParseVarint(digits);
  };
  Cat cat = CategoryOf(from);
  switch (cat) {
    case Cat::kIntegral:
    case Cat::kBoolean:
      return MapRows(to, rows, a, [&](size_t i) { return from_digits(std::to_string(v.Int(i))); });
    case Cat::kFloating:
      return MapRows(to, rows, a, [&](size_t i) {
        return decimal ? DoubleToDecimal(v.Dbl(i)) : DoubleToVarint(v.Dbl(i));
      });
    case Cat::kDecimal:
    case Cat::kVarint:
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<Bytes> {
        if (decimal) return cql::ParseDecimal(cql::ToLiteral(from, v.Str(i)));
        auto digits = IntegerDigits(cat, v.Str(i));
        if (!digits) return std::nullopt;
        return cql::ParseVarint(*digits);
      });
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) {
        std::string_view s = Trim(v.Str(i));
        if (!s.empty() && s[0] == '+') s.remove_prefix(1);
        return TryParse([&] { return decimal ? cql::ParseDecimal(s) : cql::ParseVarint(s); });
      });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) { return ValidBlob(to, v.Str(i)); });
  }
}

Column ToTimestamp(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  switch (CategoryOf(from)) {
    case Cat::kIntegral:
      return MapRows(to, rows, a, [&](size_t i) { return v.Int(i); });
    case Cat::kFloating:
      return MapRows(to, rows, a, [&](size_t i) { return DoubleToLong(v.Dbl(i)); });
    case Cat::kDate:
      return MapRows(to, rows, a, [&](size_t i) { return v.Int(i) * kMillisPerDay; });
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) {
        return TryParse([&] { return cql::DecodeBigint(cql::ParseTimestamp(Trim(v.Str(i)))); });
      });
    case Cat::kTimeuuid:
      return MapRows(to, rows, a,
                     [&](size_t i) { return FloorDiv(cql::TimeUuidMicros(v.Str(i)), 1000); });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto b = ValidBlob(to, v.Str(i));
        if (!b) return std::nullopt;
        return DecodeInt64(to, *b);
      });
  }
}

Column ToDate(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  switch (CategoryOf(from)) {
    case Cat::kIntegral:
      return MapRows(to, rows, a, [&](size_t i) { return v.Int(i); });
    case Cat::kTimestamp:
      return MapRows(to, rows, a, [&](size_t i) { return FloorDiv(v.Int(i), kMillisPerDay); });
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) { return ParseDateText(v.Str(i)); });
    case Cat::kTimeuuid:
      return MapRows(to, rows, a, [&](size_t i) {
        return FloorDiv(cql::TimeUuidMicros(v.Str(i)), kMillisPerDay * 1000);
      });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto b = ValidBlob(to, v.Str(i));
        if (!b) return std::nullopt;
        return DecodeInt64(to, *b);
      });
  }
}

Column ToTime(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  switch (CategoryOf(from)) {
    case Cat::kIntegral:
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        if (v.Int(i) < 0 || v.Int(i) >= kNanosPerDay) return std::nullopt;
        return v.Int(i);
      });
    case Cat::kTimestamp:
      return MapRows(to, rows, a,
                     [&](size_t i) { return FloorMod(v.Int(i), kMillisPerDay) * 1000000; });
    case Cat::kText:
      return MapRows(to, rows, a, [&](size_t i) {
        return TryParse([&] { return cql::DecodeBigint(cql::ParseTime(Trim(v.Str(i)))); });
      });
    default:  // blob
      return MapRows(to, rows, a, [&](size_t i) -> std::optional<int64_t> {
        auto b = ValidBlob(to, v.Str(i));
        if (!b) return std::nullopt;
        return DecodeInt64(to, *b);
      });
  }
}

// Targets held as bytes that are not numbers: uuids, inet, duration, blobs
// and composite types.
Column ToBytes(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  const ArgValues& v = a[0];
  Cat cat = CategoryOf(from);
  if (cat == Cat::kText && CategoryOf(to) != Cat::kBlob) {
    return MapRows(to, rows, a, [&](size_t i) -> std::optional<Bytes> {
      std::string_view s = Trim(v.Str(i));
      auto b = TryParse([&] {
        switch (to.kind) {
          case TypeKind::kInet:
            return cql::ParseInet(s);
          case TypeKind::kDuration:
            return cql::ParseDuration(s);
          default:
            return cql::ParseUuid(s);
        }
      });
      if (!b || cql::Validate(to, *b)) return std::nullopt;
      return b;
    });
  }
  if (CategoryOf(to) == Cat::kBlob) {
    if (cat == Cat::kText) return MapRows(to, rows, a, [&](size_t i) { return Bytes(v.Str(i)); });
    return ToBlob(a, from, to, rows);
  }
  // uuid <-> timeuuid, or bytes of a blob reinterpreted: keep valid values.
  return MapRows(to, rows, a, [&](size_t i) { return ValidBlob(to, v.Str(i)); });
}

Column CastColumn(const Args& a, const DataType& from, const DataType& to, size_t rows) {
  switch (CategoryOf(to)) {
    case Cat::kText:
      return ToText(a, from, to, rows);
    case Cat::kIntegral:
      return ToIntegral(a, from, to, rows);
    case Cat::kBoolean:
      return ToBoolean(a, from, to, rows);
    case Cat::kFloating:
      return ToFloating(a, from, to, rows);
    case Cat::kDecimal:
    case Cat::kVarint:
      return ToBigNumber(a, from, to, rows);
    case Cat::kTimestamp:
      return ToTimestamp(a, from, to, rows);
    case Cat::kDate:
      return ToDate(a, from, to, rows);
    case Cat::kTime:
      return ToTime(a, from, to, rows);
    default:
      return ToBytes(a, from, to, rows);
  }
}

// Binder of a function that is a cast to a fixed type (Spark's int(x), ...).
Binder CastTo(TypeKind kind) {
  return [kind](const std::string& name, std::vector<NodePtr> args) {
    if (args.size() != 1) ThrowArgs(name, "(any)", args);
    return MakeCast(std::move(args[0]), TypeOf(kind));
  };
}

template <typename T>
void ShortestDigitsOf(T v, std::string* digits, int* exponent) {
  // fmt's default format is the shortest text that reads back as v.
  std::string s = fmt::format("{}", std::fabs(v));
  int exp = 0;
  if (size_t e = s.find_first_of("eE"); e != std::string::npos) {
    exp = std::atoi(s.c_str() + e + 1);
    s.resize(e);
  }
  size_t point = s.find('.');
  std::string int_part = point == std::string::npos ? s : s.substr(0, point);
  std::string frac = point == std::string::npos ? "" : s.substr(point + 1);
  std::string d = int_part + frac;
  int e10 = static_cast<int>(int_part.size()) + exp;
  size_t lead = d.find_first_not_of('0');
  if (lead == std::string::npos) {
    *digits = "0";
    *exponent = 1;
    return;
  }
  e10 -= static_cast<int>(lead);
  d.erase(0, lead);
  while (d.size() > 1 && d.back() == '0') d.pop_back();
  *digits = d;
  *exponent = e10;
}

template <typename T>
std::string JavaText(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  std::string digits;
  int e = 0;
  ShortestDigitsOf(v, &digits, &e);
  std::string out = v < 0 ? "-" : "";
  int n = e - 1;  // exponent of d.ddd scientific form
  if (n >= -3 && n < 7) {
    if (e <= 0) {
      out += "0." + std::string(static_cast<size_t>(-e), '0') + digits;
    } else if (digits.size() <= static_cast<size_t>(e)) {
      out += digits + std::string(static_cast<size_t>(e) - digits.size(), '0') + ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(e)) + "." + digits.substr(static_cast<size_t>(e));
    }
    return out;
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0");
  return out + "E" + std::to_string(n);
}

}  // namespace

int64_t DoubleToLong(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (d <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

bool CanCast(const DataType& from, const DataType& to) {
  if (from == to) return true;
  Cat f = CategoryOf(from);
  Cat t = CategoryOf(to);
  if (t == Cat::kText || t == Cat::kBlob) return true;
  // Blobs reinterpret as any type; bytes that are not a valid value read as NULL.
  if (f == Cat::kBlob) return true;
  switch (t) {
    case Cat::kIntegral:
      return IsNumberCat(f) || f == Cat::kText || f == Cat::kTimestamp || f == Cat::kDate ||
             f == Cat::kTime;
    case Cat::kBoolean:
    case Cat::kDecimal:
    case Cat::kVarint:
      return IsNumberCat(f) || f == Cat::kText;
    case Cat::kFloating:
      return IsNumberCat(f) || f == Cat::kText || f == Cat::kTimestamp || f == Cat::kDate ||
             f == Cat::kTime;
    case Cat::kTimestamp:
      return f == Cat::kIntegral || f == Cat::kFloating || f == Cat::kDate || f == Cat::kText ||
             f == Cat::kTimeuuid;
    case Cat::kDate:
      return f == Cat::kIntegral || f == Cat::kTimestamp || f == Cat::kText || f == Cat::kTimeuuid;
    case Cat::kTime:
      return f == Cat::kIntegral || f == Cat::kTimestamp || f == Cat::kText;
    case Cat::kUuid:
    case Cat::kTimeuuid:
      return f == Cat::kUuid || f == Cat::kTimeuuid || f == Cat::kText;
    case Cat::kParsed:
      return f == Cat::kText;
    default:
      return false;
  }
}

NodePtr MakeCast(NodePtr e, const DataType& to) {
  if (e->UntypedNull()) return MakeNull(to);
  DataType from = e->type();
  if (from == to) return e;
  if (!CanCast(from, to)) {
    ThrowInvalid("Invalid arguments for cast: cannot cast {} to {}", TypeName(from), TypeName(to));
  }
  return MakeCall(to, {std::move(e)},
                  [from, to](const Args& a, size_t rows) { return CastColumn(a, from, to, rows); });
}

std::string JavaDoubleText(double v) {
  return JavaText(v);
}

std::string JavaFloatText(float v) {
  return JavaText(v);
}

void ShortestDigits(double v, std::string* digits, int* exponent) {
  ShortestDigitsOf(v, digits, exponent);
}

std::string TimestampText(int64_t millis) {
  int64_t days = FloorDiv(millis, kMillisPerDay);
  int64_t ms = millis - days * kMillisPerDay;
  std::string out = fmt::format("{} {:02}:{:02}:{:02}", DateText(days), ms / 3600000,
                                ms / 60000 % 60, ms / 1000 % 60);
  if (int64_t frac = ms % 1000; frac != 0) {
    std::string f = fmt::format("{:03}", frac);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

std::string DateText(int64_t days) {
  int64_t y;
  unsigned m, d;
  cql::CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

void RegisterCastFunctions(FunctionRegistry* r) {
  r->Add("string", CastTo(TypeKind::kText));
  r->Add("boolean", CastTo(TypeKind::kBoolean));
  r->Add("tinyint", CastTo(TypeKind::kTinyint));
  r->Add("smallint", CastTo(TypeKind::kSmallint));
  r->Add("int", CastTo(TypeKind::kInt));
  r->Add("bigint", CastTo(TypeKind::kBigint));
  r->Add("float", CastTo(TypeKind::kFloat));
  r->Add("double", CastTo(TypeKind::kDouble));
  r->Add("decimal", CastTo(TypeKind::kDecimal));
  r->Add("timestamp", CastTo(TypeKind::kTimestamp));
  r->Add("date", CastTo(TypeKind::kDate));
  r->Add("to_timestamp", CastTo(TypeKind::kTimestamp));
}

}  // namespace helenus::exec::eval
