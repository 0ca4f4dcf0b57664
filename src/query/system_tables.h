#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "helenus/query/processor.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::query {

// A table whose rows are computed on read: system.local, system.peers,
// system_schema.*, system_virtual_schema.*.
struct VirtualTable {
  std::shared_ptr<const storage::TableSchema> schema;
  std::vector<storage::RowRead> rows;  // in partition, clustering order
};

// True for keyspaces served by virtual tables.
bool IsVirtualKeyspace(std::string_view keyspace);

// Builds the virtual table ks.name from the current schema; nullopt when
// no such table exists.
std::optional<VirtualTable> BuildVirtualTable(std::string_view keyspace, std::string_view name,
                                              const storage::SchemaSnapshot& schema,
                                              const NodeInfo& node);

}  // namespace helenus::query
