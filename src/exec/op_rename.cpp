#include "op_rename.h"

#include <fmt/format.h>

#include "helenus/common/error.h"

namespace helenus::exec {
namespace {

// Passes the child's batches through under other field names or qualifiers:
// aliases cost nothing at run time.
class RenameOp final : public Operator {
 public:
  RenameOp(OperatorPtr child, Schema schema)
      : child_(std::move(child)), schema_(std::move(schema)) {}
  const Schema& schema() const override { return schema_; }
  size_t partitions() const override { return child_->partitions(); }
  void Prepare(ExecContext& ctx) override { child_->Prepare(ctx); }
  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return child_->Open(partition, ctx);
  }
  std::string Describe() const override {
    std::string names;
    for (const auto& f : schema_.fields) {
      if (!names.empty()) names += ", ";
      names += f.qualifier.empty() ? f.name : f.qualifier + "." + f.name;
    }
    return fmt::format("Rename [{}]", names);
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  OperatorPtr child_;
  Schema schema_;
};

}  // namespace

OperatorPtr MakeRename(OperatorPtr child, Schema schema) {
  if (schema.size() != child->schema().size()) {
    ThrowInvalid("Rename needs {} names, got {}", child->schema().size(), schema.size());
  }
  return std::make_shared<RenameOp>(std::move(child), std::move(schema));
}

}  // namespace helenus::exec
