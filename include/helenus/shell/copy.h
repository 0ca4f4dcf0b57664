#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/shell/loader.h"

namespace helenus::client {
class Session;
}

namespace helenus::shell {

// A parsed COPY statement.
struct CopyCommand {
  std::string keyspace;  // "" = the session's keyspace
  std::string table;
  std::vector<std::string> columns;
  bool from = true;      // FROM (load) or TO (unload)
  std::string file;      // "STDIN"/"STDOUT" or a path
  LoadOptions load;      // FROM options; csv/header/columns are used by TO too
  int page_size = 1000;  // PAGESIZE for TO
};

// True when a statement is a COPY (case-insensitive first word).
bool IsCopyStatement(std::string_view statement);

// Parses "COPY ks.t [(a, b)] FROM|TO 'file' [WITH opt = value [AND ...]]" with cqlsh's
// option names; throws CqlError(kSyntax/kInvalid) naming the problem.
CopyCommand ParseCopy(std::string_view statement);

// Runs a COPY, printing cqlsh-like summaries on out; returns false when rows were rejected.
bool RunCopy(client::Session& session, const CopyCommand& command, std::ostream& out);

}  // namespace helenus::shell
