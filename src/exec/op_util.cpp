#include "op_util.h"

#include <iterator>
#include <utility>

#include "helenus/common/error.h"
#include "helenus/exec/pool.h"

namespace helenus::exec::ops {

ComputePool& PoolOf(const ExecContext& ctx) {
  return ctx.pool != nullptr ? *ctx.pool : ComputePool::Default();
}

void ThrowIfCancelled(const ExecContext& ctx) {
  if (ctx.progress != nullptr && ctx.progress->cancelled.load(std::memory_order_relaxed)) {
    throw CqlError(ErrorCode::kServer, "Query was cancelled");
  }
}

size_t ColumnBytes(const Column& c) {
  size_t bytes = c.valid.size() + c.ints.size() * sizeof(int64_t) +
                 c.doubles.size() * sizeof(double) + c.strings.size() * sizeof(std::string);
  for (const std::string& s : c.strings) {
    // Short strings live inside the std::string object itself.
    if (s.size() >= sizeof(std::string) / 2) bytes += s.capacity();
  }
  return bytes;
}

size_t BatchBytes(const Batch& b) {
  size_t bytes = 0;
  for (const Column& c : b.columns) bytes += ColumnBytes(c);
  return bytes;
}

Column NullColumn(const DataType& type, size_t n) {
  Column c = Column::Make(type, 0);
  switch (c.physical()) {
    case Physical::kInt64:
      c.ints.assign(n, 0);
      break;
    case Physical::kDouble:
      c.doubles.assign(n, 0.0);
      break;
    case Physical::kString:
      c.strings.assign(n, std::string());
      break;
  }
  c.valid.assign(n, 0);
  return c;
}

namespace {

template <typename T>
void GatherValues(const std::vector<T>& src, const uint32_t* rows, size_t n, std::vector<T>* out) {
  out->resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (rows[i] != kNoRow) (*out)[i] = src[rows[i]];
  }
}

}  // namespace

Column Gather(const Column& src, const uint32_t* rows, size_t n) {
  Column out = Column::Make(src.type, 0);
  bool any_null = !src.valid.empty();
  for (size_t i = 0; i < n && !any_null; ++i) any_null = rows[i] == kNoRow;
  switch (src.physical()) {
    case Physical::kInt64:
      GatherValues(src.ints, rows, n, &out.ints);
      break;
    case Physical::kDouble:
      GatherValues(src.doubles, rows, n, &out.doubles);
      break;
    case Physical::kString:
      GatherValues(src.strings, rows, n, &out.strings);
      break;
  }
  if (any_null) {
    out.valid.resize(n);
    for (size_t i = 0; i < n; ++i) {
      out.valid[i] = rows[i] != kNoRow && (src.valid.empty() || src.valid[rows[i]] != 0);
    }
  }
  return out;
}

namespace {

template <typename T>
void MoveAppend(std::vector<T>* dst, std::vector<T>&& src) {
  if (dst->empty()) {
    *dst = std::move(src);
    return;
  }
  dst->insert(dst->end(), std::make_move_iterator(src.begin()), std::make_move_iterator(src.end()));
}

}  // namespace

void AppendColumn(Column* dst, Column&& src) {
  size_t before = dst->size();
  size_t added = src.size();
  if (!src.valid.empty() || !dst->valid.empty()) {
    // Either side has NULLs: materialize both validity masks.
    if (dst->valid.empty()) dst->valid.assign(before, 1);
    if (src.valid.empty()) {
      dst->valid.insert(dst->valid.end(), added, 1);
    } else {
      dst->valid.insert(dst->valid.end(), src.valid.begin(), src.valid.end());
    }
  }
  switch (dst->physical()) {
    case Physical::kInt64:
      MoveAppend(&dst->ints, std::move(src.ints));
      break;
    case Physical::kDouble:
      MoveAppend(&dst->doubles, std::move(src.doubles));
      break;
    case Physical::kString:
      MoveAppend(&dst->strings, std::move(src.strings));
      break;
  }
  src = Column::Make(src.type, 0);
}

Batch ConcatBatches(std::vector<Batch>&& parts, const Schema& schema) {
  if (parts.size() == 1) return std::move(parts[0]);
  size_t total = 0;
  for (const Batch& b : parts) total += b.num_rows;
  Batch out = Batch::Empty(schema, 0);
  for (size_t c = 0; c < out.columns.size(); ++c) {
    Column& dst = out.columns[c];
    switch (dst.physical()) {
      case Physical::kInt64:
        dst.ints.reserve(total);
        break;
      case Physical::kDouble:
        dst.doubles.reserve(total);
        break;
      case Physical::kString:
        dst.strings.reserve(total);
        break;
    }
    for (Batch& b : parts) AppendColumn(&dst, std::move(b.columns[c]));
  }
  out.num_rows = total;
  parts.clear();
  return out;
}

const Column& EvalRef(const BoundExpr& e, const Batch& input, Column* scratch) {
  int index = e.ColumnIndex();
  if (index >= 0) return input.columns[static_cast<size_t>(index)];
  *scratch = e.Evaluate(input);
  return *scratch;
}

bool VectorStream::Next(Batch* out) {
  while (next_ < batches_.size()) {
    Batch& b = batches_[next_++];
    if (b.num_rows == 0) continue;
    *out = std::move(b);
    return true;
  }
  return false;
}

}  // namespace helenus::exec::ops
