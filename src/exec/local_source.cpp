// LocalSource: scans a table of the in-process Store into column batches.
//
// Predicates are turned into storage reads (token range, partition keys,
// clustering slices) only where that can never drop a matching row: the
// engine filters every row again, so anything doubtful is simply not pushed.

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <optional>

#include "helenus/common/cartesian.h"
#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/table_source.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/key_codec.h"
#include "helenus/storage/store.h"

namespace helenus::exec {
namespace {

using storage::ColumnKind;
using storage::ColumnSchema;
using storage::TableSchema;
using Op = ScanPredicate::Op;

// IN lists multiply: past this many partition keys or clustering prefixes a
// range scan is cheaper than the point reads, so nothing is pushed.
constexpr size_t kMaxPushedKeys = 10000;

bool IsRange(Op op) {
  return op == Op::kLt || op == Op::kLe || op == Op::kGt || op == Op::kGe;
}

// What the predicates allow the storage reads to skip.
struct Pushdown {
  bool empty = false;                                   // no row can match
  int64_t start = std::numeric_limits<int64_t>::min();  // token range (start, end]
  int64_t end = std::numeric_limits<int64_t>::max();
  // The only partitions that can match, in ring order (token, then key bytes).
  std::optional<std::vector<std::pair<int64_t, Bytes>>> keys;
  std::vector<storage::ClusteringSlice> slices;  // empty = whole partitions

  void Narrow(int64_t s, int64_t e) {
    start = std::max(start, s);
    end = std::min(end, e);
    if (start >= end) empty = true;
  }
};

// The non-NULL values of an = / IN predicate that are valid for type. False
// when a value is invalid (the predicate is then not pushed).
bool EqValues(const ScanPredicate& p, const DataType& type, std::vector<Bytes>* out) {
  out->clear();
  for (const auto& v : p.values) {
    if (!v) continue;  // NULL never equals anything
    if (cql::Validate(type, *v)) return false;
    out->push_back(*v);
  }
  if (p.op == Op::kEq && p.values.size() != 1) return false;
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
  return true;
}

// The = / IN predicate on column with the fewest values; nullopt when none is usable.
std::optional<std::vector<Bytes>> BestEq(const std::vector<const ScanPredicate*>& preds,
                                         const DataType& type) {
  std::optional<std::vector<Bytes>> best;
  std::vector<Bytes> values;
  for (const auto* p : preds) {
    if (p->op != Op::kEq && p->op != Op::kIn) continue;
    if (!EqValues(*p, type, &values)) continue;
    if (!best || values.size() < best->size()) best = values;
  }
  return best;
}

// One bound of a clustering range on a single column, in value order.
struct Side {
  Bytes value;
  bool inclusive = true;
};

class Analyzer {
 public:
  Analyzer(const TableSchema& table, const std::vector<ScanPredicate>& predicates) : table_(table) {
    // A real column called "token" shadows token(pk).
    const bool token_is_column = table.Find("token") != nullptr;
    for (const auto& p : predicates) {
      if (p.column == "token" && !token_is_column) {
        Token(p);
        continue;
      }
      if (const auto* c = table.Find(p.column)) by_column_[c].push_back(&p);
    }
  }

  Pushdown Run() {
    if (!out_.empty) PartitionKeys();
    if (!out_.empty) Clustering();
    return std::move(out_);
  }

 private:
  void Token(const ScanPredicate& p) {
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    if (p.op == Op::kIn) return;
    if (p.values.size() != 1) return;
    if (!p.values[0]) {
      out_.empty = true;  // a comparison with NULL is never true
      return;
    }
    if (p.values[0]->size() != 8) return;
    const int64_t v = cql::DecodeBigint(*p.values[0]);
    // Ranges are (start, end]; no key has token INT64_MIN (Murmur3 maps it to MAX).
    switch (p.op) {
      case Op::kGt:
        out_.Narrow(v, kMax);
        break;
      case Op::kGe:
        out_.Narrow(v == kMin ? kMin : v - 1, kMax);
        break;
      case Op::kLt:
        if (v == kMin) {
          out_.empty = true;
        } else {
          out_.Narrow(kMin, v - 1);
        }
        break;
      case Op::kLe:
        out_.Narrow(kMin, v);
        break;
      case Op::kEq:
        if (v == kMin) {
          out_.empty = true;
        } else {
          out_.Narrow(v - 1, v);
        }
        break;
      case Op::kIn:
        break;
    }
  }

