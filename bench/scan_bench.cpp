// LocalSource full scans into column batches against raw RocksDB iteration
// over the same keys. The design target (DESIGN.md) is LocalSource >= 50% of
// raw iteration per core.
//
// The table: id int PRIMARY KEY, d0..d9 double, name text (~20 bytes),
// loaded through LocalSink and compacted. The raw side is a separate RocksDB
// holding the Store's row keys with the 10 doubles and the text packed as the
// value; its scan decodes every double and touches the text of every value.
// Single-core figures are thread-CPU times (best of --repeat, alternating the
// sides so other load hits both); the all-cores figure is wall time of the
// splits on ComputePool::Default(). Both block caches hold all the data
// (--cache-mb each): the figures compare scan code, not disk or decompression.
//
// usage: scan_bench [--rows N=2000000] [--splits N=64] [--repeat N=3] [--cache-mb N=1024]
//                   [--only raw|reader|local|all]  (profiling: time only that scan)

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "bench_util.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/pool.h"
#include "helenus/exec/table_source.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/key_codec.h"
#include "helenus/storage/store.h"

namespace {

using helenus::Bytes;
using helenus::DataType;
using helenus::TypeKind;
using helenus::bench::Clock;
namespace exec = helenus::exec;
namespace storage = helenus::storage;

constexpr int kDoubles = 10;
constexpr size_t kLoadBatch = 10000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "scan_bench: %s\n", what.c_str());
  std::exit(1);
}

double DoubleOf(int64_t row, int c) {
  return static_cast<double>(row) * 0.5 + c;
}
std::string NameOf(int64_t row) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "item-%010lld-abcde", static_cast<long long>(row));
  return buf;
}

struct Options {
  int64_t rows = 2000000;
  size_t splits = 64;
  int repeat = 3;
  size_t cache_mb = 1024;  // block cache of each side
  std::string only;        // profiling: run only this scan ("raw", "reader", "local", "all")
};

Options Parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> long long {
      if (i + 1 >= argc) Die("missing value for " + std::string(a));
      return std::atoll(argv[++i]);
    };
    if (a == "--rows") {
      o.rows = std::max<long long>(1, value());
    } else if (a == "--splits") {
      o.splits = static_cast<size_t>(std::max<long long>(1, value()));
    } else if (a == "--only" && i + 1 < argc) {
      o.only = argv[++i];
    } else if (a == "--cache-mb") {
      o.cache_mb = static_cast<size_t>(std::max<long long>(1, value()));
    } else if (a == "--repeat") {
      o.repeat = static_cast<int>(std::max<long long>(1, value()));
    } else {
      Die("usage: scan_bench [--rows N] [--splits N] [--repeat N] [--cache-mb N] [--only "
          "raw|reader|local|all]");
    }
  }
  return o;
}

void Report(const char* what, int64_t done, int64_t total, const Clock& clock) {
  std::fprintf(stderr, "\r%s: %lld/%lld rows (%3.0f%%), %.0f rows/s   ", what,
               static_cast<long long>(done), static_cast<long long>(total),
               100.0 * static_cast<double>(done) / static_cast<double>(total),
               static_cast<double>(done) / std::max(1e-9, clock.WallSeconds()));
  if (done == total) std::fputc('\n', stderr);
}

// Rows [from, to) as one batch of the table's columns (id, d0..d9, name).
exec::Batch MakeBatch(const exec::Schema& schema, int64_t from, int64_t to) {
  exec::Batch b = exec::Batch::Empty(schema, static_cast<size_t>(to - from));
  for (int64_t r = from; r < to; ++r) {
    b.columns[0].ints.push_back(r);
    for (int c = 0; c < kDoubles; ++c) b.columns[1 + c].doubles.push_back(DoubleOf(r, c));
    b.columns[1 + kDoubles].strings.push_back(NameOf(r));
  }
  b.num_rows = static_cast<size_t>(to - from);
  return b;
}

void LoadStore(storage::Store* store, const std::shared_ptr<const storage::TableSchema>& table,
               int64_t rows) {
  exec::Schema schema;
  for (const auto& c : table->columns) schema.fields.push_back({c.name, c.type, table->name});
  auto sink = exec::MakeLocalSink(store, table);
  const size_t chunks = static_cast<size_t>((rows + kLoadBatch - 1) / kLoadBatch);
  std::atomic<int64_t> done{0};
  Clock clock;
  exec::ComputePool::Default().ParallelFor(chunks, [&](size_t i) {
    const int64_t from = static_cast<int64_t>(i * kLoadBatch);
    const int64_t to = std::min<int64_t>(rows, from + static_cast<int64_t>(kLoadBatch));
    sink->Write(schema, MakeBatch(schema, from, to));
    const int64_t n = done.fetch_add(to - from) + (to - from);
    if (n % 200000 < static_cast<int64_t>(kLoadBatch) || n == rows) Report("store", n, rows, clock);
  });
  if (static_cast<int64_t>(sink->Finish()) != rows) Die("sink wrote a wrong number of rows");
}

