// The interactive shell and script runner.
#include "helenus/shell/repl.h"

#include <editline/readline.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "helenus/client/client.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/cql/parser.h"
#include "helenus/shell/chart_command.h"
#include "helenus/shell/copy.h"
#include "helenus/shell/describe.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/schema.h"
#include "helenus/shell/table_printer.h"
#include "helenus/shell/value_text.h"

namespace helenus::shell {
namespace {

// statement after any leading whitespace, -- or // line comments and /* */ blocks.
std::string_view WithoutLeadingComments(std::string_view s) {
  for (;;) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    if (s.starts_with("--") || s.starts_with("//")) {
      const size_t end = s.find('\n');
      s = end == std::string_view::npos ? std::string_view() : s.substr(end + 1);
    } else if (s.starts_with("/*")) {
      const size_t end = s.find("*/", 2);
      s = end == std::string_view::npos ? std::string_view() : s.substr(end + 2);
    } else {
      return s;
    }
  }
}

// Splits on whitespace, keeping 'quoted strings' whole.
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    std::string w;
    if (s[i] == '\'') {
      for (++i; i < s.size(); ++i) {
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') {
            w += '\'';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        w += s[i];
      }
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) w += s[i++];
    }
    out.push_back(w);
  }
  return out;
}

// The python driver's exception name and summary for a server error code, as cqlsh prints them.
std::pair<const char*, const char*> ErrorNames(ErrorCode code) {
  switch (code) {
    case ErrorCode::kSyntax:
      return {"SyntaxException", "Syntax error in CQL query"};
    case ErrorCode::kInvalid:
      return {"InvalidRequest", "Invalid query"};
    case ErrorCode::kUnauthorized:
      return {"Unauthorized", "Unauthorized"};
    case ErrorCode::kConfig:
      return {"ConfigurationException", "Query invalid because of configuration issue"};
    case ErrorCode::kAlreadyExists:
      return {"AlreadyExists", "Already exists"};
    case ErrorCode::kUnavailable:
      return {"Unavailable", "Unavailable exception"};
    case ErrorCode::kOverloaded:
      return {"OverloadedErrorMessage", "Coordinator node overloaded"};
    case ErrorCode::kWriteTimeout:
      return {"WriteTimeout", "Operation timed out"};
    case ErrorCode::kReadTimeout:
      return {"ReadTimeout", "Operation timed out"};
    case ErrorCode::kProtocol:
      return {"ProtocolException", "Protocol error"};
    default:
      return {"ServerError", "Server error"};
  }
}

const std::pair<const char*, client::Consistency> kLevels[] = {
    {"ANY", client::Consistency::kAny},
    {"ONE", client::Consistency::kOne},
    {"TWO", client::Consistency::kTwo},
    {"THREE", client::Consistency::kThree},
    {"QUORUM", client::Consistency::kQuorum},
    {"ALL", client::Consistency::kAll},
    {"LOCAL_QUORUM", client::Consistency::kLocalQuorum},
    {"EACH_QUORUM", client::Consistency::kEachQuorum},
    {"SERIAL", client::Consistency::kSerial},
    {"LOCAL_SERIAL", client::Consistency::kLocalSerial},
    {"LOCAL_ONE", client::Consistency::kLocalOne},
};

// The line (1-based) of each statement of a script, found by locating the
// trimmed pieces SplitStatements returns in the original text in order.
std::vector<int> StatementLines(std::string_view script, const std::vector<std::string>& pieces) {
  std::vector<int> lines;
  size_t pos = 0;
  int line = 1;
  size_t counted = 0;
  for (const auto& p : pieces) {
    size_t at = script.find(p, pos);
    if (at == std::string_view::npos) at = pos;
    for (; counted < at && counted < script.size(); ++counted) {
      if (script[counted] == '\n') ++line;
    }
    lines.push_back(line);
    pos = std::min(script.size(), at + p.size());
  }
  return lines;
}

}  // namespace

Shell::Shell(std::shared_ptr<client::Session> session, std::ostream& out, std::ostream& err,
             bool interactive)
    : session_(std::move(session)), out_(out), err_(err), interactive_(interactive) {}

std::string Shell::Prompt() const {
  std::string ks = session_->keyspace();
  return ks.empty() ? "helenus> " : "helenus:" + ks + "> ";
}

