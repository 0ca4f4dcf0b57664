#include "helenus/storage/catalog.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "helenus/common/strings.h"
#include "helenus/cql/value_codec.h"

namespace helenus::storage {
namespace {

using nlohmann::json;

constexpr std::string_view kKeyspacePrefix = "schema/ks/";
constexpr std::string_view kCounterKey = "schema/next_table_id";

std::string_view KindName(ColumnKind k) {
  switch (k) {
    case ColumnKind::kPartitionKey:
      return "partition_key";
    case ColumnKind::kClustering:
      return "clustering";
    case ColumnKind::kStatic:
      return "static";
    case ColumnKind::kRegular:
      break;
  }
  return "regular";
}

ColumnKind KindFromName(std::string_view n) {
  if (n == "partition_key") return ColumnKind::kPartitionKey;
  if (n == "clustering") return ColumnKind::kClustering;
  if (n == "static") return ColumnKind::kStatic;
  return ColumnKind::kRegular;
}

Bytes Unhex(std::string_view h) {
  Bytes out;
  auto nib = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out += static_cast<char>(nib(h[i]) << 4 | nib(h[i + 1]));
  }
  return out;
}

json TableToJson(const TableSchema& t) {
  json cols = json::array();
  for (const auto& c : t.columns) {
    cols.push_back({{"name", c.name},
                    {"type", c.type.ToCql()},
                    {"kind", KindName(c.kind)},
                    {"position", c.position},
                    {"desc", c.desc},
                    {"id", c.id}});
  }
  return {{"name", t.name},         {"uuid", HexEncode(t.uuid)},
          {"table_id", t.table_id}, {"next_column_id", t.next_column_id},
          {"options", t.options},   {"columns", cols}};
}

std::optional<TableSchema> TableFromJson(const std::string& ks, const json& j) {
  TableSchema t;
  t.keyspace = ks;
  t.name = j.at("name").get<std::string>();
  t.uuid = Unhex(j.at("uuid").get<std::string>());
  t.table_id = j.at("table_id").get<uint32_t>();
  t.next_column_id = j.at("next_column_id").get<uint32_t>();
  t.options = j.at("options").get<std::map<std::string, std::string>>();
  for (const auto& c : j.at("columns")) {
    auto type = ParseDataType(c.at("type").get<std::string>());
    if (!type) return std::nullopt;
    t.columns.push_back(ColumnSchema{
        c.at("name").get<std::string>(), *type, KindFromName(c.at("kind").get<std::string>()),
        c.at("position").get<int>(), c.at("desc").get<bool>(), c.at("id").get<uint32_t>()});
  }
  t.RebuildLayout();
  return t;
}

std::string KeyspaceToJson(const KeyspaceSchema& ks) {
  json tables = json::array();
  for (const auto& [_, t] : ks.tables) tables.push_back(TableToJson(*t));
  json j = {{"name", ks.name},
            {"replication", ks.replication},
            {"durable_writes", ks.durable_writes},
            {"tables", tables}};
  return j.dump();
}

std::optional<KeyspaceSchema> KeyspaceFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  try {
    KeyspaceSchema ks;
    ks.name = j.at("name").get<std::string>();
    ks.replication = j.at("replication").get<std::map<std::string, std::string>>();
    ks.durable_writes = j.at("durable_writes").get<bool>();
    for (const auto& tj : j.at("tables")) {
      auto t = TableFromJson(ks.name, tj);
      if (!t) return std::nullopt;
      std::string name = t->name;
      ks.tables[name] = std::make_shared<const TableSchema>(std::move(*t));
    }
    return ks;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace

const ColumnSchema* TableSchema::Find(std::string_view n) const {
  for (const auto& c : columns) {
    if (c.name == n) return &c;
  }
  return nullptr;
}

std::vector<const ColumnSchema*> TableSchema::PartitionKey() const {
  std::vector<const ColumnSchema*> out;
  for (const auto& c : columns) {
    if (c.kind == ColumnKind::kPartitionKey) out.push_back(&c);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->position < b->position; });
  return out;
}

std::vector<const ColumnSchema*> TableSchema::Clustering() const {
  std::vector<const ColumnSchema*> out;
  for (const auto& c : columns) {
    if (c.kind == ColumnKind::kClustering) out.push_back(&c);
  }
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->position < b->position; });
  return out;
}

bool TableSchema::HasStatic() const {
  return std::any_of(columns.begin(), columns.end(),
                     [](const auto& c) { return c.kind == ColumnKind::kStatic; });
}

int32_t TableSchema::DefaultTtl() const {
  auto it = options.find("default_time_to_live");
  if (it == options.end()) return 0;
  try {
    return std::stoi(it->second);
  } catch (...) {
    return 0;
  }
}

void TableSchema::RebuildLayout() {
  // Cassandra lists key columns first, then the others sorted by name.
  std::stable_sort(columns.begin(), columns.end(), [](const auto& a, const auto& b) {
    auto rank = [](const ColumnSchema& c) {
      return c.kind == ColumnKind::kPartitionKey ? 0 : c.kind == ColumnKind::kClustering ? 1 : 2;
    };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) < 2) return a.position < b.position;
    return a.name < b.name;
  });
  layout = TableLayout{};
  layout.table_id = table_id;
  for (const auto* c : PartitionKey()) layout.partition_key.push_back(c->type);
  for (const auto* c : Clustering()) {
    layout.clustering.push_back(c->type);
    layout.clustering_desc.push_back(c->desc);
  }
  for (const auto& c : columns) {
    if (c.kind == ColumnKind::kRegular || c.kind == ColumnKind::kStatic) {
      layout.columns.push_back(ColumnLayout{c.id, c.type, c.kind == ColumnKind::kStatic});
    }
  }
}

