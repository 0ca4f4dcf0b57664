#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/exec/operators.h"

namespace helenus::exec {

namespace {

class ProjectStream : public BatchStream {
 public:
  ProjectStream(std::unique_ptr<BatchStream> child, const std::vector<BoundExprPtr>& exprs,
                const std::vector<int>& movable)
      : child_(std::move(child)), exprs_(exprs), movable_(movable) {}

  bool Next(Batch* out) override {
    Batch in;
    if (!child_->Next(&in)) return false;
    Batch result;
    result.num_rows = in.num_rows;
    result.columns.resize(exprs_.size());
    // Computed columns first: they may read input columns moved out below.
    for (size_t i = 0; i < exprs_.size(); ++i) {
      int column = exprs_[i]->ColumnIndex();
      if (column < 0) {
        result.columns[i] = exprs_[i]->Evaluate(in);
      } else if (!movable_[i]) {
        result.columns[i] = in.columns[static_cast<size_t>(column)];
      }
    }
    for (size_t i = 0; i < exprs_.size(); ++i) {
      if (movable_[i]) {
        result.columns[i] = std::move(in.columns[static_cast<size_t>(exprs_[i]->ColumnIndex())]);
      }
    }
    *out = std::move(result);
    return true;
  }

 private:
  std::unique_ptr<BatchStream> child_;
  const std::vector<BoundExprPtr>& exprs_;
  const std::vector<int>& movable_;
};

class ProjectOperator : public Operator {
 public:
  ProjectOperator(OperatorPtr child, std::vector<BoundExprPtr> exprs, std::vector<Field> fields)
      : child_(std::move(child)), exprs_(std::move(exprs)) {
    if (fields.size() != exprs_.size()) {
      ThrowInvalid("Projection has {} expressions but {} names", exprs_.size(), fields.size());
    }
    schema_.fields = std::move(fields);
    for (size_t i = 0; i < exprs_.size(); ++i) schema_.fields[i].type = exprs_[i]->type();
    // A column referenced by exactly one bare reference can be moved, not copied.
    std::vector<int> refs(child_->schema().size(), 0);
    for (const BoundExprPtr& e : exprs_) {
      if (e->ColumnIndex() >= 0) ++refs[static_cast<size_t>(e->ColumnIndex())];
    }
    movable_.resize(exprs_.size(), 0);
    for (size_t i = 0; i < exprs_.size(); ++i) {
      int column = exprs_[i]->ColumnIndex();
      movable_[i] = column >= 0 && refs[static_cast<size_t>(column)] == 1;
    }
  }

  const Schema& schema() const override { return schema_; }
  size_t partitions() const override { return child_->partitions(); }
  void Prepare(ExecContext& ctx) override { child_->Prepare(ctx); }
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return std::make_unique<ProjectStream>(child_->Open(partition, ctx), exprs_, movable_);
  }
  std::string Describe() const override {
    std::string names;
    for (const Field& f : schema_.fields) {
      if (!names.empty()) names += ", ";
      names += f.name;
    }
    return fmt::format("Project [{}]", names);
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  OperatorPtr child_;
  std::vector<BoundExprPtr> exprs_;
  Schema schema_;
  std::vector<int> movable_;
};

}  // namespace

OperatorPtr MakeProject(OperatorPtr child, std::vector<BoundExprPtr> exprs,
                        std::vector<Field> fields) {
  return std::make_shared<ProjectOperator>(std::move(child), std::move(exprs), std::move(fields));
}

}  // namespace helenus::exec
