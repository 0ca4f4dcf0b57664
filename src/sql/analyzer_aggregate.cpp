#include <map>

#include "helenus/common/error.h"
#include "sql/analyzer_internal.h"

namespace helenus::sql::detail {

exec::PlanPtr PlanAggregation(const exec::PlanPtr& input, const std::vector<ExprPtr>& keys,
                              const std::vector<ExprPtr*>& exprs) {
  const exec::Schema& schema = input->schema;
  // Every output column gets a distinct name, so the expressions above can
  // refer to it by name alone whatever the qualifiers.
  std::set<std::string> used;
  std::map<std::string, std::string> key_column;  // canonical key -> output name
  std::vector<ExprPtr> unique_keys;
  std::vector<std::string> key_names;
  for (const auto& k : keys) {
    std::string canon = CanonicalKey(*k, schema);
    if (key_column.count(canon)) continue;  // GROUP BY a, a
    std::string name = UniqueName(k->kind == ExprKind::kColumn ? k->name : k->ToString(), &used);
    key_column.emplace(std::move(canon), name);
    unique_keys.push_back(k);
    key_names.push_back(std::move(name));
  }

  std::map<std::string, std::string> agg_column;  // canonical key -> output name
  std::vector<ExprPtr> aggregates;
  std::vector<std::string> agg_names;
  for (ExprPtr* e : exprs) {
    Visit(*e, [&](const ExprPtr& node) {
      if (node->kind != ExprKind::kCall || !exec::IsAggregateFunction(node->name)) return true;
      std::string canon = CanonicalKey(*node, schema);
      if (!agg_column.count(canon)) {
        std::string name = UniqueName(node->ToString(), &used);
        agg_column.emplace(std::move(canon), name);
        aggregates.push_back(node);
        agg_names.push_back(std::move(name));
      }
      return false;  // nested aggregates are PlanAggregate's to reject
    });
  }

  exec::PlanPtr out =
      exec::PlanAggregate(input, unique_keys, key_names, aggregates, std::move(agg_names));

  for (ExprPtr* e : exprs) {
    *e = Transform(*e, [&](const ExprPtr& node) -> ExprPtr {
      std::string canon = CanonicalKey(*node, schema);
      if (auto it = key_column.find(canon); it != key_column.end()) return ColumnRef(it->second);
      if (auto it = agg_column.find(canon); it != agg_column.end()) return ColumnRef(it->second);
      if (node->kind == ExprKind::kColumn) {
        schema.Require(node->name, node->qualifier);  // unknown or ambiguous names first
        ThrowInvalid(
            "column {} must appear in the GROUP BY clause or be used in an aggregate function",
            DisplayName(*node));
      }
      return nullptr;
    });
  }
  return out;
}

}  // namespace helenus::sql::detail
