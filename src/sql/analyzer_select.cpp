#include "helenus/common/error.h"
#include "sql/analyzer_internal.h"

namespace helenus::sql::detail {
namespace {

// One column of a select list after `*` expansion.
struct Output {
  ExprPtr expr;
  std::string name;
  bool aliased = false;
};

std::vector<Output> ExpandSelectList(const std::vector<SelectItem>& items,
                                     const exec::Schema& input) {
  std::vector<Output> out;
  for (const auto& item : items) {
    if (!item.star) {
      std::string name = !item.alias.empty()                    ? item.alias
                         : item.expr->kind == ExprKind::kColumn ? item.expr->name
                                                                : item.expr->ToString();
      out.push_back(Output{item.expr, std::move(name), !item.alias.empty()});
      continue;
    }
    bool any = false;
    for (const auto& f : input.fields) {
      if (!item.star_qualifier.empty() && f.qualifier != item.star_qualifier) continue;
      out.push_back(Output{ColumnRef(f.name, f.qualifier), f.name, false});
      any = true;
    }
    if (!any && !item.star_qualifier.empty()) {
      ThrowInvalid("Unknown table or alias {} in {}.*", item.star_qualifier, item.star_qualifier);
    }
  }
  return out;
}

// Where one ORDER BY item reads its value: a select list column, or an
// expression over the SELECT's input computed as a hidden column.
struct SortTarget {
  int output = -1;
  ExprPtr hidden;
  bool ascending = true;
  bool nulls_first = true;
};

class SelectPlanner {
 public:
  SelectPlanner(const SelectCore& select, exec::PlanPtr input)
      : select_(select),
        input_(std::move(input)),
        outputs_(ExpandSelectList(select.items, schema())) {}

  exec::PlanPtr Plan(const std::vector<OrderItem>& order_by, const Paging& paging) {
    std::vector<ExprPtr> keys = GroupKeys();
    std::vector<SortTarget> targets = SortTargets(order_by);
    ExprPtr having = select_.having ? ExpandAliases(select_.having) : nullptr;

    std::vector<ExprPtr> exprs;
    for (const auto& o : outputs_) exprs.push_back(o.expr);
    size_t hidden = 0;
    for (const auto& t : targets) {
      if (t.hidden) {
        exprs.push_back(t.hidden);
        ++hidden;
      }
    }
    exec::PlanPtr base = input_;
    if (IsAggregate(keys, having, exprs)) {
      std::vector<ExprPtr*> rewrite;
      for (auto& e : exprs) rewrite.push_back(&e);
      if (having) rewrite.push_back(&having);
      base = PlanAggregation(input_, keys, rewrite);
      if (having) base = exec::PlanFilter(base, having);
    }
    if (select_.distinct && hidden > 0) {
      ThrowInvalid("For SELECT DISTINCT, ORDER BY expressions must appear in the select list");
    }

    // The sort refers to columns by name: when the select list repeats a
    // name (SELECT t.a, u.a ... ORDER BY 1), columns get distinct names until
    // a last projection restores them.
    std::vector<std::string> final_names, names;
    std::set<std::string> used;
    bool repeated = false;
    for (const auto& o : outputs_) {
      final_names.push_back(o.name);
      repeated = repeated || !used.insert(o.name).second;
    }
    const bool rename = repeated && !targets.empty();
    used.clear();
    for (const auto& n : final_names) names.push_back(rename ? UniqueName(n, &used) : n);
    for (const auto& n : final_names) used.insert(n);
    for (size_t i = 0; i < hidden; ++i) {
      names.push_back(UniqueName("__order_" + std::to_string(i + 1), &used));
    }

    exec::PlanPtr plan = exec::PlanProject(base, exprs, names);
    if (select_.distinct) plan = exec::PlanDistinct(plan);
    if (!targets.empty()) {
      std::vector<exec::SortItem> items;
      size_t next_hidden = outputs_.size();
      for (const auto& t : targets) {
        size_t column = t.hidden ? next_hidden++ : static_cast<size_t>(t.output);
        items.push_back(exec::SortItem{ColumnRef(names[column]), t.ascending, t.nulls_first});
      }
      plan = exec::PlanSort(plan, std::move(items));
    }
    plan = ApplyPaging(plan, paging);
    if (!rename && hidden == 0) return plan;
    std::vector<ExprPtr> finals;
    for (size_t i = 0; i < outputs_.size(); ++i) finals.push_back(ColumnRef(names[i]));
    return exec::PlanProject(plan, std::move(finals), std::move(final_names));
  }

