#include "helenus/storage/store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/merge_operator.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <type_traits>

#include "fragment.h"
#include "helenus/common/murmur3.h"
#include "helenus/storage/key_codec.h"

namespace helenus::storage {

using internal::Cell;
using internal::Fragment;

namespace {

constexpr char kHeaderKind = static_cast<char>(KeyKind::kPartitionHeader);
constexpr char kRangeKind = static_cast<char>(KeyKind::kRangeTombstone);
constexpr char kRowKind = static_cast<char>(KeyKind::kRow);
constexpr char kAfterPartition = static_cast<char>(0x31);
constexpr int64_t kNoDeletion = std::numeric_limits<int64_t>::min();

Status FromRocks(const rocksdb::Status& s) {
  if (s.ok()) return Status::Ok();
  if (s.IsNotFound()) return Status::NotFound(s.ToString());
  if (s.IsCorruption()) return Status::Corruption(s.ToString());
  if (s.IsInvalidArgument()) return Status::InvalidArgument(s.ToString());
  return Status::IoError(s.ToString());
}

// Resolves row fragments by last-write-wins, so writers never read first.
class FragmentMergeOperator : public rocksdb::MergeOperator {
 public:
  bool FullMergeV2(const MergeOperationInput& in, MergeOperationOutput* out) const override {
    if (in.existing_value == nullptr && in.operand_list.size() == 1) {
      // The common case of a key written once: no copy, no re-encoding.
      out->existing_operand = in.operand_list[0];
      return true;
    }
    std::vector<std::string_view> inputs;
    inputs.reserve(in.operand_list.size() + 1);
    if (in.existing_value)
      inputs.emplace_back(in.existing_value->data(), in.existing_value->size());
    for (const auto& op : in.operand_list) inputs.emplace_back(op.data(), op.size());
    // RocksDB may hand in a reused, non-empty string.
    out->new_value.clear();
    return internal::MergeFragments(inputs, &out->new_value);
  }

  bool PartialMergeMulti(const rocksdb::Slice& /*key*/,
                         const std::deque<rocksdb::Slice>& operand_list, std::string* new_value,
                         rocksdb::Logger* /*logger*/) const override {
    std::vector<std::string_view> inputs;
    inputs.reserve(operand_list.size());
    for (const auto& op : operand_list) inputs.emplace_back(op.data(), op.size());
    new_value->clear();
    return internal::MergeFragments(inputs, new_value);
  }

  const char* Name() const override { return "HelenusFragmentMerge"; }
};

std::string TableUpperBound(uint32_t table_id) {
  std::string out;
  if (table_id == std::numeric_limits<uint32_t>::max()) return std::string(5, '\xFF');
  AppendTablePrefix(table_id + 1, &out);
  return out;
}

// Column ids index into a dense table: ids are small and stable per table.
class ColumnIndex {
 public:
  explicit ColumnIndex(const TableLayout& layout) {
    uint32_t max_id = 0;
    for (const auto& c : layout.columns) max_id = std::max(max_id, c.id);
    by_id_.assign(layout.columns.empty() ? 0 : max_id + 1, nullptr);
    for (const auto& c : layout.columns) by_id_[c.id] = &c;
  }
  const ColumnLayout* Find(uint32_t id) const { return id < by_id_.size() ? by_id_[id] : nullptr; }
  size_t size() const { return by_id_.size(); }

 private:
  std::vector<const ColumnLayout*> by_id_;
};

// Items of a serialized (CQL v3+) collection: [int n]{[int len][bytes]}...
bool ParseCollection(std::string_view v, bool is_map,
                     std::vector<std::pair<std::string_view, std::string_view>>* out) {
  auto get_int = [&](int32_t* x) {
    if (v.size() < 4) return false;
    *x = static_cast<int32_t>((static_cast<uint32_t>(static_cast<uint8_t>(v[0])) << 24) |
                              (static_cast<uint32_t>(static_cast<uint8_t>(v[1])) << 16) |
                              (static_cast<uint32_t>(static_cast<uint8_t>(v[2])) << 8) |
                              static_cast<uint32_t>(static_cast<uint8_t>(v[3])));
    v.remove_prefix(4);
    return true;
  };
  auto get_item = [&](std::string_view* item) {
    int32_t len;
    if (!get_int(&len) || len < 0 || v.size() < static_cast<size_t>(len)) return false;
    *item = v.substr(0, len);
    v.remove_prefix(len);
    return true;
  };
  int32_t n;
  if (!get_int(&n) || n < 0) return false;
  for (int32_t i = 0; i < n; ++i) {
    std::string_view a, b;
    if (!get_item(&a)) return false;
    if (is_map && !get_item(&b)) return false;
    out->emplace_back(a, b);
  }
  return v.empty();
}

void PutBe32(uint32_t n, std::string* out) {
  char b[4] = {static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
               static_cast<char>(n)};
  out->append(b, 4);
}

void PatchBe32(size_t at, uint32_t n, std::string* out) {
  (*out)[at] = static_cast<char>(n >> 24);
  (*out)[at + 1] = static_cast<char>(n >> 16);
  (*out)[at + 2] = static_cast<char>(n >> 8);
  (*out)[at + 3] = static_cast<char>(n);
}

void PutBe64(uint64_t v, std::string* out) {
  char b[8];
  for (int i = 7; i >= 0; --i, v >>= 8) b[i] = static_cast<char>(v & 0xFF);
  out->append(b, 8);
}

// List element keys: [time-ish u64 BE][sequence u64 BE]. Appends take
// increasing positive "times", prepends increasingly negative ones, so that a
// later prepend sorts before everything and a later append after everything.
class ListKeyGenerator {
 public:
  uint64_t NextTime() {
    int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
    int64_t last = last_.load();
    int64_t next;
    do {
      next = std::max(now, last + 1);
    } while (!last_.compare_exchange_weak(last, next));
    return static_cast<uint64_t>(next);
  }
  uint64_t NextSeq() { return seq_.fetch_add(1); }

 private:
  std::atomic<int64_t> last_{0};
  std::atomic<uint64_t> seq_{
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count())};
};

ListKeyGenerator& ListKeys() {
  static ListKeyGenerator gen;
  return gen;
}

// Builds the fragments of one mutation; owns the bytes cells point at.
class MutationBuilder {
 public:
  MutationBuilder(const RowMutation& m, int64_t now) : m_(m), now_(now) {
    expires_ = m.ttl > 0 ? now + m.ttl : 0;
  }

