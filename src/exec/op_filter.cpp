#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "helenus/common/error.h"
#include "helenus/exec/operators.h"
#include "op_util.h"

namespace helenus::exec {

namespace {

class FilterStream : public BatchStream {
 public:
  FilterStream(std::unique_ptr<BatchStream> child, const BoundExpr& predicate)
      : child_(std::move(child)), predicate_(predicate) {}

  bool Next(Batch* out) override {
    Batch in;
    while (child_->Next(&in)) {
      Column scratch;
      const Column& mask = ops::EvalRef(predicate_, in, &scratch);
      selected_.clear();
      for (size_t i = 0; i < in.num_rows; ++i) {
        if (ops::IsTrue(mask, i)) selected_.push_back(static_cast<uint32_t>(i));
      }
      if (selected_.empty()) continue;
      if (selected_.size() == in.num_rows) {
        *out = std::move(in);
      } else {
        *out = in.Take(selected_);
      }
      return true;
    }
    return false;
  }

 private:
  std::unique_ptr<BatchStream> child_;
  const BoundExpr& predicate_;
  std::vector<uint32_t> selected_;
};

class FilterOperator : public Operator {
 public:
  FilterOperator(OperatorPtr child, BoundExprPtr predicate)
      : child_(std::move(child)), predicate_(std::move(predicate)) {
    if (predicate_->type().kind != TypeKind::kBoolean) {
      ThrowInvalid("Filter condition must be boolean, not {}", predicate_->type().ToCql());
    }
  }

  const Schema& schema() const override { return child_->schema(); }
  size_t partitions() const override { return child_->partitions(); }
  void Prepare(ExecContext& ctx) override { child_->Prepare(ctx); }
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return std::make_unique<FilterStream>(child_->Open(partition, ctx), *predicate_);
  }
  std::string Describe() const override {
    int column = predicate_->ColumnIndex();
    if (column >= 0) return "Filter " + child_->schema().fields[column].name;
    return "Filter";
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  OperatorPtr child_;
  BoundExprPtr predicate_;
};

}  // namespace

OperatorPtr MakeFilter(OperatorPtr child, BoundExprPtr predicate) {
  return std::make_shared<FilterOperator>(std::move(child), std::move(predicate));
}

}  // namespace helenus::exec
