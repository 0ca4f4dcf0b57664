// String functions on UTF-8 text. Positions and lengths count code points,
// as Spark does; arguments of other types are converted to text first.
#include <algorithm>
#include <limits>

#include "exec/expr_internal.h"

namespace helenus::exec::eval {
namespace {

const DataType& TextType() {
  static const DataType t = TypeOf(TypeKind::kText);
  return t;
}

// ---- UTF-8 -----------------------------------------------------------------

uint32_t DecodeAt(std::string_view s, size_t* pos) {
  auto c = static_cast<unsigned char>(s[*pos]);
  size_t n = Utf8SeqLen(c);
  if (*pos + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? c : (c & (0x7F >> n));
  for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*pos + k]) & 0x3F);
  *pos += n;
  return cp;
}

void Encode(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Simple case mappings of the alphabets with regular upper/lower pairs.
uint32_t ToLowerCp(uint32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if ((c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x138 && c != 0x149 && c != 0x17F) {
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? (c % 2 == 1) : (c % 2 == 0)) return c + 1;
    return c;
  }
  if (c >= 0x391 && c <= 0x3A9 && c != 0x3A2) return c + 32;
  if (c >= 0x410 && c <= 0x42F) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

uint32_t ToUpperCp(uint32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  if (c >= 0xE0 && c <= 0xFE && c != 0xF7) return c - 32;
  if (c >= 0x100 && c <= 0x17F && c != 0x131 && c != 0x138 && c != 0x149 && c != 0x17F) {
    bool odd_upper = (c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E);
    if (odd_upper ? (c % 2 == 0) : (c % 2 == 1)) return c - 1;
    return c;
  }
  if (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2) return c - 32;
  if (c >= 0x430 && c <= 0x44F) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

template <typename Map>
std::string MapCodePoints(std::string_view s, Map map) {
  std::string out;
  out.reserve(s.size());
  for (size_t pos = 0; pos < s.size();) {
    size_t start = pos;
    auto c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(map(c)));
      ++pos;
      continue;
    }
    uint32_t cp = DecodeAt(s, &pos);
    uint32_t mapped = map(cp);
    if (mapped == cp) {
      out.append(s.substr(start, pos - start));  // keeps invalid bytes as they were
    } else {
      Encode(mapped, &out);
    }
  }
  return out;
}

// Byte offset of code point `index` in s (s.size() when past the end).
size_t OffsetOf(std::string_view s, int64_t index) {
  size_t pos = 0;
  for (int64_t k = 0; k < index && pos < s.size(); ++k) {
    pos += std::min(Utf8SeqLen(static_cast<unsigned char>(s[pos])), s.size() - pos);
  }
  return pos;
}

// Code points [start, end) of s, clamped.
std::string_view CodePoints(std::string_view s, int64_t start, int64_t end) {
  size_t b = OffsetOf(s, start);
  size_t e = b + OffsetOf(s.substr(b), end - start);
  return s.substr(b, e - b);
}

// ---- Binder helpers -----------------------------------------------------------

// A function over fixed parameters, computed row by row with f(args, i).
template <typename F>
Binder RowFunction(DataType result, std::initializer_list<Param> params, size_t optional, F f) {
  std::vector<Param> ps(params);
  return [result, ps, optional, f](const std::string& name, std::vector<NodePtr> args) {
    std::vector<NodePtr> checked;
    switch (ps.size()) {
      case 1:
        checked = CheckArgs(name, std::move(args), {ps[0]}, optional);
        break;
      case 2:
        checked = CheckArgs(name, std::move(args), {ps[0], ps[1]}, optional);
        break;
      default:
        checked = CheckArgs(name, std::move(args), {ps[0], ps[1], ps[2]}, optional);
        break;
    }
    return MakeCall(result, std::move(checked), [result, f](const Args& a, size_t rows) {
      return MapRows(result, rows, a, [&](size_t i) { return f(a, i); });
    });
  };
}

// A text -> text function.
template <typename F>
Binder TextToText(F f) {
  return RowFunction(TextType(), {Param::kText}, 0,
                     [f](const Args& a, size_t i) { return f(a[0].Str(i)); });
}

// A (text, text) -> boolean predicate.
template <typename F>
Binder TextPredicate(F f) {
  return RowFunction(
      TypeOf(TypeKind::kBoolean), {Param::kText, Param::kText}, 0,
      [f](const Args& a, size_t i) -> int64_t { return f(a[0].Str(i), a[1].Str(i)); });
}

std::string_view TrimLeft(std::string_view s) {
  size_t i = s.find_first_not_of(' ');
  return i == std::string_view::npos ? std::string_view() : s.substr(i);
}

std::string_view TrimRight(std::string_view s) {
  size_t i = s.find_last_not_of(' ');
  return i == std::string_view::npos ? std::string_view() : s.substr(0, i + 1);
}

// Spark's substring: 1-based, 0 counts as 1, negative from the end.
std::string Substring(std::string_view s, int64_t pos, int64_t len) {
  int64_t chars = static_cast<int64_t>(Utf8Length(s));
  int64_t start = pos > 0 ? pos - 1 : (pos < 0 ? chars + pos : 0);
  int64_t end = len > std::numeric_limits<int64_t>::max() - std::max<int64_t>(start, 0)
                    ? std::numeric_limits<int64_t>::max()
                    : start + len;
  start = std::max<int64_t>(start, 0);
  if (start >= end) return {};
  return std::string(CodePoints(s, start, end));
}

NodePtr BindSubstring(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kText, Param::kInteger, Param::kInteger}, 1);
  return MakeCall(TextType(), std::move(args), [](const Args& a, size_t rows) {
    const ArgValues& s = a[0];
    const ArgValues& pos = a[1];
    if (a.size() == 2) {
      return MapRows(TextType(), rows, a, [&](size_t i) {
        return Substring(s.Str(i), pos.Int(i), std::numeric_limits<int64_t>::max());
      });
    }
    const ArgValues& len = a[2];
    return MapRows(TextType(), rows, a,
                   [&](size_t i) { return Substring(s.Str(i), pos.Int(i), len.Int(i)); });
  });
}

