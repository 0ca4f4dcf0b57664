#include "helenus/cql/parser.h"

#include <algorithm>
#include <array>

#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "parser_internal.h"

namespace helenus::cql {
namespace detail {

namespace {

// Cassandra's reserved keywords (plus the boolean literals), sorted for
// binary search. Every other word, including unreserved keywords such as
// `key`, `value`, `ttl` or `type`, may be used as an unquoted identifier.
constexpr std::string_view kReserved[] = {
    "add",      "allow",    "alter",    "and",          "apply",       "asc",    "authorize",
    "batch",    "begin",    "by",       "columnfamily", "create",      "delete", "desc",
    "describe", "drop",     "entries",  "execute",      "false",       "from",   "full",
    "grant",    "if",       "in",       "index",        "infinity",    "insert", "into",
    "keyspace", "limit",    "modify",   "nan",          "norecursive", "not",    "null",
    "of",       "on",       "or",       "order",        "primary",     "rename", "replace",
    "revoke",   "schema",   "select",   "set",          "table",       "to",     "token",
    "true",     "truncate", "unlogged", "update",       "use",         "using",  "view",
    "where",    "with",
};
static_assert(std::is_sorted(std::begin(kReserved), std::end(kReserved)));

bool IsLiteralWord(std::string_view w) {
  return w == "true" || w == "false" || w == "null" || w == "nan" || w == "infinity";
}

}  // namespace

bool IsReservedKeyword(std::string_view w) {
  return std::binary_search(std::begin(kReserved), std::end(kReserved), w);
}

DepthGuard::DepthGuard(int& depth, const Token& at) : depth_(depth) {
  if (++depth_ > kMaxDepth) {
    --depth_;
    ThrowSyntax("line {}:{} expression nested too deeply (more than {} levels)", at.line, at.column,
                kMaxDepth);
  }
}

Parser::Parser(std::string_view src) : src_(src), toks_(Tokenize(src)) {}

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
  if (!At(kind)) FailMismatch(TokenKindName(kind));
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

bool Parser::AtIdent(size_t ahead) const {
  const Token& t = Peek(ahead);
  if (t.kind == TokenKind::kQuotedName) return true;
  return t.kind == TokenKind::kIdentifier && !IsReservedKeyword(t.text);
}

std::string Parser::Ident() {
  if (!AtIdent()) {
    if (At(TokenKind::kIdentifier) || At(TokenKind::kEof)) FailMismatch("IDENT");
    FailNoViable();
  }
  return Next().text;
}

namespace {
std::string Shown(const Token& t) {
  return t.kind == TokenKind::kEof ? std::string("<EOF>") : std::string(t.raw);
}
}  // namespace

void Parser::FailMismatch(std::string_view expecting) const {
  const Token& t = Peek();
  ThrowSyntax("line {}:{} mismatched input '{}' expecting {}", t.line, t.column, Shown(t),
              expecting);
}

void Parser::FailNoViable() const {
  const Token& t = Peek();
  ThrowSyntax("line {}:{} no viable alternative at input '{}'", t.line, t.column, Shown(t));
}

// ---------------------------------------------------------------- shared pieces

ast::QualifiedName Parser::QualName() {
  ast::QualifiedName q;
  q.name = Ident();
  if (Accept(TokenKind::kDot)) {
    q.keyspace = std::move(q.name);
    q.name = Ident();
  }
  return q;
}

DataType Parser::Type() {
  DepthGuard guard(depth_, Peek());
  if (At(TokenKind::kString)) {
    DataType t = DataType::Of(TypeKind::kCustom);
    t.custom_class = Next().text;
    return t;
  }
  if (!At(TokenKind::kQuotedName) &&
      !(At(TokenKind::kIdentifier) && (!IsReservedKeyword(Peek().text) || AtKeyword("set")))) {
    FailNoViable();
  }
  const bool quoted = At(TokenKind::kQuotedName);
  std::string name = Next().text;
  if (!quoted) {
    auto params = [&](size_t min, size_t max) {
      Expect(TokenKind::kLt);
      std::vector<DataType> out;
      do {
        out.push_back(Type());
      } while (out.size() < max && Accept(TokenKind::kComma));
      if (out.size() < min) FailMismatch("','");
      Expect(TokenKind::kGt);
      return out;
    };
    if (name == "frozen") {
      auto p = params(1, 1);
      DataType t = std::move(p[0]);
      t.frozen = true;
      return t;
    }
    if (name == "list") return DataType::List(std::move(params(1, 1)[0]));
    if (name == "set") return DataType::Set(std::move(params(1, 1)[0]));
    if (name == "map") {
      auto p = params(2, 2);
      return DataType::Map(std::move(p[0]), std::move(p[1]));
    }
    if (name == "tuple") return DataType::Tuple(params(1, SIZE_MAX));
    if (auto t = ParseDataType(name)) return *t;
  }
  // Anything else names a user-defined type, possibly keyspace-qualified.
  if (Accept(TokenKind::kDot)) {
    if (!At(TokenKind::kIdentifier) && !At(TokenKind::kQuotedName)) FailMismatch("IDENT");
    name += '.';
    name += Next().text;
  }
  DataType t = DataType::Of(TypeKind::kUdt);
  t.custom_class = std::move(name);
  return t;
}

ast::Term Parser::BindMarkerTerm() {
  ast::BindMarker m;
  m.index = bind_names_.size();
  if (Accept(TokenKind::kQmark)) {
    bind_names_.emplace_back();
  } else {
    Expect(TokenKind::kColon);
    m.name = Ident();
    bind_names_.push_back(m.name);
  }
  return ast::Term{std::move(m)};
}

ast::Term Parser::NumberLiteral(bool negative) {
  const Token& t = Peek();
  ast::Literal lit;
  switch (t.kind) {
    case TokenKind::kInteger:
      lit.kind = ast::Literal::Kind::kInteger;
      break;
    case TokenKind::kFloat:
      lit.kind = ast::Literal::Kind::kFloat;
      break;
    case TokenKind::kDuration:
      lit.kind = ast::Literal::Kind::kDuration;
      break;
    case TokenKind::kIdentifier:
      if (t.text == "nan") {
        lit.kind = ast::Literal::Kind::kNaN;
        Next();
        lit.text = "NaN";
        return ast::Term{std::move(lit)};
      }
      if (t.text == "infinity") {
        lit.kind = ast::Literal::Kind::kInfinity;
        Next();
        lit.text = negative ? "-Infinity" : "Infinity";
        return ast::Term{std::move(lit)};
      }
      FailNoViable();
    default:
      FailNoViable();
  }
  lit.text.reserve(t.text.size() + 1);
  if (negative) lit.text += '-';
  lit.text += t.text;
  Next();
  return ast::Term{std::move(lit)};
}

namespace {
// True when `t` can name a function: unquoted non-reserved words, quoted
// names, and the reserved `token`.
bool IsFunctionName(const Token& t) {
  if (t.kind == TokenKind::kQuotedName) return true;
  return t.kind == TokenKind::kIdentifier && (!IsReservedKeyword(t.text) || t.text == "token");
}
}  // namespace

ast::Term Parser::FunctionCallTerm() {
  ast::FunctionCall f;
  f.name = Next().text;
  if (Accept(TokenKind::kDot)) {
    f.keyspace = std::move(f.name);
    if (!IsFunctionName(Peek())) FailMismatch("IDENT");
    f.name = Next().text;
  }
  Expect(TokenKind::kLParen);
  if (!Accept(TokenKind::kRParen)) {
    do {
      f.args.push_back(Term());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
  }
  return ast::Term{std::move(f)};
}

ast::Term Parser::BraceTerm() {
  Expect(TokenKind::kLBrace);
  ast::CollectionLiteral c;
  if (Accept(TokenKind::kRBrace)) {
    c.kind = ast::CollectionLiteral::Kind::kEmptyBraces;
    return ast::Term{std::move(c)};
  }
  // `{ident: ...}`: identifiers are never terms on their own, so this can
  // only be a user-defined type literal.
  if (AtIdent() && At(TokenKind::kColon, 1)) {
    ast::UserTypeLiteral u;
    do {
      std::string field = Ident();
      Expect(TokenKind::kColon);
      u.fields.emplace_back(std::move(field), Term());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRBrace);
    return ast::Term{std::move(u)};
  }
  ast::Term first = Term();
  if (Accept(TokenKind::kColon)) {
    c.kind = ast::CollectionLiteral::Kind::kMap;
    c.entries.emplace_back(std::move(first), Term());
    while (Accept(TokenKind::kComma)) {
      ast::Term k = Term();
      Expect(TokenKind::kColon);
      c.entries.emplace_back(std::move(k), Term());
    }
  } else {
    c.kind = ast::CollectionLiteral::Kind::kSet;
    c.elements.push_back(std::move(first));
    while (Accept(TokenKind::kComma)) c.elements.push_back(Term());
  }
  Expect(TokenKind::kRBrace);
  return ast::Term{std::move(c)};
}

ast::Term Parser::ParenTerm() {
  Expect(TokenKind::kLParen);
  // `(type) term` versus a tuple: a type starts with a word followed by ')',
  // '<' or '.name)', which no term does (a word in term position is only a
  // literal keyword or a function call).
  const Token& t = Peek();
  bool is_cast = false;
  if (t.kind == TokenKind::kQuotedName ||
      (t.kind == TokenKind::kIdentifier && !IsLiteralWord(t.text))) {
    if (At(TokenKind::kRParen, 1) || At(TokenKind::kLt, 1)) {
      is_cast = true;
    } else if (At(TokenKind::kDot, 1) &&
               (At(TokenKind::kIdentifier, 2) || At(TokenKind::kQuotedName, 2)) &&
               At(TokenKind::kRParen, 3)) {
      is_cast = true;
    }
  }
  if (is_cast) {
    DataType type = Type();
    Expect(TokenKind::kRParen);
    return ast::Term{ast::TypeCast{std::move(type), Term()}};
  }
  ast::TupleLiteral tuple;
  do {
    tuple.elements.push_back(Term());
  } while (Accept(TokenKind::kComma));
  Expect(TokenKind::kRParen);
  return ast::Term{std::move(tuple)};
}

ast::Term Parser::Term() {
  const Token& t = Peek();
  DepthGuard guard(depth_, t);
  switch (t.kind) {
    case TokenKind::kString: {
      ast::Literal lit{ast::Literal::Kind::kString, t.text};
      Next();
      return ast::Term{std::move(lit)};
    }
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kDuration:
      return NumberLiteral(false);
    case TokenKind::kUuid:
    case TokenKind::kHex: {
      ast::Literal lit{
          t.kind == TokenKind::kUuid ? ast::Literal::Kind::kUuid : ast::Literal::Kind::kHex,
          t.text};
      Next();
      return ast::Term{std::move(lit)};
    }
    case TokenKind::kMinus:
      Next();
      return NumberLiteral(true);
    case TokenKind::kQmark:
    case TokenKind::kColon:
      return BindMarkerTerm();
    case TokenKind::kLBracket: {
      Next();
      ast::CollectionLiteral c;
      c.kind = ast::CollectionLiteral::Kind::kList;
      if (!Accept(TokenKind::kRBracket)) {
        do {
          c.elements.push_back(Term());
        } while (Accept(TokenKind::kComma));
        Expect(TokenKind::kRBracket);
      }
      return ast::Term{std::move(c)};
    }
    case TokenKind::kLBrace:
      return BraceTerm();
    case TokenKind::kLParen:
      return ParenTerm();
    case TokenKind::kIdentifier:
      if (t.text == "true" || t.text == "false") {
        ast::Literal lit{ast::Literal::Kind::kBoolean, t.text};
        Next();
        return ast::Term{std::move(lit)};
      }
      if (t.text == "null") {
        Next();
        return ast::Term{ast::Null{}};
      }
      if (t.text == "nan" || t.text == "infinity") return NumberLiteral(false);
      [[fallthrough]];
    case TokenKind::kQuotedName:
      if (IsFunctionName(t) &&
          (At(TokenKind::kLParen, 1) ||
           (At(TokenKind::kDot, 1) && IsFunctionName(Peek(2)) && At(TokenKind::kLParen, 3)))) {
        return FunctionCallTerm();
      }
      FailNoViable();
    default:
      FailNoViable();
  }
}

ast::Relation::Op Parser::CompareOp() {
  using Op = ast::Relation::Op;
  Op op;
  switch (Peek().kind) {
    case TokenKind::kEq:
      op = Op::kEq;
      break;
    case TokenKind::kLt:
      op = Op::kLt;
      break;
    case TokenKind::kLe:
      op = Op::kLe;
      break;
    case TokenKind::kGt:
      op = Op::kGt;
      break;
    case TokenKind::kGe:
      op = Op::kGe;
      break;
    case TokenKind::kNe:
      op = Op::kNe;
      break;
    default:
      FailNoViable();
  }
  Next();
  return op;
}

std::vector<ast::Term> Parser::InValues() {
  std::vector<ast::Term> values;
  if (At(TokenKind::kQmark) || At(TokenKind::kColon)) {
    values.push_back(BindMarkerTerm());
    return values;
  }
  Expect(TokenKind::kLParen);
  if (!Accept(TokenKind::kRParen)) {
    do {
      values.push_back(Term());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
  }
  return values;
}

ast::Relation Parser::Relation() {
  using Op = ast::Relation::Op;
  ast::Relation r;
  if (AtKeyword("token") && At(TokenKind::kLParen, 1)) {
    Next();
    Next();
    r.kind = ast::Relation::Kind::kToken;
    do {
      r.columns.push_back(Ident());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
    r.op = CompareOp();
    r.values.push_back(Term());
    return r;
  }
  if (Accept(TokenKind::kLParen)) {
    r.kind = ast::Relation::Kind::kMultiColumn;
    do {
      r.columns.push_back(Ident());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
    if (AcceptKeyword("in")) {
      r.op = Op::kIn;
      r.values = InValues();
    } else {
      r.op = CompareOp();
      r.values.push_back(Term());
    }
    return r;
  }
  r.columns.push_back(Ident());
  if (Accept(TokenKind::kLBracket)) {
    r.map_key = Term();
    Expect(TokenKind::kRBracket);
  }
  if (AcceptKeyword("in")) {
    r.op = Op::kIn;
    r.values = InValues();
  } else if (AcceptKeyword("contains")) {
    r.op = AcceptKeyword("key") ? Op::kContainsKey : Op::kContains;
    r.values.push_back(Term());
  } else if (AcceptKeyword("like")) {
    r.op = Op::kLike;
    r.values.push_back(Term());
  } else if (AtKeyword("is") && AtKeyword("not", 1)) {
    Next();
    Next();
    ExpectKeyword("null");
    r.op = Op::kIsNotNull;
  } else {
    r.op = CompareOp();
    r.values.push_back(Term());
  }
  return r;
}

std::vector<ast::Relation> Parser::WhereClause() {
  std::vector<ast::Relation> out;
  do {
    out.push_back(Relation());
  } while (AcceptKeyword("and"));
  return out;
}

void Parser::UsingInto(ast::UsingClause& out) {
  ExpectKeyword("using");
  do {
    if (AcceptKeyword("ttl")) {
      out.ttl = Term();
    } else if (AcceptKeyword("timestamp")) {
      out.timestamp = Term();
    } else {
      FailMismatch("K_TTL");
    }
  } while (AcceptKeyword("and"));
}

ast::UsingClause Parser::Using() {
  ast::UsingClause u;
  UsingInto(u);
  return u;
}

bool Parser::IfNotExists() {
  if (AtKeyword("if") && AtKeyword("not", 1) && AtKeyword("exists", 2)) {
    pos_ += 3;
    return true;
  }
  return false;
}

bool Parser::IfExists() {
  if (AtKeyword("if") && AtKeyword("exists", 1)) {
    pos_ += 2;
    return true;
  }
  return false;
}

void Parser::Conditions(bool& if_exists, std::vector<ast::Condition>& out) {
  // After IF: `EXISTS`, unless `exists` is a column being compared.
  if (AtKeyword("exists")) {
    TokenKind k = Peek(1).kind;
    bool column = k == TokenKind::kEq || k == TokenKind::kNe || k == TokenKind::kLt ||
                  k == TokenKind::kLe || k == TokenKind::kGt || k == TokenKind::kGe ||
                  k == TokenKind::kLBracket || k == TokenKind::kDot || AtKeyword("in", 1) ||
                  AtKeyword("contains", 1);
    if (!column) {
      Next();
      if_exists = true;
      return;
    }
  }
  do {
    ast::Condition c;
    c.column = Ident();
    if (Accept(TokenKind::kLBracket)) {
      c.element = Term();
      Expect(TokenKind::kRBracket);
    } else if (Accept(TokenKind::kDot)) {
      c.field = Ident();
    }
    if (AcceptKeyword("in")) {
      c.op = ast::Operator::kIn;
      c.values = InValues();
    } else if (AcceptKeyword("contains")) {
      c.op = AcceptKeyword("key") ? ast::Operator::kContainsKey : ast::Operator::kContains;
      c.values.push_back(Term());
    } else {
      c.op = CompareOp();
      c.values.push_back(Term());
    }
    out.push_back(std::move(c));
  } while (AcceptKeyword("and"));
}

ast::PropertyValue Parser::PropertyValueText() {
  DepthGuard guard(depth_, Peek());
  ast::PropertyValue v;
  if (At(TokenKind::kLBrace)) {
    const uint32_t start = Peek().offset;
    Next();
    v.is_map = true;
    if (!At(TokenKind::kRBrace)) {
      do {
        ast::PropertyValue key = PropertyValueText();
        Expect(TokenKind::kColon);
        ast::PropertyValue value = PropertyValueText();
        v.map[key.text] = std::move(value.text);
      } while (Accept(TokenKind::kComma));
    }
    const Token& close = Expect(TokenKind::kRBrace);
    v.text = std::string(src_.substr(start, close.offset + close.raw.size() - start));
    return v;
  }
  const Token& t = Peek();
  switch (t.kind) {
    case TokenKind::kString:
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kUuid:
    case TokenKind::kHex:
    case TokenKind::kDuration:
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedName:
      v.text = t.text;
      break;
    case TokenKind::kMinus:
      Next();
      if (!At(TokenKind::kInteger) && !At(TokenKind::kFloat)) FailNoViable();
      v.text = "-" + Peek().text;
      break;
    default:
      FailNoViable();
  }
  Next();
  return v;
}

std::pair<std::string, ast::PropertyValue> Parser::Property() {
  std::string name;
  if (AtIdent()) {
    name = Ident();
  } else {
    FailMismatch("IDENT");
  }
  Expect(TokenKind::kEq);
  return {std::move(name), PropertyValueText()};
}

ast::UnsupportedStatement Parser::Unsupported(std::string kind) {
  while (!At(TokenKind::kEof) && !At(TokenKind::kSemicolon)) Next();
  return ast::UnsupportedStatement{std::move(kind)};
}

// ---------------------------------------------------------------- DML

ast::SelectorExpr Parser::SelectorExpr() {
  DepthGuard guard(depth_, Peek());
  ast::SelectorExpr base;
  if (AtKeyword("cast") && At(TokenKind::kLParen, 1)) {
    Next();
    Next();
    ast::SelectorExpr inner = SelectorExpr();
    ExpectKeyword("as");
    DataType type = Type();
    Expect(TokenKind::kRParen);
    base.value = ast::CastSelector{std::move(inner), std::move(type)};
  } else if (AtKeyword("count") && At(TokenKind::kLParen, 1) && At(TokenKind::kStar, 2)) {
    pos_ += 3;
    Expect(TokenKind::kRParen);
    ast::FunctionSelector f;
    f.name = "count";
    f.star = true;
    base.value = std::move(f);
  } else if (IsFunctionName(Peek()) &&
             (At(TokenKind::kLParen, 1) ||
              (At(TokenKind::kDot, 1) && IsFunctionName(Peek(2)) && At(TokenKind::kLParen, 3)))) {
    ast::FunctionSelector f;
    f.name = Next().text;
    if (Accept(TokenKind::kDot)) {
      f.keyspace = std::move(f.name);
      f.name = Next().text;
    }
    Expect(TokenKind::kLParen);
    if (!Accept(TokenKind::kRParen)) {
      do {
        f.args.push_back(SelectorExpr());
      } while (Accept(TokenKind::kComma));
      Expect(TokenKind::kRParen);
    }
    base.value = std::move(f);
  } else if (AtIdent()) {
    base.value = ast::ColumnRef{Ident()};
  } else {
    base.value = Term();
  }
  // Postfix field and element access: u.street, m['k'], u.phones[0].
  while (true) {
    ast::SelectorExpr outer;
    if (At(TokenKind::kDot) && AtIdent(1)) {
      Next();
      std::string field = Ident();
      outer.value = ast::FieldSelector{std::move(base), std::move(field)};
    } else if (Accept(TokenKind::kLBracket)) {
      ast::Term key = Term();
      Expect(TokenKind::kRBracket);
      outer.value = ast::ElementSelector{std::move(base), std::move(key)};
    } else {
      break;
    }
    base = std::move(outer);
  }
  return base;
}

ast::Select Parser::Select() {
  ExpectKeyword("select");
  ast::Select s;
  // JSON and DISTINCT are unreserved: `SELECT json FROM t` selects a column.
  auto is_modifier = [&](std::string_view kw) {
    if (!AtKeyword(kw)) return false;
    const Token& n = Peek(1);
    return !(AtKeyword("from", 1) || AtKeyword("as", 1) || n.kind == TokenKind::kComma ||
             n.kind == TokenKind::kLParen || n.kind == TokenKind::kDot ||
             n.kind == TokenKind::kLBracket || n.kind == TokenKind::kEof);
  };
  if (is_modifier("json")) {
    Next();
    s.json = true;
  }
  if (is_modifier("distinct")) {
    Next();
    s.distinct = true;
  }
  if (!Accept(TokenKind::kStar)) {
    do {
      ast::Selector sel{SelectorExpr(), {}};
      if (AcceptKeyword("as")) sel.alias = Ident();
      s.selectors.push_back(std::move(sel));
    } while (Accept(TokenKind::kComma));
  }
  ExpectKeyword("from");
  s.table = QualName();
  if (AcceptKeyword("where")) s.where = WhereClause();
  if (AtKeyword("group") && AtKeyword("by", 1)) {
    pos_ += 2;
    do {
      s.group_by.push_back(Ident());
    } while (Accept(TokenKind::kComma));
  }
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    do {
      std::string col = Ident();
      bool desc = false;
      if (AcceptKeyword("desc")) {
        desc = true;
      } else {
        AcceptKeyword("asc");
      }
      s.order_by.emplace_back(std::move(col), desc);
    } while (Accept(TokenKind::kComma));
  }
  if (AtKeyword("per") && AtKeyword("partition", 1)) {
    pos_ += 2;
    ExpectKeyword("limit");
    s.per_partition_limit = Term();
  }
  if (AcceptKeyword("limit")) s.limit = Term();
  if (AcceptKeyword("allow")) {
    ExpectKeyword("filtering");
    s.allow_filtering = true;
  }
  return s;
}

ast::Insert Parser::Insert() {
  ExpectKeyword("insert");
  ExpectKeyword("into");
  ast::Insert ins;
  ins.table = QualName();
  if (AcceptKeyword("json")) {
    ins.json = true;
    ins.values.push_back(Term());
    if (AcceptKeyword("default")) {
      if (AcceptKeyword("unset")) {
        ins.json_default_unset = true;
      } else {
        ExpectKeyword("null");
      }
    }
  } else {
    Expect(TokenKind::kLParen);
    do {
      ins.columns.push_back(Ident());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
    ExpectKeyword("values");
    Expect(TokenKind::kLParen);
    do {
      ins.values.push_back(Term());
    } while (Accept(TokenKind::kComma));
    Expect(TokenKind::kRParen);
    if (ins.columns.size() != ins.values.size()) ThrowInvalid("Unmatched column names/values");
  }
  // Cassandra's grammar puts IF NOT EXISTS before USING; accept either order.
  for (int i = 0; i < 2; ++i) {
    if (!ins.if_not_exists && AtKeyword("if")) {
      if (!IfNotExists()) {
        Next();
        ExpectKeyword("not");
        ExpectKeyword("exists");
      }
      ins.if_not_exists = true;
    } else if (AtKeyword("using")) {
      UsingInto(ins.using_clause);
    }
  }
  return ins;
}

ast::Assignment Parser::Assignment() {
  using Op = ast::Assignment::Op;
  ast::Assignment a;
  a.column = Ident();
  if (Accept(TokenKind::kLBracket)) {
    a.key = Term();
    Expect(TokenKind::kRBracket);
    Expect(TokenKind::kEq);
    a.op = Op::kSetElement;
    a.value = Term();
    return a;
  }
  if (Accept(TokenKind::kDot)) {
    a.field = Ident();
    Expect(TokenKind::kEq);
    a.value = Term();
    return a;
  }
  if (Accept(TokenKind::kPlusEq)) {
    a.op = Op::kAdd;
    a.value = Term();
    return a;
  }
  if (Accept(TokenKind::kMinusEq)) {
    a.op = Op::kSubtract;
    a.value = Term();
    return a;
  }
  Expect(TokenKind::kEq);
  // `c = c + t` / `c = c - t`: a bare column name on the right (never a term).
  if (AtIdent() && (At(TokenKind::kPlus, 1) || At(TokenKind::kMinus, 1))) {
    if (Peek().text != a.column) {
      // Cassandra reports this from its grammar, hence a syntax error.
      ThrowSyntax("line {}:{} Only expressions of the form X = X {}<value> are supported.",
                  Peek().line, Peek().column, At(TokenKind::kPlus, 1) ? "+" : "-");
    }
    Next();
    a.op = Next().kind == TokenKind::kPlus ? Op::kAdd : Op::kSubtract;
    a.value = Term();
    return a;
  }
  a.value = Term();
  if (Accept(TokenKind::kPlus)) {
    const Token& rhs = Peek();
    std::string name = Ident();
    if (name != a.column) {
      ThrowSyntax("line {}:{} Only expressions of the form X = <value> + X are supported.",
                  rhs.line, rhs.column);
    }
    a.op = Op::kPrepend;
  }
  return a;
}

ast::Update Parser::Update() {
  ExpectKeyword("update");
  ast::Update u;
  u.table = QualName();
  if (AtKeyword("using")) UsingInto(u.using_clause);
  ExpectKeyword("set");
  do {
    u.assignments.push_back(Assignment());
  } while (Accept(TokenKind::kComma));
  ExpectKeyword("where");
  u.where = WhereClause();
  if (AcceptKeyword("if")) Conditions(u.if_exists, u.if_conditions);
  return u;
}

ast::Delete Parser::Delete() {
  ExpectKeyword("delete");
  ast::Delete d;
  if (!AtKeyword("from")) {
    do {
      ast::DeleteTarget t;
      t.column = Ident();
      if (Accept(TokenKind::kLBracket)) {
        t.element = Term();
        Expect(TokenKind::kRBracket);
      } else if (Accept(TokenKind::kDot)) {
        t.field = Ident();
      }
      d.columns.push_back(std::move(t));
    } while (Accept(TokenKind::kComma));
  }
  ExpectKeyword("from");
  d.table = QualName();
  if (AtKeyword("using")) UsingInto(d.using_clause);
  ExpectKeyword("where");
  d.where = WhereClause();
  if (AcceptKeyword("if")) Conditions(d.if_exists, d.if_conditions);
  return d;
}

ast::Batch Parser::Batch() {
  ExpectKeyword("begin");
  ast::Batch b;
  if (AcceptKeyword("unlogged")) {
    b.type = ast::Batch::Type::kUnlogged;
  } else if (AcceptKeyword("counter")) {
    b.type = ast::Batch::Type::kCounter;
  }
  ExpectKeyword("batch");
  if (AtKeyword("using")) UsingInto(b.using_clause);
  while (!AtKeyword("apply")) {
    if (AtKeyword("insert")) {
      b.statements.emplace_back(Insert());
    } else if (AtKeyword("update")) {
      b.statements.emplace_back(Update());
    } else if (AtKeyword("delete")) {
      b.statements.emplace_back(Delete());
    } else if (At(TokenKind::kEof)) {
      FailMismatch("K_APPLY");
    } else {
      FailNoViable();
    }
    while (Accept(TokenKind::kSemicolon)) {
    }
  }
  ExpectKeyword("apply");
  ExpectKeyword("batch");
  return b;
}

// ---------------------------------------------------------------- dispatch

ast::Statement Parser::Statement() {
  const Token& t = Peek();
  if (t.kind != TokenKind::kIdentifier) FailNoViable();
  const std::string& w = t.text;
  if (w == "select") return Select();
  if (w == "insert") return Insert();
  if (w == "update") return Update();
  if (w == "delete") return Delete();
  if (w == "begin") return Batch();
  if (w == "use") {
    Next();
    return ast::UseStatement{Ident()};
  }
  if (w == "create") return Create();
  if (w == "alter") return Alter();
  if (w == "drop") return Drop();
  if (w == "truncate") {
    Next();
    if (!AcceptKeyword("table")) AcceptKeyword("columnfamily");
    return ast::TruncateTable{QualName()};
  }
  if (w == "grant" || w == "revoke" || w == "list") {
    std::string kind = AsciiUpper(w);
    if (w == "list" && Peek(1).kind == TokenKind::kIdentifier)
      kind += " " + AsciiUpper(Peek(1).text);
    return Unsupported(std::move(kind));
  }
  FailNoViable();
}

ParsedStatement Parser::ParseTop() {
  if (At(TokenKind::kEof)) FailNoViable();
  ParsedStatement out;
  out.stmt = Statement();
  while (Accept(TokenKind::kSemicolon)) {
  }
  if (!At(TokenKind::kEof)) FailMismatch("EOF");
  out.bind_count = bind_names_.size();
  out.bind_names = std::move(bind_names_);
  return out;
}

}  // namespace detail

ParsedStatement ParseStatement(std::string_view cql) {
  return detail::Parser(cql).ParseTop();
}

std::vector<std::string> SplitStatements(std::string_view script) {
  std::vector<std::string> out;
  auto is_word = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  auto lower = [](std::string_view s) {
    std::string r(s);
    for (char& c : r) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return r;
  };
  size_t start = 0;
  size_t i = 0;
  // Batches contain ';' between their statements: inside BEGIN ... BATCH a
  // ';' only ends the piece right after APPLY BATCH.
  std::vector<std::string> words;  // significant words of the current piece (first 3 + last 2)
  size_t word_count = 0;
  std::string prev_word, last_word;
  bool has_content = false;
  auto in_batch = [&]() { return word_count > 0 && words[0] == "begin"; };
  auto flush = [&](size_t end) {
    if (has_content) {
      std::string_view piece = script.substr(start, end - start);
      size_t b = piece.find_first_not_of(" \t\r\n\f\v");
      size_t e = piece.find_last_not_of(" \t\r\n\f\v");
      out.emplace_back(piece.substr(b, e - b + 1));
    }
    words.clear();
    word_count = 0;
    prev_word.clear();
    last_word.clear();
    has_content = false;
  };
  const size_t n = script.size();
  while (i < n) {
    char c = script[i];
    if ((c == '-' && i + 1 < n && script[i + 1] == '-') ||
        (c == '/' && i + 1 < n && script[i + 1] == '/')) {
      while (i < n && script[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < n && script[i + 1] == '*') {
      size_t e = script.find("*/", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == '\'' || c == '"') {
      has_content = true;
      ++i;
      while (i < n) {
        if (script[i] == c) {
          if (i + 1 < n && script[i + 1] == c) {
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        ++i;
      }
    } else if (c == '$' && i + 1 < n && script[i + 1] == '$') {
      has_content = true;
      size_t e = script.find("$$", i + 2);
      i = e == std::string_view::npos ? n : e + 2;
    } else if (c == ';') {
      bool ends = !in_batch() || (prev_word == "apply" && last_word == "batch");
      if (ends) {
        flush(i);
        start = i + 1;
      }
      ++i;
    } else if (is_word(c)) {
      has_content = true;
      size_t b = i;
      while (i < n && is_word(script[i])) ++i;
      std::string w = lower(script.substr(b, i - b));
      if (word_count < 1) words.push_back(w);
      ++word_count;
      prev_word = std::move(last_word);
      last_word = std::move(w);
    } else {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') {
        has_content = true;
        // Punctuation between APPLY and BATCH would break the pair.
        prev_word = std::move(last_word);
        last_word.clear();
      }
      ++i;
    }
  }
  flush(n);
  return out;
}

}  // namespace helenus::cql
