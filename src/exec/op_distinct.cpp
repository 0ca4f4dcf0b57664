#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "helenus/exec/operators.h"

namespace helenus::exec {

namespace {

// A bare reference to input column index_.
class ColumnRef : public BoundExpr {
 public:
  ColumnRef(size_t index, DataType type) : BoundExpr(std::move(type)), index_(index) {}
  Column Evaluate(const Batch& input) const override { return input.columns[index_]; }
  int ColumnIndex() const override { return static_cast<int>(index_); }

 private:
  size_t index_;
};

// DISTINCT is a hash aggregation on every column without aggregates; this
// wrapper only names it and shows the real child in EXPLAIN.
class DistinctOperator : public Operator {
 public:
  explicit DistinctOperator(OperatorPtr child) : child_(std::move(child)) {
    const Schema& schema = child_->schema();
    std::vector<BoundExprPtr> keys;
    for (size_t i = 0; i < schema.size(); ++i) {
      keys.push_back(std::make_shared<ColumnRef>(i, schema.fields[i].type));
    }
    aggregate_ = MakeHashAggregate(child_, std::move(keys), schema.fields, {});
  }

  const Schema& schema() const override { return aggregate_->schema(); }
  size_t partitions() const override { return aggregate_->partitions(); }
  void Prepare(ExecContext& ctx) override { aggregate_->Prepare(ctx); }
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return aggregate_->Open(partition, ctx);
  }
  std::string Describe() const override { return "Distinct"; }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  OperatorPtr child_;
  OperatorPtr aggregate_;
};

}  // namespace

OperatorPtr MakeDistinct(OperatorPtr child) {
  return std::make_shared<DistinctOperator>(std::move(child));
}

}  // namespace helenus::exec
