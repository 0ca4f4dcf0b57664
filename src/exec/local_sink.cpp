// LocalSink: writes batches into a table of the in-process Store with
// INSERT semantics (row marker, NULL = unset, collections overwritten).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/table_source.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::exec {
namespace {

using storage::CellOp;
using storage::ColumnKind;
using storage::ColumnSchema;
using storage::RowMutation;
using storage::TableSchema;

// Rows per atomic Store::Apply: big enough to amortize the write (and its
// fsync), small enough to bound the memory of one WriteBatch.
constexpr size_t kChunkRows = 2000;

// Microsecond write timestamps that never repeat or go backwards within the
// process, so a later chunk always wins over an earlier one.
int64_t NextTimestamp() {
  static std::atomic<int64_t> last{0};
  const int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  int64_t prev = last.load();
  int64_t next;
  do {
    next = std::max(now, prev + 1);
  } while (!last.compare_exchange_weak(prev, next));
  return next;
}

bool TextLike(const DataType& t) {
  return t.kind == TypeKind::kText || t.kind == TypeKind::kAscii;
}

void PutBe(uint64_t v, size_t n, Bytes* out) {
  out->resize(n);
  for (size_t i = 0; i < n; ++i) (*out)[i] = static_cast<char>(v >> (8 * (n - 1 - i)));
}

// Converts values of one batch column into CQL-serialized values of one table column.
class Encoder {
 public:
  Encoder(const Column& from, const ColumnSchema& to) : from_(from), to_(to) {
    if (PhysicalOf(from.type) != PhysicalOf(to.type)) {
      ThrowInvalid("Type error: cannot write a value of type {} into column {} of type {}",
                   from.type.ToCql(), to.name, to.type.ToCql());
    }
    if (to.type.kind == TypeKind::kCounter) {
      ThrowInvalid("INSERT statements are not allowed on counter tables, use UPDATE instead");
    }
    // Strings of another type (say blob into uuid) must be valid for the target.
    validate_ = PhysicalOf(to.type) == Physical::kString && !(from.type == to.type) &&
                !(TextLike(from.type) && TextLike(to.type)) && to.type.kind != TypeKind::kBlob;
  }

  bool IsNull(size_t row) const { return from_.IsNull(row); }

  // The serialized value of a non-NULL row.
  void Encode(size_t row, Bytes* out) const {
    switch (PhysicalOf(to_.type)) {
      case Physical::kInt64:
        EncodeInt(from_.ints[row], out);
        return;
      case Physical::kDouble: {
        const double d = from_.doubles[row];
        if (to_.type.kind == TypeKind::kFloat) {
          const float f = static_cast<float>(d);
          uint32_t u;
          std::memcpy(&u, &f, 4);
          PutBe(u, 4, out);
        } else {
          uint64_t u;
          std::memcpy(&u, &d, 8);
          PutBe(u, 8, out);
        }
        return;
      }
      case Physical::kString:
        *out = from_.strings[row];
        if (validate_) {
          if (auto err = cql::Validate(to_.type, *out)) {
            ThrowInvalid("Invalid value for column {}: {}", to_.name, *err);
          }
        }
        return;
    }
  }

 private:
  void EncodeInt(int64_t v, Bytes* out) const {
    auto range = [&](int64_t lo, int64_t hi) {
      if (v < lo || v > hi) {
        ThrowInvalid("Value {} is out of range for column {} of type {}", v, to_.name,
                     to_.type.ToCql());
      }
    };
    switch (to_.type.kind) {
      case TypeKind::kTinyint:
        range(INT8_MIN, INT8_MAX);
        PutBe(static_cast<uint64_t>(v), 1, out);
        return;
      case TypeKind::kSmallint:
        range(INT16_MIN, INT16_MAX);
        PutBe(static_cast<uint64_t>(v), 2, out);
        return;
      case TypeKind::kInt:
        range(INT32_MIN, INT32_MAX);
        PutBe(static_cast<uint64_t>(v), 4, out);
        return;
      case TypeKind::kBoolean:
        PutBe(v != 0 ? 1 : 0, 1, out);
        return;
      case TypeKind::kDate:
        // Signed days since the epoch -> CQL's unsigned days with 2^31 at the epoch.
        range(INT32_MIN, INT32_MAX);
        PutBe(static_cast<uint64_t>(v + (int64_t{1} << 31)), 4, out);
        return;
      default:  // bigint, timestamp, time
        PutBe(static_cast<uint64_t>(v), 8, out);
        return;
    }
  }

  const Column& from_;
  const ColumnSchema& to_;
  bool validate_ = false;
};

class LocalSink : public TableSink {
 public:
  LocalSink(storage::Store* store, std::shared_ptr<const TableSchema> table)
      : store_(store), table_(std::move(table)) {}

