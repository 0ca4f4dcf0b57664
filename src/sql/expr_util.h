#pragma once

// Expression helpers of the SQL analyzer. Not a public header.
//
// Beware: exec/expr.h overloads ==, != ... on ExprPtr to build trees, so null
// checks here use .get() and `if (e)`, never `e != nullptr`.

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/exec/column.h"
#include "helenus/exec/expr.h"

namespace helenus::sql::detail {

using exec::Expr;
using exec::ExprKind;
using exec::ExprPtr;

// A reference to column name (qualified when qualifier is not empty); unlike
// Expr::Col it never splits a name that contains a dot.
ExprPtr ColumnRef(std::string name, std::string qualifier = {});

// The column as written: "name" or "qualifier.name".
std::string DisplayName(const Expr& column);

// A key equal for two expressions exactly when they compute the same thing
// over input: column references compare by the field they resolve to, so
// `a` and `t.a` match; unresolvable references compare by spelling.
std::string CanonicalKey(const Expr& e, const exec::Schema& input);

// Rebuilds e top-down: fn(node) returns a replacement, or null to keep the
// node and transform its arguments (nodes are copied only when something changes).
ExprPtr Transform(const ExprPtr& e, const std::function<ExprPtr(const ExprPtr&)>& fn);

// Calls fn on every node of e, parents before children; fn returns false to
// skip a node's arguments.
void Visit(const ExprPtr& e, const std::function<bool(const ExprPtr&)>& fn);

// Conjunct and column-reference helpers, shared with the physical planner.
using exec::AndAll;
using exec::HasColumns;
using exec::RefersOnlyTo;
using exec::SplitConjuncts;

// The 1-based position an integer literal names (ORDER BY 2, GROUP BY 1); nullopt otherwise.
std::optional<int64_t> Ordinal(const Expr& e);

// base, or base_2, base_3, ... : the first one not in used (which it joins).
std::string UniqueName(const std::string& base, std::set<std::string>* used);

}  // namespace helenus::sql::detail
