#include "ml_statements.h"

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <set>

#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/jobs.h"
#include "helenus/ml/recommender.h"
#include "helenus/ml/statement_model.h"
#include "helenus/sql/parser.h"
#include "helenus/storage/catalog.h"
#include "names.h"

namespace helenus::sql {

namespace {

// Rows of the split when CREATE MODEL gives test_fraction but no seed.
constexpr uint64_t kDefaultSplitSeed = 42;

// Options CREATE MODEL reads itself; every other option goes to the estimator.
struct StatementOptions {
  ml::StatementModel::Spec spec;
  double test_fraction = 0;
  uint64_t seed = kDefaultSplitSeed;
  std::vector<std::pair<std::string, std::string>> text;  // as written, for the model store
};

// Estimator options CREATE MODEL sets itself (the columns it prepares).
const std::set<std::string, std::less<>> kInternalOptions = {
    "features_col",       "label_col", "prediction_col", "probability_col",
    "raw_prediction_col", "input_col", "weight_col",
};

bool HasParam(const ml::EstimatorInfo& info, std::string_view name) {
  for (const auto& p : info.params) {
    if (p.name == name) return true;
  }
  return false;
}

const std::string& OptionString(const ModelOption& o) {
  const auto* s = std::get_if<std::string>(&o.value);
  if (s == nullptr) ThrowInvalid("Option {} must be a string", o.name);
  return *s;
}

StatementOptions ReadOptions(const CreateModel& s) {
  StatementOptions out;
  out.spec.estimator = s.estimator;
  const ml::Registry& registry = ml::Registry::Default();
  const ml::EstimatorInfo* info = registry.FindEstimator(s.estimator);
  if (info == nullptr ||
      (info->task == ml::Task::kFeature && !info->params.empty() && !HasParam(*info, "k"))) {
    // Feature estimators other than PCA transform columns; they are no models to train here.
    std::vector<std::string> known;
    for (const auto& [name, e] : registry.estimators()) {
      if (e.task != ml::Task::kFeature || HasParam(e, "k")) known.push_back(name);
    }
    ThrowInvalid("Unknown model type {}; known types: {}", s.estimator, fmt::join(known, ", "));
  }
  const bool has_seed_param = HasParam(*info, "seed");
  for (const auto& o : s.options) {
    const std::string name = ml::SnakeCase(o.name);
    const bool statement_option =
        name == "label" || name == "features" || name == "test_fraction" || name == "seed";
    if (!statement_option && (kInternalOptions.contains(name) || !HasParam(*info, name))) {
      std::vector<std::string> known = {"label", "features", "test_fraction", "seed"};
      for (const auto& p : info->params) {
        if (!kInternalOptions.contains(p.name) && p.name != "seed") known.push_back(p.name);
      }
      ThrowInvalid("Unknown option {} for {}; known options: {}", name, info->name,
                   fmt::join(known, ", "));
    }
    out.text.emplace_back(name, ml::ParamText(o.value));
    if (name == "label") {
      out.spec.label = OptionString(o);
    } else if (name == "features") {
      for (auto& f : SplitTrimmed(OptionString(o), ',')) {
        if (!f.empty()) out.spec.features.push_back(std::move(f));
      }
    } else if (name == "test_fraction") {
      const auto* d = std::get_if<double>(&o.value);
      if (d == nullptr || !(*d >= 0 && *d < 1)) {
        ThrowInvalid("Option test_fraction must be a number in [0, 1), got {}",
                     ml::ParamText(o.value));
      }
      out.test_fraction = *d;
    } else if (name == "seed") {
      const auto* d = std::get_if<double>(&o.value);
      if (d == nullptr || *d != std::floor(*d)) {
        ThrowInvalid("Option seed must be an integer, got {}", ml::ParamText(o.value));
      }
      out.seed = static_cast<uint64_t>(static_cast<int64_t>(*d));
      if (has_seed_param) out.spec.params.Set(name, o.value);
    } else {
      out.spec.params.Set(name, o.value);
    }
  }
  return out;
}

// A table of (property, value) text rows.
exec::Rows PropertyRows(const std::vector<std::pair<std::string, std::string>>& props) {
  ml::Frame f;
  exec::Column k = exec::Column::Make(DataType::Of(TypeKind::kText));
  exec::Column v = exec::Column::Make(DataType::Of(TypeKind::kText));
  for (const auto& [key, value] : props) {
    k.AppendString(key);
    v.AppendString(value);
  }
  f.Add("property", std::move(k));
  f.Add("value", std::move(v));
  return f.ToRows();
}

exec::Rows MetricTable(const std::vector<ml::MetricRow>& rows) {
  ml::Frame f;
  exec::Column metric = exec::Column::Make(DataType::Of(TypeKind::kText));
  exec::Column cls = exec::Column::Make(DataType::Of(TypeKind::kText));
  exec::Column predicted = exec::Column::Make(DataType::Of(TypeKind::kText));
  exec::Column value = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (const auto& r : rows) {
    metric.AppendString(r.metric);
    if (r.cls.empty()) {
      cls.AppendNull();
    } else {
      cls.AppendString(r.cls);
    }
    if (r.predicted.empty()) {
      predicted.AppendNull();
    } else {
      predicted.AppendString(r.predicted);
    }
    value.AppendDouble(r.value);
  }
  f.Add("metric", std::move(metric));
  f.Add("class", std::move(cls));
  f.Add("predicted", std::move(predicted));
  f.Add("value", std::move(value));
  return f.ToRows();
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string OptionValue(const ModelRecord& r, std::string_view name) {
  for (const auto& [k, v] : r.options) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

MlStatements::MlStatements(query::QueryProcessor* cql, exec::Engine* engine)
    : cql_(cql), engine_(engine), store_(cql, engine) {}

namespace {

// Plans and runs a query, reporting scan progress to job.
ml::Frame Collect(exec::Engine* engine, const exec::PlanPtr& plan, exec::Progress* progress) {
  exec::OperatorPtr root = exec::PlanPhysical(plan);
  exec::ExecContext ctx = engine->NewContext(progress);
  exec::Rows rows;
  rows.schema = root->schema();
  rows.batches = exec::CollectAll(root, ctx);
  return ml::Frame::FromRows(rows);
}

TableResolver Resolver(exec::Engine* engine, std::string keyspace) {
  return [engine, keyspace](std::string_view ks, std::string_view table, std::string_view alias) {
    if (ks.empty() && keyspace.empty()) {
      ThrowInvalid(
          "No keyspace has been specified. USE a keyspace, or explicitly specify "
          "keyspace.tablename");
    }
    return exec::PlanScan(engine->Source(ks.empty() ? keyspace : std::string(ks), table),
                          std::string(alias));
  };
}

// A statement's entry in system_views.queries and the ML context reporting to it.
struct Running {
  std::unique_ptr<exec::JobRegistry::Job> job;
  ml::Context ctx;
};

Running Start(exec::Engine* engine, std::string kind, const std::string& text) {
  Running r{exec::JobRegistry::Default().Start(std::move(kind), text), {}};
  r.ctx.pool = engine->pool();
  r.ctx.progress = r.job->progress();
  return r;
}

// Appends the rows of f to ks.table, matching columns by name; columns the
// table lacks are left out, its partition key columns must all be there.
exec::Rows WriteInto(exec::Engine* engine, const std::string& ks, const std::string& table,
                     const ml::Frame& f) {
  auto schema = engine->catalog()->Snapshot()->FindTable(ks, table);
  if (!schema) ThrowInvalid("table {}.{} does not exist", ks, table);
  std::vector<std::string> columns;
  for (const auto& c : f.columns()) {
    if (schema->Find(c.name) != nullptr) columns.push_back(c.name);
  }
  for (const auto* key : schema->PartitionKey()) {
    if (f.Find(key->name) < 0) {
      ThrowInvalid("Cannot write into {}.{}: the rows have no column {} for its primary key", ks,
                   table, key->name);
    }
  }
  const uint64_t n = f.Select(columns).ToDataFrame(engine).write(ks + "." + table);
  ml::Frame written;
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kBigint));
  c.AppendInt(static_cast<int64_t>(n));
  written.Add("rows_written", std::move(c));
  return written.ToRows();
}

}  // namespace

MlStatements::Loaded MlStatements::Load(const query::ClientState& state,
                                        const cql::ast::QualifiedName& name) {
  const std::string ks = KeyspaceFor(state, name.keyspace);
  ModelRecord record = Require(ks, name.name);
  ml::StatementModel model = ml::StatementModel::Load(record.model);
  return Loaded{ks, std::move(record), std::move(model)};
}

ModelRecord MlStatements::Require(const std::string& ks, const std::string& name) {
  auto r = store_.Get(ks, name);
  if (!r) ThrowInvalid("Model {}.{} does not exist", ks, name);
  return std::move(*r);
}

std::optional<exec::Rows> MlStatements::Run(query::ClientState& state, const Statement& stmt,
                                            const std::string& text) {
  if (const auto* s = std::get_if<CreateModel>(&stmt)) return Create(state, *s, text);
  if (const auto* s = std::get_if<EvaluateModel>(&stmt)) return Evaluate(state, *s, text);
  if (const auto* s = std::get_if<PredictModel>(&stmt)) return Predict(state, *s, text);
  if (const auto* s = std::get_if<RecommendModel>(&stmt)) return Recommend(state, *s, text);
  if (const auto* s = std::get_if<DescribeModel>(&stmt)) return Describe(state, *s);
  if (const auto* s = std::get_if<ExportModel>(&stmt)) return Export(state, *s);
  if (const auto* s = std::get_if<ImportModel>(&stmt)) return Import(state, *s);
  const auto& drop = std::get<DropModel>(stmt);
  const std::string ks = KeyspaceFor(state, drop.model.keyspace);
  if (!store_.Drop(ks, drop.model.name) && !drop.if_exists) {
    ThrowInvalid("Model {}.{} does not exist", ks, drop.model.name);
  }
  return std::nullopt;
}

exec::Rows MlStatements::Create(query::ClientState& state, const CreateModel& s,
                                const std::string& text) {
  const std::string ks = KeyspaceFor(state, s.model.keyspace);
  std::optional<ModelRecord> existing = store_.Get(ks, s.model.name);
  if (existing && s.if_not_exists) return MetricTable({});
  if (existing && !s.or_replace) {
    ThrowInvalid("Model {}.{} already exists (DROP MODEL it, or use CREATE OR REPLACE MODEL)", ks,
                 s.model.name);
  }
  StatementOptions opts = ReadOptions(s);
  Running run = Start(engine_, "create model", text);
  const ml::Context& ctx = run.ctx;

  exec::DataFrame df(engine_, PlanQuery(s.query, Resolver(engine_, state.keyspace)));
  ml::Frame train, test;
  if (opts.test_fraction > 0) {
    auto parts = df.random_split({1 - opts.test_fraction, opts.test_fraction}, opts.seed);
    train = Collect(engine_, parts[0].plan(), ctx.progress);
    test = Collect(engine_, parts[1].plan(), ctx.progress);
  } else {
    train = Collect(engine_, df.plan(), ctx.progress);
  }
  const auto start = std::chrono::steady_clock::now();
  ml::StatementModel model = ml::StatementModel::Train(train, opts.spec, ctx);
  const int64_t training_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::steady_clock::now() - start)
                                  .count();
  const ml::Task task = model.task();
  std::vector<ml::MetricRow> metrics;
  if (task != ml::Task::kAssociation && task != ml::Task::kFeature) {
    const ml::Frame& eval = test.num_rows() > 0 ? test : train;
    metrics = model.Evaluate(eval, ctx, /*keep_artifacts=*/true);
  }

