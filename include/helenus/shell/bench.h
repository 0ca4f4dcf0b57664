#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

namespace helenus::shell {

// What `helenus bench` runs (cassandra-stress-like).
struct BenchOptions {
  std::string host = "127.0.0.1:9042";
  std::string workload = "write";  // write | read | mixed
  int64_t rows = 100000;           // key space; also the op count when duration is 0
  double duration = 0;             // seconds; 0 = run `rows` operations
  double rate = 0;                 // operations per second; 0 = unlimited
  int concurrency = 128;           // requests in flight
  int columns = 5;                 // value columns per row
  int value_size = 32;             // bytes per value column
  std::string keyspace = "helenus_bench";
  double read_ratio = 0.5;  // share of reads in the mixed workload
  bool progress = true;     // a line per second on stderr
};

// The figures of one operation kind.
struct BenchKindStats {
  uint64_t ops = 0;
  uint64_t errors = 0;
  double ops_per_second = 0;
  double mean_ms = 0, p50_ms = 0, p95_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
};

// What a bench run measured.
struct BenchResult {
  double seconds = 0;
  BenchKindStats reads, writes;
};

// Creates the keyspace and table, runs the workload and returns its figures;
// throws ClientError/CqlError when the server cannot be used.
BenchResult RunBench(const BenchOptions& options, std::ostream& progress);

// The results as a readable table.
std::string FormatBenchResult(const BenchOptions& options, const BenchResult& result);

}  // namespace helenus::shell