NodePtr BindConcat(const std::string& name, std::vector<NodePtr> args) {
  args = CheckVariadic(name, std::move(args), Param::kText, 0);
  return MakeCall(TextType(), std::move(args), [](const Args& a, size_t rows) {
    return MapRows(TextType(), rows, a, [&](size_t i) {
      std::string out;
      for (const auto& v : a) out.append(v.Str(i));
      return out;
    });
  });
}

// concat_ws(sep, ...): NULL arguments are skipped; a NULL separator gives NULL.
NodePtr BindConcatWs(const std::string& name, std::vector<NodePtr> args) {
  args = CheckVariadic(name, std::move(args), Param::kText, 1);
  return MakeCall(TextType(), std::move(args), [](const Args& a, size_t rows) {
    Column out = Column::Make(TextType());
    out.strings.resize(rows);
    if (a[0].has_nulls()) out.valid.assign(rows, 1);
    for (size_t i = 0; i < rows; ++i) {
      if (a[0].IsNull(i)) {
        out.valid[i] = 0;
        continue;
      }
      std::string_view sep = a[0].Str(i);
      bool first = true;
      for (size_t k = 1; k < a.size(); ++k) {
        if (a[k].IsNull(i)) continue;
        if (!first) out.strings[i].append(sep);
        out.strings[i].append(a[k].Str(i));
        first = false;
      }
    }
    return out;
  });
}

