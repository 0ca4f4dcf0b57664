#pragma once

// Renders SQL ASTs as compact S-expressions so tests can compare whole trees
// (operator nesting, literal types, join shapes) in one string.

#include <string>

#include "helenus/sql/ast.h"

namespace helenus::sql::testing {

// (op arg ...) for calls, q.name for columns, text:type for literals.
inline std::string Sx(const exec::ExprPtr& e) {
  using exec::ExprKind;
  // Not `!e`: that finds exec::operator!, which builds a NOT node.
  if (e.get() == nullptr) return "<null>";
  std::string out;
  switch (e->kind) {
    case ExprKind::kColumn:
      return e->qualifier.empty() ? e->name : e->qualifier + "." + e->name;
    case ExprKind::kLiteral:
      if (!e->value) return "NULL";
      return e->ToString() + ":" + e->type.ToCql();
    case ExprKind::kStar:
      return "*";
    case ExprKind::kCall:
      out = "(" + e->name + (e->distinct ? " DISTINCT" : "");
      break;
    case ExprKind::kCase:
      out = "(case";
      break;
    case ExprKind::kCast:
      out = "(cast " + e->type.ToCql();
      break;
    case ExprKind::kAlias:
      out = "(as " + e->name;
      break;
  }
  for (const auto& a : e->args) out += " " + Sx(a);
  return out + ")";
}

std::string Sx(const Query& q);

inline std::string Sx(const TableRefPtr& t) {
  if (const auto* n = std::get_if<NamedTable>(&t->ref)) {
    std::string out = n->keyspace.empty() ? n->table : n->keyspace + "." + n->table;
    return n->alias.empty() ? out : out + " " + n->alias;
  }
  if (const auto* d = std::get_if<DerivedTable>(&t->ref)) {
    return "[" + Sx(*d->query) + "]" + (d->alias.empty() ? "" : " " + d->alias);
  }
  const auto& j = std::get<JoinedTable>(t->ref);
  static constexpr const char* kKinds[] = {"inner", "left", "right", "full",
                                           "semi",  "anti", "cross"};
  std::string out = "{" + Sx(j.left) + " " + kKinds[static_cast<int>(j.kind)] + " " + Sx(j.right);
  if (j.condition) out += " on " + Sx(j.condition);
  if (!j.using_columns.empty()) {
    out += " using";
    for (const auto& c : j.using_columns) out += " " + c;
  }
  return out + "}";
}

inline std::string Sx(const SelectCore& s) {
  std::string out = s.distinct ? "select distinct" : "select";
  for (size_t i = 0; i < s.items.size(); ++i) {
    const auto& item = s.items[i];
    out += i ? ", " : " ";
    if (item.star) {
      out += item.star_qualifier.empty() ? "*" : item.star_qualifier + ".*";
    } else {
      out += Sx(item.expr);
      if (!item.alias.empty()) out += " as " + item.alias;
    }
  }
  out += " from " + Sx(s.from);
  if (s.where) out += " where " + Sx(s.where);
  if (!s.group_by.empty()) {
    out += " group";
    for (const auto& g : s.group_by) out += " " + Sx(g);
  }
  if (s.having) out += " having " + Sx(s.having);
  return out;
}

inline std::string Sx(const Query& q) {
  std::string out;
  if (const auto* s = std::get_if<SelectCore>(&q.body)) {
    out = Sx(*s);
  } else if (const auto* u = std::get_if<SetOperation>(&q.body)) {
    out = "<" + Sx(*u->left) + (u->all ? " union all " : " union ") + Sx(*u->right) + ">";
  } else {
    out = "(" + Sx(*std::get<QueryPtr>(q.body)) + ")";
  }
  if (!q.order_by.empty()) {
    out += " order";
    for (const auto& o : q.order_by) {
      out += " " + Sx(o.expr) + (o.ascending ? " asc" : " desc");
      if (o.nulls_first) out += *o.nulls_first ? " nulls first" : " nulls last";
    }
  }
  if (q.limit) out += " limit " + std::to_string(*q.limit);
  if (q.offset) out += " offset " + std::to_string(q.offset);
  if (q.allow_filtering) out += " allow filtering";
  return out;
}

}  // namespace helenus::sql::testing
