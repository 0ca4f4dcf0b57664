#include "helenus/query/processor.h"

#include <spdlog/spdlog.h>

#include "executor.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "prepared_cache.h"

namespace helenus::query {
namespace {

bool IsModification(const cql::ast::Statement& s) {
  return std::holds_alternative<cql::ast::Insert>(s) ||
         std::holds_alternative<cql::ast::Update>(s) || std::holds_alternative<cql::ast::Delete>(s);
}

const cql::ast::BatchChild* AsBatchChild(const cql::ast::Statement& s,
                                         std::vector<cql::ast::BatchChild>* storage) {
  storage->push_back(std::visit(
      [](const auto& x) -> cql::ast::BatchChild {
        using S = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<S, cql::ast::Insert> || std::is_same_v<S, cql::ast::Update> ||
                      std::is_same_v<S, cql::ast::Delete>) {
          return x;
        } else {
          ThrowInvalid(
              "Invalid statement in batch: only UPDATE, INSERT and DELETE statements "
              "are allowed.");
        }
      },
      s));
  return &storage->back();
}

}  // namespace

QueryProcessor::QueryProcessor(storage::Store* store, storage::Catalog* catalog, NodeInfo node)
    : executor_(std::make_unique<Executor>(store, catalog, std::move(node))),
      prepared_(std::make_unique<PreparedCache>()) {}

QueryProcessor::~QueryProcessor() = default;

void QueryProcessor::OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener) {
  executor_->OnSchemaChange(std::move(listener));
}

cql::ResultMessage QueryProcessor::Query(ClientState& state, std::string_view query,
                                         const cql::QueryParameters& params) {
  auto parsed = cql::ParseStatement(query);
  if (!params.names.empty()) {
    // Named values bind `?` markers by their receiver's name, as Cassandra does.
    auto described = executor_->Describe(parsed, state);
    for (size_t i = 0; i < parsed.bind_names.size(); ++i) {
      if (parsed.bind_names[i].empty() && i < described.bind_metadata.columns.size()) {
        parsed.bind_names[i] = described.bind_metadata.columns[i].name;
      }
    }
  }
  TermBinder binder(&params.values, &params.names, &parsed.bind_names, parsed.bind_count);
  ExecContext ctx{&state,
                  executor_->Schema(),
                  &binder,
                  &params,
                  params.default_timestamp.value_or(executor_->NextTimestamp()),
                  static_cast<int64_t>(time(nullptr))};
  auto result = executor_->Run(parsed.stmt, ctx);
  ForgetStalePrepared(result);
  return result;
}

void QueryProcessor::ForgetStalePrepared(const cql::ResultMessage& result) {
  // Prepared metadata may no longer match the schema: drivers get Unprepared
  // and prepare again, as Cassandra makes them do after DDL.
  if (std::holds_alternative<cql::SchemaChange>(result)) prepared_->Clear();
}

cql::ResultMessage QueryProcessor::Prepare(ClientState& state, std::string_view query) {
  std::string id = PreparedCache::IdFor(state.keyspace, query);
  auto stmt = std::make_shared<PreparedStatement>();
  stmt->parsed = cql::ParseStatement(query);
  stmt->keyspace = state.keyspace;
  stmt->result = executor_->Describe(stmt->parsed, state);
  stmt->result.id = id;
  prepared_->Put(id, stmt);
  return stmt->result;
}

cql::ResultMessage QueryProcessor::Execute(ClientState& state, std::string_view id,
                                           const cql::QueryParameters& params) {
  auto stmt = prepared_->Get(id);
  if (!stmt) {
    CqlError err(ErrorCode::kUnprepared,
                 fmt::format("Prepared query with ID {} not found (either the query was not "
                             "prepared on this host (maybe the host has been restarted?) or you "
                             "have prepared too many queries and it has been evicted from the "
                             "internal cache)",
                             HexEncode(id)));
    err.prepared_id = std::string(id);
    throw err;
  }
  // A prepared statement runs in the keyspace it was prepared in.
  ClientState exec_state = state;
  if (!stmt->keyspace.empty()) exec_state.keyspace = stmt->keyspace;
  TermBinder binder(&params.values, &params.names, &stmt->parsed.bind_names,
                    stmt->parsed.bind_count);
  ExecContext ctx{&exec_state,
                  executor_->Schema(),
                  &binder,
                  &params,
                  params.default_timestamp.value_or(executor_->NextTimestamp()),
                  static_cast<int64_t>(time(nullptr))};
  auto result = executor_->Run(stmt->parsed.stmt, ctx);
  ForgetStalePrepared(result);
  if (auto* rows = std::get_if<cql::RowsResult>(&result); rows && params.skip_metadata) {
    rows->metadata.no_metadata = true;
  }
  if (auto* use = std::get_if<cql::SetKeyspaceResult>(&result)) state.keyspace = use->keyspace;
  return result;
}

cql::ResultMessage QueryProcessor::Batch(ClientState& state, const cql::BatchRequest& batch) {
  // Children may be QUERY texts or prepared ids; keep what they point into alive.
  std::vector<cql::ParsedStatement> parsed_texts;
  std::vector<std::shared_ptr<const PreparedStatement>> prepared;
  std::vector<cql::ast::BatchChild> children_storage;
  std::vector<std::unique_ptr<TermBinder>> binders;
  parsed_texts.reserve(batch.statements.size());
  children_storage.reserve(batch.statements.size());
  std::vector<const cql::ast::BatchChild*> children;
  std::vector<TermBinder*> binder_ptrs;
  for (const auto& child : batch.statements) {
    const cql::ParsedStatement* parsed = nullptr;
    if (child.is_prepared) {
      auto stmt = prepared_->Get(child.query_or_id);
      if (!stmt) {
        CqlError err(ErrorCode::kUnprepared, fmt::format("Prepared query with ID {} not found",
                                                         HexEncode(child.query_or_id)));
        err.prepared_id = child.query_or_id;
        throw err;
      }
      parsed = &stmt->parsed;
      prepared.push_back(std::move(stmt));
    } else {
      parsed_texts.push_back(cql::ParseStatement(child.query_or_id));
      parsed = &parsed_texts.back();
    }
    if (!IsModification(parsed->stmt)) {
      ThrowInvalid(
          "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are "
          "allowed.");
    }
    children.push_back(AsBatchChild(parsed->stmt, &children_storage));
    binders.push_back(std::make_unique<TermBinder>(&child.values, nullptr, &parsed->bind_names,
                                                   parsed->bind_count));
    binder_ptrs.push_back(binders.back().get());
  }
  auto type = batch.type == 1   ? cql::ast::Batch::Type::kUnlogged
              : batch.type == 2 ? cql::ast::Batch::Type::kCounter
                                : cql::ast::Batch::Type::kLogged;
  ExecContext ctx{&state,
                  executor_->Schema(),
                  nullptr,
                  nullptr,
                  batch.default_timestamp.value_or(executor_->NextTimestamp()),
                  static_cast<int64_t>(time(nullptr))};
  return executor_->RunBatch(children, binder_ptrs, type, ctx);
}

}  // namespace helenus::query
