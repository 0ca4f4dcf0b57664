#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/cql/ast.h"

namespace helenus::cql {

// A parsed statement and its bind markers.
struct ParsedStatement {
  ast::Statement stmt;
  size_t bind_count = 0;                // number of '?' / ':name' markers
  std::vector<std::string> bind_names;  // per marker: "" for '?', the name for ':name'
};

// Parses one CQL statement (a trailing ';' is allowed). Throws
// CqlError(kSyntax) with a Cassandra-like "line L:C ..." message on error.
ParsedStatement ParseStatement(std::string_view cql);

// Splits a script on ';' outside strings, quoted names and comments. Each
// piece is trimmed and keeps no ';'; empty (or comment-only) pieces are dropped.
std::vector<std::string> SplitStatements(std::string_view script);

}  // namespace helenus::cql
