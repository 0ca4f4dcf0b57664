#pragma once

// Shared by the storage and scan benchmarks: the raw RocksDB baseline they
// compare the Store against, and the clocks they measure with.

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/table.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <ctime>
#include <thread>

namespace helenus::bench {

// Options of a raw RocksDB with the same table and parallelism settings as
// the Store's data column family (no merge operator, no bloom filter).
inline rocksdb::Options RawOptions(size_t block_cache_mb = 256) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.IncreaseParallelism(static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
  o.max_background_jobs = 2;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(block_cache_mb << 20);
  t.block_size = 16 * 1024;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  o.write_buffer_size = 64 << 20;
  o.level_compaction_dynamic_level_bytes = true;
  return o;
}

// Wall and thread-CPU time since construction. Single-threaded scans use the
// CPU time: it keeps other load on shared machines out of the comparison.
struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = ThreadCpu();

  // CPU seconds the calling thread has used.
  static double ThreadCpu() {
    timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
  }
  // Thread CPU seconds since construction (call from the constructing thread).
  double CpuSeconds() const { return ThreadCpu() - cpu; }
  // Wall seconds since construction.
  double WallSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
};

// Wall seconds since a.
inline double Seconds(std::chrono::steady_clock::time_point a) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
}

}  // namespace helenus::bench
