#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/error.h"
#include "helenus/common/value.h"
#include "helenus/cql/wire.h"

namespace helenus::cql {

// One bound value of a request: set, null or "not set" (unset).
struct BoundValue {
  enum class State { kSet, kNull, kUnset };
  State state = State::kNull;
  Bytes bytes;
};

// The parameters shared by QUERY and EXECUTE.
struct QueryParameters {
  uint16_t consistency = 1;
  uint8_t flags = 0;
  std::vector<BoundValue> values;
  std::vector<std::string> names;  // empty unless values were named (flag 0x40)
  bool skip_metadata = false;
  int32_t page_size = -1;  // <= 0: no paging
  std::optional<std::string> paging_state;
  std::optional<uint16_t> serial_consistency;
  std::optional<int64_t> default_timestamp;
};

// A decoded QUERY.
struct QueryRequest {
  std::string query;
  QueryParameters params;
};

// A decoded EXECUTE.
struct ExecuteRequest {
  std::string id;
  QueryParameters params;
};

// One statement of a BATCH: a query string or a prepared id, with its values.
struct BatchStatement {
  bool is_prepared = false;
  std::string query_or_id;
  std::vector<BoundValue> values;
};

// A decoded BATCH.
struct BatchRequest {
  uint8_t type = 0;  // 0 logged, 1 unlogged, 2 counter
  std::vector<BatchStatement> statements;
  uint16_t consistency = 1;
  std::optional<uint16_t> serial_consistency;
  std::optional<int64_t> default_timestamp;
};

// STARTUP options.
std::map<std::string, std::string> DecodeStartup(std::string_view body);
// QUERY body.
QueryRequest DecodeQuery(std::string_view body, uint8_t version);
// PREPARE body: the query string.
std::string DecodePrepare(std::string_view body);
// EXECUTE body.
ExecuteRequest DecodeExecute(std::string_view body, uint8_t version);
// BATCH body.
BatchRequest DecodeBatch(std::string_view body, uint8_t version);
// REGISTER body: the event types.
std::vector<std::string> DecodeRegister(std::string_view body);

// One result column (or bind marker) description.
struct ColumnSpec {
  std::string keyspace, table, name;
  DataType type;
};

// Rows metadata (also used for prepared bind and result metadata).
struct ResultMetadata {
  std::vector<ColumnSpec> columns;
  std::optional<std::string> paging_state;
  bool no_metadata = false;
};

// RESULT kind Rows.
struct RowsResult {
  ResultMetadata metadata;
  std::vector<std::vector<Value>> rows;
};

// RESULT kind Schema_change, and the SCHEMA_CHANGE event.
struct SchemaChange {
  std::string change_type;  // CREATED, UPDATED, DROPPED
  std::string target;       // KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE
  std::string keyspace, name;
  std::vector<std::string> arg_types;
};

// RESULT kind Prepared.
struct PreparedResult {
  std::string id;
  ResultMetadata bind_metadata;
  std::vector<uint16_t> pk_indexes;
  ResultMetadata result_metadata;
};

// RESULT kind Void.
struct VoidResult {};
// RESULT kind Set_keyspace.
struct SetKeyspaceResult {
  std::string keyspace;
};

// Any RESULT body.
using ResultMessage =
    std::variant<VoidResult, RowsResult, SetKeyspaceResult, PreparedResult, SchemaChange>;

// ERROR body for e, with the extra fields its code requires.
std::string EncodeError(const CqlError& e);
// READY body (empty).
std::string EncodeReady();
// SUPPORTED body.
std::string EncodeSupported(const std::map<std::string, std::vector<std::string>>& options);
// RESULT body.
std::string EncodeResult(const ResultMessage& result, uint8_t version);
// EVENT body for a schema change.
std::string EncodeSchemaChangeEvent(const SchemaChange& change);
// Writes a type [option] (duration goes out as a custom type under v3/v4).
void WriteTypeOption(WireWriter& w, const DataType& type);

}  // namespace helenus::cql
