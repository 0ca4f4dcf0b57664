#pragma once

// The recursive-descent SQL parser shared by parser.cpp (tokens and
// statements), parser_query.cpp (queries, FROM) and parser_expr.cpp
// (expressions and literals). Not a public header.

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "helenus/cql/lexer.h"
#include "helenus/sql/ast.h"

namespace helenus::sql::detail {

using cql::Token;
using cql::TokenKind;

// True for words that cannot be bare column names or implicit aliases.
bool IsSqlReserved(std::string_view lowercase_word);

// Parses one statement from the tokens of the CQL lexer.
class Parser {
 public:
  // `src` must outlive the parser.
  explicit Parser(std::string_view src);

  // Parses the whole input as one statement with an optional trailing ';'.
  Statement ParseTop();

 private:
  // --- tokens (parser.cpp) ---
  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool At(TokenKind kind, size_t ahead = 0) const { return Peek(ahead).kind == kind; }
  bool Accept(TokenKind kind);
  const Token& Expect(TokenKind kind);
  // Keywords: unquoted identifiers compared by their lowercased text.
  bool AtKeyword(std::string_view kw, size_t ahead = 0) const;
  bool AcceptKeyword(std::string_view kw);
  void ExpectKeyword(std::string_view kw);
  // A name: quoted, or unquoted and not reserved.
  bool AtName(size_t ahead = 0) const;
  std::string Name();
  [[noreturn]] void FailMismatch(std::string_view expecting) const;
  [[noreturn]] void FailNoViable() const;
  [[noreturn]] void FailAt(const Token& t, std::string_view what) const;

  // --- statements (parser.cpp) ---
  Statement StatementRule();
  InsertSelect InsertSelectRule();
  CreateTableAs CreateTableAsRule();
  // --- ML statements (parser_ml.cpp) ---
  // True at CREATE MODEL, EVALUATE, PREDICT, RECOMMEND, DESCRIBE MODEL or DROP MODEL.
  bool AtModelStatement() const;
  Statement ModelStatementRule();
  CreateModel CreateModelRule();
  cql::ast::QualifiedName QualifiedNameRule();
  ml::ParamValue OptionValue();

  // --- queries (parser_query.cpp) ---
  // True when the tokens from `ahead` start a query: SELECT, or '('s then SELECT.
  bool AtQuery(size_t ahead = 0) const;
  Query QueryRule();
  // A SELECT block or a parenthesised query.
  Query QueryTerm();
  SelectCore SelectCoreRule();
  SelectItem SelectItemRule();
  // An optional `[AS] alias` after a select item or a FROM item.
  std::string OptionalAlias();
  TableRefPtr FromList();
  TableRefPtr JoinedTableRef();
  TableRefPtr TablePrimary();
  TableRefPtr JoinRest(TableRefPtr left, JoinKind kind);
  void OrderByLimit(Query& q);
  int64_t NonNegativeInteger(std::string_view clause);

  // --- expressions (parser_expr.cpp) ---
  exec::ExprPtr Expr();
  exec::ExprPtr OrExpr();
  exec::ExprPtr AndExpr();
  exec::ExprPtr NotExpr();
  exec::ExprPtr Predicate();
  exec::ExprPtr ConcatExpr();
  exec::ExprPtr AdditiveExpr();
  exec::ExprPtr MultiplicativeExpr();
  exec::ExprPtr UnaryExpr();
  exec::ExprPtr Primary();
  exec::ExprPtr NumberLiteral(bool negative);
  exec::ExprPtr FunctionCall();
  exec::ExprPtr CastExpr();
  exec::ExprPtr CaseExpr();
  exec::ExprPtr ColumnRef();
  DataType TypeName();
  // Records the depth of a new node; throws when the tree grows too deep.
  exec::ExprPtr Track(exec::ExprPtr e, const Token& at);
  exec::ExprPtr Call(std::string name, std::vector<exec::ExprPtr> args, const Token& at);

  std::string_view src_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;  // nesting of recursive rules, bounded by DepthGuard
  // Depth of each expression node built so far, so that long operator chains
  // cannot build a tree whose recursive walks (bind, print, free) overflow the stack.
  std::unordered_map<const exec::Expr*, int> expr_depth_;
};

// Bounds recursion so that hostile input fails with a syntax error instead
// of exhausting the stack of a server thread.
class DepthGuard {
 public:
  // Enters one nesting level; throws CqlError(kSyntax) past kMaxDepth.
  DepthGuard(int& depth, const Token& at);
  ~DepthGuard() { --depth_; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;

  // Deep enough for any real statement, shallow enough for small stacks.
  static constexpr int kMaxDepth = 100;

 private:
  int& depth_;
};

// The deepest expression tree the parser builds.
inline constexpr int kMaxExprDepth = 500;

}  // namespace helenus::sql::detail