  const std::vector<const ScanPredicate*>* PredicatesOf(const ColumnSchema* c) const {
    auto it = by_column_.find(c);
    return it == by_column_.end() ? nullptr : &it->second;
  }

  void PartitionKeys() {
    auto pk = table_.PartitionKey();
    std::vector<std::vector<Bytes>> choices;
    size_t combinations = 1;
    for (const auto* c : pk) {
      const auto* preds = PredicatesOf(c);
      if (!preds) return;
      auto values = BestEq(*preds, c->type);
      if (!values) return;
      if (values->empty()) {
        out_.empty = true;
        return;
      }
      combinations *= values->size();
      if (combinations > kMaxPushedKeys) return;
      choices.push_back(std::move(*values));
    }
    std::vector<std::pair<int64_t, Bytes>> keys;
    for (auto& parts : Cartesian(choices)) {
      Bytes key;
      if (parts.size() == 1) {
        key = std::move(parts[0]);
      } else {
        std::vector<std::string_view> views(parts.begin(), parts.end());
        key = CompositePartitionKey(views);
      }
      const int64_t token = Murmur3Token(key);
      if (token > out_.start && token <= out_.end) keys.emplace_back(token, std::move(key));
    }
    // Ring order: token, then unsigned key bytes (std::string compares as memcmp does).
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    if (keys.empty()) out_.empty = true;
    out_.keys = std::move(keys);
  }

