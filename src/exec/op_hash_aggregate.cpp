#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "aggregate_functions.h"
#include "helenus/common/error.h"
#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"
#include "op_hash.h"
#include "op_util.h"
#include "spill.h"

// Hash aggregation in two phases.
//
// Phase 1 (Prepare): every child partition is consumed by a worker holding
// one of a few thread-local tables (group key -> dense id -> per-aggregate
// states); tables are borrowed from a free list, so there are about as many
// as concurrent workers. When the bytes held by all tables exceed
// ctx.memory_limit, the worker's table is written out as partial-state
// records into kRadix spill files (by the top bits of the key hash) and
// cleared.
//
// Phase 2 (Open(r), lazily): output partition r merges the groups of every
// local table whose hash falls in radix r, then the partial states spilled
// to file r. If that merge outgrows its budget it is flushed again, with the
// next hash bits, into kRadix sub-files processed one by one (recursively,
// up to kMaxLevel levels; beyond that it continues in memory).

namespace helenus::exec {

namespace {

using ops::KeyMode;

constexpr int kRadixBits = 5;
constexpr size_t kRadix = size_t{1} << kRadixBits;
constexpr int kMaxLevel = 8;
// At most this many groups in total are emitted as one partition.
constexpr size_t kSingleOutputGroups = kBatchRows;

size_t RadixOf(uint64_t hash, int level) {
  return (hash >> (64 - kRadixBits * (level + 1))) & (kRadix - 1);
}

// Group keys -> dense ids -> one state per aggregate.
struct AggTable {
  AggTable(KeyMode mode, const std::vector<ops::AggFunction>& functions) : keys(mode) {
    for (const ops::AggFunction& f : functions) states.push_back(f.NewState());
  }

  // Gives every state room for all groups.
  void Resize() {
    for (auto& s : states) s->Resize(keys.size());
  }
  size_t MemoryBytes() const {
    size_t bytes = keys.MemoryBytes();
    for (const auto& s : states) bytes += s->MemoryBytes();
    return bytes;
  }

  ops::GroupKeyTable keys;
  std::vector<std::unique_ptr<ops::AggState>> states;
  size_t reported_bytes = 0;                 // counted in the operator's total
  std::vector<std::vector<uint32_t>> radix;  // ids by RadixOf(hash, 0), after phase 1
};

// Reusable per-worker buffers.
struct Scratch {
  std::vector<Column> key_values;
  std::vector<Column> arg_values;
  std::vector<uint64_t> hashes;
  std::vector<uint32_t> ids;
  std::string encoded;
};

class HashAggregateOperator : public Operator {
 public:
  HashAggregateOperator(OperatorPtr child, std::vector<BoundExprPtr> keys,
                        std::vector<Field> key_fields, std::vector<AggregateSpec> aggs)
      : child_(std::move(child)), keys_(std::move(keys)), aggs_(std::move(aggs)) {
    if (key_fields.size() != keys_.size()) {
      ThrowInvalid("Aggregation has {} keys but {} key names", keys_.size(), key_fields.size());
    }
    std::vector<DataType> key_types;
    for (size_t i = 0; i < keys_.size(); ++i) {
      key_fields[i].type = keys_[i]->type();
      key_types.push_back(keys_[i]->type());
      schema_.fields.push_back(key_fields[i]);
    }
    mode_ = ops::ChooseKeyMode(key_types);
    for (const AggregateSpec& spec : aggs_) {
      const DataType* arg = spec.arg ? &spec.arg->type() : nullptr;
      functions_.push_back(ops::ResolveAggregate(spec.function, arg, spec.distinct));
      schema_.fields.push_back(Field{spec.name, functions_.back().result_type, ""});
    }
  }

  const Schema& schema() const override { return schema_; }
  size_t partitions() const override { return keys_.empty() ? 1 : kRadix; }

