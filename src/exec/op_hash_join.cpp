#include <algorithm>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"
#include "op_hash.h"
#include "op_util.h"
#include "spill.h"

// Hash join: the right side is the build side, the left side probes.
//
// In memory: Prepare collects the right partitions in parallel, then builds
// kRadix sub-tables (by the top hash bits) in parallel; each key maps to a
// chain of build rows (head per key id, `next` per row, ascending). Output
// partition p streams left partition p through the table. Build rows that
// found no partner (right/full joins) are emitted by whichever probe stream
// finishes last, so no stream ever waits for another.
//
// Without keys the build side is one chain of all its rows: every probe row
// pairs with every build row (a nested-loop join on the residual).
//
// Spilled (grace hash join): when the collected build side exceeds
// ctx.memory_limit, both sides are written to kRadix spill files by key
// hash, as [u64 hash][row] records. Output partition p then joins spill
// partitions s = p, p + P, ... one by one; a partition whose build file is
// still too large is split again by the next hash bits (up to kMaxLevel).

namespace helenus::exec {

namespace {

using ops::KeyMode;
using ops::kNoId;
using ops::kNoRow;

constexpr int kRadixBits = 5;
constexpr size_t kRadix = size_t{1} << kRadixBits;
constexpr int kMaxLevel = 8;
// Estimated bytes per build row beyond its values: hash, chain link, slots.
constexpr size_t kRowOverhead = 48;

size_t RadixOf(uint64_t hash, int level) {
  return (hash >> (64 - kRadixBits * (level + 1))) & (kRadix - 1);
}

// What a join computes; shared read-only by its streams.
struct JoinConfig {
  JoinType type = JoinType::kInner;
  std::vector<BoundExprPtr> left_keys;
  std::vector<BoundExprPtr> right_keys;
  BoundExprPtr residual;
  KeyMode mode = KeyMode::kNone;
  Schema left;
  Schema right;
  Schema output;

  bool EmitsPairs() const {
    return type == JoinType::kInner || type == JoinType::kLeft || type == JoinType::kRight ||
           type == JoinType::kFull;
  }
  bool KeepsLeft() const { return type == JoinType::kLeft || type == JoinType::kFull; }
  bool KeepsRight() const { return type == JoinType::kRight || type == JoinType::kFull; }
  bool TracksLeft() const { return type != JoinType::kInner && type != JoinType::kRight; }
  // A probe row with a NULL key can still appear in the output.
  bool NullLeftMatters() const {
    return type == JoinType::kLeft || type == JoinType::kFull || type == JoinType::kAnti;
  }
};

// Key values, their hashes and NULL flags of a batch.
struct KeyedRows {
  std::vector<Column> scratch;
  std::vector<const Column*> keys;
  std::vector<uint64_t> hashes;

