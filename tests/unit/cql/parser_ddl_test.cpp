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

TEST(ParserUseTest, QuotedAndUnquoted) {
  EXPECT_EQ(ParseAs<UseStatement>("USE \"MyKs\"").keyspace, "MyKs");
  EXPECT_EQ(ParseAs<UseStatement>("use MyKs;").keyspace, "myks");
}

TEST(ParserKeyspaceTest, Create) {
  CreateKeyspace ks = ParseAs<CreateKeyspace>(
      "CREATE KEYSPACE IF NOT EXISTS accelerate WITH replication = "
      "{'class': 'SimpleStrategy', 'replication_factor': 1} AND durable_writes = false");
  EXPECT_EQ(ks.name, "accelerate");
  EXPECT_TRUE(ks.if_not_exists);
  EXPECT_EQ(ks.replication.at("class"), "SimpleStrategy");
  EXPECT_EQ(ks.replication.at("replication_factor"), "1");
  ASSERT_TRUE(ks.durable_writes);
  EXPECT_FALSE(*ks.durable_writes);
  EXPECT_TRUE(ks.options.at("replication").is_map);
  EXPECT_EQ(ks.options.at("replication").text,
            "{'class': 'SimpleStrategy', 'replication_factor': 1}");
  CreateKeyspace s = ParseAs<CreateKeyspace>(
      "CREATE SCHEMA \"Ks\" WITH REPLICATION = {'class': 'NetworkTopologyStrategy', 'dc1': '3'}");
  EXPECT_EQ(s.name, "Ks");
  EXPECT_FALSE(s.if_not_exists);
  EXPECT_FALSE(s.durable_writes);
  EXPECT_EQ(s.replication.at("dc1"), "3");
}

TEST(ParserKeyspaceTest, AlterAndDrop) {
  AlterKeyspace a = ParseAs<AlterKeyspace>("ALTER KEYSPACE ks WITH durable_writes = true");
  EXPECT_EQ(a.name, "ks");
  EXPECT_TRUE(a.replication.empty());
  EXPECT_TRUE(*a.durable_writes);
  DropKeyspace d = ParseAs<DropKeyspace>("DROP KEYSPACE IF EXISTS ks");
  EXPECT_TRUE(d.if_exists);
  EXPECT_EQ(d.name, "ks");
  EXPECT_FALSE(ParseAs<DropKeyspace>("DROP SCHEMA ks").if_exists);
}

TEST(ParserCreateTableTest, WorkshopWines) {
  CreateTable t = ParseAs<CreateTable>(
      "CREATE TABLE accelerate.wines (wineid int PRIMARY KEY, fixed_acidity float, "
      "volatile_acidity float, citric_acid float, residual_sugar float, chlorides float, "
      "free_sulfur_dioxide float, total_sulfur_dioxide float, density float, ph float, "
      "sulphates float, alcohol float, quality int, type text)");
  EXPECT_EQ(t.table, (QualifiedName{"accelerate", "wines"}));
  ASSERT_EQ(t.columns.size(), 14u);
  EXPECT_EQ(t.columns[0].name, "wineid");
  EXPECT_EQ(t.columns[0].type.kind, TypeKind::kInt);
  EXPECT_EQ(t.columns[1].type.kind, TypeKind::kFloat);
  EXPECT_EQ(t.columns[13].name, "type");
  EXPECT_EQ(t.columns[13].type.kind, TypeKind::kText);
  EXPECT_EQ(t.partition_key, std::vector<std::string>{"wineid"});
  EXPECT_TRUE(t.clustering.empty());
}

TEST(ParserCreateTableTest, PrimaryKeyForms) {
  CreateTable a = ParseAs<CreateTable>("CREATE TABLE t (a int, b int, PRIMARY KEY (a))");
  EXPECT_EQ(a.partition_key, std::vector<std::string>{"a"});
  EXPECT_TRUE(a.clustering.empty());
  CreateTable b =
      ParseAs<CreateTable>("CREATE TABLE t (a int, b int, c int, PRIMARY KEY (a, b, c))");
  EXPECT_EQ(b.partition_key, std::vector<std::string>{"a"});
  EXPECT_EQ(b.clustering, (std::vector<std::string>{"b", "c"}));
  CreateTable c = ParseAs<CreateTable>(
      "CREATE TABLE IF NOT EXISTS t (a int, b int, c int, d int, PRIMARY KEY ((a, b), c, d))");
  EXPECT_TRUE(c.if_not_exists);
  EXPECT_EQ(c.partition_key, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(c.clustering, (std::vector<std::string>{"c", "d"}));
  CreateTable d = ParseAs<CreateTable>("CREATE TABLE t (a int, PRIMARY KEY ((a)))");
  EXPECT_EQ(d.partition_key, std::vector<std::string>{"a"});
}

TEST(ParserCreateTableTest, MissingOrDuplicatePrimaryKeyIsInvalid) {
  for (const char* q :
       {"CREATE TABLE t (a int)", "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY)",
        "CREATE TABLE t (a int PRIMARY KEY, b int, PRIMARY KEY (b))"}) {
    try {
      ParseStatement(q);
      ADD_FAILURE() << q;
    } catch (const CqlError& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInvalid) << q;
    }
  }
}

