#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "helenus/cql/messages.h"
#include "helenus/cql/parser.h"

namespace helenus::query {

// A statement prepared once and executed many times.
struct PreparedStatement {
  cql::ParsedStatement parsed;
  cql::PreparedResult result;  // what PREPARE answered
  std::string keyspace;        // the session keyspace at PREPARE time
};

// Prepared statements by id. The id is a hash of keyspace and text, so the
// same statement prepared twice (or after a restart) gets the same id.
class PreparedCache {
 public:
  // Computes the id of query prepared in keyspace.
  static std::string IdFor(std::string_view keyspace, std::string_view query);
  // Stores a statement under its id.
  void Put(const std::string& id, std::shared_ptr<const PreparedStatement> stmt);
  // The statement with id, or nullptr.
  std::shared_ptr<const PreparedStatement> Get(std::string_view id) const;
  // Forgets every statement (their metadata may be stale after DDL).
  void Clear();

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const PreparedStatement>> by_id_;
};

}  // namespace helenus::query