  Status AddOp(const ColumnLayout& col, const CellOp& op, Fragment* f) {
    const DataType& type = col.type;
    const bool multi = type.IsMultiCell();
    const int64_t ts = m_.timestamp;
    using K = CellOp::Kind;
    switch (op.kind) {
      case K::kSet:
        if (!multi) {
          if (op.value) {
            Live(col.id, ts, *op.value, f);
          } else {
            Tomb(col.id, ts, f);
          }
          return Status::Ok();
        }
        CollTomb(col.id, ts - 1, f);
        return op.value ? AddSerialized(col, *op.value, ts, f) : Status::Ok();
      case K::kDelete:
        if (multi) {
          CollTomb(col.id, ts, f);
        } else {
          Tomb(col.id, ts, f);
        }
        return Status::Ok();
      case K::kCollectionOverwrite: {
        if (!multi) return NotMulti(col);
        CollTomb(col.id, ts - 1, f);
        if (op.value) {
          if (auto s = AddSerialized(col, *op.value, ts, f); !s.ok()) return s;
        }
        if (type.kind == TypeKind::kList) {
          AddListValues(col.id, op.elements, false, f);
          return Status::Ok();
        }
        if (type.kind == TypeKind::kMap) return AddEntries(col, op.entries, f);
        return AddElements(col, op.elements, false, f);
      }
      case K::kSetAdd:
        if (!multi || type.kind != TypeKind::kSet) return NotMulti(col);
        return AddElements(col, op.elements, false, f);
      case K::kSetRemove:
      case K::kMapRemove:
        if (!multi || type.kind == TypeKind::kList) return NotMulti(col);
        return AddElements(col, op.elements, true, f);
      case K::kMapPut:
        if (!multi || type.kind != TypeKind::kMap) return NotMulti(col);
        return AddEntries(col, op.entries, f);
      case K::kListAppend:
      case K::kListPrepend:
        if (!multi || type.kind != TypeKind::kList) return NotMulti(col);
        AddListValues(col.id, op.elements, op.kind == K::kListPrepend, f);
        return Status::Ok();
      case K::kListSetByKey:
        if (!multi || type.kind != TypeKind::kList) return NotMulti(col);
        for (const auto& [key, value] : op.entries) Element(col.id, key, value, false, f);
        return Status::Ok();
      case K::kListRemoveKeys:
        if (!multi || type.kind != TypeKind::kList) return NotMulti(col);
        for (const auto& key : op.elements) Element(col.id, key, {}, true, f);
        return Status::Ok();
    }
    return Status::InvalidArgument("unknown cell op");
  }

  void Marker(Fragment* f) {
    f->has_marker = true;
    f->marker_ts = m_.timestamp;
    f->marker_ttl = m_.ttl;
    f->marker_expires = expires_;
  }

  void RowTombstone(Fragment* f, int64_t ts) {
    if (f->has_tombstone && f->tombstone_ts >= ts) return;
    f->has_tombstone = true;
    f->tombstone_ts = ts;
    f->tombstone_ldt = now_;
  }

 private:
  static Status NotMulti(const ColumnLayout& col) {
    return Status::InvalidArgument("collection operation on column of type " + col.type.ToCql());
  }

  void Live(uint32_t column, int64_t ts, std::string_view value, Fragment* f) {
    Cell c;
    c.column = column;
    c.flags = m_.ttl > 0 ? internal::kCellTtl : 0;
    c.ts = ts;
    c.ttl = m_.ttl;
    c.ldt = expires_;
    c.value = value;
    f->cells.push_back(c);
  }
  void Tomb(uint32_t column, int64_t ts, Fragment* f) {
    Cell c;
    c.column = column;
    c.flags = internal::kCellTombstone;
    c.ts = ts;
    c.ldt = now_;
    f->cells.push_back(c);
  }
  void CollTomb(uint32_t column, int64_t ts, Fragment* f) {
    Cell c;
    c.column = column;
    c.flags = internal::kCellCollectionTombstone;
    c.ts = ts;
    c.ldt = now_;
    f->cells.push_back(c);
  }
  void Element(uint32_t column, std::string_view key, std::string_view value, bool tomb,
               Fragment* f) {
    Cell c;
    c.column = column;
    c.key = key;
    c.ts = m_.timestamp;
    if (tomb) {
      c.flags = internal::kCellElement | internal::kCellTombstone;
      c.ldt = now_;
    } else {
      c.flags = internal::kCellElement | (m_.ttl > 0 ? internal::kCellTtl : 0);
      c.ttl = m_.ttl;
      c.ldt = expires_;
      c.value = value;
    }
    f->cells.push_back(c);
  }

  std::string& NewBuffer() {
    if (!arena_) arena_.emplace();
    return arena_->emplace_back();
  }

  // Set elements and map keys are keyed by their byte-comparable encoding so
  // element order is the type's order.
  Result<std::string_view> ElementKey(const DataType& elem_type, std::string_view elem) {
    std::string& k = NewBuffer();
    if (auto s = AppendClusteringComponent(elem_type, false, elem, &k); !s.ok()) return s;
    return std::string_view(k);
  }

  Status AddElements(const ColumnLayout& col, const std::vector<Bytes>& elems, bool tomb,
                     Fragment* f) {
    for (const auto& e : elems) {
      auto key = ElementKey(col.type.params[0], e);
      if (!key.ok()) return key.status();
      Element(col.id, *key, {}, tomb, f);
    }
    return Status::Ok();
  }

  Status AddEntries(const ColumnLayout& col, const std::vector<std::pair<Bytes, Bytes>>& entries,
                    Fragment* f) {
    for (const auto& [k, v] : entries) {
      auto key = ElementKey(col.type.params[0], k);
      if (!key.ok()) return key.status();
      Element(col.id, *key, v, false, f);
    }
    return Status::Ok();
  }

  template <typename Values>
  void AddListValues(uint32_t column, const Values& values, bool prepend, Fragment* f) {
    if (values.empty()) return;
    uint64_t t = ListKeys().NextTime();
    uint64_t high = (prepend ? (0 - t) : t) ^ 0x8000000000000000ULL;
    for (const auto& v : values) {
      std::string& k = NewBuffer();
      PutBe64(high, &k);
      PutBe64(ListKeys().NextSeq(), &k);
      Element(column, k, ValueView(v), false, f);
    }
  }
  static std::string_view ValueView(const Bytes& b) { return b; }
  static std::string_view ValueView(const std::pair<std::string_view, std::string_view>& p) {
    return p.first;
  }

  Status AddSerialized(const ColumnLayout& col, std::string_view value, int64_t ts, Fragment* f) {
    std::vector<std::pair<std::string_view, std::string_view>> items;
    bool is_map = col.type.kind == TypeKind::kMap;
    if (!ParseCollection(value, is_map, &items)) {
      return Status::InvalidArgument("malformed collection value for " + col.type.ToCql());
    }
    if (col.type.kind == TypeKind::kList) {
      AddListValues(col.id, items, false, f);
      return Status::Ok();
    }
    for (const auto& [k, v] : items) {
      auto key = ElementKey(col.type.params[0], k);
      if (!key.ok()) return key.status();
      Element(col.id, *key, v, false, f);
    }
    return Status::Ok();
  }

