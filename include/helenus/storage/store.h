#pragma once

// The RocksDB-backed store: Cassandra's data model (cells with timestamps,
// TTLs, tombstones) on byte-comparable keys (see key_codec.h). Every write is
// a RocksDB Merge of a "row fragment"; a merge operator resolves fragments by
// last-write-wins, so INSERT/UPDATE/DELETE never read before writing.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/status.h"
#include "helenus/common/value.h"

namespace helenus::storage {

// A regular or static column as the store sees it.
struct ColumnLayout {
  uint32_t id = 0;  // stable column id within the table
  DataType type;
  bool is_static = false;
};

// What the store needs to know of a table's schema (built by the catalog).
struct TableLayout {
  uint32_t table_id = 0;
  std::vector<DataType> partition_key;
  std::vector<DataType> clustering;
  std::vector<bool> clustering_desc;
  std::vector<ColumnLayout> columns;  // regular + static, looked up by id
};

// One side of a clustering range: a prefix of the clustering columns (empty = unbounded).
struct ClusteringBound {
  std::vector<Bytes> prefix;
  bool inclusive = true;  // ignored when prefix is empty
};

// A clustering range [start, end] with per-side inclusiveness, in clustering order.
struct ClusteringRange {
  ClusteringBound start;
  ClusteringBound end;
};

// A slice of rows within a partition.
using ClusteringSlice = ClusteringRange;

// One change to one column of a row (or of the partition's static row).
struct CellOp {
  // What the op does; collection ops apply to non-frozen collections only.
  enum class Kind {
    kSet,                  // value (null = delete); on a multi-cell column: overwrite with value
    kDelete,               // tombstone (a collection tombstone for multi-cell columns)
    kCollectionOverwrite,  // tombstone at ts-1, then elements (set/list) or entries (map)
    kSetAdd,               // elements
    kSetRemove,            // elements
    kMapPut,               // entries (key, value)
    kMapRemove,            // elements = map keys
    kListAppend,           // elements = values
    kListPrepend,          // elements = values
    kListSetByKey,         // entries (element key from ReadListElements, value)
    kListRemoveKeys,       // elements = element keys from ReadListElements
  };
  uint32_t column = 0;
  Kind kind = Kind::kSet;
  Value value;
  std::vector<Bytes> elements;
  std::vector<std::pair<Bytes, Bytes>> entries;
};

// One statement's effect on one row (or partition), applied atomically with its batch.
struct RowMutation {
  Bytes partition_key;            // serialized, composite already applied
  std::vector<Bytes> clustering;  // full clustering; empty for static-only or partition ops
  int64_t timestamp = 0;          // microseconds
  int32_t ttl = 0;                // seconds, 0 = none
  bool row_marker = false;        // INSERT writes a liveness marker
  bool delete_row = false;        // row tombstone at timestamp (needs full clustering)
  bool delete_partition = false;  // partition tombstone at timestamp
  std::optional<ClusteringRange> delete_range;  // range tombstone at timestamp
  std::vector<CellOp> cells;                    // static columns go to the partition header
};

// Durability and caching options.
struct StoreOptions {
  bool sync_each_write = true;  // an acknowledged write survives kill -9
  int periodic_sync_ms = 0;     // with sync_each_write=false: fsync the WAL every N ms
  size_t block_cache_mb = 256;
  bool create_if_missing = true;
};

// Where a paged read stopped: continue strictly after it.
struct ResumePoint {
  Bytes partition_key;
  std::vector<Bytes> clustering;  // clustering of the last returned row
  bool partition_done = false;    // the last row was a static-only row: skip the partition
};

// What to read from one table.
struct ReadSpec {
  // One partition, or a token range (start_token, end_token] when unset.
  std::optional<Bytes> partition_key;
  int64_t start_token = INT64_MIN;      // exclusive; INT64_MIN = from the start of the ring
  int64_t end_token = INT64_MAX;        // inclusive
  std::vector<ClusteringSlice> slices;  // sorted, disjoint, in clustering order; empty = all
  bool reverse = false;                 // rows of each partition in reverse clustering order
  std::optional<ResumePoint> resume_after;
  std::vector<uint32_t> columns;  // column ids to materialize; empty = all
};

// One live cell as read.
struct CellRead {
  Value value;             // multi-cell collections: serialized from live elements
  int64_t timestamp = 0;   // multi-cell collections: the newest element's
  int32_t ttl = 0;         // original TTL in seconds, 0 = none
  int64_t expires_at = 0;  // seconds since epoch, 0 = never
};

// One live row (or the static-only row of a partition with no live rows).
struct RowRead {
  Bytes partition_key;
  int64_t token = 0;
  std::vector<Bytes> clustering;  // empty for static_only rows
  bool static_only = false;       // partition has live statics but no live rows (in the slices)
  bool new_partition = false;     // first row returned for this partition
  std::vector<std::optional<CellRead>> regular;  // indexed by column id
  std::vector<std::optional<CellRead>> statics;  // indexed by column id, same for the partition
};

// One live row as views into the reader's buffers, valid until the reader's
// next call: RowReader::NextView fills it without copying any cell.
struct RowView {
  std::string_view partition_key;
  int64_t token = 0;
  const std::vector<Bytes>* clustering = nullptr;  // empty for static_only rows
  bool static_only = false;
  bool new_partition = false;
  // Values of the materialized regular columns by column id; data() == nullptr when absent.
  std::vector<std::string_view> regular;
  // The partition's static cells by column id, as RowRead::statics.
  const std::vector<std::optional<CellRead>>* statics = nullptr;
};

// Iterates live rows in token, partition key, clustering order.
class RowReader {
 public:
  struct Impl;
  explicit RowReader(std::unique_ptr<Impl> impl);
  ~RowReader();
  RowReader(const RowReader&) = delete;
  RowReader& operator=(const RowReader&) = delete;