TEST(ParserCreateTableTest, TypesAndStatic) {
  CreateTable t = ParseAs<CreateTable>(
      "CREATE TABLE t (k text, c timeuuid, s int STATIC, l list<int>, st set<text>, "
      "m map<text, frozen<list<int>>>, tp tuple<int, text>, u frozen<address>, "
      "q ks.addr, v varchar, b blob, d 'org.example.Custom', PRIMARY KEY (k, c))");
  ASSERT_EQ(t.columns.size(), 12u);
  EXPECT_TRUE(t.columns[2].is_static);
  EXPECT_EQ(t.columns[3].type, DataType::List(DataType::Of(TypeKind::kInt)));
  EXPECT_EQ(t.columns[4].type.kind, TypeKind::kSet);
  EXPECT_EQ(t.columns[5].type.ToCql(), "map<text, frozen<list<int>>>");
  EXPECT_EQ(t.columns[6].type.kind, TypeKind::kTuple);
  EXPECT_EQ(t.columns[7].type.kind, TypeKind::kUdt);
  EXPECT_TRUE(t.columns[7].type.frozen);
  EXPECT_EQ(t.columns[7].type.custom_class, "address");
  EXPECT_EQ(t.columns[8].type.custom_class, "ks.addr");
  EXPECT_EQ(t.columns[9].type.kind, TypeKind::kText);
  EXPECT_EQ(t.columns[11].type.kind, TypeKind::kCustom);
  EXPECT_EQ(t.columns[11].type.custom_class, "org.example.Custom");
}

TEST(ParserCreateTableTest, WithOptions) {
  CreateTable t = ParseAs<CreateTable>(
      "CREATE TABLE ks.t (a int, c int, d int, PRIMARY KEY (a, c, d)) "
      "WITH CLUSTERING ORDER BY (c DESC, d ASC) AND comment = 'x' AND "
      "default_time_to_live = 10 AND compaction = {'class': 'LeveledCompactionStrategy'} "
      "AND bloom_filter_fp_chance = 0.01 AND COMPACT STORAGE");
  ASSERT_EQ(t.clustering_order.size(), 2u);
  EXPECT_EQ(t.clustering_order[0], (std::pair<std::string, bool>{"c", true}));
  EXPECT_EQ(t.clustering_order[1], (std::pair<std::string, bool>{"d", false}));
  EXPECT_EQ(t.options.at("comment"), "x");
  EXPECT_EQ(t.options.at("default_time_to_live"), "10");
  EXPECT_EQ(t.options.at("bloom_filter_fp_chance"), "0.01");
  EXPECT_EQ(t.options.at("compaction"), "{'class': 'LeveledCompactionStrategy'}");
  EXPECT_EQ(t.map_options.at("compaction").at("class"), "LeveledCompactionStrategy");
  EXPECT_TRUE(t.compact_storage);
}

TEST(ParserCreateTableTest, KeywordColumnNames) {
  CreateTable t = ParseAs<CreateTable>(
      "CREATE TABLE kv (key text PRIMARY KEY, value blob, ttl int, timestamp timestamp, "
      "\"Mixed\" int, date date)");
  EXPECT_EQ(t.partition_key, std::vector<std::string>{"key"});
  EXPECT_EQ(t.columns[1].name, "value");
  EXPECT_EQ(t.columns[3].name, "timestamp");
  EXPECT_EQ(t.columns[3].type.kind, TypeKind::kTimestamp);
  EXPECT_EQ(t.columns[4].name, "Mixed");
  EXPECT_EQ(t.columns[5].name, "date");
}

TEST(ParserAlterTableTest, Actions) {
  AlterTable add = ParseAs<AlterTable>("ALTER TABLE ks.t ADD c int");
  EXPECT_EQ(add.table, (QualifiedName{"ks", "t"}));
  const auto& a = std::get<AlterTable::Add>(add.action);
  ASSERT_EQ(a.columns.size(), 1u);
  EXPECT_EQ(a.columns[0].name, "c");
  AlterTable add2 = ParseAs<AlterTable>("ALTER TABLE t ADD (c int, d text static)");
  const auto& a2 = std::get<AlterTable::Add>(add2.action);
  ASSERT_EQ(a2.columns.size(), 2u);
  EXPECT_TRUE(a2.columns[1].is_static);
  AlterTable drop = ParseAs<AlterTable>("ALTER TABLE t DROP c");
  EXPECT_EQ(std::get<AlterTable::Drop>(drop.action).columns, std::vector<std::string>{"c"});
  AlterTable drop2 = ParseAs<AlterTable>("ALTER TABLE t DROP (c, d)");
  EXPECT_EQ(std::get<AlterTable::Drop>(drop2.action).columns.size(), 2u);
  AlterTable rename = ParseAs<AlterTable>("ALTER TABLE t RENAME a TO b AND c TO d");
  const auto& r = std::get<AlterTable::Rename>(rename.action);
  ASSERT_EQ(r.renames.size(), 2u);
  EXPECT_EQ(r.renames[1], (std::pair<std::string, std::string>{"c", "d"}));
  AlterTable alter = ParseAs<AlterTable>("ALTER COLUMNFAMILY t ALTER v TYPE blob");
  EXPECT_EQ(std::get<AlterTable::AlterType>(alter.action).column, "v");
  EXPECT_EQ(std::get<AlterTable::AlterType>(alter.action).type.kind, TypeKind::kBlob);
  AlterTable with =
      ParseAs<AlterTable>("ALTER TABLE t WITH comment = 'hi' AND caching = {'keys': 'ALL'}");
  const auto& w = std::get<AlterTable::With>(with.action);
  EXPECT_EQ(w.options.at("comment"), "hi");
  EXPECT_EQ(w.map_options.at("caching").at("keys"), "ALL");
}

