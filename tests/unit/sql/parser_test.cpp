#include "helenus/sql/parser.h"

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "sql_test_util.h"

namespace helenus::sql {
namespace {

using testing::Sx;

// The parsed query of a query statement, as an S-expression.
std::string Q(std::string_view text) {
  Statement s = Parse(text);
  const auto* select = std::get_if<Select>(&s);
  if (!select) ADD_FAILURE() << "not a query: " << text;
  return select ? Sx(select->query) : "";
}

// The first select item of "SELECT <expr> FROM t", as an S-expression.
std::string E(std::string_view expr) {
  Statement s = Parse("SELECT " + std::string(expr) + " FROM t");
  const auto& core = std::get<SelectCore>(std::get<Select>(s).query.body);
  EXPECT_EQ(core.items.size(), 1u) << expr;
  return Sx(core.items[0].expr);
}

TEST(SqlParserTest, MinimalSelect) {
  EXPECT_EQ(Q("SELECT a, b FROM t"), "select a, b from t");
  EXPECT_EQ(Q("select A from KS.Tab;"), "select a from ks.tab");
  EXPECT_EQ(Q("SELECT a FROM t;;"), "select a from t");
}

TEST(SqlParserTest, QuotedNamesKeepCase) {
  EXPECT_EQ(Q(R"(SELECT "MyCol", Foo, "t"."X" FROM "Ks"."Tab")"),
            "select MyCol, foo, t.X from Ks.Tab");
  EXPECT_EQ(Q(R"(SELECT "select" FROM t)"), "select select from t");
}

TEST(SqlParserTest, UnreservedWordsAreNames) {
  EXPECT_EQ(Q("SELECT key, value, count, date, timestamp, first FROM t"),
            "select key, value, count, date, timestamp, first from t");
}

TEST(SqlParserTest, StarsAndAliases) {
  EXPECT_EQ(Q("SELECT *, t.*, a AS x, b y, count(*) AS count, c AS \"Z\" FROM t"),
            "select *, t.*, a as x, b as y, (count *) as count, c as Z from t");
  EXPECT_EQ(Q("SELECT DISTINCT a FROM t"), "select distinct a from t");
  EXPECT_EQ(Q("SELECT ALL a FROM t"), "select a from t");
}

TEST(SqlParserTest, LogicalPrecedence) {
  EXPECT_EQ(E("a OR b AND c"), "(or a (and b c))");
  EXPECT_EQ(E("a AND b OR c"), "(or (and a b) c)");
  EXPECT_EQ(E("NOT a = 1 AND b"), "(and (not (= a 1:int)) b)");
  EXPECT_EQ(E("NOT NOT a"), "(not (not a))");
  EXPECT_EQ(E("a = 1 OR NOT b IS NULL"), "(or (= a 1:int) (not (is_null b)))");
  EXPECT_EQ(E("(a OR b) AND c"), "(and (or a b) c)");
}

TEST(SqlParserTest, ComparisonOperators) {
  EXPECT_EQ(E("a = b"), "(= a b)");
  EXPECT_EQ(E("a != b"), "(!= a b)");
  EXPECT_EQ(E("a <> b"), "(!= a b)");
  EXPECT_EQ(E("a < b"), "(< a b)");
  EXPECT_EQ(E("a <= b"), "(<= a b)");
  EXPECT_EQ(E("a > b"), "(> a b)");
  EXPECT_EQ(E("a >= b"), "(>= a b)");
  EXPECT_EQ(E("a < b + 1 AND c >= 2"), "(and (< a (+ b 1:int)) (>= c 2:int))");
}

TEST(SqlParserTest, ArithmeticPrecedence) {
  EXPECT_EQ(E("a + b * c - d"), "(- (+ a (* b c)) d)");
  EXPECT_EQ(E("a - b - c"), "(- (- a b) c)");
  EXPECT_EQ(E("a / b % c"), "(% (/ a b) c)");
  EXPECT_EQ(E("(a + b) * c"), "(* (+ a b) c)");
  EXPECT_EQ(E("-a * b"), "(* (neg a) b)");
  EXPECT_EQ(E("- - a"), "(neg (neg a))");
  EXPECT_EQ(E("+a"), "a");
  EXPECT_EQ(E("a - -1"), "(- a -1:int)");
  EXPECT_EQ(E("a-1"), "(- a 1:int)");
  EXPECT_EQ(E("a || b = c"), "(= (|| a b) c)");
  EXPECT_EQ(E("a || b + 1"), "(|| a (+ b 1:int))");
  EXPECT_EQ(E("a * 2 = b / 2"), "(= (* a 2:int) (/ b 2:int))");
}

TEST(SqlParserTest, SlashSlashStillStartsAComment) {
  EXPECT_EQ(Q("SELECT a / b FROM t // a / b comment"), "select (/ a b) from t");
}

TEST(SqlParserTest, Predicates) {
  EXPECT_EQ(E("x IN (1, 2, 3)"), "(in x 1:int 2:int 3:int)");
  EXPECT_EQ(E("x NOT IN ('a')"), "(not_in x 'a':text)");
  EXPECT_EQ(E("x BETWEEN 1 AND 2 AND y"), "(and (between x 1:int 2:int) y)");
  EXPECT_EQ(E("x NOT BETWEEN 1 + 1 AND 3"), "(not_between x (+ 1:int 1:int) 3:int)");
  EXPECT_EQ(E("x LIKE 'a%'"), "(like x 'a%':text)");
  EXPECT_EQ(E("x NOT LIKE 'a' || b"), "(not_like x (|| 'a':text b))");
  EXPECT_EQ(E("x ILIKE 'a%'"), "(ilike x 'a%':text)");
  EXPECT_EQ(E("x NOT ILIKE 'a%'"), "(not_ilike x 'a%':text)");
  EXPECT_EQ(E("x IS NULL"), "(is_null x)");
  EXPECT_EQ(E("x IS NOT NULL"), "(is_not_null x)");
  EXPECT_EQ(E("x + 1 IN (y, 2) OR z"), "(or (in (+ x 1:int) y 2:int) z)");
  EXPECT_EQ(E("NOT x IN (1)"), "(not (in x 1:int))");
}

TEST(SqlParserTest, NumericLiterals) {
  EXPECT_EQ(E("1"), "1:int");
  EXPECT_EQ(E("-2147483648"), "-2147483648:int");
  EXPECT_EQ(E("3000000000"), "3000000000:bigint");
  EXPECT_EQ(E("-9223372036854775808"), "-9223372036854775808:bigint");
  EXPECT_EQ(E("99999999999999999999"), "99999999999999999999:varint");
  EXPECT_EQ(E("1.5"), "1.5:double");
  EXPECT_EQ(E("-2.5e3"), "-2500:double");
  EXPECT_EQ(E("NaN"), "NaN:double");
  EXPECT_EQ(E("Infinity"), "Infinity:double");
  EXPECT_EQ(E("-Infinity"), "-Infinity:double");
}

TEST(SqlParserTest, OtherLiterals) {
  EXPECT_EQ(E("'it''s'"), "'it''s':text");
  EXPECT_EQ(E("$$dollar$$"), "'dollar':text");
  EXPECT_EQ(E("true"), "true:boolean");
  EXPECT_EQ(E("FALSE"), "false:boolean");
  EXPECT_EQ(E("null"), "NULL");
  EXPECT_EQ(E("0xCAFE"), "0xcafe:blob");
  EXPECT_EQ(E("0x"), "0x:blob");
  EXPECT_EQ(E("123e4567-e89b-12d3-a456-426655440000"), "123e4567-e89b-12d3-a456-426655440000:uuid");
  EXPECT_EQ(E("1h30m"), "1h30m:duration");
  EXPECT_EQ(E("date '2020-01-02'"), "2020-01-02:date");
  EXPECT_EQ(E("timestamp '2020-01-02 03:04:05+0000'"), "2020-01-02T03:04:05.000Z:timestamp");
  EXPECT_EQ(E("time '01:02:03'"), "01:02:03.000000000:time");
}

TEST(SqlParserTest, NullLiteralIsUntyped) {
  Statement s = Parse("SELECT NULL FROM t");
  const auto& e = std::get<SelectCore>(std::get<Select>(s).query.body).items[0].expr;
  EXPECT_TRUE(e->untyped_null);
  EXPECT_FALSE(e->value.has_value());
}

TEST(SqlParserTest, FunctionCalls) {
  EXPECT_EQ(E("count(*)"), "(count *)");
  EXPECT_EQ(E("COUNT(DISTINCT x)"), "(count DISTINCT x)");
  EXPECT_EQ(E("sum(ALL x)"), "(sum x)");
  EXPECT_EQ(E("avg(t.rating) + 1"), "(+ (avg t.rating) 1:int)");
  EXPECT_EQ(E("Lower(name)"), "(lower name)");
  EXPECT_EQ(E("\"MyFn\"(a, b)"), "(MyFn a b)");
  EXPECT_EQ(E("now()"), "(now)");
  EXPECT_EQ(E("coalesce(a, b, 0)"), "(coalesce a b 0:int)");
  EXPECT_EQ(E("max(a * 2)"), "(max (* a 2:int))");
  // Join keywords that are also string functions.
  EXPECT_EQ(E("left(title, 2) || RIGHT(title, 1)"), "(|| (left title 2:int) (right title 1:int))");
  ExpectSyntaxError("SELECT left FROM t", "line 1:7 no viable alternative at input 'left'");
}

TEST(SqlParserTest, Casts) {
  EXPECT_EQ(E("CAST(a AS bigint)"), "(cast bigint a)");
  EXPECT_EQ(E("cast(a + 1 AS TEXT)"), "(cast text (+ a 1:int))");
  EXPECT_EQ(E("CAST(a AS frozen<list<int>>)"), "(cast frozen<list<int>> a)");
  EXPECT_EQ(E("CAST(a AS map<text, int>)"), "(cast map<text, int> a)");
  EXPECT_EQ(E("CAST(a AS varchar)"), "(cast text a)");
}

TEST(SqlParserTest, CaseExpressions) {
  EXPECT_EQ(E("CASE WHEN a > 1 THEN 'x' ELSE 'y' END"), "(case (> a 1:int) 'x':text 'y':text)");
  EXPECT_EQ(E("CASE WHEN a THEN 1 WHEN b THEN 2 END"), "(case a 1:int b 2:int)");
  // The simple form compares the operand with each WHEN value.
  EXPECT_EQ(E("CASE a WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END"),
            "(case (= a 1:int) 'one':text (= a 2:int) 'two':text 'many':text)");
  EXPECT_EQ(E("CASE (a + 1) WHEN 2 THEN true END"), "(case (= (+ a 1:int) 2:int) true:boolean)");
}

TEST(SqlParserTest, ExprToStringRoundTrip) {
  Statement s = Parse("SELECT avg(rating), (a + 1) * -b, c IS NOT NULL FROM t");
  const auto& items = std::get<SelectCore>(std::get<Select>(s).query.body).items;
  EXPECT_EQ(items[0].expr->ToString(), "avg(rating)");
  EXPECT_EQ(items[1].expr->ToString(), "((a + 1) * (- b))");
  EXPECT_EQ(items[2].expr->ToString(), "(c IS NOT NULL)");
}

TEST(SqlParserTest, Joins) {
  EXPECT_EQ(Q("SELECT * FROM a JOIN b ON a.x = b.x"), "select * from {a inner b on (= a.x b.x)}");
  EXPECT_EQ(Q("SELECT * FROM a INNER JOIN b ON x"), "select * from {a inner b on x}");
  EXPECT_EQ(Q("SELECT * FROM a LEFT JOIN b ON x"), "select * from {a left b on x}");
  EXPECT_EQ(Q("SELECT * FROM a LEFT OUTER JOIN b ON x"), "select * from {a left b on x}");
  EXPECT_EQ(Q("SELECT * FROM a RIGHT JOIN b ON x"), "select * from {a right b on x}");
  EXPECT_EQ(Q("SELECT * FROM a RIGHT OUTER JOIN b ON x"), "select * from {a right b on x}");
  EXPECT_EQ(Q("SELECT * FROM a FULL JOIN b ON x"), "select * from {a full b on x}");
  EXPECT_EQ(Q("SELECT * FROM a FULL OUTER JOIN b ON x"), "select * from {a full b on x}");
  EXPECT_EQ(Q("SELECT * FROM a LEFT SEMI JOIN b ON x"), "select * from {a semi b on x}");
  EXPECT_EQ(Q("SELECT * FROM a LEFT ANTI JOIN b ON x"), "select * from {a anti b on x}");
  EXPECT_EQ(Q("SELECT * FROM a SEMI JOIN b ON x"), "select * from {a semi b on x}");
  EXPECT_EQ(Q("SELECT * FROM a CROSS JOIN b"), "select * from {a cross b}");
  EXPECT_EQ(Q("SELECT * FROM a JOIN b"), "select * from {a inner b}");
  EXPECT_EQ(Q("SELECT * FROM a JOIN b USING (x, \"Y\")"), "select * from {a inner b using x Y}");
}

TEST(SqlParserTest, JoinChainsAndCommas) {
  EXPECT_EQ(Q("SELECT * FROM a JOIN b ON p LEFT JOIN c ON q"),
            "select * from {{a inner b on p} left c on q}");
  // A comma binds looser than JOIN.
  EXPECT_EQ(Q("SELECT * FROM a, b JOIN c ON p"), "select * from {a cross {b inner c on p}}");
  EXPECT_EQ(Q("SELECT * FROM a, b, c"), "select * from {{a cross b} cross c}");
  EXPECT_EQ(Q("SELECT * FROM a JOIN (b JOIN c ON p) ON q"),
            "select * from {a inner {b inner c on p} on q}");
}

TEST(SqlParserTest, TableAliases) {
  EXPECT_EQ(Q("SELECT m.x FROM ks.movies AS m JOIN ratings r ON m.id = r.id"),
            "select m.x from {ks.movies m inner ratings r on (= m.id r.id)}");
  EXPECT_EQ(Q("SELECT * FROM t \"T\""), "select * from t T");
}

TEST(SqlParserTest, SubqueriesInFrom) {
  EXPECT_EQ(Q("SELECT s.n FROM (SELECT count(*) AS n FROM t) AS s"),
            "select s.n from [select (count *) as n from t] s");
  EXPECT_EQ(Q("SELECT * FROM (SELECT a FROM t) s JOIN u ON s.a = u.a"),
            "select * from {[select a from t] s inner u on (= s.a u.a)}");
  EXPECT_EQ(Q("SELECT * FROM ((SELECT a FROM t) UNION ALL (SELECT a FROM u)) x"),
            "select * from [<select a from t union all select a from u>] x");
  EXPECT_EQ(Q("SELECT * FROM (SELECT a FROM t)"), "select * from [select a from t]");
}

TEST(SqlParserTest, Clauses) {
  EXPECT_EQ(Q("SELECT g, sum(x) FROM t WHERE x > 0 GROUP BY g, 2 HAVING sum(x) > 10 "
              "ORDER BY 2 DESC, g ASC NULLS LAST, h NULLS FIRST LIMIT 10 OFFSET 5 ALLOW FILTERING"),
            "select g, (sum x) from t where (> x 0:int) group g 2:int having (> (sum x) 10:int)"
            " order 2:int desc g asc nulls last h asc nulls first limit 10 offset 5"
            " allow filtering");
  EXPECT_EQ(Q("SELECT a FROM t OFFSET 3"), "select a from t offset 3");
  EXPECT_EQ(Q("SELECT a FROM t HAVING count(*) > 1"), "select a from t having (> (count *) 1:int)");
}

TEST(SqlParserTest, OrderByDefaultsAreLeftToTheAnalyzer) {
  Statement s = Parse("SELECT a FROM t ORDER BY a DESC");
  const auto& q = std::get<Select>(s).query;
  ASSERT_EQ(q.order_by.size(), 1u);
  EXPECT_FALSE(q.order_by[0].ascending);
  EXPECT_FALSE(q.order_by[0].nulls_first.has_value());
}

TEST(SqlParserTest, Unions) {
  EXPECT_EQ(Q("SELECT a FROM t UNION ALL SELECT b FROM u"),
            "<select a from t union all select b from u>");
  EXPECT_EQ(Q("SELECT a FROM t UNION SELECT b FROM u UNION ALL SELECT c FROM v"),
            "<<select a from t union select b from u> union all select c from v>");
  EXPECT_EQ(Q("SELECT a FROM t UNION DISTINCT SELECT b FROM u"),
            "<select a from t union select b from u>");
  // ORDER BY and LIMIT after a union apply to the whole union.
  EXPECT_EQ(Q("SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 3 ALLOW FILTERING"),
            "<select a from t union all select b from u> order 1:int asc limit 3 allow filtering");
  EXPECT_EQ(Q("(SELECT a FROM t ORDER BY a LIMIT 1) UNION ALL (SELECT b FROM u LIMIT 2)"),
            "<select a from t order a asc limit 1 union all select b from u limit 2>");
}

TEST(SqlParserTest, ParenthesisedQueries) {
  EXPECT_EQ(Q("(SELECT a FROM t)"), "select a from t");
  EXPECT_EQ(Q("((SELECT a FROM t)) ORDER BY a"), "select a from t order a asc");
  // Inner LIMIT first, then the outer ORDER BY over those rows.
  EXPECT_EQ(Q("(SELECT a FROM t LIMIT 5) ORDER BY a LIMIT 2"),
            "(select a from t limit 5) order a asc limit 2");
}

TEST(SqlParserTest, InsertSelect) {
  Statement s = Parse("INSERT INTO ks.dst (a, \"B\") SELECT x, y FROM src WHERE x > 1");
  const auto& ins = std::get<InsertSelect>(s);
  EXPECT_EQ(ins.table.keyspace, "ks");
  EXPECT_EQ(ins.table.name, "dst");
  EXPECT_EQ(ins.columns, (std::vector<std::string>{"a", "B"}));
  EXPECT_EQ(Sx(ins.query), "select x, y from src where (> x 1:int)");

  s = Parse("insert into dst select * from src allow filtering;");
  const auto& all = std::get<InsertSelect>(s);
  EXPECT_EQ(all.table.keyspace, "");
  EXPECT_TRUE(all.columns.empty());
  EXPECT_EQ(Sx(all.query), "select * from src allow filtering");

  s = Parse("INSERT INTO dst (SELECT a FROM src) UNION ALL (SELECT b FROM u)");
  EXPECT_TRUE(std::get<InsertSelect>(s).columns.empty());
  EXPECT_EQ(Sx(std::get<InsertSelect>(s).query), "<select a from src union all select b from u>");
}

TEST(SqlParserTest, CreateTableAs) {
  Statement s = Parse(
      "CREATE TABLE IF NOT EXISTS ks.top (movie int, n bigint, PRIMARY KEY ((movie), n)) "
      "WITH comment = 'as select' AND CLUSTERING ORDER BY (n DESC) "
      "AS SELECT movie, count(*) AS n FROM ratings GROUP BY movie");
  const auto& ctas = std::get<CreateTableAs>(s);
  EXPECT_TRUE(ctas.table.if_not_exists);
  EXPECT_EQ(ctas.table.table.keyspace, "ks");
  EXPECT_EQ(ctas.table.table.name, "top");
  ASSERT_EQ(ctas.table.columns.size(), 2u);
  EXPECT_EQ(ctas.table.columns[1].name, "n");
  EXPECT_EQ(ctas.table.columns[1].type.kind, TypeKind::kBigint);
  EXPECT_EQ(ctas.table.partition_key, (std::vector<std::string>{"movie"}));
  EXPECT_EQ(ctas.table.clustering, (std::vector<std::string>{"n"}));
  EXPECT_EQ(ctas.table.options.at("comment"), "as select");
  EXPECT_EQ(Sx(ctas.query), "select movie, (count *) as n from ratings group movie");
  EXPECT_EQ(ctas.ddl,
            "CREATE TABLE IF NOT EXISTS ks.top (movie int, n bigint, PRIMARY KEY ((movie), n)) "
            "WITH comment = 'as select' AND CLUSTERING ORDER BY (n DESC)");

  s = Parse("create table t (a int primary key) as (select a from u) union all select b from v;");
  EXPECT_EQ(std::get<CreateTableAs>(s).table.table.name, "t");
  EXPECT_EQ(Sx(std::get<CreateTableAs>(s).query), "<select a from u union all select b from v>");
}

TEST(SqlParserTest, CreateTableAsErrors) {
  ExpectSyntaxError("CREATE TABLE t (a int PRIMARY KEY)",
                    "line 1:34 mismatched input '<EOF>' expecting K_AS");
  ExpectSyntaxError("CREATE TABLE t (a int PRIMARY KEY) AS DELETE FROM t",
                    "line 1:38 no viable alternative at input 'DELETE'");
  ExpectSyntaxError("CREATE KEYSPACE k AS SELECT a FROM t",
                    "line 1:7 mismatched input 'KEYSPACE' expecting K_TABLE");
  // The CQL parser reports errors in the table definition at their place.
  ExpectSyntaxError("CREATE TABLE t (a int PRIMARY KEY,) AS SELECT a FROM u", "line 1:34");
  ExpectInvalid("CREATE TABLE t (a int) AS SELECT a FROM u", "No PRIMARY KEY specifed");
}

TEST(SqlParserTest, Explain) {
  Statement s = Parse("EXPLAIN SELECT a FROM t ORDER BY a");
  EXPECT_EQ(Sx(std::get<Explain>(s).query), "select a from t order a asc");
  ExpectSyntaxError("EXPLAIN DELETE FROM t", "line 1:8 no viable alternative at input 'DELETE'");
}

TEST(SqlParserTest, MultiLinePositions) {
  ExpectSyntaxError("SELECT a,\n  b +\nFROM t", "line 3:0 no viable alternative at input 'FROM'");
}

TEST(SqlParserTest, SyntaxErrors) {
  ExpectSyntaxError("", "line 1:0 no viable alternative at input '<EOF>'");
  ExpectSyntaxError("UPDATE t SET a = 1", "line 1:0 no viable alternative at input 'UPDATE'");
  ExpectSyntaxError("SELECT a FROM", "line 1:13 mismatched input '<EOF>' expecting IDENT");
  ExpectSyntaxError("SELECT a FROM t WHERE", "line 1:21 no viable alternative at input '<EOF>'");
  ExpectSyntaxError("SELECT a + FROM t", "line 1:11 no viable alternative at input 'FROM'");
  ExpectSyntaxError("SELECT a FROM t x y", "line 1:18 mismatched input 'y' expecting EOF");
  ExpectSyntaxError("SELECT a FROM t GROUP a", "line 1:22 mismatched input 'a' expecting K_BY");
  ExpectSyntaxError("SELECT a b c FROM t", "line 1:11 mismatched input 'c' expecting K_FROM");
  ExpectSyntaxError("SELECT a FROM t LEFT JOIN u",
                    "line 1:27 mismatched input '<EOF>' expecting K_ON");
  ExpectSyntaxError("SELECT a FROM t CROSS JOIN u ON x",
                    "line 1:29 mismatched input 'ON' expecting EOF");
  ExpectSyntaxError("SELECT a FROM t LIMIT -1", "line 1:22 mismatched input '-' expecting INTEGER");
  ExpectSyntaxError("SELECT a FROM t LIMIT 99999999999999999999",
                    "line 1:22 LIMIT value 99999999999999999999 is out of range");
  ExpectSyntaxError("SELECT a FROM t ORDER BY a NULLS", "expecting K_FIRST");
  ExpectSyntaxError("SELECT CAST(a AS nosuch) FROM t", "line 1:17 unknown type 'nosuch'");
  ExpectSyntaxError("SELECT CAST(a AS list<int) FROM t", "line 1:33 mismatched input '<EOF>'");
  ExpectSyntaxError("SELECT CASE END FROM t", "line 1:12 no viable alternative at input 'END'");
  ExpectSyntaxError("SELECT CASE a END FROM t",
                    "line 1:14 mismatched input 'END' expecting K_WHEN");
  ExpectSyntaxError("SELECT CASE WHEN a THEN b FROM t",
                    "line 1:26 mismatched input 'FROM' expecting K_END");
  ExpectSyntaxError("SELECT a IS 1 FROM t", "line 1:12 mismatched input '1' expecting K_NULL");
  ExpectSyntaxError("SELECT a FROM t WHERE a IN (SELECT b FROM u)",
                    "line 1:28 IN (subquery) is not supported");
  ExpectSyntaxError("SELECT (SELECT 1 FROM u) FROM t",
                    "line 1:8 subqueries are only supported in FROM");
  ExpectSyntaxError("SELECT 0xABC FROM t", "line 1:7 invalid blob constant 0xABC");
  ExpectSyntaxError("SELECT a FROM t WHERE a = ?", "line 1:26 no viable alternative at input '?'");
  ExpectSyntaxError("SELECT a FROM t ALLOW",
                    "line 1:21 mismatched input '<EOF>' expecting K_FILTERING");
  ExpectSyntaxError("SELECT FROM t", "line 1:7 no viable alternative at input 'FROM'");
  ExpectSyntaxError("SELECT a FROM t WHERE a # 1", "line 1:24 token recognition error at: '#'");
  ExpectSyntaxError("SELECT a | b FROM t", "line 1:9 token recognition error at: '|'");
}

TEST(SqlParserTest, DeepNestingFailsCleanly) {
  std::string deep = "SELECT " + std::string(5000, '(') + "1" + std::string(5000, ')') + " FROM t";
  ExpectSyntaxError(deep, "nested too deeply");
  std::string negs = "SELECT ";
  for (int i = 0; i < 5000; ++i) negs += "- ";  // "--" would start a comment
  negs += "a FROM t";
  ExpectSyntaxError(negs, "nested too deeply");
  std::string nots = "SELECT a FROM t WHERE ";
  for (int i = 0; i < 5000; ++i) nots += "NOT ";
  ExpectSyntaxError(nots + "a", "nested too deeply");
  std::string subqueries = "SELECT * FROM ";
  for (int i = 0; i < 5000; ++i) subqueries += "(SELECT * FROM ";
  ExpectSyntaxError(subqueries, "nested too deeply");
}

TEST(SqlParserTest, LongOperatorChainsAreBounded) {
  // A left-deep tree from a flat chain would overflow recursive walks.
  std::string chain = "SELECT 1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  ExpectSyntaxError(chain + " FROM t", "expression nested too deeply");
  // Long but reasonable chains and lists are fine.
  std::string ok = "SELECT a FROM t WHERE a = 0";
  for (int i = 1; i < 300; ++i) ok += " OR a = " + std::to_string(i);
  EXPECT_NO_THROW(Parse(ok));
  std::string in = "SELECT a FROM t WHERE a IN (0";
  for (int i = 1; i < 100000; ++i) in += ", " + std::to_string(i);
  EXPECT_NO_THROW(Parse(in + ")"));
}

}  // namespace
}  // namespace helenus::sql
