#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <string_view>

#include "helenus/client/result.h"
#include "helenus/client/statement.h"

namespace helenus::client {
class Session;
class Result;
}  // namespace helenus::client

namespace helenus::shell {

// Settings of the shell that statements change (CONSISTENCY, EXPAND, ...).
struct ShellSettings {
  client::Consistency consistency = client::Consistency::kOne;
  bool expand = false;
  bool paging = true;   // ---MORE--- between pages (interactive terminals only)
  int page_size = 100;  // rows per page when paging
};

// The cqlsh-like shell: runs statements and shell commands, prints results.
class Shell {
 public:
  // A shell on session printing to out/err; interactive enables paging prompts.
  Shell(std::shared_ptr<client::Session> session, std::ostream& out, std::ostream& err,
        bool interactive);

  // Runs every statement of a script; source names it in errors ("<stdin>", a file).
  // Returns false when any statement failed.
  bool RunScript(std::string_view script, const std::string& source);
  // Runs one complete statement (no trailing ';'); line numbers it for errors (0 = none).
  bool RunStatement(const std::string& statement, const std::string& source, int line);
  // The read-eval-print loop with line editing and history; returns the exit code.
  int RunInteractive();
  // True after EXIT / QUIT.
  bool exit_requested() const { return exit_; }
  // The prompt ("helenus> " or "helenus:ks> ").
  std::string Prompt() const;
  // True when buffer holds a complete statement (ends with ';' outside strings and
  // comments, or is a one-line shell command such as EXIT or DESCRIBE ...).
  static bool IsComplete(std::string_view buffer);

 private:
  // Runs stmt; on a terminal, draws a progress bar from system_views.queries
  // while a long analytic statement runs.
  client::Result ExecuteWithProgress(const client::Statement& stmt, const std::string& text);
  bool RunShellCommand(const std::string& statement, const std::string& source, int line,
                       bool* handled);
  void PrintRows(const client::Result& result);
  void ReportError(std::exception_ptr error, const std::string& source, int line);
  bool Describe(const std::string& statement);

  std::shared_ptr<client::Session> session_;
  std::ostream& out_;
  std::ostream& err_;
  bool interactive_;
  ShellSettings settings_;
  bool exit_ = false;
  int source_depth_ = 0;
};

}  // namespace helenus::shell
