#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/status.h"
#include "helenus/storage/store.h"

namespace helenus::storage {

// Where a column sits in the table's primary key, as system_schema.columns.kind says.
enum class ColumnKind { kPartitionKey, kClustering, kRegular, kStatic };

// One column of a table.
struct ColumnSchema {
  std::string name;
  DataType type;
  ColumnKind kind = ColumnKind::kRegular;
  int position = -1;  // index within the partition or clustering key, -1 otherwise
  bool desc = false;  // clustering order
  uint32_t id = 0;    // storage column id (regular and static columns only)
};

// The schema of one table. Immutable once published in a catalog snapshot.
struct TableSchema {
  std::string keyspace;
  std::string name;
  Bytes uuid;                                  // 16 bytes, system_schema.tables.id
  uint32_t table_id = 0;                       // storage key prefix
  std::vector<ColumnSchema> columns;           // partition key, clustering, then the rest by name
  std::map<std::string, std::string> options;  // comment, default_time_to_live, ...
  uint32_t next_column_id = 0;                 // ids are never reused after DROP
  TableLayout layout;                          // derived: what the store needs

  // The column called name, or nullptr.
  const ColumnSchema* Find(std::string_view name) const;
  // Columns of the partition key, in key order.
  std::vector<const ColumnSchema*> PartitionKey() const;
  // Columns of the clustering key, in key order.
  std::vector<const ColumnSchema*> Clustering() const;
  // True when the table has static columns.
  bool HasStatic() const;
  // Recomputes layout from columns; called after every schema change.
  void RebuildLayout();
  // default_time_to_live in seconds (0 when unset).
  int32_t DefaultTtl() const;
};

// One keyspace and its tables.
struct KeyspaceSchema {
  std::string name;
  std::map<std::string, std::string> replication;
  bool durable_writes = true;
  std::map<std::string, std::shared_ptr<const TableSchema>> tables;
};

// An immutable view of the whole schema; readers hold it for a statement.
struct SchemaSnapshot {
  std::map<std::string, std::shared_ptr<const KeyspaceSchema>> keyspaces;
  Bytes version;  // uuid, changes on every DDL

  // The keyspace called name, or nullptr.
  const KeyspaceSchema* FindKeyspace(std::string_view name) const;
  // The table ks.name, or nullptr.
  std::shared_ptr<const TableSchema> FindTable(std::string_view ks, std::string_view name) const;
};

// The schema of every user keyspace, persisted in the store's metadata.
// Writers are serialized; readers take a snapshot without locking.
class Catalog {
 public:
  // Loads the persisted schema from store.
  static Result<std::unique_ptr<Catalog>> Load(Store* store);

  // The current schema.
  std::shared_ptr<const SchemaSnapshot> Snapshot() const;

  // Adds or replaces a keyspace definition (CREATE/ALTER KEYSPACE).
  Status PutKeyspace(const KeyspaceSchema& ks);
  // Removes a keyspace, its tables and their data.
  Status DropKeyspace(const std::string& name);
  // Adds or replaces a table (CREATE/ALTER TABLE); assigns ids for new tables.
  Status PutTable(TableSchema table);
  // Removes a table and its data.
  Status DropTable(const std::string& ks, const std::string& name);
  // Removes a table's rows, keeping its schema.
  Status Truncate(const TableSchema& table);

 private:
  explicit Catalog(Store* store) : store_(store) {}
  Status Persist(const KeyspaceSchema& ks);
  void Publish(std::shared_ptr<SchemaSnapshot> next);

  Store* store_;
  mutable std::mutex mu_;  // serializes writers; guards snapshot_ pointer swaps
  std::shared_ptr<const SchemaSnapshot> snapshot_;
  uint32_t next_table_id_ = 1;
};

}  // namespace helenus::storage