// The raw value of a row: 10 big-endian doubles, then the text.
void RawValue(int64_t r, std::string* out) {
  out->clear();
  for (int c = 0; c < kDoubles; ++c) out->append(helenus::cql::EncodeDouble(DoubleOf(r, c)));
  out->append(NameOf(r));
}

void LoadRaw(rocksdb::DB* db, uint32_t table_id, int64_t rows) {
  rocksdb::WriteOptions wo;
  rocksdb::WriteBatch wb;
  std::string key, value;
  Clock clock;
  for (int64_t r = 0; r < rows; ++r) {
    key = storage::PartitionPrefix(table_id, helenus::cql::EncodeInt(static_cast<int32_t>(r)));
    key.push_back(static_cast<char>(storage::KeyKind::kRow));
    RawValue(r, &value);
    wb.Put(key, value);
    if (wb.Count() >= kLoadBatch || r + 1 == rows) {
      if (auto s = db->Write(wo, &wb); !s.ok()) Die(s.ToString());
      wb.Clear();
      if ((r + 1) % 200000 < static_cast<int64_t>(kLoadBatch) || r + 1 == rows) {
        Report("raw  ", r + 1, rows, clock);
      }
    }
  }
  (void)db->Flush(rocksdb::FlushOptions());
  (void)db->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr);
}

// Raw iteration: decodes every double and reads the text of every value.
double RawScan(rocksdb::DB* db, int64_t* count) {
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2 << 20;  // as the Store's token-range scans
  Clock clock;
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro));
  double sum = 0;
  size_t text = 0;
  *count = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    rocksdb::Slice v = it->value();
    if (v.size() < 8 * kDoubles) Die("bad raw value");
    for (int c = 0; c < kDoubles; ++c) {
      uint64_t u;
      std::memcpy(&u, v.data() + 8 * c, 8);
      u = __builtin_bswap64(u);
      double d;
      std::memcpy(&d, &u, 8);
      sum += d;
    }
    text += v.size() - 8 * kDoubles + static_cast<uint8_t>(v[8 * kDoubles]);
    ++*count;
  }
  const double t = clock.CpuSeconds();
  if (!it->status().ok()) Die(it->status().ToString());
  if (sum == 42 && text == 42) std::puts("");
  return t;
}

// Rows of one split through LocalSource, into batches.
int64_t ScanSplit(exec::TableSource& source, const exec::Split& split) {
  auto stream = source.Scan(split, {}, nullptr);
  exec::Batch b;
  int64_t n = 0;
  while (stream->Next(&b)) n += static_cast<int64_t>(b.num_rows);
  return n;
}

// Every split on the calling thread; thread CPU seconds.
double LocalScanOneCore(exec::TableSource& source, int64_t* count) {
  auto splits = source.Splits({});
  Clock clock;
  *count = 0;
  for (const auto& s : splits) *count += ScanSplit(source, s);
  return clock.CpuSeconds();
}

// The splits in parallel on the compute pool; wall seconds.
double LocalScanAllCores(exec::TableSource& source, int64_t* count) {
  auto splits = source.Splits({});
  std::atomic<int64_t> total{0};
  Clock clock;
  exec::ComputePool::Default().ParallelFor(
      splits.size(), [&](size_t i) { total.fetch_add(ScanSplit(source, splits[i])); });
  *count = total.load();
  return clock.WallSeconds();
}

