#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "sql/parser_internal.h"

// Expressions, loosest first: OR < AND < NOT < comparisons, IS, IN, BETWEEN,
// LIKE < || < + - < * / % < unary - < primaries.

namespace helenus::sql::detail {

using exec::ExprPtr;

ExprPtr Parser::Track(ExprPtr e, const Token& at) {
  int depth = 0;
  for (const auto& a : e->args) {
    auto it = expr_depth_.find(a.get());
    depth = std::max(depth, it == expr_depth_.end() ? 1 : it->second);
  }
  if (++depth > kMaxExprDepth) {
    FailAt(at, fmt::format("expression nested too deeply (more than {} levels)", kMaxExprDepth));
  }
  expr_depth_[e.get()] = depth;
  return e;
}

ExprPtr Parser::Call(std::string name, std::vector<ExprPtr> args, const Token& at) {
  return Track(exec::Expr::Call(std::move(name), std::move(args)), at);
}

ExprPtr Parser::Expr() {
  DepthGuard guard(depth_, Peek());
  return OrExpr();
}

ExprPtr Parser::OrExpr() {
  ExprPtr left = AndExpr();
  while (AtKeyword("or")) {
    const Token& op = Next();
    left = Call("or", {std::move(left), AndExpr()}, op);
  }
  return left;
}

ExprPtr Parser::AndExpr() {
  ExprPtr left = NotExpr();
  while (AtKeyword("and")) {
    const Token& op = Next();
    left = Call("and", {std::move(left), NotExpr()}, op);
  }
  return left;
}

ExprPtr Parser::NotExpr() {
  if (!AtKeyword("not")) return Predicate();
  const Token& op = Next();
  DepthGuard guard(depth_, op);
  return Call("not", {NotExpr()}, op);
}

namespace {
// The operator name of a comparison token; "" for other tokens.
std::string_view ComparisonName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kEq:
      return "=";
    case TokenKind::kNe:
    case TokenKind::kLtGt:
      return "!=";
    case TokenKind::kLt:
      return "<";
    case TokenKind::kLe:
      return "<=";
    case TokenKind::kGt:
      return ">";
    case TokenKind::kGe:
      return ">=";
    default:
      return "";
  }
}
}  // namespace

ExprPtr Parser::Predicate() {
  ExprPtr left = ConcatExpr();
  while (true) {
    const Token& op = Peek();
    if (std::string_view cmp = ComparisonName(op.kind); !cmp.empty()) {
      Next();
      left = Call(std::string(cmp), {std::move(left), ConcatExpr()}, op);
      continue;
    }
    if (AtKeyword("is")) {
      Next();
      bool negated = AcceptKeyword("not");
      ExpectKeyword("null");
      left = Call(negated ? "is_not_null" : "is_null", {std::move(left)}, op);
      continue;
    }
    const bool negated = AtKeyword("not") && (AtKeyword("in", 1) || AtKeyword("between", 1) ||
                                              AtKeyword("like", 1) || AtKeyword("ilike", 1));
    if (negated) Next();
    if (AcceptKeyword("in")) {
      Expect(TokenKind::kLParen);
      if (AtQuery()) FailAt(Peek(), "IN (subquery) is not supported; use a LEFT SEMI JOIN");
      std::vector<ExprPtr> args{std::move(left)};
      do {
        args.push_back(Expr());
      } while (Accept(TokenKind::kComma));
      Expect(TokenKind::kRParen);
      left = Call(negated ? "not_in" : "in", std::move(args), op);
    } else if (AcceptKeyword("between")) {
      ExprPtr low = ConcatExpr();
      ExpectKeyword("and");
      ExprPtr high = ConcatExpr();
      left = Call(negated ? "not_between" : "between",
                  {std::move(left), std::move(low), std::move(high)}, op);
    } else if (AcceptKeyword("like")) {
      left = Call(negated ? "not_like" : "like", {std::move(left), ConcatExpr()}, op);
    } else if (AcceptKeyword("ilike")) {
      left = Call(negated ? "not_ilike" : "ilike", {std::move(left), ConcatExpr()}, op);
    } else {
      return left;
    }
  }
}

ExprPtr Parser::ConcatExpr() {
  ExprPtr left = AdditiveExpr();
  while (At(TokenKind::kConcat)) {
    const Token& op = Next();
    left = Call("||", {std::move(left), AdditiveExpr()}, op);
  }
  return left;
}

