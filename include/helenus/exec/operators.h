#pragma once

// Factories for the physical operators. Each operator is one file in
// src/exec/; the planner and tests build plans only through these.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "helenus/exec/expr.h"
#include "helenus/exec/operator.h"

namespace helenus::exec {

// Batches held in memory, one partition per batch (tests, VALUES, results).
OperatorPtr MakeValues(Schema schema, std::vector<Batch> batches);

// Rows of child for which predicate is true (NULL counts as false).
OperatorPtr MakeFilter(OperatorPtr child, BoundExprPtr predicate);

// One output column per expression; fields give names and qualifiers (types
// are taken from the expressions).
OperatorPtr MakeProject(OperatorPtr child, std::vector<BoundExprPtr> exprs,
                        std::vector<Field> fields);

// One aggregate of a hash aggregation.
struct AggregateSpec {
  // count, sum, avg, min, max, stddev (= stddev_samp), stddev_pop,
  // variance (= var_samp), var_pop, collect_list, collect_set.
  std::string function;
  BoundExprPtr arg;  // null for count(*)
  bool distinct = false;
  std::string name;  // output column name
};

// The result type of an aggregate over an argument of type arg (count(*): any).
// count -> bigint; sum -> bigint for integers, double otherwise; avg, stddev,
// variance -> double; min/max -> arg; collect_list -> list<arg>; collect_set -> set<arg>.
DataType AggregateResultType(std::string_view function, const DataType& arg);

// Groups child rows by keys and computes aggs per group. Output: key columns
// (named key_fields) then one column per aggregate. Without keys, exactly one
// row even on empty input (count = 0, other aggregates NULL). NULL keys form
// one group; NaN keys form one group; -0.0 groups with 0.0. Parallel: thread-local
// partial tables merged by hash partition; spills partitions to disk beyond
// ctx.memory_limit.
OperatorPtr MakeHashAggregate(OperatorPtr child, std::vector<BoundExprPtr> keys,
                              std::vector<Field> key_fields, std::vector<AggregateSpec> aggs);

// All distinct rows of child.
OperatorPtr MakeDistinct(OperatorPtr child);

// Join kinds.
enum class JoinType { kInner, kLeft, kRight, kFull, kSemi, kAnti };

// Equi-join of left and right on left_keys[i] = right_keys[i] (same physical
// forms; the planner casts), then residual (bound to left fields + right
// fields; may be null). NULL keys never match. Output: left fields then right
// fields (kSemi/kAnti: left fields only); unmatched sides are NULL-padded.
// Without keys it is a nested-loop join on residual. Builds a hash table on
// right; spills both sides by hash partition beyond ctx.memory_limit.
OperatorPtr MakeHashJoin(OperatorPtr left, OperatorPtr right, JoinType type,
                         std::vector<BoundExprPtr> left_keys, std::vector<BoundExprPtr> right_keys,
                         BoundExprPtr residual);

// One ORDER BY key.
struct SortKey {
  BoundExprPtr expr;
  bool ascending = true;
  bool nulls_first = true;  // SQL default: NULLS FIRST for ASC, NULLS LAST for DESC
};

// Sorts all rows of child (one output partition). NaN sorts above every
// number. With limit, keeps only the first limit rows (top-N, heap per thread).
OperatorPtr MakeSort(OperatorPtr child, std::vector<SortKey> keys,
                     std::optional<int64_t> limit = std::nullopt);

// The first `limit` rows after skipping `offset` (one output partition;
// stops reading its children once it has enough).
OperatorPtr MakeLimit(OperatorPtr child, int64_t limit, int64_t offset = 0);

// The rows of all inputs (same column types); partitions are concatenated.
OperatorPtr MakeUnionAll(std::vector<OperatorPtr> inputs);

// The rows of child whose content hashes into slice `index` of weights
// (normalized to sum 1) for seed: random_split. Independent of partitioning,
// thread count and row order; deterministic per seed.
OperatorPtr MakeRandomSplit(OperatorPtr child, std::vector<double> weights, uint64_t seed,
                            size_t index);

// Equality and ordering of single values shared by operators (NaN = NaN,
// -0.0 = 0.0; NaN greatest; kString values of non-text types compare by the
// CQL type's order).
int CompareValues(const Column& a, size_t i, const Column& b, size_t j);
// A hash of row i of c consistent with CompareValues == 0.
uint64_t HashValue(const Column& c, size_t i, uint64_t seed = 0);

}  // namespace helenus::exec
