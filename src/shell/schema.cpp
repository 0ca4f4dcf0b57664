// Reading table and keyspace metadata from system_schema.
#include "helenus/shell/schema.h"

#include <algorithm>

#include "helenus/client/client.h"
#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::shell {
namespace {

ColumnRole RoleOf(const std::string& kind) {
  if (kind == "partition_key") return ColumnRole::kPartitionKey;
  if (kind == "clustering") return ColumnRole::kClustering;
  if (kind == "static") return ColumnRole::kStatic;
  return ColumnRole::kRegular;
}

std::string Str(const client::Row& row, const char* name) {
  return row.IsNull(name) ? std::string() : row.GetString(name);
}

// Fills keyspaces (all, or only `only` when set) from the three schema tables.
std::vector<KeyspaceMeta> Fetch(client::Session& session, const std::string* only) {
  std::map<std::string, KeyspaceMeta> keyspaces;
  // The schema tables are small, so read them whole and filter here: that
  // works whatever WHERE support the server's virtual tables have.
  for (const auto& row : session.Execute("SELECT keyspace_name, durable_writes, replication FROM "
                                         "system_schema.keyspaces")) {
    KeyspaceMeta k;
    k.name = Str(row, "keyspace_name");
    if (only && k.name != *only) continue;
    k.durable_writes = row.IsNull("durable_writes") || row.GetBool("durable_writes");
    const Value& repl = row.Get("replication");
    if (repl) {
      for (const auto& [key, value] : cql::DecodeMap(*repl)) k.replication[key] = value;
    }
    keyspaces[k.name] = std::move(k);
  }
  std::map<std::pair<std::string, std::string>, TableMeta> tables;
  for (const auto& row : session.Execute("SELECT * FROM system_schema.tables")) {
    std::string ks = Str(row, "keyspace_name");
    if (!keyspaces.count(ks)) continue;
    TableMeta t;
    t.keyspace = ks;
    t.name = Str(row, "table_name");
    auto opt_int = [&](const char* name, int64_t dflt) {
      try {
        if (!row.IsNull(name) && row.GetInt64(name) != dflt) {
          t.options[name] = std::to_string(row.GetInt64(name));
        }
      } catch (const client::ClientError&) {
        // The server does not have this column; nothing to describe.
      }
    };
    opt_int("default_time_to_live", 0);
    opt_int("gc_grace_seconds", 864000);
    try {
      std::string comment = Str(row, "comment");
      if (!comment.empty()) {
        std::string quoted = "'";
        for (char c : comment) quoted += c == '\'' ? std::string("''") : std::string(1, c);
        t.options["comment"] = quoted + "'";
      }
    } catch (const client::ClientError&) {
    }
    tables[{ks, t.name}] = std::move(t);
  }
  for (const auto& row : session.Execute("SELECT * FROM system_schema.columns")) {
    auto it = tables.find({Str(row, "keyspace_name"), Str(row, "table_name")});
    if (it == tables.end()) continue;
    ColumnMeta c;
    c.name = Str(row, "column_name");
    c.type_text = Str(row, "type");
    auto type = ParseDataType(c.type_text);
    if (!type) ThrowInvalid("column {} has an unknown type '{}'", c.name, c.type_text);
    c.type = *type;
    c.role = RoleOf(Str(row, "kind"));
    c.position = row.IsNull("position") ? -1 : row.GetInt32("position");
    c.desc = Str(row, "clustering_order") == "desc";
    it->second.columns.push_back(std::move(c));
  }
  for (auto& [key, t] : tables) {
    SortColumns(&t);
    keyspaces[key.first].tables.push_back(std::move(t));
  }
  std::vector<KeyspaceMeta> out;
  for (auto& [name, k] : keyspaces) out.push_back(std::move(k));
  return out;
}

}  // namespace

const ColumnMeta* TableMeta::Find(const std::string& n) const {
  for (const auto& c : columns) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

std::vector<const ColumnMeta*> TableMeta::PartitionKey() const {
  std::vector<const ColumnMeta*> out;
  for (const auto& c : columns) {
    if (c.role == ColumnRole::kPartitionKey) out.push_back(&c);
  }
  return out;
}

std::vector<const ColumnMeta*> TableMeta::Clustering() const {
  std::vector<const ColumnMeta*> out;
  for (const auto& c : columns) {
    if (c.role == ColumnRole::kClustering) out.push_back(&c);
  }
  return out;
}

void SortColumns(TableMeta* table) {
  auto rank = [](const ColumnMeta& c) {
    switch (c.role) {
      case ColumnRole::kPartitionKey:
        return 0;
      case ColumnRole::kClustering:
        return 1;
      default:
        return 2;
    }
  };
  std::stable_sort(table->columns.begin(), table->columns.end(),
                   [&](const ColumnMeta& a, const ColumnMeta& b) {
                     if (rank(a) != rank(b)) return rank(a) < rank(b);
                     if (rank(a) < 2) return a.position < b.position;
                     return a.name < b.name;
                   });
}

std::vector<KeyspaceMeta> FetchSchema(client::Session& session) {
  return Fetch(session, nullptr);
}

std::optional<KeyspaceMeta> FetchKeyspace(client::Session& session, const std::string& keyspace) {
  auto all = Fetch(session, &keyspace);
  if (all.empty()) return std::nullopt;
  return std::move(all[0]);
}

std::optional<TableMeta> FetchTable(client::Session& session, const std::string& keyspace,
                                    const std::string& table) {
  auto ks = FetchKeyspace(session, keyspace);
  if (!ks) return std::nullopt;
  for (auto& t : ks->tables) {
    if (t.name == table) return std::move(t);
  }
  return std::nullopt;
}

bool IsSystemKeyspace(const std::string& name) {
  return name == "system" || name == "system_schema" || name == "system_auth" ||
         name == "system_distributed" || name == "system_traces" || name == "system_views" ||
         name == "system_virtual_schema";
}

std::string QuoteIdent(const std::string& name) {
  bool plain = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) plain = false;
  }
  if (plain) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace helenus::shell
