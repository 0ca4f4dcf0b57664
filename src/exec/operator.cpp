#include "helenus/exec/operator.h"

#include <string>

#include "helenus/exec/pool.h"
#include "op_util.h"

namespace helenus::exec {

namespace {

void ExplainInto(const Operator& op, size_t depth, std::string* out) {
  out->append(depth * 2, ' ');
  out->append(op.Describe());
  out->push_back('\n');
  for (const OperatorPtr& child : op.children()) {
    if (child) ExplainInto(*child, depth + 1, out);
  }
}

}  // namespace

std::vector<Batch> CollectAll(const OperatorPtr& root, ExecContext& ctx) {
  root->Prepare(ctx);
  size_t n = root->partitions();
  std::vector<std::vector<Batch>> parts(n);
  ops::PoolOf(ctx).ParallelFor(n, [&](size_t p) {
    auto stream = root->Open(p, ctx);
    Batch b;
    while (stream->Next(&b)) {
      ops::ThrowIfCancelled(ctx);
      parts[p].push_back(std::move(b));
    }
  });
  std::vector<Batch> out;
  for (auto& part : parts) {
    for (Batch& b : part) out.push_back(std::move(b));
  }
  return out;
}

void RunAll(const OperatorPtr& root, ExecContext& ctx,
            const std::function<void(size_t, Batch&)>& sink) {
  root->Prepare(ctx);
  ops::PoolOf(ctx).ParallelFor(root->partitions(), [&](size_t p) {
    auto stream = root->Open(p, ctx);
    Batch b;
    while (stream->Next(&b)) {
      ops::ThrowIfCancelled(ctx);
      sink(p, b);
    }
  });
}

std::string ExplainTree(const OperatorPtr& root) {
  std::string out;
  if (root) ExplainInto(*root, 0, &out);
  return out;
}

}  // namespace helenus::exec
