// `helenus load`: bulk-loads a CSV file into a table (the logic is in shell/loader).
#include <iostream>

#include "commands.h"
#include "helenus/shell/connect.h"
#include "helenus/shell/loader.h"

namespace helenus::cli {
namespace {

struct LoadArgs {
  std::string file;
  std::string table;
  std::string columns;
  std::string delimiter = ",";
  bool header = false;
  std::string null_marker;
  int64_t skip_rows = 0;
  std::string host = "127.0.0.1:9042";
  std::string reject_file;
  int max_batch_size = 20;
  int max_requests = 512;
  bool quiet = false;
};

int RunLoad(const LoadArgs& args) {
  shell::LoadOptions options;
  auto dot = args.table.find('.');
  if (dot == std::string::npos) {
    std::cerr << "--table wants KEYSPACE.TABLE, got '" << args.table << "'\n";
    return 2;
  }
  options.keyspace = args.table.substr(0, dot);
  options.table = args.table.substr(dot + 1);
  std::string d = args.delimiter == "\\t" || args.delimiter == "tab" ? "\t" : args.delimiter;
  if (d.size() != 1) {
    std::cerr << "--delimiter wants one character\n";
    return 2;
  }
  options.csv.delimiter = d[0];
  options.csv.null_marker = args.null_marker;
  options.header = args.header;
  options.skip_rows = args.skip_rows;
  options.reject_file = args.reject_file;
  options.max_batch_size = args.max_batch_size;
  options.max_requests = args.max_requests;
  options.progress = !args.quiet;
  std::string cols = args.columns;
  for (size_t start = 0; !cols.empty() && start <= cols.size();) {
    size_t end = cols.find(',', start);
    if (end == std::string::npos) end = cols.size();
    std::string name = cols.substr(start, end - start);
    while (!name.empty() && name.front() == ' ') name.erase(0, 1);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty()) options.columns.push_back(name);
    start = end + 1;
  }
  try {
    auto session = shell::ConnectTo(args.host);
    auto stats = shell::LoadCsv(*session, args.file, options);
    std::cout << shell::LoadSummary(stats, args.file) << std::endl;
    return stats.rows_rejected > 0 ? 1 : 0;
  } catch (...) {
    std::cerr << "helenus load: " << shell::DescribeError(std::current_exception()) << "\n";
    return 2;
  }
}

}  // namespace

void AddLoadCommand(CLI::App& app) {
  auto args = std::make_shared<LoadArgs>();
  auto* cmd = app.add_subcommand("load", "Bulk-load a CSV file into a table");
  cmd->add_option("file", args->file, "CSV file ('-' = stdin)")->required();
  cmd->add_option("--table", args->table, "KEYSPACE.TABLE to load into")->required();
  cmd->add_option("--columns", args->columns, "Comma-separated columns, in file order");
  cmd->add_option("--delimiter", args->delimiter, "Field delimiter (',' ';' or '\\t')");
  cmd->add_flag("--header", args->header, "The first line names the columns");
  cmd->add_option("--null", args->null_marker, "Text that stands for null (default: empty)");
  cmd->add_option("--skip-rows", args->skip_rows, "Data rows to skip at the start");
  cmd->add_option("--host", args->host, "Server HOST[:PORT]");
  cmd->add_option("--reject-file", args->reject_file,
                  "Where rejected rows go (default <table>.err)");
  cmd->add_option("--max-batch-size", args->max_batch_size, "Rows of one partition per batch");
  cmd->add_option("--max-requests", args->max_requests, "Requests in flight");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output");
  cmd->callback([args] { std::exit(RunLoad(*args)); });
}

}  // namespace helenus::cli