std::string Replace(std::string_view s, std::string_view search, std::string_view with) {
  if (search.empty()) return std::string(s);
  std::string out;
  size_t pos = 0;
  for (size_t hit; (hit = s.find(search, pos)) != std::string_view::npos;
       pos = hit + search.size()) {
    out.append(s.substr(pos, hit - pos));
    out.append(with);
  }
  out.append(s.substr(pos));
  return out;
}

NodePtr BindReplace(const std::string& name, std::vector<NodePtr> args) {
  args = CheckArgs(name, std::move(args), {Param::kText, Param::kText, Param::kText}, 1);
  return MakeCall(TextType(), std::move(args), [](const Args& a, size_t rows) {
    return MapRows(TextType(), rows, a, [&](size_t i) {
      return Replace(a[0].Str(i), a[1].Str(i), a.size() > 2 ? a[2].Str(i) : std::string_view());
    });
  });
}

// Results a string function refuses to build (NULL instead): a typo such as
// repeat(x, 1e12) must not take the server's memory.
constexpr size_t kMaxResultBytes = size_t{1} << 28;

// lpad/rpad: to exactly len code points, truncating when longer.
std::optional<std::string> Pad(std::string_view s, int64_t len, std::string_view pad, bool left) {
  if (len <= 0) return std::string();
  if (static_cast<uint64_t>(len) > kMaxResultBytes / 4) return std::nullopt;
  auto chars = static_cast<int64_t>(Utf8Length(s));
  if (len <= chars) return std::string(CodePoints(s, 0, len));
  if (pad.empty()) return std::string(s);
  auto pad_chars = static_cast<int64_t>(Utf8Length(pad));
  int64_t need = len - chars;
  std::string fill;
  for (int64_t have = 0; have < need; have += pad_chars) {
    fill.append(need - have >= pad_chars ? pad : CodePoints(pad, 0, need - have));
  }
  return left ? fill + std::string(s) : std::string(s) + fill;
}

Binder Padding(bool left) {
  return [left](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kText, Param::kInteger, Param::kText}, 1);
    return MakeCall(TextType(), std::move(args), [left](const Args& a, size_t rows) {
      return MapRows(TextType(), rows, a, [&](size_t i) {
        return Pad(a[0].Str(i), a[1].Int(i), a.size() > 2 ? a[2].Str(i) : " ", left);
      });
    });
  };
}

// 1-based code point position of needle in s, 0 when absent.
int64_t Instr(std::string_view s, std::string_view needle) {
  size_t hit = s.find(needle);
  if (hit == std::string_view::npos) return 0;
  return static_cast<int64_t>(Utf8Length(s.substr(0, hit))) + 1;
}

std::string Reverse(std::string_view s) {
  std::string out(s.size(), '\0');
  size_t w = s.size();
  for (size_t pos = 0; pos < s.size();) {
    size_t n = std::min(Utf8SeqLen(static_cast<unsigned char>(s[pos])), s.size() - pos);
    w -= n;
    out.replace(w, n, s.substr(pos, n));
    pos += n;
  }
  return out;
}

std::optional<std::string> Repeat(std::string_view s, int64_t n) {
  std::string out;
  if (n <= 0 || s.empty()) return out;
  if (static_cast<uint64_t>(n) > kMaxResultBytes / s.size()) return std::nullopt;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) out.append(s);
  return out;
}

// ---- LIKE ---------------------------------------------------------------------

// A compiled LIKE pattern: % any sequence, _ one character, \ escapes.
class LikePattern {
 public:
  LikePattern(std::string_view pattern, bool fold_case) : fold_case_(fold_case) {
    std::string p = fold_case ? Utf8Lower(pattern) : std::string(pattern);
    std::string lit;
    auto flush = [&] {
      if (!lit.empty()) tokens_.push_back({Token::kLiteral, std::move(lit)});
      lit.clear();
    };
    for (size_t i = 0; i < p.size(); ++i) {
      char c = p[i];
      if (c == '\\' && i + 1 < p.size()) {
        lit.push_back(p[++i]);
      } else if (c == '%') {
        flush();
        if (tokens_.empty() || tokens_.back().kind != Token::kAny)
          tokens_.push_back({Token::kAny, {}});
      } else if (c == '_') {
        flush();
        tokens_.push_back({Token::kOne, {}});
      } else {
        lit.push_back(c);
      }
    }
    flush();
    Classify();
  }

