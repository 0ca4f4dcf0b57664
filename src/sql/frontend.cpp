#include "helenus/sql/frontend.h"

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/common/murmur3.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/jobs.h"
#include "helenus/sql/analyzer.h"
#include "helenus/sql/parser.h"
#include "helenus/storage/catalog.h"
#include "ml_statements.h"
#include "names.h"
#include "result_cache.h"

namespace helenus::sql {

struct Frontend::Analytic {
  std::string text;
  Statement stmt;
  bool needs_allow_filtering = false;  // a SELECT without ALLOW FILTERING: CQL's error stands
  bool cql_first = false;              // prepared as CQL too: EXECUTE tries CQL and falls back here
};

namespace {

constexpr std::string_view kHint =
    " (analytic SQL runs on the analytics engine when the query ends with ALLOW FILTERING)";

cql::RowsResult ToRows(const exec::Schema& schema, const std::vector<exec::Batch>& batches,
                       const std::string& keyspace) {
  cql::RowsResult out;
  for (const auto& f : schema.fields) {
    out.metadata.columns.push_back(
        cql::ColumnSpec{keyspace, f.qualifier.empty() ? "result" : f.qualifier, f.name, f.type});
  }
  size_t total = 0;
  for (const auto& b : batches) total += b.num_rows;
  out.rows.reserve(total);
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      std::vector<Value> row;
      row.reserve(b.columns.size());
      for (const auto& c : b.columns) row.push_back(exec::CqlValueAt(c, r));
      out.rows.push_back(std::move(row));
    }
  }
  return out;
}

// True when plan scans the table named "ks.table".
bool ReadsTable(const exec::PlanPtr& plan, const std::string& name) {
  return std::visit(
      [&](const auto& n) -> bool {
        using N = std::decay_t<decltype(n)>;
        if constexpr (std::is_same_v<N, exec::ScanNode>) {
          return n.source->name() == name;
        } else if constexpr (std::is_same_v<N, exec::JoinNode>) {
          return ReadsTable(n.left, name) || ReadsTable(n.right, name);
        } else if constexpr (std::is_same_v<N, exec::UnionNode>) {
          for (const auto& i : n.inputs) {
            if (ReadsTable(i, name)) return true;
          }
          return false;
        } else if constexpr (std::is_same_v<N, exec::ValuesNode>) {
          return false;
        } else {
          return ReadsTable(n.input, name);
        }
      },
      plan->node);
}

cql::RowsResult SingleColumn(std::string_view name, const DataType& type,
                             const std::vector<Value>& values) {
  cql::RowsResult out;
  out.metadata.columns.push_back(cql::ColumnSpec{"system", "result", std::string(name), type});
  for (const auto& v : values) out.rows.push_back({v});
  return out;
}

// True for the statements MlStatements runs.
bool IsModelStatement(const Statement& s) {
  return std::holds_alternative<CreateModel>(s) || std::holds_alternative<EvaluateModel>(s) ||
         std::holds_alternative<PredictModel>(s) || std::holds_alternative<RecommendModel>(s) ||
         std::holds_alternative<DescribeModel>(s) || std::holds_alternative<DropModel>(s) ||
         std::holds_alternative<ExportModel>(s) || std::holds_alternative<ImportModel>(s);
}

}  // namespace

Frontend::Frontend(query::QueryProcessor* cql, exec::Engine* engine)
    : cql_(cql),
      engine_(engine),
      results_(std::make_unique<ResultCache>()),
      ml_(std::make_unique<MlStatements>(cql, engine)) {}

Frontend::~Frontend() = default;

void Frontend::OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener) {
  cql_->OnSchemaChange(std::move(listener));
}

std::shared_ptr<const Frontend::Analytic> Frontend::ParseAnalytic(std::string_view text) const {
  auto a = std::make_shared<Analytic>();
  try {
    a->stmt = Parse(text);
  } catch (const CqlError&) {
    return nullptr;
  }
  a->text = std::string(text);
  if (auto* select = std::get_if<Select>(&a->stmt)) {
    a->needs_allow_filtering = !select->query.allow_filtering;
  }
  return a;
}

cql::ResultMessage Frontend::Query(query::ClientState& state, std::string_view query,
                                   const cql::QueryParameters& params) {
  if (params.paging_state && ResultCache::Owns(*params.paging_state)) {
    return results_->NextPage(*params.paging_state, params.page_size);
  }
  try {
    return cql_->Query(state, query, params);
  } catch (const CqlError& e) {
    if (e.code() != ErrorCode::kSyntax && e.code() != ErrorCode::kInvalid) throw;
    auto analytic = ParseAnalytic(query);
    if (!analytic) throw;
    if (analytic->needs_allow_filtering) throw CqlError(e.code(), e.what() + std::string(kHint));
    return Run(state, *analytic, params);
  }
}