bool Shell::IsComplete(std::string_view buffer) {
  auto words = Words(buffer);
  if (words.empty()) return false;
  std::string first = AsciiUpper(words[0]);
  // Shell commands need no ';' on a single line, as in cqlsh.
  static const char* kNoSemicolon[] = {"EXIT",        "QUIT",    "DESCRIBE", "DESC",   "SOURCE",
                                       "CONSISTENCY", "TRACING", "EXPAND",   "PAGING", "HELP"};
  if (buffer.find('\n') == std::string_view::npos) {
    for (const char* w : kNoSemicolon) {
      if (first == w) return true;
    }
  }
  // A sentinel after the buffer comes back alone only when everything before it
  // was terminated by a ';' outside strings and comments.
  auto pieces = cql::SplitStatements(std::string(buffer) + "\nhelenus_sentinel");
  return !pieces.empty() && pieces.back() == "helenus_sentinel" &&
         (pieces.size() > 1 || buffer.find(';') != std::string_view::npos);
}

void Shell::ReportError(std::exception_ptr error, const std::string& source, int line) {
  std::string prefix = source.empty() ? "" : fmt::format("{}:{}:", source, line);
  try {
    std::rethrow_exception(error);
  } catch (const CqlError& e) {
    auto [name, summary] = ErrorNames(e.code());
    std::string msg = e.what();
    err_ << prefix << name
         << ": Error from server: code=" << fmt::format("{:04x}", static_cast<int>(e.code()))
         << " [" << summary << "] message=\"" << msg << "\"\n";
  } catch (const client::ClientError& e) {
    const char* name = e.kind() == client::ClientErrorKind::kTimeout ? "OperationTimedOut"
                       : e.kind() == client::ClientErrorKind::kNoHostAvailable
                           ? "NoHostAvailable"
                           : "ConnectionException";
    err_ << prefix << name << ": " << e.what() << "\n";
  } catch (const std::exception& e) {
    err_ << prefix << e.what() << "\n";
  }
  err_.flush();
}

bool Shell::RunScript(std::string_view script, const std::string& source) {
  auto pieces = cql::SplitStatements(script);
  auto lines = StatementLines(script, pieces);
  bool ok = true;
  for (size_t i = 0; i < pieces.size() && !exit_; ++i) {
    ok = RunStatement(pieces[i], source, lines[i]) && ok;
  }
  return ok;
}

bool Shell::RunStatement(const std::string& statement, const std::string& source, int line) {
  try {
    bool handled = false;
    // A comment above a shell command (COPY, CHART, ...) must not hide it.
    bool ok =
        RunShellCommand(std::string(WithoutLeadingComments(statement)), source, line, &handled);
    if (handled) return ok;
    client::Statement stmt(statement);
    stmt.consistency = settings_.consistency;
    // Interactive terminals fetch one screen at a time; scripts take large pages.
    stmt.page_size = interactive_ && settings_.paging ? settings_.page_size : 5000;
    auto result = ExecuteWithProgress(stmt, statement);
    if (result.kind() == client::ResultKind::kRows) PrintRows(result);
    return true;
  } catch (...) {
    ReportError(std::current_exception(), source, line);
    return false;
  }
}

client::Result Shell::ExecuteWithProgress(const client::Statement& stmt, const std::string& text) {
  auto pending = session_->ExecuteAsync(stmt);
  if (!isatty(STDERR_FILENO)) return pending.get();
  // A statement that runs long on the analytics engine shows up in
  // system_views.queries: a bar follows its scan while the shell waits.
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<Progress> bar;
  while (pending.wait_for(std::chrono::milliseconds(250)) != std::future_status::ready) {
    if (std::chrono::steady_clock::now() - start < std::chrono::seconds(1)) continue;
    try {
      auto jobs = session_->Execute(
          client::Statement("SELECT statement, rows_scanned FROM system_views.queries"));
      for (size_t i = 0; i < jobs.page_size(); ++i) {
        auto row = jobs.row(i);
        if (row.GetString(0) != text) continue;
        if (!bar) bar = std::make_unique<Progress>("Running", 0);
        bar->Update(static_cast<uint64_t>(row.GetInt64(1)), 0, 0);
      }
    } catch (...) {
      return pending.get();  // a server without the table: just wait
    }
  }
  bar.reset();
  return pending.get();
}