  bool Matches(std::string_view text) const {
    std::string folded;
    if (fold_case_) {
      folded = Utf8Lower(text);
      text = folded;
    }
    switch (shape_) {
      case Shape::kExact:
        return text == literal_;
      case Shape::kPrefix:
        return text.starts_with(literal_);
      case Shape::kSuffix:
        return text.ends_with(literal_);
      case Shape::kContains:
        return text.find(literal_) != std::string_view::npos;
      case Shape::kGeneral:
        return MatchGeneral(text);
    }
    return false;
  }

 private:
  struct Token {
    enum Kind { kLiteral, kOne, kAny } kind;
    std::string text;
  };
  enum class Shape { kExact, kPrefix, kSuffix, kContains, kGeneral };

  // The common shapes ('abc', 'abc%', '%abc', '%abc%') skip the matcher.
  void Classify() {
    auto is = [&](size_t i, Token::Kind k) { return i < tokens_.size() && tokens_[i].kind == k; };
    size_t n = tokens_.size();
    shape_ = Shape::kGeneral;
    if (n == 0 || (n == 1 && is(0, Token::kLiteral))) {
      shape_ = Shape::kExact;
    } else if (n == 1 && is(0, Token::kAny)) {
      shape_ = Shape::kPrefix;
    } else if (n == 2 && is(0, Token::kLiteral) && is(1, Token::kAny)) {
      shape_ = Shape::kPrefix;
    } else if (n == 2 && is(0, Token::kAny) && is(1, Token::kLiteral)) {
      shape_ = Shape::kSuffix;
    } else if (n == 3 && is(0, Token::kAny) && is(1, Token::kLiteral) && is(2, Token::kAny)) {
      shape_ = Shape::kContains;
    }
    for (const auto& t : tokens_) {
      if (t.kind == Token::kLiteral) literal_ = t.text;
    }
  }

  // Wildcard matching that backtracks only to the last %, which suffices
  // because a later % can absorb anything an earlier one could.
  bool MatchGeneral(std::string_view s) const {
    size_t ti = 0, si = 0;
    size_t star_t = std::string::npos, star_s = 0;
    while (true) {
      bool advanced = false;
      if (ti < tokens_.size()) {
        const Token& t = tokens_[ti];
        if (t.kind == Token::kAny) {
          star_t = ti++;
          star_s = si;
          continue;
        }
        if (t.kind == Token::kOne && si < s.size()) {
          si += std::min(Utf8SeqLen(static_cast<unsigned char>(s[si])), s.size() - si);
          ++ti;
          advanced = true;
        } else if (t.kind == Token::kLiteral && s.substr(si).starts_with(t.text)) {
          si += t.text.size();
          ++ti;
          advanced = true;
        }
      } else if (si == s.size()) {
        return true;
      }
      if (advanced) continue;
      if (star_t == std::string::npos || star_s >= s.size()) return false;
      star_s += std::min(Utf8SeqLen(static_cast<unsigned char>(s[star_s])), s.size() - star_s);
      si = star_s;
      ti = star_t + 1;
    }
  }

  bool fold_case_;
  std::vector<Token> tokens_;
  Shape shape_ = Shape::kGeneral;
  std::string literal_;
};