  void Clustering() {
    auto ck = table_.Clustering();
    std::vector<std::vector<Bytes>> choices;
    size_t combinations = 1;
    std::optional<Side> lower, upper;
    bool range_desc = false;
    for (const auto* c : ck) {
      const auto* preds = PredicatesOf(c);
      if (!preds) break;
      if (auto values = BestEq(*preds, c->type)) {
        if (values->empty()) {
          out_.empty = true;
          return;
        }
        combinations *= values->size();
        if (combinations > kMaxPushedKeys) return;
        choices.push_back(std::move(*values));
        continue;
      }
      // The first column without = / IN may bound the range; the rest stay filters.
      for (const auto* p : *preds) {
        if (!IsRange(p->op) || p->values.size() != 1) continue;
        if (!p->values[0]) {
          out_.empty = true;
          return;
        }
        const Bytes& v = *p->values[0];
        if (cql::Validate(c->type, v)) continue;
        const bool inclusive = p->op == Op::kGe || p->op == Op::kLe;
        const bool is_lower = p->op == Op::kGt || p->op == Op::kGe;
        Tighten(c->type, Side{v, inclusive}, is_lower, is_lower ? &lower : &upper);
      }
      range_desc = c->desc;
      break;
    }
    if (choices.empty() && !lower && !upper) return;
    auto prefixes = Cartesian(choices);
    // Slices must be sorted and disjoint in clustering order, which is the
    // byte order of the storage encoding of the prefixes.
    std::vector<DataType> types;
    std::vector<bool> desc;
    for (size_t i = 0; i < choices.size(); ++i) {
      types.push_back(ck[i]->type);
      desc.push_back(ck[i]->desc);
    }
    std::vector<std::pair<std::string, std::vector<Bytes>>> encoded;
    encoded.reserve(prefixes.size());
    for (auto& p : prefixes) {
      std::string e;
      if (!storage::AppendClusteringPrefix(types, desc, p, &e).ok()) return;
      encoded.emplace_back(std::move(e), std::move(p));
    }
    std::sort(encoded.begin(), encoded.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    encoded.erase(std::unique(encoded.begin(), encoded.end(),
                              [](const auto& a, const auto& b) { return a.first == b.first; }),
                  encoded.end());
    // In clustering order a DESC column's lower value bound is the end.
    const auto& first = range_desc ? upper : lower;
    const auto& second = range_desc ? lower : upper;
    for (auto& [_, prefix] : encoded) {
      storage::ClusteringSlice s;
      s.start.prefix = prefix;
      s.end.prefix = prefix;
      if (first) {
        s.start.prefix.push_back(first->value);
        s.start.inclusive = first->inclusive;
      }
      if (second) {
        s.end.prefix.push_back(second->value);
        s.end.inclusive = second->inclusive;
      }
      out_.slices.push_back(std::move(s));
    }
  }

  // Keeps the tighter of *side and candidate.
  static void Tighten(const DataType& type, Side candidate, bool is_lower,
                      std::optional<Side>* side) {
    if (!*side) {
      *side = std::move(candidate);
      return;
    }
    int cmp = cql::Compare(type, candidate.value, (*side)->value);
    if (!is_lower) cmp = -cmp;
    if (cmp > 0 || (cmp == 0 && !candidate.inclusive)) *side = std::move(candidate);
  }

  const TableSchema& table_;
  std::map<const ColumnSchema*, std::vector<const ScanPredicate*>> by_column_;
  Pushdown out_;
};

// How a value of a column is decoded into its physical form.
enum class Decoder : uint8_t {
  kInt8,
  kInt16,
  kInt32,
  kInt64,
  kBoolean,
  kDate,
  kFloat,
  kDouble,
  kBytes,
};

Decoder DecoderOf(const DataType& type) {
  switch (type.kind) {
    case TypeKind::kTinyint:
      return Decoder::kInt8;
    case TypeKind::kSmallint:
      return Decoder::kInt16;
    case TypeKind::kInt:
      return Decoder::kInt32;
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return Decoder::kInt64;
    case TypeKind::kBoolean:
      return Decoder::kBoolean;
    case TypeKind::kDate:
      return Decoder::kDate;
    case TypeKind::kFloat:
      return Decoder::kFloat;
    case TypeKind::kDouble:
      return Decoder::kDouble;
    default:
      return Decoder::kBytes;
  }
}

inline uint32_t Be32(const char* p) {
  uint32_t u;
  std::memcpy(&u, p, 4);
  return __builtin_bswap32(u);
}
inline uint64_t Be64(const char* p) {
  uint64_t u;
  std::memcpy(&u, p, 8);
  return __builtin_bswap64(u);
}

// Where an output column's values come from in a storage::RowView.
enum class From : uint8_t { kPartitionKey, kPartitionKeyPart, kClustering, kStatic, kRegular };

struct OutputColumn {
  From from = From::kRegular;
  uint32_t index = 0;  // key component position, or column id
  Decoder decoder = Decoder::kBytes;
  DataType type;
};

// What a Scan reads: the resolved columns and the storage read shape.
struct ScanPlan {
  std::vector<OutputColumn> columns;
  std::vector<uint32_t> read_ids;  // regular and static column ids to materialize
  size_t pk_parts = 1;
  bool split_pk = false;     // some output column is one component of a composite key
  bool keep_static = false;  // static-only rows are emitted
  // Regular columns of the common forms, filled in tight per-form loops:
  // (column id, output column) pairs. Every other output column is in slow.
  std::vector<std::pair<uint32_t, uint32_t>> doubles, int32s, int64s, bytes;
  std::vector<uint32_t> slow;
};

bool IsDouble(Decoder d) {
  return d == Decoder::kFloat || d == Decoder::kDouble;
}

// Writes rows of one batch in place: the column vectors are sized to
// kBatchRows up front and cut to the row count at the end, so each value is
// one store (and strings reuse the capacity of a batch the caller hands back).
class BatchWriter {
 public:
  BatchWriter(const ScanPlan& plan, Batch* out) : out_(out) {
    const size_t n = plan.columns.size();
    if (out->columns.size() != n) out->columns.assign(n, Column{});
    targets_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      Column& c = out->columns[i];
      const OutputColumn& oc = plan.columns[i];
      if (!(c.type == oc.type)) c.type = oc.type;
      c.valid.clear();
      Target& t = targets_[i];
      t.column = &c;
      t.decoder = oc.decoder;
      if (oc.decoder == Decoder::kBytes) {
        c.ints.clear();
        c.doubles.clear();
        c.strings.resize(kBatchRows);
        t.strings = c.strings.data();
      } else if (IsDouble(oc.decoder)) {
        c.ints.clear();
        c.strings.clear();
        c.doubles.resize(kBatchRows);
        t.doubles = c.doubles.data();
      } else {
        c.doubles.clear();
        c.strings.clear();
        c.ints.resize(kBatchRows);
        t.ints = c.ints.data();
      }
    }
    out->num_rows = 0;
  }

