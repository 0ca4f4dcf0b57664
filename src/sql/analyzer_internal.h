#pragma once

// The pieces of the SQL analyzer: analyzer.cpp (queries, UNION, ORDER BY over
// results), analyzer_from.cpp (FROM, joins, WHERE), analyzer_select.cpp
// (select lists, ORDER BY inside a SELECT) and analyzer_aggregate.cpp
// (GROUP BY, aggregates, HAVING). Not a public header.

#include <cstdint>
#include <optional>
#include <vector>

#include "helenus/exec/plan.h"
#include "helenus/sql/analyzer.h"
#include "sql/expr_util.h"

namespace helenus::sql::detail {

// LIMIT and OFFSET of a query.
struct Paging {
  std::optional<int64_t> limit;
  int64_t offset = 0;
};

// plan with LIMIT/OFFSET applied (plan itself when there are none).
exec::PlanPtr ApplyPaging(exec::PlanPtr plan, const Paging& paging);

// The rows of a FROM item: tables, subqueries and joins.
exec::PlanPtr PlanFrom(const TableRefPtr& from, const TableResolver& resolve);

// WHERE over from. Conjuncts that relate both sides of an inner or cross
// join become part of its condition, so `FROM a, b WHERE a.id = b.id` is an
// equi-join rather than a filtered cross product.
exec::PlanPtr PlanWhere(const exec::PlanPtr& from, const ExprPtr& where);

// One SELECT block with the ORDER BY and LIMIT of its query.
exec::PlanPtr PlanSelect(const SelectCore& select, const std::vector<OrderItem>& order_by,
                         const Paging& paging, const TableResolver& resolve);

// GROUP BY keys over input: computes every distinct aggregate call found in
// *exprs once, and rewrites each *exprs to read the aggregate's output.
// Throws Invalid for a column that is neither grouped nor aggregated.
exec::PlanPtr PlanAggregation(const exec::PlanPtr& input, const std::vector<ExprPtr>& keys,
                              const std::vector<ExprPtr*>& exprs);

}  // namespace helenus::sql::detail
