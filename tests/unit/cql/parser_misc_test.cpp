#include <chrono>

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/cql/parser.h"

namespace helenus::cql {
namespace {

using namespace ast;  // NOLINT: test brevity

std::string SyntaxError(std::string_view cql) {
  try {
    ParseStatement(cql);
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kSyntax) << cql << ": " << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error for: " << cql;
  return {};
}

TEST(ParserErrorTest, MismatchedKeyword) {
  EXPECT_EQ(SyntaxError("SELECT * FORM t"), "line 1:9 mismatched input 'FORM' expecting K_FROM");
}

TEST(ParserErrorTest, NoViableAlternative) {
  EXPECT_EQ(SyntaxError("FOO BAR"), "line 1:0 no viable alternative at input 'FOO'");
  EXPECT_EQ(SyntaxError("SELECT * FROM t WHERE k = FOO"),
            "line 1:26 no viable alternative at input 'FOO'");
}

TEST(ParserErrorTest, TrailingGarbage) {
  EXPECT_EQ(SyntaxError("SELECT * FROM t x"), "line 1:16 mismatched input 'x' expecting EOF");
  EXPECT_EQ(SyntaxError("USE ks; USE other"), "line 1:8 mismatched input 'USE' expecting EOF");
}

TEST(ParserErrorTest, UnexpectedEnd) {
  EXPECT_NE(SyntaxError("SELECT * FROM").find("'<EOF>'"), std::string::npos);
  EXPECT_NE(SyntaxError("SELECT * FROM t LIMIT").find("line 1:21"), std::string::npos);
  EXPECT_NE(SyntaxError("").find("<EOF>"), std::string::npos);
  EXPECT_NE(SyntaxError("   ;").find("';'"), std::string::npos);
  EXPECT_NE(SyntaxError("INSERT INTO t (a) VALUES (1").find("expecting ')'"), std::string::npos);
}

TEST(ParserErrorTest, MultiLinePosition) {
  EXPECT_EQ(SyntaxError("SELECT *\nFROM t\nWHERE k = = 1"),
            "line 3:10 no viable alternative at input '='");
}

TEST(ParserErrorTest, ReservedKeywordAsIdentifier) {
  EXPECT_NE(SyntaxError("CREATE TABLE t (select int PRIMARY KEY)").find("'select'"),
            std::string::npos);
  EXPECT_NE(SyntaxError("SELECT * FROM table").find("line 1:14"), std::string::npos);
  EXPECT_NE(SyntaxError("CREATE TABLE t (a PRIMARY KEY)").find("line 1:18"), std::string::npos);
}

TEST(ParserErrorTest, LexerErrorsAreSyntaxErrors) {
  EXPECT_NE(SyntaxError("SELECT * FROM t WHERE k = 'abc").find("line 1:"), std::string::npos);
  EXPECT_NE(SyntaxError("SELECT # FROM t").find("line 1:7"), std::string::npos);
}

TEST(ParserErrorTest, VariousMalformedStatements) {
  for (const char* q : {"SELECT",
                        "SELECT FROM t",
                        "INSERT INTO t VALUES (1)",
                        "INSERT INTO t (a) VALUES",
                        "UPDATE t SET WHERE k = 1",
                        "UPDATE t SET a = 1",
                        "DELETE FROM t",
                        "CREATE TABLE t",
                        "CREATE TABLE t ()",
                        "CREATE KEYSPACE ks",
                        "DROP",
                        "DROP THING x",
                        "ALTER TABLE t FOO",
                        "SELECT * FROM t WHERE",
                        "SELECT * FROM t WHERE a IN (1,",
                        "SELECT * FROM t ORDER a",
                        "SELECT * FROM t WHERE a = [1, 2",
                        "SELECT * FROM t WHERE a = {1: 2, 3}",
                        "CREATE TABLE t (a list<int, b int PRIMARY KEY)",
                        "CREATE TABLE t (a map<int> PRIMARY KEY)",
                        "SELECT * FROM t LIMIT 1 ALLOW",
                        "BEGIN BATCH",
                        "USE",
                        "TRUNCATE",
                        "SELECT * FROM t WHERE token(a) IN (1)",
                        "SELECT count(* FROM t"}) {
    SyntaxError(q);
  }
}

TEST(ParserBindTest, CountsAndNamesInOrder) {
  ParsedStatement p = ParseStatement(
      "UPDATE t USING TTL ? SET a = :a, m[?] = ?, l = l + [?] WHERE k = :key AND c IN ? IF v = ?");
  EXPECT_EQ(p.bind_count, 8u);
  EXPECT_EQ(p.bind_names, (std::vector<std::string>{"", "a", "", "", "", "key", "", ""}));
  const Update& u = std::get<Update>(p.stmt);
  EXPECT_EQ(u.using_clause.ttl->As<BindMarker>()->index, 0u);
  EXPECT_EQ(u.assignments[0].value.As<BindMarker>()->name, "a");
  EXPECT_EQ(u.assignments[1].key->As<BindMarker>()->index, 2u);
  EXPECT_EQ(u.assignments[1].value.As<BindMarker>()->index, 3u);
  EXPECT_EQ(u.if_conditions[0].values[0].As<BindMarker>()->index, 7u);
}

TEST(ParserBindTest, QuotedMarkerNameKeepsCase) {
  ParsedStatement p = ParseStatement("SELECT * FROM t WHERE k = :\"Key\"");
  EXPECT_EQ(p.bind_names, std::vector<std::string>{"Key"});
}

TEST(ParserBindTest, NoMarkers) {
  ParsedStatement p = ParseStatement("SELECT * FROM t");
  EXPECT_EQ(p.bind_count, 0u);
  EXPECT_TRUE(p.bind_names.empty());
}

TEST(ParserCommentTest, CommentsAnywhere) {
  ParsedStatement p =
      ParseStatement("-- leading\nSELECT /* inline */ a // trailing\nFROM t; -- after");
  EXPECT_EQ(std::get<Select>(p.stmt).selectors.size(), 1u);
}

TEST(ParserCaseTest, KeywordsAreCaseInsensitive) {
  ParsedStatement p = ParseStatement("sElEcT * fRoM T wHeRe K = 1 LiMiT 5 aLlOw FiLtErInG");
  const Select& s = std::get<Select>(p.stmt);
  EXPECT_EQ(s.table.name, "t");
  EXPECT_EQ(s.where[0].columns[0], "k");
  EXPECT_TRUE(s.allow_filtering);
}

TEST(SplitStatementsTest, SplitsOutsideStringsAndComments) {
  auto parts = SplitStatements(
      "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy'};\n"
      "INSERT INTO t (a) VALUES ('x;y'); -- a comment; with semicolon\n"
      "/* block; comment */ SELECT \"we;ird\" FROM t;\n"
      "INSERT INTO t (a) VALUES ($$dollar;string$$)\n");
  ASSERT_EQ(parts.size(), 4u);
  EXPECT_EQ(parts[0], "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy'}");
  EXPECT_EQ(parts[1], "INSERT INTO t (a) VALUES ('x;y')");
  EXPECT_EQ(parts[2],
            "-- a comment; with semicolon\n/* block; comment */ SELECT \"we;ird\" FROM t");
  EXPECT_EQ(parts[3], "INSERT INTO t (a) VALUES ($$dollar;string$$)");
  for (const auto& part : parts) EXPECT_NO_THROW(ParseStatement(part)) << part;
}

TEST(SplitStatementsTest, DropsEmptyAndCommentOnlyPieces) {
  EXPECT_TRUE(SplitStatements("").empty());
  EXPECT_TRUE(SplitStatements(" ; ;; -- nothing\n /* x */ ;").empty());
  EXPECT_EQ(SplitStatements("USE ks").size(), 1u);
}

TEST(SplitStatementsTest, KeepsBatchesWhole) {
  auto parts = SplitStatements(
      "BEGIN BATCH INSERT INTO t (k) VALUES (1); UPDATE t SET v = 2 WHERE k = 1; APPLY BATCH;"
      "SELECT * FROM t;");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(
      parts[0],
      "BEGIN BATCH INSERT INTO t (k) VALUES (1); UPDATE t SET v = 2 WHERE k = 1; APPLY BATCH");
  EXPECT_TRUE(std::holds_alternative<Batch>(ParseStatement(parts[0]).stmt));
  EXPECT_EQ(parts[1], "SELECT * FROM t");
}

TEST(ParserPerformanceTest, TwelveColumnInsertIsFast) {
  const std::string q =
      "INSERT INTO accelerate.wines (wineid, fixed_acidity, volatile_acidity, citric_acid, "
      "residual_sugar, chlorides, free_sulfur_dioxide, total_sulfur_dioxide, density, ph, "
      "sulphates, alcohol) VALUES (1, 7.4, 0.7, 0.0, 1.9, 0.076, 11.0, 34.0, 0.9978, 3.51, "
      "0.56, 9.4)";
  constexpr int kIterations = 2000;
  size_t columns = 0;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kIterations; ++i) {
    columns += std::get<Insert>(ParseStatement(q).stmt).columns.size();
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(columns, 12u * kIterations);
  double us = std::chrono::duration<double, std::micro>(elapsed).count() / kIterations;
  // Generous bound for shared CI machines; typically a few microseconds.
  EXPECT_LT(us, 200.0);
  std::printf("12-column INSERT: %.2f us per parse\n", us);
}

std::string NestedInsert(int depth) {
  std::string q = "INSERT INTO t (a) VALUES (";
  for (int i = 0; i < depth; ++i) q += "[";
  for (int i = 0; i < depth; ++i) q += "]";
  return q + ")";
}

TEST(ParserDeepNestingTest, ModerateNestingParses) {
  EXPECT_NO_THROW(ParseStatement(NestedInsert(50)));
}

TEST(ParserDeepNestingTest, HostileNestingIsASyntaxErrorNotACrash) {
  EXPECT_NE(SyntaxError(NestedInsert(100000)).find("nested too deeply"), std::string::npos);
  std::string type = "CREATE TABLE t (k int PRIMARY KEY, v ";
  for (int i = 0; i < 100000; ++i) type += "list<";
  EXPECT_NE(SyntaxError(type).find("nested too deeply"), std::string::npos);
  std::string sel = "SELECT ";
  for (int i = 0; i < 100000; ++i) sel += "f(";
  EXPECT_NE(SyntaxError(sel).find("nested too deeply"), std::string::npos);
  std::string prop = "CREATE KEYSPACE ks WITH replication = ";
  for (int i = 0; i < 100000; ++i) prop += "{'a': ";
  EXPECT_NE(SyntaxError(prop).find("nested too deeply"), std::string::npos);
}

TEST(ParserDriverQueriesTest, SchemaAndPeerQueries) {
  for (const char* q : {
           "SELECT * FROM system.peers",
           "SELECT * FROM system.peers_v2",
           "SELECT * FROM system.local WHERE key='local'",
           "SELECT schema_version FROM system.local WHERE key='local'",
           "SELECT peer, rpc_address, data_center, rack, host_id, tokens, release_version, "
           "schema_version FROM system.peers",
           "select keyspace_name, durable_writes, replication from system_schema.keyspaces "
           "where keyspace_name = ?",
           "SELECT * FROM system_schema.keyspaces",
           "SELECT * FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name = 't'",
           "SELECT * FROM system_schema.types",
           "SELECT * FROM system_schema.functions",
           "SELECT * FROM system_schema.aggregates",
           "SELECT * FROM system_schema.views",
           "SELECT * FROM system_schema.indexes",
           "SELECT * FROM system_schema.triggers",
           "SELECT now() FROM system.local",
           "SELECT release_version FROM system.local",
       }) {
    EXPECT_NO_THROW(ParseStatement(q)) << q;
  }
}

}  // namespace
}  // namespace helenus::cql
