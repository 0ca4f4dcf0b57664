#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "helenus/cql/messages.h"

namespace helenus::storage {
class Store;
class Catalog;
}  // namespace helenus::storage

namespace helenus::query {

// Per-connection state a statement may read or change (USE).
struct ClientState {
  std::string keyspace;
  uint8_t protocol_version = 4;
};

// What system.local reports about this node.
struct NodeInfo {
  std::string cluster_name = "Helenus Cluster";
  std::string data_center = "datacenter1";
  std::string rack = "rack1";
  std::string listen_address = "127.0.0.1";
  int port = 9042;
};

class PreparedCache;
class Executor;

// What the server hands requests to (CQL alone, or CQL and analytic SQL).
// Implementations are thread-safe: the server calls them from its worker pool.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // QUERY: parses and runs one statement.
  virtual cql::ResultMessage Query(ClientState& state, std::string_view query,
                                   const cql::QueryParameters& params) = 0;
  // PREPARE: parses once, returns id and metadata.
  virtual cql::ResultMessage Prepare(ClientState& state, std::string_view query) = 0;
  // EXECUTE: runs a prepared statement; Unprepared error for unknown ids.
  virtual cql::ResultMessage Execute(ClientState& state, std::string_view id,
                                     const cql::QueryParameters& params) = 0;
  // BATCH: applies a group of modifications.
  virtual cql::ResultMessage Batch(ClientState& state, const cql::BatchRequest& batch) = 0;
  // Called after every schema change, for EVENT pushes.
  virtual void OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener) = 0;
};

// Runs CQL requests against the catalog and store.
class QueryProcessor final : public RequestHandler {
 public:
  QueryProcessor(storage::Store* store, storage::Catalog* catalog, NodeInfo node);
  ~QueryProcessor() override;

  cql::ResultMessage Query(ClientState& state, std::string_view query,
                           const cql::QueryParameters& params) override;
  cql::ResultMessage Prepare(ClientState& state, std::string_view query) override;
  cql::ResultMessage Execute(ClientState& state, std::string_view id,
                             const cql::QueryParameters& params) override;
  cql::ResultMessage Batch(ClientState& state, const cql::BatchRequest& batch) override;
  void OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener) override;

 private:
  // Drops prepared statements after a schema change.
  void ForgetStalePrepared(const cql::ResultMessage& result);

  std::unique_ptr<Executor> executor_;
  std::unique_ptr<PreparedCache> prepared_;
};

}  // namespace helenus::query
