#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"
#include "op_util.h"

namespace helenus::exec {

namespace {

// The rows of one child partition, sorted: a run of the final merge.
struct Run {
  Batch rows;
  std::vector<Column> computed;     // key values that are not bare columns
  std::vector<const Column*> keys;  // one per sort key, into rows or computed
  std::vector<uint32_t> order;      // row indices in sorted order
};

int CompareKeys(const std::vector<SortKey>& spec, const std::vector<const Column*>& a, size_t i,
                const std::vector<const Column*>& b, size_t j) {
  for (size_t k = 0; k < spec.size(); ++k) {
    const Column& x = *a[k];
    const Column& y = *b[k];
    bool null_x = x.IsNull(i);
    bool null_y = y.IsNull(j);
    if (null_x || null_y) {
      if (null_x && null_y) continue;
      // NULL placement is independent of the direction.
      return (null_x == spec[k].nulls_first) ? -1 : 1;
    }
    int c = CompareValues(x, i, y, j);
    if (c != 0) return spec[k].ascending ? c : -c;
  }
  return 0;
}

int CompareNumbers(double a, double b) {
  bool na = std::isnan(a);
  bool nb = std::isnan(b);
  if (na || nb) return na == nb ? 0 : (na ? 1 : -1);
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Points run->keys at the sort key values of run->rows.
void BindKeys(const std::vector<SortKey>& spec, Run* run) {
  run->computed.clear();
  run->computed.reserve(spec.size());
  run->keys.clear();
  for (const SortKey& key : spec) {
    int column = key.expr->ColumnIndex();
    if (column >= 0) {
      run->keys.push_back(&run->rows.columns[static_cast<size_t>(column)]);
    } else {
      run->computed.push_back(key.expr->Evaluate(run->rows));
      run->keys.push_back(&run->computed.back());
    }
  }
}

// Evaluates the keys of run->rows and sorts run->order (stable).
void SortRun(const std::vector<SortKey>& spec, Run* run) {
  BindKeys(spec, run);
  run->order.resize(run->rows.num_rows);
  std::iota(run->order.begin(), run->order.end(), 0);
  // One key without NULLs: compare the physical values directly.
  if (spec.size() == 1 && !run->keys[0]->HasNulls()) {
    const Column& c = *run->keys[0];
    bool asc = spec[0].ascending;
    if (c.physical() == Physical::kInt64) {
      const std::vector<int64_t>& v = c.ints;
      std::stable_sort(run->order.begin(), run->order.end(),
                       [&](uint32_t x, uint32_t y) { return asc ? v[x] < v[y] : v[x] > v[y]; });
      return;
    }
    if (c.physical() == Physical::kDouble) {
      const std::vector<double>& v = c.doubles;
      std::stable_sort(run->order.begin(), run->order.end(), [&](uint32_t x, uint32_t y) {
        int r = CompareNumbers(v[x], v[y]);
        return asc ? r < 0 : r > 0;
      });
      return;
    }
  }
  std::stable_sort(run->order.begin(), run->order.end(), [&](uint32_t x, uint32_t y) {
    return CompareKeys(spec, run->keys, x, run->keys, y) < 0;
  });
}

// Merges the sorted runs into batches (ties: earlier run first, so the
// result is a stable sort of the partitions in order).
class MergeStream : public BatchStream {
 public:
  MergeStream(const Schema& schema, const std::vector<SortKey>& spec, std::vector<Run>* runs,
              uint64_t limit)
      : schema_(schema),
        spec_(spec),
        runs_(*runs),
        left_(limit),
        positions_(runs->size(), 0),
        heap_(Greater{this}) {
    for (size_t r = 0; r < runs_.size(); ++r) {
      if (!runs_[r].order.empty()) heap_.push(r);
    }
  }

  bool Next(Batch* out) override {
    if (left_ == 0 || heap_.empty()) return false;
    size_t want = static_cast<size_t>(std::min<uint64_t>(left_, kBatchRows));
    if (heap_.size() == 1) {
      // One run left: its remaining order is the output.
      size_t r = heap_.top();
      Run& run = runs_[r];
      size_t begin = positions_[r];
      size_t end = std::min(run.order.size(), begin + want);
      std::vector<uint32_t> rows(run.order.begin() + static_cast<ptrdiff_t>(begin),
                                 run.order.begin() + static_cast<ptrdiff_t>(end));
      *out = run.rows.Take(rows);
      positions_[r] = end;
      if (end == run.order.size()) heap_.pop();
      left_ -= end - begin;
      return true;
    }
    picks_.clear();
    while (picks_.size() < want && !heap_.empty()) {
      size_t r = heap_.top();
      heap_.pop();
      picks_.emplace_back(r, runs_[r].order[positions_[r]]);
      if (++positions_[r] < runs_[r].order.size()) heap_.push(r);
    }
    Batch b = Batch::Empty(schema_, picks_.size());
    for (size_t c = 0; c < b.columns.size(); ++c) {
      Column& column = b.columns[c];
      for (const auto& [r, row] : picks_) column.AppendFrom(runs_[r].rows.columns[c], row);
    }
    b.num_rows = picks_.size();
    left_ -= picks_.size();
    *out = std::move(b);
    return true;
  }

 private:
  struct Greater {
    const MergeStream* self;
    bool operator()(size_t a, size_t b) const {
      const Run& x = self->runs_[a];
      const Run& y = self->runs_[b];
      int c = CompareKeys(self->spec_, x.keys, x.order[self->positions_[a]], y.keys,
                          y.order[self->positions_[b]]);
      return c != 0 ? c > 0 : a > b;
    }
  };

  const Schema& schema_;
  const std::vector<SortKey>& spec_;
  std::vector<Run>& runs_;
  uint64_t left_;
  std::vector<size_t> positions_;
  std::priority_queue<size_t, std::vector<size_t>, Greater> heap_;
  std::vector<std::pair<size_t, uint32_t>> picks_;
};

class SortOperator : public Operator {
 public:
  SortOperator(OperatorPtr child, std::vector<SortKey> keys, std::optional<int64_t> limit)
      : child_(std::move(child)), keys_(std::move(keys)), limit_(limit) {}

  const Schema& schema() const override { return child_->schema(); }
  size_t partitions() const override { return 1; }

  void Prepare(ExecContext& ctx) override {
    child_->Prepare(ctx);
    if (limit_ && *limit_ <= 0) return;
    size_t n = child_->partitions();
    runs_.resize(n);
    uint64_t compact_at = UINT64_MAX;
    if (limit_ && *limit_ < (int64_t{1} << 40)) {
      compact_at = 2 * static_cast<uint64_t>(*limit_) + kBatchRows;
    }
    ops::PoolOf(ctx).ParallelFor(n, [&](size_t p) {
      Run& run = runs_[p];
      std::vector<Batch> pending;
      size_t rows = 0;
      auto stream = child_->Open(p, ctx);
      Batch b;
      while (stream->Next(&b)) {
        ops::ThrowIfCancelled(ctx);
        rows += b.num_rows;
        pending.push_back(std::move(b));
        // Top-N: keep the best limit rows whenever twice as many are held.
        if (rows > compact_at) {
          rows = Compact(std::move(pending), &run);
          pending.clear();
          pending.push_back(std::move(run.rows));
        }
      }
      if (limit_) {
        Compact(std::move(pending), &run);
      } else {
        run.rows = ops::ConcatBatches(std::move(pending), child_->schema());
        SortRun(keys_, &run);
      }
    });
  }

  std::unique_ptr<BatchStream> Open(size_t, ExecContext&) override {
    uint64_t limit = limit_ ? static_cast<uint64_t>(std::max<int64_t>(0, *limit_)) : UINT64_MAX;
    return std::make_unique<MergeStream>(child_->schema(), keys_, &runs_, limit);
  }

  std::string Describe() const override {
    std::string keys;
    for (const SortKey& k : keys_) {
      if (!keys.empty()) keys += ", ";
      int column = k.expr->ColumnIndex();
      keys += column >= 0 ? child_->schema().fields[static_cast<size_t>(column)].name : "expr";
      keys += k.ascending ? " ASC" : " DESC";
      keys += k.nulls_first ? " NULLS FIRST" : " NULLS LAST";
    }
    if (limit_) return fmt::format("Sort [{}] limit={}", keys, *limit_);
    return fmt::format("Sort [{}]", keys);
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  // Sorts pending into run and keeps its first limit rows (still sorted in
  // run->order); returns the rows kept.
  size_t Compact(std::vector<Batch>&& pending, Run* run) {
    run->rows = ops::ConcatBatches(std::move(pending), child_->schema());
    SortRun(keys_, run);
    size_t keep = std::min<size_t>(run->order.size(), static_cast<size_t>(*limit_));
    run->order.resize(keep);
    run->rows = run->rows.Take(run->order);
    BindKeys(keys_, run);
    std::iota(run->order.begin(), run->order.end(), 0);
    return keep;
  }

  OperatorPtr child_;
  std::vector<SortKey> keys_;
  std::optional<int64_t> limit_;
  std::vector<Run> runs_;
};

}  // namespace

OperatorPtr MakeSort(OperatorPtr child, std::vector<SortKey> keys, std::optional<int64_t> limit) {
  return std::make_shared<SortOperator>(std::move(child), std::move(keys), limit);
}

}  // namespace helenus::exec
