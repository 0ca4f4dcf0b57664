#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/exec/operators.h"

namespace helenus::exec {

namespace {

// Rows per partition: large in-memory inputs (a DataFrame built from one big
// batch) are cut into several partitions so that operators above them run in
// parallel.
constexpr size_t kRowsPerPartition = 16 * kBatchRows;

// One contiguous range of one input batch.
struct Part {
  size_t batch;
  size_t begin;
  size_t end;
};

class ValuesStream : public BatchStream {
 public:
  ValuesStream(const Batch& batch, Part part) : batch_(batch), next_(part.begin), end_(part.end) {}

  bool Next(Batch* out) override {
    if (next_ >= end_) return false;
    size_t stop = std::min(end_, next_ + kBatchRows);
    *out = (next_ == 0 && stop == batch_.num_rows) ? batch_ : batch_.Slice(next_, stop);
    next_ = stop;
    return true;
  }

 private:
  const Batch& batch_;
  size_t next_;
  size_t end_;
};

class ValuesOperator : public Operator {
 public:
  ValuesOperator(Schema schema, std::vector<Batch> batches)
      : schema_(std::move(schema)), batches_(std::move(batches)) {
    for (size_t b = 0; b < batches_.size(); ++b) {
      size_t rows = batches_[b].num_rows;
      rows_ += rows;
      for (size_t begin = 0; begin < rows; begin += kRowsPerPartition) {
        parts_.push_back({b, begin, std::min(rows, begin + kRowsPerPartition)});
      }
    }
  }

  const Schema& schema() const override { return schema_; }
  size_t partitions() const override { return parts_.size(); }
  void Prepare(ExecContext&) override {}
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext&) override {
    const Part& part = parts_.at(partition);
    return std::make_unique<ValuesStream>(batches_[part.batch], part);
  }
  std::string Describe() const override {
    return fmt::format("Values rows={} partitions={}", rows_, parts_.size());
  }
  std::vector<OperatorPtr> children() const override { return {}; }

 private:
  Schema schema_;
  std::vector<Batch> batches_;
  std::vector<Part> parts_;
  size_t rows_ = 0;
};

}  // namespace

OperatorPtr MakeValues(Schema schema, std::vector<Batch> batches) {
  return std::make_shared<ValuesOperator>(std::move(schema), std::move(batches));
}

}  // namespace helenus::exec
