#include "helenus/shell/describe.h"

#include <gtest/gtest.h>

#include "helenus/cql/parser.h"

namespace helenus::shell {
namespace {

ColumnMeta Col(const char* name, const char* type, ColumnRole role, int pos = -1,
               bool desc = false) {
  return ColumnMeta{name, *ParseDataType(type), type, role, pos, desc};
}

TableMeta Ratings() {
  TableMeta t;
  t.keyspace = "w";
  t.name = "movieratings";
  t.columns = {Col("timestamp", "text", ColumnRole::kRegular),
               Col("rating", "float", ColumnRole::kRegular),
               Col("movieid", "int", ColumnRole::kClustering, 0, true),
               Col("userid", "int", ColumnRole::kPartitionKey, 0)};
  SortColumns(&t);
  return t;
}

TEST(Describe, TableWithClustering) {
  EXPECT_EQ(DescribeTable(Ratings()),
            "CREATE TABLE w.movieratings (\n"
            "    userid int,\n"
            "    movieid int,\n"
            "    rating float,\n"
            "    timestamp text,\n"
            "    PRIMARY KEY (userid, movieid)\n"
            ") WITH CLUSTERING ORDER BY (movieid DESC);\n");
}

TEST(Describe, SinglePartitionKeyInline) {
  TableMeta t;
  t.keyspace = "ks";
  t.name = "Users";
  t.columns = {Col("id", "uuid", ColumnRole::kPartitionKey, 0),
               Col("tags", "set<text>", ColumnRole::kRegular),
               Col("m", "frozen<map<text, int>>", ColumnRole::kRegular)};
  t.options["default_time_to_live"] = "60";
  SortColumns(&t);
  EXPECT_EQ(DescribeTable(t),
            "CREATE TABLE ks.\"Users\" (\n"
            "    id uuid PRIMARY KEY,\n"
            "    m frozen<map<text, int>>,\n"
            "    tags set<text>\n"
            ") WITH default_time_to_live = 60;\n");
}

TEST(Describe, CompositePartitionKeyAndStatic) {
  TableMeta t;
  t.keyspace = "ks";
  t.name = "t";
  t.columns = {Col("a", "int", ColumnRole::kPartitionKey, 0),
               Col("b", "text", ColumnRole::kPartitionKey, 1),
               Col("c", "int", ColumnRole::kClustering, 0), Col("s", "int", ColumnRole::kStatic)};
  SortColumns(&t);
  std::string cql = DescribeTable(t);
  EXPECT_NE(cql.find("    s int static,\n"), std::string::npos);
  EXPECT_NE(cql.find("PRIMARY KEY ((a, b), c)"), std::string::npos);
  // The output is valid CQL for the server's own parser.
  for (const auto& stmt : cql::SplitStatements(cql)) EXPECT_NO_THROW(cql::ParseStatement(stmt));
}

TEST(Describe, Keyspace) {
  KeyspaceMeta k;
  k.name = "w";
  k.replication = {{"class", "org.apache.cassandra.locator.SimpleStrategy"},
                   {"replication_factor", "1"}};
  k.tables.push_back(Ratings());
  std::string cql = DescribeKeyspace(k);
  EXPECT_EQ(cql.rfind("CREATE KEYSPACE w WITH replication = {'class': "
                      "'org.apache.cassandra.locator.SimpleStrategy', 'replication_factor': '1'} "
                      "AND durable_writes = true;\n",
                      0),
            0u);
  auto stmts = cql::SplitStatements(cql);
  ASSERT_EQ(stmts.size(), 2u);
  for (const auto& s : stmts) EXPECT_NO_THROW(cql::ParseStatement(s));
}

}  // namespace
}  // namespace helenus::shell