  const RowMutation& m_;
  int64_t now_;
  int64_t expires_ = 0;
  // Created on first use: plain INSERT/UPDATE of scalar columns needs no extra bytes.
  std::optional<std::deque<std::string>> arena_;
};

// Constant-size copies inline; int/bigint/float/double cells hit them.
inline void CopySmall(char* dst, std::string_view src) {
  switch (src.size()) {
    case 0:
      return;
    case 4:
      std::memcpy(dst, src.data(), 4);
      return;
    case 8:
      std::memcpy(dst, src.data(), 8);
      return;
    default:
      break;
  }
  // Short texts: two overlapping fixed-size copies; GCC otherwise inlines a
  // `rep movs` here whose startup dominates copies of a few dozen bytes.
  const size_t n = src.size();
  const char* s = src.data();
  char a[16], b[16];
  if (n >= 16 && n <= 32) {
    std::memcpy(a, s, 16);
    std::memcpy(b, s + n - 16, 16);
    std::memcpy(dst, a, 16);
    std::memcpy(dst + n - 16, b, 16);
  } else if (n >= 8 && n < 16) {
    std::memcpy(a, s, 8);
    std::memcpy(b, s + n - 8, 8);
    std::memcpy(dst, a, 8);
    std::memcpy(dst + n - 8, b, 8);
  } else {
    std::memcpy(dst, s, n);
  }
}

bool StartsWith(const rocksdb::Slice& s, std::string_view p) {
  return s.size() >= p.size() && std::memcmp(s.data(), p.data(), p.size()) == 0;
}

}  // namespace

// ---------------------------------------------------------------------------
// Store::Impl

struct Store::Impl {
  rocksdb::DB* db = nullptr;
  rocksdb::ColumnFamilyHandle* data = nullptr;
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  StoreOptions options;
  std::thread syncer;
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;

  ~Impl() {
    if (syncer.joinable()) {
      {
        std::lock_guard lock(mu);
        stopping = true;
      }
      cv.notify_all();
      syncer.join();
    }
    if (db) {
      if (data) (void)db->DestroyColumnFamilyHandle(data);
      if (meta) (void)db->DestroyColumnFamilyHandle(meta);
      (void)db->Close();
      delete db;
    }
  }

  // Cassandra's commitlog_sync: periodic — bounded loss window, cheap writes.
  void SyncLoop() {
    std::unique_lock lock(mu);
    while (!stopping) {
      cv.wait_for(lock, std::chrono::milliseconds(options.periodic_sync_ms));
      if (stopping) break;
      lock.unlock();
      (void)db->SyncWAL();
      lock.lock();
    }
  }
};

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Store::~Store() = default;

Result<std::unique_ptr<Store>> Store::Open(const std::string& dir, const StoreOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(
      static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  db_options.max_background_jobs = 2;

  rocksdb::BlockBasedTableOptions table_options;
  table_options.block_cache = rocksdb::NewLRUCache(options.block_cache_mb << 20);
  table_options.block_size = 16 * 1024;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));

  rocksdb::ColumnFamilyOptions data_options;
  data_options.merge_operator = std::make_shared<FragmentMergeOperator>();
  data_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  data_options.write_buffer_size = 64 << 20;
  data_options.level_compaction_dynamic_level_bytes = true;
  data_options.max_successive_merges = 0;

  rocksdb::ColumnFamilyOptions meta_options;

  std::vector<rocksdb::ColumnFamilyDescriptor> cfs = {
      {rocksdb::kDefaultColumnFamilyName, data_options}, {"meta", meta_options}};
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  auto s = rocksdb::DB::Open(db_options, dir, cfs, &handles, &db);
  if (!s.ok()) return FromRocks(s);
  impl->db = db;
  impl->data = handles[0];
  impl->meta = handles[1];
  if (!options.sync_each_write && options.periodic_sync_ms > 0) {
    impl->syncer = std::thread([p = impl.get()] { p->SyncLoop(); });
  }
  return std::unique_ptr<Store>(new Store(std::move(impl)));
}

int64_t Store::NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status Store::Apply(const TableLayout& layout, const std::vector<RowMutation>& mutations) {
  return ApplyAt(layout, mutations, NowSeconds());
}

namespace {
Status AddToBatch(rocksdb::ColumnFamilyHandle* cf, const TableLayout& layout,
                  const std::vector<RowMutation>& mutations, int64_t now_seconds,
                  rocksdb::WriteBatch* out);
}  // namespace

Status Store::ApplyAt(const TableLayout& layout, const std::vector<RowMutation>& mutations,
                      int64_t now_seconds) {
  return ApplyAll({TableMutations{&layout, &mutations}}, now_seconds);
}

Status Store::ApplyAll(const std::vector<TableMutations>& groups, int64_t now_seconds) {
  rocksdb::WriteBatch batch;
  for (const auto& g : groups) {
    if (auto s = AddToBatch(impl_->data, *g.layout, *g.mutations, now_seconds, &batch); !s.ok()) {
      return s;
    }
  }
  rocksdb::WriteOptions wo;
  wo.sync = impl_->options.sync_each_write;
  return FromRocks(impl_->db->Write(wo, &batch));
}

namespace {

// Merges the fragments of one table's mutations into batch.
Status AddToBatch(rocksdb::ColumnFamilyHandle* cf, const TableLayout& layout,
                  const std::vector<RowMutation>& mutations, int64_t now_seconds,
                  rocksdb::WriteBatch* out) {
  rocksdb::WriteBatch& batch = *out;
  ColumnIndex columns(layout);
  Fragment header;
  Fragment row;
  std::string key;
  std::string value;
  for (const auto& m : mutations) {
    header.Clear();
    row.Clear();
    MutationBuilder builder(m, now_seconds);
    const bool full = m.clustering.size() == layout.clustering.size();
    if (m.delete_partition) builder.RowTombstone(&header, m.timestamp);
    if (m.delete_row && !full) {
      return Status::InvalidArgument("row deletion needs the full clustering key");
    }
    if (m.row_marker && !full && !m.clustering.empty()) {
      return Status::InvalidArgument("row marker needs the full clustering key");
    }
    // An INSERT of only the partition key and static columns has no row to mark.
    if (m.row_marker && full) builder.Marker(&row);
    if (m.delete_row) builder.RowTombstone(&row, m.timestamp);
    for (const auto& op : m.cells) {
      const ColumnLayout* col = columns.Find(op.column);
      if (!col) return Status::InvalidArgument("unknown column id " + std::to_string(op.column));
      if (!col->is_static && !full) {
        return Status::InvalidArgument("regular column write needs the full clustering key");
      }
      if (auto s = builder.AddOp(*col, op, col->is_static ? &header : &row); !s.ok()) return s;
    }

    key.clear();
    AppendTablePrefix(layout.table_id, &key);
    AppendToken(Murmur3Token(m.partition_key), &key);
    AppendEscaped(m.partition_key, &key);
    const size_t prefix_len = key.size();
    if (header.has_tombstone || !header.cells.empty()) {
      key.push_back(kHeaderKind);
      value.clear();
      internal::Normalize(&header);
      internal::SerializeFragment(header, &value);
      batch.Merge(cf, key, value);
      key.resize(prefix_len);
    }
    if (m.delete_range) {
      std::string start, end;
      const auto& r = *m.delete_range;
      auto s = EncodeClusteringBound(
          layout.clustering, layout.clustering_desc, r.start.prefix,
          r.start.inclusive ? BoundKind::kStartInclusive : BoundKind::kStartExclusive, &start);
      if (s.ok()) {
        s = EncodeClusteringBound(
            layout.clustering, layout.clustering_desc, r.end.prefix,
            r.end.inclusive ? BoundKind::kEndInclusive : BoundKind::kEndExclusive, &end);
      }
      if (!s.ok()) return s;
      key.push_back(kRangeKind);
      AppendEscaped(start, &key);
      AppendEscaped(end, &key);
      Fragment rt;
      builder.RowTombstone(&rt, m.timestamp);
      value.clear();
      internal::SerializeFragment(rt, &value);
      batch.Merge(cf, key, value);
      key.resize(prefix_len);
    }
    if (full && (row.has_marker || row.has_tombstone || !row.cells.empty())) {
      key.push_back(kRowKind);
      auto s =
          AppendClusteringPrefix(layout.clustering, layout.clustering_desc, m.clustering, &key);
      if (!s.ok()) return s;
      value.clear();
      internal::Normalize(&row);
      internal::SerializeFragment(row, &value);
      batch.Merge(cf, key, value);
    }
  }
  return Status::Ok();
}

}  // namespace

