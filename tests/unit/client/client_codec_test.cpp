// Round trips of the client codec against the server-side codec in messages.h.
#include "helenus/cql/client_codec.h"

#include <gtest/gtest.h>

#include "helenus/cql/value_codec.h"

namespace helenus::cql {
namespace {

BoundValue Set(std::string b) {
  return {BoundValue::State::kSet, std::move(b)};
}

TEST(ClientCodecTest, QueryRoundTripsWithAllFlags) {
  QueryParameters p;
  p.consistency = 6;
  p.values = {Set(EncodeInt(5)), {BoundValue::State::kNull, {}}, {BoundValue::State::kUnset, {}}};
  p.skip_metadata = true;
  p.page_size = 100;
  p.paging_state = "state";
  p.serial_consistency = 9;
  p.default_timestamp = 1234567;
  QueryRequest q = DecodeQuery(EncodeQuery("SELECT * FROM t WHERE k = ?", p, 4), 4);
  EXPECT_EQ(q.query, "SELECT * FROM t WHERE k = ?");
  EXPECT_EQ(q.params.consistency, 6);
  ASSERT_EQ(q.params.values.size(), 3u);
  EXPECT_EQ(q.params.values[0].bytes, EncodeInt(5));
  EXPECT_EQ(q.params.values[1].state, BoundValue::State::kNull);
  EXPECT_EQ(q.params.values[2].state, BoundValue::State::kUnset);
  EXPECT_TRUE(q.params.skip_metadata);
  EXPECT_EQ(q.params.page_size, 100);
  EXPECT_EQ(q.params.paging_state, "state");
  EXPECT_EQ(q.params.serial_consistency, 9);
  EXPECT_EQ(q.params.default_timestamp, 1234567);
}

TEST(ClientCodecTest, MinimalQueryAndNamedValues) {
  QueryParameters p;
  QueryRequest q = DecodeQuery(EncodeQuery("SELECT 1", p, 4), 4);
  EXPECT_EQ(q.params.flags, 0);
  EXPECT_EQ(q.params.page_size, -1);
  EXPECT_FALSE(q.params.paging_state);

  p.values = {Set("x"), Set("y")};
  p.names = {"a", "b"};
  QueryRequest named = DecodeQuery(EncodeQuery("INSERT", p, 4), 4);
  EXPECT_EQ(named.params.names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(named.params.values.at(1).bytes, "y");

  p.names = {"a"};
  EXPECT_THROW(EncodeQuery("INSERT", p, 4), CqlError);
}

TEST(ClientCodecTest, StartupPrepareExecuteRegisterBatch) {
  auto opts = DecodeStartup(EncodeStartup({{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}}));
  EXPECT_EQ(opts["CQL_VERSION"], "3.0.0");
  EXPECT_EQ(opts["COMPRESSION"], "lz4");
  EXPECT_EQ(DecodePrepare(EncodePrepare("SELECT ?")), "SELECT ?");
  EXPECT_TRUE(EncodeOptions().empty());

  QueryParameters p;
  p.values = {Set(EncodeBigint(7))};
  p.page_size = 10;
  ExecuteRequest e = DecodeExecute(EncodeExecute(std::string("\x01\x02\x00", 3), p, 4), 4);
  EXPECT_EQ(e.id, std::string("\x01\x02\x00", 3));
  EXPECT_EQ(e.params.values.at(0).bytes, EncodeBigint(7));
  EXPECT_EQ(e.params.page_size, 10);

  EXPECT_EQ(DecodeRegister(EncodeRegister({"SCHEMA_CHANGE", "STATUS_CHANGE"})),
            (std::vector<std::string>{"SCHEMA_CHANGE", "STATUS_CHANGE"}));

  BatchRequest b;
  b.type = 1;
  b.statements = {{false, "INSERT INTO t (k) VALUES (?)", {Set(EncodeInt(1))}},
                  {true, "id-1", {Set(EncodeInt(2)), {BoundValue::State::kNull, {}}}}};
  b.consistency = 4;
  b.serial_consistency = 8;
  b.default_timestamp = 99;
  BatchRequest d = DecodeBatch(EncodeBatch(b, 4), 4);
  EXPECT_EQ(d.type, 1);
  ASSERT_EQ(d.statements.size(), 2u);
  EXPECT_FALSE(d.statements[0].is_prepared);
  EXPECT_EQ(d.statements[0].query_or_id, "INSERT INTO t (k) VALUES (?)");
  EXPECT_TRUE(d.statements[1].is_prepared);
  EXPECT_EQ(d.statements[1].query_or_id, "id-1");
  EXPECT_EQ(d.statements[1].values.at(1).state, BoundValue::State::kNull);
  EXPECT_EQ(d.consistency, 4);
  EXPECT_EQ(d.serial_consistency, 8);
  EXPECT_EQ(d.default_timestamp, 99);
}

TEST(ClientCodecTest, ErrorsKeepCodeMessageAndExtras) {
  CqlError exists(ErrorCode::kAlreadyExists, "Table ks.t already exists");
  exists.keyspace = "ks";
  exists.table = "t";
  CqlError e = DecodeError(EncodeError(exists));
  EXPECT_EQ(e.code(), ErrorCode::kAlreadyExists);
  EXPECT_STREQ(e.what(), "Table ks.t already exists");
  EXPECT_EQ(e.keyspace, "ks");
  EXPECT_EQ(e.table, "t");

  CqlError unprepared(ErrorCode::kUnprepared, "unknown id");
  unprepared.prepared_id = std::string("\xAB\x00\xCD", 3);
  EXPECT_EQ(DecodeError(EncodeError(unprepared)).prepared_id, std::string("\xAB\x00\xCD", 3));

  for (ErrorCode code : {ErrorCode::kWriteTimeout, ErrorCode::kReadTimeout, ErrorCode::kSyntax,
                         ErrorCode::kInvalid, ErrorCode::kUnavailable, ErrorCode::kProtocol}) {
    CqlError round = DecodeError(EncodeError(CqlError(code, "m")));
    EXPECT_EQ(round.code(), code);
    EXPECT_STREQ(round.what(), "m");
  }
}

TEST(ClientCodecTest, SupportedAndEvents) {
  std::map<std::string, std::vector<std::string>> opts{{"CQL_VERSION", {"3.4.5"}},
                                                       {"COMPRESSION", {"lz4", "snappy"}}};
  EXPECT_EQ(DecodeSupported(EncodeSupported(opts)), opts);

  SchemaChange c{"CREATED", "TABLE", "ks", "t", {}};
  std::string body = EncodeSchemaChangeEvent(c);
  EXPECT_EQ(EventType(body), "SCHEMA_CHANGE");
  SchemaChange d = DecodeSchemaChangeEvent(body);
  EXPECT_EQ(d.change_type, "CREATED");
  EXPECT_EQ(d.target, "TABLE");
  EXPECT_EQ(d.keyspace, "ks");
  EXPECT_EQ(d.name, "t");
}

std::vector<ColumnSpec> AllTypes(const std::string& table) {
  std::vector<ColumnSpec> cols;
  int i = 0;
  for (auto k :
       {TypeKind::kAscii,   TypeKind::kBigint,    TypeKind::kBlob,    TypeKind::kBoolean,
        TypeKind::kCounter, TypeKind::kDecimal,   TypeKind::kDouble,  TypeKind::kFloat,
        TypeKind::kInt,     TypeKind::kTimestamp, TypeKind::kUuid,    TypeKind::kText,
        TypeKind::kVarint,  TypeKind::kTimeuuid,  TypeKind::kInet,    TypeKind::kDate,
        TypeKind::kTime,    TypeKind::kSmallint,  TypeKind::kTinyint, TypeKind::kDuration}) {
    cols.push_back({"ks", table, "c" + std::to_string(i++), DataType::Of(k)});
  }
  cols.push_back({"ks", table, "l", DataType::List(DataType::Of(TypeKind::kInt))});
  cols.push_back({"ks", table, "s", DataType::Set(DataType::Of(TypeKind::kText))});
  cols.push_back({"ks", table, "m",
                  DataType::Map(DataType::Of(TypeKind::kText),
                                DataType::List(DataType::Of(TypeKind::kDuration)))});
  cols.push_back({"ks", table, "tp",
                  DataType::Tuple({DataType::Of(TypeKind::kInt), DataType::Of(TypeKind::kText)})});
  return cols;
}

TEST(ClientCodecTest, RowsRoundTripWithPagingStateAndTypes) {
  RowsResult rows;
  rows.metadata.columns = AllTypes("t");
  rows.metadata.paging_state = std::string("\x00\x01page", 6);
  size_t n = rows.metadata.columns.size();
  for (int r = 0; r < 3; ++r) {
    std::vector<Value> row(n);
    row[0] = "ascii";
    row[8] = EncodeInt(r);
    rows.rows.push_back(row);
  }
  auto msg = DecodeResult(EncodeResult(rows, 4), 4);
  auto* back = std::get_if<RowsResult>(&msg);
  ASSERT_NE(back, nullptr);
  EXPECT_EQ(back->metadata.paging_state, rows.metadata.paging_state);
  ASSERT_EQ(back->metadata.columns.size(), n);
  for (size_t i = 0; i < n; ++i) {
    EXPECT_EQ(back->metadata.columns[i].type, rows.metadata.columns[i].type) << i;
    EXPECT_EQ(back->metadata.columns[i].name, rows.metadata.columns[i].name);
    EXPECT_EQ(back->metadata.columns[i].keyspace, "ks");
    EXPECT_EQ(back->metadata.columns[i].table, "t");
  }
  EXPECT_EQ(back->rows, rows.rows);

  // Columns from two tables: per-column specs instead of the global one.
  RowsResult mixed;
  mixed.metadata.columns = {{"a", "t1", "x", DataType::Of(TypeKind::kInt)},
                            {"b", "t2", "y", DataType::Of(TypeKind::kText)}};
  mixed.rows = {{EncodeInt(1), std::nullopt}};
  auto m = std::get<RowsResult>(DecodeResult(EncodeResult(mixed, 4), 4));
  EXPECT_EQ(m.metadata.columns[1].keyspace, "b");
  EXPECT_EQ(m.metadata.columns[1].table, "t2");
  EXPECT_FALSE(m.rows[0][1].has_value());
  EXPECT_FALSE(m.metadata.paging_state);
}

TEST(ClientCodecTest, NoMetadataRowsKeepTheColumnCount) {
  RowsResult rows;
  rows.metadata.columns = {{"ks", "t", "a", DataType::Of(TypeKind::kInt)},
                           {"ks", "t", "b", DataType::Of(TypeKind::kInt)}};
  rows.metadata.no_metadata = true;
  rows.metadata.paging_state = "p";
  rows.rows = {{EncodeInt(1), EncodeInt(2)}};
  auto back = std::get<RowsResult>(DecodeResult(EncodeResult(rows, 4), 4));
  EXPECT_TRUE(back.metadata.no_metadata);
  EXPECT_EQ(back.metadata.columns.size(), 2u);
  EXPECT_EQ(back.metadata.paging_state, "p");
  EXPECT_EQ(back.rows, rows.rows);
}

TEST(ClientCodecTest, PreparedVoidKeyspaceSchemaChange) {
  PreparedResult p;
  p.id = std::string("\x10\x00\x20", 3);
  p.bind_metadata.columns = {{"ks", "t", "k1", DataType::Of(TypeKind::kInt)},
                             {"ks", "t", "v", DataType::Of(TypeKind::kText)},
                             {"ks", "t", "k2", DataType::Of(TypeKind::kDuration)}};
  p.pk_indexes = {0, 2};
  p.result_metadata.columns = {{"ks", "t", "v", DataType::Of(TypeKind::kText)}};
  auto back = std::get<PreparedResult>(DecodeResult(EncodeResult(p, 4), 4));
  EXPECT_EQ(back.id, p.id);
  EXPECT_EQ(back.pk_indexes, p.pk_indexes);
  ASSERT_EQ(back.bind_metadata.columns.size(), 3u);
  EXPECT_EQ(back.bind_metadata.columns[2].type.kind, TypeKind::kDuration);
  EXPECT_EQ(back.result_metadata.columns.at(0).name, "v");

  EXPECT_TRUE(std::holds_alternative<VoidResult>(DecodeResult(EncodeResult(VoidResult{}, 4), 4)));
  EXPECT_EQ(std::get<SetKeyspaceResult>(DecodeResult(EncodeResult(SetKeyspaceResult{"ks"}, 4), 4))
                .keyspace,
            "ks");
  SchemaChange fn{"CREATED", "FUNCTION", "ks", "f", {"int", "text"}};
  auto c = std::get<SchemaChange>(DecodeResult(EncodeResult(fn, 4), 4));
  EXPECT_EQ(c.arg_types, fn.arg_types);
  SchemaChange ks{"DROPPED", "KEYSPACE", "ks", "", {}};
  EXPECT_EQ(std::get<SchemaChange>(DecodeResult(EncodeResult(ks, 4), 4)).keyspace, "ks");
}

TEST(ClientCodecTest, ReadTypeOptionInvertsWriteTypeOption) {
  for (const auto& col : AllTypes("t")) {
    WireWriter w;
    WriteTypeOption(w, col.type);
    WireReader r(w.buffer());
    EXPECT_EQ(ReadTypeOption(r), col.type) << col.type.ToCql();
    EXPECT_TRUE(r.AtEnd());
  }
  WireWriter custom;
  custom.WriteShort(0);
  custom.WriteString("org.example.MyType");
  WireReader cr(custom.buffer());
  DataType t = ReadTypeOption(cr);
  EXPECT_EQ(t.kind, TypeKind::kCustom);
  EXPECT_EQ(t.custom_class, "org.example.MyType");
}

TEST(ClientCodecTest, MalformedResponsesThrowProtocolErrors) {
  EXPECT_THROW(DecodeResult("", 4), CqlError);
  WireWriter w;
  w.WriteInt(9);
  EXPECT_THROW(DecodeResult(w.buffer(), 4), CqlError);
  WireWriter rows;
  rows.WriteInt(2);
  rows.WriteInt(0);
  rows.WriteInt(1);
  rows.WriteString("ks");
  rows.WriteString("t");
  rows.WriteString("c");
  rows.WriteShort(9);
  rows.WriteInt(1000000);  // more rows than the body holds
  EXPECT_THROW(DecodeResult(rows.buffer(), 4), CqlError);
  WireWriter type;
  type.WriteShort(0x7777);
  WireReader tr(type.buffer());
  EXPECT_THROW(ReadTypeOption(tr), CqlError);
}

}  // namespace
}  // namespace helenus::cql