Binder Like(bool negate, bool fold_case) {
  return [negate, fold_case](const std::string& name, std::vector<NodePtr> args) {
    args = CheckArgs(name, std::move(args), {Param::kText, Param::kText});
    return MakeCall(TypeOf(TypeKind::kBoolean), std::move(args),
                    [negate, fold_case](const Args& a, size_t rows) {
                      const ArgValues& s = a[0];
                      const ArgValues& p = a[1];
                      std::optional<LikePattern> pattern;
                      std::string pattern_text;
                      return MapRows(TypeOf(TypeKind::kBoolean), rows, a, [&](size_t i) -> int64_t {
                        // A column of patterns recompiles only when the pattern changes.
                        if (!pattern || (!p.constant() && p.Str(i) != pattern_text)) {
                          pattern_text = p.Str(i);
                          pattern.emplace(pattern_text, fold_case);
                        }
                        return pattern->Matches(s.Str(i)) != negate;
                      });
                    });
  };
}

}  // namespace

size_t Utf8SeqLen(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Utf8Lower(std::string_view s) {
  return MapCodePoints(s, ToLowerCp);
}

std::string Utf8Upper(std::string_view s) {
  return MapCodePoints(s, ToUpperCp);
}

void RegisterStringFunctions(FunctionRegistry* r) {
  DataType int_type = TypeOf(TypeKind::kInt);
  r->Add("lower", TextToText(Utf8Lower));
  r->Add("lcase", Forward("lower"));
  r->Add("upper", TextToText(Utf8Upper));
  r->Add("ucase", Forward("upper"));
  r->Add("length", RowFunction(int_type, {Param::kText}, 0, [](const Args& a, size_t i) {
           return static_cast<int64_t>(Utf8Length(a[0].Str(i)));
         }));
  r->Add("char_length", Forward("length"));
  r->Add("character_length", Forward("length"));
  r->Add("trim",
         TextToText([](std::string_view s) { return std::string(TrimRight(TrimLeft(s))); }));
  r->Add("ltrim", TextToText([](std::string_view s) { return std::string(TrimLeft(s)); }));
  r->Add("rtrim", TextToText([](std::string_view s) { return std::string(TrimRight(s)); }));
  r->Add("substr", BindSubstring);
  r->Add("substring", BindSubstring);
  r->Add("left",
         RowFunction(TextType(), {Param::kText, Param::kInteger}, 0, [](const Args& a, size_t i) {
           return Substring(a[0].Str(i), 1, a[1].Int(i));
         }));
  r->Add("right",
         RowFunction(TextType(), {Param::kText, Param::kInteger}, 0, [](const Args& a, size_t i) {
           int64_t n = a[1].Int(i);
           return n <= 0 ? std::string() : Substring(a[0].Str(i), -n, n);
         }));
  r->Add("concat", BindConcat);
  r->Add("||", BindConcat);
  r->Add("concat_ws", BindConcatWs);
  r->Add("replace", BindReplace);
  r->Add("lpad", Padding(true));
  r->Add("rpad", Padding(false));
  r->Add("instr",
         RowFunction(int_type, {Param::kText, Param::kText}, 0,
                     [](const Args& a, size_t i) { return Instr(a[0].Str(i), a[1].Str(i)); }));
  r->Add("starts_with",
         TextPredicate([](std::string_view s, std::string_view p) { return s.starts_with(p); }));
  r->Add("startswith", Forward("starts_with"));
  r->Add("ends_with",
         TextPredicate([](std::string_view s, std::string_view p) { return s.ends_with(p); }));
  r->Add("endswith", Forward("ends_with"));
  r->Add("contains", TextPredicate([](std::string_view s, std::string_view p) {
           return s.find(p) != std::string_view::npos;
         }));
  r->Add("reverse", TextToText(Reverse));
  r->Add("repeat",
         RowFunction(TextType(), {Param::kText, Param::kInteger}, 0,
                     [](const Args& a, size_t i) { return Repeat(a[0].Str(i), a[1].Int(i)); }));
  r->Add("like", Like(false, false));
  r->Add("not_like", Like(true, false));
  r->Add("ilike", Like(false, true));
  r->Add("not_ilike", Like(true, true));
}

}  // namespace helenus::exec::eval