  void Prepare(ExecContext& ctx) override {
    child_->Prepare(ctx);
    ComputePool& pool = ops::PoolOf(ctx);
    threads_ = std::max<size_t>(1, pool.threads());
    pool.ParallelFor(child_->partitions(), [&](size_t p) {
      AggTable* table = Acquire();
      Scratch scratch;
      try {
        auto stream = child_->Open(p, ctx);
        Batch b;
        while (stream->Next(&b)) {
          ops::ThrowIfCancelled(ctx);
          Consume(table, b, &scratch);
          size_t bytes = table->MemoryBytes();
          size_t total =
              held_.fetch_add(bytes - table->reported_bytes) + bytes - table->reported_bytes;
          table->reported_bytes = bytes;
          if (!keys_.empty() && total > ctx.memory_limit) table = Spill(table, ctx);
        }
      } catch (...) {
        Release(table);
        throw;
      }
      Release(table);
    });
    size_t groups = 0;
    for (auto& t : tables_) groups += t->keys.size();
    single_output_ = !spill_ && groups <= kSingleOutputGroups;
    pool.ParallelFor(tables_.size(), [&](size_t i) {
      AggTable& t = *tables_[i];
      t.radix.assign(partitions(), {});
      for (uint32_t id = 0; id < t.keys.size(); ++id) {
        size_t r = (keys_.empty() || single_output_) ? 0 : RadixOf(t.keys.hash(id), 0);
        t.radix[r].push_back(id);
      }
    });
  }

  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    return std::make_unique<OutputStream>(this, partition, ctx);
  }

  std::string Describe() const override {
    std::string keys;
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (i > 0) keys += ", ";
      keys += schema_.fields[i].name;
    }
    std::string aggs;
    for (const AggregateSpec& spec : aggs_) {
      if (!aggs.empty()) aggs += ", ";
      aggs += spec.name;
    }
    return fmt::format("HashAggregate keys=[{}] aggs=[{}]", keys, aggs);
  }
  std::vector<OperatorPtr> children() const override { return {child_}; }

 private:
  // Computes one output partition on its first Next.
  class OutputStream : public BatchStream {
   public:
    OutputStream(HashAggregateOperator* op, size_t partition, ExecContext& ctx)
        : op_(op), partition_(partition), ctx_(ctx) {}
    bool Next(Batch* out) override {
      if (!started_) {
        started_ = true;
        batches_ = ops::VectorStream(op_->Produce(partition_, ctx_));
      }
      return batches_.Next(out);
    }

   private:
    HashAggregateOperator* op_;
    size_t partition_;
    ExecContext& ctx_;
    bool started_ = false;
    ops::VectorStream batches_{{}};
  };

  std::unique_ptr<AggTable> NewTable() const {
    return std::make_unique<AggTable>(mode_, functions_);
  }

  AggTable* Acquire() {
    std::lock_guard lock(mu_);
    if (free_.empty()) {
      tables_.push_back(NewTable());
      return tables_.back().get();
    }
    AggTable* t = free_.back();
    free_.pop_back();
    return t;
  }

  void Release(AggTable* t) {
    std::lock_guard lock(mu_);
    free_.push_back(t);
  }

  void Consume(AggTable* t, const Batch& b, Scratch* s) const {
    size_t n = b.num_rows;
    if (n == 0) return;
    s->key_values.resize(keys_.size());
    std::vector<const Column*> keys(keys_.size());
    for (size_t k = 0; k < keys_.size(); ++k) {
      keys[k] = &ops::EvalRef(*keys_[k], b, &s->key_values[k]);
    }
    if (!keys.empty()) ops::HashColumns(keys, n, 0, &s->hashes);
    s->ids.resize(n);
    t->keys.MapRows(keys, s->hashes.data(), n, s->ids.data(), &s->encoded);
    t->Resize();
    s->arg_values.resize(aggs_.size());
    for (size_t a = 0; a < aggs_.size(); ++a) {
      const Column* arg = nullptr;
      if (aggs_[a].arg) arg = &ops::EvalRef(*aggs_[a].arg, b, &s->arg_values[a]);
      t->states[a]->Update(arg, s->ids.data(), n);
    }
  }

