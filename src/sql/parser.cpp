#include "helenus/sql/parser.h"

#include <algorithm>
#include <iterator>

#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/cql/parser.h"
#include "sql/parser_internal.h"

namespace helenus::sql {
namespace detail {
namespace {

// Words with a structural role in the grammar, sorted for binary search.
// Reserving only these keeps most CQL column names (key, value, count, date,
// ...) usable unquoted, while `FROM t left JOIN u` can never read `left` as an
// alias.
constexpr std::string_view kReserved[] = {
    "all",   "allow",  "and",    "anti",     "as",    "asc",      "between", "by",        "case",
    "cast",  "cross",  "desc",   "distinct", "else",  "end",      "except",  "false",     "from",
    "full",  "group",  "having", "ilike",    "in",    "infinity", "inner",   "intersect", "into",
    "is",    "join",   "left",   "like",     "limit", "nan",      "natural", "not",       "null",
    "nulls", "offset", "on",     "or",       "order", "outer",    "right",   "select",    "semi",
    "then",  "true",   "union",  "using",    "when",  "where",    "with",
};

std::string Shown(const Token& t) {
  return t.kind == TokenKind::kEof ? std::string("<EOF>") : std::string(t.raw);
}

}  // namespace

static_assert(std::is_sorted(std::begin(kReserved), std::end(kReserved)));

bool IsSqlReserved(std::string_view w) {
  return std::binary_search(std::begin(kReserved), std::end(kReserved), w);
}

DepthGuard::DepthGuard(int& depth, const Token& at) : depth_(depth) {
  if (++depth_ > kMaxDepth) {
    --depth_;
    ThrowSyntax("line {}:{} statement nested too deeply (more than {} levels)", at.line, at.column,
                kMaxDepth);
  }
}

Parser::Parser(std::string_view src) : src_(src), toks_(cql::Tokenize(src)) {}

// ---------------------------------------------------------------- tokens

const Token& Parser::Peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < toks_.size() ? toks_[i] : toks_.back();
}

const Token& Parser::Next() {
  const Token& t = toks_[pos_];
  if (pos_ + 1 < toks_.size()) ++pos_;
  return t;
}

bool Parser::Accept(TokenKind kind) {
  if (!At(kind)) return false;
  Next();
  return true;
}

const Token& Parser::Expect(TokenKind kind) {
  if (!At(kind)) FailMismatch(cql::TokenKindName(kind));
  return Next();
}

bool Parser::AtKeyword(std::string_view kw, size_t ahead) const {
  const Token& t = Peek(ahead);
  return t.kind == TokenKind::kIdentifier && t.text == kw;
}

bool Parser::AcceptKeyword(std::string_view kw) {
  if (!AtKeyword(kw)) return false;
  Next();
  return true;
}

void Parser::ExpectKeyword(std::string_view kw) {
  if (!AcceptKeyword(kw)) FailMismatch("K_" + AsciiUpper(kw));
}

bool Parser::AtName(size_t ahead) const {
  const Token& t = Peek(ahead);
  if (t.kind == TokenKind::kQuotedName) return true;
  return t.kind == TokenKind::kIdentifier && !IsSqlReserved(t.text);
}

std::string Parser::Name() {
  if (!AtName()) {
    if (At(TokenKind::kIdentifier) || At(TokenKind::kEof)) FailMismatch("IDENT");
    FailNoViable();
  }
  return Next().text;
}

void Parser::FailMismatch(std::string_view expecting) const {
  const Token& t = Peek();
  ThrowSyntax("line {}:{} mismatched input '{}' expecting {}", t.line, t.column, Shown(t),
              expecting);
}

void Parser::FailNoViable() const {
  const Token& t = Peek();
  ThrowSyntax("line {}:{} no viable alternative at input '{}'", t.line, t.column, Shown(t));
}

void Parser::FailAt(const Token& t, std::string_view what) const {
  ThrowSyntax("line {}:{} {}", t.line, t.column, what);
}

// ---------------------------------------------------------------- statements

Statement Parser::ParseTop() {
  Statement out = StatementRule();
  while (Accept(TokenKind::kSemicolon)) {
  }
  if (!At(TokenKind::kEof)) FailMismatch("EOF");
  return out;
}

Statement Parser::StatementRule() {
  if (AtQuery()) return Select{QueryRule()};
  if (AtModelStatement()) return ModelStatementRule();
  if (AtKeyword("insert")) return InsertSelectRule();
  if (AtKeyword("create")) return CreateTableAsRule();
  if (AcceptKeyword("explain")) {
    if (!AtQuery()) FailNoViable();
    return Explain{QueryRule()};
  }
  FailNoViable();
}

InsertSelect Parser::InsertSelectRule() {
  ExpectKeyword("insert");
  ExpectKeyword("into");
  InsertSelect out;
  out.table.name = Name();
  if (Accept(TokenKind::kDot)) {
    out.table.keyspace = std::move(out.table.name);
    out.table.name = Name();
  }
  if (At(TokenKind::kLParen) && !AtQuery()) {
    Next();
    do {
      out.columns.push_back(Name());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
  }
  if (!AtQuery()) FailNoViable();
  out.query = QueryRule();
  return out;
}

CreateTableAs Parser::CreateTableAsRule() {
  ExpectKeyword("create");
  ExpectKeyword("table");
  // The table definition is CQL: find the AS that follows it at the top
  // level (after the column list) and let the CQL parser read the prefix, so
  // that both statements accept exactly the same definitions.
  size_t as = pos_;
  int parens = 0;
  bool after_columns = false;
  for (; toks_[as].kind != TokenKind::kEof; ++as) {
    const Token& t = toks_[as];
    if (t.kind == TokenKind::kLParen) {
      ++parens;
    } else if (t.kind == TokenKind::kRParen) {
      if (--parens == 0) after_columns = true;
    } else if (parens == 0 && after_columns && t.kind == TokenKind::kIdentifier && t.text == "as") {
      break;
    }
  }
  if (toks_[as].kind == TokenKind::kEof) {
    pos_ = as;
    FailMismatch("K_AS");
  }
  std::string_view ddl = src_.substr(0, toks_[as].offset);
  cql::ParsedStatement prefix = cql::ParseStatement(ddl);
  auto* table = std::get_if<cql::ast::CreateTable>(&prefix.stmt);
  if (!table) FailNoViable();
  CreateTableAs out;
  out.table = std::move(*table);
  while (!ddl.empty() &&
         (ddl.back() == ' ' || ddl.back() == '\n' || ddl.back() == '\t' || ddl.back() == '\r')) {
    ddl.remove_suffix(1);
  }
  out.ddl = std::string(ddl);
  pos_ = as + 1;
  if (!AtQuery()) FailNoViable();
  out.query = QueryRule();
  return out;
}

}  // namespace detail

Statement Parse(std::string_view text) {
  return detail::Parser(text).ParseTop();
}

}  // namespace helenus::sql