  void Compute(const std::vector<BoundExprPtr>& exprs, const Batch& b) {
    scratch.resize(exprs.size());
    keys.resize(exprs.size());
    for (size_t k = 0; k < exprs.size(); ++k) keys[k] = &ops::EvalRef(*exprs[k], b, &scratch[k]);
    ops::HashColumns(keys, b.num_rows, 0, &hashes);
  }
  bool HasNull(size_t i) const {
    for (const Column* c : keys) {
      if (c->IsNull(i)) return true;
    }
    return false;
  }
};

// The materialized build side and its hash table.
class BuildSide {
 public:
  BuildSide(const JoinConfig& config, std::vector<Batch> chunks, int level, ComputePool& pool)
      : level_(level), mode_(config.mode) {
    // Keys and hashes per chunk in parallel, then everything concatenated.
    std::vector<std::vector<Column>> chunk_keys(chunks.size());
    std::vector<std::vector<uint64_t>> chunk_hashes(chunks.size());
    pool.ParallelFor(chunks.size(), [&](size_t i) {
      for (const BoundExprPtr& e : config.right_keys) {
        chunk_keys[i].push_back(e->Evaluate(chunks[i]));
      }
      std::vector<const Column*> keys;
      for (const Column& c : chunk_keys[i]) keys.push_back(&c);
      ops::HashColumns(keys, chunks[i].num_rows, 0, &chunk_hashes[i]);
    });
    size_t columns = config.right.size();
    size_t key_count = config.right_keys.size();
    rows_ = Batch::Empty(config.right, 0);
    keys_.resize(key_count);
    for (size_t k = 0; k < key_count; ++k) keys_[k] = Column::Make(config.right_keys[k]->type(), 0);
    for (const Batch& b : chunks) rows_.num_rows += b.num_rows;
    pool.ParallelFor(columns + key_count + 1, [&](size_t c) {
      if (c < columns) {
        for (Batch& b : chunks) ops::AppendColumn(&rows_.columns[c], std::move(b.columns[c]));
      } else if (c < columns + key_count) {
        for (auto& k : chunk_keys)
          ops::AppendColumn(&keys_[c - columns], std::move(k[c - columns]));
      } else {
        hashes_.reserve(rows_.num_rows);
        for (auto& h : chunk_hashes) hashes_.insert(hashes_.end(), h.begin(), h.end());
      }
    });
    size_t n = rows_.num_rows;
    next_.assign(n, kNoRow);
    matched_ = std::make_unique<std::atomic<uint8_t>[]>(n);
    for (size_t i = 0; i < n; ++i) matched_[i].store(0, std::memory_order_relaxed);
    if (mode_ == KeyMode::kNone) {
      // One chain of every row, in order.
      for (size_t i = 0; i + 1 < n; ++i) next_[i] = static_cast<uint32_t>(i + 1);
      all_head_ = n > 0 ? 0 : kNoRow;
      return;
    }
    std::vector<std::vector<uint32_t>> by_radix(kRadix);
    for (size_t i = 0; i < n; ++i)
      by_radix[RadixOf(hashes_[i], level_)].push_back(static_cast<uint32_t>(i));
    for (size_t r = 0; r < kRadix; ++r) tables_.emplace_back(mode_, false);
    heads_.resize(kRadix);
    pool.ParallelFor(kRadix, [&](size_t r) { BuildTable(r, by_radix[r]); });
  }

  // out[i] = the first build row whose key equals probe row i (kNoRow if none).
  void ChainStarts(const KeyedRows& probe, size_t n, uint32_t* out, std::string* scratch) const {
    if (mode_ == KeyMode::kNone) {
      std::fill(out, out + n, all_head_);
      return;
    }
    const uint64_t* hashes = probe.hashes.data();
    auto head = [&](size_t r, uint32_t id) { return id == kNoId ? kNoRow : heads_[r][id]; };
    // The mode is dispatched once per batch, not per row.
    switch (mode_) {
      case KeyMode::kInt64: {
        const Column& c = *probe.keys[0];
        for (size_t i = 0; i < n; ++i) {
          if (c.IsNull(i)) {
            out[i] = kNoRow;
            continue;
          }
          size_t r = RadixOf(hashes[i], level_);
          out[i] = head(r, tables_[r].FindInt(c.ints[i], hashes[i]));
        }
        return;
      }
      case KeyMode::kDouble: {
        const Column& c = *probe.keys[0];
        for (size_t i = 0; i < n; ++i) {
          if (c.IsNull(i)) {
            out[i] = kNoRow;
            continue;
          }
          size_t r = RadixOf(hashes[i], level_);
          out[i] = head(r, tables_[r].FindInt(ops::NormalizedBits(c.doubles[i]), hashes[i]));
        }
        return;
      }
      case KeyMode::kString: {
        const Column& c = *probe.keys[0];
        for (size_t i = 0; i < n; ++i) {
          if (c.IsNull(i)) {
            out[i] = kNoRow;
            continue;
          }
          size_t r = RadixOf(hashes[i], level_);
          out[i] = head(r, tables_[r].FindBytes(c.strings[i], hashes[i]));
        }
        return;
      }
      case KeyMode::kGeneral:
        for (size_t i = 0; i < n; ++i) {
          if (probe.HasNull(i)) {
            out[i] = kNoRow;
            continue;
          }
          scratch->clear();
          for (const Column* c : probe.keys) ops::EncodeValue(*c, i, true, scratch);
          size_t r = RadixOf(hashes[i], level_);
          out[i] = head(r, tables_[r].FindBytes(*scratch, hashes[i]));
        }
        return;
      case KeyMode::kNone:
        return;
    }
  }

  const Batch& rows() const { return rows_; }
  size_t size() const { return rows_.num_rows; }
  uint32_t next(uint32_t row) const { return next_[row]; }
  void MarkMatched(uint32_t row) {
    if (matched_[row].load(std::memory_order_relaxed) == 0) {
      matched_[row].store(1, std::memory_order_relaxed);
    }
  }
  bool matched(size_t row) const { return matched_[row].load(std::memory_order_relaxed) != 0; }

