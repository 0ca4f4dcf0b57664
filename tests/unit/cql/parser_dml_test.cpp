#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/cql/parser.h"

namespace helenus::cql {
namespace {

using namespace ast;  // NOLINT: test brevity

template <typename T>
T ParseAs(std::string_view cql) {
  ParsedStatement p = ParseStatement(cql);
  EXPECT_TRUE(std::holds_alternative<T>(p.stmt)) << cql;
  return std::get<T>(p.stmt);
}

const Literal& Lit(const Term& t) {
  const Literal* l = t.As<Literal>();
  if (!l) throw std::runtime_error("not a literal: " + ToCql(t));
  return *l;
}

// The single value term of `INSERT INTO t (a) VALUES (<term>)`.
Term ValueOf(std::string_view term) {
  Insert ins = ParseAs<Insert>("INSERT INTO t (a) VALUES (" + std::string(term) + ")");
  return ins.values.at(0);
}

TEST(ParserInsertTest, WorkshopInsertWithMarkers) {
  ParsedStatement p = ParseStatement("INSERT INTO wines (a,b) VALUES (?, ?)");
  EXPECT_EQ(p.bind_count, 2u);
  const Insert& ins = std::get<Insert>(p.stmt);
  EXPECT_EQ(ins.table.name, "wines");
  EXPECT_EQ(ins.columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(ins.values.size(), 2u);
  EXPECT_EQ(ins.values[1].As<BindMarker>()->index, 1u);
  EXPECT_FALSE(ins.if_not_exists);
  EXPECT_FALSE(ins.json);
}

TEST(ParserInsertTest, IfNotExistsAndUsing) {
  Insert ins = ParseAs<Insert>(
      "INSERT INTO ks.t (k, v) VALUES (1, 'x') IF NOT EXISTS USING TTL 86400 AND TIMESTAMP 123");
  EXPECT_TRUE(ins.if_not_exists);
  ASSERT_TRUE(ins.using_clause.ttl);
  EXPECT_EQ(Lit(*ins.using_clause.ttl).text, "86400");
  ASSERT_TRUE(ins.using_clause.timestamp);
  EXPECT_EQ(Lit(*ins.using_clause.timestamp).text, "123");
  Insert ins2 = ParseAs<Insert>("INSERT INTO t (k) VALUES (1) USING TIMESTAMP ? IF NOT EXISTS");
  EXPECT_TRUE(ins2.if_not_exists);
  EXPECT_TRUE(ins2.using_clause.timestamp->Is<BindMarker>());
  EXPECT_FALSE(ins2.using_clause.ttl);
}

TEST(ParserInsertTest, Json) {
  Insert ins = ParseAs<Insert>("INSERT INTO t JSON '{\"k\": 1}' DEFAULT UNSET");
  EXPECT_TRUE(ins.json);
  EXPECT_TRUE(ins.json_default_unset);
  ASSERT_EQ(ins.values.size(), 1u);
  EXPECT_EQ(Lit(ins.values[0]).text, "{\"k\": 1}");
  Insert ins2 = ParseAs<Insert>("INSERT INTO t JSON ?");
  EXPECT_TRUE(ins2.values[0].Is<BindMarker>());
}

TEST(ParserInsertTest, UnmatchedColumnsAndValues) {
  try {
    ParseStatement("INSERT INTO t (a, b) VALUES (1)");
    FAIL();
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalid);
  }
}

TEST(ParserTermTest, Constants) {
  EXPECT_EQ(Lit(ValueOf("'it''s'")).text, "it's");
  EXPECT_EQ(Lit(ValueOf("$$raw 'text'$$")).text, "raw 'text'");
  EXPECT_EQ(Lit(ValueOf("42")).kind, Literal::Kind::kInteger);
  EXPECT_EQ(Lit(ValueOf("-42")).text, "-42");
  EXPECT_EQ(Lit(ValueOf("- 42")).text, "-42");
  EXPECT_EQ(Lit(ValueOf("1.5")).kind, Literal::Kind::kFloat);
  EXPECT_EQ(Lit(ValueOf("-3.2E-5")).text, "-3.2E-5");
  EXPECT_EQ(Lit(ValueOf("1e10")).kind, Literal::Kind::kFloat);
  EXPECT_EQ(Lit(ValueOf("NaN")).kind, Literal::Kind::kNaN);
  EXPECT_EQ(Lit(ValueOf("Infinity")).kind, Literal::Kind::kInfinity);
  EXPECT_EQ(Lit(ValueOf("-Infinity")).text, "-Infinity");
  EXPECT_EQ(Lit(ValueOf("TRUE")).kind, Literal::Kind::kBoolean);
  EXPECT_EQ(Lit(ValueOf("TRUE")).text, "true");
  EXPECT_EQ(Lit(ValueOf("false")).text, "false");
  EXPECT_EQ(Lit(ValueOf("0xCAFE")).kind, Literal::Kind::kHex);
  EXPECT_EQ(Lit(ValueOf("123e4567-e89b-12d3-a456-426655440000")).kind, Literal::Kind::kUuid);
  EXPECT_EQ(Lit(ValueOf("1h30m")).kind, Literal::Kind::kDuration);
  EXPECT_EQ(Lit(ValueOf("-1d")).text, "-1d");
  EXPECT_EQ(Lit(ValueOf("P1DT2H")).kind, Literal::Kind::kDuration);
  EXPECT_TRUE(ValueOf("null").Is<Null>());
  EXPECT_TRUE(ValueOf("NULL").Is<Null>());
}

TEST(ParserTermTest, Collections) {
  Term list = ValueOf("[1, 2, 3]");
  ASSERT_TRUE(list.Is<CollectionLiteral>());
  EXPECT_EQ(list.As<CollectionLiteral>()->kind, CollectionLiteral::Kind::kList);
  EXPECT_EQ(list.As<CollectionLiteral>()->elements.size(), 3u);
  Term empty_list = ValueOf("[]");
  EXPECT_TRUE(empty_list.As<CollectionLiteral>()->elements.empty());
  Term set = ValueOf("{'a', 'b'}");
  EXPECT_EQ(set.As<CollectionLiteral>()->kind, CollectionLiteral::Kind::kSet);
  Term map = ValueOf("{'a': 1, 'b': 2}");
  EXPECT_EQ(map.As<CollectionLiteral>()->kind, CollectionLiteral::Kind::kMap);
  ASSERT_EQ(map.As<CollectionLiteral>()->entries.size(), 2u);
  EXPECT_EQ(Lit(map.As<CollectionLiteral>()->entries[1].first).text, "b");
  EXPECT_EQ(ValueOf("{}").As<CollectionLiteral>()->kind, CollectionLiteral::Kind::kEmptyBraces);
  Term nested = ValueOf("{1: [1, 2], 2: []}");
  EXPECT_EQ(ToCql(nested), "{1: [1, 2], 2: []}");
}

TEST(ParserTermTest, TuplesUdtsCastsAndFunctions) {
  Term tuple = ValueOf("(1, 'a', ?)");
  ASSERT_TRUE(tuple.Is<TupleLiteral>());
  EXPECT_EQ(tuple.As<TupleLiteral>()->elements.size(), 3u);
  Term udt = ValueOf("{street: '1 Main', zip: 12345}");
  ASSERT_TRUE(udt.Is<UserTypeLiteral>());
  EXPECT_EQ(udt.As<UserTypeLiteral>()->fields[0].first, "street");
  Term cast = ValueOf("(int) ?");
  ASSERT_TRUE(cast.Is<TypeCast>());
  EXPECT_EQ(cast.As<TypeCast>()->type.kind, TypeKind::kInt);
  EXPECT_TRUE(cast.As<TypeCast>()->term->Is<BindMarker>());
  Term cast2 = ValueOf("(list<int>) [1]");
  EXPECT_EQ(cast2.As<TypeCast>()->type.kind, TypeKind::kList);
  Term now = ValueOf("now()");
  ASSERT_TRUE(now.Is<FunctionCall>());
  EXPECT_EQ(now.As<FunctionCall>()->name, "now");
  EXPECT_TRUE(now.As<FunctionCall>()->args.empty());
  Term ts = ValueOf("toTimestamp(now())");
  EXPECT_EQ(ts.As<FunctionCall>()->name, "totimestamp");
  EXPECT_TRUE(ts.As<FunctionCall>()->args[0].Is<FunctionCall>());
  Term min = ValueOf("minTimeuuid('2013-01-01 00:05+0000')");
  EXPECT_EQ(min.As<FunctionCall>()->args.size(), 1u);
  Term qualified = ValueOf("system.blobAsText(0x41)");
  EXPECT_EQ(qualified.As<FunctionCall>()->keyspace, "system");
  EXPECT_EQ(qualified.As<FunctionCall>()->name, "blobastext");
}

TEST(ParserTermTest, ToCqlRoundTrips) {
  for (const char* t : {"'a''b'", "[1, -2.5, NaN]", "{'k': {1, 2}}", "(1, null, ?)", "now()",
                        "(int) ?", "{a: 1}", "{}", ":name", "-Infinity", "0xff"}) {
    EXPECT_EQ(ToCql(ValueOf(t)), t);
  }
}

TEST(ParserUpdateTest, Assignments) {
  Update u = ParseAs<Update>(
      "UPDATE ks.t USING TTL 10 SET a = 1, b = b + 2, c = c - {'x'}, l = [0] + l, "
      "m['k'] = 'v', d += 3, e -= 4, u.f = 'z' WHERE k = 1");
  EXPECT_EQ(u.table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(Lit(*u.using_clause.ttl).text, "10");
  ASSERT_EQ(u.assignments.size(), 8u);
  EXPECT_EQ(u.assignments[0].op, Assignment::Op::kSet);
  EXPECT_EQ(u.assignments[0].column, "a");
  EXPECT_EQ(u.assignments[1].op, Assignment::Op::kAdd);
  EXPECT_EQ(Lit(u.assignments[1].value).text, "2");
  EXPECT_EQ(u.assignments[2].op, Assignment::Op::kSubtract);
  EXPECT_TRUE(u.assignments[2].value.Is<CollectionLiteral>());
  EXPECT_EQ(u.assignments[3].op, Assignment::Op::kPrepend);
  EXPECT_EQ(u.assignments[3].column, "l");
  EXPECT_EQ(u.assignments[4].op, Assignment::Op::kSetElement);
  EXPECT_EQ(Lit(*u.assignments[4].key).text, "k");
  EXPECT_EQ(Lit(u.assignments[4].value).text, "v");
  EXPECT_EQ(u.assignments[5].op, Assignment::Op::kAdd);
  EXPECT_EQ(u.assignments[6].op, Assignment::Op::kSubtract);
  EXPECT_EQ(u.assignments[7].op, Assignment::Op::kSet);
  EXPECT_EQ(u.assignments[7].field, "f");
  ASSERT_EQ(u.where.size(), 1u);
}

TEST(ParserUpdateTest, CounterIncrementAndDecrement) {
  Update u =
      ParseAs<Update>("UPDATE counters SET hits = hits + 1, misses = misses - 1 WHERE k = 'a'");
  EXPECT_EQ(u.assignments[0].op, Assignment::Op::kAdd);
  EXPECT_EQ(u.assignments[1].op, Assignment::Op::kSubtract);
  EXPECT_EQ(Lit(u.assignments[1].value).text, "1");
  Update u2 = ParseAs<Update>("UPDATE c SET n = n -1 WHERE k = 1");
  EXPECT_EQ(u2.assignments[0].op, Assignment::Op::kSubtract);
  EXPECT_EQ(Lit(u2.assignments[0].value).text, "1");
  Update u3 = ParseAs<Update>("UPDATE c SET n = -1 WHERE k = 1");
  EXPECT_EQ(u3.assignments[0].op, Assignment::Op::kSet);
  EXPECT_EQ(Lit(u3.assignments[0].value).text, "-1");
}

TEST(ParserUpdateTest, WrongColumnInIncrementIsASyntaxError) {
  for (const char* q :
       {"UPDATE t SET a = b + 1 WHERE k = 1", "UPDATE t SET a = [1] + b WHERE k = 1"}) {
    try {
      ParseStatement(q);
      ADD_FAILURE() << q;
    } catch (const CqlError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kSyntax);
      EXPECT_NE(std::string(e.what()).find("Only expressions of the form X ="), std::string::npos);
    }
  }
}

TEST(ParserUpdateTest, Conditions) {
  Update u = ParseAs<Update>(
      "UPDATE t SET v = 1 WHERE k = 1 IF v = 0 AND m['a'] > 2 AND w IN (1, 2) AND u.f != 'x'");
  EXPECT_FALSE(u.if_exists);
  ASSERT_EQ(u.if_conditions.size(), 4u);
  EXPECT_EQ(u.if_conditions[0].column, "v");
  EXPECT_EQ(u.if_conditions[0].op, Operator::kEq);
  ASSERT_TRUE(u.if_conditions[1].element);
  EXPECT_EQ(u.if_conditions[1].op, Operator::kGt);
  EXPECT_EQ(u.if_conditions[2].op, Operator::kIn);
  EXPECT_EQ(u.if_conditions[2].values.size(), 2u);
  EXPECT_EQ(u.if_conditions[3].field, "f");
  EXPECT_EQ(u.if_conditions[3].op, Operator::kNe);
  Update e = ParseAs<Update>("UPDATE t SET v = 1 WHERE k = 1 IF EXISTS");
  EXPECT_TRUE(e.if_exists);
  EXPECT_TRUE(e.if_conditions.empty());
  Update col = ParseAs<Update>("UPDATE t SET v = 1 WHERE k = 1 IF exists = true");
  EXPECT_FALSE(col.if_exists);
  EXPECT_EQ(col.if_conditions[0].column, "exists");
}

TEST(ParserDeleteTest, Forms) {
  Delete d = ParseAs<Delete>("DELETE FROM ks.t WHERE k = 1");
  EXPECT_TRUE(d.columns.empty());
  EXPECT_EQ(d.table, (QualifiedName{"ks", "t"}));
  Delete d2 = ParseAs<Delete>(
      "DELETE a, m['k'], l[0], u.f FROM t USING TIMESTAMP 5 WHERE k = 1 AND c > 2 IF EXISTS");
  ASSERT_EQ(d2.columns.size(), 4u);
  EXPECT_EQ(d2.columns[0].column, "a");
  EXPECT_FALSE(d2.columns[0].element);
  EXPECT_EQ(Lit(*d2.columns[1].element).text, "k");
  EXPECT_EQ(Lit(*d2.columns[2].element).text, "0");
  EXPECT_EQ(d2.columns[3].field, "f");
  EXPECT_EQ(Lit(*d2.using_clause.timestamp).text, "5");
  EXPECT_EQ(d2.where.size(), 2u);
  EXPECT_TRUE(d2.if_exists);
  Delete d3 = ParseAs<Delete>("DELETE FROM t WHERE k = 1 IF v = 3");
  EXPECT_EQ(d3.if_conditions.size(), 1u);
}

TEST(ParserBatchTest, LoggedWithSemicolons) {
  ParsedStatement p = ParseStatement(
      "BEGIN BATCH\n"
      "  INSERT INTO t (k, v) VALUES (?, ?);\n"
      "  UPDATE t SET v = ? WHERE k = ?;\n"
      "  DELETE FROM t WHERE k = ?;\n"
      "APPLY BATCH;");
  EXPECT_EQ(p.bind_count, 5u);
  const Batch& b = std::get<Batch>(p.stmt);
  EXPECT_EQ(b.type, Batch::Type::kLogged);
  ASSERT_EQ(b.statements.size(), 3u);
  EXPECT_TRUE(std::holds_alternative<Insert>(b.statements[0]));
  EXPECT_TRUE(std::holds_alternative<Update>(b.statements[1]));
  EXPECT_TRUE(std::holds_alternative<Delete>(b.statements[2]));
  EXPECT_EQ(std::get<Delete>(b.statements[2]).where[0].values[0].As<BindMarker>()->index, 4u);
}

TEST(ParserBatchTest, UnloggedCounterAndTimestamp) {
  Batch b = ParseAs<Batch>(
      "BEGIN UNLOGGED BATCH USING TIMESTAMP 42 INSERT INTO t (k) VALUES (1) "
      "INSERT INTO t (k) VALUES (2) APPLY BATCH");
  EXPECT_EQ(b.type, Batch::Type::kUnlogged);
  EXPECT_EQ(Lit(*b.using_clause.timestamp).text, "42");
  EXPECT_EQ(b.statements.size(), 2u);
  Batch c = ParseAs<Batch>("begin counter batch update c set n = n + 1 where k = 1; apply batch");
  EXPECT_EQ(c.type, Batch::Type::kCounter);
  Batch e = ParseAs<Batch>("BEGIN BATCH APPLY BATCH");
  EXPECT_TRUE(e.statements.empty());
}

TEST(ParserBatchTest, RejectsSelectInside) {
  EXPECT_THROW(ParseStatement("BEGIN BATCH SELECT * FROM t; APPLY BATCH"), CqlError);
  EXPECT_THROW(ParseStatement("BEGIN BATCH INSERT INTO t (k) VALUES (1);"), CqlError);
}

}  // namespace
}  // namespace helenus::cql
