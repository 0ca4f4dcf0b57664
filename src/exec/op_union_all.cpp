#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"
#include "op_util.h"

namespace helenus::exec {

namespace {

// Relabels the columns of an input whose types differ from the union's but
// share their physical form (e.g. int under bigint).
class RetypeStream : public BatchStream {
 public:
  RetypeStream(std::unique_ptr<BatchStream> child, const Schema& schema)
      : child_(std::move(child)), schema_(schema) {}

  bool Next(Batch* out) override {
    if (!child_->Next(out)) return false;
    for (size_t c = 0; c < out->columns.size(); ++c) out->columns[c].type = schema_.fields[c].type;
    return true;
  }

 private:
  std::unique_ptr<BatchStream> child_;
  const Schema& schema_;
};

class UnionAllOperator : public Operator {
 public:
  explicit UnionAllOperator(std::vector<OperatorPtr> inputs) : inputs_(std::move(inputs)) {
    if (inputs_.empty()) ThrowInvalid("UNION ALL needs at least one input");
    const Schema& first = inputs_[0]->schema();
    for (size_t i = 1; i < inputs_.size(); ++i) {
      const Schema& s = inputs_[i]->schema();
      if (s.size() != first.size()) {
        ThrowInvalid("UNION ALL inputs have {} and {} columns", first.size(), s.size());
      }
      for (size_t c = 0; c < s.size(); ++c) {
        if (PhysicalOf(s.fields[c].type) != PhysicalOf(first.fields[c].type)) {
          ThrowInvalid("UNION ALL column {} has types {} and {}", first.fields[c].name,
                       first.fields[c].type.ToCql(), s.fields[c].type.ToCql());
        }
      }
    }
  }

  const Schema& schema() const override { return inputs_[0]->schema(); }
  size_t partitions() const override {
    size_t n = 0;
    for (const OperatorPtr& input : inputs_) n += input->partitions();
    return n;
  }
  void Prepare(ExecContext& ctx) override {
    ops::PoolOf(ctx).ParallelFor(inputs_.size(), [&](size_t i) { inputs_[i]->Prepare(ctx); });
  }
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    for (const OperatorPtr& input : inputs_) {
      size_t n = input->partitions();
      if (partition >= n) {
        partition -= n;
        continue;
      }
      auto stream = input->Open(partition, ctx);
      bool same = true;
      for (size_t c = 0; c < schema().size(); ++c) {
        same = same && input->schema().fields[c].type == schema().fields[c].type;
      }
      if (same) return stream;
      return std::make_unique<RetypeStream>(std::move(stream), schema());
    }
    throw CqlError(ErrorCode::kServer, "UNION ALL partition out of range");
  }
  std::string Describe() const override {
    return fmt::format("UnionAll inputs={}", inputs_.size());
  }
  std::vector<OperatorPtr> children() const override { return inputs_; }

 private:
  std::vector<OperatorPtr> inputs_;
};

}  // namespace

OperatorPtr MakeUnionAll(std::vector<OperatorPtr> inputs) {
  return std::make_shared<UnionAllOperator>(std::move(inputs));
}

}  // namespace helenus::exec