 private:
  void BuildTable(size_t r, const std::vector<uint32_t>& rows) {
    ops::GroupKeyTable& t = tables_[r];
    std::vector<uint32_t>& heads = heads_[r];
    std::string scratch;
    // Inserting in reverse makes every chain ascend by row.
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
      uint32_t row = *it;
      bool null = false;
      for (const Column& c : keys_) null = null || c.IsNull(row);
      if (null) continue;
      uint64_t h = hashes_[row];
      uint32_t id = kNoId;
      switch (mode_) {
        case KeyMode::kInt64:
          id = t.FindOrInsertInt(keys_[0].ints[row], h);
          break;
        case KeyMode::kDouble:
          id = t.FindOrInsertInt(ops::NormalizedBits(keys_[0].doubles[row]), h);
          break;
        case KeyMode::kString:
          id = t.FindOrInsertBytes(keys_[0].strings[row], h);
          break;
        case KeyMode::kGeneral:
          scratch.clear();
          for (const Column& c : keys_) ops::EncodeValue(c, row, true, &scratch);
          id = t.FindOrInsertBytes(scratch, h);
          break;
        case KeyMode::kNone:
          break;
      }
      if (id == heads.size()) heads.push_back(kNoRow);
      next_[row] = heads[id];
      heads[id] = row;
    }
  }

  int level_;
  KeyMode mode_;
  Batch rows_;
  std::vector<Column> keys_;
  std::vector<uint64_t> hashes_;
  std::vector<ops::GroupKeyTable> tables_;
  std::vector<std::vector<uint32_t>> heads_;
  std::vector<uint32_t> next_;
  std::unique_ptr<std::atomic<uint8_t>[]> matched_;
  uint32_t all_head_ = kNoRow;
};

// Streams probe batches through a build side.
class ProbeStream : public BatchStream {
 public:
  // at_end is called once when the probe side is exhausted; when it returns
  // true (right/full joins) this stream emits the unmatched build rows.
  ProbeStream(const JoinConfig& config, std::shared_ptr<BuildSide> build,
              std::unique_ptr<BatchStream> probe, std::function<bool()> at_end)
      : config_(config),
        build_(std::move(build)),
        probe_(std::move(probe)),
        at_end_(std::move(at_end)) {}

  bool Next(Batch* out) override {
    while (true) {
      switch (phase_) {
        case Phase::kProbe:
          if (!have_batch_) {
            if (!LoadBatch()) {
              bool last = at_end_ ? at_end_() : false;
              phase_ = last && config_.KeepsRight() ? Phase::kUnmatchedBuild : Phase::kDone;
              continue;
            }
          }
          if (cursor_row_ < current_.num_rows) {
            ExpandPairs();
            if (!probe_rows_.empty() && EmitPairs(out)) return true;
            continue;
          }
          have_batch_ = false;
          if (EmitLeftRows(out)) return true;
          continue;
        case Phase::kUnmatchedBuild:
          if (EmitUnmatchedBuild(out)) return true;
          phase_ = Phase::kDone;
          continue;
        case Phase::kDone:
          return false;
      }
    }
  }

 private:
  enum class Phase { kProbe, kUnmatchedBuild, kDone };

  bool LoadBatch() {
    do {
      if (!probe_->Next(&current_)) return false;
    } while (current_.num_rows == 0);
    size_t n = current_.num_rows;
    keyed_.Compute(config_.left_keys, current_);
    chain_start_.resize(n);
    build_->ChainStarts(keyed_, n, chain_start_.data(), &scratch_);
    left_matched_.assign(n, 0);
    have_batch_ = true;
    cursor_row_ = 0;
    cursor_chain_ = kNoRow;
    if (!config_.EmitsPairs() && !config_.residual) {
      // Semi/anti joins without a residual only need to know a partner exists.
      for (size_t i = 0; i < n; ++i) left_matched_[i] = chain_start_[i] != kNoRow;
      cursor_row_ = n;
    }
    return true;
  }

