// Side-by-side: raw RocksDB puts / iteration vs Store::Apply / RowReader on
// the same rows (wines-like: int key + 12 float columns). Prints a table with
// the ratios DESIGN.md targets (>= 50% for both).
//
// Both sides do comparable work: the raw side writes the Store's row keys
// with the 12 floats packed as the value and, when scanning, reads every
// float of every value; the Store side writes INSERTs (marker + 12 cells) and
// reads every float of every RowRead. Scans alternate between the two sides
// (best of N thread-CPU times each) so load from other processes hits both.
//
// usage: storage_bench [rows=1000000] [batch=1] [sync_rows=300]

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

#include "bench_util.h"
#include "helenus/common/murmur3.h"
#include "helenus/storage/key_codec.h"
#include "helenus/storage/store.h"

namespace {

using helenus::Bytes;
using helenus::DataType;
using helenus::TypeKind;
using namespace helenus::storage;
using helenus::bench::Clock;
using helenus::bench::RawOptions;
using helenus::bench::Seconds;

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

void Die(const std::string& what) {
  std::fprintf(stderr, "storage_bench: %s\n", what.c_str());
  std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const int rows = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int batch = argc > 2 ? std::max(1, std::atoi(argv[2])) : 1;
  const int sync_rows = argc > 3 ? std::max(1, std::atoi(argv[3])) : 300;
  const char* rep = std::getenv("HELENUS_BENCH_SCAN_REPEAT");  // for profiling
  const int repeats = rep ? std::max(1, std::atoi(rep)) : 5;
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

  // Raw puts of rows [from, to): the Store's row key, 12 packed floats.
  auto raw_write = [&](rocksdb::DB* db, bool sync, int from, int to) {
    rocksdb::WriteOptions wo;  // WAL on
    wo.sync = sync;
    std::string key, value;
    rocksdb::WriteBatch wb;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = from; i < to; ++i) {
      Bytes pk = I32(static_cast<uint32_t>(i));
      key = PartitionPrefix(layout.table_id, pk);
      key.push_back(static_cast<char>(KeyKind::kRow));
      value.clear();
      for (int c = 0; c < kColumns; ++c) value += F32(static_cast<float>(i) * 0.5f + c);
      wb.Put(key, value);
      if (static_cast<int>(wb.Count()) >= batch || i + 1 == to) {
        auto s = db->Write(wo, &wb);
        if (!s.ok()) Die(s.ToString());
        wb.Clear();
      }
    }
    return Seconds(t0);
  };
  // Store INSERTs of rows [from, to): marker + 12 cells.
  auto store_write = [&](Store* store, int from, int to) {
    std::vector<RowMutation> muts;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = from; i < to; ++i) {
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
      if (static_cast<int>(muts.size()) >= batch || i + 1 == to) {
        auto st = store->Apply(layout, muts);
        if (!st.ok()) Die(st.message());
        muts.clear();
      }
    }
    return Seconds(t0);
  };

  rocksdb::DB* raw = nullptr;
  if (auto s = rocksdb::DB::Open(RawOptions(), (base / "raw").string(), &raw); !s.ok()) {
    Die(s.ToString());
  }
  std::unique_ptr<rocksdb::DB> raw_owner(raw);
  StoreOptions so;
  so.sync_each_write = false;  // WAL on, no fsync: fair against the raw puts
  auto opened = Store::Open((base / "store").string(), so);
  if (!opened.ok()) Die(opened.status().message());
  auto store = std::move(opened).value();

  // ---- writes, WAL on, no fsync.
  const double raw_write_s = raw_write(raw, false, 0, rows);
  const double store_write_s = store_write(store.get(), 0, rows);

  // ---- writes with an fsync per write batch, on separate databases (few rows: fsync is slow).
  double raw_sync_s, store_sync_s;
  {
    rocksdb::DB* db = nullptr;
    if (auto s = rocksdb::DB::Open(RawOptions(), (base / "raw-sync").string(), &db); !s.ok()) {
      Die(s.ToString());
    }
    std::unique_ptr<rocksdb::DB> owner(db);
    raw_sync_s = raw_write(db, true, 0, sync_rows);
    StoreOptions sso;
    sso.sync_each_write = true;
    auto synced = Store::Open((base / "store-sync").string(), sso);
    if (!synced.ok()) Die(synced.status().message());
    store_sync_s = store_write(synced.value().get(), 0, sync_rows);
  }

  (void)raw->Flush(rocksdb::FlushOptions());
  (void)raw->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
  if (auto st = store->CompactAll(); !st.ok()) Die(st.message());

  // ---- scans. Raw: every float of every value. Store: every float of every row.
  size_t raw_count = 0, store_count = 0, store1_count = 0;
  auto raw_scan = [&] {
    rocksdb::ReadOptions ro;
    ro.readahead_size = 2 << 20;  // as the Store's token-range scans
    Clock clock;
    std::unique_ptr<rocksdb::Iterator> it(raw->NewIterator(ro));
    float sum = 0;
    raw_count = 0;
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      rocksdb::Slice v = it->value();
      if (v.size() != 4 * kColumns) Die("bad raw value");
      for (int c = 0; c < kColumns; ++c) {
        float f;
        std::memcpy(&f, v.data() + 4 * c, 4);
        sum += f;
      }
      ++raw_count;
    }
    double t = clock.CpuSeconds();
    if (sum == 42) std::puts("");
    return t;
  };
  auto store_scan = [&](const ReadSpec& spec, size_t* count) {
    Clock clock;
    auto reader = store->Read(layout, spec, Store::NowSeconds());
    RowRead row;
    float sum = 0;
    *count = 0;
    while (reader->Next(&row)) {
      for (const auto& cell : row.regular) {
        if (!cell) continue;
        float f;
        std::memcpy(&f, cell->value->data(), 4);
        sum += f;
      }
      ++*count;
    }
    double t = clock.CpuSeconds();
    if (!reader->status().ok()) Die(reader->status().message());
    if (sum == 42) std::puts("");
    return t;
  };
  ReadSpec all;
  ReadSpec one;
  one.columns = {0};
  double raw_scan_s = 1e30, store_scan_s = 1e30, store1_scan_s = 1e30;
  // One untimed round warms both block caches; then alternate.
  (void)raw_scan();
  (void)store_scan(all, &store_count);
  for (int r = 0; r < repeats; ++r) {
    raw_scan_s = std::min(raw_scan_s, raw_scan());
    store_scan_s = std::min(store_scan_s, store_scan(all, &store_count));
    store1_scan_s = std::min(store1_scan_s, store_scan(one, &store1_count));
  }
  store.reset();
  raw_owner.reset();

  // Raw iteration of the Store's own (larger) values: what RocksDB alone costs
  // for the bytes the Store keeps.
  double raw_store_s = 1e30;
  {
    rocksdb::DB* db = nullptr;
    auto s = rocksdb::DB::OpenForReadOnly(RawOptions(), (base / "store").string(), &db);
    if (!s.ok()) Die(s.ToString());
    std::unique_ptr<rocksdb::DB> owner(db);
    for (int r = 0; r <= repeats; ++r) {
      rocksdb::ReadOptions ro;
      ro.readahead_size = 2 << 20;
      Clock clock;
      std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
      uint64_t sink = 0;
      for (it->SeekToFirst(); it->Valid(); it->Next()) {
        rocksdb::Slice v = it->value();
        for (size_t i = 0; i < v.size(); ++i) sink += static_cast<uint8_t>(v[i]);
      }
      if (r > 0) raw_store_s = std::min(raw_store_s, clock.CpuSeconds());
      if (sink == 42) std::puts("");
    }
  }
  std::filesystem::remove_all(base);

  auto rate = [](size_t n, double s) { return s > 0 ? n / s : 0.0; };
  auto line = [](const char* what, double raw_rate, double store_rate) {
    std::printf("%-44s %12.0f/s %12.0f/s %7.1f%%\n", what, raw_rate, store_rate,
                raw_rate > 0 ? 100.0 * store_rate / raw_rate : 0.0);
  };
  const double rs = rate(raw_count, raw_scan_s);
  std::printf("storage_bench: %d rows (int key + %d float columns), %d row(s) per write batch\n",
              rows, kColumns, batch);
  std::printf("raw side: Put(row key, 12 packed floats); scan reads all 12 floats of each value\n");
  std::printf(
      "Store side: Apply(INSERT: marker + 12 cells); scan = Store::Read(whole ring) and\n"
      "  RowReader::Next, reads all 12 floats of each RowRead\n");
  std::printf("%-44s %14s %14s %8s\n", "", "raw RocksDB", "Store", "ratio");
  line("writes (WAL on, no fsync; wall)", rate(rows, raw_write_s), rate(rows, store_write_s));
  char what[64];
  std::snprintf(what, sizeof what, "writes (WAL on, fsync per batch; %d rows)", sync_rows);
  line(what, rate(sync_rows, raw_sync_s), rate(sync_rows, store_sync_s));
  std::snprintf(what, sizeof what, "full scan (compacted; CPU, best of %d)", repeats);
  line(what, rs, rate(store_count, store_scan_s));
  line("full scan, Store materializes 1 of 12 columns", rs, rate(store1_count, store1_scan_s));
  std::printf("%-44s %12.0f/s\n", "raw iteration of the Store's data (all bytes)",
              rate(rows, raw_store_s));
  std::printf("rows scanned: raw %zu, store %zu\n", raw_count, store_count);
  // One machine-readable line for bench/storage_vs_cql.sh.
  std::printf(
      "storage_bench raw_put_per_s=%.0f store_put_per_s=%.0f raw_scan_per_s=%.0f "
      "store_scan_per_s=%.0f\n",
      rate(rows, raw_write_s), rate(rows, store_write_s), rs, rate(store_count, store_scan_s));
  return 0;
}
