#pragma once

#include <memory>
#include <string>
#include <vector>

#include "helenus/cql/ast.h"
#include "helenus/cql/messages.h"
#include "helenus/storage/catalog.h"
#include "row_values.h"

namespace helenus::query {

class SelectorEval;

// The SELECT clause compiled against a table: output columns, the stored
// columns it needs, and per-row (or aggregate) evaluation.
class Selection {
 public:
  // Compiles selectors (empty = '*').
  Selection(const storage::TableSchema& table, const std::vector<cql::ast::Selector>& selectors);
  ~Selection();
  Selection(Selection&&) noexcept;

  // Result metadata columns, in output order.
  const std::vector<cql::ColumnSpec>& columns() const { return columns_; }
  // True when some selector aggregates (count, min, max, sum, avg).
  bool is_aggregate() const { return aggregate_; }
  // True when a static or regular column is selected (static-only rows matter).
  bool selects_static() const { return selects_static_; }
  // Store column ids the selection reads (empty = none needed).
  const std::vector<uint32_t>& column_ids() const { return column_ids_; }

  // Evaluates a non-aggregate selection on one row.
  std::vector<Value> Evaluate(const RowContext& row) const;
  // Feeds one row into the aggregates.
  void Accumulate(const RowContext& row);
  // The aggregate row; resets the accumulators.
  std::vector<Value> Finish();

 private:
  std::vector<cql::ColumnSpec> columns_;
  std::vector<std::unique_ptr<SelectorEval>> evals_;
  std::vector<uint32_t> column_ids_;
  bool aggregate_ = false;
  bool selects_static_ = false;
};

}  // namespace helenus::query
