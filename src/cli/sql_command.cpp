// `helenus sql`: runs CQL and analytic SQL embedded on a data directory,
// without a server, printing results as tables (for scripts).

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <spdlog/spdlog.h>

#include "commands.h"
#include "helenus/common/error.h"
#include "helenus/cql/parser.h"
#include "helenus/exec/jobs.h"
#include "helenus/query/processor.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/table_printer.h"
#include "helenus/shell/value_text.h"
#include "helenus/sql/frontend.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::cli {
namespace {

struct SqlArgs {
  std::string data_dir = "./helenus-data";
  std::string keyspace;
  std::string file;
  std::string statements;
};

void PrintResult(const cql::ResultMessage& result, double seconds) {
  if (const auto* rows = std::get_if<cql::RowsResult>(&result)) {
    std::vector<std::string> headers;
    for (const auto& c : rows->metadata.columns) headers.push_back(c.name);
    std::vector<std::vector<std::string>> cells;
    for (const auto& row : rows->rows) {
      std::vector<std::string> line;
      for (size_t i = 0; i < row.size(); ++i) {
        line.push_back(
            shell::FormatValue(rows->metadata.columns[i].type, row[i], shell::TextStyle::kDisplay));
      }
      cells.push_back(std::move(line));
    }
    std::cout << "\n"
              << shell::FormatTable(headers, cells) << "\n("
              << shell::FormatCount(rows->rows.size()) << " rows, " << shell::FormatSeconds(seconds)
              << ")\n\n";
  } else if (const auto* change = std::get_if<cql::SchemaChange>(&result)) {
    std::cout << change->change_type << " " << change->target << " " << change->keyspace
              << (change->name.empty() ? "" : "." + change->name) << "\n";
  }
}

// Shows the running statement's scan progress while it works.
class JobWatcher {
 public:
  explicit JobWatcher(bool enabled) {
    if (!enabled) return;
    thread_ = std::thread([this] {
      std::unique_ptr<shell::Progress> bar;
      while (!stop_) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        auto jobs = exec::JobRegistry::Default().List();
        if (jobs.empty() || jobs.front().elapsed_ms < 1000) continue;
        if (!bar) bar = std::make_unique<shell::Progress>("Running " + jobs.front().kind, 0);
        bar->Update(jobs.front().rows_scanned, 0, 0);
      }
    });
  }
  ~JobWatcher() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

int RunSql(const SqlArgs& args) {
  std::string script = args.statements;
  if (!args.file.empty()) {
    std::ifstream in(args.file);
    if (!in) {
      std::cerr << "cannot read " << args.file << "\n";
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    script += "\n" + ss.str();
  }
  storage::StoreOptions options;
  options.sync_each_write = false;
  auto store = storage::Store::Open(args.data_dir, options);
  if (!store.ok()) {
    std::cerr << "cannot open data directory " << args.data_dir << ": " << store.status().message()
              << "\n(is a server running on it? then use `helenus shell`)\n";
    return 1;
  }
  auto catalog = storage::Catalog::Load(store->get());
  if (!catalog.ok()) {
    std::cerr << "cannot load schema: " << catalog.status().message() << "\n";
    return 1;
  }
  query::QueryProcessor processor(store->get(), catalog->get(), query::NodeInfo{});
  exec::Engine engine(store->get(), catalog->get());
  sql::Frontend frontend(&processor, &engine);
  query::ClientState state;
  state.keyspace = args.keyspace;
  int failures = 0;
  for (const auto& statement : cql::SplitStatements(script)) {
    auto start = std::chrono::steady_clock::now();
    try {
      cql::ResultMessage result;
      {
        JobWatcher watcher(isatty(STDERR_FILENO));
        result = frontend.Query(state, statement, cql::QueryParameters{});
      }
      if (auto* use = std::get_if<cql::SetKeyspaceResult>(&result)) state.keyspace = use->keyspace;
      PrintResult(result,
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    } catch (const CqlError& e) {
      std::cerr << "Error: " << e.what() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace

void AddSqlCommand(CLI::App& app) {
  auto args = std::make_shared<SqlArgs>();
  auto* cmd = app.add_subcommand(
      "sql", "Run CQL and analytic SQL statements embedded on a data directory (no server)");
  cmd->add_option("--data", args->data_dir, "Data directory")->capture_default_str();
  cmd->add_option("-k,--keyspace", args->keyspace, "Keyspace for unqualified table names");
  cmd->add_option("-f,--file", args->file, "Read statements from a file");
  cmd->add_option("statements", args->statements, "Statements separated by ';'");
  cmd->callback([args] { std::exit(RunSql(*args)); });
}

}  // namespace helenus::cli
