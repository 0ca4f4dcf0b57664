// `helenus bench`: a load generator (the logic is in shell/bench).
#include <iostream>

#include "commands.h"
#include "helenus/shell/bench.h"
#include "helenus/shell/connect.h"

namespace helenus::cli {

void AddBenchCommand(CLI::App& app) {
  auto o = std::make_shared<shell::BenchOptions>();
  auto* cmd = app.add_subcommand(
      "bench", "Load generator: write/read/mixed workloads with latency percentiles");
  cmd->add_option("--host", o->host, "Server HOST[:PORT]");
  cmd->add_option("--workload", o->workload, "write | read | mixed");
  cmd->add_option("--rows", o->rows, "Key space size; the op count when --duration is 0");
  cmd->add_option("--duration", o->duration, "Seconds to run (0 = --rows operations)");
  cmd->add_option("--rate", o->rate, "Operations per second (0 = unlimited)");
  cmd->add_option("--concurrency", o->concurrency, "Requests in flight");
  cmd->add_option("--columns", o->columns, "Value columns per row");
  cmd->add_option("--value-size", o->value_size, "Bytes per value column");
  cmd->add_option("--keyspace", o->keyspace, "Keyspace of the bench table");
  cmd->add_option("--read-ratio", o->read_ratio, "Share of reads in the mixed workload");
  cmd->add_flag("!--no-progress", o->progress, "No per-second progress lines");
  cmd->callback([o] {
    try {
      auto result = shell::RunBench(*o, std::cerr);
      std::cout << shell::FormatBenchResult(*o, result) << std::flush;
      std::exit(result.reads.errors + result.writes.errors > 0 ? 1 : 0);
    } catch (...) {
      std::cerr << "helenus bench: " << shell::DescribeError(std::current_exception()) << "\n";
      std::exit(2);
    }
  });
}

}  // namespace helenus::cli
