#pragma once

// Logical plans: what SQL and the DataFrame API build, by column name.
// Every node knows its output schema when it is made (names and types are
// checked eagerly, as Spark's analyzer does); PlanPhysical turns a plan into
// operators, pushing filters into scans and reading only needed columns.

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "helenus/exec/expr.h"
#include "helenus/exec/operators.h"
#include "helenus/exec/table_source.h"

namespace helenus::exec {

struct PlanNode;
// Plans are immutable and shared.
using PlanPtr = std::shared_ptr<const PlanNode>;

// A table scan; fields are qualified by alias (or the table name).
struct ScanNode {
  std::shared_ptr<TableSource> source;
  std::string alias;
};
// Rows in memory.
struct ValuesNode {
  std::vector<Batch> batches;
};
// WHERE / HAVING / DataFrame.filter.
struct FilterNode {
  PlanPtr input;
  ExprPtr predicate;
};
// SELECT list / DataFrame.select, with_column, drop.
struct ProjectNode {
  PlanPtr input;
  std::vector<ExprPtr> exprs;
  std::vector<std::string> names;
};
// GROUP BY: output = keys (named key_names) then aggregates (named agg_names);
// each aggregate is a kCall of an aggregate function over input columns.
struct AggregateNode {
  PlanPtr input;
  std::vector<ExprPtr> keys;
  std::vector<std::string> key_names;
  std::vector<ExprPtr> aggregates;
  std::vector<std::string> agg_names;
};
// JOIN ... ON condition (null condition = cross join).
struct JoinNode {
  PlanPtr left;
  PlanPtr right;
  JoinType type = JoinType::kInner;
  ExprPtr condition;
};
// One ORDER BY item.
struct SortItem {
  ExprPtr expr;
  bool ascending = true;
  bool nulls_first = true;
};
// ORDER BY (with an optional limit folded in: top-N).
struct SortNode {
  PlanPtr input;
  std::vector<SortItem> items;
};
// LIMIT / OFFSET.
struct LimitNode {
  PlanPtr input;
  int64_t limit = 0;
  int64_t offset = 0;
};
// SELECT DISTINCT / DataFrame.distinct.
struct DistinctNode {
  PlanPtr input;
};
// UNION ALL.
struct UnionNode {
  std::vector<PlanPtr> inputs;
};
// One slice of random_split.
struct SplitNode {
  PlanPtr input;
  std::vector<double> weights;
  uint64_t seed = 0;
  size_t index = 0;
};
// (subquery) AS alias: same rows, fields requalified.
struct AliasNode {
  PlanPtr input;
  std::string alias;
};

// One node of a logical plan and its output schema.
struct PlanNode {
  std::variant<ScanNode, ValuesNode, FilterNode, ProjectNode, AggregateNode, JoinNode, SortNode,
               LimitNode, DistinctNode, UnionNode, SplitNode, AliasNode>
      node;
  Schema schema;
};

// Constructors that check names and types and compute the schema; they throw
// CqlError(Invalid) with the message a user should see.
PlanPtr PlanScan(std::shared_ptr<TableSource> source, std::string alias = {});
PlanPtr PlanValues(Schema schema, std::vector<Batch> batches);
PlanPtr PlanFilter(PlanPtr input, ExprPtr predicate);
PlanPtr PlanProject(PlanPtr input, std::vector<ExprPtr> exprs, std::vector<std::string> names);
PlanPtr PlanAggregate(PlanPtr input, std::vector<ExprPtr> keys, std::vector<std::string> key_names,
                      std::vector<ExprPtr> aggregates, std::vector<std::string> agg_names);
PlanPtr PlanJoin(PlanPtr left, PlanPtr right, JoinType type, ExprPtr condition);
PlanPtr PlanSort(PlanPtr input, std::vector<SortItem> items);
PlanPtr PlanLimit(PlanPtr input, int64_t limit, int64_t offset = 0);
PlanPtr PlanDistinct(PlanPtr input);
PlanPtr PlanUnion(std::vector<PlanPtr> inputs);
PlanPtr PlanSplit(PlanPtr input, std::vector<double> weights, uint64_t seed, size_t index);
PlanPtr PlanAlias(PlanPtr input, std::string alias);

// Turns a logical plan into operators (filter pushdown, column pruning,
// equi-join key extraction, top-N).
OperatorPtr PlanPhysical(const PlanPtr& plan);

// The logical plan as an indented tree.
std::string ExplainPlan(const PlanPtr& plan);

}  // namespace helenus::exec
