// Text <-> bytes conversion of CQL values for the shell and COPY.
#include "helenus/shell/value_text.h"

#include <cmath>
#include <cstdio>

#include <fmt/format.h>

#include "helenus/client/values.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::shell {
namespace {

// Splits the inside of a collection literal into top-level items, honouring
// quotes and nested brackets; for maps each item is "key: value".
class LiteralScanner {
 public:
  explicit LiteralScanner(std::string_view s) : s_(s) {}

  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n')) ++i_;
  }
  bool Eat(char c) {
    SkipSpace();
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool Done() {
    SkipSpace();
    return i_ >= s_.size();
  }
  // One element: a quoted string (unquoted here), a nested literal (kept whole) or a bare word.
  std::string Element() {
    SkipSpace();
    if (i_ >= s_.size()) Fail("missing element");
    char c = s_[i_];
    if (c == '\'' || c == '"') {
      std::string out;
      ++i_;
      while (i_ < s_.size()) {
        if (s_[i_] == c) {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == c) {
            out += c;
            i_ += 2;
            continue;
          }
          ++i_;
          return out;
        }
        out += s_[i_++];
      }
      Fail("unterminated string");
    }
    size_t start = i_;
    int depth = 0;
    while (i_ < s_.size()) {
      char d = s_[i_];
      if (d == '\'') {
        // Skip a quoted string inside a nested literal.
        for (++i_; i_ < s_.size() && s_[i_] != '\''; ++i_) {
        }
      } else if (d == '[' || d == '{' || d == '(') {
        ++depth;
      } else if (d == ']' || d == '}' || d == ')') {
        if (depth == 0) break;
        --depth;
      } else if (depth == 0 && (d == ',' || d == ':')) {
        break;
      }
      ++i_;
    }
    std::string out(s_.substr(start, i_ - start));
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
  }
  [[noreturn]] void Fail(std::string_view why) {
    ThrowInvalid("Invalid collection literal '{}': {}", s_, why);
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

Bytes ParseCollection(const DataType& type, std::string_view text) {
  text = Trim(text);
  char open = type.kind == TypeKind::kList ? '[' : type.kind == TypeKind::kTuple ? '(' : '{';
  char close = open == '[' ? ']' : open == '(' ? ')' : '}';
  // cqlsh writes sets as {..} but accepts [..] too; be as lenient.
  if (text.size() < 2 ||
      (text.front() != open && !(type.kind == TypeKind::kSet && text.front() == '[')) ||
      text.back() != (text.front() == '[' ? ']' : close)) {
    ThrowInvalid("Invalid {} literal '{}'", type.ToCql(), text);
  }
  LiteralScanner sc(text.substr(1, text.size() - 2));
  if (type.kind == TypeKind::kMap) {
    std::vector<std::pair<Bytes, Bytes>> entries;
    while (!sc.Done()) {
      std::string k = sc.Element();
      if (!sc.Eat(':')) sc.Fail("expected ':'");
      std::string v = sc.Element();
      entries.emplace_back(ParseValueText(type.params[0], k), ParseValueText(type.params[1], v));
      if (!sc.Eat(',') && !sc.Done()) sc.Fail("expected ','");
    }
    return cql::EncodeMap(entries);
  }
  if (type.kind == TypeKind::kTuple) {
    std::vector<Value> elems;
    while (!sc.Done()) {
      if (elems.size() >= type.params.size()) sc.Fail("too many tuple elements");
      std::string e = sc.Element();
      if (e == "null") {
        elems.push_back(std::nullopt);
      } else {
        elems.push_back(ParseValueText(type.params[elems.size()], e));
      }
      if (!sc.Eat(',') && !sc.Done()) sc.Fail("expected ','");
    }
    return cql::EncodeTuple(elems);
  }
  std::vector<Bytes> elems;
  while (!sc.Done()) {
    elems.push_back(ParseValueText(type.params[0], sc.Element()));
    if (!sc.Eat(',') && !sc.Done()) sc.Fail("expected ','");
  }
  return cql::EncodeCollection(elems);
}

std::string QuoteText(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string Format(const DataType& type, std::string_view b, TextStyle style, bool nested) {
  switch (type.kind) {
    case TypeKind::kText:
    case TypeKind::kAscii:
      return nested ? QuoteText(b) : std::string(b);
    case TypeKind::kBoolean:
      if (b.empty()) return "";
      return cql::DecodeBoolean(b) ? "True" : "False";
    case TypeKind::kFloat:
      if (b.size() != 4) break;
      if (style == TextStyle::kCsv) return cql::ToLiteral(type, b);
      return FormatFloating(cql::DecodeFloat(b), 5);
    case TypeKind::kDouble:
      if (b.size() != 8) break;
      if (style == TextStyle::kCsv) return cql::ToLiteral(type, b);
      return FormatFloating(cql::DecodeDouble(b), 5);
    case TypeKind::kTimestamp:
      if (b.size() != 8) break;
      return FormatTimestamp(cql::DecodeBigint(b), style == TextStyle::kDisplay);
    case TypeKind::kList:
    case TypeKind::kSet: {
      std::string out = type.kind == TypeKind::kList ? "[" : "{";
      bool first = true;
      for (const auto& e : cql::DecodeCollection(b)) {
        out += (first ? "" : ", ") + Format(type.params[0], e, style, true);
        first = false;
      }
      return out + (type.kind == TypeKind::kList ? "]" : "}");
    }
    case TypeKind::kMap: {
      std::string out = "{";
      bool first = true;
      for (const auto& [k, v] : cql::DecodeMap(b)) {
        out += (first ? "" : ", ") + Format(type.params[0], k, style, true) + ": " +
               Format(type.params[1], v, style, true);
        first = false;
      }
      return out + "}";
    }
    case TypeKind::kTuple: {
      std::string out = "(";
      auto elems = cql::DecodeTuple(b, type.params.size());
      for (size_t i = 0; i < elems.size(); ++i) {
        out += (i ? ", " : "") +
               (elems[i] ? Format(type.params[i], *elems[i], style, true) : std::string("null"));
      }
      return out + ")";
    }
    default:
      break;
  }
  return cql::ToLiteral(type, b);
}

}  // namespace

Bytes ParseValueText(const DataType& type, std::string_view text) {
  switch (type.kind) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap:
    case TypeKind::kTuple:
      return ParseCollection(type, text);
    case TypeKind::kText:
    case TypeKind::kAscii:
    case TypeKind::kBlob:
      break;
    default:
      // Numbers and dates never carry meaningful surrounding spaces; CSV files often do.
      text = Trim(text);
      break;
  }
  auto v = client::FromText(type, text);
  if (v.state != cql::BoundValue::State::kSet) {
    ThrowInvalid("Unable to convert '{}' to {}", text, type.ToCql());
  }
  return std::move(v.bytes);
}

std::string FormatValue(const DataType& type, const Value& value, TextStyle style) {
  if (!value) return "null";
  return Format(type, *value, style, false);
}

std::string FormatTimestamp(int64_t millis, bool microseconds) {
  // Take the date part from the codec's ISO form and re-spell it as cqlsh does.
  std::string iso = cql::ToLiteral(DataType::Of(TypeKind::kTimestamp), cql::EncodeBigint(millis));
  // iso: YYYY-MM-DDTHH:MM:SS.mmmZ (the year may be wider or negative).
  auto t = iso.find('T');
  if (t == std::string::npos || iso.size() < t + 13) return iso;
  std::string out = iso.substr(0, t) + " " + iso.substr(t + 1, 12);
  if (microseconds) out += "000";
  return out + "+0000";
}

std::string FormatFloating(double v, int precision) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  // cqlsh widens the precision by the digits left of the point, so %g only
  // switches to exponents for large or tiny numbers.
  int exponent = std::fabs(v) > 1e-300 ? static_cast<int>(std::floor(std::log10(std::fabs(v)))) : 0;
  if (exponent >= -4 && exponent < precision) precision += exponent + 1;
  if (precision < 1) precision = 1;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*g", precision, v);
  return buf;
}

}  // namespace helenus::shell