  // Fills *out with the next row (reusing its buffers); false at the end or on error.
  bool Next(RowRead* out);
  // Like Next, but *out views the row (no copies) until the next call.
  bool NextView(RowView* out);
  // Ok unless iteration failed.
  const Status& status() const;

 private:
  std::unique_ptr<Impl> impl_;
};

// The data directory: table data, list keys and schema metadata.
class Store {
 public:
  // Opens (creating if needed) the store in dir.
  static Result<std::unique_ptr<Store>> Open(const std::string& dir, const StoreOptions& options);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Applies all mutations of one table in one atomic WriteBatch.
  Status Apply(const TableLayout& layout, const std::vector<RowMutation>& mutations);
  // The mutations of one table within a multi-table write.
  struct TableMutations {
    const TableLayout* layout;
    const std::vector<RowMutation>* mutations;
  };
  // Applies the mutations of several tables in one atomic WriteBatch (a logged BATCH).
  Status ApplyAll(const std::vector<TableMutations>& groups, int64_t now_seconds);
  // Applies mutations using now_seconds as the local time for TTL and deletion times.
  Status ApplyAt(const TableLayout& layout, const std::vector<RowMutation>& mutations,
                 int64_t now_seconds);
  // Removes all data of a table (TRUNCATE / DROP).
  Status DropTableData(uint32_t table_id);

  // Reads live rows; now_seconds decides TTL expiry. The reader (a RocksDB
  // snapshot) must not outlive the Store.
  std::unique_ptr<RowReader> Read(const TableLayout& layout, const ReadSpec& spec,
                                  int64_t now_seconds) const;
  // The live (element key, value) pairs of a non-frozen list, in list order.
  Result<std::vector<std::pair<Bytes, Bytes>>> ReadListElements(
      const TableLayout& layout, const Bytes& partition_key, const std::vector<Bytes>& clustering,
      uint32_t column, int64_t now_seconds) const;

  // Schema metadata in its own column family, written synced.
  Status PutMeta(const std::string& key, const std::string& value);
  // Removes one metadata key.
  Status DeleteMeta(const std::string& key);
  // One metadata value, nullopt when absent.
  Result<std::optional<std::string>> GetMeta(const std::string& key) const;
  // All metadata entries whose key starts with prefix, in key order.
  Result<std::vector<std::pair<std::string, std::string>>> ListMeta(
      const std::string& prefix) const;

  // Flushes memtables and compacts everything (tests, benchmarks, after bulk loads).
  Status CompactAll();

  // Splits the whole ring into n contiguous (start, end] token ranges.
  static std::vector<std::pair<int64_t, int64_t>> SplitTokenRanges(size_t n);

  // Current wall-clock time in seconds, as Apply uses for TTLs.
  static int64_t NowSeconds();

  struct Impl;

 private:
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace helenus::storage
