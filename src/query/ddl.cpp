// CREATE/ALTER/DROP KEYSPACE and TABLE, TRUNCATE, USE.
#include <algorithm>
#include <cctype>
#include <set>

#include "executor.h"
#include "helenus/common/error.h"

namespace helenus::query {
namespace {

namespace ast = cql::ast;
using storage::ColumnKind;
using storage::ColumnSchema;
using storage::KeyspaceSchema;
using storage::TableSchema;

const std::set<std::string, std::less<>> kSystemKeyspaces = {
    "system",        "system_schema",         "system_auth", "system_distributed",
    "system_traces", "system_virtual_schema", "system_views"};

void CheckUserKeyspace(const std::string& name) {
  if (kSystemKeyspaces.contains(name)) {
    throw CqlError(ErrorCode::kUnauthorized,
                   fmt::format("{} keyspace is not user-modifiable", name));
  }
}

void CheckName(const std::string& name, std::string_view what) {
  bool ok = !name.empty() && name.size() <= 48 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (!ok) {
    throw CqlError(ErrorCode::kInvalid,
                   fmt::format("{} name must not be empty, more than 48 characters long, or "
                               "contain non-alphanumeric-underscore characters (got \"{}\")",
                               what, name));
  }
}

std::map<std::string, std::string> NormalizeReplication(
    const std::map<std::string, std::string>& given) {
  auto it = given.find("class");
  if (it == given.end()) {
    throw CqlError(ErrorCode::kConfig, "Missing replication strategy class");
  }
  std::string cls = it->second;
  auto short_name = cls.substr(cls.rfind('.') == std::string::npos ? 0 : cls.rfind('.') + 1);
  std::map<std::string, std::string> out;
  if (short_name == "SimpleStrategy") {
    auto rf = given.find("replication_factor");
    if (rf == given.end()) {
      throw CqlError(ErrorCode::kConfig,
                     "SimpleStrategy requires a replication_factor strategy option.");
    }
    out["replication_factor"] = rf->second;
  } else if (short_name == "NetworkTopologyStrategy" || short_name == "LocalStrategy" ||
             short_name == "EverywhereStrategy") {
    for (const auto& [k, v] : given) {
      if (k != "class") out[k] = v;
    }
  } else {
    throw CqlError(ErrorCode::kConfig, fmt::format("Unable to find replication strategy class "
                                                   "'org.apache.cassandra.locator.{}'",
                                                   short_name));
  }
  for (const auto& [k, v] : out) {
    bool numeric = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (!numeric) {
      throw CqlError(ErrorCode::kConfig,
                     fmt::format("Replication factor must be numeric; found {}", v));
    }
  }
  out["class"] = "org.apache.cassandra.locator." + short_name;
  return out;
}

cql::SchemaChange Change(std::string type, std::string target, std::string ks, std::string name) {
  return cql::SchemaChange{std::move(type), std::move(target), std::move(ks), std::move(name), {}};
}

[[noreturn]] void KeyspaceMissing(const std::string& ks) {
  ThrowInvalid("Keyspace '{}' does not exist", ks);
}

cql::ResultMessage CreateKeyspace(Executor& ex, const ast::CreateKeyspace& s, ExecContext& ctx) {
  CheckUserKeyspace(s.name);
  CheckName(s.name, "Keyspace");
  if (ctx.schema->FindKeyspace(s.name)) {
    if (s.if_not_exists) return cql::VoidResult{};
    CqlError err(ErrorCode::kAlreadyExists, fmt::format("Keyspace '{}' already exists", s.name));
    err.keyspace = s.name;
    throw err;
  }
  KeyspaceSchema ks;
  ks.name = s.name;
  ks.replication = NormalizeReplication(s.replication);
  ks.durable_writes = s.durable_writes.value_or(true);
  if (auto st = ex.catalog()->PutKeyspace(ks); !st.ok()) {
    throw CqlError(ErrorCode::kServer, st.message());
  }
  return ex.SchemaChanged(Change("CREATED", "KEYSPACE", s.name, ""));
}

cql::ResultMessage AlterKeyspace(Executor& ex, const ast::AlterKeyspace& s, ExecContext& ctx) {
  CheckUserKeyspace(s.name);
  const auto* old = ctx.schema->FindKeyspace(s.name);
  if (!old) {
    if (s.if_exists) return cql::VoidResult{};
    KeyspaceMissing(s.name);
  }
  KeyspaceSchema ks;
  ks.name = s.name;
  ks.replication = s.replication.empty() ? old->replication : NormalizeReplication(s.replication);
  ks.durable_writes = s.durable_writes.value_or(old->durable_writes);
  if (auto st = ex.catalog()->PutKeyspace(ks); !st.ok()) {
    throw CqlError(ErrorCode::kServer, st.message());
  }
  return ex.SchemaChanged(Change("UPDATED", "KEYSPACE", s.name, ""));
}

cql::ResultMessage DropKeyspace(Executor& ex, const ast::DropKeyspace& s, ExecContext& ctx) {
  CheckUserKeyspace(s.name);
  if (!ctx.schema->FindKeyspace(s.name)) {
    if (s.if_exists) return cql::VoidResult{};
    ThrowInvalid("Keyspace '{}' doesn't exist", s.name);
  }
  if (auto st = ex.catalog()->DropKeyspace(s.name); !st.ok()) {
    throw CqlError(ErrorCode::kServer, st.message());
  }
  return ex.SchemaChanged(Change("DROPPED", "KEYSPACE", s.name, ""));
}

// Types a column may have: no unknown (user-defined) types, no unfrozen
// collections inside collections or tuples.
void CheckColumnType(const DataType& type, const std::string& ks, bool nested = false) {
  if (type.kind == TypeKind::kTuple) {
    // Tuple elements are frozen implicitly (see FreezeTupleElements).
    for (const auto& p : type.params) {
      if (p.kind == TypeKind::kUdt) CheckColumnType(p, ks, true);
    }
    return;
  }
  if (type.kind == TypeKind::kUdt) {
    std::string name = type.custom_class.find('.') == std::string::npos
                           ? ks + "." + type.custom_class
                           : type.custom_class;
    ThrowInvalid("Unknown type {}", name);
  }
  if (type.kind == TypeKind::kCounter && nested) {
    ThrowInvalid("Counters are not allowed inside collections: {}", type.ToCql());
  }
  if (nested && type.IsMultiCell()) {
    ThrowInvalid("Non-frozen collections are not allowed inside collections: {}", type.ToCql());
  }
  for (const auto& p : type.params) CheckColumnType(p, ks, true);
}

// Cassandra freezes everything inside a tuple.
DataType FreezeTupleElements(DataType t) {
  for (auto& p : t.params) p = FreezeTupleElements(std::move(p));
  if (t.kind == TypeKind::kTuple) {
    for (auto& p : t.params) {
      if (p.IsCollection() || p.kind == TypeKind::kTuple) p.frozen = true;
    }
  }
  return t;
}

void CheckKeyType(const ColumnSchema& c) {
  if (c.type.IsMultiCell()) {
    ThrowInvalid("Invalid non-frozen collection type {} for PRIMARY KEY component {}",
                 c.type.ToCql(), c.name);
  }
  if (c.type.kind == TypeKind::kCounter) {
    ThrowInvalid("counter type is not supported for PRIMARY KEY column '{}'", c.name);
  }
  if (c.type.kind == TypeKind::kDuration) {
    ThrowInvalid("duration type is not supported for PRIMARY KEY column '{}'", c.name);
  }
}

void ApplyTableOptions(const std::map<std::string, std::string>& options,
                       const std::map<std::string, std::map<std::string, std::string>>& maps,
                       TableSchema* t) {
  static const std::set<std::string, std::less<>> kKnown = {"comment",
                                                            "default_time_to_live",
                                                            "gc_grace_seconds",
                                                            "bloom_filter_fp_chance",
                                                            "caching",
                                                            "compaction",
                                                            "compression",
                                                            "crc_check_chance",
                                                            "dclocal_read_repair_chance",
                                                            "read_repair_chance",
                                                            "memtable_flush_period_in_ms",
                                                            "min_index_interval",
                                                            "max_index_interval",
                                                            "speculative_retry",
                                                            "additional_write_policy",
                                                            "cdc",
                                                            "extensions",
                                                            "read_repair",
                                                            "id"};
  for (const auto& [k, v] : options) {
    if (!kKnown.contains(k)) {
      throw CqlError(ErrorCode::kSyntax, fmt::format("Unknown property '{}'", k));
    }
    if (k == "default_time_to_live") {
      bool numeric = !v.empty() && std::all_of(v.begin(), v.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      });
      if (!numeric) {
        throw CqlError(ErrorCode::kSyntax,
                       fmt::format("Invalid value for property 'default_time_to_live': {}", v));
      }
    }
    t->options[k] = v;
  }
  for (const auto& [k, _] : maps) {
    if (!kKnown.contains(k)) {
      throw CqlError(ErrorCode::kSyntax, fmt::format("Unknown property '{}'", k));
    }
  }
}

cql::ResultMessage CreateTable(Executor& ex, const ast::CreateTable& s, ExecContext& ctx) {
  std::string ks_name = ResolveKeyspace(s.table, *ctx.state);
  CheckUserKeyspace(ks_name);
  const auto* ks = ctx.schema->FindKeyspace(ks_name);
  if (!ks) KeyspaceMissing(ks_name);
  CheckName(s.table.name, "Table");
  if (ks->tables.contains(s.table.name)) {
    if (s.if_not_exists) return cql::VoidResult{};
    CqlError err(ErrorCode::kAlreadyExists,
                 fmt::format("Table '{}.{}' already exists", ks_name, s.table.name));
    err.keyspace = ks_name;
    err.table = s.table.name;
    throw err;
  }
  if (s.compact_storage) ThrowInvalid("COMPACT STORAGE tables are not supported");
  if (s.partition_key.empty()) {
    ThrowInvalid("No PRIMARY KEY specifed for table '{}' (exactly one required)", s.table.name);
  }
  TableSchema t;
  t.keyspace = ks_name;
  t.name = s.table.name;
  std::set<std::string> seen;
  for (const auto& def : s.columns) CheckColumnType(def.type, ks_name);
  for (const auto& def : s.columns) {
    if (!seen.insert(def.name).second) {
      ThrowInvalid("Duplicate column '{}' declaration for table {}.{}", def.name, ks_name, t.name);
    }
    ColumnSchema c{def.name,
                   FreezeTupleElements(def.type),
                   def.is_static ? ColumnKind::kStatic : ColumnKind::kRegular,
                   -1,
                   false,
                   0};
    t.columns.push_back(std::move(c));
  }
  auto find = [&](const std::string& n) -> ColumnSchema* {
    for (auto& c : t.columns) {
      if (c.name == n) return &c;
    }
    ThrowInvalid("Unknown definition {} referenced in PRIMARY KEY", n);
  };
  int pos = 0;
  for (const auto& n : s.partition_key) {
    auto* c = find(n);
    if (c->kind != ColumnKind::kRegular && c->kind != ColumnKind::kStatic) {
      ThrowInvalid("Column {} appears twice in PRIMARY KEY", n);
    }
    if (c->kind == ColumnKind::kStatic)
      ThrowInvalid("Static column {} cannot be part of the PRIMARY KEY", n);
    c->kind = ColumnKind::kPartitionKey;
    c->position = pos++;
    CheckKeyType(*c);
  }
  pos = 0;
  for (const auto& n : s.clustering) {
    auto* c = find(n);
    if (c->kind != ColumnKind::kRegular) {
      if (c->kind == ColumnKind::kStatic) {
        ThrowInvalid("Static column {} cannot be part of the PRIMARY KEY", n);
      }
      ThrowInvalid("Column {} appears twice in PRIMARY KEY", n);
    }
    c->kind = ColumnKind::kClustering;
    c->position = pos++;
    CheckKeyType(*c);
  }
  if (!s.clustering_order.empty()) {
    for (size_t i = 0; i < s.clustering_order.size(); ++i) {
      const auto& [n, desc] = s.clustering_order[i];
      auto* c = find(n);
      if (c->kind != ColumnKind::kClustering) {
        ThrowInvalid("Only clustering key columns can be defined in CLUSTERING ORDER directive");
      }
      if (i >= s.clustering.size() || s.clustering[i] != n) {
        ThrowInvalid(
            "The order of columns in the CLUSTERING ORDER directive must be the one of "
            "the clustering key ({} must appear before {})",
            i < s.clustering.size() ? s.clustering[i] : n, n);
      }
      c->desc = desc;
    }
  }
  bool has_counter = false, has_non_counter = false;
  for (auto& c : t.columns) {
    if (c.kind == ColumnKind::kStatic && s.clustering.empty()) {
      ThrowInvalid(
          "Static columns are only useful (and thus allowed) if the table has at least "
          "one clustering column");
    }
    if (c.kind == ColumnKind::kRegular || c.kind == ColumnKind::kStatic) {
      c.id = t.next_column_id++;
      (c.type.kind == TypeKind::kCounter ? has_counter : has_non_counter) = true;
    }
  }
  if (has_counter && has_non_counter) {
    ThrowInvalid("Cannot mix counter and non counter columns in the same table");
  }
  ApplyTableOptions(s.options, s.map_options, &t);
  if (auto st = ex.catalog()->PutTable(std::move(t)); !st.ok()) {
    throw CqlError(ErrorCode::kServer, st.message());
  }
  return ex.SchemaChanged(Change("CREATED", "TABLE", ks_name, s.table.name));
}

cql::ResultMessage AlterTable(Executor& ex, const ast::AlterTable& s, ExecContext& ctx) {
  std::string ks_name = ResolveKeyspace(s.table, *ctx.state);
  CheckUserKeyspace(ks_name);
  if (!ctx.schema->FindKeyspace(ks_name)) KeyspaceMissing(ks_name);
  auto existing = ctx.schema->FindTable(ks_name, s.table.name);
  if (!existing) {
    if (s.if_exists) return cql::VoidResult{};
    ThrowInvalid("Table '{}.{}' doesn't exist", ks_name, s.table.name);
  }
  TableSchema t = *existing;
  bool has_clustering = !t.Clustering().empty();
  std::visit(
      [&](const auto& action) {
        using A = std::decay_t<decltype(action)>;
        if constexpr (std::is_same_v<A, ast::AlterTable::Add>) {
          for (const auto& def : action.columns) {
            CheckColumnType(def.type, ks_name);
            if (t.Find(def.name)) {
              if (action.if_not_exists) continue;
              ThrowInvalid("Column with name '{}' already exists", def.name);
            }
            if (def.is_static && !has_clustering) {
              ThrowInvalid(
                  "Static columns are only useful (and thus allowed) if the table has at "
                  "least one clustering column");
            }
            t.columns.push_back(
                ColumnSchema{def.name, FreezeTupleElements(def.type),
                             def.is_static ? ColumnKind::kStatic : ColumnKind::kRegular, -1, false,
                             t.next_column_id++});
          }
        } else if constexpr (std::is_same_v<A, ast::AlterTable::Drop>) {
          for (const auto& n : action.columns) {
            const auto* c = t.Find(n);
            if (!c) {
              if (action.if_exists) continue;
              ThrowInvalid("Column {} was not found in table {}", n, t.name);
            }
            if (c->kind == ColumnKind::kPartitionKey || c->kind == ColumnKind::kClustering) {
              ThrowInvalid("Cannot drop PRIMARY KEY column {}", n);
            }
            std::erase_if(t.columns, [&](const ColumnSchema& x) { return x.name == n; });
          }
        } else if constexpr (std::is_same_v<A, ast::AlterTable::Rename>) {
          for (const auto& [from, to] : action.renames) {
            auto* c = const_cast<ColumnSchema*>(t.Find(from));
            if (!c) ThrowInvalid("Column {} was not found in table {}", from, t.name);
            if (c->kind != ColumnKind::kPartitionKey && c->kind != ColumnKind::kClustering) {
              ThrowInvalid("Cannot rename non PRIMARY KEY column {}", from);
            }
            if (t.Find(to)) {
              ThrowInvalid(
                  "Cannot rename column {} to {} in table '{}'; another column with that "
                  "name already exists",
                  from, to, t.name);
            }
            c->name = to;
          }
        } else if constexpr (std::is_same_v<A, ast::AlterTable::AlterType>) {
          ThrowInvalid("Altering column types is no longer supported");
        } else {
          ApplyTableOptions(action.options, action.map_options, &t);
        }
      },
      s.action);
  if (auto st = ex.catalog()->PutTable(std::move(t)); !st.ok()) {
    throw CqlError(ErrorCode::kServer, st.message());
  }
  return ex.SchemaChanged(Change("UPDATED", "TABLE", ks_name, s.table.name));
}

cql::ResultMessage DropTable(Executor& ex, const ast::DropTable& s, ExecContext& ctx) {
  std::string ks_name = ResolveKeyspace(s.table, *ctx.state);
  CheckUserKeyspace(ks_name);
  if (!ctx.schema->FindKeyspace(ks_name)) {
    if (s.if_exists) return cql::VoidResult{};
    KeyspaceMissing(ks_name);
  }
  if (!ctx.schema->FindTable(ks_name, s.table.name)) {
    if (s.if_exists) return cql::VoidResult{};
    ThrowInvalid("Table '{}.{}' doesn't exist", ks_name, s.table.name);
  }
  if (auto st = ex.catalog()->DropTable(ks_name, s.table.name); !st.ok()) {
    throw CqlError(ErrorCode::kServer, st.message());
  }
  return ex.SchemaChanged(Change("DROPPED", "TABLE", ks_name, s.table.name));
}

cql::ResultMessage Truncate(Executor& ex, const ast::TruncateTable& s, ExecContext& ctx) {
  auto table = RequireTable(ctx, s.table);
  CheckUserKeyspace(table->keyspace);
  if (auto st = ex.catalog()->Truncate(*table); !st.ok()) {
    throw CqlError(ErrorCode::kTruncate, st.message());
  }
  return cql::VoidResult{};
}

cql::ResultMessage Use(const ast::UseStatement& s, ExecContext& ctx) {
  bool system = kSystemKeyspaces.contains(s.keyspace);
  if (!system && !ctx.schema->FindKeyspace(s.keyspace)) KeyspaceMissing(s.keyspace);
  ctx.state->keyspace = s.keyspace;
  return cql::SetKeyspaceResult{s.keyspace};
}

}  // namespace

