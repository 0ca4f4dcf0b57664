#include <algorithm>
#include <atomic>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"
#include "op_util.h"

namespace helenus::exec {

namespace {

// Reads the child's partitions in parallel but keeps exactly the rows a
// sequential read in partition order would keep: partition p stops once it
// alone holds offset + limit rows, or once partitions 0..p-1 are complete
// and already hold that many.
class LimitOperator : public Operator {
 public:
  LimitOperator(OperatorPtr child, int64_t limit, int64_t offset)
      : child_(std::move(child)),
        limit_(std::max<int64_t>(0, limit)),
        offset_(std::max<int64_t>(0, offset)) {}

  const Schema& schema() const override { return child_->schema(); }
  size_t partitions() const override { return 1; }

  void Prepare(ExecContext& ctx) override {
    child_->Prepare(ctx);
    if (limit_ == 0) return;
    uint64_t need = static_cast<uint64_t>(limit_) + static_cast<uint64_t>(offset_);
    size_t n = child_->partitions();
    std::vector<std::vector<Batch>> parts(n);
    auto counts = std::make_unique<std::atomic<uint64_t>[]>(n);
    auto done = std::make_unique<std::atomic<bool>[]>(n);
    for (size_t p = 0; p < n; ++p) {
      counts[p] = 0;
      done[p] = false;
    }
    auto prefix_satisfied = [&](size_t p) {
      uint64_t sum = 0;
      for (size_t q = 0; q < p; ++q) {
        if (!done[q].load(std::memory_order_acquire)) return false;
        sum += counts[q].load(std::memory_order_relaxed);
        if (sum >= need) return true;
      }
      return false;
    };
    ops::PoolOf(ctx).ParallelFor(n, [&](size_t p) {
      if (!prefix_satisfied(p)) {
        auto stream = child_->Open(p, ctx);
        Batch b;
        while (stream->Next(&b)) {
          ops::ThrowIfCancelled(ctx);
          uint64_t total = counts[p].load(std::memory_order_relaxed) + b.num_rows;
          counts[p].store(total, std::memory_order_relaxed);
          parts[p].push_back(std::move(b));
          if (total >= need || prefix_satisfied(p)) break;
        }
      }
      done[p].store(true, std::memory_order_release);
    });
    uint64_t skip = static_cast<uint64_t>(offset_);
    uint64_t left = static_cast<uint64_t>(limit_);
    for (auto& part : parts) {
      for (Batch& b : part) {
        if (left == 0) break;
        size_t begin = static_cast<size_t>(std::min<uint64_t>(skip, b.num_rows));
        skip -= begin;
        size_t end = begin + static_cast<size_t>(std::min<uint64_t>(left, b.num_rows - begin));
        if (end == begin) continue;
        left -= end - begin;
        result_.push_back(begin == 0 && end == b.num_rows ? std::move(b) : b.Slice(begin, end));
      }
    }
  }

  std::unique_ptr<BatchStream> Open(size_t, ExecContext&) override {
    return std::make_unique<ops::VectorStream>(std::move(result_));
  }
  std::string Describe() const override {
    if (offset_ == 0) return fmt::format("Limit {}", limit_);
    return fmt::format("Limit {} offset={}", limit_, offset_);
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  OperatorPtr child_;
  int64_t limit_;
  int64_t offset_;
  std::vector<Batch> result_;
};

}  // namespace

OperatorPtr MakeLimit(OperatorPtr child, int64_t limit, int64_t offset) {
  return std::make_shared<LimitOperator>(std::move(child), limit, offset);
}

}  // namespace helenus::exec
