#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "helenus/cql/ast.h"
#include "helenus/cql/messages.h"
#include "helenus/cql/parser.h"
#include "helenus/query/processor.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"
#include "term_binder.h"

namespace helenus::query {

// Everything one statement execution needs besides the statement itself.
struct ExecContext {
  ClientState* state;
  std::shared_ptr<const storage::SchemaSnapshot> schema;
  TermBinder* binder;
  const cql::QueryParameters* params;  // nullptr inside a batch
  int64_t timestamp;                   // default write timestamp (micros)
  int64_t now_seconds;                 // for TTL expiry
};

// Runs parsed statements. One instance per server; thread-safe.
class Executor {
 public:
  Executor(storage::Store* store, storage::Catalog* catalog, NodeInfo node);

  // Runs stmt; throws CqlError on any user error.
  cql::ResultMessage Run(const cql::ast::Statement& stmt, ExecContext& ctx);
  // Applies the modifications of a BATCH (of QUERY or EXECUTE children).
  cql::ResultMessage RunBatch(const std::vector<const cql::ast::BatchChild*>& children,
                              const std::vector<TermBinder*>& binders, cql::ast::Batch::Type type,
                              ExecContext& ctx);
  // Bind-marker and result metadata of a statement about to be prepared.
  cql::PreparedResult Describe(const cql::ParsedStatement& parsed, const ClientState& state);

  // A new write timestamp in microseconds, strictly increasing.
  int64_t NextTimestamp();
  // The current schema.
  std::shared_ptr<const storage::SchemaSnapshot> Schema() const { return catalog_->Snapshot(); }
  // Registers the listener for schema changes.
  void OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener) {
    listener_ = std::move(listener);
  }

  storage::Store* store() const { return store_; }
  storage::Catalog* catalog() const { return catalog_; }
  const NodeInfo& node() const { return node_; }
  // Serializes lightweight transactions (read-check-write).
  std::mutex& lwt_mutex() { return lwt_mu_; }
  // Tells listeners about a schema change and returns it as the result.
  cql::ResultMessage SchemaChanged(cql::SchemaChange change);

 private:
  storage::Store* store_;
  storage::Catalog* catalog_;
  NodeInfo node_;
  std::function<void(const cql::SchemaChange&)> listener_;
  std::atomic<int64_t> last_timestamp_{0};
  std::mutex lwt_mu_;
};

// Resolves ks.t against the session keyspace; throws Invalid when no keyspace.
std::string ResolveKeyspace(const cql::ast::QualifiedName& name, const ClientState& state);

// Looks up a table or throws Invalid "unconfigured table t".
std::shared_ptr<const storage::TableSchema> RequireTable(const ExecContext& ctx,
                                                         const cql::ast::QualifiedName& name);

// DDL statements (ddl.cpp).
cql::ResultMessage RunDdl(Executor& ex, const cql::ast::Statement& stmt, ExecContext& ctx);
// INSERT / UPDATE / DELETE (modification.cpp); appends to mutations.
void BuildModification(Executor& ex, const cql::ast::BatchChild& stmt, ExecContext& ctx,
                       std::vector<storage::RowMutation>* mutations,
                       std::shared_ptr<const storage::TableSchema>* table);
// A single INSERT / UPDATE / DELETE, with IF conditions (modification.cpp).
cql::ResultMessage RunModification(Executor& ex, const cql::ast::BatchChild& stmt,
                                   ExecContext& ctx);
// True when a modification has IF conditions (IF EXISTS, IF NOT EXISTS, IF c = v).
bool HasConditions(const cql::ast::BatchChild& stmt);
// A modification with IF conditions: read, check, write (lwt.cpp).
cql::ResultMessage RunConditional(Executor& ex, const cql::ast::BatchChild& stmt, ExecContext& ctx);
// SELECT (select.cpp).
cql::ResultMessage RunSelect(Executor& ex, const cql::ast::Select& stmt, ExecContext& ctx);

}  // namespace helenus::query