  // Collects up to kBatchRows candidate pairs from the cursor on.
  void ExpandPairs() {
    probe_rows_.clear();
    build_rows_.clear();
    size_t n = current_.num_rows;
    bool skip_matched = config_.type == JoinType::kSemi || config_.type == JoinType::kAnti;
    while (cursor_row_ < n && probe_rows_.size() < kBatchRows) {
      if (cursor_chain_ == kNoRow) {
        cursor_chain_ = chain_start_[cursor_row_];
        if (cursor_chain_ == kNoRow || (skip_matched && left_matched_[cursor_row_])) {
          cursor_chain_ = kNoRow;
          ++cursor_row_;
          continue;
        }
      }
      while (cursor_chain_ != kNoRow && probe_rows_.size() < kBatchRows) {
        probe_rows_.push_back(static_cast<uint32_t>(cursor_row_));
        build_rows_.push_back(cursor_chain_);
        cursor_chain_ = build_->next(cursor_chain_);
      }
      if (cursor_chain_ == kNoRow) ++cursor_row_;
    }
  }

  // Evaluates the residual on the candidate pairs, records matches and
  // emits the surviving pairs (inner/outer joins).
  bool EmitPairs(Batch* out) {
    size_t n = probe_rows_.size();
    Batch pairs;
    pairs.num_rows = n;
    pairs.columns.reserve(current_.columns.size() + build_->rows().columns.size());
    for (const Column& c : current_.columns) {
      pairs.columns.push_back(ops::Gather(c, probe_rows_.data(), n));
    }
    for (const Column& c : build_->rows().columns) {
      pairs.columns.push_back(ops::Gather(c, build_rows_.data(), n));
    }
    kept_.clear();
    if (config_.residual) {
      Column scratch;
      const Column& mask = ops::EvalRef(*config_.residual, pairs, &scratch);
      for (size_t i = 0; i < n; ++i) {
        if (ops::IsTrue(mask, i)) kept_.push_back(static_cast<uint32_t>(i));
      }
    } else {
      kept_.resize(n);
      for (size_t i = 0; i < n; ++i) kept_[i] = static_cast<uint32_t>(i);
    }
    for (uint32_t i : kept_) {
      if (config_.TracksLeft()) left_matched_[probe_rows_[i]] = 1;
      if (config_.KeepsRight()) build_->MarkMatched(build_rows_[i]);
    }
    if (!config_.EmitsPairs() || kept_.empty()) return false;
    *out = kept_.size() == n ? std::move(pairs) : pairs.Take(kept_);
    return true;
  }

  // After a probe batch: unmatched rows (left/full/anti) or matched ones (semi).
  bool EmitLeftRows(Batch* out) {
    bool want_matched = config_.type == JoinType::kSemi;
    if (!config_.KeepsLeft() && config_.type != JoinType::kSemi &&
        config_.type != JoinType::kAnti) {
      return false;
    }
    rows_.clear();
    for (size_t i = 0; i < current_.num_rows; ++i) {
      if ((left_matched_[i] != 0) == want_matched) rows_.push_back(static_cast<uint32_t>(i));
    }
    if (rows_.empty()) return false;
    Batch b = rows_.size() == current_.num_rows ? std::move(current_) : current_.Take(rows_);
    if (config_.KeepsLeft()) {
      for (const Field& f : config_.right.fields)
        b.columns.push_back(ops::NullColumn(f.type, b.num_rows));
    }
    *out = std::move(b);
    return true;
  }

  // After every probe: build rows without a partner (right/full).
  bool EmitUnmatchedBuild(Batch* out) {
    rows_.clear();
    while (build_cursor_ < build_->size() && rows_.size() < kBatchRows) {
      if (!build_->matched(build_cursor_)) rows_.push_back(static_cast<uint32_t>(build_cursor_));
      ++build_cursor_;
    }
    if (rows_.empty()) return false;
    Batch b;
    b.num_rows = rows_.size();
    for (const Field& f : config_.left.fields)
      b.columns.push_back(ops::NullColumn(f.type, b.num_rows));
    for (const Column& c : build_->rows().columns) {
      b.columns.push_back(ops::Gather(c, rows_.data(), rows_.size()));
    }
    *out = std::move(b);
    return true;
  }

  const JoinConfig& config_;
  std::shared_ptr<BuildSide> build_;
  std::unique_ptr<BatchStream> probe_;
  std::function<bool()> at_end_;
  Phase phase_ = Phase::kProbe;