 private:
  const exec::Schema& schema() const { return input_->schema; }

  // Replaces unqualified names that are not input columns by the select
  // list expression of that alias (GROUP BY total, HAVING n > 1).
  ExprPtr ExpandAliases(const ExprPtr& e) const {
    return Transform(e, [&](const ExprPtr& node) -> ExprPtr {
      if (node->kind != ExprKind::kColumn || !node->qualifier.empty()) return nullptr;
      if (schema().Find(node->name) >= 0) return nullptr;
      const Output* found = nullptr;
      for (const auto& o : outputs_) {
        if (!o.aliased || o.name != node->name) continue;
        if (found && CanonicalKey(*found->expr, schema()) != CanonicalKey(*o.expr, schema())) {
          ThrowInvalid("Column reference {} is ambiguous", node->name);
        }
        found = &o;
      }
      return found ? found->expr : nullptr;
    });
  }

  // The select list expression at a 1-based position.
  const Output& AtPosition(int64_t position, std::string_view clause) const {
    if (position < 1 || static_cast<size_t>(position) > outputs_.size()) {
      ThrowInvalid("{} position {} is not in select list", clause, position);
    }
    return outputs_[static_cast<size_t>(position - 1)];
  }

  std::vector<ExprPtr> GroupKeys() const {
    std::vector<ExprPtr> keys;
    for (const auto& g : select_.group_by) {
      if (auto pos = Ordinal(*g)) {
        keys.push_back(AtPosition(*pos, "GROUP BY").expr);
      } else {
        keys.push_back(ExpandAliases(g));
      }
    }
    return keys;
  }

  // ORDER BY: a position, a select list name (which wins over an input
  // column), an expression equal to a select list one, or any expression
  // over the input.
  std::vector<SortTarget> SortTargets(const std::vector<OrderItem>& order_by) const {
    std::vector<SortTarget> out;
    for (const auto& item : order_by) {
      SortTarget t;
      t.ascending = item.ascending;
      t.nulls_first = item.nulls_first.value_or(item.ascending);
      const Expr& e = *item.expr;
      if (auto pos = Ordinal(e)) {
        AtPosition(*pos, "ORDER BY");
        t.output = static_cast<int>(*pos - 1);
      } else if (e.kind == ExprKind::kColumn && e.qualifier.empty()) {
        t.output = OutputNamed(e.name);
      }
      if (t.output < 0) {
        std::string canon = CanonicalKey(e, schema());
        for (size_t i = 0; i < outputs_.size() && t.output < 0; ++i) {
          if (CanonicalKey(*outputs_[i].expr, schema()) == canon) t.output = static_cast<int>(i);
        }
      }
      if (t.output < 0) t.hidden = ExpandAliases(item.expr);
      out.push_back(std::move(t));
    }
    return out;
  }

  // The select list column called name; -1 when none; Invalid when several
  // different ones are.
  int OutputNamed(const std::string& name) const {
    int found = -1;
    for (size_t i = 0; i < outputs_.size(); ++i) {
      if (outputs_[i].name != name) continue;
      if (found >= 0 && CanonicalKey(*outputs_[static_cast<size_t>(found)].expr, schema()) !=
                            CanonicalKey(*outputs_[i].expr, schema())) {
        ThrowInvalid("ORDER BY {} is ambiguous", name);
      }
      if (found < 0) found = static_cast<int>(i);
    }
    return found;
  }

  bool IsAggregate(const std::vector<ExprPtr>& keys, const ExprPtr& having,
                   const std::vector<ExprPtr>& exprs) const {
    if (!keys.empty() || having.get() != nullptr) return true;
    for (const auto& e : exprs) {
      if (exec::ContainsAggregate(*e)) return true;
    }
    return false;
  }

  const SelectCore& select_;
  exec::PlanPtr input_;
  std::vector<Output> outputs_;
};

}  // namespace

exec::PlanPtr PlanSelect(const SelectCore& select, const std::vector<OrderItem>& order_by,
                         const Paging& paging, const TableResolver& resolve) {
  exec::PlanPtr input = PlanFrom(select.from, resolve);
  if (select.where) input = PlanWhere(input, select.where);
  return SelectPlanner(select, std::move(input)).Plan(order_by, paging);
}

}  // namespace helenus::sql::detail
