#pragma once

// The server's request handler: CQL first, with Cassandra's exact meaning;
// statements CQL rejects that are analytic SQL (a SELECT ending in ALLOW
// FILTERING, INSERT INTO ... SELECT, CREATE TABLE ... AS SELECT, EXPLAIN)
// and the ML statements (CREATE MODEL, EVALUATE, PREDICT, ...) run on the
// analytics engine and answer with ordinary CQL rows.

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "helenus/exec/dataframe.h"
#include "helenus/query/processor.h"

namespace helenus::sql {

class ResultCache;
class MlStatements;

// CQL plus analytic SQL behind one RequestHandler.
class Frontend final : public query::RequestHandler {
 public:
  Frontend(query::QueryProcessor* cql, exec::Engine* engine);
  ~Frontend() override;

  cql::ResultMessage Query(query::ClientState& state, std::string_view query,
                           const cql::QueryParameters& params) override;
  cql::ResultMessage Prepare(query::ClientState& state, std::string_view query) override;
  cql::ResultMessage Execute(query::ClientState& state, std::string_view id,
                             const cql::QueryParameters& params) override;
  cql::ResultMessage Batch(query::ClientState& state, const cql::BatchRequest& batch) override;
  void OnSchemaChange(std::function<void(const cql::SchemaChange&)> listener) override;

 private:
  struct Analytic;
  // The analytic statement text is, or nullptr when it is none (then the CQL error stands).
  std::shared_ptr<const Analytic> ParseAnalytic(std::string_view text) const;
  cql::ResultMessage Run(query::ClientState& state, const Analytic& stmt,
                         const cql::QueryParameters& params);

  query::QueryProcessor* cql_;
  exec::Engine* engine_;
  std::unique_ptr<ResultCache> results_;
  std::unique_ptr<MlStatements> ml_;
  std::mutex prepared_mu_;
  std::map<std::string, std::shared_ptr<const Analytic>> prepared_;  // id -> statement
};

}  // namespace helenus::sql
