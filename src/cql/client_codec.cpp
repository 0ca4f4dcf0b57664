#include "helenus/cql/client_codec.h"
#include "helenus/cql/frame.h"

#include <algorithm>

namespace helenus::cql {
namespace {

using namespace query_flags;  // NOLINT: the protocol flag names

using namespace rows_flags;  // NOLINT

constexpr std::string_view kDurationClass = "org.apache.cassandra.db.marshal.DurationType";

void WriteBound(WireWriter& w, const BoundValue& v) {
  switch (v.state) {
    case BoundValue::State::kSet:
      w.WriteBytes(std::string_view(v.bytes));
      return;
    case BoundValue::State::kNull:
      w.WriteInt(-1);
      return;
    case BoundValue::State::kUnset:
      w.WriteInt(-2);
      return;
  }
}

void WriteParameters(WireWriter& w, const QueryParameters& p) {
  // Flags are derived from the fields so that a caller cannot send a flag
  // without its field (or the reverse).
  uint8_t flags = 0;
  if (!p.values.empty()) flags |= kValues;
  if (!p.names.empty()) flags |= kNamesForValues;
  if (p.skip_metadata) flags |= kSkipMetadata;
  if (p.page_size > 0) flags |= kPageSize;
  if (p.paging_state) flags |= kPagingState;
  if (p.serial_consistency) flags |= kSerialConsistency;
  if (p.default_timestamp) flags |= kDefaultTimestamp;
  if (!p.names.empty() && p.names.size() != p.values.size()) {
    ThrowProtocol("{} value names for {} values", p.names.size(), p.values.size());
  }
  if (p.values.size() > 0xFFFF) ThrowProtocol("Too many values: {}", p.values.size());
  w.WriteShort(p.consistency);
  w.WriteByte(flags);
  if (flags & kValues) {
    w.WriteShort(static_cast<uint16_t>(p.values.size()));
    for (size_t i = 0; i < p.values.size(); ++i) {
      if (flags & kNamesForValues) w.WriteString(p.names[i]);
      WriteBound(w, p.values[i]);
    }
  }
  if (flags & kPageSize) w.WriteInt(p.page_size);
  if (flags & kPagingState) w.WriteBytes(std::string_view(*p.paging_state));
  if (flags & kSerialConsistency) w.WriteShort(*p.serial_consistency);
  if (flags & kDefaultTimestamp) w.WriteLong(*p.default_timestamp);
}

std::vector<ColumnSpec> ReadColumnSpecs(WireReader& r, int32_t count, bool global) {
  if (count < 0) ThrowProtocol("Negative column count {}", count);
  std::string ks, table;
  if (global) {
    ks = r.ReadString();
    table = r.ReadString();
  }
  std::vector<ColumnSpec> cols;
  // The count comes off the wire: a spec takes at least 4 bytes.
  cols.reserve(std::min<size_t>(count, r.remaining() / 4 + 1));
  for (int32_t i = 0; i < count; ++i) {
    ColumnSpec c;
    if (global) {
      c.keyspace = ks;
      c.table = table;
    } else {
      c.keyspace = r.ReadString();
      c.table = r.ReadString();
    }
    c.name = r.ReadString();
    c.type = ReadTypeOption(r);
    cols.push_back(std::move(c));
  }
  return cols;
}

ResultMetadata ReadRowsMetadata(WireReader& r) {
  ResultMetadata md;
  int32_t flags = r.ReadInt();
  int32_t count = r.ReadInt();
  if (flags & kHasMorePages) {
    auto state = r.ReadBytes();
    if (state) md.paging_state = std::move(*state);
  }
  if (flags & kNoMetadata) {
    md.no_metadata = true;
    if (count < 0) ThrowProtocol("Negative column count {}", count);
    // The column count is still known: keep placeholders so rows decode.
    md.columns.resize(static_cast<size_t>(std::min<int32_t>(count, 0xFFFF)));
    return md;
  }
  md.columns = ReadColumnSpecs(r, count, (flags & kGlobalTablesSpec) != 0);
  return md;
}

SchemaChange ReadSchemaChangeBody(WireReader& r) {
  SchemaChange c;
  c.change_type = r.ReadString();
  c.target = r.ReadString();
  c.keyspace = r.ReadString();
  if (c.target == "KEYSPACE") return c;
  c.name = r.ReadString();
  if (c.target == "FUNCTION" || c.target == "AGGREGATE") c.arg_types = r.ReadStringList();
  return c;
}

}  // namespace

std::string EncodeStartup(const std::map<std::string, std::string>& options) {
  WireWriter w;
  w.WriteShort(static_cast<uint16_t>(options.size()));
  for (const auto& [k, v] : options) {
    w.WriteString(k);
    w.WriteString(v);
  }
  return std::move(w.buffer());
}

std::string EncodeOptions() {
  return {};
}

std::string EncodeQuery(std::string_view query, const QueryParameters& params, uint8_t) {
  WireWriter w;
  w.WriteLongString(query);
  WriteParameters(w, params);
  return std::move(w.buffer());
}

std::string EncodePrepare(std::string_view query) {
  WireWriter w;
  w.WriteLongString(query);
  return std::move(w.buffer());
}

std::string EncodeExecute(std::string_view id, const QueryParameters& params, uint8_t) {
  WireWriter w;
  w.WriteShortBytes(id);
  WriteParameters(w, params);
  return std::move(w.buffer());
}

std::string EncodeBatch(const BatchRequest& batch, uint8_t) {
  WireWriter w;
  w.WriteByte(batch.type);
  if (batch.statements.size() > 0xFFFF) {
    ThrowProtocol("Too many statements in a batch: {}", batch.statements.size());
  }
  w.WriteShort(static_cast<uint16_t>(batch.statements.size()));
  for (const auto& s : batch.statements) {
    if (s.is_prepared) {
      w.WriteByte(1);
      w.WriteShortBytes(s.query_or_id);
    } else {
      w.WriteByte(0);
      w.WriteLongString(s.query_or_id);
    }
    if (s.values.size() > 0xFFFF) ThrowProtocol("Too many values: {}", s.values.size());
    w.WriteShort(static_cast<uint16_t>(s.values.size()));
    for (const auto& v : s.values) WriteBound(w, v);
  }
  w.WriteShort(batch.consistency);
  uint8_t flags = 0;
  if (batch.serial_consistency) flags |= kSerialConsistency;
  if (batch.default_timestamp) flags |= kDefaultTimestamp;
  w.WriteByte(flags);
  if (batch.serial_consistency) w.WriteShort(*batch.serial_consistency);
  if (batch.default_timestamp) w.WriteLong(*batch.default_timestamp);
  return std::move(w.buffer());
}

std::string EncodeRegister(const std::vector<std::string>& event_types) {
  WireWriter w;
  w.WriteStringList(event_types);
  return std::move(w.buffer());
}

CqlError DecodeError(std::string_view body) {
  WireReader r(body);
  auto code = static_cast<ErrorCode>(r.ReadInt());
  CqlError e(code, r.ReadString());
  // Extra fields: only those a client acts on are kept; the rest are skipped
  // by ignoring the remaining bytes.
  switch (code) {
    case ErrorCode::kAlreadyExists:
      e.keyspace = r.ReadString();
      e.table = r.ReadString();
      break;
    case ErrorCode::kFunctionFailure:
      e.keyspace = r.ReadString();
      e.table = r.ReadString();
      break;
    case ErrorCode::kUnprepared:
      e.prepared_id = r.ReadShortBytes();
      break;
    default:
      break;
  }
  return e;
}

std::map<std::string, std::vector<std::string>> DecodeSupported(std::string_view body) {
  WireReader r(body);
  return r.ReadStringMultimap();
}

DataType ReadTypeOption(WireReader& r) {
  auto id = static_cast<TypeKind>(r.ReadShort());
  switch (id) {
    case TypeKind::kCustom: {
      std::string cls = r.ReadString();
      if (cls == kDurationClass) return DataType::Of(TypeKind::kDuration);
      DataType t = DataType::Of(TypeKind::kCustom);
      t.custom_class = std::move(cls);
      return t;
    }
    case TypeKind::kList:
      return DataType::List(ReadTypeOption(r));
    case TypeKind::kSet:
      return DataType::Set(ReadTypeOption(r));
    case TypeKind::kMap: {
      DataType k = ReadTypeOption(r);
      DataType v = ReadTypeOption(r);
      return DataType::Map(std::move(k), std::move(v));
    }
    case TypeKind::kTuple: {
      uint16_t n = r.ReadShort();
      std::vector<DataType> elems;
      elems.reserve(std::min<size_t>(n, r.remaining() / 2 + 1));
      for (uint16_t i = 0; i < n; ++i) elems.push_back(ReadTypeOption(r));
      return DataType::Tuple(std::move(elems));
    }
    case TypeKind::kUdt: {
      // [string ks][string name][short n] n x ([string field][option]); the
      // name is kept in custom_class as "ks.name", field types in params.
      DataType t = DataType::Of(TypeKind::kUdt);
      std::string ks = r.ReadString();
      t.custom_class = ks + "." + r.ReadString();
      uint16_t n = r.ReadShort();
      for (uint16_t i = 0; i < n; ++i) {
        r.ReadString();
        t.params.push_back(ReadTypeOption(r));
      }
      t.frozen = true;
      return t;
    }
    case TypeKind::kAscii:
    case TypeKind::kBigint:
    case TypeKind::kBlob:
    case TypeKind::kBoolean:
    case TypeKind::kCounter:
    case TypeKind::kDecimal:
    case TypeKind::kDouble:
    case TypeKind::kFloat:
    case TypeKind::kInt:
    case TypeKind::kTimestamp:
    case TypeKind::kUuid:
    case TypeKind::kText:
    case TypeKind::kVarint:
    case TypeKind::kTimeuuid:
    case TypeKind::kInet:
    case TypeKind::kDate:
    case TypeKind::kTime:
    case TypeKind::kSmallint:
    case TypeKind::kTinyint:
    case TypeKind::kDuration:
      return DataType::Of(id);
  }
  ThrowProtocol("Unknown type option id 0x{:04x}", static_cast<int>(id));
}

ResultMessage DecodeResult(std::string_view body, uint8_t) {
  WireReader r(body);
  int32_t kind = r.ReadInt();
  switch (kind) {
    case 1:
      return VoidResult{};
    case 2: {
      RowsResult rows;
      rows.metadata = ReadRowsMetadata(r);
      int32_t n = r.ReadInt();
      if (n < 0) ThrowProtocol("Negative row count {}", n);
      size_t width = rows.metadata.columns.size();
      // Each cell takes at least its 4-byte length: bound the reservation.
      size_t max_rows = width == 0 ? 0 : r.remaining() / (4 * width);
      if (width == 0 && n > 0) ThrowProtocol("{} rows without columns", n);
      if (static_cast<size_t>(n) > max_rows) ThrowProtocol("Row count {} exceeds the body", n);
      rows.rows.resize(static_cast<size_t>(n));
      for (auto& row : rows.rows) {
        row.reserve(width);
        for (size_t c = 0; c < width; ++c) row.push_back(r.ReadBytes());
      }
      return rows;
    }
    case 3:
      return SetKeyspaceResult{r.ReadString()};
    case 4: {
      PreparedResult p;
      p.id = r.ReadShortBytes();
      int32_t flags = r.ReadInt();
      int32_t count = r.ReadInt();
      int32_t pk_count = r.ReadInt();
      if (pk_count < 0 || pk_count > 0xFFFF) ThrowProtocol("Bad pk count {}", pk_count);
      for (int32_t i = 0; i < pk_count; ++i) p.pk_indexes.push_back(r.ReadShort());
      p.bind_metadata.columns = ReadColumnSpecs(r, count, (flags & kGlobalTablesSpec) != 0);
      p.result_metadata = ReadRowsMetadata(r);
      return p;
    }
    case 5:
      return ReadSchemaChangeBody(r);
    default:
      ThrowProtocol("Unknown RESULT kind {}", kind);
  }
}

std::string EventType(std::string_view body) {
  WireReader r(body);
  return r.ReadString();
}

SchemaChange DecodeSchemaChangeEvent(std::string_view body) {
  WireReader r(body);
  std::string type = r.ReadString();
  if (type != "SCHEMA_CHANGE") ThrowProtocol("Not a SCHEMA_CHANGE event: {}", type);
  return ReadSchemaChangeBody(r);
}

}  // namespace helenus::cql