ExprPtr Parser::AdditiveExpr() {
  ExprPtr left = MultiplicativeExpr();
  while (At(TokenKind::kPlus) || At(TokenKind::kMinus)) {
    const Token& op = Next();
    left =
        Call(op.kind == TokenKind::kPlus ? "+" : "-", {std::move(left), MultiplicativeExpr()}, op);
  }
  return left;
}

ExprPtr Parser::MultiplicativeExpr() {
  ExprPtr left = UnaryExpr();
  while (At(TokenKind::kStar) || At(TokenKind::kSlash) || At(TokenKind::kPercent)) {
    const Token& op = Next();
    std::string name = op.kind == TokenKind::kStar ? "*" : op.kind == TokenKind::kSlash ? "/" : "%";
    left = Call(std::move(name), {std::move(left), UnaryExpr()}, op);
  }
  return left;
}

ExprPtr Parser::UnaryExpr() {
  if (!At(TokenKind::kMinus) && !At(TokenKind::kPlus)) return Primary();
  const Token& op = Next();
  DepthGuard guard(depth_, op);
  if (op.kind == TokenKind::kPlus) return UnaryExpr();
  // A minus sign directly before a number is part of the literal, so that
  // -9223372036854775808 is a bigint and -1 prints as -1, not neg(1).
  if (At(TokenKind::kInteger) || At(TokenKind::kFloat) || At(TokenKind::kDuration) ||
      AtKeyword("infinity") || AtKeyword("nan")) {
    return NumberLiteral(true);
  }
  return Call("neg", {UnaryExpr()}, op);
}

namespace {
bool IsTypedLiteralWord(std::string_view w) {
  return w == "date" || w == "timestamp" || w == "time";
}
}  // namespace

ExprPtr Parser::Primary() {
  const Token& t = Peek();
  switch (t.kind) {
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kDuration:
      return NumberLiteral(false);
    case TokenKind::kString:
      Next();
      return Track(exec::Expr::Text(t.text), t);
    case TokenKind::kUuid:
      Next();
      return Track(exec::Expr::Literal(DataType::Of(TypeKind::kUuid), cql::ParseUuid(t.text)), t);
    case TokenKind::kHex: {
      Next();
      std::string_view hex = std::string_view(t.text).substr(2);
      if (hex.size() % 2 != 0)
        FailAt(t, "invalid blob constant " + t.text + ": odd number of digits");
      Bytes bytes;
      bytes.reserve(hex.size() / 2);
      auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
      for (size_t i = 0; i < hex.size(); i += 2) {
        bytes += static_cast<char>(nibble(hex[i]) << 4 | nibble(hex[i + 1]));
      }
      return Track(exec::Expr::Literal(DataType::Of(TypeKind::kBlob), std::move(bytes)), t);
    }
    case TokenKind::kLParen: {
      Next();
      if (AtQuery()) FailAt(Peek(), "subqueries are only supported in FROM");
      ExprPtr e = Expr();
      Expect(TokenKind::kRParen);
      return e;
    }
    case TokenKind::kIdentifier:
      if (t.text == "true" || t.text == "false") {
        Next();
        return Track(exec::Expr::Bool(t.text == "true"), t);
      }
      if (t.text == "null") {
        Next();
        return Track(exec::Expr::Null(), t);
      }
      if (t.text == "nan" || t.text == "infinity") return NumberLiteral(false);
      if (t.text == "case") return CaseExpr();
      if (t.text == "cast" && At(TokenKind::kLParen, 1)) return CastExpr();
      if (IsTypedLiteralWord(t.text) && At(TokenKind::kString, 1)) {
        Next();
        const Token& s = Next();
        Bytes b = t.text == "date"        ? cql::ParseDate(s.text)
                  : t.text == "timestamp" ? cql::ParseTimestamp(s.text)
                                          : cql::ParseTime(s.text);
        TypeKind kind = t.text == "date"        ? TypeKind::kDate
                        : t.text == "timestamp" ? TypeKind::kTimestamp
                                                : TypeKind::kTime;
        return Track(exec::Expr::Literal(DataType::Of(kind), std::move(b)), t);
      }
      // LEFT and RIGHT are join keywords, but also string functions.
      if (IsSqlReserved(t.text) &&
          !((t.text == "left" || t.text == "right") && At(TokenKind::kLParen, 1))) {
        FailNoViable();
      }
      [[fallthrough]];
    case TokenKind::kQuotedName:
      if (At(TokenKind::kLParen, 1)) return FunctionCall();
      return ColumnRef();
    default:
      FailNoViable();
  }
}