  // Writes every group of t as a partial-state record into writer, by the
  // hash bits of level.
  static void WriteTable(const AggTable& t, int level, ops::SpillWriter* writer) {
    for (uint32_t id = 0; id < t.keys.size(); ++id) {
      uint64_t hash = t.keys.hash(id);
      std::string& buf = writer->Begin(RadixOf(hash, level));
      ops::PutU64(&buf, hash);
      size_t at = buf.size();
      ops::PutU32(&buf, 0);
      t.keys.EncodeKey(id, &buf);
      auto len = static_cast<uint32_t>(buf.size() - at - sizeof(uint32_t));
      std::memcpy(buf.data() + at, &len, sizeof len);
      for (const auto& s : t.states) s->Serialize(id, &buf);
      writer->End();
    }
  }

  // Spills t (phase 1) and returns the emptied table to keep using.
  AggTable* Spill(AggTable* t, ExecContext& ctx) {
    std::call_once(spill_once_, [&] { spill_ = std::make_unique<ops::SpillSet>(kRadix, ctx); });
    ops::SpillWriter writer(spill_.get());
    WriteTable(*t, 0, &writer);
    writer.Flush();
    held_.fetch_sub(t->reported_bytes);
    std::lock_guard lock(mu_);
    for (auto& owned : tables_) {
      if (owned.get() == t) {
        owned = NewTable();
        return owned.get();
      }
    }
    return t;
  }

  // Merges one partial-state record into t.
  static void MergeRecord(AggTable* t, std::string_view record) {
    uint64_t hash = ops::GetU64(&record);
    uint32_t key_len = ops::GetU32(&record);
    std::string_view key = ops::GetBytes(&record, key_len);
    size_t before = t->keys.size();
    uint32_t id = t->keys.FindOrInsertEncoded(key, hash);
    if (t->keys.size() != before) t->Resize();
    for (auto& s : t->states) s->Deserialize(&record, id);
  }

  // Merges the records of file into *t; emits the groups, or re-partitions
  // by the next hash bits when the merge outgrows budget.
  void MergeSpilled(std::unique_ptr<AggTable> t, const ops::SpillSet& set, size_t partition,
                    int level, ExecContext& ctx, std::vector<Batch>* out) {
    size_t budget = std::max<size_t>(1, ctx.memory_limit / threads_);
    ops::SpillReader reader(set, partition);
    std::unique_ptr<ops::SpillSet> overflow;
    std::unique_ptr<ops::SpillWriter> writer;
    std::string_view record;
    size_t since_check = 0;
    while (reader.Next(&record)) {
      if (overflow) {
        std::string_view peek = record;
        size_t p = RadixOf(ops::GetU64(&peek), level + 1);
        writer->Begin(p).append(record);
        writer->End();
        continue;
      }
      MergeRecord(t.get(), record);
      if (++since_check < 64) continue;
      since_check = 0;
      if (level + 1 < kMaxLevel && t->MemoryBytes() > budget) {
        ops::ThrowIfCancelled(ctx);
        overflow = std::make_unique<ops::SpillSet>(kRadix, ctx);
        writer = std::make_unique<ops::SpillWriter>(overflow.get());
        WriteTable(*t, level + 1, writer.get());
        t = NewTable();
      }
    }
    if (!overflow) {
      Emit(*t, out);
      return;
    }
    writer->Flush();
    t.reset();
    uint64_t total = 0;
    for (size_t s = 0; s < kRadix; ++s) total += overflow->bytes(s);
    for (size_t s = 0; s < kRadix; ++s) {
      uint64_t bytes = overflow->bytes(s);
      // A partition that did not shrink is one huge group: splitting it again
      // cannot help, so it is merged in memory.
      int next = bytes == total ? kMaxLevel : level + 1;
      if (bytes > 0) MergeSpilled(NewTable(), *overflow, s, next, ctx, out);
      overflow->Release(s);
    }
  }

