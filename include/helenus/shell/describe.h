#pragma once

#include <string>
#include <vector>

#include "helenus/shell/schema.h"

namespace helenus::shell {

// CREATE TABLE for a table, as cqlsh's DESCRIBE TABLE prints it (ends with ";\n").
std::string DescribeTable(const TableMeta& table);

// CREATE KEYSPACE followed by the CREATE TABLE of each table, as DESCRIBE KEYSPACE prints it.
std::string DescribeKeyspace(const KeyspaceMeta& keyspace);

// The keyspace names, space separated (DESCRIBE KEYSPACES).
std::string DescribeKeyspaceNames(const std::vector<KeyspaceMeta>& keyspaces);

// Table names: of `current` only when set, else grouped per keyspace (DESCRIBE TABLES).
std::string DescribeTableNames(const std::vector<KeyspaceMeta>& keyspaces,
                               const std::string& current);

}  // namespace helenus::shell
