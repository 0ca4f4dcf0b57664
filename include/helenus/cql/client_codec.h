#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/common/data_type.h"
#include "helenus/common/error.h"
#include "helenus/cql/messages.h"
#include "helenus/cql/wire.h"

// The client half of the native protocol codec: request encoders and
// response decoders, the mirror images of messages.h.
namespace helenus::cql {

// STARTUP body: CQL_VERSION and, when not empty, COMPRESSION.
std::string EncodeStartup(const std::map<std::string, std::string>& options);
// OPTIONS body (empty).
std::string EncodeOptions();
// QUERY body; the flags are derived from params (params.flags is ignored).
std::string EncodeQuery(std::string_view query, const QueryParameters& params, uint8_t version);
// PREPARE body.
std::string EncodePrepare(std::string_view query);
// EXECUTE body; the flags are derived from params (params.flags is ignored).
std::string EncodeExecute(std::string_view id, const QueryParameters& params, uint8_t version);
// BATCH body.
std::string EncodeBatch(const BatchRequest& batch, uint8_t version);
// REGISTER body.
std::string EncodeRegister(const std::vector<std::string>& event_types);

// ERROR body -> CqlError with its code, message and extra fields (keyspace
// and table for AlreadyExists / FunctionFailure, the id for Unprepared).
CqlError DecodeError(std::string_view body);
// SUPPORTED body.
std::map<std::string, std::vector<std::string>> DecodeSupported(std::string_view body);
// RESULT body of any kind. Rows with No_metadata keep empty columns (the
// caller supplies the prepared statement's result metadata).
ResultMessage DecodeResult(std::string_view body, uint8_t version);
// EVENT body of a SCHEMA_CHANGE; throws CqlError(kProtocol) for other events.
SchemaChange DecodeSchemaChangeEvent(std::string_view body);
// The event type of an EVENT body (SCHEMA_CHANGE, TOPOLOGY_CHANGE, STATUS_CHANGE).
std::string EventType(std::string_view body);
// Reads a type [option]: the inverse of WriteTypeOption (the custom
// DurationType comes back as kDuration; UDTs keep their field types as params).
DataType ReadTypeOption(WireReader& r);

}  // namespace helenus::cql
