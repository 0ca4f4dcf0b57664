#include <charconv>

#include "helenus/common/error.h"
#include "sql/parser_internal.h"

namespace helenus::sql::detail {

bool Parser::AtQuery(size_t ahead) const {
  while (At(TokenKind::kLParen, ahead)) ++ahead;
  return AtKeyword("select", ahead);
}

Query Parser::QueryRule() {
  DepthGuard guard(depth_, Peek());
  Query q = QueryTerm();
  while (AcceptKeyword("union")) {
    bool all = AcceptKeyword("all");
    if (!all) AcceptKeyword("distinct");
    Query right = QueryTerm();
    Query u;
    u.body = SetOperation{std::make_shared<const Query>(std::move(q)),
                          std::make_shared<const Query>(std::move(right)), all};
    q = std::move(u);
  }
  if (AtKeyword("order") || AtKeyword("limit") || AtKeyword("offset")) {
    // `(... LIMIT 5) ORDER BY x` sorts the five rows: the inner clauses run first.
    if (!q.order_by.empty() || q.limit || q.offset != 0) {
      Query outer;
      outer.body = std::make_shared<const Query>(std::move(q));
      q = std::move(outer);
    }
    OrderByLimit(q);
  }
  if (AcceptKeyword("allow")) {
    ExpectKeyword("filtering");
    q.allow_filtering = true;
  }
  return q;
}

Query Parser::QueryTerm() {
  if (Accept(TokenKind::kLParen)) {
    Query q = QueryRule();
    Expect(TokenKind::kRParen);
    return q;
  }
  Query q;
  q.body = SelectCoreRule();
  return q;
}

SelectCore Parser::SelectCoreRule() {
  ExpectKeyword("select");
  SelectCore s;
  if (AcceptKeyword("distinct")) {
    s.distinct = true;
  } else {
    AcceptKeyword("all");
  }
  do {
    s.items.push_back(SelectItemRule());
  } while (Accept(TokenKind::kComma));
  ExpectKeyword("from");
  s.from = FromList();
  if (AcceptKeyword("where")) s.where = Expr();
  if (AcceptKeyword("group")) {
    ExpectKeyword("by");
    do {
      s.group_by.push_back(Expr());
    } while (Accept(TokenKind::kComma));
  }
  if (AcceptKeyword("having")) s.having = Expr();
  return s;
}

SelectItem Parser::SelectItemRule() {
  SelectItem item;
  if (Accept(TokenKind::kStar)) {
    item.star = true;
    return item;
  }
  if (AtName() && At(TokenKind::kDot, 1) && At(TokenKind::kStar, 2)) {
    item.star = true;
    item.star_qualifier = Next().text;
    pos_ += 2;
    return item;
  }
  item.expr = Expr();
  item.alias = OptionalAlias();
  return item;
}

std::string Parser::OptionalAlias() {
  if (AcceptKeyword("as")) {
    // After AS any word is a name: `count(*) AS count`, `x AS end`.
    if (!At(TokenKind::kIdentifier) && !At(TokenKind::kQuotedName)) FailMismatch("IDENT");
    return Next().text;
  }
  if (AtName()) return Next().text;
  return {};
}

// ---------------------------------------------------------------- FROM

TableRefPtr Parser::FromList() {
  TableRefPtr left = JoinedTableRef();
  while (Accept(TokenKind::kComma)) {
    TableRefPtr right = JoinedTableRef();
    left = std::make_shared<const TableRef>(
        TableRef{JoinedTable{std::move(left), std::move(right), JoinKind::kCross, nullptr, {}}});
  }
  return left;
}

TableRefPtr Parser::JoinedTableRef() {
  TableRefPtr left = TablePrimary();
  while (true) {
    JoinKind kind;
    if (AcceptKeyword("cross")) {
      kind = JoinKind::kCross;
    } else if (AcceptKeyword("inner")) {
      kind = JoinKind::kInner;
    } else if (AtKeyword("join")) {
      kind = JoinKind::kInner;
    } else if (AcceptKeyword("left")) {
      if (AcceptKeyword("semi")) {
        kind = JoinKind::kSemi;
      } else if (AcceptKeyword("anti")) {
        kind = JoinKind::kAnti;
      } else {
        AcceptKeyword("outer");
        kind = JoinKind::kLeft;
      }
    } else if (AcceptKeyword("right")) {
      AcceptKeyword("outer");
      kind = JoinKind::kRight;
    } else if (AcceptKeyword("full")) {
      AcceptKeyword("outer");
      kind = JoinKind::kFull;
    } else if (AcceptKeyword("semi")) {
      kind = JoinKind::kSemi;
    } else if (AcceptKeyword("anti")) {
      kind = JoinKind::kAnti;
    } else {
      return left;
    }
    ExpectKeyword("join");
    left = JoinRest(std::move(left), kind);
  }
}

TableRefPtr Parser::JoinRest(TableRefPtr left, JoinKind kind) {
  JoinedTable j;
  j.left = std::move(left);
  j.kind = kind;
  j.right = TablePrimary();
  if (kind != JoinKind::kCross) {
    if (AcceptKeyword("on")) {
      j.condition = Expr();
    } else if (AcceptKeyword("using")) {
      Expect(TokenKind::kLParen);
      do {
        j.using_columns.push_back(Name());
      } while (Accept(TokenKind::kComma));
      Expect(TokenKind::kRParen);
    } else if (kind != JoinKind::kInner) {
      // A bare JOIN is a cross join (as in Spark); outer, semi and anti
      // joins without a condition are almost always a mistake.
      FailMismatch("K_ON");
    }
  }
  return std::make_shared<const TableRef>(TableRef{std::move(j)});
}

TableRefPtr Parser::TablePrimary() {
  DepthGuard guard(depth_, Peek());
  if (At(TokenKind::kLParen)) {
    if (AtQuery()) {
      Next();
      DerivedTable d;
      d.query = std::make_shared<const Query>(QueryRule());
      Expect(TokenKind::kRParen);
      d.alias = OptionalAlias();
      return std::make_shared<const TableRef>(TableRef{std::move(d)});
    }
    Next();
    TableRefPtr inner = FromList();
    Expect(TokenKind::kRParen);
    return inner;
  }
  NamedTable t;
  t.table = Name();
  if (Accept(TokenKind::kDot)) {
    t.keyspace = std::move(t.table);
    t.table = Name();
  }
  t.alias = OptionalAlias();
  return std::make_shared<const TableRef>(TableRef{std::move(t)});
}

// ---------------------------------------------------------------- ORDER BY, LIMIT

void Parser::OrderByLimit(Query& q) {
  if (AcceptKeyword("order")) {
    ExpectKeyword("by");
    do {
      OrderItem item;
      item.expr = Expr();
      if (AcceptKeyword("desc")) {
        item.ascending = false;
      } else {
        AcceptKeyword("asc");
      }
      if (AcceptKeyword("nulls")) {
        if (AcceptKeyword("first")) {
          item.nulls_first = true;
        } else if (AcceptKeyword("last")) {
          item.nulls_first = false;
        } else {
          FailMismatch("K_FIRST");
        }
      }
      q.order_by.push_back(std::move(item));
    } while (Accept(TokenKind::kComma));
  }
  if (AcceptKeyword("limit")) q.limit = NonNegativeInteger("LIMIT");
  if (AcceptKeyword("offset")) q.offset = NonNegativeInteger("OFFSET");
}

int64_t Parser::NonNegativeInteger(std::string_view clause) {
  const Token& t = Expect(TokenKind::kInteger);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), v);
  if (ec != std::errc() || end != t.text.data() + t.text.size()) {
    FailAt(t, fmt::format("{} value {} is out of range", clause, t.text));
  }
  return v;
}

}  // namespace helenus::sql::detail