bool Shell::RunShellCommand(const std::string& statement, const std::string& source, int line,
                            bool* handled) {
  auto words = Words(statement);
  *handled = true;
  if (words.empty()) return true;
  std::string first = AsciiUpper(words[0]);
  if (first == "EXIT" || first == "QUIT") {
    exit_ = true;
    return true;
  }
  // DESCRIBE MODEL is an ML statement the server answers.
  if ((first == "DESCRIBE" || first == "DESC") &&
      !(words.size() > 1 && AsciiUpper(words[1]) == "MODEL")) {
    return Describe(statement);
  }
  if (first == "CONSISTENCY") {
    if (words.size() == 1) {
      for (const auto& [name, level] : kLevels) {
        if (level == settings_.consistency)
          out_ << "Current consistency level is " << name << ".\n";
      }
      return true;
    }
    for (const auto& [name, level] : kLevels) {
      if (AsciiUpper(words[1]) == name) {
        settings_.consistency = level;
        out_ << "Consistency level set to " << name << ".\n";
        return true;
      }
    }
    ThrowInvalid("Improper CONSISTENCY command: unknown level '{}'", words[1]);
  }
  if (first == "TRACING") {
    std::string arg = words.size() > 1 ? AsciiUpper(words[1]) : "";
    if (arg == "ON") {
      err_ << "Tracing is not supported by this server.\n";
      return false;
    }
    out_ << (arg == "OFF" ? "Disabled Tracing.\n" : "Tracing is currently disabled.\n");
    return true;
  }
  if (first == "EXPAND" || first == "PAGING") {
    std::string arg = words.size() > 1 ? AsciiUpper(words[1]) : "";
    bool* flag = first == "EXPAND" ? &settings_.expand : &settings_.paging;
    const char* what = first == "EXPAND" ? "Expanded output" : "Query paging";
    if (arg == "ON") {
      *flag = true;
      out_ << "Now " << what << " is enabled\n";
    } else if (arg == "OFF") {
      *flag = false;
      out_ << "Disabled " << what << ".\n";
    } else if (arg.empty()) {
      out_ << what << " is currently " << (*flag ? "enabled" : "disabled") << ".\n";
    } else if (first == "PAGING" && std::all_of(arg.begin(), arg.end(), ::isdigit)) {
      settings_.paging = true;
      settings_.page_size = std::max(1, std::atoi(arg.c_str()));
      out_ << "Page size: " << settings_.page_size << "\n";
    } else {
      ThrowInvalid("Improper {} command.", first);
    }
    return true;
  }
  if (first == "SOURCE") {
    if (words.size() < 2) ThrowInvalid("SOURCE wants a file name");
    // A file that sources itself would recurse forever.
    if (source_depth_ >= 16) ThrowInvalid("SOURCE nested too deeply");
    std::ifstream in(words[1], std::ios::binary);
    if (!in) ThrowInvalid("Could not open '{}'", words[1]);
    std::stringstream text;
    text << in.rdbuf();
    ++source_depth_;
    bool ok = RunScript(text.str(), words[1]);
    --source_depth_;
    return ok;
  }
  if (first == "COPY") {
    auto cmd = ParseCopy(statement);
    cmd.load.progress = true;
    return RunCopy(*session_, cmd, out_);
  }
  if (first == "CHART") {
    const ChartCommand cmd = ParseChart(statement);
    RunChart(
        cmd, settings_.consistency,
        [&](const client::Statement& stmt) { return ExecuteWithProgress(stmt, cmd.statement); },
        out_);
    return true;
  }
  if (first == "HELP") {
    out_ << "Shell commands: DESCRIBE, SOURCE, CONSISTENCY, TRACING, EXPAND, PAGING, COPY, CHART,"
            " EXIT\n"
            "CHART scatter|line|bar|heatmap TO 'file.svg' [WITH name = 'value' [AND ...]]"
            " AS <statement>;\n"
            "  draws the rows of a statement as an SVG chart (see docs/charts.md).\n"
            "Any other statement is sent to the server as CQL; end it with ';'.\n";
    return true;
  }
  (void)source;
  (void)line;
  *handled = false;
  return true;
}