  // Cuts the columns to the rows written.
  void Finish(size_t rows) {
    for (auto& t : targets_) {
      Column& c = *t.column;
      if (t.decoder == Decoder::kBytes) {
        c.strings.resize(rows);
      } else if (IsDouble(t.decoder)) {
        c.doubles.resize(rows);
      } else {
        c.ints.resize(rows);
      }
      if (!c.valid.empty()) c.valid.resize(rows);
    }
    out_->num_rows = rows;
  }

  // The value arrays of column i (only the one of its physical form is set).
  int64_t* ints(size_t i) const { return targets_[i].ints; }
  double* doubles(size_t i) const { return targets_[i].doubles; }
  std::string* strings(size_t i) const { return targets_[i].strings; }

  // Column i of row is NULL.
  void Null(size_t i, size_t row) {
    Target& t = targets_[i];
    Column& c = *t.column;
    if (c.valid.empty()) c.valid.assign(kBatchRows, 1);
    c.valid[row] = 0;
    if (t.strings) {
      t.strings[row].clear();
    } else if (t.doubles) {
      t.doubles[row] = 0;
    } else {
      t.ints[row] = 0;
    }
  }

  // Column i of row is the CQL-serialized v; an empty or malformed
  // fixed-width value reads as NULL.
  [[gnu::always_inline]] inline void Set(size_t i, size_t row, std::string_view v) {
    Target& t = targets_[i];
    switch (t.decoder) {
      case Decoder::kDouble: {
        if (v.size() != 8) return Null(i, row);
        const uint64_t u = Be64(v.data());
        std::memcpy(&t.doubles[row], &u, 8);
        return;
      }
      case Decoder::kInt32:
        if (v.size() != 4) return Null(i, row);
        t.ints[row] = static_cast<int32_t>(Be32(v.data()));
        return;
      case Decoder::kInt64:
        if (v.size() != 8) return Null(i, row);
        t.ints[row] = static_cast<int64_t>(Be64(v.data()));
        return;
      case Decoder::kBytes:
        t.strings[row].assign(v.data(), v.size());
        return;
      case Decoder::kFloat: {
        if (v.size() != 4) return Null(i, row);
        const uint32_t u = Be32(v.data());
        float f;
        std::memcpy(&f, &u, 4);
        t.doubles[row] = f;
        return;
      }
      case Decoder::kInt16:
        if (v.size() != 2) return Null(i, row);
        t.ints[row] = static_cast<int16_t>(
            static_cast<uint16_t>(static_cast<uint8_t>(v[0]) << 8 | static_cast<uint8_t>(v[1])));
        return;
      case Decoder::kInt8:
        if (v.size() != 1) return Null(i, row);
        t.ints[row] = static_cast<int8_t>(v[0]);
        return;
      case Decoder::kBoolean:
        if (v.size() != 1) return Null(i, row);
        t.ints[row] = v[0] != 0 ? 1 : 0;
        return;
      case Decoder::kDate:
        // CQL dates count days with 2^31 at the epoch.
        if (v.size() != 4) return Null(i, row);
        t.ints[row] = static_cast<int64_t>(Be32(v.data())) - (int64_t{1} << 31);
        return;
    }
  }

