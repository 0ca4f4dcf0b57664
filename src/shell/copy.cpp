// COPY FROM / COPY TO with cqlsh's syntax and option names.
#include "helenus/shell/copy.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "helenus/client/client.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/shell/csv.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/schema.h"
#include "helenus/shell/value_text.h"

namespace helenus::shell {
namespace {

// A tiny tokenizer: identifiers (quoted or not), 'strings', and punctuation.
class Tokens {
 public:
  explicit Tokens(std::string_view s) : s_(s) {}

  bool AtEnd() {
    Skip();
    return i_ >= s_.size();
  }
  bool Peek(char c) {
    Skip();
    return i_ < s_.size() && s_[i_] == c;
  }
  bool Eat(char c) {
    if (!Peek(c)) return false;
    ++i_;
    return true;
  }
  // An identifier or bare word (letters, digits, _, and for values also . - +).
  std::string Word(bool value = false) {
    Skip();
    if (i_ < s_.size() && s_[i_] == '"') {
      std::string out;
      for (++i_; i_ < s_.size(); ++i_) {
        if (s_[i_] == '"') {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == '"') {
            out += '"';
            ++i_;
            continue;
          }
          ++i_;
          return out;
        }
        out += s_[i_];
      }
      Fail("unterminated quoted name");
    }
    size_t start = i_;
    while (i_ < s_.size() &&
           (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
            (value && (s_[i_] == '.' || s_[i_] == '-' || s_[i_] == '+' || s_[i_] == '/')))) {
      ++i_;
    }
    if (start == i_) Fail("expected a name");
    return AsciiLower(s_.substr(start, i_ - start));
  }
  // A 'string' (with '' escapes) or, for option values, a bare word.
  std::string Value() {
    Skip();
    if (i_ < s_.size() && s_[i_] == '\'') {
      std::string out;
      for (++i_; i_ < s_.size(); ++i_) {
        if (s_[i_] == '\'') {
          if (i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
            out += '\'';
            ++i_;
            continue;
          }
          ++i_;
          return out;
        }
        out += s_[i_];
      }
      Fail("unterminated string");
    }
    return Word(true);
  }
  [[noreturn]] void Fail(std::string_view why) {
    ThrowSyntax("Improper COPY command: {} at position {}", why, i_ + 1);
  }

 private:
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::string_view s_;
  size_t i_ = 0;
};

bool ParseBool(const std::string& name, const std::string& v) {
  std::string l = AsciiLower(v);
  if (l == "true" || l == "yes" || l == "1") return true;
  if (l == "false" || l == "no" || l == "0") return false;
  ThrowInvalid("COPY option {} wants true or false, got '{}'", name, v);
}

char OneChar(const std::string& name, const std::string& v) {
  if (v == "\\t") return '\t';
  if (v.size() != 1) ThrowInvalid("COPY option {} wants one character, got '{}'", name, v);
  return v[0];
}

int64_t ParseInt(const std::string& name, const std::string& v) {
  try {
    size_t used = 0;
    int64_t n = std::stoll(v, &used);
    if (used == v.size()) return n;
  } catch (const std::exception&) {
  }
  ThrowInvalid("COPY option {} wants a number, got '{}'", name, v);
}

// COPY TO: pages through the table and writes RFC 4180 CSV.
bool CopyTo(client::Session& session, const CopyCommand& cmd, std::ostream& out) {
  auto start = std::chrono::steady_clock::now();
  std::string keyspace = cmd.keyspace.empty() ? session.keyspace() : cmd.keyspace;
  auto table = FetchTable(session, keyspace, cmd.table);
  if (!table) ThrowInvalid("Table {}.{} does not exist", keyspace, cmd.table);
  std::vector<const ColumnMeta*> columns;
  std::vector<std::string> names = cmd.columns;
  if (names.empty()) {
    for (const auto& c : table->columns) names.push_back(c.name);
  }
  std::string select;
  for (const auto& n : names) {
    const ColumnMeta* c = table->Find(n);
    if (!c) ThrowInvalid("Invalid column name {}", n);
    columns.push_back(c);
    select += (select.empty() ? "" : ", ") + QuoteIdent(n);
  }
  std::ofstream file;
  std::ostream* sink = &out;
  bool to_stdout = AsciiUpper(cmd.file) == "STDOUT";
  if (!to_stdout) {
    file.open(cmd.file, std::ios::binary | std::ios::trunc);
    if (!file) ThrowInvalid("Can't open '{}' for writing: {}", cmd.file, std::strerror(errno));
    sink = &file;
  }
  const CsvOptions& csv = cmd.load.csv;
  if (cmd.load.header) {
    std::vector<std::optional<std::string>> header(names.begin(), names.end());
    *sink << CsvLine(header, csv);
  }
  client::Statement stmt(
      fmt::format("SELECT {} FROM {}.{}", select, QuoteIdent(keyspace), QuoteIdent(cmd.table)));
  stmt.page_size = cmd.page_size;
  Progress progress("Exporting " + cmd.table, 0, !to_stdout && cmd.load.progress);
  uint64_t rows = 0;
  std::vector<std::optional<std::string>> fields(columns.size());
  for (const auto& row : session.Execute(stmt)) {
    for (size_t i = 0; i < columns.size(); ++i) {
      const Value& v = row.Get(i);
      if (!v) {
        fields[i].reset();
      } else {
        fields[i] = FormatValue(columns[i]->type, v, TextStyle::kCsv);
      }
    }
    *sink << CsvLine(fields, csv);
    ++rows;
    if (rows % 1000 == 0) progress.Update(rows, 0, 0);
  }
  progress.Update(rows, 0, 0);
  progress.Stop();
  sink->flush();
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!to_stdout) {
    out << fmt::format("{} rows exported to 1 files in {}.\n", FormatCount(rows),
                       FormatSeconds(secs));
  }
  return true;
}

}  // namespace

