// DESCRIBE: CQL text that recreates a schema.
#include "helenus/shell/describe.h"

#include <fmt/format.h>

namespace helenus::shell {
namespace {

std::string QuoteString(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

}  // namespace

std::string DescribeTable(const TableMeta& t) {
  auto pk = t.PartitionKey();
  auto ck = t.Clustering();
  bool inline_pk = pk.size() == 1 && ck.empty();
  std::string out =
      fmt::format("CREATE TABLE {}.{} (\n", QuoteIdent(t.keyspace), QuoteIdent(t.name));
  for (const auto& c : t.columns) {
    out += fmt::format("    {} {}", QuoteIdent(c.name), c.type_text);
    if (c.role == ColumnRole::kStatic) out += " static";
    if (inline_pk && c.role == ColumnRole::kPartitionKey) out += " PRIMARY KEY";
    out += ",\n";
  }
  if (inline_pk) {
    out.erase(out.size() - 2, 1);  // the last column's comma
  } else {
    std::string key = pk.size() == 1 ? QuoteIdent(pk[0]->name) : "(";
    if (pk.size() != 1) {
      for (size_t i = 0; i < pk.size(); ++i) key += (i ? ", " : "") + QuoteIdent(pk[i]->name);
      key += ")";
    }
    for (const auto* c : ck) key += ", " + QuoteIdent(c->name);
    out += "    PRIMARY KEY (" + key + ")\n";
  }
  out += ")";
  std::vector<std::string> with;
  if (!ck.empty()) {
    std::string order;
    for (size_t i = 0; i < ck.size(); ++i) {
      order += (i ? ", " : "") + QuoteIdent(ck[i]->name) + (ck[i]->desc ? " DESC" : " ASC");
    }
    with.push_back("CLUSTERING ORDER BY (" + order + ")");
  }
  for (const auto& [name, value] : t.options) with.push_back(name + " = " + value);
  for (size_t i = 0; i < with.size(); ++i) out += (i ? "\n    AND " : " WITH ") + with[i];
  return out + ";\n";
}

std::string DescribeKeyspace(const KeyspaceMeta& k) {
  std::string repl;
  for (const auto& [key, value] : k.replication) {
    repl += (repl.empty() ? "" : ", ") + QuoteString(key) + ": " + QuoteString(value);
  }
  std::string out =
      fmt::format("CREATE KEYSPACE {} WITH replication = {{{}}} AND durable_writes = {};\n",
                  QuoteIdent(k.name), repl, k.durable_writes ? "true" : "false");
  for (const auto& t : k.tables) out += "\n" + DescribeTable(t);
  return out;
}

std::string DescribeKeyspaceNames(const std::vector<KeyspaceMeta>& keyspaces) {
  std::string out;
  for (const auto& k : keyspaces) out += (out.empty() ? "" : "  ") + k.name;
  return out + "\n";
}

std::string DescribeTableNames(const std::vector<KeyspaceMeta>& keyspaces,
                               const std::string& current) {
  std::string out;
  for (const auto& k : keyspaces) {
    if (!current.empty() && k.name != current) continue;
    if (current.empty()) {
      out += "\nKeyspace " + k.name + "\n" + std::string(9 + k.name.size(), '-') + "\n";
    }
    std::string names;
    for (const auto& t : k.tables) names += (names.empty() ? "" : "  ") + QuoteIdent(t.name);
    out += names + "\n";
  }
  return out;
}

}  // namespace helenus::shell