  Batch current_;
  bool have_batch_ = false;
  KeyedRows keyed_;
  std::string scratch_;
  std::vector<uint32_t> chain_start_;
  std::vector<uint8_t> left_matched_;
  size_t cursor_row_ = 0;
  uint32_t cursor_chain_ = kNoRow;
  std::vector<uint32_t> probe_rows_;
  std::vector<uint32_t> build_rows_;
  std::vector<uint32_t> kept_;
  std::vector<uint32_t> rows_;
  size_t build_cursor_ = 0;
};

// Writes rows of batch with their key hashes as [u64 hash][row] records into
// writer, by the hash bits of level; rows with a NULL key are dropped unless
// keep_null_keys.
void SpillRows(const std::vector<BoundExprPtr>& keys, const Batch& batch, int level,
               bool keep_null_keys, ops::SpillWriter* writer) {
  KeyedRows keyed;
  keyed.Compute(keys, batch);
  for (size_t i = 0; i < batch.num_rows; ++i) {
    if (!keep_null_keys && keyed.HasNull(i)) continue;
    uint64_t h = keyed.hashes[i];
    std::string& buf = writer->Begin(RadixOf(h, level));
    ops::PutU64(&buf, h);
    ops::EncodeRow(batch, i, &buf);
    writer->End();
  }
}

// Reads the rows of a spill file back as batches.
class SpillRowStream : public BatchStream {
 public:
  SpillRowStream(const ops::SpillSet& set, size_t partition, const Schema& schema)
      : reader_(set, partition), schema_(schema) {}

  bool Next(Batch* out) override {
    Batch b = Batch::Empty(schema_, kBatchRows);
    std::string_view record;
    while (b.num_rows < kBatchRows && reader_.Next(&record)) {
      ops::GetU64(&record);
      ops::DecodeRow(&record, &b);
    }
    if (b.num_rows == 0) return false;
    *out = std::move(b);
    return true;
  }

 private:
  ops::SpillReader reader_;
  const Schema& schema_;
};

// One spilled partition pair still to join.
struct SpillWork {
  std::shared_ptr<ops::SpillSet> build;
  std::shared_ptr<ops::SpillSet> probe;
  size_t index = 0;
  int level = 0;
};

// Joins a list of spilled partitions one after the other.
class SpillJoinStream : public BatchStream {
 public:
  SpillJoinStream(const JoinConfig& config, std::deque<SpillWork> work, ExecContext& ctx)
      : config_(config), work_(std::move(work)), ctx_(ctx) {}

  bool Next(Batch* out) override {
    while (true) {
      if (current_ && current_->Next(out)) return true;
      if (current_) {
        current_.reset();
        Release(active_);
      }
      if (work_.empty()) return false;
      SpillWork item = std::move(work_.front());
      work_.pop_front();
      Start(std::move(item));
    }
  }

 private:
  static void Release(SpillWork& item) {
    if (item.build) item.build->Release(item.index);
    if (item.probe) item.probe->Release(item.index);
    item = SpillWork{};
  }

  void Start(SpillWork item) {
    ops::ThrowIfCancelled(ctx_);
    uint64_t build_bytes = item.build->bytes(item.index);
    bool no_build = build_bytes == 0;
    bool no_probe = item.probe->bytes(item.index) == 0;
    if ((no_probe && (!config_.KeepsRight() || no_build)) ||
        (no_build && !config_.KeepsLeft() && config_.type != JoinType::kAnti)) {
      Release(item);
      return;
    }
    ComputePool& pool = ops::PoolOf(ctx_);
    size_t budget = std::max<size_t>(1, ctx_.memory_limit / std::max<size_t>(1, pool.threads()));
    if (build_bytes > budget && item.level + 1 < kMaxLevel) {
      Split(std::move(item));
      return;
    }
    std::vector<Batch> chunks;
    {
      SpillRowStream rows(*item.build, item.index, config_.right);
      Batch b;
      while (rows.Next(&b)) chunks.push_back(std::move(b));
    }
    auto build = std::make_shared<BuildSide>(config_, std::move(chunks), item.level + 1, pool);
    current_ = std::make_unique<ProbeStream>(
        config_, std::move(build),
        std::make_unique<SpillRowStream>(*item.probe, item.index, config_.left),
        [] { return true; });
    active_ = std::move(item);
  }

