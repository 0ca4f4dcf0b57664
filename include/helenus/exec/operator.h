#pragma once

// Physical operators. An operator produces `partitions()` independent batch
// streams that run in parallel on the compute pool. Pipeline breakers
// (aggregate, join build, sort) do their blocking work in Prepare, which
// drives their children's partitions in parallel; Open then only streams.
//
//   root->Prepare(ctx);                        // recursively, bottom-up
//   pool.ParallelFor(root->partitions(), [&](size_t p) {
//     auto s = root->Open(p, ctx); Batch b; while (s->Next(&b)) ...;
//   });

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "helenus/exec/column.h"

namespace helenus::exec {

class ComputePool;

// Counters a running statement exposes (system_views.queries, progress bars).
struct Progress {
  std::atomic<uint64_t> rows_scanned{0};
  std::atomic<uint64_t> splits_total{0};
  std::atomic<uint64_t> splits_done{0};
  std::atomic<uint64_t> bytes_spilled{0};
  std::atomic<bool> cancelled{false};
};

// What operators of one statement share.
struct ExecContext {
  ComputePool* pool = nullptr;
  // Bytes a blocking operator (hash aggregate, hash join build, sort) may
  // hold before it spills partitions to spill_dir.
  size_t memory_limit = size_t{1} << 30;
  std::string spill_dir = "/tmp";
  Progress* progress = nullptr;  // optional
};

// A stream of batches from one partition of an operator.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  // Replaces *out with the next non-empty batch; false at the end.
  virtual bool Next(Batch* out) = 0;
};

// A node of a physical plan.
class Operator {
 public:
  virtual ~Operator() = default;
  // Columns of every batch this operator produces.
  virtual const Schema& schema() const = 0;
  // Number of independent output streams.
  virtual size_t partitions() const = 0;
  // Does blocking work (after preparing the children); called once, before Open.
  virtual void Prepare(ExecContext& ctx) = 0;
  // The stream of output partition p (0 <= p < partitions()); each p once.
  virtual std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) = 0;
  // One line for EXPLAIN, e.g. "HashAggregate keys=[movieid] aggs=[avg(rating)]".
  virtual std::string Describe() const = 0;
  // Inputs, for EXPLAIN and tree walks.
  virtual std::vector<std::shared_ptr<Operator>> children() const = 0;
};
using OperatorPtr = std::shared_ptr<Operator>;

// Prepares root and returns all its rows (partition order, then stream order).
std::vector<Batch> CollectAll(const OperatorPtr& root, ExecContext& ctx);
// Prepares root and calls sink(partition, batch) from pool threads, concurrently.
void RunAll(const OperatorPtr& root, ExecContext& ctx,
            const std::function<void(size_t, Batch&)>& sink);
// The plan as an indented tree, one operator per line.
std::string ExplainTree(const OperatorPtr& root);

}  // namespace helenus::exec