bool Shell::Describe(const std::string& statement) {
  auto words = Words(statement);
  std::string what = words.size() > 1 ? AsciiUpper(words[1]) : "";
  auto strip = [](std::string s) {
    if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return s.substr(1, s.size() - 2);
    std::string out;
    for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  if (what == "KEYSPACES") {
    out_ << "\n" << DescribeKeyspaceNames(FetchSchema(*session_)) << "\n";
    return true;
  }
  if (what == "TABLES") {
    out_ << DescribeTableNames(FetchSchema(*session_), session_->keyspace()) << "\n";
    return true;
  }
  if (what == "SCHEMA" || what == "FULL") {
    for (const auto& k : FetchSchema(*session_)) {
      if (!IsSystemKeyspace(k.name)) out_ << "\n" << DescribeKeyspace(k);
    }
    out_ << "\n";
    return true;
  }
  std::string name;
  bool table = false;
  if (what == "TABLE" || what == "COLUMNFAMILY") {
    if (words.size() < 3) ThrowInvalid("DESCRIBE TABLE wants a table name");
    name = words[2];
    table = true;
  } else if (what == "KEYSPACE") {
    name = words.size() > 2 ? words[2] : session_->keyspace();
  } else if (!what.empty()) {
    name = words[1];  // DESCRIBE <name>: a keyspace, else a table
  } else {
    ThrowSyntax("Improper DESCRIBE command.");
  }
  std::string ks = session_->keyspace(), object = name;
  auto dot = name.find('.');
  if (dot != std::string::npos) {
    ks = name.substr(0, dot);
    object = name.substr(dot + 1);
    table = true;
  }
  ks = strip(ks);
  object = strip(object);
  if (!table) {
    if (auto k = FetchKeyspace(*session_, object)) {
      out_ << "\n" << DescribeKeyspace(*k) << "\n";
      return true;
    }
    if (what == "KEYSPACE") ThrowInvalid("Keyspace '{}' not found", object);
  }
  if (ks.empty()) ThrowInvalid("No keyspace specified and no current keyspace");
  auto t = FetchTable(*session_, ks, object);
  if (!t) ThrowInvalid("Table '{}' not found in keyspace '{}'", object, ks);
  out_ << "\n" << DescribeTable(*t) << "\n";
  return true;
}

void Shell::PrintRows(const client::Result& first_page) {
  const auto& cols = first_page.columns();
  std::vector<std::string> headers;
  for (const auto& c : cols) headers.push_back(c.name);
  bool page_prompts = interactive_ && settings_.paging && isatty(STDOUT_FILENO);
  size_t total = 0;
  client::Result page = first_page;
  std::vector<std::vector<std::string>> rows;
  auto flush = [&] {
    if (settings_.expand) {
      out_ << FormatExpanded(headers, rows, total - rows.size() + 1);
    } else {
      out_ << "\n" << FormatTable(headers, rows);
    }
    rows.clear();
  };
  while (true) {
    for (size_t i = 0; i < page.page_size(); ++i) {
      auto row = page.row(i);
      std::vector<std::string> text;
      for (size_t c = 0; c < cols.size(); ++c) {
        text.push_back(FormatValue(cols[c].type, row.Get(c), TextStyle::kDisplay));
      }
      rows.push_back(std::move(text));
      ++total;
    }
    if (!page.has_more_pages()) break;
    if (page_prompts && !rows.empty()) {
      flush();
      out_.flush();
      // Wait for Enter before the next page, as cqlsh does; 'q' stops.
      char* answer = readline("---MORE---");
      bool stop = answer == nullptr || (answer[0] == 'q' || answer[0] == 'Q');
      std::free(answer);
      if (stop) {
        out_ << "\n";
        return;
      }
    }
    page = page.NextPage();
  }
  if (!rows.empty() || total == 0) flush();
  out_ << "\n(" << total << " rows)\n";
  out_.flush();
}

int Shell::RunInteractive() {
  const char* home = std::getenv("HOME");
  std::string history = home ? std::string(home) + "/.helenus_history" : "";
  using_history();
  if (!history.empty()) read_history(history.c_str());
  std::string buffer;
  int line_no = 0;
  while (!exit_) {
    std::string prompt = buffer.empty() ? Prompt() : std::string(Prompt().size() - 4, ' ') + "... ";
    char* raw = readline(prompt.c_str());
    if (raw == nullptr) {  // Ctrl-D
      out_ << "\n";
      break;
    }
    std::string line = raw;
    std::free(raw);
    ++line_no;
    if (buffer.empty() && line.find_first_not_of(" \t") == std::string::npos) continue;
    buffer += buffer.empty() ? line : "\n" + line;
    if (!IsComplete(buffer)) continue;
    add_history(buffer.c_str());
    if (!history.empty()) write_history(history.c_str());
    auto pieces = cql::SplitStatements(buffer);
    if (pieces.empty()) pieces.push_back(buffer);
    for (const auto& p : pieces) {
      if (exit_) break;
      RunStatement(p, "", 0);
    }
    buffer.clear();
  }
  return 0;
}

}  // namespace helenus::shell