// Store::Read alone (no batches): where the storage layer's share of the time goes.
double RowReaderScan(const storage::Store& store, const storage::TableSchema& table,
                     int64_t* count) {
  Clock clock;
  auto reader = store.Read(table.layout, storage::ReadSpec{}, storage::Store::NowSeconds());
  storage::RowRead row;
  *count = 0;
  while (reader->Next(&row)) ++*count;
  const double t = clock.CpuSeconds();
  if (!reader->status().ok()) Die(reader->status().message());
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  const Options opt = Parse(argc, argv);
  auto base =
      std::filesystem::temp_directory_path() / ("helenus-scan-bench-" + std::to_string(::getpid()));
  std::filesystem::remove_all(base);
  std::filesystem::create_directories(base);

  storage::StoreOptions so;
  so.sync_each_write = false;
  so.block_cache_mb = opt.cache_mb;
  auto opened = storage::Store::Open((base / "store").string(), so);
  if (!opened.ok()) Die(opened.status().message());
  auto store = std::move(opened).value();
  auto loaded = storage::Catalog::Load(store.get());
  if (!loaded.ok()) Die(loaded.status().message());
  auto catalog = std::move(loaded).value();
  storage::KeyspaceSchema ks;
  ks.name = "bench";
  ks.replication = {{"class", "SimpleStrategy"}, {"replication_factor", "1"}};
  if (auto s = catalog->PutKeyspace(ks); !s.ok()) Die(s.message());
  storage::TableSchema t;
  t.keyspace = "bench";
  t.name = "scan";
  t.columns.push_back({"id", DataType::Of(TypeKind::kInt), storage::ColumnKind::kPartitionKey, 0});
  for (int c = 0; c < kDoubles; ++c) {
    t.columns.push_back({"d" + std::to_string(c), DataType::Of(TypeKind::kDouble),
                         storage::ColumnKind::kRegular, -1, false, t.next_column_id++});
  }
  t.columns.push_back({"name", DataType::Of(TypeKind::kText), storage::ColumnKind::kRegular, -1,
                       false, t.next_column_id++});
  t.RebuildLayout();
  if (auto s = catalog->PutTable(t); !s.ok()) Die(s.message());
  auto table = catalog->Snapshot()->FindTable("bench", "scan");
  // Regular columns sort by name: id, d0..d9, name (MakeBatch relies on it).
  if (table->columns.back().name != "name") Die("unexpected column order");

  LoadStore(store.get(), table, opt.rows);
  if (auto s = store->CompactAll(); !s.ok()) Die(s.message());
  rocksdb::DB* raw_db = nullptr;
  if (auto s = rocksdb::DB::Open(helenus::bench::RawOptions(opt.cache_mb), (base / "raw").string(),
                                 &raw_db);
      !s.ok()) {
    Die(s.ToString());
  }
  std::unique_ptr<rocksdb::DB> raw(raw_db);
  LoadRaw(raw.get(), table->table_id, opt.rows);

  auto source = exec::MakeLocalSource(store.get(), table, opt.splits);
  int64_t raw_count = 0, one_count = 0, all_count = 0, reader_count = 0;
  double raw_s = 1e30, one_s = 1e30, all_s = 1e30, reader_s = 1e30;
  // One untimed round warms both block caches; then alternate the sides.
  (void)RawScan(raw.get(), &raw_count);
  (void)LocalScanOneCore(*source, &one_count);
  for (int r = 0; r < opt.repeat; ++r) {
    std::fprintf(stderr, "\rscanning: round %d/%d", r + 1, opt.repeat);
    auto run = [&](const char* name) { return opt.only.empty() || opt.only == name; };
    if (run("raw")) raw_s = std::min(raw_s, RawScan(raw.get(), &raw_count));
    if (run("local")) one_s = std::min(one_s, LocalScanOneCore(*source, &one_count));
    if (run("all")) all_s = std::min(all_s, LocalScanAllCores(*source, &all_count));
    if (run("reader")) reader_s = std::min(reader_s, RowReaderScan(*store, *table, &reader_count));
  }
  std::fputc('\n', stderr);
  if (opt.only.empty() && (raw_count != opt.rows || one_count != opt.rows ||
                           all_count != opt.rows || reader_count != opt.rows)) {
    Die("row counts differ: raw " + std::to_string(raw_count) + ", local " +
        std::to_string(one_count) + "/" + std::to_string(all_count) + ", reader " +
        std::to_string(reader_count));
  }
  source.reset();
  raw.reset();
  catalog.reset();
  store.reset();
  std::filesystem::remove_all(base);
  if (!opt.only.empty()) return 0;

  const double rows = static_cast<double>(opt.rows);
  const double raw_rate = rows / raw_s;
  const double one_rate = rows / one_s;
  const double all_rate = rows / all_s;
  const double reader_rate = rows / reader_s;
  const size_t threads = exec::ComputePool::Default().threads();
  std::printf("scan_bench: %lld rows (int key, %d double columns, ~20-byte text), %zu splits\n",
              static_cast<long long>(opt.rows), kDoubles, opt.splits);
  std::printf("%-52s %14s %8s\n", "", "rows/s", "vs raw");
  auto line = [&](const char* what, double rate) {
    std::printf("%-52s %14.0f %7.1f%%\n", what, rate, 100.0 * rate / raw_rate);
  };
  line("raw RocksDB iteration (1 core, CPU)", raw_rate);
  line("Store::Read rows, no batches (1 core, CPU)", reader_rate);
  line("LocalSource -> batches (1 core, CPU)", one_rate);
  char what[80];
  std::snprintf(what, sizeof what, "LocalSource -> batches (%zu threads, wall)", threads);
  line(what, all_rate);
  std::printf(
      "scan_bench rows=%lld raw_rows_per_s=%.0f local_source_rows_per_s_1core=%.0f "
      "local_source_rows_per_s_all=%.0f ratio_per_core=%.3f\n",
      static_cast<long long>(opt.rows), raw_rate, one_rate, all_rate, one_rate / raw_rate);
  return 0;
}
