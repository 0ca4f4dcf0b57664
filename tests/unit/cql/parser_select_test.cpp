#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/cql/parser.h"

namespace helenus::cql {
namespace {

using namespace ast;  // NOLINT: test brevity

Select ParseSelect(std::string_view cql) {
  ParsedStatement p = ParseStatement(cql);
  EXPECT_TRUE(std::holds_alternative<Select>(p.stmt)) << cql;
  return std::get<Select>(p.stmt);
}

const Literal& Lit(const Term& t) {
  const Literal* l = t.As<Literal>();
  if (!l) throw std::runtime_error("not a literal: " + ToCql(t));
  return *l;
}

TEST(ParserSelectTest, Star) {
  Select s = ParseSelect("SELECT * FROM t");
  EXPECT_TRUE(s.selectors.empty());
  EXPECT_EQ(s.table.keyspace, "");
  EXPECT_EQ(s.table.name, "t");
  EXPECT_FALSE(s.distinct);
  EXPECT_FALSE(s.json);
  EXPECT_FALSE(s.allow_filtering);
}

TEST(ParserSelectTest, SystemLocalFromDrivers) {
  Select s = ParseSelect("SELECT * FROM system.local WHERE key='local'");
  EXPECT_EQ(s.table, (QualifiedName{"system", "local"}));
  ASSERT_EQ(s.where.size(), 1u);
  EXPECT_EQ(s.where[0].kind, Relation::Kind::kSingle);
  EXPECT_EQ(s.where[0].columns, std::vector<std::string>{"key"});
  EXPECT_EQ(s.where[0].op, Operator::kEq);
  ASSERT_EQ(s.where[0].values.size(), 1u);
  EXPECT_EQ(Lit(s.where[0].values[0]).kind, Literal::Kind::kString);
  EXPECT_EQ(Lit(s.where[0].values[0]).text, "local");
}

TEST(ParserSelectTest, SystemPeersColumns) {
  Select s = ParseSelect("SELECT peer, data_center, host_id FROM system.peers");
  ASSERT_EQ(s.selectors.size(), 3u);
  EXPECT_EQ(s.selectors[0].expr.As<ColumnRef>()->name, "peer");
  EXPECT_EQ(s.selectors[1].expr.As<ColumnRef>()->name, "data_center");
  EXPECT_EQ(s.selectors[2].expr.As<ColumnRef>()->name, "host_id");
}

TEST(ParserSelectTest, SystemSchemaColumnsWithMarkers) {
  ParsedStatement p = ParseStatement(
      "SELECT * FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?");
  EXPECT_EQ(p.bind_count, 2u);
  EXPECT_EQ(p.bind_names, (std::vector<std::string>{"", ""}));
  const Select& s = std::get<Select>(p.stmt);
  ASSERT_EQ(s.where.size(), 2u);
  EXPECT_EQ(s.where[0].columns[0], "keyspace_name");
  EXPECT_EQ(s.where[1].columns[0], "table_name");
  EXPECT_EQ(s.where[0].values[0].As<BindMarker>()->index, 0u);
  EXPECT_EQ(s.where[1].values[0].As<BindMarker>()->index, 1u);
}

TEST(ParserSelectTest, AliasesFunctionsAndCount) {
  Select s = ParseSelect(
      "SELECT count(*), COUNT(1) AS n, writetime(v), TTL(v), token(a, b), max(x) AS m, "
      "toJson(c), system.now() FROM ks.t");
  ASSERT_EQ(s.selectors.size(), 8u);
  const auto* c = s.selectors[0].expr.As<FunctionSelector>();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "count");
  EXPECT_TRUE(c->star);
  EXPECT_TRUE(c->args.empty());
  const auto* c1 = s.selectors[1].expr.As<FunctionSelector>();
  ASSERT_TRUE(c1);
  EXPECT_FALSE(c1->star);
  ASSERT_EQ(c1->args.size(), 1u);
  EXPECT_EQ(Lit(*c1->args[0].As<Term>()).text, "1");
  EXPECT_EQ(s.selectors[1].alias, "n");
  EXPECT_EQ(s.selectors[2].expr.As<FunctionSelector>()->name, "writetime");
  EXPECT_EQ(s.selectors[2].expr.As<FunctionSelector>()->args[0].As<ColumnRef>()->name, "v");
  EXPECT_EQ(s.selectors[3].expr.As<FunctionSelector>()->name, "ttl");
  const auto* tok = s.selectors[4].expr.As<FunctionSelector>();
  EXPECT_EQ(tok->name, "token");
  EXPECT_EQ(tok->args.size(), 2u);
  EXPECT_EQ(s.selectors[5].alias, "m");
  EXPECT_EQ(s.selectors[6].expr.As<FunctionSelector>()->name, "tojson");
  EXPECT_EQ(s.selectors[7].expr.As<FunctionSelector>()->keyspace, "system");
  EXPECT_EQ(s.selectors[7].expr.As<FunctionSelector>()->name, "now");
}

TEST(ParserSelectTest, CastAndFieldSelectors) {
  Select s = ParseSelect("SELECT CAST(a AS text), u.street, \"Col\" FROM t");
  ASSERT_EQ(s.selectors.size(), 3u);
  const auto* cast = s.selectors[0].expr.As<CastSelector>();
  ASSERT_TRUE(cast);
  EXPECT_EQ(cast->type.kind, TypeKind::kText);
  EXPECT_EQ(cast->expr->As<ColumnRef>()->name, "a");
  const auto* field = s.selectors[1].expr.As<FieldSelector>();
  ASSERT_TRUE(field);
  EXPECT_EQ(field->field, "street");
  EXPECT_EQ(field->expr->As<ColumnRef>()->name, "u");
  EXPECT_EQ(s.selectors[2].expr.As<ColumnRef>()->name, "Col");
}

TEST(ParserSelectTest, ElementSelectors) {
  Select s = ParseSelect("SELECT m['k'], l[0], u.phones[1] AS p FROM t");
  ASSERT_EQ(s.selectors.size(), 3u);
  const auto* m = s.selectors[0].expr.As<ElementSelector>();
  ASSERT_TRUE(m);
  EXPECT_EQ(m->expr->As<ColumnRef>()->name, "m");
  EXPECT_EQ(Lit(m->key).text, "k");
  const auto* p = s.selectors[2].expr.As<ElementSelector>();
  ASSERT_TRUE(p);
  EXPECT_TRUE(p->expr->As<FieldSelector>());
  EXPECT_EQ(s.selectors[2].alias, "p");
}

TEST(ParserSelectTest, LiteralSelector) {
  Select s = ParseSelect("SELECT 'x', 1, ? FROM t");
  ASSERT_EQ(s.selectors.size(), 3u);
  EXPECT_EQ(Lit(*s.selectors[0].expr.As<Term>()).text, "x");
}

TEST(ParserSelectTest, JsonAndDistinct) {
  Select s = ParseSelect("SELECT JSON DISTINCT a FROM t");
  EXPECT_TRUE(s.json);
  EXPECT_TRUE(s.distinct);
  ASSERT_EQ(s.selectors.size(), 1u);
  Select j = ParseSelect("SELECT JSON * FROM t");
  EXPECT_TRUE(j.json);
  EXPECT_TRUE(j.selectors.empty());
}

TEST(ParserSelectTest, JsonAndDistinctAsColumnNames) {
  Select s = ParseSelect("SELECT json, distinct FROM t");
  EXPECT_FALSE(s.json);
  EXPECT_FALSE(s.distinct);
  ASSERT_EQ(s.selectors.size(), 2u);
  EXPECT_EQ(s.selectors[0].expr.As<ColumnRef>()->name, "json");
  Select d = ParseSelect("SELECT distinct FROM t");
  EXPECT_FALSE(d.distinct);
  EXPECT_EQ(d.selectors[0].expr.As<ColumnRef>()->name, "distinct");
}

TEST(ParserSelectTest, AllClauses) {
  Select s = ParseSelect(
      "SELECT a, b FROM ks.t WHERE a = 1 AND b > 2 AND b <= 10 GROUP BY a, b "
      "ORDER BY b DESC, c ASC, d PER PARTITION LIMIT 3 LIMIT 100 ALLOW FILTERING;");
  EXPECT_EQ(s.where.size(), 3u);
  EXPECT_EQ(s.where[1].op, Operator::kGt);
  EXPECT_EQ(s.where[2].op, Operator::kLe);
  EXPECT_EQ(s.group_by, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.order_by.size(), 3u);
  EXPECT_EQ(s.order_by[0], (std::pair<std::string, bool>{"b", true}));
  EXPECT_EQ(s.order_by[1], (std::pair<std::string, bool>{"c", false}));
  EXPECT_EQ(s.order_by[2], (std::pair<std::string, bool>{"d", false}));
  ASSERT_TRUE(s.per_partition_limit);
  EXPECT_EQ(Lit(*s.per_partition_limit).text, "3");
  ASSERT_TRUE(s.limit);
  EXPECT_EQ(Lit(*s.limit).text, "100");
  EXPECT_TRUE(s.allow_filtering);
}

TEST(ParserSelectTest, LimitMarker) {
  ParsedStatement p = ParseStatement("SELECT * FROM t WHERE k = :k LIMIT ?");
  EXPECT_EQ(p.bind_names, (std::vector<std::string>{"k", ""}));
  const Select& s = std::get<Select>(p.stmt);
  EXPECT_EQ(s.limit->As<BindMarker>()->index, 1u);
}

TEST(ParserSelectTest, InRelations) {
  Select s = ParseSelect("SELECT * FROM t WHERE k IN (1, 2, 3) AND c IN ? AND d IN ()");
  ASSERT_EQ(s.where.size(), 3u);
  EXPECT_EQ(s.where[0].op, Operator::kIn);
  EXPECT_EQ(s.where[0].values.size(), 3u);
  EXPECT_EQ(s.where[1].op, Operator::kIn);
  ASSERT_EQ(s.where[1].values.size(), 1u);
  EXPECT_TRUE(s.where[1].values[0].Is<BindMarker>());
  EXPECT_TRUE(s.where[2].values.empty());
}

TEST(ParserSelectTest, TokenRelation) {
  Select s = ParseSelect("SELECT * FROM t WHERE token(a, b) > ? AND token(a, b) <= 100");
  ASSERT_EQ(s.where.size(), 2u);
  EXPECT_EQ(s.where[0].kind, Relation::Kind::kToken);
  EXPECT_EQ(s.where[0].columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.where[0].op, Operator::kGt);
  EXPECT_EQ(s.where[1].op, Operator::kLe);
}

TEST(ParserSelectTest, TokenRelationWithTokenFunctionTerm) {
  Select s = ParseSelect("SELECT * FROM t WHERE token(k) > token(5)");
  const auto* f = s.where[0].values[0].As<FunctionCall>();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->name, "token");
}