ExprPtr Parser::NumberLiteral(bool negative) {
  const Token& t = Next();
  const std::string text = negative ? "-" + t.text : t.text;
  switch (t.kind) {
    case TokenKind::kInteger: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && end == text.data() + text.size()) {
        return Track(exec::Expr::Int(v), t);
      }
      // Beyond 64 bits: an arbitrary-precision integer, as CQL reads it.
      return Track(exec::Expr::Literal(DataType::Of(TypeKind::kVarint), cql::ParseVarint(text)), t);
    }
    case TokenKind::kFloat:
      return Track(exec::Expr::Double(std::strtod(text.c_str(), nullptr)), t);
    case TokenKind::kDuration:
      return Track(exec::Expr::Literal(DataType::Of(TypeKind::kDuration), cql::ParseDuration(text)),
                   t);
    default:
      break;
  }
  if (t.text == "nan")
    return Track(exec::Expr::Double(std::numeric_limits<double>::quiet_NaN()), t);
  const double inf = std::numeric_limits<double>::infinity();
  return Track(exec::Expr::Double(negative ? -inf : inf), t);
}

ExprPtr Parser::FunctionCall() {
  const Token& name = Next();
  Expect(TokenKind::kLParen);
  std::vector<ExprPtr> args;
  bool distinct = false;
  if (Accept(TokenKind::kStar)) {
    args.push_back(exec::Expr::Star());
    Expect(TokenKind::kRParen);
  } else if (!Accept(TokenKind::kRParen)) {
    if (AcceptKeyword("distinct")) {
      distinct = true;
    } else {
      AcceptKeyword("all");
    }
    do {
      args.push_back(Expr());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
  }
  return Track(exec::Expr::Call(name.text, std::move(args), distinct), name);
}

ExprPtr Parser::CastExpr() {
  const Token& cast = Next();
  Expect(TokenKind::kLParen);
  ExprPtr value = Expr();
  ExpectKeyword("as");
  DataType type = TypeName();
  Expect(TokenKind::kRParen);
  return Track(exec::Expr::Cast(std::move(value), std::move(type)), cast);
}

DataType Parser::TypeName() {
  const Token& first = Peek();
  if (first.kind != TokenKind::kIdentifier) FailMismatch("a type");
  Next();
  const Token* last = &first;
  if (At(TokenKind::kLt)) {
    // Collect the balanced <...> and let ParseDataType read the text.
    int open = 0;
    do {
      if (At(TokenKind::kEof)) FailMismatch("'>'");
      if (At(TokenKind::kLt)) ++open;
      if (At(TokenKind::kGt)) --open;
      last = &Next();
    } while (open > 0);
  }
  std::string_view text = src_.substr(first.offset, last->offset + last->raw.size() - first.offset);
  std::optional<DataType> type = ParseDataType(text);
  if (!type) FailAt(first, fmt::format("unknown type '{}'", text));
  return *type;
}

ExprPtr Parser::CaseExpr() {
  const Token& kw = Next();
  ExprPtr operand;
  if (!AtKeyword("when")) operand = Expr();
  std::vector<std::pair<ExprPtr, ExprPtr>> whens;
  while (AtKeyword("when")) {
    const Token& when = Next();
    ExprPtr condition = Expr();
    // CASE x WHEN v THEN ... is CASE WHEN x = v THEN ...
    if (operand) condition = Call("=", {operand, std::move(condition)}, when);
    ExpectKeyword("then");
    ExprPtr value = Expr();
    whens.emplace_back(std::move(condition), std::move(value));
  }
  if (whens.empty()) FailMismatch("K_WHEN");
  ExprPtr otherwise;
  if (AcceptKeyword("else")) otherwise = Expr();
  ExpectKeyword("end");
  return Track(exec::Expr::Case(std::move(whens), std::move(otherwise)), kw);
}

ExprPtr Parser::ColumnRef() {
  const Token& first = Peek();
  auto col = std::make_shared<exec::Expr>();
  col->kind = exec::ExprKind::kColumn;
  col->name = Name();
  if (Accept(TokenKind::kDot)) {
    col->qualifier = std::move(col->name);
    col->name = Name();
  }
  return Track(std::move(col), first);
}

}  // namespace helenus::sql::detail
