// `helenus shell`: the cqlsh-like shell (the logic is in shell/repl).
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "helenus/client/client.h"
#include "helenus/shell/connect.h"
#include "helenus/shell/repl.h"

namespace helenus::cli {
namespace {

struct ShellArgs {
  std::string host = "127.0.0.1:9042";
  std::string keyspace;
  std::string execute;
  std::string file;
};

int RunShell(const ShellArgs& args) {
  std::shared_ptr<client::Session> session;
  try {
    session = shell::ConnectTo(args.host, args.keyspace);
  } catch (...) {
    std::cerr << "Connection error: ('Unable to connect to any servers', {'" << args.host
              << "': " << shell::DescribeError(std::current_exception()) << "})\n";
    return 1;
  }
  bool script = !args.execute.empty() || !args.file.empty() || !isatty(STDIN_FILENO);
  shell::Shell sh(session, std::cout, std::cerr, !script);
  if (!args.execute.empty()) return sh.RunScript(args.execute, "<stdin>") ? 0 : 2;
  if (!args.file.empty()) {
    std::ifstream in(args.file, std::ios::binary);
    if (!in) {
      std::cerr << "Could not open '" << args.file << "'\n";
      return 2;
    }
    std::stringstream text;
    text << in.rdbuf();
    return sh.RunScript(text.str(), args.file) ? 0 : 2;
  }
  if (script) {
    std::stringstream text;
    text << std::cin.rdbuf();
    return sh.RunScript(text.str(), "<stdin>") ? 0 : 2;
  }
  std::cout << "Connected to Helenus at " << args.host << ".\n"
            << "Use HELP for help.\n";
  return sh.RunInteractive();
}

}  // namespace

void AddShellCommand(CLI::App& app) {
  auto args = std::make_shared<ShellArgs>();
  auto* cmd = app.add_subcommand("shell", "Interactive CQL shell (cqlsh-like)");
  cmd->add_option("host", args->host, "Server HOST[:PORT] (default 127.0.0.1:9042)");
  cmd->add_option("-k,--keyspace", args->keyspace, "Keyspace to USE");
  cmd->add_option("-e,--execute", args->execute, "Run these statements and exit");
  cmd->add_option("-f,--file", args->file, "Run the statements of this file and exit");
  cmd->callback([args] { std::exit(RunShell(*args)); });
}

}  // namespace helenus::cli
