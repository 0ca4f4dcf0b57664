#include <algorithm>

#include "helenus/common/error.h"
#include "sql/analyzer_internal.h"

namespace helenus::sql::detail {
namespace {

exec::JoinType ExecJoinType(JoinKind kind) {
  switch (kind) {
    case JoinKind::kLeft:
      return exec::JoinType::kLeft;
    case JoinKind::kRight:
      return exec::JoinType::kRight;
    case JoinKind::kFull:
      return exec::JoinType::kFull;
    case JoinKind::kSemi:
      return exec::JoinType::kSemi;
    case JoinKind::kAnti:
      return exec::JoinType::kAnti;
    case JoinKind::kInner:
    case JoinKind::kCross:
      break;
  }
  return exec::JoinType::kInner;
}

// JOIN ... USING (cols): equality on the named columns, which the output
// keeps once, first (Spark's order): the left copy, the right one for RIGHT
// joins, and coalesce(left, right) for FULL joins.
exec::PlanPtr PlanUsingJoin(exec::PlanPtr left, exec::PlanPtr right, exec::JoinType type,
                            const std::vector<std::string>& columns) {
  std::vector<size_t> left_keys, right_keys;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string& c = columns[i];
    if (std::find(columns.begin(), columns.begin() + static_cast<std::ptrdiff_t>(i), c) !=
        columns.begin() + static_cast<std::ptrdiff_t>(i)) {
      ThrowInvalid("Column {} appears more than once in USING", c);
    }
    int l = left->schema.Find(c);
    if (l < 0) ThrowInvalid("USING column {} does not exist in the left table", c);
    int r = right->schema.Find(c);
    if (r < 0) ThrowInvalid("USING column {} does not exist in the right table", c);
    left_keys.push_back(static_cast<size_t>(l));
    right_keys.push_back(static_cast<size_t>(r));
  }
  auto is_key = [](const std::vector<size_t>& keys, size_t i) {
    return std::find(keys.begin(), keys.end(), i) != keys.end();
  };
  // A right key spelled like a left column (same qualifier, as in joins of
  // unaliased subqueries) could not be told apart in the joined rows: it is
  // renamed before the join.
  bool rename = false;
  for (size_t k : right_keys) {
    const exec::Field& f = right->schema.fields[k];
    for (const auto& lf : left->schema.fields) {
      rename = rename || (lf.name == f.name && lf.qualifier == f.qualifier);
    }
  }
  std::vector<ExprPtr> right_refs;
  if (rename) {
    std::set<std::string> used;
    for (const auto& f : left->schema.fields) used.insert(f.name);
    for (const auto& f : right->schema.fields) used.insert(f.name);
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (size_t i = 0; i < right->schema.size(); ++i) {
      const exec::Field& f = right->schema.fields[i];
      exprs.push_back(ColumnRef(f.name, f.qualifier));
      names.push_back(is_key(right_keys, i) ? UniqueName("__using_" + f.name, &used) : f.name);
    }
    for (size_t k : right_keys) right_refs.push_back(ColumnRef(names[k]));
    right = exec::PlanProject(right, std::move(exprs), std::move(names));
  } else {
    for (size_t k : right_keys) {
      const exec::Field& f = right->schema.fields[k];
      right_refs.push_back(ColumnRef(f.name, f.qualifier));
    }
  }
  std::vector<ExprPtr> left_refs, equalities;
  for (size_t i = 0; i < left_keys.size(); ++i) {
    const exec::Field& f = left->schema.fields[left_keys[i]];
    left_refs.push_back(ColumnRef(f.name, f.qualifier));
    equalities.push_back(Expr::Call("=", {left_refs.back(), right_refs[i]}));
  }
  exec::PlanPtr joined = exec::PlanJoin(left, right, type, AndAll(equalities));
  if (type == exec::JoinType::kSemi || type == exec::JoinType::kAnti) return joined;

  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (type == exec::JoinType::kRight) {
      exprs.push_back(right_refs[i]);
    } else if (type == exec::JoinType::kFull) {
      exprs.push_back(Expr::Call("coalesce", {left_refs[i], right_refs[i]}));
    } else {
      exprs.push_back(left_refs[i]);
    }
    names.push_back(columns[i]);
  }
  for (const auto& [side, keys] : {std::pair{left.get(), &left_keys}, {right.get(), &right_keys}}) {
    for (size_t i = 0; i < side->schema.size(); ++i) {
      if (is_key(*keys, i)) continue;
      const exec::Field& f = side->schema.fields[i];
      exprs.push_back(ColumnRef(f.name, f.qualifier));
      names.push_back(f.name);
    }
  }
  return exec::PlanProject(joined, std::move(exprs), std::move(names));
}