cql::ResultMessage RunDdl(Executor& ex, const ast::Statement& stmt, ExecContext& ctx) {
  return std::visit(
      [&](const auto& s) -> cql::ResultMessage {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, ast::CreateKeyspace>) {
          return CreateKeyspace(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::AlterKeyspace>) {
          return AlterKeyspace(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::DropKeyspace>) {
          return DropKeyspace(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::CreateTable>) {
          return CreateTable(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::AlterTable>) {
          return AlterTable(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::DropTable>) {
          return DropTable(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::TruncateTable>) {
          return Truncate(ex, s, ctx);
        } else if constexpr (std::is_same_v<S, ast::UseStatement>) {
          return Use(s, ctx);
        } else if constexpr (std::is_same_v<S, ast::CreateIndex> ||
                             std::is_same_v<S, ast::DropIndex>) {
          ThrowInvalid(
              "Secondary indexes are not supported by Helenus: filter with ALLOW "
              "FILTERING, which runs on the analytics engine");
        } else if constexpr (std::is_same_v<S, ast::CreateType> ||
                             std::is_same_v<S, ast::DropType>) {
          ThrowInvalid("User-defined types are not supported yet: use a tuple or frozen map");
        } else if constexpr (std::is_same_v<S, ast::UnsupportedStatement>) {
          ThrowInvalid("{} is not supported by Helenus", s.kind);
        } else {
          ThrowInvalid("not a DDL statement");
        }
      },
      stmt);
}

}  // namespace helenus::query
