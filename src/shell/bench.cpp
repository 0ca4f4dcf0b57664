// `helenus bench`: a cassandra-stress-like load generator on the async API.
#include "helenus/shell/bench.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "helenus/client/client.h"
#include "helenus/common/error.h"
#include "helenus/shell/connect.h"
#include "helenus/shell/histogram.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/table_printer.h"

namespace helenus::shell {
namespace {

using Clock = std::chrono::steady_clock;

// Shared between the dispatcher and the completion callbacks.
struct Recorder {
  std::mutex mu;
  std::condition_variable cv;
  int in_flight = 0;
  LatencyHistogram reads, writes;                    // whole run
  LatencyHistogram interval_reads, interval_writes;  // since the last progress line
  uint64_t read_errors = 0, write_errors = 0;
  std::string first_error;
};

BenchKindStats Stats(const LatencyHistogram& h, uint64_t errors, double seconds) {
  BenchKindStats s;
  s.ops = h.count();
  s.errors = errors;
  s.ops_per_second = seconds > 0 ? static_cast<double>(h.count()) / seconds : 0;
  s.mean_ms = h.mean() / 1000.0;
  s.p50_ms = static_cast<double>(h.Percentile(0.50)) / 1000.0;
  s.p95_ms = static_cast<double>(h.Percentile(0.95)) / 1000.0;
  s.p99_ms = static_cast<double>(h.Percentile(0.99)) / 1000.0;
  s.p999_ms = static_cast<double>(h.Percentile(0.999)) / 1000.0;
  s.max_ms = static_cast<double>(h.max()) / 1000.0;
  return s;
}

}  // namespace

BenchResult RunBench(const BenchOptions& o, std::ostream& progress_out) {
  if (o.workload != "write" && o.workload != "read" && o.workload != "mixed") {
    ThrowInvalid("--workload wants write, read or mixed, got '{}'", o.workload);
  }
  if (o.concurrency < 1 || o.columns < 1 || o.rows < 1 || o.value_size < 0) {
    ThrowInvalid("--concurrency, --columns and --rows must be positive");
  }
  auto session = ConnectTo(o.host);
  session->Execute(fmt::format(
      "CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {{'class': 'SimpleStrategy', "
      "'replication_factor': 1}}",
      o.keyspace));
  std::string cols, marks, defs;
  for (int i = 0; i < o.columns; ++i) {
    defs += fmt::format(", c{} blob", i);
    cols += fmt::format(", c{}", i);
    marks += ", ?";
  }
  session->Execute(fmt::format("CREATE TABLE IF NOT EXISTS {}.standard1 (key bigint PRIMARY KEY{})",
                               o.keyspace, defs));
  auto insert = session->Prepare(
      fmt::format("INSERT INTO {}.standard1 (key{}) VALUES (?{})", o.keyspace, cols, marks));
  auto select =
      session->Prepare(fmt::format("SELECT * FROM {}.standard1 WHERE key = ?", o.keyspace));

  Recorder rec;
  std::atomic<bool> done{false};
  auto start = Clock::now();
  // One line per second with the interval's throughput and latencies.
  std::thread reporter([&] {
    if (!o.progress) return;
    progress_out << fmt::format("{:>6} {:>10} {:>10} {:>9} {:>9} {:>9} {:>7}\n", "time",
                                "total ops", "ops/s", "p50 ms", "p99 ms", "max ms", "errors");
    auto last = start;
    uint64_t total = 0;
    while (!done) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto now = Clock::now();
      if (now - last < std::chrono::seconds(1) && !done) continue;
      LatencyHistogram h;
      uint64_t errors;
      {
        std::lock_guard lock(rec.mu);
        h.Merge(rec.interval_reads);
        h.Merge(rec.interval_writes);
        rec.interval_reads = LatencyHistogram();
        rec.interval_writes = LatencyHistogram();
        errors = rec.read_errors + rec.write_errors;
      }
      total += h.count();
      double secs = std::chrono::duration<double>(now - last).count();
      progress_out << fmt::format("{:>5.0f}s {:>10} {:>10.0f} {:>9.2f} {:>9.2f} {:>9.2f} {:>7}\n",
                                  std::chrono::duration<double>(now - start).count(), total,
                                  static_cast<double>(h.count()) / secs,
                                  static_cast<double>(h.Percentile(0.5)) / 1000.0,
                                  static_cast<double>(h.Percentile(0.99)) / 1000.0,
                                  static_cast<double>(h.max()) / 1000.0, errors);
      progress_out.flush();
      last = now;
    }
  });

  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> coin(0, 1);
  std::string value(static_cast<size_t>(o.value_size), 'x');
  for (size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>('a' + i % 26);
  auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(o.duration));
  for (int64_t op = 0;; ++op) {
    if (o.duration > 0 ? Clock::now() >= deadline : op >= o.rows) break;
    if (o.rate > 0) {
      // Open-loop pacing: op n is due at start + n / rate.
      auto due = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(static_cast<double>(op) / o.rate));
      std::this_thread::sleep_until(due);
    }
    {
      std::unique_lock lock(rec.mu);
      rec.cv.wait(lock, [&] { return rec.in_flight < o.concurrency; });
      ++rec.in_flight;
    }
    bool is_read = o.workload == "read" || (o.workload == "mixed" && coin(rng) < o.read_ratio);
    // Writes walk the key space in order (so `write` then `read` finds every key);
    // reads pick keys at random.
    int64_t key =
        is_read ? static_cast<int64_t>(rng() % static_cast<uint64_t>(o.rows)) : op % o.rows;
    client::Statement stmt;
    if (is_read) {
      stmt = select->Bind({client::Bigint(key)});
    } else {
      std::vector<client::BoundValue> values{client::Bigint(key)};
      for (int c = 0; c < o.columns; ++c) values.push_back(client::Blob(value));
      stmt = insert->Bind(std::move(values));
    }
    stmt.idempotent = true;
    auto sent = Clock::now();
    session->ExecuteAsync(
        std::move(stmt), [&rec, sent, is_read](client::Result, std::exception_ptr e) {
          auto micros = static_cast<uint64_t>(
              std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - sent).count());
          std::lock_guard lock(rec.mu);
          if (e) {
            (is_read ? rec.read_errors : rec.write_errors)++;
            if (rec.first_error.empty()) rec.first_error = DescribeError(e);
          } else {
            (is_read ? rec.reads : rec.writes).Record(micros);
            (is_read ? rec.interval_reads : rec.interval_writes).Record(micros);
          }
          --rec.in_flight;
          rec.cv.notify_all();
        });
  }
  {
    std::unique_lock lock(rec.mu);
    rec.cv.wait(lock, [&] { return rec.in_flight == 0; });
  }
  BenchResult result;
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  done = true;
  reporter.join();
  std::lock_guard lock(rec.mu);
  result.reads = Stats(rec.reads, rec.read_errors, result.seconds);
  result.writes = Stats(rec.writes, rec.write_errors, result.seconds);
  if (!rec.first_error.empty()) progress_out << "First error: " << rec.first_error << "\n";
  return result;
}

