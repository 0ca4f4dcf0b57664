#pragma once

// The analytic SQL parser: SELECT with joins, grouping, ordering, expressions
// and UNION; INSERT INTO ... SELECT; CREATE TABLE ... AS SELECT; EXPLAIN.
// It reuses the CQL lexer, so quoting, comments and literals read as in CQL.

#include <string_view>

#include "helenus/sql/ast.h"

namespace helenus::sql {

// Parses one statement (a trailing ';' is allowed). Throws CqlError(kSyntax)
// with a Cassandra-like "line L:C ..." message on malformed input.
Statement Parse(std::string_view text);

}  // namespace helenus::sql