cql::ResultMessage Frontend::Prepare(query::ClientState& state, std::string_view query) {
  try {
    auto result = cql_->Prepare(state, query);
    // CQL rejects some SELECTs only when they run (GROUP BY or ORDER BY on
    // other columns): remember the analytic reading for EXECUTE to fall back on.
    if (auto analytic = ParseAnalytic(query); analytic &&
                                              std::holds_alternative<Select>(analytic->stmt) &&
                                              !analytic->needs_allow_filtering) {
      auto copy = std::make_shared<Analytic>(*analytic);
      copy->cql_first = true;
      std::lock_guard lock(prepared_mu_);
      prepared_[std::get<cql::PreparedResult>(result).id] = std::move(copy);
    }
    return result;
  } catch (const CqlError& e) {
    if (e.code() != ErrorCode::kSyntax && e.code() != ErrorCode::kInvalid) throw;
    auto analytic = ParseAnalytic(query);
    if (!analytic) throw;
    if (analytic->needs_allow_filtering) throw CqlError(e.code(), e.what() + std::string(kHint));
    // Planning now reports bad names at PREPARE time and gives the driver its
    // result metadata; the plan is rebuilt at each EXECUTE against the schema
    // of that moment.
    cql::PreparedResult prepared;
    std::string key = state.keyspace + '\0' + std::string(query);
    int64_t h1 = Murmur3Hash64(key), h2 = Murmur3Hash64("sql" + key);
    prepared.id.resize(16);
    for (int i = 0; i < 8; ++i) {
      prepared.id[i] = static_cast<char>(static_cast<uint64_t>(h1) >> (8 * i));
      prepared.id[8 + i] = static_cast<char>(static_cast<uint64_t>(h2) >> (8 * i));
    }
    if (const auto* select = std::get_if<Select>(&analytic->stmt)) {
      auto plan = PlanQuery(select->query, [&](std::string_view ks, std::string_view table,
                                               std::string_view alias) {
        return exec::PlanScan(engine_->Source(KeyspaceFor(state, ks), table), std::string(alias));
      });
      prepared.result_metadata = ToRows(plan->schema, {}, state.keyspace).metadata;
    }
    std::lock_guard lock(prepared_mu_);
    prepared_[prepared.id] = analytic;
    return prepared;
  }
}

cql::ResultMessage Frontend::Execute(query::ClientState& state, std::string_view id,
                                     const cql::QueryParameters& params) {
  if (params.paging_state && ResultCache::Owns(*params.paging_state)) {
    return results_->NextPage(*params.paging_state, params.page_size);
  }
  std::shared_ptr<const Analytic> analytic;
  {
    std::lock_guard lock(prepared_mu_);
    auto it = prepared_.find(std::string(id));
    if (it != prepared_.end()) analytic = it->second;
  }
  if (!analytic || analytic->cql_first) {
    try {
      return cql_->Execute(state, id, params);
    } catch (const CqlError& e) {
      bool rejected = e.code() == ErrorCode::kSyntax || e.code() == ErrorCode::kInvalid;
      if (!analytic || !rejected) throw;
    }
  }
  // Analytic results always carry their metadata: the driver's prepared
  // metadata may describe CQL's reading of the statement, not this one.
  return Run(state, *analytic, params);
}

cql::ResultMessage Frontend::Batch(query::ClientState& state, const cql::BatchRequest& batch) {
  return cql_->Batch(state, batch);
}

