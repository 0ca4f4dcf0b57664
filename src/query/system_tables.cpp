// The tables drivers read at connect and after DDL, computed from the
// catalog on each read.
#include "system_tables.h"

#include <arpa/inet.h>
#include <algorithm>
#include <functional>

#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/jobs.h"

namespace helenus::query {
namespace {

using storage::ColumnKind;
using storage::ColumnSchema;
using storage::TableSchema;

constexpr std::string_view kReleaseVersion = "4.0.11";
constexpr std::string_view kCqlVersion = "3.4.5";

struct ColumnDecl {
  const char* name;
  const char* type;
  ColumnKind kind = ColumnKind::kRegular;
};
constexpr auto kPk = ColumnKind::kPartitionKey;
constexpr auto kCk = ColumnKind::kClustering;

std::shared_ptr<TableSchema> MakeSchema(std::string_view ks, std::string_view name,
                                        std::initializer_list<ColumnDecl> decls) {
  auto t = std::make_shared<TableSchema>();
  t->keyspace = ks;
  t->name = name;
  int pk = 0, ck = 0;
  for (const auto& d : decls) {
    ColumnSchema c;
    c.name = d.name;
    c.type = *ParseDataType(d.type);
    c.kind = d.kind;
    if (d.kind == kPk) c.position = pk++;
    if (d.kind == kCk) c.position = ck++;
    if (d.kind == ColumnKind::kRegular) c.id = t->next_column_id++;
    t->columns.push_back(std::move(c));
  }
  t->uuid = Bytes(16, '\0');
  t->RebuildLayout();
  return t;
}

// Builds RowReads for a virtual table from rows given as name -> value.
class RowBuilder {
 public:
  explicit RowBuilder(std::shared_ptr<TableSchema> t) : t_(std::move(t)) {}

  void Add(const std::map<std::string, Value>& values) {
    storage::RowRead row;
    std::vector<std::string_view> pk;
    for (const auto* c : t_->PartitionKey()) {
      const auto& v = values.at(c->name);
      pk.push_back(*v);
    }
    row.partition_key = pk.size() == 1 ? Bytes(pk[0]) : CompositePartitionKey(pk);
    row.token = Murmur3Token(row.partition_key);
    for (const auto* c : t_->Clustering()) row.clustering.push_back(*values.at(c->name));
    row.regular.resize(t_->next_column_id);
    for (const auto& c : t_->columns) {
      if (c.kind != ColumnKind::kRegular) continue;
      auto it = values.find(c.name);
      if (it != values.end() && it->second) {
        row.regular[c.id] = storage::CellRead{it->second, 0, 0, 0};
      }
    }
    rows_.push_back(std::move(row));
  }

  VirtualTable Finish() {
    std::sort(rows_.begin(), rows_.end(), [](const auto& a, const auto& b) {
      return std::tie(a.partition_key, a.clustering) < std::tie(b.partition_key, b.clustering);
    });
    return VirtualTable{t_, std::move(rows_)};
  }