bool IsCopyStatement(std::string_view statement) {
  size_t i = 0;
  while (i < statement.size() && std::isspace(static_cast<unsigned char>(statement[i]))) ++i;
  return statement.size() >= i + 5 && AsciiUpper(statement.substr(i, 4)) == "COPY" &&
         std::isspace(static_cast<unsigned char>(statement[i + 4]));
}

CopyCommand ParseCopy(std::string_view statement) {
  Tokens t(statement);
  if (t.Word() != "copy") t.Fail("expected COPY");
  CopyCommand cmd;
  std::string first = t.Word();
  if (t.Eat('.')) {
    cmd.keyspace = first;
    cmd.table = t.Word();
  } else {
    cmd.table = first;
  }
  if (t.Eat('(')) {
    do {
      cmd.columns.push_back(t.Word());
    } while (t.Eat(','));
    if (!t.Eat(')')) t.Fail("expected ')'");
  }
  std::string dir = t.Word();
  if (dir != "from" && dir != "to") t.Fail("expected FROM or TO");
  cmd.from = dir == "from";
  cmd.file = t.Value();
  cmd.load.keyspace = cmd.keyspace;
  cmd.load.table = cmd.table;
  cmd.load.columns = cmd.columns;
  if (!t.AtEnd()) {
    if (t.Word() != "with") t.Fail("expected WITH");
    while (true) {
      std::string name = AsciiUpper(t.Word());
      if (!t.Eat('=')) t.Fail("expected '='");
      std::string v = t.Value();
      auto& o = cmd.load;
      if (name == "DELIMITER") {
        o.csv.delimiter = OneChar(name, v);
      } else if (name == "QUOTE") {
        o.csv.quote = OneChar(name, v);
      } else if (name == "ESCAPE") {
        o.csv.escape = OneChar(name, v);
      } else if (name == "NULL") {
        o.csv.null_marker = v;
      } else if (name == "HEADER") {
        o.header = ParseBool(name, v);
      } else if (name == "MAXBATCHSIZE") {
        o.max_batch_size = static_cast<int>(std::clamp<int64_t>(ParseInt(name, v), 1, 65535));
      } else if (name == "MAXREQUESTS") {
        o.max_requests = static_cast<int>(std::clamp<int64_t>(ParseInt(name, v), 1, 100000));
      } else if (name == "ERRFILE") {
        o.reject_file = v;
      } else if (name == "SKIPROWS") {
        o.skip_rows = ParseInt(name, v);
      } else if (name == "MAXROWS") {
        o.max_rows = ParseInt(name, v);
      } else if (name == "MAXPARSEERRORS" || name == "MAXINSERTERRORS") {
        o.max_errors = ParseInt(name, v);
      } else if (name == "PAGESIZE") {
        cmd.page_size = static_cast<int>(std::clamp<int64_t>(ParseInt(name, v), 1, 1000000));
      } else if (name == "CHUNKSIZE" || name == "INGESTRATE" || name == "NUMPROCESSES" ||
                 name == "ENCODING" || name == "PAGETIMEOUT" || name == "REPORTFREQUENCY") {
        // cqlsh tuning knobs that have no meaning here; accepted so scripts run unchanged.
      } else {
        ThrowInvalid("Unrecognized COPY option: {}", name);
      }
      if (t.AtEnd()) break;
      if (t.Word() != "and") t.Fail("expected AND");
    }
  }
  return cmd;
}

bool RunCopy(client::Session& session, const CopyCommand& cmd, std::ostream& out) {
  if (!cmd.from) return CopyTo(session, cmd, out);
  std::string path = AsciiUpper(cmd.file) == "STDIN" ? "-" : cmd.file;
  auto stats = LoadCsv(session, path, cmd.load);
  out << LoadSummary(stats, path) << "\n";
  out << fmt::format("{} rows imported from 1 files in {} ({} skipped).\n",
                     FormatCount(static_cast<uint64_t>(stats.rows_loaded)),
                     FormatSeconds(stats.seconds),
                     FormatCount(static_cast<uint64_t>(stats.rows_rejected)));
  return stats.rows_rejected == 0;
}

}  // namespace helenus::shell
