#include "helenus/cql/messages.h"

#include <random>

#include <gtest/gtest.h>

#include "helenus/cql/value_codec.h"

namespace helenus::cql {
namespace {

using namespace std::string_literals;

std::string QueryBody() {
  WireWriter w;
  w.WriteLongString("SELECT * FROM t WHERE k = ?");
  w.WriteShort(0x0006);  // LOCAL_ONE
  w.WriteByte(0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20);
  w.WriteShort(3);
  w.WriteBytes(Value{EncodeInt(5)});
  w.WriteInt(-1);
  w.WriteInt(-2);
  w.WriteInt(100);
  w.WriteBytes(Value{"state"});
  w.WriteShort(0x0008);
  w.WriteLong(1234567);
  return w.buffer();
}

TEST(MessagesTest, DecodesQueryWithAllFlags) {
  QueryRequest q = DecodeQuery(QueryBody(), 4);
  EXPECT_EQ(q.query, "SELECT * FROM t WHERE k = ?");
  EXPECT_EQ(q.params.consistency, 6);
  ASSERT_EQ(q.params.values.size(), 3u);
  EXPECT_EQ(q.params.values[0].state, BoundValue::State::kSet);
  EXPECT_EQ(q.params.values[0].bytes, EncodeInt(5));
  EXPECT_EQ(q.params.values[1].state, BoundValue::State::kNull);
  EXPECT_EQ(q.params.values[2].state, BoundValue::State::kUnset);
  EXPECT_TRUE(q.params.names.empty());
  EXPECT_TRUE(q.params.skip_metadata);
  EXPECT_EQ(q.params.page_size, 100);
  EXPECT_EQ(q.params.paging_state, "state");
  EXPECT_EQ(q.params.serial_consistency, 8);
  EXPECT_EQ(q.params.default_timestamp, 1234567);
}

TEST(MessagesTest, DecodesMinimalQueryAndNamedValues) {
  WireWriter w;
  w.WriteLongString("SELECT 1");
  w.WriteShort(1);
  w.WriteByte(0);
  QueryRequest q = DecodeQuery(w.buffer(), 4);
  EXPECT_EQ(q.params.page_size, -1);
  EXPECT_FALSE(q.params.skip_metadata);
  EXPECT_FALSE(q.params.paging_state);
  EXPECT_FALSE(q.params.default_timestamp);

  WireWriter n;
  n.WriteLongString("INSERT");
  n.WriteShort(1);
  n.WriteByte(0x41);
  n.WriteShort(1);
  n.WriteString("v");
  n.WriteBytes(Value{"x"});
  QueryRequest named = DecodeQuery(n.buffer(), 4);
  EXPECT_EQ(named.params.names, std::vector<std::string>{"v"});
  EXPECT_EQ(named.params.values.at(0).bytes, "x");
}

TEST(MessagesTest, DecodesStartupPrepareExecuteRegister) {
  WireWriter s;
  s.WriteShort(2);
  s.WriteString("CQL_VERSION");
  s.WriteString("3.0.0");
  s.WriteString("COMPRESSION");
  s.WriteString("lz4");
  auto opts = DecodeStartup(s.buffer());
  EXPECT_EQ(opts["CQL_VERSION"], "3.0.0");
  EXPECT_EQ(opts["COMPRESSION"], "lz4");

  WireWriter p;
  p.WriteLongString("SELECT ?");
  EXPECT_EQ(DecodePrepare(p.buffer()), "SELECT ?");

  WireWriter e;
  e.WriteShortBytes("\x01\x02\x03"s);
  e.WriteShort(1);
  e.WriteByte(0x01);
  e.WriteShort(1);
  e.WriteBytes(Value{"v"});
  ExecuteRequest ex = DecodeExecute(e.buffer(), 4);
  EXPECT_EQ(ex.id, "\x01\x02\x03"s);
  ASSERT_EQ(ex.params.values.size(), 1u);
  EXPECT_EQ(ex.params.values[0].bytes, "v");

  WireWriter r;
  r.WriteStringList({"SCHEMA_CHANGE", "STATUS_CHANGE"});
  EXPECT_EQ(DecodeRegister(r.buffer()).size(), 2u);
  WireWriter bad;
  bad.WriteStringList({"NOPE"});
  EXPECT_THROW(DecodeRegister(bad.buffer()), CqlError);
}

std::string BatchBody() {
  WireWriter w;
  w.WriteByte(1);
  w.WriteShort(2);
  w.WriteByte(0);
  w.WriteLongString("INSERT INTO t (k) VALUES (?)");
  w.WriteShort(1);
  w.WriteBytes(Value{EncodeInt(1)});
  w.WriteByte(1);
  w.WriteShortBytes("id");
  w.WriteShort(2);
  w.WriteInt(-1);
  w.WriteInt(-2);
  w.WriteShort(4);
  w.WriteByte(0x30);
  w.WriteShort(9);
  w.WriteLong(42);
  return w.buffer();
}

TEST(MessagesTest, DecodesBatch) {
  BatchRequest b = DecodeBatch(BatchBody(), 4);
  EXPECT_EQ(b.type, 1);
  ASSERT_EQ(b.statements.size(), 2u);
  EXPECT_FALSE(b.statements[0].is_prepared);
  EXPECT_EQ(b.statements[0].query_or_id, "INSERT INTO t (k) VALUES (?)");
  EXPECT_EQ(b.statements[0].values.at(0).bytes, EncodeInt(1));
  EXPECT_TRUE(b.statements[1].is_prepared);
  EXPECT_EQ(b.statements[1].query_or_id, "id");
  EXPECT_EQ(b.statements[1].values.at(0).state, BoundValue::State::kNull);
  EXPECT_EQ(b.statements[1].values.at(1).state, BoundValue::State::kUnset);
  EXPECT_EQ(b.consistency, 4);
  EXPECT_EQ(b.serial_consistency, 9);
  EXPECT_EQ(b.default_timestamp, 42);
}

TEST(MessagesTest, TruncatedBodiesThrowProtocol) {
  struct Case {
    std::string body;
    std::function<void(std::string_view)> decode;
  };
  WireWriter st;
  st.WriteShort(1);
  st.WriteString("CQL_VERSION");
  st.WriteString("3.0.0");
  std::vector<Case> cases = {
      {QueryBody(), [](std::string_view b) { DecodeQuery(b, 4); }},
      {BatchBody(), [](std::string_view b) { DecodeBatch(b, 4); }},
      {st.buffer(), [](std::string_view b) { DecodeStartup(b); }},
  };
  std::mt19937 rng(3);
  for (const auto& c : cases) {
    for (size_t cut = 0; cut < c.body.size(); ++cut) {
      try {
        c.decode(std::string_view(c.body).substr(0, cut));
        ADD_FAILURE() << "decoded a body truncated at " << cut;
      } catch (const CqlError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kProtocol);
      }
    }
    // Random byte flips: decode or throw kProtocol, never anything else.
    for (int i = 0; i < 500; ++i) {
      std::string b = c.body;
      for (int k = 0; k < 3; ++k) b[rng() % b.size()] = static_cast<char>(rng());
      try {
        c.decode(b);
      } catch (const CqlError& e) {
        EXPECT_EQ(e.code(), ErrorCode::kProtocol);
      }
    }
  }
}

TEST(MessagesTest, ErrorBodies) {
  CqlError plain(ErrorCode::kInvalid, "bad");
  EXPECT_EQ(EncodeError(plain),
            "\x00\x00\x22\x00\x00\x03"
            "bad"s);

  CqlError exists(ErrorCode::kAlreadyExists, "x");
  exists.keyspace = "ks";
  exists.table = "t";
  EXPECT_EQ(EncodeError(exists), "\x00\x00\x24\x00\x00\x01x\x00\x02ks\x00\x01t"s);

  CqlError unprepared(ErrorCode::kUnprepared, "u");
  unprepared.prepared_id = "\xAB\xCD"s;
  EXPECT_EQ(EncodeError(unprepared), "\x00\x00\x25\x00\x00\x01u\x00\x02\xAB\xCD"s);

  CqlError unavailable(ErrorCode::kUnavailable, "");
  EXPECT_EQ(EncodeError(unavailable),
            "\x00\x00\x10\x00\x00\x00\x00\x01\x00\x00\x00\x01\x00\x00\x00\x00"s);

  CqlError proto(ErrorCode::kProtocol, "Invalid or unsupported protocol version (66)");
  const std::string body = EncodeError(proto);
  WireReader r(body);
  EXPECT_EQ(r.ReadInt(), 0x000A);
  EXPECT_EQ(r.ReadString(), "Invalid or unsupported protocol version (66)");
  EXPECT_TRUE(r.AtEnd());
}

TEST(MessagesTest, ReadyAndSupported) {
  EXPECT_EQ(EncodeReady(), "");
  const std::string s = EncodeSupported({{"CQL_VERSION", {"3.4.5"}}, {"COMPRESSION", {}}});
  WireReader r(s);
  auto m = r.ReadStringMultimap();
  EXPECT_EQ(m["CQL_VERSION"], std::vector<std::string>{"3.4.5"});
  EXPECT_TRUE(m.count("COMPRESSION"));
  EXPECT_TRUE(r.AtEnd());
}

ColumnSpec Col(std::string name, DataType t) {
  return ColumnSpec{"ks", "t", std::move(name), std::move(t)};
}

TEST(MessagesTest, RowsLayoutByteByByte) {
  RowsResult rows;
  rows.metadata.columns = {Col("a", DataType::Of(TypeKind::kInt))};
  rows.rows = {{Value{EncodeInt(1)}}, {Value{}}};
  EXPECT_EQ(EncodeResult(rows, 4),
            "\x00\x00\x00\x02"     // kind Rows
            "\x00\x00\x00\x01"     // Global_tables_spec
            "\x00\x00\x00\x01"     // one column
            "\x00\x02ks\x00\x01t"  // global keyspace, table
            "\x00\x01"
            "a\x00\x09"         // name, int
            "\x00\x00\x00\x02"  // two rows
            "\x00\x00\x00\x04\x00\x00\x00\x01"
            "\xFF\xFF\xFF\xFF"s);
}

TEST(MessagesTest, RowsWithPagingMixedTablesAndNoMetadata) {
  RowsResult rows;
  rows.metadata.columns = {Col("a", DataType::Of(TypeKind::kText)),
                           ColumnSpec{"ks", "u", "b", DataType::Of(TypeKind::kBigint)}};
  rows.metadata.paging_state = "ps";
  EXPECT_EQ(EncodeResult(rows, 4),
            "\x00\x00\x00\x02"
            "\x00\x00\x00\x02"  // Has_more_pages, no global spec
            "\x00\x00\x00\x02"
            "\x00\x00\x00\x02ps"
            "\x00\x02ks\x00\x01t\x00\x01"
            "a\x00\x0D"
            "\x00\x02ks\x00\x01u\x00\x01"
            "b\x00\x02"
            "\x00\x00\x00\x00"s);

  rows.metadata.no_metadata = true;
  rows.metadata.paging_state.reset();
  EXPECT_EQ(EncodeResult(rows, 4),
            "\x00\x00\x00\x02\x00\x00\x00\x04\x00\x00\x00\x02\x00\x00\x00\x00"s);

  RowsResult empty;
  EXPECT_EQ(EncodeResult(empty, 4),
            "\x00\x00\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00"
            "\x00\x00\x00\x00"s);
}

TEST(MessagesTest, PreparedLayoutByteByByte) {
  PreparedResult p;
  p.id = "\x01\x02"s;
  p.bind_metadata.columns = {Col("k", DataType::Of(TypeKind::kInt))};
  p.pk_indexes = {0};
  p.result_metadata.columns = {Col("v", DataType::Of(TypeKind::kText))};
  EXPECT_EQ(EncodeResult(p, 4),
            "\x00\x00\x00\x04"
            "\x00\x02\x01\x02"                  // id
            "\x00\x00\x00\x01"                  // global spec
            "\x00\x00\x00\x01"                  // one bind marker
            "\x00\x00\x00\x01\x00\x00"          // pk count, pk index 0
            "\x00\x02ks\x00\x01t"               // global spec
            "\x00\x01k\x00\x09"                 // k int
            "\x00\x00\x00\x01\x00\x00\x00\x01"  // result: global, one column
            "\x00\x02ks\x00\x01t\x00\x01v\x00\x0D"s);

  PreparedResult none;
  none.id = "i";
  none.result_metadata.no_metadata = true;
  EXPECT_EQ(EncodeResult(none, 4),
            "\x00\x00\x00\x04\x00\x01i"
            "\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"
            "\x00\x00\x00\x04\x00\x00\x00\x00"s);
}

TEST(MessagesTest, OtherResultKinds) {
  EXPECT_EQ(EncodeResult(VoidResult{}, 4), "\x00\x00\x00\x01"s);
  EXPECT_EQ(EncodeResult(SetKeyspaceResult{"ks"}, 4), "\x00\x00\x00\x03\x00\x02ks"s);
  SchemaChange table{"CREATED", "TABLE", "ks", "t", {}};
  EXPECT_EQ(EncodeResult(table, 4),
            "\x00\x00\x00\x05\x00\x07"
            "CREATED\x00\x05TABLE\x00\x02ks\x00\x01t"s);
  SchemaChange ks{"DROPPED", "KEYSPACE", "ks", "", {}};
  EXPECT_EQ(EncodeResult(ks, 4),
            "\x00\x00\x00\x05\x00\x07"
            "DROPPED\x00\x08KEYSPACE\x00\x02ks"s);
  SchemaChange fn{"UPDATED", "FUNCTION", "ks", "f", {"int"}};
  EXPECT_EQ(EncodeResult(fn, 4),
            "\x00\x00\x00\x05\x00\x07UPDATED\x00\x08"
            "FUNCTION\x00\x02ks"
            "\x00\x01"
            "f\x00\x01\x00\x03int"s);
  EXPECT_EQ(EncodeSchemaChangeEvent(table),
            "\x00\x0DSCHEMA_CHANGE\x00\x07"
            "CREATED\x00\x05TABLE\x00\x02ks\x00\x01t"s);
}

std::string TypeBytes(const DataType& t) {
  WireWriter w;
  WriteTypeOption(w, t);
  return w.buffer();
}

TEST(MessagesTest, TypeOptions) {
  EXPECT_EQ(TypeBytes(DataType::Of(TypeKind::kText)), "\x00\x0D"s);
  EXPECT_EQ(TypeBytes(DataType::List(DataType::Of(TypeKind::kInt))), "\x00\x20\x00\x09"s);
  EXPECT_EQ(TypeBytes(DataType::Set(DataType::Of(TypeKind::kUuid), true)), "\x00\x22\x00\x0C"s);
  EXPECT_EQ(TypeBytes(DataType::Map(DataType::Of(TypeKind::kText),
                                    DataType::List(DataType::Of(TypeKind::kBigint)))),
            "\x00\x21\x00\x0D\x00\x20\x00\x02"s);
  EXPECT_EQ(
      TypeBytes(DataType::Tuple({DataType::Of(TypeKind::kInt), DataType::Of(TypeKind::kBoolean)})),
      "\x00\x31\x00\x02\x00\x09\x00\x04"s);
  EXPECT_EQ(TypeBytes(DataType::Of(TypeKind::kDuration)),
            "\x00\x00\x00\x2C"
            "org.apache.cassandra.db.marshal.DurationType"s);
}

}  // namespace
}  // namespace helenus::cql