  // Re-partitions a too-large pair of files by the next hash bits.
  void Split(SpillWork item) {
    int level = item.level + 1;
    auto build = std::make_shared<ops::SpillSet>(kRadix, ctx_);
    auto probe = std::make_shared<ops::SpillSet>(kRadix, ctx_);
    Route(*item.build, item.index, level, build.get());
    Route(*item.probe, item.index, level, probe.get());
    uint64_t size = item.build->bytes(item.index);
    Release(item);
    for (size_t s = kRadix; s-- > 0;) {
      // A partition that did not shrink holds one hot key: splitting it
      // again cannot help, so it is joined in memory.
      int sub_level = build->bytes(s) == size ? kMaxLevel : level;
      work_.push_front(SpillWork{build, probe, s, sub_level});
    }
  }

  static void Route(const ops::SpillSet& from, size_t partition, int level, ops::SpillSet* to) {
    ops::SpillReader reader(from, partition);
    ops::SpillWriter writer(to);
    std::string_view record;
    while (reader.Next(&record)) {
      std::string_view peek = record;
      writer.Begin(RadixOf(ops::GetU64(&peek), level)).append(record);
      writer.End();
    }
    writer.Flush();
  }

  const JoinConfig& config_;
  std::deque<SpillWork> work_;
  ExecContext& ctx_;
  std::unique_ptr<ProbeStream> current_;
  SpillWork active_;
};

class HashJoinOperator : public Operator {
 public:
  HashJoinOperator(OperatorPtr left, OperatorPtr right, JoinType type,
                   std::vector<BoundExprPtr> left_keys, std::vector<BoundExprPtr> right_keys,
                   BoundExprPtr residual)
      : left_(std::move(left)), right_(std::move(right)) {
    config_.type = type;
    config_.left = left_->schema();
    config_.right = right_->schema();
    if (left_keys.size() != right_keys.size()) {
      ThrowInvalid("Join has {} left keys but {} right keys", left_keys.size(), right_keys.size());
    }
    std::vector<DataType> key_types;
    for (size_t i = 0; i < left_keys.size(); ++i) {
      const DataType& l = left_keys[i]->type();
      const DataType& r = right_keys[i]->type();
      if (PhysicalOf(l) != PhysicalOf(r)) {
        ThrowInvalid("Cannot join {} with {}", l.ToCql(), r.ToCql());
      }
      key_types.push_back(l);
    }
    config_.mode = ops::ChooseKeyMode(key_types);
    config_.left_keys = std::move(left_keys);
    config_.right_keys = std::move(right_keys);
    config_.residual = std::move(residual);
    if (config_.residual && config_.residual->type().kind != TypeKind::kBoolean) {
      ThrowInvalid("Join condition must be boolean, not {}", config_.residual->type().ToCql());
    }
    config_.output = config_.left;
    if (type != JoinType::kSemi && type != JoinType::kAnti) {
      for (const Field& f : config_.right.fields) config_.output.fields.push_back(f);
    }
  }

  const Schema& schema() const override { return config_.output; }
  size_t partitions() const override {
    size_t n = left_->partitions();
    return config_.KeepsRight() ? std::max<size_t>(n, 1) : n;
  }

  void Prepare(ExecContext& ctx) override {
    ComputePool& pool = ops::PoolOf(ctx);
    pool.ParallelFor(2, [&](size_t i) { (i == 0 ? left_ : right_)->Prepare(ctx); });
    size_t n = right_->partitions();
    std::vector<std::vector<Batch>> chunks(n);
    std::atomic<size_t> held{0};
    bool can_spill = config_.mode != KeyMode::kNone;
    pool.ParallelFor(n, [&](size_t p) {
      auto stream = right_->Open(p, ctx);
      Batch b;
      std::unique_ptr<ops::SpillWriter> writer;
      while (stream->Next(&b)) {
        ops::ThrowIfCancelled(ctx);
        if (spilling_.load()) {
          if (!writer) writer = FlushChunks(&chunks[p], ctx);
          SpillRows(config_.right_keys, b, 0, config_.KeepsRight(), writer.get());
          continue;
        }
        size_t bytes = ops::BatchBytes(b) + b.num_rows * kRowOverhead;
        chunks[p].push_back(std::move(b));
        if (held.fetch_add(bytes) + bytes > ctx.memory_limit && can_spill) {
          StartSpilling(ctx);
          writer = FlushChunks(&chunks[p], ctx);
        }
      }
      if (writer) writer->Flush();
    });
    if (!spilling_.load()) {
      std::vector<Batch> all;
      for (auto& part : chunks) {
        for (Batch& b : part) all.push_back(std::move(b));
      }
      build_ = std::make_shared<BuildSide>(config_, std::move(all), 0, pool);
      remaining_.store(partitions());
      return;
    }
    // Grace hash join: the rest of the build side, then the whole probe side.
    pool.ParallelFor(n, [&](size_t p) {
      if (chunks[p].empty()) return;
      FlushChunks(&chunks[p], ctx)->Flush();
    });
    pool.ParallelFor(left_->partitions(), [&](size_t p) {
      auto stream = left_->Open(p, ctx);
      ops::SpillWriter writer(probe_spill_.get());
      Batch b;
      while (stream->Next(&b)) {
        ops::ThrowIfCancelled(ctx);
        SpillRows(config_.left_keys, b, 0, config_.NullLeftMatters(), &writer);
      }
      writer.Flush();
    });
  }

