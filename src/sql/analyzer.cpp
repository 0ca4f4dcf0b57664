#include "helenus/sql/analyzer.h"

#include <algorithm>
#include <limits>

#include "helenus/common/error.h"
#include "sql/analyzer_internal.h"

namespace helenus::sql {
namespace detail {
namespace {

bool HasOwnClauses(const Query& q) {
  return !q.order_by.empty() || q.limit || q.offset != 0;
}

// The inputs of a chain of unions, flattened: under UNION ALL only further
// UNION ALLs merge; under a distinct UNION every union does, since the final
// DISTINCT removes the duplicates an inner one would have.
void CollectUnionInputs(const Query& q, bool all, std::vector<const Query*>* out) {
  const auto* set = std::get_if<SetOperation>(&q.body);
  if (set && !HasOwnClauses(q) && (set->all || !all)) {
    CollectUnionInputs(*set->left, all, out);
    CollectUnionInputs(*set->right, all, out);
    return;
  }
  out->push_back(&q);
}

// The type both a and b convert to, as the engine's own coalesce() decides.
std::optional<DataType> UnionType(const DataType& a, const DataType& b) {
  if (a == b) return a;
  exec::Schema pair;
  pair.fields = {exec::Field{"a", a, ""}, exec::Field{"b", b, ""}};
  try {
    return exec::Bind(*Expr::Call("coalesce", {ColumnRef("a"), ColumnRef("b")}), pair)->type();
  } catch (const CqlError&) {
    return std::nullopt;
  }
}

exec::PlanPtr PlanUnion(const SetOperation& set, const TableResolver& resolve) {
  std::vector<const Query*> queries;
  CollectUnionInputs(*set.left, set.all, &queries);
  CollectUnionInputs(*set.right, set.all, &queries);
  std::vector<exec::PlanPtr> inputs;
  for (const Query* q : queries) inputs.push_back(PlanQuery(*q, resolve));
  const exec::Schema& first = inputs[0]->schema;
  std::vector<DataType> types;
  for (const auto& f : first.fields) types.push_back(f.type);
  for (size_t i = 1; i < inputs.size(); ++i) {
    const exec::Schema& s = inputs[i]->schema;
    if (s.size() != first.size()) {
      ThrowInvalid("Each UNION query must have the same number of columns ({} and {})",
                   first.size(), s.size());
    }
    for (size_t c = 0; c < s.size(); ++c) {
      auto common = UnionType(types[c], s.fields[c].type);
      if (!common) {
        ThrowInvalid("UNION column {} ({}) has incompatible types {} and {}", c + 1,
                     first.fields[c].name, types[c].ToCql(), s.fields[c].type.ToCql());
      }
      types[c] = *common;
    }
  }
  // Inputs whose types differ from the common ones are cast.
  for (auto& input : inputs) {
    bool same = true;
    for (size_t c = 0; c < types.size(); ++c)
      same = same && input->schema.fields[c].type == types[c];
    if (same) continue;
    std::vector<ExprPtr> exprs;
    std::vector<std::string> names;
    for (size_t c = 0; c < types.size(); ++c) {
      const exec::Field& f = input->schema.fields[c];
      ExprPtr ref = ColumnRef(f.name, f.qualifier);
      exprs.push_back(f.type == types[c] ? ref : Expr::Cast(ref, types[c]));
      names.push_back(f.name);
    }
    input = exec::PlanProject(input, std::move(exprs), std::move(names));
  }
  exec::PlanPtr out = exec::PlanUnion(std::move(inputs));
  return set.all ? out : exec::PlanDistinct(out);
}

// ORDER BY over the result of a union or a parenthesised query: positions,
// or expressions over its output columns.
exec::PlanPtr PlanOrderBy(const exec::PlanPtr& plan, const std::vector<OrderItem>& order_by) {
  if (order_by.empty()) return plan;
  std::vector<exec::SortItem> items;
  for (const auto& o : order_by) {
    ExprPtr e = o.expr;
    if (auto pos = Ordinal(*e)) {
      if (*pos < 1 || static_cast<size_t>(*pos) > plan->schema.size()) {
        ThrowInvalid("ORDER BY position {} is not in select list", *pos);
      }
      const exec::Field& f = plan->schema.fields[static_cast<size_t>(*pos - 1)];
      e = ColumnRef(f.name, f.qualifier);
    }
    items.push_back(exec::SortItem{e, o.ascending, o.nulls_first.value_or(o.ascending)});
  }
  return exec::PlanSort(plan, std::move(items));
}

}  // namespace

exec::PlanPtr ApplyPaging(exec::PlanPtr plan, const Paging& paging) {
  if (!paging.limit && paging.offset == 0) return plan;
  // At most as many rows as can follow the offset (OFFSET alone: all of
  // them), so that limit + offset, which a top-N sort computes, cannot overflow.
  int64_t most = std::numeric_limits<int64_t>::max() - paging.offset;
  return exec::PlanLimit(std::move(plan), std::min(paging.limit.value_or(most), most),
                         paging.offset);
}

}  // namespace detail

exec::PlanPtr PlanQuery(const Query& q, const TableResolver& resolve) {
  detail::Paging paging{q.limit, q.offset};
  if (const auto* select = std::get_if<SelectCore>(&q.body)) {
    return detail::PlanSelect(*select, q.order_by, paging, resolve);
  }
  exec::PlanPtr body;
  if (const auto* set = std::get_if<SetOperation>(&q.body)) {
    body = detail::PlanUnion(*set, resolve);
  } else {
    body = PlanQuery(*std::get<QueryPtr>(q.body), resolve);
  }
  return detail::ApplyPaging(detail::PlanOrderBy(body, q.order_by), paging);
}

}  // namespace helenus::sql
