#include "helenus/cql/lexer.h"

#include <array>

#include "helenus/common/error.h"

namespace helenus::cql {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsIdentChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '_';
}
char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  std::vector<Token> Run() {
    std::vector<Token> out;
    // Most statements have fewer tokens than a fifth of their characters;
    // one reservation avoids regrowth on typical inputs.
    out.reserve(src_.size() / 4 + 4);
    while (true) {
      SkipSpaceAndComments();
      if (pos_ >= src_.size()) break;
      out.push_back(Lex());
    }
    Token eof;
    eof.kind = TokenKind::kEof;
    eof.line = line_;
    eof.column = static_cast<uint32_t>(pos_ - line_start_);
    eof.offset = static_cast<uint32_t>(pos_);
    out.push_back(std::move(eof));
    return out;
  }

 private:
  char At(size_t i) const { return i < src_.size() ? src_[i] : '\0'; }

  void Advance() {
    if (src_[pos_] == '\n') {
      ++line_;
      line_start_ = pos_ + 1;
    }
    ++pos_;
  }

  [[noreturn]] void Fail(size_t at, std::string_view what) const {
    // Column of `at` within its line; `at` may lie after the current line start.
    size_t line_start = line_start_;
    uint32_t line = line_;
    for (size_t i = line_start_; i < at && i < src_.size(); ++i) {
      if (src_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    ThrowSyntax("line {}:{} {}", line, at - line_start, what);
  }

  void SkipSpaceAndComments() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        Advance();
      } else if ((c == '-' && At(pos_ + 1) == '-') || (c == '/' && At(pos_ + 1) == '/')) {
        while (pos_ < src_.size() && src_[pos_] != '\n') Advance();
      } else if (c == '/' && At(pos_ + 1) == '*') {
        size_t start = pos_;
        pos_ += 2;
        while (pos_ < src_.size() && !(src_[pos_] == '*' && At(pos_ + 1) == '/')) Advance();
        if (pos_ >= src_.size()) Fail(start, "unterminated comment");
        pos_ += 2;
      } else {
        break;
      }
    }
  }

  Token Make(TokenKind kind, size_t start, uint32_t line, size_t line_start) {
    Token t;
    t.kind = kind;
    t.raw = src_.substr(start, pos_ - start);
    t.line = line;
    t.column = static_cast<uint32_t>(start - line_start);
    t.offset = static_cast<uint32_t>(start);
    return t;
  }

  Token Lex() {
    const size_t start = pos_;
    const uint32_t line = line_;
    const size_t line_start = line_start_;
    const char c = src_[pos_];

    if (c == '\'') return LexQuoted(start, '\'', TokenKind::kString);
    if (c == '"') return LexQuoted(start, '"', TokenKind::kQuotedName);
    if (c == '$' && At(pos_ + 1) == '$') return LexDollarString(start);

    if (IsAlpha(c) || IsDigit(c) || c == '_') {
      // Uuids may start with a letter or a digit, so they are tried before
      // identifiers and numbers (Cassandra's lexer does the same).
      if (size_t n = MatchUuid(pos_); n) {
        pos_ += n;
        Token t = Make(TokenKind::kUuid, start, line, line_start);
        t.text = std::string(t.raw);
        return t;
      }
      if (IsDigit(c)) return LexNumberLike(start, line, line_start);
      if ((c == 'p' || c == 'P')) {
        if (size_t n = MatchIsoDuration(pos_); n) {
          pos_ += n;
          Token t = Make(TokenKind::kDuration, start, line, line_start);
          t.text = std::string(t.raw);
          return t;
        }
      }
      while (pos_ < src_.size() && IsIdentChar(src_[pos_])) ++pos_;
      Token t = Make(TokenKind::kIdentifier, start, line, line_start);
      t.text.resize(t.raw.size());
      for (size_t i = 0; i < t.raw.size(); ++i) t.text[i] = Lower(t.raw[i]);
      return t;
    }

    TokenKind kind;
    size_t len = 1;
    switch (c) {
      case '(':
        kind = TokenKind::kLParen;
        break;
      case ')':
        kind = TokenKind::kRParen;
        break;
      case '[':
        kind = TokenKind::kLBracket;
        break;
      case ']':
        kind = TokenKind::kRBracket;
        break;
      case '{':
        kind = TokenKind::kLBrace;
        break;
      case '}':
        kind = TokenKind::kRBrace;
        break;
      case ',':
        kind = TokenKind::kComma;
        break;
      case ';':
        kind = TokenKind::kSemicolon;
        break;
      case '.':
        kind = TokenKind::kDot;
        break;
      case ':':
        kind = TokenKind::kColon;
        break;
      case '*':
        kind = TokenKind::kStar;
        break;
      case '?':
        kind = TokenKind::kQmark;
        break;
      case '=':
        kind = TokenKind::kEq;
        break;
      case '+':
        kind = At(pos_ + 1) == '=' ? TokenKind::kPlusEq : TokenKind::kPlus;
        len = kind == TokenKind::kPlusEq ? 2 : 1;
        break;
      case '-':
        kind = At(pos_ + 1) == '=' ? TokenKind::kMinusEq : TokenKind::kMinus;
        len = kind == TokenKind::kMinusEq ? 2 : 1;
        break;
      case '<':
        if (At(pos_ + 1) == '=') {
          kind = TokenKind::kLe;
          len = 2;
        } else if (At(pos_ + 1) == '>') {
          kind = TokenKind::kLtGt;
          len = 2;
        } else {
          kind = TokenKind::kLt;
        }
        break;
      case '>':
        kind = At(pos_ + 1) == '=' ? TokenKind::kGe : TokenKind::kGt;
        len = kind == TokenKind::kGe ? 2 : 1;
        break;
      case '!':
        if (At(pos_ + 1) != '=') Fail(pos_, "token recognition error at: '!'");
        kind = TokenKind::kNe;
        len = 2;
        break;
      // '/', '%' and '||' are SQL operators; CQL's grammar rejects them as
      // unexpected tokens. "//" never gets here: it is a comment.
      case '/':
        kind = TokenKind::kSlash;
        break;
      case '%':
        kind = TokenKind::kPercent;
        break;
      case '|':
        if (At(pos_ + 1) != '|') Fail(pos_, "token recognition error at: '|'");
        kind = TokenKind::kConcat;
        len = 2;
        break;
      default: {
        // Show the whole UTF-8 sequence of a multi-byte character.
        size_t n = 1;
        while (pos_ + n < src_.size() &&
               (static_cast<unsigned char>(src_[pos_ + n]) & 0xC0) == 0x80) {
          ++n;
        }
        Fail(pos_, "token recognition error at: '" + std::string(src_.substr(pos_, n)) + "'");
      }
    }
    pos_ += len;
    return Make(kind, start, line, line_start);
  }

  // '...' with '' escapes, or "..." with "" escapes.
  Token LexQuoted(size_t start, char quote, TokenKind kind) {
    const uint32_t line = line_;
    const size_t line_start = line_start_;
    std::string text;
    Advance();  // opening quote
    while (true) {
      if (pos_ >= src_.size()) {
        Fail(pos_, std::string("mismatched character '<EOF>' expecting '") + quote + "'");
      }
      char ch = src_[pos_];
      if (ch == quote) {
        if (At(pos_ + 1) == quote) {
          text += quote;
          pos_ += 2;
          continue;
        }
        Advance();
        break;
      }
      text += ch;
      Advance();
    }
    if (kind == TokenKind::kQuotedName && text.empty()) {
      Fail(start, "no viable alternative at input '\"\"'");
    }
    Token t = Make(kind, start, line, line_start);
    t.text = std::move(text);
    return t;
  }

  // $$...$$ (no escapes).
  Token LexDollarString(size_t start) {
    const uint32_t line = line_;
    const size_t line_start = line_start_;
    pos_ += 2;
    size_t body = pos_;
    while (pos_ < src_.size() && !(src_[pos_] == '$' && At(pos_ + 1) == '$')) Advance();
    if (pos_ >= src_.size()) Fail(pos_, "mismatched character '<EOF>' expecting '$'");
    std::string text(src_.substr(body, pos_ - body));
    pos_ += 2;
    Token t = Make(TokenKind::kString, start, line, line_start);
    t.text = std::move(text);
    return t;
  }

  // Length of a uuid (8-4-4-4-12 hex digits) at `at` not followed by an
  // identifier character, else 0.
  size_t MatchUuid(size_t at) const {
    constexpr size_t kLen = 36;
    if (src_.size() - at < kLen) return 0;
    for (size_t i = 0; i < kLen; ++i) {
      char ch = src_[at + i];
      if (i == 8 || i == 13 || i == 18 || i == 23) {
        if (ch != '-') return 0;
      } else if (!IsHex(ch)) {
        return 0;
      }
    }
    if (IsIdentChar(At(at + kLen))) return 0;
    return kLen;
  }

  // Length of a duration unit at `at` (y mo w d h m s ms us µs ns), longest first.
  size_t MatchDurationUnit(size_t at) const {
    char a = Lower(At(at));
    char b = Lower(At(at + 1));
    if ((a == 'm' && (b == 'o' || b == 's')) || ((a == 'u' || a == 'n') && b == 's')) return 2;
    // U+00B5 MICRO SIGN is two bytes in UTF-8.
    if (static_cast<unsigned char>(At(at)) == 0xC2 &&
        static_cast<unsigned char>(At(at + 1)) == 0xB5 && Lower(At(at + 2)) == 's') {
      return 3;
    }
    if (a == 'y' || a == 'w' || a == 'd' || a == 'h' || a == 'm' || a == 's') return 1;
    return 0;
  }

  // Length of a "12h30m" style duration at `at` (which starts with a digit), else 0.
  size_t MatchUnitDuration(size_t at) const {
    size_t p = at;
    bool any = false;
    while (IsDigit(At(p))) {
      size_t q = p;
      while (IsDigit(At(q))) ++q;
      size_t u = MatchDurationUnit(q);
      if (!u) return 0;
      p = q + u;
      any = true;
    }
    if (!any || IsIdentChar(At(p)) || static_cast<unsigned char>(At(p)) >= 0x80) return 0;
    return p - at;
  }

  // Length of an ISO 8601 duration (P1Y2M3DT4H5M6S, P2W, P0001-02-03T04:05:06) at `at`, else 0.
  size_t MatchIsoDuration(size_t at) const {
    size_t p = at + 1;
    auto digits = [&](size_t q) {
      size_t n = 0;
      while (IsDigit(At(q + n))) ++n;
      return n;
    };
    auto ends = [&](size_t q) { return !IsIdentChar(At(q)) && At(q) != '-' && At(q) != ':'; };
    // Alternative format P0001-01-01T00:00:00.
    if (digits(p) == 4 && At(p + 4) == '-' && digits(p + 5) == 2 && At(p + 7) == '-' &&
        digits(p + 8) == 2 && Lower(At(p + 10)) == 't' && digits(p + 11) == 2 &&
        At(p + 13) == ':' && digits(p + 14) == 2 && At(p + 16) == ':' && digits(p + 17) == 2 &&
        ends(p + 19)) {
      return p + 19 - at;
    }
    // Week format P2W.
    if (size_t n = digits(p); n && Lower(At(p + n)) == 'w' && ends(p + n + 1)) return n + 2;
    // P[nY][nM][nD][T[nH][nM][nS]] with at least one component.
    bool any = false;
    auto components = [&](std::string_view units) {
      size_t unit = 0;
      while (size_t n = digits(p)) {
        char u = Lower(At(p + n));
        size_t k = units.find(u, unit);
        if (k == std::string_view::npos) return false;
        unit = k + 1;
        p += n + 1;
        any = true;
      }
      return true;
    };
    if (!components("ymd")) return 0;
    if (Lower(At(p)) == 't') {
      ++p;
      bool before = any;
      any = false;
      if (!components("hms") || !any) return 0;
      any = any || before;
    }
    if (!any || !ends(p)) return 0;
    return p - at;
  }

  Token LexNumberLike(size_t start, uint32_t line, size_t line_start) {
    if (src_[pos_] == '0' && (At(pos_ + 1) == 'x' || At(pos_ + 1) == 'X')) {
      pos_ += 2;
      while (IsHex(At(pos_))) ++pos_;
      Token t = Make(TokenKind::kHex, start, line, line_start);
      t.text = std::string(t.raw);
      return t;
    }
    if (size_t n = MatchUnitDuration(pos_); n) {
      pos_ += n;
      Token t = Make(TokenKind::kDuration, start, line, line_start);
      t.text = std::string(t.raw);
      return t;
    }
    while (IsDigit(At(pos_))) ++pos_;
    bool is_float = false;
    if (At(pos_) == '.' && !IsAlpha(At(pos_ + 1))) {
      // "1." and "1.5" are floats; "1.e" would be a member access, which CQL
      // does not have, so a letter after the dot ends the number.
      is_float = true;
      ++pos_;
      while (IsDigit(At(pos_))) ++pos_;
    }
    if (Lower(At(pos_)) == 'e') {
      size_t q = pos_ + 1;
      if (At(q) == '+' || At(q) == '-') ++q;
      if (IsDigit(At(q))) {
        is_float = true;
        pos_ = q;
        while (IsDigit(At(pos_))) ++pos_;
      }
    }
    Token t = Make(is_float ? TokenKind::kFloat : TokenKind::kInteger, start, line, line_start);
    t.text = std::string(t.raw);
    return t;
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

std::vector<Token> Tokenize(std::string_view cql) {
  return Lexer(cql).Run();
}

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kIdentifier:
      return "IDENT";
    case TokenKind::kQuotedName:
      return "QUOTED_NAME";
    case TokenKind::kString:
      return "STRING_LITERAL";
    case TokenKind::kInteger:
      return "INTEGER";
    case TokenKind::kFloat:
      return "FLOAT";
    case TokenKind::kUuid:
      return "UUID";
    case TokenKind::kHex:
      return "HEXNUMBER";
    case TokenKind::kDuration:
      return "DURATION";
    case TokenKind::kQmark:
      return "QMARK";
    case TokenKind::kLParen:
      return "'('";
    case TokenKind::kRParen:
      return "')'";
    case TokenKind::kLBracket:
      return "'['";
    case TokenKind::kRBracket:
      return "']'";
    case TokenKind::kLBrace:
      return "'{'";
    case TokenKind::kRBrace:
      return "'}'";
    case TokenKind::kComma:
      return "','";
    case TokenKind::kSemicolon:
      return "';'";
    case TokenKind::kDot:
      return "'.'";
    case TokenKind::kColon:
      return "':'";
    case TokenKind::kStar:
      return "'*'";
    case TokenKind::kPlus:
      return "'+'";
    case TokenKind::kMinus:
      return "'-'";
    case TokenKind::kPlusEq:
      return "'+='";
    case TokenKind::kMinusEq:
      return "'-='";
    case TokenKind::kEq:
      return "'='";
    case TokenKind::kNe:
      return "'!='";
    case TokenKind::kLt:
      return "'<'";
    case TokenKind::kLe:
      return "'<='";
    case TokenKind::kGt:
      return "'>'";
    case TokenKind::kGe:
      return "'>='";
    case TokenKind::kSlash:
      return "'/'";
    case TokenKind::kPercent:
      return "'%'";
    case TokenKind::kConcat:
      return "'||'";
    case TokenKind::kLtGt:
      return "'<>'";
    case TokenKind::kEof:
      return "EOF";
  }
  return "?";
}

}  // namespace helenus::cql
