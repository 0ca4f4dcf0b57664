// `helenus workshop`: the Cassandra + Spark ML workshop's data and its six
// exercises, run against a server.

#include <iostream>

#include "commands.h"
#include "helenus/shell/connect.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/table_printer.h"
#include "helenus/workshop/data.h"
#include "helenus/workshop/runner.h"

namespace helenus::cli {
namespace {

struct WorkshopArgs {
  std::string out = "workshop-out";
  std::string workshop_data;
  std::string host = "127.0.0.1:9042";
  std::string scripts;
};

std::optional<std::filesystem::path> DirOrNone(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return std::filesystem::path(s);
}

// The running binary, so that a build tree finds the scripts of its source tree.
std::filesystem::path ExecutablePath() {
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::current_path() : p;
}

int Prepare(const WorkshopArgs& args) {
  try {
    const auto files = workshop::PrepareData(std::filesystem::path(args.out) / "data",
                                             DirOrNone(args.workshop_data));
    std::vector<std::vector<std::string>> cells;
    for (const auto& f : files) cells.push_back({f.name, shell::FormatCount(f.rows), f.source});
    std::cout << shell::FormatTable({"file", "rows", "source"}, cells) << "\n";
    return 0;
  } catch (...) {
    std::cerr << "workshop prepare: " << shell::DescribeError(std::current_exception()) << "\n";
    return 1;
  }
}

int Run(const WorkshopArgs& args) {
  try {
    workshop::RunOptions o;
    o.out_dir = args.out;
    o.workshop_dir = DirOrNone(args.workshop_data);
    o.host = args.host;
    if (!args.scripts.empty()) {
      o.scripts_dir = args.scripts;
    } else if (auto found = workshop::FindScripts(ExecutablePath())) {
      o.scripts_dir = *found;
    } else {
      std::cerr << "workshop run: cannot find examples/workshop/cql; pass --scripts DIR\n";
      return 2;
    }
    return workshop::RunWorkshop(o, std::cout);
  } catch (...) {
    std::cerr << "workshop run: " << shell::DescribeError(std::current_exception()) << "\n";
    return 1;
  }
}

}  // namespace

void AddWorkshopCommand(CLI::App& app) {
  auto args = std::make_shared<WorkshopArgs>();
  auto* cmd = app.add_subcommand("workshop", "The Cassandra + Spark ML workshop's exercises");
  cmd->require_subcommand(1);

  auto* prepare = cmd->add_subcommand(
      "prepare", "Write the workshop's data as CSV files with headers (generated when absent)");
  prepare->add_option("--out", args->out, "Output directory (files go to OUT/data)");
  prepare->add_option("--workshop-data", args->workshop_data,
                      "Directory holding the workshop's CSV files");
  prepare->callback([args] { std::exit(Prepare(*args)); });

  auto* run = cmd->add_subcommand(
      "run", "Prepare the data, run the six exercises against a server, print the summary");
  run->add_option("--out", args->out, "Output directory: data/, charts/, logs/, summary.json");
  run->add_option("--workshop-data", args->workshop_data,
                  "Directory holding the workshop's CSV files");
  run->add_option("--host", args->host, "Server HOST[:PORT] (default 127.0.0.1:9042)");
  run->add_option("--scripts", args->scripts,
                  "Directory of the exercise scripts (default: examples/workshop/cql)");
  run->callback([args] { std::exit(Run(*args)); });
}

}  // namespace helenus::cli