 private:
  struct Target {
    Column* column = nullptr;
    Decoder decoder = Decoder::kBytes;
    int64_t* ints = nullptr;
    double* doubles = nullptr;
    std::string* strings = nullptr;
  };

  Batch* out_;
  std::vector<Target> targets_;
};

class LocalBatchStream : public BatchStream {
 public:
  LocalBatchStream(const storage::Store* store, std::shared_ptr<const TableSchema> table,
                   ScanPlan plan, Pushdown pd, const Split& split, Progress* progress)
      : store_(store), table_(std::move(table)), plan_(std::move(plan)), progress_(progress) {
    spec_.columns = plan_.read_ids;
    spec_.slices = std::move(pd.slices);
    const int64_t start = std::max(split.start_token, pd.start);
    const int64_t end = std::min(split.end_token, pd.end);
    if (pd.empty || start >= end) {
      done_ = true;
      return;
    }
    if (pd.keys) {
      for (auto& [token, key] : *pd.keys) {
        if (token > start && token <= end) keys_.push_back(std::move(key));
      }
    } else {
      spec_.start_token = start;
      spec_.end_token = end;
      ranged_ = true;
    }
    now_ = storage::Store::NowSeconds();
  }

  bool Next(Batch* out) override {
    if (done_) return false;
    if (progress_ && progress_->cancelled.load(std::memory_order_relaxed)) {
      Finish();
      return false;
    }
    BatchWriter writer(plan_, out);
    Bind(writer);
    size_t rows = 0;
    while (rows < kBatchRows) {
      if (!reader_ && !OpenReader()) break;
      if (!reader_->NextView(&row_)) {
        if (!reader_->status().ok()) {
          throw CqlError(ErrorCode::kReadFailure, "scan of " + table_->keyspace + "." +
                                                      table_->name +
                                                      " failed: " + reader_->status().message());
        }
        reader_.reset();
        continue;
      }
      if (row_.static_only && !plan_.keep_static) continue;
      AppendRow(writer, rows);
      ++rows;
    }
    writer.Finish(rows);
    if (progress_ && rows > 0) progress_->rows_scanned.fetch_add(rows, std::memory_order_relaxed);
    if (rows == 0) {
      Finish();
      return false;
    }
    return true;
  }

 private:
  void Finish() {
    if (done_) return;
    done_ = true;
    reader_.reset();
    if (progress_) progress_->splits_done.fetch_add(1, std::memory_order_relaxed);
  }

  bool OpenReader() {
    if (ranged_) {
      if (opened_ranged_) return false;
      opened_ranged_ = true;
    } else {
      if (next_key_ >= keys_.size()) return false;
      spec_.partition_key = std::move(keys_[next_key_++]);
    }
    reader_ = store_->Read(table_->layout, spec_, now_);
    return true;
  }

  template <typename T>
  struct Fast {
    uint32_t id;      // column id in RowView::regular
    uint32_t column;  // output column
    T* out;           // its value array in the current batch
  };

  // Points the per-form loops at the arrays of the batch being filled.
  void Bind(const BatchWriter& w) {
    auto bind = [](const auto& pairs, auto* fast, auto array_of) {
      fast->clear();
      for (const auto& [id, column] : pairs) fast->push_back({id, column, array_of(column)});
    };
    bind(plan_.doubles, &doubles_, [&](uint32_t c) { return w.doubles(c); });
    bind(plan_.int32s, &int32s_, [&](uint32_t c) { return w.ints(c); });
    bind(plan_.int64s, &int64s_, [&](uint32_t c) { return w.ints(c); });
    bind(plan_.bytes, &bytes_, [&](uint32_t c) { return w.strings(c); });
  }

