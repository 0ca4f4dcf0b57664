#pragma once

#include <vector>

#include "helenus/common/value.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::query {

// One row as read from the store, with its partition key split into columns.
struct RowContext {
  const storage::TableSchema* table;
  const storage::RowRead* row;
  const std::vector<Bytes>* pk_parts;
  int64_t now_seconds;

  // The stored cell of a regular or static column, or nullptr when absent.
  const storage::CellRead* Cell(const storage::ColumnSchema& c) const;
  // The value of any column (key columns included); nullopt for null.
  Value Get(const storage::ColumnSchema& c) const;
};

// Splits a serialized partition key into its column values.
std::vector<Bytes> SplitKey(const storage::TableSchema& table, const Bytes& partition_key);

}  // namespace helenus::query
