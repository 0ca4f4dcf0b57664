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

// Runs CQL requests against the catalog and store. Thread-safe: the server
// calls it concurrently from its worker pool.
class QueryProcessor {
 public:
  QueryProcessor(storage::Store* store, storage::Catalog* catalog, NodeInfo node);
  ~QueryProcessor();

  // QUERY: parses and runs one statement.
  cql::ResultMessage Query(ClientState& state, std::string_view query,
                           const cql::QueryParameters& params);
  // PREPARE: parses once, returns id and metadata.
  cql::ResultMessage Prepare(ClientState& state, std::string_view query);
  // EXECUTE: runs a prepared statement; Unprepared error for unknown ids.
  cql::ResultMessage Execute(ClientState& state, std::string_view id,
                             const cql::QueryParameters& params);
  // BATCH: applies a group of modifications.
  cql::ResultMessage Batch(ClientState& state, const cql::BatchRequest& batch);
  // Called after every schema change, for EVENT pushes.
  void OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener);

 private:
  // Drops prepared statements after a schema change.
  void ForgetStalePrepared(const cql::ResultMessage& result);

  std::unique_ptr<Executor> executor_;
  std::unique_ptr<PreparedCache> prepared_;
};

}  // namespace helenus::query