const KeyspaceSchema* SchemaSnapshot::FindKeyspace(std::string_view n) const {
  auto it = keyspaces.find(std::string(n));
  return it == keyspaces.end() ? nullptr : it->second.get();
}

std::shared_ptr<const TableSchema> SchemaSnapshot::FindTable(std::string_view ks,
                                                             std::string_view n) const {
  const auto* k = FindKeyspace(ks);
  if (!k) return nullptr;
  auto it = k->tables.find(std::string(n));
  return it == k->tables.end() ? nullptr : it->second;
}

Result<std::unique_ptr<Catalog>> Catalog::Load(Store* store) {
  std::unique_ptr<Catalog> catalog(new Catalog(store));
  auto next = std::make_shared<SchemaSnapshot>();
  auto entries = store->ListMeta(std::string(kKeyspacePrefix));
  if (!entries.ok()) return entries.status();
  uint32_t max_table_id = 0;
  for (const auto& [key, value] : entries.value()) {
    auto ks = KeyspaceFromJson(value);
    if (!ks) return Status::Corruption("unreadable schema entry " + key);
    for (const auto& [_, t] : ks->tables) max_table_id = std::max(max_table_id, t->table_id);
    std::string name = ks->name;
    next->keyspaces[name] = std::make_shared<const KeyspaceSchema>(std::move(*ks));
  }
  // Table ids of dropped tables are not reused either, so a stale range of
  // keys can never reappear under a new table.
  auto counter = store->GetMeta(std::string(kCounterKey));
  uint32_t persisted = counter.ok() && counter->has_value() ? std::stoul(**counter) : 1;
  catalog->next_table_id_ = std::max(persisted, max_table_id + 1);
  next->version = cql::NewRandomUuid();
  catalog->snapshot_ = std::move(next);
  return catalog;
}

std::shared_ptr<const SchemaSnapshot> Catalog::Snapshot() const {
  std::lock_guard lock(mu_);
  return snapshot_;
}

void Catalog::Publish(std::shared_ptr<SchemaSnapshot> next) {
  next->version = cql::NewRandomUuid();
  snapshot_ = std::move(next);
}

Status Catalog::Persist(const KeyspaceSchema& ks) {
  return store_->PutMeta(std::string(kKeyspacePrefix) + ks.name, KeyspaceToJson(ks));
}

Status Catalog::PutKeyspace(const KeyspaceSchema& ks) {
  std::lock_guard lock(mu_);
  auto next = std::make_shared<SchemaSnapshot>(*snapshot_);
  auto updated = std::make_shared<KeyspaceSchema>(ks);
  if (const auto* old = snapshot_->FindKeyspace(ks.name)) updated->tables = old->tables;
  if (auto s = Persist(*updated); !s.ok()) return s;
  next->keyspaces[ks.name] = std::move(updated);
  Publish(std::move(next));
  return Status::Ok();
}

Status Catalog::DropKeyspace(const std::string& name) {
  std::lock_guard lock(mu_);
  const auto* ks = snapshot_->FindKeyspace(name);
  if (!ks) return Status::NotFound(name);
  if (auto s = store_->DeleteMeta(std::string(kKeyspacePrefix) + name); !s.ok()) return s;
  for (const auto& [_, t] : ks->tables) {
    if (auto s = store_->DropTableData(t->table_id); !s.ok()) return s;
  }
  auto next = std::make_shared<SchemaSnapshot>(*snapshot_);
  next->keyspaces.erase(name);
  Publish(std::move(next));
  return Status::Ok();
}

Status Catalog::PutTable(TableSchema table) {
  std::lock_guard lock(mu_);
  const auto* ks = snapshot_->FindKeyspace(table.keyspace);
  if (!ks) return Status::NotFound(table.keyspace);
  if (table.table_id == 0) {
    table.table_id = next_table_id_++;
    auto s = store_->PutMeta(std::string(kCounterKey), std::to_string(next_table_id_));
    if (!s.ok()) return s;
    table.uuid = cql::NewRandomUuid();
  }
  table.RebuildLayout();
  auto updated = std::make_shared<KeyspaceSchema>(*ks);
  std::string name = table.name;
  updated->tables[name] = std::make_shared<const TableSchema>(std::move(table));
  if (auto s = Persist(*updated); !s.ok()) return s;
  auto next = std::make_shared<SchemaSnapshot>(*snapshot_);
  next->keyspaces[updated->name] = std::move(updated);
  Publish(std::move(next));
  return Status::Ok();
}

Status Catalog::DropTable(const std::string& ks_name, const std::string& name) {
  std::lock_guard lock(mu_);
  const auto* ks = snapshot_->FindKeyspace(ks_name);
  if (!ks) return Status::NotFound(ks_name);
  auto it = ks->tables.find(name);
  if (it == ks->tables.end()) return Status::NotFound(name);
  uint32_t table_id = it->second->table_id;
  auto updated = std::make_shared<KeyspaceSchema>(*ks);
  updated->tables.erase(name);
  if (auto s = Persist(*updated); !s.ok()) return s;
  if (auto s = store_->DropTableData(table_id); !s.ok()) return s;
  auto next = std::make_shared<SchemaSnapshot>(*snapshot_);
  next->keyspaces[ks_name] = std::move(updated);
  Publish(std::move(next));
  return Status::Ok();
}

Status Catalog::Truncate(const TableSchema& table) {
  return store_->DropTableData(table.table_id);
}

}  // namespace helenus::storage
