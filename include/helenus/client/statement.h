#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "helenus/client/values.h"
#include "helenus/cql/messages.h"

namespace helenus::client {

// Consistency levels; the values are the protocol's.
enum class Consistency : uint16_t {
  kAny = 0x0000,
  kOne = 0x0001,
  kTwo = 0x0002,
  kThree = 0x0003,
  kQuorum = 0x0004,
  kAll = 0x0005,
  kLocalQuorum = 0x0006,
  kEachQuorum = 0x0007,
  kSerial = 0x0008,
  kLocalSerial = 0x0009,
  kLocalOne = 0x000A,
};

struct Statement;

// A statement prepared by Session::Prepare; shared by all the statements bound from it.
class PreparedStatement : public std::enable_shared_from_this<PreparedStatement> {
 public:
  // Built by the session from a PREPARED result.
  PreparedStatement(std::string query, std::string keyspace, cql::PreparedResult result);

  // The query text it was prepared from.
  const std::string& query() const { return query_; }
  // The session keyspace when it was prepared (re-prepares use it too).
  const std::string& keyspace() const { return keyspace_; }
  // The server's statement id (changes only if a re-prepare returns another id).
  std::string id() const;
  // Replaces the id and result columns after a transparent re-prepare (the
  // table may have changed).
  void Update(std::string id, std::vector<cql::ColumnSpec> result_columns) const;
  // One spec per bind marker, with its type.
  const std::vector<cql::ColumnSpec>& bind_columns() const { return bind_columns_; }
  // The result columns (used when the server answers with No_metadata).
  std::shared_ptr<const std::vector<cql::ColumnSpec>> result_columns() const;
  // Bind marker indexes of the partition key columns, in key order.
  const std::vector<uint16_t>& pk_indexes() const { return pk_indexes_; }
  // A statement that executes this one with values (one per bind marker).
  Statement Bind(std::vector<BoundValue> values) const;

 private:
  std::string query_;
  std::string keyspace_;
  mutable std::mutex mu_;
  mutable std::string id_;
  std::vector<cql::ColumnSpec> bind_columns_;
  mutable std::shared_ptr<const std::vector<cql::ColumnSpec>> result_columns_;
  std::vector<uint16_t> pk_indexes_;
};

// A simple (query text) or bound prepared statement, with its options.
struct Statement {
  std::string query;  // the CQL text (of the prepared statement, for bound ones)
  std::shared_ptr<const PreparedStatement> prepared;  // set for bound statements
  std::vector<BoundValue> values;                     // positional, or named with value_names
  std::vector<std::string> value_names;               // named values (simple statements only)
  Consistency consistency = Consistency::kOne;
  std::optional<Consistency> serial_consistency;
  int32_t page_size = 5000;                 // rows per page; <= 0 fetches everything at once
  std::optional<std::string> paging_state;  // resume from this page
  std::optional<int64_t> timestamp;         // default timestamp (microseconds)
  std::optional<bool> idempotent;           // unset: SELECTs are idempotent, the rest not
  std::chrono::milliseconds timeout{0};     // 0: the session's request timeout
  std::optional<std::string> routing_key;   // partition key bytes for token-aware routing

  // An empty statement.
  Statement() = default;
  // A simple statement with positional values.
  Statement(std::string text, std::vector<BoundValue> vals = {})
      : query(std::move(text)), values(std::move(vals)) {}
  // A simple statement from a literal.
  Statement(const char* text) : query(text) {}

  // True when retrying after a lost connection cannot apply it twice.
  bool IsIdempotent() const;
};

// BATCH kinds.
enum class BatchType : uint8_t { kLogged = 0, kUnlogged = 1, kCounter = 2 };

// A batch of simple and bound prepared statements (their own paging/timeout fields are ignored).
struct Batch {
  BatchType type = BatchType::kLogged;
  std::vector<Statement> statements;
  Consistency consistency = Consistency::kOne;
  std::optional<Consistency> serial_consistency;
  std::optional<int64_t> timestamp;
  std::optional<bool> idempotent;  // unset: not idempotent
  std::chrono::milliseconds timeout{0};

  // A batch of the given kind.
  explicit Batch(BatchType t = BatchType::kLogged) : type(t) {}
  // Appends a statement.
  Batch& Add(Statement s) {
    statements.push_back(std::move(s));
    return *this;
  }
};

}  // namespace helenus::client
