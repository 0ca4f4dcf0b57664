#pragma once

// The recursive-descent CQL parser shared by parser.cpp (core, terms, DML,
// SELECT) and parser_ddl.cpp (schema statements). Not a public header.

#include <string>
#include <string_view>
#include <vector>

#include "helenus/cql/ast.h"
#include "helenus/cql/lexer.h"
#include "helenus/cql/parser.h"

namespace helenus::cql::detail {

// True for Cassandra's reserved keywords, which cannot be unquoted identifiers.
bool IsReservedKeyword(std::string_view lowercase_word);

// Parses one statement from a token stream; tracks bind markers.
class Parser {
 public:
  // `src` must outlive the parser.
  explicit Parser(std::string_view src);

  // Parses the whole input as one statement with an optional trailing ';'.
  ParsedStatement ParseTop();

 private:
  // --- token access ---
  const Token& Peek(size_t ahead = 0) const;
  const Token& Next();
  bool At(TokenKind kind, size_t ahead = 0) const { return Peek(ahead).kind == kind; }
  bool Accept(TokenKind kind);
  const Token& Expect(TokenKind kind);
  // Keywords: unquoted identifiers compared case-insensitively (`kw` lowercase).
  bool AtKeyword(std::string_view kw, size_t ahead = 0) const;
  bool AcceptKeyword(std::string_view kw);
  void ExpectKeyword(std::string_view kw);
  // An identifier usable as a name: quoted, or unquoted and not reserved.
  bool AtIdent(size_t ahead = 0) const;
  std::string Ident();
  [[noreturn]] void FailMismatch(std::string_view expecting) const;
  [[noreturn]] void FailNoViable() const;

  // --- shared pieces ---
  ast::QualifiedName QualName();
  DataType Type();
  ast::Term Term();
  ast::Term NumberLiteral(bool negative);
  ast::Term BindMarkerTerm();
  ast::Term FunctionCallTerm();
  ast::Term BraceTerm();
  ast::Term ParenTerm();
  ast::Relation::Op CompareOp();
  std::vector<ast::Term> InValues();
  std::vector<ast::Relation> WhereClause();
  ast::Relation Relation();
  ast::UsingClause Using();
  void UsingInto(ast::UsingClause& out);
  void Conditions(bool& if_exists, std::vector<ast::Condition>& out);
  bool IfNotExists();
  bool IfExists();
  // A WITH property value; fills `text`, and `map` for map literals.
  ast::PropertyValue PropertyValueText();
  std::pair<std::string, ast::PropertyValue> Property();

  // --- statements ---
  ast::Statement Statement();
  ast::Select Select();
  ast::SelectorExpr SelectorExpr();
  ast::Insert Insert();
  ast::Update Update();
  ast::Assignment Assignment();
  ast::Delete Delete();
  ast::Batch Batch();
  ast::Statement Create();
  ast::Statement Alter();
  ast::Statement Drop();
  ast::CreateKeyspace CreateKeyspace();
  ast::AlterKeyspace AlterKeyspace();
  ast::CreateTable CreateTable();
  ast::AlterTable AlterTable();
  ast::CreateIndex CreateIndex(bool custom);
  ast::CreateType CreateType();
  ast::ColumnDef ColumnDefinition();
  // Consumes the rest of the statement for a recognised but unsupported form.
  ast::UnsupportedStatement Unsupported(std::string kind);

  std::string_view src_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::vector<std::string> bind_names_;
  int depth_ = 0;  // nesting of recursive rules, bounded by DepthGuard
};

// Bounds recursion so that hostile input ("[[[[...") fails with a syntax
// error instead of exhausting the stack of a server thread.
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

}  // namespace helenus::cql::detail