  void Write(const Schema& schema, const Batch& batch) override {
    const TableSchema& t = *table_;
    // Batch column of each table column (-1 = absent).
    std::vector<int> source(t.columns.size(), -1);
    for (size_t i = 0; i < schema.fields.size(); ++i) {
      const std::string& name = schema.fields[i].name;
      const ColumnSchema* c = t.Find(name);
      if (!c) ThrowInvalid("Undefined column name {}", name);
      const size_t at = static_cast<size_t>(c - t.columns.data());
      if (source[at] >= 0) ThrowInvalid("Multiple definitions found for column {}", name);
      source[at] = static_cast<int>(i);
    }
    const auto pk = t.PartitionKey();
    const auto ck = t.Clustering();
    std::vector<Encoder> pk_enc, ck_enc, cell_enc;
    std::vector<const ColumnSchema*> cell_cols;
    for (const auto* group : {&pk, &ck}) {
      for (const auto* c : *group) {
        const int s = source[static_cast<size_t>(c - t.columns.data())];
        if (s < 0) ThrowInvalid("Missing PRIMARY KEY part {}", c->name);
        (group == &pk ? pk_enc : ck_enc).emplace_back(batch.columns[s], *c);
      }
    }
    bool has_static = false;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      const ColumnSchema& c = t.columns[i];
      if (source[i] < 0 || c.kind == ColumnKind::kPartitionKey ||
          c.kind == ColumnKind::kClustering) {
        continue;
      }
      cell_enc.emplace_back(batch.columns[source[i]], c);
      cell_cols.push_back(&c);
      has_static |= c.kind == ColumnKind::kStatic;
    }

    const int32_t ttl = t.DefaultTtl();
    std::vector<RowMutation> chunk;
    chunk.reserve(std::min(batch.num_rows, kChunkRows));
    std::vector<Bytes> pk_parts(pk.size());
    std::vector<std::string_view> pk_views(pk.size());
    int64_t ts = NextTimestamp();
    for (size_t row = 0; row < batch.num_rows; ++row) {
      RowMutation m;
      m.timestamp = ts;
      m.ttl = ttl;
      for (size_t k = 0; k < pk.size(); ++k) {
        if (pk_enc[k].IsNull(row)) {
          ThrowInvalid("Invalid null value in condition for column {}", pk[k]->name);
        }
        pk_enc[k].Encode(row, &pk_parts[k]);
      }
      if (pk.size() == 1) {
        if (pk_parts[0].empty()) ThrowInvalid("Key may not be empty");
        m.partition_key = pk_parts[0];
      } else {
        for (size_t k = 0; k < pk.size(); ++k) pk_views[k] = pk_parts[k];
        m.partition_key = CompositePartitionKey(pk_views);
      }
      bool any_regular = false;
      for (size_t i = 0; i < cell_enc.size(); ++i) {
        if (cell_enc[i].IsNull(row)) continue;  // as an unset INSERT value: no tombstone
        const ColumnSchema& c = *cell_cols[i];
        CellOp op;
        op.column = c.id;
        Bytes v;
        cell_enc[i].Encode(row, &v);
        if (!c.type.IsMultiCell()) {
          op.kind = CellOp::Kind::kSet;
          op.value = std::move(v);
        } else {
          op.kind = CellOp::Kind::kCollectionOverwrite;
          if (c.type.kind == TypeKind::kMap) {
            op.entries = cql::DecodeMap(v);
          } else {
            op.elements = cql::DecodeCollection(v);
          }
        }
        any_regular |= c.kind == ColumnKind::kRegular;
        m.cells.push_back(std::move(op));
      }
      // A row of only the partition key and statics with NULL clustering is
      // the static-only row a scan shows: write it as CQL's INSERT of statics.
      bool static_only = false;
      if (!ck.empty() && has_static && !any_regular && !m.cells.empty()) {
        static_only = std::all_of(ck_enc.begin(), ck_enc.end(),
                                  [&](const Encoder& e) { return e.IsNull(row); });
      }
      if (!static_only) {
        m.clustering.resize(ck.size());
        for (size_t k = 0; k < ck.size(); ++k) {
          if (ck_enc[k].IsNull(row)) {
            ThrowInvalid("Invalid null value in condition for column {}", ck[k]->name);
          }
          ck_enc[k].Encode(row, &m.clustering[k]);
        }
        m.row_marker = true;
      }
      chunk.push_back(std::move(m));
      if (chunk.size() >= kChunkRows) {
        Apply(&chunk);
        ts = NextTimestamp();
      }
    }
    Apply(&chunk);
  }

  uint64_t Finish() override { return rows_.load(); }

 private:
  void Apply(std::vector<RowMutation>* chunk) {
    if (chunk->empty()) return;
    auto s = store_->Apply(table_->layout, *chunk);
    if (!s.ok()) {
      if (s.code() == Status::Code::kInvalidArgument) ThrowInvalid("{}", s.message());
      throw CqlError(ErrorCode::kWriteFailure, "write to " + table_->keyspace + "." + table_->name +
                                                   " failed: " + s.message());
    }
    rows_.fetch_add(chunk->size());
    chunk->clear();
  }

  storage::Store* store_;
  std::shared_ptr<const TableSchema> table_;
  std::atomic<uint64_t> rows_{0};
};

}  // namespace

std::shared_ptr<TableSink> MakeLocalSink(storage::Store* store,
                                         std::shared_ptr<const storage::TableSchema> table) {
  return std::make_shared<LocalSink>(store, std::move(table));
}

}  // namespace helenus::exec
