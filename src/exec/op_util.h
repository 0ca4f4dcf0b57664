#pragma once

// Internal helpers shared by the physical operators: pools, cancellation,
// memory estimates and column gathering without per-row virtual calls.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "helenus/exec/column.h"
#include "helenus/exec/expr.h"
#include "helenus/exec/operator.h"

namespace helenus::exec {
class ComputePool;
}  // namespace helenus::exec

namespace helenus::exec::ops {

// Row index meaning "no row" (NULL-padded side of an outer join).
inline constexpr uint32_t kNoRow = UINT32_MAX;

// The pool of ctx, or the process-wide one when ctx has none.
ComputePool& PoolOf(const ExecContext& ctx);

// Throws CqlError when the statement of ctx was cancelled.
void ThrowIfCancelled(const ExecContext& ctx);

// Approximate bytes a column holds in memory.
size_t ColumnBytes(const Column& c);
// Approximate bytes a batch holds in memory.
size_t BatchBytes(const Batch& b);

// A column of n NULLs of type.
Column NullColumn(const DataType& type, size_t n);

// The rows `rows` of src in order; kNoRow gives NULL.
Column Gather(const Column& src, const uint32_t* rows, size_t n);

// Appends all rows of src to dst (same physical form), moving strings.
void AppendColumn(Column* dst, Column&& src);

// Concatenates batches of one schema into one batch (moves their contents).
Batch ConcatBatches(std::vector<Batch>&& parts, const Schema& schema);

// Evaluates e over input; a bare column reference returns the input column
// without copying, otherwise the result lands in *scratch.
const Column& EvalRef(const BoundExpr& e, const Batch& input, Column* scratch);

// True when row i of a boolean column is present and true.
inline bool IsTrue(const Column& c, size_t i) {
  return (c.valid.empty() || c.valid[i] != 0) && c.ints[i] != 0;
}

// A stream over batches held in memory (moved out one by one).
class VectorStream : public BatchStream {
 public:
  // Streams batches in order, skipping empty ones.
  explicit VectorStream(std::vector<Batch> batches) : batches_(std::move(batches)) {}
  // Next non-empty batch.
  bool Next(Batch* out) override;

 private:
  std::vector<Batch> batches_;
  size_t next_ = 0;
};

// A stream that never yields a batch.
class EmptyStream : public BatchStream {
 public:
  // Always false.
  bool Next(Batch*) override { return false; }
};

}  // namespace helenus::exec::ops
