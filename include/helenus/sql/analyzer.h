#pragma once

// The SQL analyzer: turns a parsed Query into an exec logical plan with
// standard SQL semantics (joins, WHERE, grouping and aggregates, HAVING,
// DISTINCT, ORDER BY, LIMIT/OFFSET, UNION). It knows nothing of storage:
// tables come from the caller's resolver as plans.

#include <functional>
#include <string_view>

#include "helenus/exec/plan.h"
#include "helenus/sql/ast.h"

namespace helenus::sql {

// Returns the plan that reads a table named in FROM (usually exec::PlanScan
// with fields qualified by alias, or by the table name when alias is empty).
// keyspace is "" when not written; the resolver applies the current keyspace
// and throws CqlError(Invalid) for unknown tables.
using TableResolver = std::function<exec::PlanPtr(std::string_view keyspace, std::string_view table,
                                                  std::string_view alias)>;

// The logical plan of q. Throws CqlError(Invalid) for unknown or ambiguous
// columns, misplaced aggregates, non-grouped columns and mismatched UNIONs.
exec::PlanPtr PlanQuery(const Query& q, const TableResolver& resolve);

}  // namespace helenus::sql