TEST(ParserSelectTest, MultiColumnRelations) {
  Select s = ParseSelect(
      "SELECT * FROM t WHERE k = 0 AND (c1, c2) > (1, 'a') AND (c1, c2) IN ((1, 'a'), (2, 'b')) "
      "AND (c1, c2) <= ? AND (c1) IN ?");
  ASSERT_EQ(s.where.size(), 5u);
  EXPECT_EQ(s.where[1].kind, Relation::Kind::kMultiColumn);
  EXPECT_EQ(s.where[1].columns, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(s.where[1].op, Operator::kGt);
  ASSERT_EQ(s.where[1].values.size(), 1u);
  EXPECT_EQ(s.where[1].values[0].As<TupleLiteral>()->elements.size(), 2u);
  EXPECT_EQ(s.where[2].op, Operator::kIn);
  ASSERT_EQ(s.where[2].values.size(), 2u);
  EXPECT_TRUE(s.where[2].values[1].Is<TupleLiteral>());
  EXPECT_TRUE(s.where[3].values[0].Is<BindMarker>());
  EXPECT_EQ(s.where[4].op, Operator::kIn);
  EXPECT_TRUE(s.where[4].values[0].Is<BindMarker>());
}

TEST(ParserSelectTest, ContainsLikeNeAndMapElement) {
  Select s = ParseSelect(
      "SELECT * FROM t WHERE tags CONTAINS 'x' AND m CONTAINS KEY 'k' AND name LIKE 'ab%' "
      "AND v != 3 AND m['a'] = 1 AND x IS NOT NULL ALLOW FILTERING");
  ASSERT_EQ(s.where.size(), 6u);
  EXPECT_EQ(s.where[0].op, Operator::kContains);
  EXPECT_EQ(s.where[1].op, Operator::kContainsKey);
  EXPECT_EQ(s.where[2].op, Operator::kLike);
  EXPECT_EQ(s.where[3].op, Operator::kNe);
  ASSERT_TRUE(s.where[4].map_key);
  EXPECT_EQ(Lit(*s.where[4].map_key).text, "a");
  EXPECT_EQ(s.where[5].op, Operator::kIsNotNull);
  EXPECT_TRUE(s.where[5].values.empty());
}

TEST(ParserSelectTest, KeywordsAsColumnNames) {
  Select s = ParseSelect(
      "SELECT key, value, type, ttl, timestamp, count, writetime, filtering, options, static, "
      "values, text, list, frozen, user, role FROM t WHERE key = 1 AND value > 2");
  ASSERT_EQ(s.selectors.size(), 16u);
  EXPECT_EQ(s.selectors[0].expr.As<ColumnRef>()->name, "key");
  EXPECT_EQ(s.selectors[3].expr.As<ColumnRef>()->name, "ttl");
  EXPECT_EQ(s.selectors[5].expr.As<ColumnRef>()->name, "count");
  EXPECT_EQ(s.where[1].columns[0], "value");
}

TEST(ParserSelectTest, IdentifierCase) {
  Select s = ParseSelect("select \"MixedCase\", UPPER FROM \"MyKs\".\"MyTable\"");
  EXPECT_EQ(s.selectors[0].expr.As<ColumnRef>()->name, "MixedCase");
  EXPECT_EQ(s.selectors[1].expr.As<ColumnRef>()->name, "upper");
  EXPECT_EQ(s.table, (QualifiedName{"MyKs", "MyTable"}));
}

TEST(ParserSelectTest, ReservedWordsNeedQuotes) {
  EXPECT_THROW(ParseStatement("SELECT from FROM t"), CqlError);
  Select s = ParseSelect("SELECT \"from\", \"select\" FROM t");
  EXPECT_EQ(s.selectors[0].expr.As<ColumnRef>()->name, "from");
}

}  // namespace
}  // namespace helenus::cql
