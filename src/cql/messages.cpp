#include "helenus/cql/messages.h"
#include "helenus/cql/frame.h"

#include <algorithm>

namespace helenus::cql {
namespace {

using namespace query_flags;  // NOLINT: the protocol flag names

BoundValue ReadBound(WireReader& r) {
  bool unset = false;
  Value v = r.ReadValue(&unset);
  if (unset) return {BoundValue::State::kUnset, {}};
  if (!v) return {BoundValue::State::kNull, {}};
  return {BoundValue::State::kSet, std::move(*v)};
}

// A [consistency]: ANY (0) to NODE_LOCAL (11), as Cassandra's codec accepts.
uint16_t ReadConsistency(WireReader& r) {
  uint16_t c = r.ReadShort();
  if (c > 11) ThrowProtocol("Unknown code {} for a consistency level", c);
  return c;
}

QueryParameters ReadParameters(WireReader& r) {
  QueryParameters p;
  p.consistency = ReadConsistency(r);
  p.flags = r.ReadByte();
  if (p.flags & kValues) {
    uint16_t n = r.ReadShort();
    // The count is the client's word: reserve no more than the body can hold.
    p.values.reserve(std::min<size_t>(n, r.remaining() / 4));
    for (uint16_t i = 0; i < n; ++i) {
      if (p.flags & kNamesForValues) p.names.push_back(r.ReadString());
      p.values.push_back(ReadBound(r));
    }
  }
  p.skip_metadata = (p.flags & kSkipMetadata) != 0;
  if (p.flags & kPageSize) {
    p.page_size = r.ReadInt();
    if (p.page_size == 0) ThrowProtocol("The page size cannot be 0");
  }
  if (p.flags & kPagingState) {
    auto state = r.ReadBytes();
    if (state) p.paging_state = std::move(*state);
  }
  if (p.flags & kSerialConsistency) p.serial_consistency = ReadConsistency(r);
  if (p.flags & kDefaultTimestamp) p.default_timestamp = r.ReadLong();
  return p;
}

void CheckConsumed(const WireReader& r, std::string_view what) {
  if (!r.AtEnd()) ThrowProtocol("{} message has {} unexpected trailing bytes", what, r.remaining());
}

using namespace rows_flags;  // NOLINT

bool SharesTable(const std::vector<ColumnSpec>& cols) {
  if (cols.empty()) return false;
  for (const auto& c : cols) {
    if (c.keyspace != cols[0].keyspace || c.table != cols[0].table) return false;
  }
  return true;
}

void WriteColumnSpecs(WireWriter& w, const std::vector<ColumnSpec>& cols, bool global) {
  if (global) {
    w.WriteString(cols[0].keyspace);
    w.WriteString(cols[0].table);
  }
  for (const auto& c : cols) {
    if (!global) {
      w.WriteString(c.keyspace);
      w.WriteString(c.table);
    }
    w.WriteString(c.name);
    WriteTypeOption(w, c.type);
  }
}

void WriteRowsMetadata(WireWriter& w, const ResultMetadata& md) {
  bool global = SharesTable(md.columns);
  int32_t flags = 0;
  if (md.no_metadata) {
    flags |= kNoMetadata;
  } else if (global) {
    flags |= kGlobalTablesSpec;
  }
  if (md.paging_state) flags |= kHasMorePages;
  w.WriteInt(flags);
  w.WriteInt(static_cast<int32_t>(md.columns.size()));
  if (md.paging_state) w.WriteBytes(std::string_view(*md.paging_state));
  if (!md.no_metadata) WriteColumnSpecs(w, md.columns, global);
}

void WriteSchemaChangeBody(WireWriter& w, const SchemaChange& c) {
  w.WriteString(c.change_type);
  w.WriteString(c.target);
  w.WriteString(c.keyspace);
  if (c.target == "KEYSPACE") return;
  w.WriteString(c.name);
  if (c.target == "FUNCTION" || c.target == "AGGREGATE") w.WriteStringList(c.arg_types);
}

}  // namespace

std::map<std::string, std::string> DecodeStartup(std::string_view body) {
  WireReader r(body);
  auto m = r.ReadStringMap();
  CheckConsumed(r, "STARTUP");
  return m;
}

QueryRequest DecodeQuery(std::string_view body, uint8_t) {
  WireReader r(body);
  QueryRequest q;
  q.query = r.ReadLongString();
  q.params = ReadParameters(r);
  return q;
}

std::string DecodePrepare(std::string_view body) {
  WireReader r(body);
  return r.ReadLongString();
}

ExecuteRequest DecodeExecute(std::string_view body, uint8_t) {
  WireReader r(body);
  ExecuteRequest e;
  e.id = r.ReadShortBytes();
  e.params = ReadParameters(r);
  return e;
}

BatchRequest DecodeBatch(std::string_view body, uint8_t) {
  WireReader r(body);
  BatchRequest b;
  b.type = r.ReadByte();
  if (b.type > 2) ThrowProtocol("Invalid BATCH type {}", b.type);
  uint16_t n = r.ReadShort();
  b.statements.reserve(std::min<size_t>(n, r.remaining() / 5));
  for (uint16_t i = 0; i < n; ++i) {
    BatchStatement s;
    uint8_t kind = r.ReadByte();
    if (kind == 0) {
      s.query_or_id = r.ReadLongString();
    } else if (kind == 1) {
      s.is_prepared = true;
      s.query_or_id = r.ReadShortBytes();
    } else {
      ThrowProtocol("Invalid BATCH statement kind {}", kind);
    }
    uint16_t nv = r.ReadShort();
    s.values.reserve(std::min<size_t>(nv, r.remaining() / 4));
    for (uint16_t j = 0; j < nv; ++j) s.values.push_back(ReadBound(r));
    b.statements.push_back(std::move(s));
  }
  b.consistency = ReadConsistency(r);
  uint8_t flags = r.ReadByte();
  if (flags & kSerialConsistency) b.serial_consistency = ReadConsistency(r);
  if (flags & kDefaultTimestamp) b.default_timestamp = r.ReadLong();
  return b;
}

std::vector<std::string> DecodeRegister(std::string_view body) {
  WireReader r(body);
  auto events = r.ReadStringList();
  for (const auto& e : events) {
    if (e != "TOPOLOGY_CHANGE" && e != "STATUS_CHANGE" && e != "SCHEMA_CHANGE") {
      ThrowProtocol("Invalid value '{}' for Type", e);
    }
  }
  return events;
}

std::string EncodeError(const CqlError& e) {
  WireWriter w;
  w.WriteInt(static_cast<int32_t>(e.code()));
  w.WriteString(e.what());
  switch (e.code()) {
    case ErrorCode::kUnavailable:
      w.WriteShort(1);
      w.WriteInt(1);
      w.WriteInt(0);
      break;
    case ErrorCode::kWriteTimeout:
      w.WriteShort(1);
      w.WriteInt(0);
      w.WriteInt(1);
      w.WriteString("SIMPLE");
      break;
    case ErrorCode::kReadTimeout:
      w.WriteShort(1);
      w.WriteInt(0);
      w.WriteInt(1);
      w.WriteByte(0);
      break;
    case ErrorCode::kReadFailure:
      w.WriteShort(1);
      w.WriteInt(0);
      w.WriteInt(1);
      w.WriteInt(1);
      w.WriteByte(0);
      break;
    case ErrorCode::kFunctionFailure:
      w.WriteString(e.keyspace);
      w.WriteString(e.table);
      w.WriteStringList({});
      break;
    case ErrorCode::kWriteFailure:
      w.WriteShort(1);
      w.WriteInt(0);
      w.WriteInt(1);
      w.WriteInt(1);
      w.WriteString("SIMPLE");
      break;
    case ErrorCode::kAlreadyExists:
      w.WriteString(e.keyspace);
      w.WriteString(e.table);
      break;
    case ErrorCode::kUnprepared:
      w.WriteShortBytes(e.prepared_id);
      break;
    default:
      break;
  }
  return std::move(w.buffer());
}

std::string EncodeReady() {
  return {};
}

std::string EncodeSupported(const std::map<std::string, std::vector<std::string>>& options) {
  WireWriter w;
  w.WriteStringMultimap(options);
  return std::move(w.buffer());
}

void WriteTypeOption(WireWriter& w, const DataType& type) {
  switch (type.kind) {
    case TypeKind::kDuration:
      // v3/v4 have no duration id: drivers expect the marshal class name.
      w.WriteShort(static_cast<uint16_t>(TypeKind::kCustom));
      w.WriteString("org.apache.cassandra.db.marshal.DurationType");
      return;
    case TypeKind::kCustom:
      w.WriteShort(0);
      w.WriteString(type.custom_class);
      return;
    case TypeKind::kList:
    case TypeKind::kSet:
      w.WriteShort(static_cast<uint16_t>(type.kind));
      WriteTypeOption(w, type.params.at(0));
      return;
    case TypeKind::kMap:
      w.WriteShort(static_cast<uint16_t>(type.kind));
      WriteTypeOption(w, type.params.at(0));
      WriteTypeOption(w, type.params.at(1));
      return;
    case TypeKind::kTuple:
      w.WriteShort(static_cast<uint16_t>(type.kind));
      w.WriteShort(static_cast<uint16_t>(type.params.size()));
      for (const auto& p : type.params) WriteTypeOption(w, p);
      return;
    default:
      w.WriteShort(static_cast<uint16_t>(type.kind));
      return;
  }
}

std::string EncodeResult(const ResultMessage& result, uint8_t) {
  WireWriter w;
  std::visit(
      [&](const auto& r) {
        using R = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<R, VoidResult>) {
          w.WriteInt(1);
        } else if constexpr (std::is_same_v<R, RowsResult>) {
          size_t estimate = 64;
          for (const auto& row : r.rows) {
            for (const auto& v : row) estimate += 4 + (v ? v->size() : 0);
          }
          w.Reserve(estimate);
          w.WriteInt(2);
          WriteRowsMetadata(w, r.metadata);
          w.WriteInt(static_cast<int32_t>(r.rows.size()));
          for (const auto& row : r.rows) {
            for (const auto& v : row) w.WriteBytes(v);
          }
        } else if constexpr (std::is_same_v<R, SetKeyspaceResult>) {
          w.WriteInt(3);
          w.WriteString(r.keyspace);
        } else if constexpr (std::is_same_v<R, PreparedResult>) {
          w.WriteInt(4);
          w.WriteShortBytes(r.id);
          const auto& cols = r.bind_metadata.columns;
          bool global = SharesTable(cols);
          w.WriteInt(global ? kGlobalTablesSpec : 0);
          w.WriteInt(static_cast<int32_t>(cols.size()));
          w.WriteInt(static_cast<int32_t>(r.pk_indexes.size()));
          for (uint16_t i : r.pk_indexes) w.WriteShort(i);
          WriteColumnSpecs(w, cols, global);
          ResultMetadata md = r.result_metadata;
          md.paging_state.reset();
          WriteRowsMetadata(w, md);
        } else {
          w.WriteInt(5);
          WriteSchemaChangeBody(w, r);
        }
      },
      result);
  return std::move(w.buffer());
}

std::string EncodeSchemaChangeEvent(const SchemaChange& change) {
  WireWriter w;
  w.WriteString("SCHEMA_CHANGE");
  WriteSchemaChangeBody(w, change);
  return std::move(w.buffer());
}

}  // namespace helenus::cql