  ModelRecord r;
  r.keyspace = ks;
  r.name = s.model.name;
  r.version = existing ? existing->version + 1 : 1;
  r.estimator = model.estimator();
  r.task = std::string(ml::TaskName(task));
  r.created_at_ms = NowMillis();
  r.training_rows = static_cast<int64_t>(train.num_rows());
  r.test_rows = static_cast<int64_t>(test.num_rows());
  r.training_ms = training_ms;
  r.label = model.label();
  r.features = model.feature_columns();
  r.options = opts.text;
  r.options.emplace_back("session_keyspace", state.keyspace);
  r.options.emplace_back("split_seed", std::to_string(opts.seed));
  r.options.emplace_back("split_test_fraction", fmt::format("{}", opts.test_fraction));
  r.query = s.query_text;
  for (const auto& m : metrics) {
    if (m.cls.empty()) r.metrics.emplace_back(m.metric, m.value);
  }
  r.model = model.Save();
  store_.Put(r);

  std::vector<ml::MetricRow> out = {
      {"training_rows", "", "", static_cast<double>(train.num_rows())},
      {"test_rows", "", "", static_cast<double>(test.num_rows())},
      {"training_seconds", "", "", static_cast<double>(training_ms) / 1000.0},
  };
  out.insert(out.end(), metrics.begin(), metrics.end());
  return MetricTable(out);
}

ml::Frame MlStatements::HeldOut(const Loaded& m, const ml::Context& ctx) {
  const ModelRecord& r = m.record;
  // The training query again, split with the same seed.
  const double fraction = std::strtod(OptionValue(r, "split_test_fraction").c_str(), nullptr);
  if (!(fraction > 0)) {
    ThrowInvalid(
        "Model {0}.{1} was trained without held-out rows (no test_fraction): name the rows with "
        "ON SELECT ...",
        m.keyspace, r.name);
  }
  const uint64_t seed = std::strtoull(OptionValue(r, "split_seed").c_str(), nullptr, 10);
  auto parsed = Parse(r.query);
  const auto* select = std::get_if<Select>(&parsed);
  if (select == nullptr)
    ThrowInvalid("Stored training query of {}.{} is not a query", m.keyspace, r.name);
  exec::DataFrame df(
      engine_, PlanQuery(select->query, Resolver(engine_, OptionValue(r, "session_keyspace"))));
  auto parts = df.random_split({1 - fraction, fraction}, seed);
  return Collect(engine_, parts[1].plan(), ctx.progress);
}

exec::Rows MlStatements::Evaluate(query::ClientState& state, const EvaluateModel& s,
                                  const std::string& text) {
  const Loaded m = Load(state, s.model);
  Running run = Start(engine_, "evaluate", text);
  const ml::Context& ctx = run.ctx;
  const ml::Frame data =
      s.on ? Collect(engine_, PlanQuery(*s.on, Resolver(engine_, state.keyspace)), ctx.progress)
           : HeldOut(m, ctx);
  return MetricTable(m.model.Evaluate(data, ctx));
}

exec::Rows MlStatements::Predict(query::ClientState& state, const PredictModel& s,
                                 const std::string& text) {
  const Loaded m = Load(state, s.model);
  Running run = Start(engine_, "predict", text);
  ml::Frame input =
      s.on ? Collect(engine_, PlanQuery(*s.on, Resolver(engine_, state.keyspace)), run.ctx.progress)
           : HeldOut(m, run.ctx);
  ml::Frame out = m.model.Predict(input, run.ctx);
  if (!s.into) return out.ToRows();
  return WriteInto(engine_, KeyspaceFor(state, s.into->keyspace), s.into->name, out);
}

exec::Rows MlStatements::Recommend(query::ClientState& state, const RecommendModel& s,
                                   const std::string& text) {
  const Loaded m = Load(state, s.model);
  const auto* rec = dynamic_cast<const ml::Recommender*>(&m.model.model());
  if (rec == nullptr) {
    ThrowInvalid("Model {}.{} ({}) does not recommend; RECOMMEND needs an als model", m.keyspace,
                 m.record.name, m.record.estimator);
  }
  if (s.limit < 1) ThrowInvalid("RECOMMEND needs LIMIT of at least 1");
  Running run = Start(engine_, "recommend", text);
  const size_t n = static_cast<size_t>(s.limit);
  ml::Frame out =
      s.for_users ? rec->RecommendForAllUsers(n, run.ctx) : rec->RecommendForAllItems(n, run.ctx);
  if (!s.into) return out.ToRows();
  return WriteInto(engine_, KeyspaceFor(state, s.into->keyspace), s.into->name, out);
}

exec::Rows MlStatements::Describe(query::ClientState& state, const DescribeModel& s) {
  const auto [ks, r, model] = Load(state, s.model);
  if (!s.artifact.empty()) {
    if (!s.into) return model.Artifact(s.artifact).ToRows();
    return WriteInto(engine_, KeyspaceFor(state, s.into->keyspace), s.into->name,
                     model.Artifact(s.artifact));
  }
  std::vector<std::pair<std::string, std::string>> props = {
      {"model", ks + "." + r.name},
      {"version", std::to_string(r.version)},
      {"training_rows", std::to_string(r.training_rows)},
      {"test_rows", std::to_string(r.test_rows)},
      {"training_ms", std::to_string(r.training_ms)},
      {"query", r.query},
  };
  for (const auto& [k, v] : r.options) {
    if (k != "session_keyspace" && !k.starts_with("split_")) props.emplace_back("option " + k, v);
  }
  for (auto& kv : model.Describe()) props.push_back(std::move(kv));
  for (const auto& [k, v] : r.metrics) props.emplace_back("metric " + k, fmt::format("{}", v));
  return PropertyRows(props);
}

exec::Rows MlStatements::Export(query::ClientState& state, const ExportModel& s) {
  const std::string ks = KeyspaceFor(state, s.model.keyspace);
  const std::vector<uint8_t> bytes = EncodeModelFile(Require(ks, s.model.name));
  std::ofstream out(s.path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) ThrowInvalid("Cannot write model file {}: {}", s.path, std::strerror(errno));
  return PropertyRows({{"model", ks + "." + s.model.name},
                       {"file", s.path},
                       {"bytes", std::to_string(bytes.size())}});
}

exec::Rows MlStatements::Import(query::ClientState& state, const ImportModel& s) {
  const std::string ks = KeyspaceFor(state, s.model.keyspace);
  std::ifstream in(s.path, std::ios::binary);
  if (!in) ThrowInvalid("Cannot read model file {}: {}", s.path, std::strerror(errno));
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  ModelRecord r = DecodeModelFile(bytes);
  // Loading checks the model itself before anything is stored.
  ml::StatementModel::Load(r.model);
  std::optional<ModelRecord> existing = store_.Get(ks, s.model.name);
  r.keyspace = ks;
  r.name = s.model.name;
  r.version = existing ? existing->version + 1 : 1;
  store_.Put(r);
  return PropertyRows({{"model", ks + "." + s.model.name},
                       {"estimator", r.estimator},
                       {"version", std::to_string(r.version)}});
}

}  // namespace helenus::sql