 private:
  std::shared_ptr<TableSchema> t_;
  std::vector<storage::RowRead> rows_;
};

Bytes Text(std::string_view s) {
  return Bytes(s);
}
Bytes TextSet(const std::vector<std::string>& v) {
  std::vector<Bytes> sorted(v.begin(), v.end());
  std::sort(sorted.begin(), sorted.end());
  return cql::EncodeCollection(sorted);
}
Bytes TextMap(const std::map<std::string, std::string>& m) {
  std::vector<std::pair<Bytes, Bytes>> entries(m.begin(), m.end());
  return cql::EncodeMap(entries);
}
Bytes Inet(const std::string& address) {
  try {
    return cql::ParseInet(address);
  } catch (...) {
    return cql::ParseInet("127.0.0.1");
  }
}

// A stable host id derived from the node's address, so restarts keep it.
Bytes HostId(const NodeInfo& node) {
  Bytes id(16, '\0');
  uint64_t h1 = static_cast<uint64_t>(Murmur3Hash64(node.cluster_name + node.listen_address));
  uint64_t h2 = static_cast<uint64_t>(Murmur3Hash64(node.listen_address + node.data_center));
  for (int i = 0; i < 8; ++i) {
    id[i] = static_cast<char>(h1 >> (56 - 8 * i));
    id[8 + i] = static_cast<char>(h2 >> (56 - 8 * i));
  }
  id[6] = static_cast<char>((id[6] & 0x0F) | 0x40);
  id[8] = static_cast<char>((id[8] & 0x3F) | 0x80);
  return id;
}

const std::vector<std::string> kSystemKeyspaceNames = {"system", "system_schema", "system_auth",
                                                       "system_distributed", "system_traces"};

VirtualTable Local(const storage::SchemaSnapshot& schema, const NodeInfo& node) {
  RowBuilder b(MakeSchema("system", "local",
                          {{"key", "text", kPk},          {"bootstrapped", "text"},
                           {"broadcast_address", "inet"}, {"broadcast_port", "int"},
                           {"cluster_name", "text"},      {"cql_version", "text"},
                           {"data_center", "text"},       {"gossip_generation", "int"},
                           {"host_id", "uuid"},           {"listen_address", "inet"},
                           {"listen_port", "int"},        {"native_protocol_version", "text"},
                           {"partitioner", "text"},       {"rack", "text"},
                           {"release_version", "text"},   {"rpc_address", "inet"},
                           {"rpc_port", "int"},           {"schema_version", "uuid"},
                           {"tokens", "set<text>"},       {"truncated_at", "map<uuid, blob>"}}));
  Bytes address = Inet(node.listen_address);
  b.Add({{"key", Text("local")},
         {"bootstrapped", Text("COMPLETED")},
         {"broadcast_address", address},
         {"broadcast_port", cql::EncodeInt(7000)},
         {"cluster_name", Text(node.cluster_name)},
         {"cql_version", Text(kCqlVersion)},
         {"data_center", Text(node.data_center)},
         {"gossip_generation", cql::EncodeInt(1)},
         {"host_id", HostId(node)},
         {"listen_address", address},
         {"listen_port", cql::EncodeInt(7000)},
         {"native_protocol_version", Text("4")},
         {"partitioner", Text("org.apache.cassandra.dht.Murmur3Partitioner")},
         {"rack", Text(node.rack)},
         {"release_version", Text(kReleaseVersion)},
         {"rpc_address", address},
         {"rpc_port", cql::EncodeInt(node.port)},
         {"schema_version", schema.version},
         // One node owns the whole ring; its single token ends the ring.
         {"tokens", TextSet({"-9223372036854775808"})}});
  return b.Finish();
}

VirtualTable Peers() {
  RowBuilder b(MakeSchema("system", "peers",
                          {{"peer", "inet", kPk},
                           {"data_center", "text"},
                           {"host_id", "uuid"},
                           {"preferred_ip", "inet"},
                           {"rack", "text"},
                           {"release_version", "text"},
                           {"rpc_address", "inet"},
                           {"schema_version", "uuid"},
                           {"tokens", "set<text>"}}));
  return b.Finish();
}

VirtualTable PeersV2() {
  RowBuilder b(MakeSchema("system", "peers_v2",
                          {{"peer", "inet", kPk},
                           {"peer_port", "int", kCk},
                           {"data_center", "text"},
                           {"host_id", "uuid"},
                           {"native_address", "inet"},
                           {"native_port", "int"},
                           {"preferred_ip", "inet"},
                           {"preferred_port", "int"},
                           {"rack", "text"},
                           {"release_version", "text"},
                           {"schema_version", "uuid"},
                           {"tokens", "set<text>"}}));
  return b.Finish();
}

VirtualTable Keyspaces(const storage::SchemaSnapshot& schema) {
  RowBuilder b(MakeSchema("system_schema", "keyspaces",
                          {{"keyspace_name", "text", kPk},
                           {"durable_writes", "boolean"},
                           {"replication", "frozen<map<text, text>>"}}));
  for (const auto& name : kSystemKeyspaceNames) {
    b.Add({{"keyspace_name", Text(name)},
           {"durable_writes", cql::EncodeBoolean(true)},
           {"replication", TextMap({{"class", "org.apache.cassandra.locator.LocalStrategy"}})}});
  }
  for (const auto& [name, ks] : schema.keyspaces) {
    b.Add({{"keyspace_name", Text(name)},
           {"durable_writes", cql::EncodeBoolean(ks->durable_writes)},
           {"replication", TextMap(ks->replication)}});
  }
  return b.Finish();
}

std::string OptionOr(const TableSchema& t, const std::string& key, std::string fallback) {
  auto it = t.options.find(key);
  return it == t.options.end() ? fallback : it->second;
}

VirtualTable Tables(const storage::SchemaSnapshot& schema) {
  RowBuilder b(MakeSchema("system_schema", "tables",
                          {{"keyspace_name", "text", kPk},
                           {"table_name", "text", kCk},
                           {"additional_write_policy", "text"},
                           {"bloom_filter_fp_chance", "double"},
                           {"caching", "frozen<map<text, text>>"},
                           {"cdc", "boolean"},
                           {"comment", "text"},
                           {"compaction", "frozen<map<text, text>>"},
                           {"compression", "frozen<map<text, text>>"},
                           {"crc_check_chance", "double"},
                           {"dclocal_read_repair_chance", "double"},
                           {"default_time_to_live", "int"},
                           {"extensions", "frozen<map<text, blob>>"},
                           {"flags", "frozen<set<text>>"},
                           {"gc_grace_seconds", "int"},
                           {"id", "uuid"},
                           {"max_index_interval", "int"},
                           {"memtable_flush_period_in_ms", "int"},
                           {"min_index_interval", "int"},
                           {"read_repair", "text"},
                           {"read_repair_chance", "double"},
                           {"speculative_retry", "text"}}));
  for (const auto& [ks_name, ks] : schema.keyspaces) {
    for (const auto& [name, t] : ks->tables) {
      b.Add(
          {{"keyspace_name", Text(ks_name)},
           {"table_name", Text(name)},
           {"additional_write_policy", Text("99p")},
           {"bloom_filter_fp_chance", cql::EncodeDouble(0.01)},
           {"caching", TextMap({{"keys", "ALL"}, {"rows_per_partition", "NONE"}})},
           {"cdc", cql::EncodeBoolean(false)},
           {"comment", Text(OptionOr(*t, "comment", ""))},
           {"compaction",
            TextMap({{"class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"},
                     {"max_threshold", "32"},
                     {"min_threshold", "4"}})},
           {"compression", TextMap({{"chunk_length_in_kb", "16"},
                                    {"class", "org.apache.cassandra.io.compress.LZ4Compressor"}})},
           {"crc_check_chance", cql::EncodeDouble(1.0)},
           {"dclocal_read_repair_chance", cql::EncodeDouble(0.0)},
           {"default_time_to_live", cql::EncodeInt(t->DefaultTtl())},
           {"extensions", cql::EncodeMap({})},
           // Without 'compound' drivers take the table for COMPACT STORAGE.
           {"flags", TextSet({"compound"})},
           {"gc_grace_seconds",
            cql::EncodeInt(std::stoi(OptionOr(*t, "gc_grace_seconds", "864000")))},
           {"id", t->uuid},
           {"max_index_interval", cql::EncodeInt(2048)},
           {"memtable_flush_period_in_ms", cql::EncodeInt(0)},
           {"min_index_interval", cql::EncodeInt(128)},
           {"read_repair", Text("BLOCKING")},
           {"read_repair_chance", cql::EncodeDouble(0.0)},
           {"speculative_retry", Text("99p")}});
    }
  }
  return b.Finish();
}

std::string_view KindText(ColumnKind k) {
  switch (k) {
    case ColumnKind::kPartitionKey:
      return "partition_key";
    case ColumnKind::kClustering:
      return "clustering";
    case ColumnKind::kStatic:
      return "static";
    default:
      return "regular";
  }
}

VirtualTable Columns(std::string_view ks_name, const storage::SchemaSnapshot& schema) {
  RowBuilder b(MakeSchema(ks_name, "columns",
                          {{"keyspace_name", "text", kPk},
                           {"table_name", "text", kCk},
                           {"column_name", "text", kCk},
                           {"clustering_order", "text"},
                           {"column_name_bytes", "blob"},
                           {"kind", "text"},
                           {"position", "int"},
                           {"type", "text"}}));
  if (ks_name != "system_schema") return b.Finish();
  for (const auto& [ks, k] : schema.keyspaces) {
    for (const auto& [name, t] : k->tables) {
      for (const auto& c : t->columns) {
        std::string order = c.kind != ColumnKind::kClustering ? "none" : c.desc ? "desc" : "asc";
        b.Add({{"keyspace_name", Text(ks)},
               {"table_name", Text(name)},
               {"column_name", Text(c.name)},
               {"clustering_order", Text(order)},
               {"column_name_bytes", Bytes(c.name)},
               {"kind", Text(KindText(c.kind))},
               {"position", cql::EncodeInt(c.position)},
               {"type", Text(c.type.ToCql())}});
      }
    }
  }
  return b.Finish();
}

using Builder = std::function<VirtualTable(const storage::SchemaSnapshot&, const NodeInfo&)>;

// Tables that exist so drivers can read them, always empty here.
VirtualTable Empty(std::string_view ks, std::string_view name,
                   std::initializer_list<ColumnDecl> decls) {
  return RowBuilder(MakeSchema(ks, name, decls)).Finish();
}

// Statements and jobs running on the analytics engine right now, with progress.
VirtualTable Queries() {
  RowBuilder rows(MakeSchema("system_views", "queries",
                             {{"id", "bigint", kPk},
                              {"kind", "text"},
                              {"statement", "text"},
                              {"started_at", "timestamp"},
                              {"elapsed_ms", "bigint"},
                              {"rows_scanned", "bigint"},
                              {"splits_done", "bigint"},
                              {"splits_total", "bigint"},
                              {"bytes_spilled", "bigint"}}));
  for (const auto& job : exec::JobRegistry::Default().List()) {
    rows.Add({{"id", cql::EncodeBigint(static_cast<int64_t>(job.id))},
              {"kind", Text(job.kind)},
              {"statement", Text(job.statement)},
              {"started_at", cql::EncodeBigint(job.started_at_ms)},
              {"elapsed_ms", cql::EncodeBigint(job.elapsed_ms)},
              {"rows_scanned", cql::EncodeBigint(static_cast<int64_t>(job.rows_scanned))},
              {"splits_done", cql::EncodeBigint(static_cast<int64_t>(job.splits_done))},
              {"splits_total", cql::EncodeBigint(static_cast<int64_t>(job.splits_total))},
              {"bytes_spilled", cql::EncodeBigint(static_cast<int64_t>(job.bytes_spilled))}});
  }
  return rows.Finish();
}

const std::map<std::pair<std::string, std::string>, Builder>& Registry() {
  static const auto* registry = new std::map<std::pair<std::string, std::string>, Builder>{
      {{"system", "local"}, [](const auto& s, const auto& n) { return Local(s, n); }},
      {{"system", "peers"}, [](const auto&, const auto&) { return Peers(); }},
      {{"system_views", "queries"}, [](const auto&, const auto&) { return Queries(); }},
      {{"system", "peers_v2"}, [](const auto&, const auto&) { return PeersV2(); }},
      {{"system_schema", "keyspaces"}, [](const auto& s, const auto&) { return Keyspaces(s); }},
      {{"system_schema", "tables"}, [](const auto& s, const auto&) { return Tables(s); }},
      {{"system_schema", "columns"},
       [](const auto& s, const auto&) { return Columns("system_schema", s); }},
      {{"system_schema", "types"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "types",
                      {{"keyspace_name", "text", kPk},
                       {"type_name", "text", kCk},
                       {"field_names", "frozen<list<text>>"},
                       {"field_types", "frozen<list<text>>"}});
       }},
      {{"system_schema", "functions"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "functions",
                      {{"keyspace_name", "text", kPk},
                       {"function_name", "text", kCk},
                       {"argument_types", "frozen<list<text>>", kCk},
                       {"argument_names", "frozen<list<text>>"},
                       {"body", "text"},
                       {"called_on_null_input", "boolean"},
                       {"language", "text"},
                       {"return_type", "text"}});
       }},
      {{"system_schema", "aggregates"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "aggregates",
                      {{"keyspace_name", "text", kPk},
                       {"aggregate_name", "text", kCk},
                       {"argument_types", "frozen<list<text>>", kCk},
                       {"final_func", "text"},
                       {"initcond", "text"},
                       {"return_type", "text"},
                       {"state_func", "text"},
                       {"state_type", "text"}});
       }},
      {{"system_schema", "triggers"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "triggers",
                      {{"keyspace_name", "text", kPk},
                       {"table_name", "text", kCk},
                       {"trigger_name", "text", kCk},
                       {"options", "frozen<map<text, text>>"}});
       }},
      {{"system_schema", "indexes"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "indexes",
                      {{"keyspace_name", "text", kPk},
                       {"table_name", "text", kCk},
                       {"index_name", "text", kCk},
                       {"kind", "text"},
                       {"options", "frozen<map<text, text>>"}});
       }},
      {{"system_schema", "views"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "views",
                      {{"keyspace_name", "text", kPk},
                       {"view_name", "text", kCk},
                       {"base_table_id", "uuid"},
                       {"base_table_name", "text"},
                       {"bloom_filter_fp_chance", "double"},
                       {"caching", "frozen<map<text, text>>"},
                       {"cdc", "boolean"},
                       {"comment", "text"},
                       {"compaction", "frozen<map<text, text>>"},
                       {"compression", "frozen<map<text, text>>"},
                       {"crc_check_chance", "double"},
                       {"dclocal_read_repair_chance", "double"},
                       {"default_time_to_live", "int"},
                       {"extensions", "frozen<map<text, blob>>"},
                       {"gc_grace_seconds", "int"},
                       {"id", "uuid"},
                       {"include_all_columns", "boolean"},
                       {"max_index_interval", "int"},
                       {"memtable_flush_period_in_ms", "int"},
                       {"min_index_interval", "int"},
                       {"read_repair_chance", "double"},
                       {"speculative_retry", "text"},
                       {"where_clause", "text"}});
       }},
      {{"system_schema", "dropped_columns"},
       [](const auto&, const auto&) {
         return Empty("system_schema", "dropped_columns",
                      {{"keyspace_name", "text", kPk},
                       {"table_name", "text", kCk},
                       {"column_name", "text", kCk},
                       {"dropped_time", "timestamp"},
                       {"kind", "text"},
                       {"type", "text"}});
       }},
      {{"system_virtual_schema", "keyspaces"},
       [](const auto&, const auto&) {
         return Empty("system_virtual_schema", "keyspaces", {{"keyspace_name", "text", kPk}});
       }},
      {{"system_virtual_schema", "tables"},
       [](const auto&, const auto&) {
         return Empty(
             "system_virtual_schema", "tables",
             {{"keyspace_name", "text", kPk}, {"table_name", "text", kCk}, {"comment", "text"}});
       }},
      {{"system_virtual_schema", "columns"},
       [](const auto& s, const auto&) { return Columns("system_virtual_schema", s); }},
  };
  return *registry;
}

}  // namespace

bool IsVirtualKeyspace(std::string_view keyspace) {
  return keyspace == "system" || keyspace == "system_schema" ||
         keyspace == "system_virtual_schema" || keyspace == "system_auth" ||
         keyspace == "system_distributed" || keyspace == "system_traces" ||
         keyspace == "system_views";
}

std::optional<VirtualTable> BuildVirtualTable(std::string_view keyspace, std::string_view name,
                                              const storage::SchemaSnapshot& schema,
                                              const NodeInfo& node) {
  auto it = Registry().find({std::string(keyspace), std::string(name)});
  if (it == Registry().end()) return std::nullopt;
  return it->second(schema, node);
}

}  // namespace helenus::query
