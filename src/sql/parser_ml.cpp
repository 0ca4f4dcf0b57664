// ML statements: CREATE MODEL, EVALUATE, PREDICT, RECOMMEND, DESCRIBE MODEL,
// DROP MODEL, EXPORT MODEL, IMPORT MODEL. The grammar is documented in docs/ml-statements.md.

#include <cctype>
#include <cstdlib>

#include "helenus/common/error.h"
#include "sql/parser_internal.h"

namespace helenus::sql::detail {

bool Parser::AtModelStatement() const {
  if (AtKeyword("evaluate") || AtKeyword("predict") || AtKeyword("recommend")) return true;
  if ((AtKeyword("export") || AtKeyword("import")) && AtKeyword("model", 1)) return true;
  if (AtKeyword("create") && AtKeyword("or", 1)) {
    return AtKeyword("replace", 2) && AtKeyword("model", 3);
  }
  return (AtKeyword("create") || AtKeyword("describe") || AtKeyword("drop")) &&
         AtKeyword("model", 1);
}

cql::ast::QualifiedName Parser::QualifiedNameRule() {
  cql::ast::QualifiedName out;
  out.name = Name();
  if (Accept(TokenKind::kDot)) {
    out.keyspace = std::move(out.name);
    out.name = Name();
  }
  return out;
}

namespace {

double NumberText(const Token& t) {
  return std::strtod(std::string(t.text).c_str(), nullptr);
}

}  // namespace

ml::ParamValue Parser::OptionValue() {
  const bool negative = Accept(TokenKind::kMinus);
  if (At(TokenKind::kInteger) || At(TokenKind::kFloat)) {
    const double v = NumberText(Next());
    return negative ? -v : v;
  }
  if (negative) FailMismatch("a number");
  if (At(TokenKind::kString)) return std::string(Next().text);
  if (AcceptKeyword("true")) return true;
  if (AcceptKeyword("false")) return false;
  if (Accept(TokenKind::kLBracket)) {
    std::vector<double> list;
    if (!At(TokenKind::kRBracket)) {
      do {
        const bool neg = Accept(TokenKind::kMinus);
        if (!At(TokenKind::kInteger) && !At(TokenKind::kFloat)) FailMismatch("a number");
        const double v = NumberText(Next());
        list.push_back(neg ? -v : v);
      } while (Accept(TokenKind::kComma));
    }
    Expect(TokenKind::kRBracket);
    return list;
  }
  // A bare word reads as a string: `impurity = entropy`.
  if (At(TokenKind::kIdentifier)) return std::string(Next().text);
  FailNoViable();
}

CreateModel Parser::CreateModelRule() {
  ExpectKeyword("create");
  CreateModel out;
  if (AcceptKeyword("or")) {
    ExpectKeyword("replace");
    out.or_replace = true;
  }
  ExpectKeyword("model");
  if (AcceptKeyword("if")) {
    ExpectKeyword("not");
    ExpectKeyword("exists");
    out.if_not_exists = true;
  }
  out.model = QualifiedNameRule();
  ExpectKeyword("using");
  out.estimator = Name();
  if (AcceptKeyword("with")) {
    do {
      ModelOption opt;
      opt.name = Name();
      Expect(TokenKind::kEq);
      opt.value = OptionValue();
      out.options.push_back(std::move(opt));
    } while (AcceptKeyword("and"));
  }
  ExpectKeyword("as");
  if (!AtQuery()) FailNoViable();
  const size_t start = Peek().offset;
  out.query = QueryRule();
  const size_t end = At(TokenKind::kEof) ? src_.size() : Peek().offset;
  out.query_text = std::string(src_.substr(start, end - start));
  while (!out.query_text.empty() &&
         std::isspace(static_cast<unsigned char>(out.query_text.back()))) {
    out.query_text.pop_back();
  }
  return out;
}

Statement Parser::ModelStatementRule() {
  if (AtKeyword("create")) return CreateModelRule();
  if (AcceptKeyword("evaluate")) {
    ExpectKeyword("model");
    EvaluateModel out;
    out.model = QualifiedNameRule();
    if (AcceptKeyword("on")) {
      if (!AtQuery()) FailNoViable();
      out.on = QueryRule();
    }
    return out;
  }
  if (AcceptKeyword("predict")) {
    AcceptKeyword("model");
    PredictModel out;
    out.model = QualifiedNameRule();
    if (AcceptKeyword("on")) {
      if (!AtQuery()) FailNoViable();
      out.on = QueryRule();
    }
    if (AcceptKeyword("into")) out.into = QualifiedNameRule();
    return out;
  }
  if (AcceptKeyword("recommend")) {
    AcceptKeyword("model");
    RecommendModel out;
    out.model = QualifiedNameRule();
    ExpectKeyword("for");
    if (AcceptKeyword("users")) {
      out.for_users = true;
    } else if (AcceptKeyword("items")) {
      out.for_users = false;
    } else {
      FailMismatch("USERS or ITEMS");
    }
    if (AcceptKeyword("limit")) out.limit = NonNegativeInteger("LIMIT");
    if (AcceptKeyword("into")) out.into = QualifiedNameRule();
    return out;
  }
  if (AcceptKeyword("export")) {
    ExpectKeyword("model");
    ExportModel out;
    out.model = QualifiedNameRule();
    ExpectKeyword("to");
    out.path = std::string(Expect(TokenKind::kString).text);
    return out;
  }
  if (AcceptKeyword("import")) {
    ExpectKeyword("model");
    ImportModel out;
    out.model = QualifiedNameRule();
    ExpectKeyword("from");
    out.path = std::string(Expect(TokenKind::kString).text);
    return out;
  }
  if (AcceptKeyword("describe")) {
    ExpectKeyword("model");
    DescribeModel out;
    out.model = QualifiedNameRule();
    if (AcceptKeyword("artifact")) {
      out.artifact = Name();
      if (AcceptKeyword("into")) out.into = QualifiedNameRule();
    }
    return out;
  }
  ExpectKeyword("drop");
  ExpectKeyword("model");
  DropModel out;
  if (AcceptKeyword("if")) {
    ExpectKeyword("exists");
    out.if_exists = true;
  }
  out.model = QualifiedNameRule();
  return out;
}

}  // namespace helenus::sql::detail