std::string FormatBenchResult(const BenchOptions& o, const BenchResult& r) {
  std::vector<std::string> headers = {"op",     "count",  "errors", "ops/s",    "mean ms",
                                      "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms"};
  std::vector<std::vector<std::string>> rows;
  auto add = [&](const char* name, const BenchKindStats& s) {
    if (s.ops == 0 && s.errors == 0) return;
    rows.push_back({name, FormatCount(s.ops), FormatCount(s.errors),
                    fmt::format("{:.0f}", s.ops_per_second), fmt::format("{:.3f}", s.mean_ms),
                    fmt::format("{:.3f}", s.p50_ms), fmt::format("{:.3f}", s.p95_ms),
                    fmt::format("{:.3f}", s.p99_ms), fmt::format("{:.3f}", s.p999_ms),
                    fmt::format("{:.3f}", s.max_ms)});
  };
  add("write", r.writes);
  add("read", r.reads);
  uint64_t total = r.reads.ops + r.writes.ops;
  std::string out = fmt::format(
      "\nhelenus bench: workload={} rows={} concurrency={} columns={}x{}B rate={} duration {}\n",
      o.workload, o.rows, o.concurrency, o.columns, o.value_size,
      o.rate > 0 ? fmt::format("{:.0f}/s", o.rate) : "unlimited", FormatSeconds(r.seconds));
  out += "\n" + FormatTable(headers, rows);
  out += fmt::format("\nTotal: {} ops in {} = {:.0f} ops/s\n", FormatCount(total),
                     FormatSeconds(r.seconds),
                     r.seconds > 0 ? static_cast<double>(total) / r.seconds : 0);
  return out;
}

}  // namespace helenus::shell
