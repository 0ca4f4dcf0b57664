#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "helenus/common/data_type.h"

namespace helenus::client {
class Session;
}

namespace helenus::shell {

// Where a column sits in the primary key.
enum class ColumnRole { kPartitionKey, kClustering, kStatic, kRegular };

// One column as system_schema.columns describes it.
struct ColumnMeta {
  std::string name;
  DataType type;
  std::string type_text;  // as system_schema spells it
  ColumnRole role = ColumnRole::kRegular;
  int position = -1;
  bool desc = false;  // clustering order DESC
};

// One table: its columns in cqlsh's order (partition key, clustering, then by name).
struct TableMeta {
  std::string keyspace;
  std::string name;
  std::vector<ColumnMeta> columns;
  std::map<std::string, std::string> options;  // non-default table options as CQL text

  // The column named name, or nullptr.
  const ColumnMeta* Find(const std::string& name) const;
  // Partition key columns in key order.
  std::vector<const ColumnMeta*> PartitionKey() const;
  // Clustering columns in key order.
  std::vector<const ColumnMeta*> Clustering() const;
};

// One keyspace with its tables (sorted by name).
struct KeyspaceMeta {
  std::string name;
  std::map<std::string, std::string> replication;
  bool durable_writes = true;
  std::vector<TableMeta> tables;
};

// Sorts columns into cqlsh's order and sets positions from roles.
void SortColumns(TableMeta* table);

// Reads every keyspace (with its tables) from system_schema; throws CqlError/ClientError.
std::vector<KeyspaceMeta> FetchSchema(client::Session& session);
// Reads one keyspace; nullopt when it does not exist.
std::optional<KeyspaceMeta> FetchKeyspace(client::Session& session, const std::string& keyspace);
// Reads one table; nullopt when it does not exist.
std::optional<TableMeta> FetchTable(client::Session& session, const std::string& keyspace,
                                    const std::string& table);

// True for keyspaces the server owns (system, system_schema, ...).
bool IsSystemKeyspace(const std::string& name);

// A CQL identifier, double-quoted when it is not all lower case letters, digits and _.
std::string QuoteIdent(const std::string& name);

}  // namespace helenus::shell