Status Store::DropTableData(uint32_t table_id) {
  std::string begin;
  AppendTablePrefix(table_id, &begin);
  std::string end = TableUpperBound(table_id);
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(impl_->db->DeleteRange(wo, impl_->data, begin, end));
}

Status Store::PutMeta(const std::string& key, const std::string& value) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(impl_->db->Put(wo, impl_->meta, key, value));
}

Status Store::DeleteMeta(const std::string& key) {
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(impl_->db->Delete(wo, impl_->meta, key));
}

Result<std::optional<std::string>> Store::GetMeta(const std::string& key) const {
  std::string value;
  auto s = impl_->db->Get(rocksdb::ReadOptions(), impl_->meta, key, &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s);
  return std::optional<std::string>(std::move(value));
}

Result<std::vector<std::pair<std::string, std::string>>> Store::ListMeta(
    const std::string& prefix) const {
  std::vector<std::pair<std::string, std::string>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->meta));
  for (it->Seek(prefix); it->Valid() && StartsWith(it->key(), prefix); it->Next()) {
    out.emplace_back(it->key().ToString(), it->value().ToString());
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

Status Store::CompactAll() {
  rocksdb::FlushOptions fo;
  for (auto* cf : {impl_->data, impl_->meta}) {
    if (auto s = impl_->db->Flush(fo, cf); !s.ok()) return FromRocks(s);
    rocksdb::CompactRangeOptions co;
    co.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
    if (auto s = impl_->db->CompactRange(co, cf, nullptr, nullptr); !s.ok()) return FromRocks(s);
  }
  return Status::Ok();
}

std::vector<std::pair<int64_t, int64_t>> Store::SplitTokenRanges(size_t n) {
  std::vector<std::pair<int64_t, int64_t>> out;
  if (n == 0) n = 1;
  const __int128 lo = std::numeric_limits<int64_t>::min();
  const __int128 hi = std::numeric_limits<int64_t>::max();
  const __int128 span = hi - lo;
  int64_t prev = std::numeric_limits<int64_t>::min();
  for (size_t i = 1; i <= n; ++i) {
    auto b = static_cast<int64_t>(lo + span * static_cast<__int128>(i) / static_cast<__int128>(n));
    if (i == n) b = std::numeric_limits<int64_t>::max();
    out.emplace_back(prev, b);
    prev = b;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reading

namespace {

// Per-partition deletion info.
struct RangeTombstone {
  std::string start;  // rows with clustering encoding >= start
  std::string end;    // and < end
  int64_t ts;
};

// The serialized length of every (non-empty) value of a type; 0 when it varies.
uint8_t FixedWidth(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBoolean:
    case TypeKind::kTinyint:
      return 1;
    case TypeKind::kSmallint:
      return 2;
    case TypeKind::kInt:
    case TypeKind::kFloat:
    case TypeKind::kDate:
      return 4;
    case TypeKind::kBigint:
    case TypeKind::kCounter:
    case TypeKind::kDouble:
    case TypeKind::kTimestamp:
    case TypeKind::kTime:
      return 8;
    case TypeKind::kUuid:
    case TypeKind::kTimeuuid:
      return 16;
    default:
      return 0;
  }
}

// Materializes the live cells of one fragment; true when any cell is live.
class CellDecoder {
 public:
  CellDecoder(const TableLayout& layout, const std::vector<uint32_t>& wanted_ids) : index_(layout) {
    wanted_.assign(index_.size(), wanted_ids.empty() ? 1 : 0);
    for (uint32_t id : wanted_ids) {
      if (id < wanted_.size()) wanted_[id] = 1;
    }
    kind_.assign(index_.size(), kUnknown);
    seen_.assign(index_.size(), 0);
    for (const auto& c : layout.columns) kind_[c.id] = c.type.IsMultiCell() ? kMulti : kSimple;
    plain_.assign(index_.size(), kPlainNo);
    shape_.assign(index_.size(), 0);
    for (const auto& c : layout.columns) {
      if (kind_[c.id] != kSimple) continue;
      plain_[c.id] = wanted_[c.id] ? kPlainWanted : kPlainLive;
      shape_[c.id] = internal::kShapePlain | FixedWidth(c.type.kind) |
                     (wanted_[c.id] ? internal::kShapeStore : 0);
    }
    wanted_before_.assign(index_.size() + 1, 0);
    for (size_t id = 0; id < index_.size(); ++id) {
      wanted_before_[id + 1] = wanted_before_[id] + (plain_[id] == kPlainWanted ? 1 : 0);
    }
    for (const auto& c : layout.columns) {
      if (!wanted_[c.id]) continue;
      (c.is_static ? static_ids_ : regular_ids_).push_back(c.id);
    }
  }

  size_t width() const { return index_.size(); }
  const std::vector<uint32_t>& regular_ids() const { return regular_ids_; }
  const std::vector<uint32_t>& static_ids() const { return static_ids_; }

  // Fills out (indexed by column id) from the cells of r not deleted at or
  // before del; true when any cell is live. The caller checks r.error().
  // Slots is std::vector<std::optional<CellRead>> (copies) or
  // std::vector<std::string_view> (views into r's input and buffers_).
  template <typename Slots>
  bool Decode(internal::FragmentReader& r, int64_t del, int64_t now,
              const std::vector<uint32_t>& ids, Slots* out) {
    constexpr bool kViews = std::is_same_v<Slots, std::vector<std::string_view>>;
    if (out->size() != index_.size()) out->resize(index_.size());
    // Slots stay engaged across rows (no per-cell construct/destroy); a
    // generation number tells which ones this row set.
    ++gen_;
    set_count_ = 0;
    bool live = false;
    Cell c;
    // State of the multi-cell column being assembled (cells are sorted by column).
    uint32_t multi_column = UINT32_MAX;
    int64_t cdel = del;
    std::string* buf = nullptr;
    CellRead* slot = nullptr;
    uint32_t count = 0;
    int64_t newest = 0;
    auto finish = [&] {
      if (buf) {
        PatchBe32(0, count, buf);
        if constexpr (kViews) {
          (*out)[multi_column] = *buf;
        } else {
          slot->timestamp = newest;
        }
      }
      buf = nullptr;
      multi_column = UINT32_MAX;
    };
    // Plain cells (see FragmentReader::ConsumePlain) are live exactly when the
    // base timestamp beats the row's deletion: check that once per row, then
    // take runs of them in ConsumePlain's tight loop. Anything else (other
    // cell shapes, multi-cell or dropped columns) goes through Next below.
    const bool plain_live = r.base_ts() > del;
    const int64_t base = r.base_ts();
    const uint8_t* plain = plain_.data();
    const uint32_t plain_size = static_cast<uint32_t>(plain_.size());
    // The slots' storage does not move while cells are decoded: hoisted,
    // since stores into slots could otherwise alias the vector's pointers.
    auto* const slots = out->data();
    auto take_plain = [&](uint32_t column, std::string_view value) {
      const uint8_t p = column < plain_size ? plain[column] : kPlainNo;
      if (p == kPlainNo) return false;
      live = true;
      if (p == kPlainWanted) Set(column, value, base, 0, 0, slots);
      return true;
    };
    // Views take runs of plain cells without per-cell bookkeeping: a run
    // covers consecutive column ids, so counting its wanted columns is one
    // subtraction (fragments hold one cell per simple column: no overlaps).
    size_t plain_set = 0;
    runs_.clear();
    auto consume_plain = [&] {
      if constexpr (kViews) {
        const uint32_t first = r.column() + 1;  // 0 before the first cell
        r.ConsumeViews(shape_.data(), plain_size, slots);
        const uint32_t end = r.column() + 1;
        if (end == first) return;
        live = true;
        plain_set += wanted_before_[end] - wanted_before_[first];
        runs_.emplace_back(first, end);
      } else {
        r.ConsumePlain(take_plain);
      }
    };
    for (;;) {
      if (plain_live) consume_plain();
      if (!r.Next(&c)) break;
      const uint8_t kind = c.column < kind_.size() ? kind_[c.column] : kUnknown;
      if (kind == kSimple) {
        if (c.IsTombstone() || c.ts <= del || (c.ldt != 0 && c.ldt <= now)) continue;
        live = true;
        if (wanted_[c.column]) Set(c.column, c.value, c.ts, c.ttl, c.ldt, slots);
        continue;
      }
      // Cells of dropped columns (no layout entry) are ignored.
      if (kind != kMulti) continue;
      if (c.column != multi_column) {
        finish();
        multi_column = c.column;
        cdel = del;
        count = 0;
        newest = std::numeric_limits<int64_t>::min();
      }
      if (c.flags & internal::kCellCollectionTombstone) {
        cdel = std::max(cdel, c.ts);
        continue;
      }
      if (c.IsTombstone() || c.ts <= cdel || (c.ldt != 0 && c.ldt <= now)) continue;
      live = true;
      if (!wanted_[c.column]) continue;
      if (!buf) {
        if constexpr (kViews) {
          if (buffers_.size() != index_.size()) buffers_.resize(index_.size());
          buf = &buffers_[c.column];
        } else {
          auto& opt = (*out)[c.column];
          if (!opt) opt.emplace();
          slot = &*opt;
          if (!slot->value) slot->value.emplace();
          buf = &*slot->value;
        }
        buf->clear();
        PutBe32(0, buf);
        set_count_ += seen_[c.column] != gen_;
        seen_[c.column] = gen_;
      }
      ++count;
      if constexpr (!kViews) {
        if (c.ts > newest) {
          newest = c.ts;
          slot->ttl = c.ttl;
          slot->expires_at = c.ldt;
        }
      }
      AppendElement(*index_.Find(c.column), c, buf);
    }
    finish();
    // A row that set every wanted column (the usual full row) has nothing to clear.
    if (set_count_ + plain_set != ids.size()) {
      for (uint32_t id : ids) {
        if (seen_[id] == gen_) continue;
        if (kViews && std::any_of(runs_.begin(), runs_.end(), [id](const auto& run) {
              return run.first <= id && id < run.second;
            })) {
          continue;
        }
        (*out)[id] = {};
      }
    }
    return live;
  }

 private:
  // Points one simple cell's slot at its value (never a null view: null = absent).
  [[gnu::always_inline]] void Set(uint32_t column, std::string_view value, int64_t, int32_t,
                                  int64_t, std::string_view* slots) {
    slots[column] = value.data() ? value : std::string_view("", 0);
    set_count_ += seen_[column] != gen_;
    seen_[column] = gen_;
  }

  // Stores one simple cell into its (reused) slot.
  [[gnu::always_inline]] void Set(uint32_t column, std::string_view value, int64_t ts, int32_t ttl,
                                  int64_t expires, std::optional<CellRead>* slots) {
    auto& opt = slots[column];
    if (!opt) opt.emplace();
    if (opt->value) {
      // Same-size overwrite (the usual case: fixed-width types) skips _M_replace.
      std::string& v = *opt->value;
      if (v.size() != value.size()) v.resize(value.size());
      CopySmall(v.data(), value);
    } else {
      opt->value.emplace(value);
    }
    set_count_ += seen_[column] != gen_;
    seen_[column] = gen_;
    opt->timestamp = ts;
    opt->ttl = ttl;
    opt->expires_at = expires;
  }

  void AppendElement(const ColumnLayout& col, const Cell& e, std::string* buf) {
    if (col.type.kind == TypeKind::kList) {
      PutBe32(static_cast<uint32_t>(e.value.size()), buf);
      buf->append(e.value);
      return;
    }
    tmp_.clear();
    std::string_view k = e.key;
    if (!ReadClusteringComponent(col.type.params[0], false, &k, &tmp_)) tmp_.clear();
    PutBe32(static_cast<uint32_t>(tmp_.size()), buf);
    buf->append(tmp_);
    if (col.type.kind == TypeKind::kMap) {
      PutBe32(static_cast<uint32_t>(e.value.size()), buf);
      buf->append(e.value);
    }
  }

  static constexpr uint8_t kUnknown = 0;
  static constexpr uint8_t kSimple = 1;
  static constexpr uint8_t kMulti = 2;
  // What a plain cell of a column means (one lookup in the fast path).
  static constexpr uint8_t kPlainNo = 0;      // not a simple column: general path
  static constexpr uint8_t kPlainLive = 1;    // simple, not materialized: only liveness
  static constexpr uint8_t kPlainWanted = 2;  // simple and materialized

  ColumnIndex index_;
  std::vector<uint8_t> kind_;            // by column id: kUnknown, kSimple or kMulti
  std::vector<uint8_t> plain_;           // by column id: kPlainNo, kPlainLive or kPlainWanted
  std::vector<uint8_t> shape_;           // by column id: FragmentReader::ConsumeViews' shape
  std::vector<uint32_t> wanted_before_;  // [id]: wanted simple columns with a smaller id
  std::vector<std::pair<uint32_t, uint32_t>> runs_;  // [first, end) ids ConsumeViews set
  std::vector<uint64_t> seen_;  // by column id: generation of the last Decode that set it
  uint64_t gen_ = 0;
  size_t set_count_ = 0;  // distinct columns the current Decode set
  std::vector<char> wanted_;
  std::vector<uint32_t> regular_ids_;
  std::vector<uint32_t> static_ids_;
  std::string tmp_;
  std::vector<std::string> buffers_;  // by column id: multi-cell values a view points at
};

}  // namespace

namespace {

// DecodeKey for the scan loop, which meets every partition: the partition
// key is unescaped in one pass straight into the reused *pk (no memchr and
// append per escaped 0x00, which int keys nearly always hold). Returns the
// length of the partition prefix (the kind byte follows it); 0 when the key
// is malformed.
size_t SplitPartitionKey(std::string_view key, int64_t* token, Bytes* pk) {
  constexpr size_t kHead = 12;  // table id + token
  if (key.size() < kHead + 3) return 0;
  uint64_t t;
  std::memcpy(&t, key.data() + 4, 8);
  *token = static_cast<int64_t>(__builtin_bswap64(t) ^ 0x8000000000000000ULL);
  const char* p = key.data() + kHead;
  const char* end = key.data() + key.size();
  // Short keys unescape on the stack and land in *pk with one assign.
  char local[128];
  const auto max = static_cast<size_t>(end - p);
  if (max > sizeof local) pk->resize(max);
  char* out = max > sizeof local ? pk->data() : local;
  size_t n = 0;
  for (; p + 1 < end; ++p) {
    if (*p != '\0') {
      out[n++] = *p;
    } else if (p[1] == '\x01') {
      if (out == local) {
        pk->assign(local, n);
      } else {
        pk->resize(n);
      }
      return p + 2 < end ? static_cast<size_t>(p + 2 - key.data()) : 0;
    } else if (p[1] == '\xFF') {
      out[n++] = '\0';
      ++p;
    } else {
      return 0;
    }
  }
  return 0;
}

}  // namespace

struct RowReader::Impl {
  enum class State { kStart, kPartitionStart, kRows, kPartitionEnd, kDone };

  Impl(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf, const TableLayout& l, const ReadSpec& s,
       int64_t n)
      : layout(l), spec(s), now(n), decoder(layout, spec.columns) {
    has_clustering = !layout.clustering.empty();
    for (const auto& c : layout.columns) has_statics |= c.is_static;
    chain_partitions = !spec.reverse && !spec.partition_key && !has_statics && !spec.resume_after;
    one_row_chain = chain_partitions && !has_clustering && spec.slices.empty();
    Setup(db, cf);
  }

  void Setup(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf) {
    // Slices as encoded [start, end) row suffixes.
    if (spec.slices.empty()) {
      slices.emplace_back("", std::string(1, static_cast<char>(kMarkerAfterPrefix)));
    }
    for (const auto& sl : spec.slices) {
      std::string a, b;
      auto st = EncodeClusteringBound(
          layout.clustering, layout.clustering_desc, sl.start.prefix,
          sl.start.inclusive ? BoundKind::kStartInclusive : BoundKind::kStartExclusive, &a);
      if (st.ok()) {
        st = EncodeClusteringBound(
            layout.clustering, layout.clustering_desc, sl.end.prefix,
            sl.end.inclusive ? BoundKind::kEndInclusive : BoundKind::kEndExclusive, &b);
      }
      if (!st.ok()) {
        Fail(st);
        return;
      }
      if (a < b) slices.emplace_back(std::move(a), std::move(b));
    }
    if (slices.empty()) {
      state = State::kDone;
      return;
    }

    std::string seek;
    if (spec.partition_key) {
      lower = PartitionPrefix(layout.table_id, *spec.partition_key);
      upper = lower;
      upper.push_back(kAfterPartition);
      seek = lower;
    } else {
      if (spec.start_token >= spec.end_token) {
        state = State::kDone;
        return;
      }
      AppendTablePrefix(layout.table_id, &lower);
      if (spec.start_token != std::numeric_limits<int64_t>::min()) {
        AppendToken(spec.start_token + 1, &lower);
      }
      if (spec.end_token == std::numeric_limits<int64_t>::max()) {
        upper = TableUpperBound(layout.table_id);
      } else {
        AppendTablePrefix(layout.table_id, &upper);
        AppendToken(spec.end_token + 1, &upper);
      }
      seek = lower;
    }
    if (spec.resume_after) {
      std::string r = PartitionPrefix(layout.table_id, spec.resume_after->partition_key);
      if (r > seek) seek = r;
      if (!spec.resume_after->partition_done) {
        auto st = EncodeClusteringBound(
            layout.clustering, layout.clustering_desc, spec.resume_after->clustering,
            spec.reverse ? BoundKind::kEndExclusive : BoundKind::kStartExclusive, &resume_bound);
        if (!st.ok()) {
          Fail(st);
          return;
        }
      }
    }
    lower_slice = rocksdb::Slice(lower);
    upper_slice = rocksdb::Slice(upper);
    rocksdb::ReadOptions ro;
    ro.iterate_lower_bound = &lower_slice;
    ro.iterate_upper_bound = &upper_slice;
    if (!spec.partition_key) ro.readahead_size = 2 << 20;
    it.reset(db->NewIterator(ro, cf));
    first_seek = std::move(seek);
  }

  void Fail(Status s) {
    status = std::move(s);
    state = State::kDone;
  }

  bool CheckIter() {
    if (!it->status().ok()) Fail(FromRocks(it->status()));
    return status.ok();
  }

  // Loads the header and range tombstones of the partition at the iterator.
  void StartPartition() {
    at_first_row = false;
    rocksdb::Slice k = it->key();
    const size_t prefix_len = SplitPartitionKey(std::string_view(k.data(), k.size()), &token, &pk);
    if (prefix_len == 0) {
      Fail(Status::Corruption("malformed data key"));
      return;
    }
    const auto kind = static_cast<KeyKind>(k[prefix_len]);
    this->prefix_len = prefix_len;
    past_row = false;
    // A chained scan of one-row partitions never compares keys with the
    // prefix (see NextRowForward): spare the copy when the partition starts
    // with its row.
    if (kind != KeyKind::kRow || !one_row_chain) prefix.assign(k.data(), prefix_len);
    part_del = kNoDeletion;
    rts.clear();
    statics_live = false;
    emitted = false;
    new_partition = true;
    partition_resume = false;
    if (spec.resume_after && pk == spec.resume_after->partition_key) {
      // Without clustering columns the resumed row was the whole partition.
      if (spec.resume_after->partition_done || layout.clustering.empty()) {
        SkipPartition();
        return;
      }
      partition_resume = true;
      emitted = true;
      new_partition = false;
    }
    if (kind == KeyKind::kPartitionHeader) {
      rocksdb::Slice v = it->value();
      if (!reader.Init(std::string_view(v.data(), v.size()))) {
        Fail(Status::Corruption("malformed partition header"));
        return;
      }
      if (reader.has_tombstone) part_del = reader.tombstone_ts;
      if (has_statics) {
        statics_live = decoder.Decode(reader, part_del, now, decoder.static_ids(), &statics);
        if (reader.error()) {
          Fail(Status::Corruption("malformed partition header"));
          return;
        }
      }
      it->Next();
    } else if (has_statics) {
      statics.assign(decoder.width(), std::nullopt);
    }
    // Range tombstone keys sort between the header and the rows: a partition
    // that starts with a row has none.
    while (kind != KeyKind::kRow && it->Valid() && StartsWith(it->key(), prefix) &&
           it->key()[prefix.size()] == kRangeKind) {
      rocksdb::Slice key = it->key();
      std::string_view rest(key.data() + prefix.size() + 1, key.size() - prefix.size() - 1);
      RangeTombstone rt;
      frag.Clear();
      rocksdb::Slice v = it->value();
      if (!ReadEscaped(&rest, &rt.start) || !ReadEscaped(&rest, &rt.end) ||
          !internal::ParseFragment(std::string_view(v.data(), v.size()), &frag)) {
        Fail(Status::Corruption("malformed range tombstone"));
        return;
      }
      rt.ts = frag.tombstone_ts;
      if (frag.has_tombstone && rt.ts > part_del) rts.push_back(std::move(rt));
      it->Next();
    }
    if (!it->Valid() && !CheckIter()) return;
    slice_i = 0;
    positioned = false;
    left_partition = false;
    at_first_row = kind == KeyKind::kRow;
    state = State::kRows;
  }

  void SkipPartition() {
    if (spec.partition_key) {
      state = State::kDone;
      return;
    }
    std::string next = prefix;
    next.push_back(kAfterPartition);
    it->Seek(next);
    state = State::kPartitionStart;
  }

  // Decodes the row at the iterator into *out; false when it is not live.
  template <typename Out>
  bool RowAt(std::string_view suffix, Out* out) {
    rocksdb::Slice v = it->value();
    if (!reader.Init(std::string_view(v.data(), v.size()))) {
      Fail(Status::Corruption("malformed row"));
      return false;
    }
    int64_t del = part_del;
    if (reader.has_tombstone) del = std::max(del, reader.tombstone_ts);
    for (const auto& rt : rts) {
      if (rt.ts > del && suffix >= std::string_view(rt.start) &&
          suffix < std::string_view(rt.end)) {
        del = rt.ts;
      }
    }
    bool live = reader.has_marker && reader.marker_ts > del &&
                (reader.marker_expires == 0 || reader.marker_expires > now);
    live |= decoder.Decode(reader, del, now, decoder.regular_ids(), &out->regular);
    if (reader.error()) {
      Fail(Status::Corruption("malformed row"));
      return false;
    }
    if (!live) return false;
    if (!has_clustering) {
      Clustering(out)->clear();
    } else if (!DecodeClustering(layout.clustering, layout.clustering_desc, suffix,
                                 Clustering(out))) {
      Fail(Status::Corruption("malformed clustering key"));
      return false;
    }
    FillPartition(out);
    out->static_only = false;
    return true;
  }

  std::vector<Bytes>* Clustering(RowRead* out) { return &out->clustering; }
  std::vector<Bytes>* Clustering(RowView* out) {
    out->clustering = &clustering;
    return &clustering;
  }

  void FillPartition(RowView* out) {
    out->partition_key = pk;
    out->token = token;
    out->new_partition = new_partition;
    new_partition = false;
    emitted = true;
    out->statics = &statics;
  }

  void FillPartition(RowRead* out) {
    out->partition_key = pk;
    out->token = token;
    out->new_partition = new_partition;
    new_partition = false;
    emitted = true;
    if (has_statics) {
      out->statics = statics;
    } else {
      out->statics.clear();
    }
  }

  // A returned row may view the iterator's key and value: the iterator
  // moves past it only when the next row is asked for.
  bool StepLater() {
    step_pending = true;
    return true;
  }

  template <typename Out>
  bool NextRowForward(Out* out) {
    for (;;) {
      if (slice_i >= slices.size()) return false;
      if (!positioned) {
        positioned = true;
        const std::string* from = &slices[slice_i].first;
        if (partition_resume && resume_bound > *from) from = &resume_bound;
        // After the header and range tombstones the iterator already sits at
        // the partition's first row: only a real lower bound needs a seek.
        if (!from->empty()) {
          target = prefix;
          target.push_back(kRowKind);
          target.append(*from);
          if (it->Valid() && it->key().compare(target) < 0) it->Seek(target);
          at_first_row = false;
        }
      }
      if (!it->Valid()) return CheckIter() && false;
      rocksdb::Slice k = it->key();
      if (!at_first_row) {
        // Without clustering columns a partition has one row: the key after
        // it belongs to the next partition.
        if ((past_row && !has_clustering) || !StartsWith(k, prefix)) {
          left_partition = true;
          if (!chain_partitions) return false;
          // Nothing happens at this partition's end: start the next one here
          // rather than through the state machine (one row per partition is
          // the common shape of analytics tables).
          StartPartition();
          if (state != State::kRows) return false;
          // A partition that starts with a row needs no second look at its key.
          if (!at_first_row || !slices[0].first.empty()) continue;
          positioned = true;
        } else if (k[prefix_len] != kRowKind) {
          return false;
        }
      }
      at_first_row = false;
      std::string_view suffix(k.data() + prefix_len + 1, k.size() - prefix_len - 1);
      if (suffix >= std::string_view(slices[slice_i].second)) {
        ++slice_i;
        positioned = false;
        continue;
      }
      bool ok = RowAt(suffix, out);
      if (!status.ok()) return false;
      past_row = true;
      if (ok) return StepLater();
      it->Next();
    }
  }

  template <typename Out>
  bool NextRowReverse(Out* out) {
    for (;;) {
      if (slice_i >= slices.size()) return false;
      const auto& [start, end] = slices[slices.size() - 1 - slice_i];
      if (!positioned) {
        positioned = true;
        const std::string* to = &end;
        if (partition_resume && resume_bound < *to) to = &resume_bound;
        target = prefix;
        target.push_back(kRowKind);
        target.append(*to);
        it->SeekForPrev(target);
        if (it->Valid() && it->key().compare(target) >= 0) it->Prev();
      }
      if (!it->Valid()) return CheckIter() && false;
      rocksdb::Slice k = it->key();
      if (!StartsWith(k, prefix) || k[prefix.size()] != kRowKind) return false;
      std::string_view suffix(k.data() + prefix.size() + 1, k.size() - prefix.size() - 1);
      if (suffix < std::string_view(start)) {
        ++slice_i;
        positioned = false;
        continue;
      }
      bool ok = RowAt(suffix, out);
      if (!status.ok()) return false;
      if (ok) return StepLater();
      it->Prev();
    }
  }

  template <typename Out>
  bool Next(Out* out) {
    if (step_pending) {
      step_pending = false;
      if (spec.reverse) {
        it->Prev();
      } else {
        it->Next();
      }
    }
    for (;;) {
      switch (state) {
        case State::kStart:
          it->Seek(first_seek);
          state = State::kPartitionStart;
          break;
        case State::kPartitionStart:
          if (!it->Valid()) {
            CheckIter();
            state = State::kDone;
            break;
          }
          StartPartition();
          break;
        case State::kRows: {
          bool got = spec.reverse ? NextRowReverse(out) : NextRowForward(out);
          if (got) return true;
          if (!status.ok()) return false;
          state = State::kPartitionEnd;
          break;
        }
        case State::kPartitionEnd: {
          bool emit = !emitted && statics_live && has_clustering;
          if (emit) {
            FillPartition(out);
            Clustering(out)->clear();
            out->static_only = true;
            if (out->regular.size() != decoder.width()) out->regular.resize(decoder.width());
            for (auto& r : out->regular) r = {};
          }
          // Forward iteration that ran off the partition is already at the next one.
          if (!spec.reverse && !spec.partition_key &&
              (left_partition || !it->Valid() || !StartsWith(it->key(), prefix))) {
            if (!it->Valid() && !CheckIter()) return false;
            state = State::kPartitionStart;
          } else {
            SkipPartition();
          }
          if (emit) return true;
          break;
        }
        case State::kDone:
          return false;
      }
    }
  }

  TableLayout layout;
  ReadSpec spec;
  int64_t now;
  CellDecoder decoder;
  bool has_clustering = false;
  bool has_statics = false;
  std::vector<std::pair<std::string, std::string>> slices;
  std::string lower, upper, first_seek, resume_bound, target;
  rocksdb::Slice lower_slice, upper_slice;
  std::unique_ptr<rocksdb::Iterator> it;
  State state = State::kStart;
  Status status;

  // Current partition.
  std::string prefix;
  Bytes pk;
  int64_t token = 0;
  int64_t part_del = kNoDeletion;
  std::vector<RangeTombstone> rts;
  std::vector<std::optional<CellRead>> statics;
  bool statics_live = false;
  bool emitted = false;
  bool new_partition = false;
  bool partition_resume = false;
  size_t slice_i = 0;
  bool positioned = false;
  bool left_partition = false;    // forward iteration is already past this partition
  bool step_pending = false;      // the iterator still sits on the last returned row
  std::vector<Bytes> clustering;  // RowView::clustering of the current row
  bool at_first_row = false;      // the iterator sits on the partition's first key, a row
  bool chain_partitions = false;  // forward, no statics, no resume: see NextRowForward
  bool one_row_chain = false;     // chain_partitions without clustering or slices
  bool past_row = false;          // the iterator moved past a row key of this partition
  size_t prefix_len = 0;          // length of the current partition's key prefix
  Fragment frag;
  internal::FragmentReader reader;
};

RowReader::RowReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RowReader::~RowReader() = default;
bool RowReader::Next(RowRead* out) {
  return impl_->Next(out);
}
bool RowReader::NextView(RowView* out) {
  return impl_->Next(out);
}
const Status& RowReader::status() const {
  return impl_->status;
}

std::unique_ptr<RowReader> Store::Read(const TableLayout& layout, const ReadSpec& spec,
                                       int64_t now_seconds) const {
  return std::make_unique<RowReader>(
      std::make_unique<RowReader::Impl>(impl_->db, impl_->data, layout, spec, now_seconds));
}

Result<std::vector<std::pair<Bytes, Bytes>>> Store::ReadListElements(
    const TableLayout& layout, const Bytes& partition_key, const std::vector<Bytes>& clustering,
    uint32_t column, int64_t now_seconds) const {
  // The one read-before-write of CQL: list index operations need the keys.
  std::string prefix = PartitionPrefix(layout.table_id, partition_key);
  std::string upper = prefix;
  upper.push_back(kRowKind);
  if (auto s =
          AppendClusteringPrefix(layout.clustering, layout.clustering_desc, clustering, &upper);
      !s.ok()) {
    return s;
  }
  std::string row_suffix = upper.substr(prefix.size() + 1);
  upper.push_back('\0');  // just past the row key
  rocksdb::Slice upper_slice(upper);
  rocksdb::ReadOptions ro;
  ro.iterate_upper_bound = &upper_slice;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->data));
  int64_t del = kNoDeletion;
  Fragment f;
  std::vector<std::pair<Bytes, Bytes>> out;
  for (it->Seek(prefix); it->Valid() && StartsWith(it->key(), prefix); it->Next()) {
    rocksdb::Slice k = it->key();
    char kind = k[prefix.size()];
    std::string_view rest(k.data() + prefix.size() + 1, k.size() - prefix.size() - 1);
    f.Clear();
    rocksdb::Slice v = it->value();
    if (!internal::ParseFragment(std::string_view(v.data(), v.size()), &f)) {
      return Status::Corruption("malformed fragment");
    }
    if (kind == kHeaderKind) {
      if (f.has_tombstone) del = std::max(del, f.tombstone_ts);
    } else if (kind == kRangeKind) {
      std::string start, end;
      if (!ReadEscaped(&rest, &start) || !ReadEscaped(&rest, &end)) {
        return Status::Corruption("malformed range tombstone");
      }
      if (f.has_tombstone && row_suffix >= start && row_suffix < end) {
        del = std::max(del, f.tombstone_ts);
      }
    } else if (kind == kRowKind && rest == row_suffix) {
      if (f.has_tombstone) del = std::max(del, f.tombstone_ts);
      for (const auto& c : f.cells) {
        if (c.column != column) continue;
        if (c.flags & internal::kCellCollectionTombstone) {
          del = std::max(del, c.ts);
          continue;
        }
        if (c.IsTombstone() || c.ts <= del || (c.ldt != 0 && c.ldt <= now_seconds)) continue;
        out.emplace_back(Bytes(c.key), Bytes(c.value));
      }
    }
  }
  if (!it->status().ok()) return FromRocks(it->status());
  return out;
}

}  // namespace helenus::storage