cql::ResultMessage Frontend::Run(query::ClientState& state, const Analytic& a,
                                 const cql::QueryParameters& params) {
  if (IsModelStatement(a.stmt)) {
    std::optional<exec::Rows> rows = ml_->Run(state, a.stmt, a.text);
    if (!rows) return cql::VoidResult{};
    return results_->FirstPage(ToRows(rows->schema, rows->batches, state.keyspace),
                               params.page_size);
  }
  auto resolve = [&](std::string_view ks, std::string_view table, std::string_view alias) {
    return exec::PlanScan(engine_->Source(KeyspaceFor(state, ks), table), std::string(alias));
  };
  auto run = [&](const exec::PlanPtr& plan, std::string_view kind) {
    auto job = exec::JobRegistry::Default().Start(std::string(kind), a.text);
    exec::OperatorPtr root = exec::PlanPhysical(plan);
    exec::ExecContext ctx = engine_->NewContext(job->progress());
    return exec::CollectAll(root, ctx);
  };
  // Writes the query's rows into ks.table, matching columns by position.
  auto insert = [&](const std::string& ks, const std::string& table,
                    const std::vector<std::string>& columns, const exec::PlanPtr& plan) {
    auto schema = engine_->catalog()->Snapshot()->FindTable(ks, table);
    if (!schema) ThrowInvalid("table {}.{} does not exist", ks, table);
    std::vector<std::string> targets = columns;
    if (targets.empty()) {
      for (const auto& c : schema->columns) targets.push_back(c.name);
    }
    if (targets.size() != plan->schema.size()) {
      ThrowInvalid("INSERT INTO {}.{} names {} columns but the query returns {}", ks, table,
                   targets.size(), plan->schema.size());
    }
    std::vector<exec::ExprPtr> exprs;
    for (size_t i = 0; i < targets.size(); ++i) {
      const auto* col = schema->Find(targets[i]);
      if (!col) ThrowInvalid("Undefined column name {} in table {}.{}", targets[i], ks, table);
      const auto& f = plan->schema.fields[i];
      auto ref = std::make_shared<exec::Expr>();
      ref->kind = exec::ExprKind::kColumn;
      ref->name = f.name;
      ref->qualifier = f.qualifier;
      exprs.push_back(f.type == col->type ? exec::ExprPtr(ref) : exec::Expr::Cast(ref, col->type));
    }
    auto projected = exec::PlanProject(plan, std::move(exprs), targets);
    // Splits are read lazily: a query that reads the table it fills would see
    // its own writes, so its rows are computed completely before any is written.
    if (ReadsTable(plan, ks + "." + table)) {
      auto rows = run(projected, "insert");
      projected = exec::PlanValues(projected->schema, std::move(rows));
    }
    auto job = exec::JobRegistry::Default().Start("insert", a.text);
    exec::OperatorPtr root = exec::PlanPhysical(projected);
    exec::ExecContext ctx = engine_->NewContext(job->progress());
    auto sink = engine_->Sink(ks, table);
    const exec::Schema& out = root->schema();
    exec::RunAll(root, ctx, [&](size_t, exec::Batch& b) { sink->Write(out, b); });
    return sink->Finish();
  };

  return std::visit(
      [&](const auto& s) -> cql::ResultMessage {
        using S = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<S, Select>) {
          auto plan = PlanQuery(s.query, resolve);
          auto batches = run(plan, "select");
          return results_->FirstPage(ToRows(plan->schema, batches, state.keyspace),
                                     params.page_size);
        } else if constexpr (std::is_same_v<S, Explain>) {
          auto plan = PlanQuery(s.query, resolve);
          std::string text = exec::ExplainPlan(plan) + "-- physical --\n" +
                             exec::ExplainTree(exec::PlanPhysical(plan));
          std::vector<Value> lines;
          size_t start = 0;
          while (start < text.size()) {
            size_t nl = text.find('\n', start);
            if (nl == std::string::npos) nl = text.size();
            lines.push_back(text.substr(start, nl - start));
            start = nl + 1;
          }
          return SingleColumn("plan", DataType::Of(TypeKind::kText), lines);
        } else if constexpr (std::is_same_v<S, InsertSelect>) {
          auto plan = PlanQuery(s.query, resolve);
          uint64_t n = insert(KeyspaceFor(state, s.table.keyspace), s.table.name, s.columns, plan);
          return SingleColumn("rows_written", DataType::Of(TypeKind::kBigint),
                              {cql::EncodeBigint(static_cast<int64_t>(n))});
        } else if constexpr (std::is_same_v<S, CreateTableAs>) {
          // The table is created exactly as the CQL statement before AS
          // would create it (same checks, same events), then filled.
          auto plan = PlanQuery(s.query, resolve);
          cql::QueryParameters ddl_params;
          auto created = cql_->Query(state, s.ddl, ddl_params);
          if (!std::holds_alternative<cql::SchemaChange>(created)) return created;
          // Query columns fill the new table's columns in declaration order.
          std::vector<std::string> declared;
          for (const auto& c : s.table.columns) declared.push_back(c.name);
          insert(KeyspaceFor(state, s.table.table.keyspace), s.table.table.name, declared, plan);
          return created;
        } else {
          throw std::logic_error("ML statements are run by MlStatements");
        }
      },
      a.stmt);
}

}  // namespace helenus::sql
