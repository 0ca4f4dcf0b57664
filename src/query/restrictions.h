#pragma once

#include <optional>
#include <string>
#include <vector>

#include "helenus/cql/ast.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"
#include "term_binder.h"

namespace helenus::query {

// A WHERE relation that rows must be filtered by (values already bound).
struct RowFilter {
  const storage::ColumnSchema* column = nullptr;
  cql::ast::Operator op = cql::ast::Operator::kEq;
  std::vector<Bytes> values;     // IN: several; others: one
  std::optional<Bytes> map_key;  // c[key] = v
};

// What a WHERE clause says about the primary key, and what is left to filter.
struct KeyRestrictions {
  // Serialized partition keys (composite applied), when every partition-key
  // column is restricted by = or IN; in the order the values were given.
  std::vector<Bytes> partition_keys;
  bool partition_restricted = false;
  // token(pk) bounds: (start, end].
  std::optional<int64_t> token_start;
  std::optional<int64_t> token_end;
  // Clustering slices in clustering order (empty = whole partition).
  std::vector<storage::ClusteringSlice> slices;
  // Leading clustering columns restricted by = or IN, and the full
  // clustering keys they name when that covers every clustering column.
  size_t clustering_eq_columns = 0;
  bool clustering_has_slice = false;
  std::vector<std::vector<Bytes>> clustering_keys;  // cartesian product of = / IN values
  // Relations evaluated on each row; needs ALLOW FILTERING in a SELECT.
  std::vector<RowFilter> filters;
  bool needs_filtering = false;
  std::string filtering_reason;  // Cassandra's error when ALLOW FILTERING is missing
};

// Which statement the WHERE belongs to: modifications are stricter.
enum class WhereUse { kSelect, kUpdate, kDelete };

// Analyses and binds a WHERE clause against table.
KeyRestrictions AnalyzeWhere(const storage::TableSchema& table,
                             const std::vector<cql::ast::Relation>& where, const TermBinder& binder,
                             WhereUse use);

// Compares two clustering prefixes in the table's clustering order.
int CompareClustering(const storage::TableSchema& table, const std::vector<Bytes>& a,
                      const std::vector<Bytes>& b);

}  // namespace helenus::query
