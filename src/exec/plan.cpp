#include "helenus/exec/plan.h"

#include <fmt/format.h>

#include "helenus/common/error.h"

// Logical plan constructors: each binds its expressions against the input
// schema once, so a bad name or type fails when the plan is built, not when
// it runs.

namespace helenus::exec {
namespace {

PlanPtr Make(decltype(PlanNode::node) node, Schema schema) {
  auto p = std::make_shared<PlanNode>();
  p->node = std::move(node);
  p->schema = std::move(schema);
  return p;
}

void RequireNoAggregate(const Expr& e, std::string_view clause) {
  if (ContainsAggregate(e)) ThrowInvalid("Aggregate functions are not allowed in {}", clause);
}

void RequireBoolean(const BoundExprPtr& b, std::string_view clause) {
  if (b->type().kind != TypeKind::kBoolean) {
    ThrowInvalid("{} condition must be boolean, not {}", clause, b->type().ToCql());
  }
}

std::string QualifierOf(const Expr& e, const Schema& input) {
  const Expr* x = &e;
  while (x->kind == ExprKind::kAlias) x = x->args[0].get();
  if (x->kind != ExprKind::kColumn) return {};
  int i = input.Find(x->name, x->qualifier);
  return i < 0 ? std::string() : input.fields[static_cast<size_t>(i)].qualifier;
}

const Expr& Unalias(const Expr& e) {
  const Expr* x = &e;
  while (x->kind == ExprKind::kAlias) x = x->args[0].get();
  return *x;
}

}  // namespace

PlanPtr PlanScan(std::shared_ptr<TableSource> source, std::string alias) {
  Schema schema = source->schema();
  if (!alias.empty()) {
    for (auto& f : schema.fields) f.qualifier = alias;
  }
  return Make(ScanNode{std::move(source), std::move(alias)}, std::move(schema));
}

PlanPtr PlanValues(Schema schema, std::vector<Batch> batches) {
  return Make(ValuesNode{std::move(batches)}, std::move(schema));
}

PlanPtr PlanFilter(PlanPtr input, ExprPtr predicate) {
  RequireNoAggregate(*predicate, "WHERE");
  RequireBoolean(Bind(*predicate, input->schema), "WHERE");
  Schema schema = input->schema;
  return Make(FilterNode{std::move(input), std::move(predicate)}, std::move(schema));
}

PlanPtr PlanProject(PlanPtr input, std::vector<ExprPtr> exprs, std::vector<std::string> names) {
  if (names.size() != exprs.size()) ThrowInvalid("Projection needs one name per expression");
  Schema schema;
  for (size_t i = 0; i < exprs.size(); ++i) {
    RequireNoAggregate(*exprs[i], "this projection");
    auto bound = Bind(*exprs[i], input->schema);
    schema.fields.push_back(Field{names[i], bound->type(), QualifierOf(*exprs[i], input->schema)});
  }
  return Make(ProjectNode{std::move(input), std::move(exprs), std::move(names)}, std::move(schema));
}

PlanPtr PlanAggregate(PlanPtr input, std::vector<ExprPtr> keys, std::vector<std::string> key_names,
                      std::vector<ExprPtr> aggregates, std::vector<std::string> agg_names) {
  if (key_names.size() != keys.size() || agg_names.size() != aggregates.size()) {
    ThrowInvalid("Aggregation needs one name per key and per aggregate");
  }
  Schema schema;
  for (size_t i = 0; i < keys.size(); ++i) {
    RequireNoAggregate(*keys[i], "GROUP BY");
    auto bound = Bind(*keys[i], input->schema);
    schema.fields.push_back(
        Field{key_names[i], bound->type(), QualifierOf(*keys[i], input->schema)});
  }
  for (size_t i = 0; i < aggregates.size(); ++i) {
    const Expr& call = Unalias(*aggregates[i]);
    if (call.kind != ExprKind::kCall || !IsAggregateFunction(call.name)) {
      ThrowInvalid("{} is not an aggregate function call", call.ToString());
    }
    if (call.args.size() != 1) {
      ThrowInvalid("Aggregate {} takes exactly one argument", call.name);
    }
    DataType arg_type = DataType::Of(TypeKind::kBigint);
    if (call.args[0]->kind == ExprKind::kStar) {
      if (call.name != "count") ThrowInvalid("Only count accepts *, not {}", call.name);
    } else {
      RequireNoAggregate(*call.args[0], "an aggregate's argument");
      arg_type = Bind(*call.args[0], input->schema)->type();
    }
    schema.fields.push_back(Field{agg_names[i], AggregateResultType(call.name, arg_type), ""});
  }
  return Make(AggregateNode{std::move(input), std::move(keys), std::move(key_names),
                            std::move(aggregates), std::move(agg_names)},
              std::move(schema));
}

PlanPtr PlanJoin(PlanPtr left, PlanPtr right, JoinType type, ExprPtr condition) {
  Schema both = left->schema;
  both.fields.insert(both.fields.end(), right->schema.fields.begin(), right->schema.fields.end());
  if (condition) {
    RequireNoAggregate(*condition, "JOIN conditions");
    RequireBoolean(Bind(*condition, both), "JOIN");
  }
  Schema schema = (type == JoinType::kSemi || type == JoinType::kAnti) ? left->schema : both;
  return Make(JoinNode{std::move(left), std::move(right), type, std::move(condition)},
              std::move(schema));
}

PlanPtr PlanSort(PlanPtr input, std::vector<SortItem> items) {
  for (const auto& item : items) {
    RequireNoAggregate(*item.expr, "this ORDER BY");
    Bind(*item.expr, input->schema);
  }
  Schema schema = input->schema;
  return Make(SortNode{std::move(input), std::move(items)}, std::move(schema));
}

PlanPtr PlanLimit(PlanPtr input, int64_t limit, int64_t offset) {
  if (limit < 0) ThrowInvalid("LIMIT must be positive, not {}", limit);
  if (offset < 0) ThrowInvalid("OFFSET must not be negative, not {}", offset);
  Schema schema = input->schema;
  return Make(LimitNode{std::move(input), limit, offset}, std::move(schema));
}

PlanPtr PlanDistinct(PlanPtr input) {
  Schema schema = input->schema;
  return Make(DistinctNode{std::move(input)}, std::move(schema));
}

PlanPtr PlanUnion(std::vector<PlanPtr> inputs) {
  if (inputs.empty()) ThrowInvalid("UNION ALL needs at least one input");
  const Schema& first = inputs[0]->schema;
  for (size_t i = 1; i < inputs.size(); ++i) {
    const Schema& s = inputs[i]->schema;
    if (s.size() != first.size()) {
      ThrowInvalid("UNION ALL inputs must have the same number of columns ({} vs {})", first.size(),
                   s.size());
    }
    for (size_t c = 0; c < s.size(); ++c) {
      if (s.fields[c].type != first.fields[c].type) {
        ThrowInvalid("UNION ALL column {} has type {} in one input and {} in another",
                     first.fields[c].name, first.fields[c].type.ToCql(), s.fields[c].type.ToCql());
      }
    }
  }
  Schema schema = first;
  return Make(UnionNode{std::move(inputs)}, std::move(schema));
}

PlanPtr PlanSplit(PlanPtr input, std::vector<double> weights, uint64_t seed, size_t index) {
  if (weights.empty() || index >= weights.size()) ThrowInvalid("random_split needs weights");
  double total = 0;
  for (double w : weights) {
    if (!(w >= 0)) ThrowInvalid("random_split weights must not be negative, got {}", w);
    total += w;
  }
  if (!(total > 0)) ThrowInvalid("random_split weights must have a positive sum");
  Schema schema = input->schema;
  return Make(SplitNode{std::move(input), std::move(weights), seed, index}, std::move(schema));
}

PlanPtr PlanAlias(PlanPtr input, std::string alias) {
  Schema schema = input->schema;
  for (auto& f : schema.fields) f.qualifier = alias;
  return Make(AliasNode{std::move(input), std::move(alias)}, std::move(schema));
}

}  // namespace helenus::exec