  void AppendRow(BatchWriter& w, size_t row) {
    const std::string_view* regular = row_.regular.data();
    for (const auto& f : doubles_) {
      const std::string_view v = regular[f.id];
      if (v.size() != 8) {
        w.Null(f.column, row);
        continue;
      }
      const uint64_t u = Be64(v.data());
      std::memcpy(f.out + row, &u, 8);
    }
    for (const auto& f : int32s_) {
      const std::string_view v = regular[f.id];
      if (v.size() != 4) {
        w.Null(f.column, row);
        continue;
      }
      f.out[row] = static_cast<int32_t>(Be32(v.data()));
    }
    for (const auto& f : int64s_) {
      const std::string_view v = regular[f.id];
      if (v.size() != 8) {
        w.Null(f.column, row);
        continue;
      }
      f.out[row] = static_cast<int64_t>(Be64(v.data()));
    }
    for (const auto& f : bytes_) {
      const std::string_view v = regular[f.id];
      if (!v.data()) {
        w.Null(f.column, row);
        continue;
      }
      std::string& out = f.out[row];
      if (out.size() == v.size()) {
        // A reused batch holds a string of the same length here more often
        // than not (fixed-format ids, codes): overwrite it in place.
        std::memcpy(out.data(), v.data(), v.size());
      } else {
        out.assign(v.data(), v.size());
      }
    }
    if (plan_.slow.empty()) return;
    if (plan_.split_pk && (row_.new_partition || pk_parts_.empty())) {
      pk_parts_ = SplitPartitionKey(row_.partition_key, plan_.pk_parts);
    }
    for (const uint32_t i : plan_.slow) {
      const OutputColumn& oc = plan_.columns[i];
      switch (oc.from) {
        case From::kRegular: {
          const std::string_view v = regular[oc.index];
          if (v.data()) {
            w.Set(i, row, v);
          } else {
            w.Null(i, row);
          }
          break;
        }
        case From::kPartitionKey:
          w.Set(i, row, row_.partition_key);
          break;
        case From::kStatic: {
          const auto& statics = *row_.statics;
          if (oc.index < statics.size() && statics[oc.index] && statics[oc.index]->value) {
            w.Set(i, row, *statics[oc.index]->value);
          } else {
            w.Null(i, row);
          }
          break;
        }
        case From::kPartitionKeyPart:
          if (oc.index < pk_parts_.size()) {
            w.Set(i, row, pk_parts_[oc.index]);
          } else {
            w.Null(i, row);
          }
          break;
        case From::kClustering:
          if (oc.index < row_.clustering->size()) {
            w.Set(i, row, (*row_.clustering)[oc.index]);
          } else {
            w.Null(i, row);  // static-only row
          }
          break;
      }
    }
  }

  const storage::Store* store_;
  std::shared_ptr<const TableSchema> table_;
  ScanPlan plan_;
  Progress* progress_;
  storage::ReadSpec spec_;
  std::vector<Bytes> keys_;
  size_t next_key_ = 0;
  bool ranged_ = false;
  bool opened_ranged_ = false;
  int64_t now_ = 0;
  bool done_ = false;
  std::unique_ptr<storage::RowReader> reader_;
  storage::RowView row_;
  std::vector<Bytes> pk_parts_;
  std::vector<Fast<double>> doubles_;
  std::vector<Fast<int64_t>> int32s_, int64s_;
  std::vector<Fast<std::string>> bytes_;
};

class LocalSource : public TableSource {
 public:
  LocalSource(const storage::Store* store, std::shared_ptr<const TableSchema> table,
              size_t num_splits)
      : store_(store), table_(std::move(table)), num_splits_(std::max<size_t>(1, num_splits)) {
    for (const auto& c : table_->columns) schema_.fields.push_back({c.name, c.type, table_->name});
  }

  const Schema& schema() const override { return schema_; }
  std::string name() const override { return table_->keyspace + "." + table_->name; }