  // Appends the result rows of t's groups to out.
  void Emit(const AggTable& t, std::vector<Batch>* out) const {
    size_t groups = t.keys.size();
    for (size_t begin = 0; begin < groups; begin += kBatchRows) {
      size_t end = std::min(groups, begin + kBatchRows);
      Batch b = Batch::Empty(schema_, end - begin);
      std::vector<Column> key_columns(keys_.size());
      for (size_t k = 0; k < keys_.size(); ++k) key_columns[k] = std::move(b.columns[k]);
      t.keys.AppendKeys(static_cast<uint32_t>(begin), static_cast<uint32_t>(end), &key_columns);
      for (size_t k = 0; k < keys_.size(); ++k) b.columns[k] = std::move(key_columns[k]);
      for (size_t a = 0; a < t.states.size(); ++a) {
        t.states[a]->Finish(begin, end, &b.columns[keys_.size() + a]);
      }
      b.num_rows = end - begin;
      out->push_back(std::move(b));
    }
  }

  // The batches of output partition r.
  std::vector<Batch> Produce(size_t r, ExecContext& ctx) {
    std::vector<Batch> out;
    if (single_output_ && r != 0) {
      Finished();
      return out;
    }
    auto t = NewTable();
    size_t upper = 0;
    for (const auto& local : tables_) upper += local->radix[r].size();
    t->keys.Reserve(upper);
    std::vector<uint32_t> dst;
    for (const auto& local : tables_) {
      const std::vector<uint32_t>& ids = local->radix[r];
      if (ids.empty()) continue;
      dst.resize(ids.size());
      t->keys.InsertFrom(local->keys, ids.data(), ids.size(), dst.data());
      t->Resize();
      for (size_t a = 0; a < t->states.size(); ++a) {
        t->states[a]->Merge(*local->states[a], ids.data(), dst.data(), ids.size());
      }
    }
    if (keys_.empty() && t->keys.size() == 0) {
      // A global aggregate has one row even without input.
      t->keys.FindOrInsertNull(0);
      t->Resize();
    }
    if (spill_ && spill_->bytes(r) > 0) {
      MergeSpilled(std::move(t), *spill_, r, 0, ctx, &out);
    } else {
      Emit(*t, &out);
    }
    if (spill_) spill_->Release(r);
    Finished();
    return out;
  }

  // Frees the phase-1 tables once every partition has been produced.
  void Finished() {
    if (finished_.fetch_add(1) + 1 == partitions()) {
      std::lock_guard lock(mu_);
      tables_.clear();
      free_.clear();
    }
  }

  OperatorPtr child_;
  std::vector<BoundExprPtr> keys_;
  std::vector<AggregateSpec> aggs_;
  std::vector<ops::AggFunction> functions_;
  Schema schema_;
  KeyMode mode_ = KeyMode::kNone;

  std::mutex mu_;
  std::vector<std::unique_ptr<AggTable>> tables_;
  std::vector<AggTable*> free_;
  std::atomic<size_t> held_{0};
  std::once_flag spill_once_;
  std::unique_ptr<ops::SpillSet> spill_;
  bool single_output_ = false;
  size_t threads_ = 1;
  std::atomic<size_t> finished_{0};
};

}  // namespace

OperatorPtr MakeHashAggregate(OperatorPtr child, std::vector<BoundExprPtr> keys,
                              std::vector<Field> key_fields, std::vector<AggregateSpec> aggs) {
  return std::make_shared<HashAggregateOperator>(std::move(child), std::move(keys),
                                                 std::move(key_fields), std::move(aggs));
}

}  // namespace helenus::exec
