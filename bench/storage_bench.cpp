// Side-by-side: raw RocksDB puts / iteration vs Store::Apply / RowReader on
// the same rows (wines-like: int key + 12 float columns). Prints a table with
// the ratios DESIGN.md targets (>= 50% for both).
//
// usage: storage_bench [rows=1000000] [batch=1]

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "helenus/common/murmur3.h"
#include "helenus/storage/key_codec.h"
#include "helenus/storage/store.h"

namespace {

using helenus::Bytes;
using helenus::DataType;
using helenus::TypeKind;
using namespace helenus::storage;

constexpr int kColumns = 12;

Bytes I32(uint32_t v) {
  return Bytes{static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
               static_cast<char>(v)};
}
Bytes F32(float f) {
  uint32_t u;
  std::memcpy(&u, &f, 4);
  return I32(u);
}

// Scans are single-threaded: thread CPU time keeps other load on these shared
// machines out of the comparison.
struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = ThreadCpu();
  static double ThreadCpu() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  }
  double CpuSeconds() const { return ThreadCpu() - cpu; }
};

double Seconds(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

void Die(const std::string& what) {
  std::fprintf(stderr, "storage_bench: %s\n", what.c_str());
  std::exit(1);
}

rocksdb::Options RawOptions() {
  // The same table and parallelism settings as the Store's data column family.
  rocksdb::Options o;
  o.create_if_missing = true;
  o.IncreaseParallelism(static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  o.max_background_jobs = 2;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(256 << 20);
  t.block_size = 16 * 1024;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.write_buffer_size = 64 << 20;
  o.level_compaction_dynamic_level_bytes = true;
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  const int rows = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int batch = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  auto base = std::filesystem::temp_directory_path() /
              ("helenus-storage-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);

  TableLayout layout;
  layout.table_id = 1;
  layout.partition_key = {DataType::Of(TypeKind::kInt)};
  for (int c = 0; c < kColumns; ++c) {
    layout.columns.push_back({static_cast<uint32_t>(c), DataType::Of(TypeKind::kFloat), false});
  }

  // ---- raw RocksDB: same row keys, value = 12 packed floats.
  double raw_write_s, raw_scan_s;
  size_t raw_count = 0;
  {
    rocksdb::DB* db = nullptr;
    auto s = rocksdb::DB::Open(RawOptions(), (base / "raw").string(), &db);
    if (!s.ok()) Die(s.ToString());
    rocksdb::WriteOptions wo;  // WAL on, no fsync per write
    std::string key, value;
    rocksdb::WriteBatch wb;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < rows; ++i) {
      Bytes pk = I32(static_cast<uint32_t>(i));
      key = PartitionPrefix(layout.table_id, pk);
      key.push_back(static_cast<char>(KeyKind::kRow));
      value.clear();
      for (int c = 0; c < kColumns; ++c) value += F32(static_cast<float>(i) * 0.5f + c);
      wb.Put(key, value);
      if (static_cast<int>(wb.Count()) >= batch) {
        s = db->Write(wo, &wb);
        if (!s.ok()) Die(s.ToString());
        wb.Clear();
      }
    }
    if (wb.Count() > 0) (void)db->Write(wo, &wb);
    raw_write_s = Seconds(t0);
    (void)db->Flush(rocksdb::FlushOptions());
    (void)db->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);

    // Best of five scans: the first one also warms the block cache.
    raw_scan_s = 1e30;
    for (int r = 0; r < 5; ++r) {
      rocksdb::ReadOptions ro;
      ro.readahead_size = 2 << 20;
      Clock clock;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
      uint64_t sink = 0;
      raw_count = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        sink += it->key().size() + static_cast<uint8_t>(it->value()[4]);
        ++raw_count;
      }
      raw_scan_s = std::min(raw_scan_s, clock.CpuSeconds());
      if (sink == 42) std::puts("");
    }
    delete db;
  }

  // ---- Store: the same rows as INSERTs (marker + 12 cells).
  double store_write_s = 0, store_scan_s = 0, store_scan1_s = 1e30;
  size_t store_count = 0;
  {
    StoreOptions so;
    so.sync_each_write = false;  // fair against the raw WAL-without-fsync puts
    auto opened = Store::Open((base / "store").string(), so);
    if (!opened.ok()) Die(opened.status().message());
    auto store = std::move(opened).value();
    std::vector<RowMutation> muts;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < rows; ++i) {
      RowMutation m;
      m.partition_key = I32(static_cast<uint32_t>(i));
      m.timestamp = 1700000000000000LL + i;
      m.row_marker = true;
      m.cells.resize(kColumns);
      for (int c = 0; c < kColumns; ++c) {
        m.cells[c].column = static_cast<uint32_t>(c);
        m.cells[c].value = F32(static_cast<float>(i) * 0.5f + c);
      }
      muts.push_back(std::move(m));
      if (static_cast<int>(muts.size()) >= batch) {
        auto st = store->Apply(layout, muts);
        if (!st.ok()) Die(st.message());
        muts.clear();
      }
    }
    if (!muts.empty()) (void)store->Apply(layout, muts);
    store_write_s = Seconds(t0);
    if (auto st = store->CompactAll(); !st.ok()) Die(st.message());

    // Best of five as above; HELENUS_BENCH_SCAN_REPEAT=n for profiling.
    const char* rep = std::getenv("HELENUS_BENCH_SCAN_REPEAT");
    store_scan_s = 1e30;
    for (int r = rep ? std::atoi(rep) : 5; r > 0; --r) {
      store_count = 0;
      Clock clock;
      auto reader = store->Read(layout, ReadSpec{}, Store::NowSeconds());
      RowRead row;
      uint64_t sink = 0;
      while (reader->Next(&row)) {
        sink += row.partition_key.size() + static_cast<uint8_t>((*row.regular[0]->value)[0]);
        ++store_count;
      }
      store_scan_s = std::min(store_scan_s, clock.CpuSeconds());
      if (!reader->status().ok()) Die(reader->status().message());
      if (sink == 42) std::puts("");
    }
    // The same scan materializing one column only (projection pushdown).
    for (int r = 0; r < 5; ++r) {
      Clock clock;
      ReadSpec one;
      one.columns = {0};
      auto reader = store->Read(layout, one, Store::NowSeconds());
      RowRead row;
      uint64_t sink = 0;
      while (reader->Next(&row)) sink += static_cast<uint8_t>((*row.regular[0]->value)[0]);
      store_scan1_s = std::min(store_scan1_s, clock.CpuSeconds());
      if (sink == 42) std::puts("");
    }
  }
  // Raw iteration of the Store's own (larger) values: what RocksDB alone costs
  // for the bytes the Store keeps.
  double raw_store_s = 1e30;
  {
    rocksdb::DB* db = nullptr;
    auto s = rocksdb::DB::OpenForReadOnly(RawOptions(), (base / "store").string(), &db);
    if (!s.ok()) Die(s.ToString());
    for (int r = 0; r < 5; ++r) {
      rocksdb::ReadOptions ro;
      ro.readahead_size = 2 << 20;
      Clock clock;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
      uint64_t sink = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        sink += it->key().size() + static_cast<uint8_t>(it->value()[4]);
      }
      raw_store_s = std::min(raw_store_s, clock.CpuSeconds());
      if (sink == 42) std::puts("");
    }
    delete db;
  }
  std::filesystem::remove_all(base);

  auto rate = [](size_t n, double s) { return s > 0 ? n / s : 0.0; };
  double rw = rate(rows, raw_write_s), sw = rate(rows, store_write_s);
  double rs = rate(raw_count, raw_scan_s), ss = rate(store_count, store_scan_s);
  std::printf("storage_bench: %d rows (int key + %d float columns), %d row(s) per write batch\n",
              rows, kColumns, batch);
  std::printf("%-34s %14s %14s %8s\n", "", "raw RocksDB", "Store", "ratio");
  std::printf("%-34s %12.0f/s %12.0f/s %7.1f%%\n", "writes (WAL on, no fsync)", rw, sw,
              100.0 * sw / rw);
  std::printf("%-34s %12.0f/s %12.0f/s %7.1f%%\n", "full scan (compacted, CPU, best of 5)", rs, ss,
              100.0 * ss / rs);
  std::printf("%-34s %12.0f/s %12.0f/s %7.1f%%\n", "full scan, 1 of 12 columns (CPU)", rs,
              rate(store_count, store_scan1_s), 100.0 * rate(store_count, store_scan1_s) / rs);
  std::printf("%-34s %12.0f/s %14s\n", "raw iteration of the Store's data", rate(rows, raw_store_s),
              "");
  std::printf("rows scanned: raw %zu, store %zu\n", raw_count, store_count);
  return 0;
}