  std::vector<Split> Splits(const ScanRequest& request) override {
    Pushdown pd = Analyzer(*table_, request.predicates).Run();
    std::vector<Split> out;
    if (pd.empty) return out;
    if (pd.keys) {
      for (const auto& [token, _] : *pd.keys) {
        if (!out.empty() && out.back().end_token == token) continue;  // a token collision
        out.push_back(Split{token - 1, token, ""});
      }
      return out;
    }
    for (const auto& [a, b] : storage::Store::SplitTokenRanges(num_splits_)) {
      const int64_t s = std::max(a, pd.start);
      const int64_t e = std::min(b, pd.end);
      if (s < e) out.push_back(Split{s, e, ""});
    }
    return out;
  }

  std::unique_ptr<BatchStream> Scan(const Split& split, const ScanRequest& request,
                                    Progress* progress) override {
    Pushdown pd = Analyzer(*table_, request.predicates).Run();
    return std::make_unique<LocalBatchStream>(store_, table_, Plan(request, pd), std::move(pd),
                                              split, progress);
  }

 private:
  ScanPlan Plan(const ScanRequest& request, const Pushdown& pd) const {
    ScanPlan plan;
    std::vector<const ColumnSchema*> cols;
    if (request.columns.empty()) {
      for (const auto& c : table_->columns) cols.push_back(&c);
    } else {
      for (const auto& n : request.columns) {
        const auto* c = table_->Find(n);
        if (!c) ThrowInvalid("Undefined column name {}", n);
        cols.push_back(c);
      }
    }
    plan.pk_parts = table_->PartitionKey().size();
    bool any_static = false;
    for (const auto* c : cols) {
      OutputColumn oc;
      oc.type = c->type;
      oc.decoder = DecoderOf(c->type);
      switch (c->kind) {
        case ColumnKind::kPartitionKey:
          oc.from = plan.pk_parts == 1 ? From::kPartitionKey : From::kPartitionKeyPart;
          oc.index = static_cast<uint32_t>(c->position);
          plan.split_pk |= plan.pk_parts > 1;
          break;
        case ColumnKind::kClustering:
          oc.from = From::kClustering;
          oc.index = static_cast<uint32_t>(c->position);
          break;
        case ColumnKind::kStatic:
          oc.from = From::kStatic;
          oc.index = c->id;
          any_static = true;
          break;
        case ColumnKind::kRegular:
          oc.from = From::kRegular;
          oc.index = c->id;
          break;
      }
      if (oc.from == From::kStatic || oc.from == From::kRegular) {
        if (std::find(plan.read_ids.begin(), plan.read_ids.end(), c->id) == plan.read_ids.end()) {
          plan.read_ids.push_back(c->id);
        }
      }
      const auto at = static_cast<uint32_t>(plan.columns.size());
      if (oc.from == From::kRegular && oc.decoder == Decoder::kDouble) {
        plan.doubles.emplace_back(oc.index, at);
      } else if (oc.from == From::kRegular && oc.decoder == Decoder::kInt32) {
        plan.int32s.emplace_back(oc.index, at);
      } else if (oc.from == From::kRegular && oc.decoder == Decoder::kInt64) {
        plan.int64s.emplace_back(oc.index, at);
      } else if (oc.from == From::kRegular && oc.decoder == Decoder::kBytes) {
        plan.bytes.emplace_back(oc.index, at);
      } else {
        plan.slow.push_back(at);
      }
      plan.columns.push_back(std::move(oc));
    }
    // Storage reads every cell for liveness anyway; an id no column has
    // (an empty list would mean "all") keeps it from copying any of them.
    if (plan.read_ids.empty()) plan.read_ids.push_back(std::numeric_limits<uint32_t>::max());
    // As CQL: a partition holding only statics shows as one row when statics
    // are selected, but not under a clustering restriction.
    plan.keep_static = any_static && pd.slices.empty();
    return plan;
  }

  const storage::Store* store_;
  std::shared_ptr<const TableSchema> table_;
  size_t num_splits_;
  Schema schema_;
};

}  // namespace

std::shared_ptr<TableSource> MakeLocalSource(const storage::Store* store,
                                             std::shared_ptr<const storage::TableSchema> table,
                                             size_t num_splits) {
  return std::make_shared<LocalSource>(store, std::move(table), num_splits);
}

}  // namespace helenus::exec