exec::PlanPtr PlanJoined(const JoinedTable& j, const TableResolver& resolve) {
  exec::PlanPtr left = PlanFrom(j.left, resolve);
  exec::PlanPtr right = PlanFrom(j.right, resolve);
  exec::JoinType type = ExecJoinType(j.kind);
  if (!j.using_columns.empty()) return PlanUsingJoin(left, right, type, j.using_columns);
  return exec::PlanJoin(left, right, type, j.condition);
}

// Moves the conjuncts of *pending that relate both sides of an inner join
// (at the top of plan, or below it through inner joins only) into that
// join's condition; the rest stay in *pending.
exec::PlanPtr AttachToJoins(const exec::PlanPtr& plan, std::vector<ExprPtr>* pending) {
  const auto* join = std::get_if<exec::JoinNode>(&plan->node);
  if (!join || join->type != exec::JoinType::kInner || pending->empty()) return plan;
  std::vector<ExprPtr> to_left, to_right, here, rest;
  for (const auto& c : *pending) {
    if (!HasColumns(*c)) {
      rest.push_back(c);
    } else if (RefersOnlyTo(*c, join->left->schema)) {
      to_left.push_back(c);
    } else if (RefersOnlyTo(*c, join->right->schema)) {
      to_right.push_back(c);
    } else if (RefersOnlyTo(*c, plan->schema)) {
      here.push_back(c);
    } else {
      rest.push_back(c);
    }
  }
  exec::PlanPtr left = AttachToJoins(join->left, &to_left);
  exec::PlanPtr right = AttachToJoins(join->right, &to_right);
  // Single-side conjuncts that found no join below stay in WHERE, which the
  // physical planner pushes down to the scans.
  rest.insert(rest.end(), to_left.begin(), to_left.end());
  rest.insert(rest.end(), to_right.begin(), to_right.end());
  *pending = std::move(rest);
  if (here.empty() && left.get() == join->left.get() && right.get() == join->right.get()) {
    return plan;
  }
  std::vector<ExprPtr> condition;
  if (join->condition) condition.push_back(join->condition);
  condition.insert(condition.end(), here.begin(), here.end());
  return exec::PlanJoin(left, right, exec::JoinType::kInner, AndAll(condition));
}

}  // namespace

exec::PlanPtr PlanFrom(const TableRefPtr& from, const TableResolver& resolve) {
  if (const auto* t = std::get_if<NamedTable>(&from->ref)) {
    exec::PlanPtr plan = resolve(t->keyspace, t->table, t->alias);
    if (!plan) ThrowInvalid("table {} does not exist", t->table);
    return plan;
  }
  if (const auto* d = std::get_if<DerivedTable>(&from->ref)) {
    exec::PlanPtr plan = PlanQuery(*d->query, resolve);
    return d->alias.empty() ? plan : exec::PlanAlias(plan, d->alias);
  }
  return PlanJoined(std::get<JoinedTable>(from->ref), resolve);
}

exec::PlanPtr PlanWhere(const exec::PlanPtr& from, const ExprPtr& where) {
  if (exec::ContainsAggregate(*where)) ThrowInvalid("Aggregate functions are not allowed in WHERE");
  // Built first so that names and types are checked against the whole FROM.
  exec::PlanPtr filtered = exec::PlanFilter(from, where);
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(where, &conjuncts);
  exec::PlanPtr joined = AttachToJoins(from, &conjuncts);
  if (joined.get() == from.get()) return filtered;
  return conjuncts.empty() ? joined : exec::PlanFilter(joined, AndAll(conjuncts));
}

}  // namespace helenus::sql::detail