  std::unique_ptr<BatchStream> Open(size_t partition, ExecContext& ctx) override {
    if (spilling_.load()) {
      std::deque<SpillWork> work;
      size_t streams = partitions();
      for (size_t s = partition; s < kRadix; s += streams) {
        work.push_back(SpillWork{build_spill_, probe_spill_, s, 0});
      }
      return std::make_unique<SpillJoinStream>(config_, std::move(work), ctx);
    }
    std::unique_ptr<BatchStream> probe;
    if (partition < left_->partitions()) {
      probe = left_->Open(partition, ctx);
    } else {
      probe = std::make_unique<ops::EmptyStream>();
    }
    std::function<bool()> at_end;
    if (config_.KeepsRight()) at_end = [this] { return remaining_.fetch_sub(1) == 1; };
    return std::make_unique<ProbeStream>(config_, build_, std::move(probe), std::move(at_end));
  }

  std::string Describe() const override {
    static constexpr const char* kNames[] = {"inner", "left", "right", "full", "semi", "anti"};
    const char* type = kNames[static_cast<int>(config_.type)];
    std::string keys;
    for (const BoundExprPtr& k : config_.left_keys) {
      if (!keys.empty()) keys += ", ";
      int c = k->ColumnIndex();
      keys += c >= 0 ? config_.left.fields[static_cast<size_t>(c)].name : "expr";
    }
    std::string residual = config_.residual ? " residual" : "";
    if (config_.left_keys.empty()) return fmt::format("NestedLoopJoin {}{}", type, residual);
    return fmt::format("HashJoin {} keys=[{}]{}", type, keys, residual);
  }
  std::vector<OperatorPtr> children() const override { return {left_, right_}; }

 private:
  void StartSpilling(ExecContext& ctx) {
    std::call_once(spill_once_, [&] {
      build_spill_ = std::make_shared<ops::SpillSet>(kRadix, ctx);
      probe_spill_ = std::make_shared<ops::SpillSet>(kRadix, ctx);
      spilling_.store(true);
    });
  }

  // Spills the collected build chunks; returns the writer to keep using.
  std::unique_ptr<ops::SpillWriter> FlushChunks(std::vector<Batch>* chunks, ExecContext& ctx) {
    StartSpilling(ctx);
    auto writer = std::make_unique<ops::SpillWriter>(build_spill_.get());
    for (const Batch& b : *chunks)
      SpillRows(config_.right_keys, b, 0, config_.KeepsRight(), writer.get());
    chunks->clear();
    return writer;
  }

  OperatorPtr left_;
  OperatorPtr right_;
  JoinConfig config_;
  std::shared_ptr<BuildSide> build_;
  std::atomic<size_t> remaining_{0};
  std::atomic<bool> spilling_{false};
  std::once_flag spill_once_;
  std::shared_ptr<ops::SpillSet> build_spill_;
  std::shared_ptr<ops::SpillSet> probe_spill_;
};

}  // namespace

OperatorPtr MakeHashJoin(OperatorPtr left, OperatorPtr right, JoinType type,
                         std::vector<BoundExprPtr> left_keys, std::vector<BoundExprPtr> right_keys,
                         BoundExprPtr residual) {
  return std::make_shared<HashJoinOperator>(std::move(left), std::move(right), type,
                                            std::move(left_keys), std::move(right_keys),
                                            std::move(residual));
}

}  // namespace helenus::exec