TEST(ParserDropTruncateTest, Tables) {
  DropTable d = ParseAs<DropTable>("DROP TABLE IF EXISTS ks.t");
  EXPECT_TRUE(d.if_exists);
  EXPECT_EQ(d.table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(ParseAs<DropTable>("drop table t").table.name, "t");
  EXPECT_EQ(ParseAs<TruncateTable>("TRUNCATE ks.t").table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(ParseAs<TruncateTable>("TRUNCATE TABLE t").table.name, "t");
}

TEST(ParserIndexTest, CreateAndDrop) {
  CreateIndex i = ParseAs<CreateIndex>("CREATE INDEX IF NOT EXISTS idx ON ks.t (v)");
  EXPECT_EQ(i.name, "idx");
  EXPECT_TRUE(i.if_not_exists);
  EXPECT_EQ(i.table, (QualifiedName{"ks", "t"}));
  EXPECT_EQ(i.column, "v");
  EXPECT_EQ(i.target_kind, "");
  CreateIndex k = ParseAs<CreateIndex>("CREATE INDEX ON t (KEYS(m))");
  EXPECT_EQ(k.name, "");
  EXPECT_EQ(k.target_kind, "keys");
  EXPECT_EQ(k.column, "m");
  CreateIndex c = ParseAs<CreateIndex>(
      "CREATE CUSTOM INDEX ON t (v) USING 'org.apache.cassandra.index.sasi.SASIIndex' "
      "WITH OPTIONS = {'mode': 'CONTAINS'}");
  EXPECT_TRUE(c.custom);
  EXPECT_EQ(c.using_class, "org.apache.cassandra.index.sasi.SASIIndex");
  EXPECT_EQ(c.options.at("options").map.at("mode"), "CONTAINS");
  DropIndex d = ParseAs<DropIndex>("DROP INDEX IF EXISTS ks.idx");
  EXPECT_TRUE(d.if_exists);
  EXPECT_EQ(d.name, (QualifiedName{"ks", "idx"}));
}

TEST(ParserTypeTest, CreateAndDrop) {
  CreateType t = ParseAs<CreateType>(
      "CREATE TYPE IF NOT EXISTS ks.address (street text, zip int, phones set<text>)");
  EXPECT_TRUE(t.if_not_exists);
  EXPECT_EQ(t.name, (QualifiedName{"ks", "address"}));
  ASSERT_EQ(t.fields.size(), 3u);
  EXPECT_EQ(t.fields[2].first, "phones");
  EXPECT_EQ(t.fields[2].second.kind, TypeKind::kSet);
  DropType d = ParseAs<DropType>("DROP TYPE address");
  EXPECT_FALSE(d.if_exists);
  EXPECT_EQ(d.name.name, "address");
}

TEST(ParserUnsupportedTest, RecognisedForms) {
  EXPECT_EQ(
      ParseAs<UnsupportedStatement>("CREATE ROLE bob WITH PASSWORD = 'x' AND LOGIN = true").kind,
      "CREATE ROLE");
  EXPECT_EQ(ParseAs<UnsupportedStatement>(
                "CREATE MATERIALIZED VIEW v AS SELECT * FROM t WHERE a IS NOT NULL PRIMARY KEY (a)")
                .kind,
            "CREATE MATERIALIZED VIEW");
  EXPECT_EQ(ParseAs<UnsupportedStatement>("GRANT SELECT ON ALL KEYSPACES TO bob").kind, "GRANT");
  EXPECT_EQ(ParseAs<UnsupportedStatement>("CREATE OR REPLACE FUNCTION f () ...").kind,
            "CREATE OR REPLACE FUNCTION");
  EXPECT_EQ(ParseAs<UnsupportedStatement>("ALTER TYPE t ADD f int").kind, "ALTER TYPE");
  EXPECT_EQ(ParseAs<UnsupportedStatement>("DROP ROLE bob").kind, "DROP ROLE");
  EXPECT_EQ(ParseAs<UnsupportedStatement>("LIST ROLES").kind, "LIST ROLES");
}

}  // namespace
}  // namespace helenus::cql
