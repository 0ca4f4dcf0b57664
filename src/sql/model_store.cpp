#include "model_store.h"

#include <algorithm>
#include <chrono>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/ml/serialize.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::sql {

namespace {

constexpr std::string_view kCreateKeyspace =
    "CREATE KEYSPACE IF NOT EXISTS system_ml WITH replication = "
    "{'class': 'SimpleStrategy', 'replication_factor': 1}";
constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS system_ml.models (keyspace_name text, model_name text, "
    "version int, estimator text, task text, created_at timestamp, training_rows bigint, "
    "test_rows bigint, training_ms bigint, label text, features frozen<list<text>>, "
    "options frozen<map<text, text>>, query text, metrics frozen<map<text, double>>, "
    "format_version int, model blob, PRIMARY KEY ((keyspace_name), model_name))";

// Model format version of the statement-model bytes (see ml/registry.h).
constexpr int32_t kFormatVersion = 1;

struct Row {
  exec::Schema schema;
  exec::Batch batch;

  void Add(std::string name, TypeKind kind, Value v) {
    Add(std::move(name), DataType::Of(kind), v);
  }
  void Add(std::string name, DataType type, const Value& v) {
    exec::Column c = exec::Column::Make(type, 1);
    exec::AppendCqlValue(&c, v);
    schema.fields.push_back({std::move(name), std::move(type), ""});
    batch.columns.push_back(std::move(c));
    batch.num_rows = 1;
  }
};

Value Text(std::string_view s) {
  return Bytes(s);
}

}  // namespace

namespace {
constexpr char kFileMagic[8] = {'H', 'L', 'N', 'S', 'M', 'R', 'E', 'C'};
constexpr uint32_t kFileVersion = 1;
}  // namespace

std::vector<uint8_t> EncodeModelFile(const ModelRecord& m) {
  ml::Writer w;
  for (char c : kFileMagic) w.U8(static_cast<uint8_t>(c));
  w.U32(kFileVersion);
  w.I64(m.version);
  w.Str(m.estimator);
  w.Str(m.task);
  w.I64(m.created_at_ms);
  w.I64(m.training_rows);
  w.I64(m.test_rows);
  w.I64(m.training_ms);
  w.Str(m.label);
  w.Strs(m.features);
  std::vector<std::string> options, metric_names;
  std::vector<double> metric_values;
  for (const auto& [k, v] : m.options) {
    options.push_back(k);
    options.push_back(v);
  }
  for (const auto& [k, v] : m.metrics) {
    metric_names.push_back(k);
    metric_values.push_back(v);
  }
  w.Strs(options);
  w.Str(m.query);
  w.Strs(metric_names);
  w.F64s(metric_values);
  w.Bytes(m.model);
  return w.Take();
}

ModelRecord DecodeModelFile(std::span<const uint8_t> bytes) {
  if (bytes.size() < sizeof(kFileMagic) ||
      !std::equal(std::begin(kFileMagic), std::end(kFileMagic), bytes.begin())) {
    ThrowInvalid("Not a Helenus model file (bad magic)");
  }
  ml::Reader r(bytes.subspan(sizeof(kFileMagic)));
  const uint32_t version = r.U32();
  if (version != kFileVersion) {
    ThrowInvalid("Model file version {} is not supported (this build reads {})", version,
                 kFileVersion);
  }
  ModelRecord m;
  m.version = static_cast<int32_t>(r.I64());
  m.estimator = r.Str();
  m.task = r.Str();
  m.created_at_ms = r.I64();
  m.training_rows = r.I64();
  m.test_rows = r.I64();
  m.training_ms = r.I64();
  m.label = r.Str();
  m.features = r.Strs();
  const std::vector<std::string> options = r.Strs();
  if (options.size() % 2 != 0) ThrowInvalid("Corrupt model file: odd option list");
  for (size_t i = 0; i < options.size(); i += 2) m.options.emplace_back(options[i], options[i + 1]);
  m.query = r.Str();
  const std::vector<std::string> names = r.Strs();
  const std::vector<double> values = r.F64s();
  if (names.size() != values.size()) ThrowInvalid("Corrupt model file: metric lists differ");
  for (size_t i = 0; i < names.size(); ++i) m.metrics.emplace_back(names[i], values[i]);
  m.model = r.Bytes();
  if (!r.done()) ThrowInvalid("Corrupt model file: trailing bytes");
  return m;
}

bool ModelStore::Exists() const {
  return engine_->catalog()->Snapshot()->FindTable(kKeyspace, kTable) != nullptr;
}

void ModelStore::Ensure() {
  if (Exists()) return;
  query::ClientState state;
  cql::QueryParameters params;
  cql_->Query(state, kCreateKeyspace, params);
  cql_->Query(state, kCreateTable, params);
}

void ModelStore::Put(const ModelRecord& m) {
  std::lock_guard lock(mu_);
  Ensure();
  const DataType text = DataType::Of(TypeKind::kText);
  std::vector<Bytes> features;
  for (const auto& f : m.features) features.push_back(f);
  std::vector<std::pair<Bytes, Bytes>> options, metrics;
  for (const auto& [k, v] : m.options) options.emplace_back(k, v);
  for (const auto& [k, v] : m.metrics) metrics.emplace_back(k, cql::EncodeDouble(v));
  Row r;
  r.Add("keyspace_name", TypeKind::kText, Text(m.keyspace));
  r.Add("model_name", TypeKind::kText, Text(m.name));
  r.Add("version", TypeKind::kInt, cql::EncodeInt(m.version));
  r.Add("estimator", TypeKind::kText, Text(m.estimator));
  r.Add("task", TypeKind::kText, Text(m.task));
  r.Add("created_at", TypeKind::kTimestamp, cql::EncodeBigint(m.created_at_ms));
  r.Add("training_rows", TypeKind::kBigint, cql::EncodeBigint(m.training_rows));
  r.Add("test_rows", TypeKind::kBigint, cql::EncodeBigint(m.test_rows));
  r.Add("training_ms", TypeKind::kBigint, cql::EncodeBigint(m.training_ms));
  r.Add("label", TypeKind::kText, m.label.empty() ? Value() : Text(m.label));
  r.Add("features", DataType::List(text, true), cql::EncodeCollection(features));
  r.Add("options", DataType::Map(text, text, true), cql::EncodeMap(options));
  r.Add("query", TypeKind::kText, Text(m.query));
  r.Add("metrics", DataType::Map(text, DataType::Of(TypeKind::kDouble), true),
        cql::EncodeMap(metrics));
  r.Add("format_version", TypeKind::kInt, cql::EncodeInt(kFormatVersion));
  r.Add("model", TypeKind::kBlob, Bytes(m.model.begin(), m.model.end()));
  auto sink = engine_->Sink(std::string(kKeyspace), std::string(kTable));
  sink->Write(r.schema, r.batch);
  sink->Finish();
}

std::optional<ModelRecord> ModelStore::Get(const std::string& ks, const std::string& name) {
  if (!Exists()) return std::nullopt;
  auto rows = engine_->Table(std::string(kKeyspace) + "." + std::string(kTable))
                  .filter(exec::And(exec::Col("keyspace_name") == exec::Lit(ks),
                                    exec::Col("model_name") == exec::Lit(name)))
                  .collect();
  const exec::Batch b = rows.Concat();
  if (b.num_rows == 0) return std::nullopt;
  auto at = [&](std::string_view col) {
    return exec::CqlValueAt(b.columns[rows.schema.Require(col)], 0);
  };
  auto str = [&](std::string_view col) {
    Value v = at(col);
    return v ? *v : std::string();
  };
  auto i64 = [&](std::string_view col) {
    Value v = at(col);
    return v ? cql::DecodeBigint(*v) : 0;
  };
  ModelRecord m;
  m.keyspace = ks;
  m.name = name;
  if (Value v = at("version")) m.version = cql::DecodeInt(*v);
  if (Value v = at("format_version"); v && cql::DecodeInt(*v) > kFormatVersion) {
    ThrowInvalid("Model {}.{} was saved in format {}; this build reads up to {}", ks, name,
                 cql::DecodeInt(*v), kFormatVersion);
  }
  m.estimator = str("estimator");
  m.task = str("task");
  m.created_at_ms = i64("created_at");
  m.training_rows = i64("training_rows");
  m.test_rows = i64("test_rows");
  m.training_ms = i64("training_ms");
  m.label = str("label");
  if (Value v = at("features")) {
    for (auto& f : cql::DecodeCollection(*v)) m.features.push_back(std::move(f));
  }
  if (Value v = at("options")) {
    for (auto& [k, val] : cql::DecodeMap(*v)) m.options.emplace_back(std::move(k), std::move(val));
  }
  m.query = str("query");
  if (Value v = at("metrics")) {
    for (auto& [k, val] : cql::DecodeMap(*v)) m.metrics.emplace_back(k, cql::DecodeDouble(val));
  }
  const std::string blob = str("model");
  m.model.assign(blob.begin(), blob.end());
  return m;
}

bool ModelStore::Drop(const std::string& ks, const std::string& name) {
  std::lock_guard lock(mu_);
  if (!Get(ks, name)) return false;
  auto table = engine_->catalog()->Snapshot()->FindTable(kKeyspace, kTable);
  storage::RowMutation m;
  m.partition_key = ks;
  m.clustering = {name};
  m.timestamp = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  m.delete_row = true;
  auto s = engine_->store()->Apply(table->layout, {m});
  if (!s.ok()) ThrowInvalid("Could not drop model {}.{}: {}", ks, name, s.message());
  return true;
}

}  // namespace helenus::sql
