#include "helenus/exec/expr.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::exec {
namespace {

using E = ExprPtr;

DataType T(TypeKind k) {
  return DataType::Of(k);
}

E Col(std::string_view name) {
  return Expr::Col(name);
}
E I(int64_t v) {
  return Expr::Int(v);
}
E D(double v) {
  return Expr::Double(v);
}
E S(std::string_view v) {
  return Expr::Text(v);
}
E B(bool v) {
  return Expr::Bool(v);
}
E Null() {
  return Expr::Null();
}
E F(std::string name, std::vector<E> args) {
  return Expr::Call(std::move(name), std::move(args));
}
E Cast(E e, TypeKind k) {
  return Expr::Cast(std::move(e), T(k));
}

Column IntColumn(TypeKind k, const std::vector<std::optional<int64_t>>& values) {
  Column c = Column::Make(T(k));
  for (const auto& v : values) v ? c.AppendInt(*v) : c.AppendNull();
  return c;
}

Column DoubleColumn(const std::vector<std::optional<double>>& values) {
  Column c = Column::Make(T(TypeKind::kDouble));
  for (const auto& v : values) v ? c.AppendDouble(*v) : c.AppendNull();
  return c;
}

Column StringColumn(TypeKind k, const std::vector<std::optional<std::string>>& values) {
  Column c = Column::Make(T(k));
  for (const auto& v : values) v ? c.AppendString(*v) : c.AppendNull();
  return c;
}

// A table t with columns i (int), d (double), s (text), b (boolean),
// ts (timestamp), dt (date), n (int, all NULL), big (bigint) over 4 rows.
struct Fixture {
  Schema schema;
  Batch batch;
  Fixture() {
    auto add = [&](std::string name, Column c) {
      schema.fields.push_back({std::move(name), c.type, "t"});
      batch.columns.push_back(std::move(c));
    };
    add("i", IntColumn(TypeKind::kInt, {1, -2, std::nullopt, 7}));
    add("d", DoubleColumn({1.5, std::nan(""), -0.0, std::nullopt}));
    add("s", StringColumn(TypeKind::kText, {"abc", "Héllo", std::nullopt, ""}));
    add("b", IntColumn(TypeKind::kBoolean, {1, 0, std::nullopt, 1}));
    add("ts", IntColumn(TypeKind::kTimestamp,
                        {1577934245123, -1, std::nullopt, 0}));  // 2020-01-02T03:04:05.123Z
    add("dt", IntColumn(TypeKind::kDate, {18263, -1, std::nullopt, 0}));  // 2020-01-02
    add("n", IntColumn(TypeKind::kInt, {std::nullopt, std::nullopt, std::nullopt, std::nullopt}));
    add("big", IntColumn(TypeKind::kBigint, {std::numeric_limits<int64_t>::max(), 3, 4, 5}));
    batch.num_rows = 4;
  }
};

// Row i as its CQL literal (text unquoted, "null" for NULL); independent of
// how TextAt chooses to show values.
std::string Render(const Column& c, size_t i) {
  if (c.IsNull(i)) return "null";
  if (c.type.kind == TypeKind::kText || c.type.kind == TypeKind::kAscii) return c.strings[i];
  return cql::ToLiteral(c.type, *CqlValueAt(c, i));
}

// Each row of e over the fixture, rendered with Render.
std::vector<std::string> Rows(const E& e) {
  Fixture f;
  Column c = Bind(*e, f.schema)->Evaluate(f.batch);
  EXPECT_EQ(c.size(), f.batch.num_rows);
  std::vector<std::string> out;
  for (size_t i = 0; i < c.size(); ++i) out.push_back(Render(c, i));
  return out;
}

// The type of e bound to the fixture.
DataType TypeOfExpr(const E& e) {
  Fixture f;
  return Bind(*e, f.schema)->type();
}

// A constant expression evaluated on one row.
std::string Eval(const E& e) {
  Batch one;
  one.num_rows = 1;
  Column c = Bind(*e, Schema{})->Evaluate(one);
  EXPECT_EQ(c.size(), 1u);
  return Render(c, 0);
}

double EvalDouble(const E& e) {
  Batch one;
  one.num_rows = 1;
  auto bound = Bind(*e, Schema{});
  EXPECT_EQ(bound->type().kind, TypeKind::kDouble);
  return bound->Evaluate(one).doubles[0];
}

using Strings = std::vector<std::string>;

// Expects Bind to throw Invalid with a message containing `part`.
void ExpectInvalid(const E& e, std::string_view part) {
  Fixture f;
  try {
    Bind(*e, f.schema);
    ADD_FAILURE() << "no error binding " << e->ToString();
  } catch (const CqlError& err) {
    EXPECT_EQ(err.code(), ErrorCode::kInvalid);
    EXPECT_NE(std::string(err.what()).find(part), std::string::npos) << err.what();
  }
}

// ---- Unbound trees -------------------------------------------------------------

TEST(ExprTest, FactoriesAndNames) {
  E c = Col("t.x");
  EXPECT_EQ(c->kind, ExprKind::kColumn);
  EXPECT_EQ(c->qualifier, "t");
  EXPECT_EQ(c->name, "x");
  EXPECT_EQ(c->ToString(), "x");
  EXPECT_EQ(I(5)->type.kind, TypeKind::kInt);
  EXPECT_EQ(I(int64_t{1} << 40)->type.kind, TypeKind::kBigint);
  EXPECT_EQ(I(-2147483648LL)->type.kind, TypeKind::kInt);
  EXPECT_TRUE(Null()->untyped_null);
  EXPECT_EQ(F("avg", {Col("rating")})->ToString(), "avg(rating)");
  EXPECT_EQ((Col("a") + I(1))->ToString(), "(a + 1)");
  EXPECT_EQ(F("count", {Expr::Star()})->ToString(), "count(*)");
  EXPECT_EQ(Expr::Call("count", {Col("x")}, true)->ToString(), "count(DISTINCT x)");
  EXPECT_EQ(Expr::As(F("sum", {Col("x")}), "total")->ToString(), "total");
  EXPECT_EQ(S("it's")->ToString(), "'it''s'");
  EXPECT_EQ(D(1.5)->ToString(), "1.5");
  EXPECT_EQ(Null()->ToString(), "NULL");
  EXPECT_EQ(And(Col("a") >= I(1), Not(Col("b") == S("x")))->ToString(),
            "((a >= 1) AND (NOT (b = 'x')))");
  EXPECT_EQ(F("in", {Col("a"), I(1), I(2)})->ToString(), "(a IN (1, 2))");
  EXPECT_EQ(F("between", {Col("a"), I(1), I(2)})->ToString(), "(a BETWEEN 1 AND 2)");
  EXPECT_EQ(F("is_not_null", {Col("a")})->ToString(), "(a IS NOT NULL)");
  EXPECT_EQ(F("neg", {Col("a")})->ToString(), "(- a)");
  EXPECT_EQ(F("like", {Col("a"), S("x%")})->ToString(), "(a LIKE 'x%')");
  EXPECT_EQ(Cast(Col("a"), TypeKind::kText)->ToString(), "CAST(a AS text)");
  EXPECT_EQ(Expr::Case({{Col("a") > I(0), S("pos")}}, S("neg"))->ToString(),
            "CASE WHEN (a > 0) THEN 'pos' ELSE 'neg' END");
}

TEST(ExprTest, Aggregates) {
  for (const char* name :
       {"count", "sum", "avg", "mean", "min", "max", "stddev", "stddev_samp", "stddev_pop",
        "variance", "var_samp", "var_pop", "collect_list", "collect_set"}) {
    EXPECT_TRUE(IsAggregateFunction(name)) << name;
  }
  EXPECT_FALSE(IsAggregateFunction("sqrt"));
  EXPECT_TRUE(ContainsAggregate(*(F("avg", {Col("x")}) + I(1))));
  EXPECT_TRUE(ContainsAggregate(*Expr::As(F("max", {Col("x")}), "m")));
  EXPECT_FALSE(ContainsAggregate(*(Col("x") + I(1))));
}

// ---- Binding -------------------------------------------------------------------

TEST(ExprTest, BindErrors) {
  ExpectInvalid(Col("nope"), "Undefined column name nope");
  ExpectInvalid(Col("u.i"), "Undefined column name u.i");
  ExpectInvalid(F("frobnicate", {I(1)}), "Unknown function frobnicate");
  ExpectInvalid(F("sqrt", {Col("ts")}),
                "Invalid arguments for sqrt: expected (number), got (timestamp)");
  ExpectInvalid(F("sqrt", {I(1), I(2)}), "Invalid arguments for sqrt");
  ExpectInvalid(F("substr", {S("x")}), "expected (text, integer[, integer])");
  ExpectInvalid(F("avg", {Col("i")}), "Aggregate function avg is not allowed here");
  ExpectInvalid(F("abs", {F("max", {Col("i")})}), "Aggregate function max is not allowed here");
  ExpectInvalid(Expr::Star(), "'*'");
  ExpectInvalid(F("+", {Col("i"), Col("ts")}), "Invalid arguments for +");
  ExpectInvalid(F("=", {Col("i"), Col("ts")}), "Invalid arguments for =");
  ExpectInvalid(F("and", {Col("i"), Col("b")}), "Invalid arguments for and");
  ExpectInvalid(Expr::Case({{Col("i"), I(1)}}, nullptr), "Invalid arguments for case");
  ExpectInvalid(F("coalesce", {Col("i"), Col("ts")}), "Invalid arguments for coalesce");
  ExpectInvalid(Col("ts") == S("not a time"), "Unable to coerce 'not a time'");
  ExpectInvalid(Col("i") == S("seven"), "Invalid int value 'seven'");
  ExpectInvalid(Cast(Col("ts"), TypeKind::kUuid), "cannot cast timestamp to uuid");
}

TEST(ExprTest, ColumnIndexAndAlias) {
  Fixture f;
  EXPECT_EQ(Bind(*Col("s"), f.schema)->ColumnIndex(), 2);
  EXPECT_EQ(Bind(*Col("t.d"), f.schema)->ColumnIndex(), 1);
  EXPECT_EQ(Bind(*Expr::As(Col("b"), "flag"), f.schema)->ColumnIndex(), 3);
  EXPECT_EQ(Bind(*(Col("i") + I(1)), f.schema)->ColumnIndex(), -1);
  auto bound = Bind(*Col("s"), f.schema);
  EXPECT_EQ(bound->type().kind, TypeKind::kText);
  Column c = bound->Evaluate(f.batch);
  EXPECT_EQ(c.strings[1], "Héllo");
  EXPECT_TRUE(c.IsNull(2));
  EXPECT_EQ(Rows(Expr::As(Col("i") * I(2), "twice")), (Strings{"2", "-4", "null", "14"}));
}

TEST(ExprTest, ConstantsBroadcastToBatch) {
  EXPECT_EQ(Rows(I(3) + I(4)), (Strings{"7", "7", "7", "7"}));
  EXPECT_EQ(Rows(S("x")), (Strings{"x", "x", "x", "x"}));
  EXPECT_EQ(Rows(Null()), (Strings{"null", "null", "null", "null"}));
  EXPECT_EQ(TypeOfExpr(Null()).kind, TypeKind::kInt);
  Batch empty;
  Fixture f;
  EXPECT_EQ(Bind(*(Col("i") + I(1)), f.schema)->Evaluate(Batch::Empty(f.schema)).size(), 0u);
}

// ---- Arithmetic ----------------------------------------------------------------

TEST(ExprTest, Arithmetic) {
  EXPECT_EQ(Rows(Col("i") + I(1)), (Strings{"2", "-1", "null", "8"}));
  EXPECT_EQ(TypeOfExpr(Col("i") + I(1)).kind, TypeKind::kBigint);
  EXPECT_EQ(Rows(I(10) - Col("i")), (Strings{"9", "12", "null", "3"}));
  EXPECT_EQ(Rows(Col("i") * Col("i")), (Strings{"1", "4", "null", "49"}));
  EXPECT_EQ(Rows(Col("big") + I(1))[0], std::to_string(std::numeric_limits<int64_t>::min()));
  EXPECT_EQ(Rows(Col("i") / I(2)), (Strings{"0.5", "-1", "null", "3.5"}));
  EXPECT_EQ(TypeOfExpr(Col("i") / I(2)).kind, TypeKind::kDouble);
  EXPECT_EQ(Rows(Col("i") + D(0.5)), (Strings{"1.5", "-1.5", "null", "7.5"}));
  EXPECT_EQ(Rows(F("%", {Col("i"), I(3)})), (Strings{"1", "-2", "null", "1"}));
  EXPECT_EQ(Eval(F("%", {I(std::numeric_limits<int64_t>::min()), I(-1)})), "0");
  EXPECT_EQ(Eval(F("%", {D(7.5), I(2)})), "1.5");
  EXPECT_EQ(Eval(F("mod", {I(-7), I(3)})), "-1");
}

TEST(ExprTest, DivisionByZeroIsNull) {
  EXPECT_EQ(Rows(Col("i") / I(0)), (Strings{"null", "null", "null", "null"}));
  EXPECT_EQ(Rows(Col("d") / D(0)), (Strings{"null", "null", "null", "null"}));
  EXPECT_EQ(Rows(F("%", {I(5), Col("i") - I(1)})), (Strings{"null", "2", "null", "5"}));
  EXPECT_EQ(Eval(F("%", {D(1), D(0)})), "null");
}

TEST(ExprTest, ArithmeticTypes) {
  EXPECT_EQ(TypeOfExpr(Col("i") + Col("d")).kind, TypeKind::kDouble);
  EXPECT_EQ(TypeOfExpr(Col("i") * Col("big")).kind, TypeKind::kBigint);
  E dec = Expr::Literal(T(TypeKind::kDecimal), cql::ParseDecimal("2.25"));
  E var = Expr::Literal(T(TypeKind::kVarint), cql::ParseVarint("3"));
  EXPECT_EQ(Eval(dec + I(1)), "3.25");
  EXPECT_EQ(Eval(var * I(2)), "6");
  EXPECT_EQ(TypeOfExpr(var * I(2)).kind, TypeKind::kDouble);
  EXPECT_EQ(Eval(S("1.5") + I(1)), "2.5");
  EXPECT_EQ(Eval(Null() + I(1)), "null");
  EXPECT_EQ(TypeOfExpr(Null() + I(1)).kind, TypeKind::kBigint);
  EXPECT_EQ(TypeOfExpr(Null() + D(1)).kind, TypeKind::kDouble);
  EXPECT_EQ(Rows(F("neg", {Col("i")})), (Strings{"-1", "2", "null", "-7"}));
  EXPECT_EQ(Rows(F("neg", {Col("d")}))[0], "-1.5");
  EXPECT_EQ(Eval(F("neg", {I(std::numeric_limits<int64_t>::min())})),
            std::to_string(std::numeric_limits<int64_t>::min()));
}

TEST(ExprTest, LargeBatchesMatchRowByRow) {
  Schema schema;
  schema.fields = {{"a", T(TypeKind::kBigint), ""}, {"b", T(TypeKind::kDouble), ""}};
  Batch batch;
  Column a = Column::Make(T(TypeKind::kBigint));
  Column b = Column::Make(T(TypeKind::kDouble));
  const size_t n = 10000;
  for (size_t i = 0; i < n; ++i) {
    i % 7 == 0 ? a.AppendNull() : a.AppendInt(static_cast<int64_t>(i) - 5000);
    i % 11 == 0 ? b.AppendNull() : b.AppendDouble(static_cast<double>(i) / 4);
  }
  batch.columns = {a, b};
  batch.num_rows = n;
  Column sum = Bind(*(Col("a") * I(3) + Col("b")), schema)->Evaluate(batch);
  Column cmp = Bind(*(Col("a") < Col("b")), schema)->Evaluate(batch);
  for (size_t i = 0; i < n; ++i) {
    bool null = i % 7 == 0 || i % 11 == 0;
    ASSERT_EQ(sum.IsNull(i), null) << i;
    ASSERT_EQ(cmp.IsNull(i), null) << i;
    if (null) continue;
    double av = static_cast<double>(static_cast<int64_t>(i) - 5000);
    ASSERT_EQ(sum.doubles[i], av * 3 + static_cast<double>(i) / 4) << i;
    ASSERT_EQ(cmp.ints[i], av < static_cast<double>(i) / 4 ? 1 : 0) << i;
  }
}

// ---- Comparisons ---------------------------------------------------------------

TEST(ExprTest, NumericComparisons) {
  EXPECT_EQ(Rows(Col("i") > I(0)), (Strings{"true", "false", "null", "true"}));
  EXPECT_EQ(Rows(Col("i") == D(1.0)), (Strings{"true", "false", "null", "false"}));
  EXPECT_EQ(Rows(Col("i") <= Col("big")), (Strings{"true", "true", "null", "false"}));
  EXPECT_EQ(Rows(Col("i") != I(7)), (Strings{"true", "true", "null", "false"}));
  EXPECT_EQ(TypeOfExpr(Col("i") > I(0)).kind, TypeKind::kBoolean);
  // NaN equals NaN and is above every number; -0.0 equals 0.0.
  EXPECT_EQ(Rows(Col("d") == D(std::nan(""))), (Strings{"false", "true", "false", "null"}));
  EXPECT_EQ(Rows(Col("d") > D(1e300)), (Strings{"false", "true", "false", "null"}));
  EXPECT_EQ(Rows(Col("d") == D(0.0)), (Strings{"false", "false", "true", "null"}));
  EXPECT_EQ(Rows(Col("d") >= D(std::numeric_limits<double>::infinity())),
            (Strings{"false", "true", "false", "null"}));
  EXPECT_EQ(Rows(Col("b") == B(true)), (Strings{"true", "false", "null", "true"}));
  EXPECT_EQ(Rows(Col("b") > B(false)), (Strings{"true", "false", "null", "true"}));
  EXPECT_EQ(Rows(Col("i") == Null()), (Strings{"null", "null", "null", "null"}));
  EXPECT_EQ(Eval(Null() == Null()), "null");
}

TEST(ExprTest, TextAndTypedComparisons) {
  EXPECT_EQ(Rows(Col("s") == S("abc")), (Strings{"true", "false", "null", "false"}));
  // Bytewise: 'H' < 'a', and multi-byte UTF-8 sorts above ASCII.
  EXPECT_EQ(Rows(Col("s") < S("a")), (Strings{"false", "true", "null", "true"}));
  EXPECT_EQ(Eval(S("é") > S("z")), "true");
  // A string literal converts to the other side's type.
  EXPECT_EQ(Rows(Col("ts") >= S("2020-01-02 03:04:05")),
            (Strings{"true", "false", "null", "false"}));
  EXPECT_EQ(Rows(Col("ts") == S("2020-01-02T03:04:05.123Z")),
            (Strings{"true", "false", "null", "false"}));
  EXPECT_EQ(Rows(Col("dt") == S("2020-01-02")), (Strings{"true", "false", "null", "false"}));
  EXPECT_EQ(Rows(Col("dt") < S("1970-01-01")), (Strings{"false", "true", "null", "false"}));
  EXPECT_EQ(Rows(Col("i") == S("7")), (Strings{"false", "false", "null", "true"}));
  EXPECT_EQ(Rows(S("1.5") < Col("d")), (Strings{"false", "true", "false", "null"}));
  // date vs timestamp compares as timestamps.
  EXPECT_EQ(Rows(Col("dt") <= Col("ts")), (Strings{"true", "true", "null", "true"}));
  E u = Expr::Literal(T(TypeKind::kUuid), cql::ParseUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_EQ(Eval(u == S("123e4567-e89b-12d3-a456-426614174000")), "true");
  EXPECT_EQ(Eval(u < S("223e4567-e89b-12d3-a456-426614174000")), "true");
  E dec = Expr::Literal(T(TypeKind::kDecimal), cql::ParseDecimal("1.50"));
  E dec2 = Expr::Literal(T(TypeKind::kDecimal), cql::ParseDecimal("1.5"));
  EXPECT_EQ(Eval(dec == dec2), "true");
  EXPECT_EQ(Eval(dec < I(2)), "true");
}

// ---- Logic ---------------------------------------------------------------------

TEST(ExprTest, ThreeValuedLogic) {
  E t = B(true), f = B(false), n = Null();
  EXPECT_EQ(Eval(And(t, n)), "null");
  EXPECT_EQ(Eval(And(f, n)), "false");
  EXPECT_EQ(Eval(And(n, f)), "false");
  EXPECT_EQ(Eval(Or(t, n)), "true");
  EXPECT_EQ(Eval(Or(n, t)), "true");
  EXPECT_EQ(Eval(Or(f, n)), "null");
  EXPECT_EQ(Eval(Not(n)), "null");
  EXPECT_EQ(Eval(Not(f)), "true");
  // b = {true, false, null, true}; i > 0 = {true, false, null, true}.
  EXPECT_EQ(Rows(And(Col("b"), Col("i") > I(0))), (Strings{"true", "false", "null", "true"}));
  EXPECT_EQ(Rows(Or(Col("b"), Col("i") < I(0))), (Strings{"true", "true", "null", "true"}));
  EXPECT_EQ(Rows(And(Col("b"), B(false))), (Strings{"false", "false", "false", "false"}));
  EXPECT_EQ(Rows(Or(Col("b"), B(true))), (Strings{"true", "true", "true", "true"}));
  EXPECT_EQ(Rows(Not(Col("b"))), (Strings{"false", "true", "null", "false"}));
  EXPECT_EQ(Rows(F("is_null", {Col("i")})), (Strings{"false", "false", "true", "false"}));
  EXPECT_EQ(Rows(F("is_not_null", {Col("s")})), (Strings{"true", "true", "false", "true"}));
  EXPECT_EQ(Eval(F("is_null", {Null()})), "true");
  EXPECT_EQ(Rows(F("is_not_null", {Col("n")})), (Strings{"false", "false", "false", "false"}));
}

TEST(ExprTest, InLists) {
  EXPECT_EQ(Rows(F("in", {Col("i"), I(1), I(7)})), (Strings{"true", "false", "null", "true"}));
  EXPECT_EQ(Rows(F("not_in", {Col("i"), I(1), I(7)})), (Strings{"false", "true", "null", "false"}));
  // A NULL item turns "no match" into NULL.
  EXPECT_EQ(Rows(F("in", {Col("i"), I(1), Null()})), (Strings{"true", "null", "null", "null"}));
  EXPECT_EQ(Rows(F("not_in", {Col("i"), I(1), Null()})),
            (Strings{"false", "null", "null", "null"}));
  EXPECT_EQ(Rows(F("in", {Col("i"), D(1.0), D(-2.5)})),
            (Strings{"true", "false", "null", "false"}));
  EXPECT_EQ(Rows(F("in", {Col("d"), D(std::nan("")), D(0.0)})),
            (Strings{"false", "true", "true", "null"}));
  EXPECT_EQ(Rows(F("in", {Col("s"), S("abc"), S("")})), (Strings{"true", "false", "null", "true"}));
  EXPECT_EQ(Rows(F("in", {Col("dt"), S("2020-01-02"), S("1969-12-31")})),
            (Strings{"true", "true", "null", "false"}));
  // Items that are not constants are compared row by row.
  EXPECT_EQ(Rows(F("in", {Col("i"), Col("big"), I(-2)})),
            (Strings{"false", "true", "null", "false"}));
  EXPECT_EQ(Rows(F("in", {I(4), Col("big"), Col("n")})), (Strings{"null", "null", "true", "null"}));
}

TEST(ExprTest, Between) {
  EXPECT_EQ(Rows(F("between", {Col("i"), I(-2), I(1)})),
            (Strings{"true", "true", "null", "false"}));
  EXPECT_EQ(Rows(F("not_between", {Col("i"), I(-2), I(1)})),
            (Strings{"false", "false", "null", "true"}));
  EXPECT_EQ(Rows(F("between", {Col("ts"), S("2020-01-01"), S("2020-01-03")})),
            (Strings{"true", "false", "null", "false"}));
  // 7 >= 10 is false, so the NULL bound does not matter.
  EXPECT_EQ(Eval(F("between", {I(7), I(10), Null()})), "false");
  EXPECT_EQ(Eval(F("between", {I(7), I(1), Null()})), "null");
}

TEST(ExprTest, Like) {
  auto like = [](std::string_view s, std::string_view p) { return Eval(F("like", {S(s), S(p)})); };
  EXPECT_EQ(like("hello", "hello"), "true");
  EXPECT_EQ(like("hello", "Hello"), "false");
  EXPECT_EQ(like("hello", "he%"), "true");
  EXPECT_EQ(like("hello", "%llo"), "true");
  EXPECT_EQ(like("hello", "%ell%"), "true");
  EXPECT_EQ(like("hello", "%"), "true");
  EXPECT_EQ(like("", "%"), "true");
  EXPECT_EQ(like("", "_"), "false");
  EXPECT_EQ(like("hello", "h_llo"), "true");
  EXPECT_EQ(like("hello", "h_lo"), "false");
  EXPECT_EQ(like("héllo", "h_llo"), "true");
  EXPECT_EQ(like("abcbcd", "a%bcd"), "true");
  EXPECT_EQ(like("abcbce", "a%bcd"), "false");
  EXPECT_EQ(like("a%c", "a\\%c"), "true");
  EXPECT_EQ(like("abc", "a\\%c"), "false");
  EXPECT_EQ(like("a_c", "a\\_c"), "true");
  EXPECT_EQ(like("mississippi", "m%iss%ppi"), "true");
  EXPECT_EQ(like("mississippi", "%s_s%"), "true");
  EXPECT_EQ(like("ab", "a%%%b"), "true");
  EXPECT_EQ(Rows(F("like", {Col("s"), S("%l%")})), (Strings{"false", "true", "null", "false"}));
  EXPECT_EQ(Rows(F("not_like", {Col("s"), S("a%")})), (Strings{"false", "true", "null", "true"}));
  EXPECT_EQ(Eval(F("ilike", {S("HÉllo"), S("hé%")})), "true");
  EXPECT_EQ(Eval(F("like", {S("x"), Null()})), "null");
  // A column of patterns.
  EXPECT_EQ(Rows(F("like", {S("abc"), Col("s")})), (Strings{"true", "false", "null", "false"}));
}

// ---- Conditionals --------------------------------------------------------------

TEST(ExprTest, CaseWhen) {
  E c = Expr::Case({{Col("i") > I(5), S("big")}, {Col("i") > I(0), S("small")}}, S("other"));
  EXPECT_EQ(Rows(c), (Strings{"small", "other", "other", "big"}));
  E no_else = Expr::Case({{Col("i") > I(0), Col("i")}}, nullptr);
  EXPECT_EQ(Rows(no_else), (Strings{"1", "null", "null", "7"}));
  // Branch types merge: int and double give double; a bare NULL takes it.
  E mixed = Expr::Case({{Col("b"), Col("i")}, {B(false), Null()}}, D(0.5));
  EXPECT_EQ(TypeOfExpr(mixed).kind, TypeKind::kDouble);
  EXPECT_EQ(Rows(mixed), (Strings{"1", "0.5", "0.5", "7"}));
  E null_branch = Expr::Case({{Col("b"), Null()}}, S("x"));
  EXPECT_EQ(TypeOfExpr(null_branch).kind, TypeKind::kText);
  EXPECT_EQ(Rows(null_branch), (Strings{"null", "x", "x", "null"}));
  EXPECT_EQ(Rows(F("if", {Col("i") > I(0), S("pos"), S("neg")})),
            (Strings{"pos", "neg", "neg", "pos"}));
  // A NULL condition is not true.
  EXPECT_EQ(Eval(Expr::Case({{Null(), I(1)}}, I(2))), "2");
}

TEST(ExprTest, CoalesceNullIfGreatestLeast) {
  EXPECT_EQ(Rows(F("coalesce", {Col("n"), Col("i"), I(0)})), (Strings{"1", "-2", "0", "7"}));
  EXPECT_EQ(Rows(F("coalesce", {Col("s"), S("none")})), (Strings{"abc", "Héllo", "none", ""}));
  EXPECT_EQ(TypeOfExpr(F("coalesce", {Null(), S("a")})).kind, TypeKind::kText);
  EXPECT_EQ(Eval(F("coalesce", {Null(), Null()})), "null");
  EXPECT_EQ(Rows(F("nvl", {Col("i"), I(9)})), (Strings{"1", "-2", "9", "7"}));
  EXPECT_EQ(Rows(F("nullif", {Col("i"), I(7)})), (Strings{"1", "-2", "null", "null"}));
  EXPECT_EQ(Rows(F("greatest", {Col("i"), I(0), Col("n")})), (Strings{"1", "0", "0", "7"}));
  EXPECT_EQ(Rows(F("least", {Col("i"), D(0.5)})), (Strings{"0.5", "-2", "0.5", "0.5"}));
  EXPECT_EQ(Eval(F("greatest", {Null(), Null()})), "null");
  EXPECT_EQ(Eval(F("greatest", {D(1), D(std::nan(""))})), "NaN");
  EXPECT_EQ(Eval(F("least", {S("b"), S("a"), S("c")})), "a");
}

// ---- Casts ---------------------------------------------------------------------

TEST(ExprTest, CastTextToNumbers) {
  EXPECT_EQ(Eval(Cast(S("12"), TypeKind::kInt)), "12");
  EXPECT_EQ(Eval(Cast(S("  -7 "), TypeKind::kBigint)), "-7");
  EXPECT_EQ(Eval(Cast(S("1.9"), TypeKind::kInt)), "1");
  EXPECT_EQ(Eval(Cast(S("abc"), TypeKind::kInt)), "null");
  EXPECT_EQ(Eval(Cast(S(""), TypeKind::kInt)), "null");
  EXPECT_EQ(Eval(Cast(S("3000000000"), TypeKind::kInt)), "null");
  EXPECT_EQ(Eval(Cast(S("3000000000"), TypeKind::kBigint)), "3000000000");
  EXPECT_EQ(Eval(Cast(S("99999999999999999999"), TypeKind::kBigint)), "null");
  EXPECT_EQ(Eval(Cast(S("1.5e3"), TypeKind::kDouble)), "1500");
  EXPECT_EQ(Eval(Cast(S("NaN"), TypeKind::kDouble)), "NaN");
  EXPECT_EQ(Eval(Cast(S("1.5x"), TypeKind::kDouble)), "null");
  EXPECT_EQ(Eval(Cast(S("0.1"), TypeKind::kFloat)), "0.1");
  EXPECT_EQ(Eval(Cast(S("yes"), TypeKind::kBoolean)), "true");
  EXPECT_EQ(Eval(Cast(S("F"), TypeKind::kBoolean)), "false");
  EXPECT_EQ(Eval(Cast(S("maybe"), TypeKind::kBoolean)), "null");
  EXPECT_EQ(Eval(Cast(S("12.50"), TypeKind::kDecimal)), "12.50");
  EXPECT_EQ(Eval(Cast(S("x"), TypeKind::kDecimal)), "null");
  EXPECT_EQ(Eval(Cast(S("123456789012345678901234567890"), TypeKind::kVarint)),
            "123456789012345678901234567890");
}

TEST(ExprTest, CastNumbers) {
  EXPECT_EQ(Eval(Cast(D(3.99), TypeKind::kInt)), "3");
  EXPECT_EQ(Eval(Cast(D(-3.99), TypeKind::kBigint)), "-3");
  EXPECT_EQ(Eval(Cast(D(std::nan("")), TypeKind::kInt)), "0");
  EXPECT_EQ(Eval(Cast(D(1e20), TypeKind::kBigint)),
            std::to_string(std::numeric_limits<int64_t>::max()));
  EXPECT_EQ(Eval(Cast(D(1e20), TypeKind::kInt)), "2147483647");
  EXPECT_EQ(Eval(Cast(I(300), TypeKind::kTinyint)), "44");
  EXPECT_EQ(Eval(Cast(I(70000), TypeKind::kSmallint)), "4464");
  EXPECT_EQ(Eval(Cast(I(3), TypeKind::kDouble)), "3");
  EXPECT_EQ(Eval(Cast(B(true), TypeKind::kInt)), "1");
  EXPECT_EQ(Eval(Cast(I(0), TypeKind::kBoolean)), "false");
  EXPECT_EQ(Eval(Cast(D(0.5), TypeKind::kBoolean)), "true");
  EXPECT_EQ(Rows(Cast(Col("d"), TypeKind::kInt)), (Strings{"1", "0", "0", "null"}));
  EXPECT_EQ(Rows(Cast(Col("i"), TypeKind::kDouble)), (Strings{"1", "-2", "null", "7"}));
  E dec = Expr::Literal(T(TypeKind::kDecimal), cql::ParseDecimal("-12.75"));
  EXPECT_EQ(Eval(Cast(dec, TypeKind::kDouble)), "-12.75");
  EXPECT_EQ(Eval(Cast(dec, TypeKind::kBigint)), "-12");
  EXPECT_EQ(Eval(Cast(dec, TypeKind::kText)), "-12.75");
  EXPECT_EQ(Eval(Cast(dec, TypeKind::kVarint)), "-12");
  EXPECT_EQ(Eval(Cast(D(2.5), TypeKind::kDecimal)), "2.5");
  EXPECT_EQ(Eval(Cast(I(42), TypeKind::kDecimal)), "42");
  EXPECT_EQ(Eval(Cast(D(-1e20), TypeKind::kVarint)), "-100000000000000000000");
  E var = Expr::Literal(T(TypeKind::kVarint), cql::ParseVarint("99999999999999999999"));
  EXPECT_EQ(Eval(Cast(var, TypeKind::kBigint)), "null");
  EXPECT_EQ(Eval(Cast(var, TypeKind::kDouble)), "1e+20");
  EXPECT_EQ(Eval(Cast(var, TypeKind::kDecimal)), "99999999999999999999");
}

TEST(ExprTest, CastToText) {
  EXPECT_EQ(Eval(Cast(I(-5), TypeKind::kText)), "-5");
  EXPECT_EQ(Eval(Cast(D(1.0), TypeKind::kText)), "1.0");
  EXPECT_EQ(Eval(Cast(D(0.1), TypeKind::kText)), "0.1");
  EXPECT_EQ(Eval(Cast(D(1e7), TypeKind::kText)), "1.0E7");
  EXPECT_EQ(Eval(Cast(D(1234567.5), TypeKind::kText)), "1234567.5");
  EXPECT_EQ(Eval(Cast(D(0.001), TypeKind::kText)), "0.001");
  EXPECT_EQ(Eval(Cast(D(0.0001), TypeKind::kText)), "1.0E-4");
  EXPECT_EQ(Eval(Cast(D(-1.25e-10), TypeKind::kText)), "-1.25E-10");
  EXPECT_EQ(Eval(Cast(D(-0.0), TypeKind::kText)), "-0.0");
  EXPECT_EQ(Eval(Cast(D(std::numeric_limits<double>::infinity()), TypeKind::kText)), "Infinity");
  EXPECT_EQ(Eval(Cast(Cast(D(0.1), TypeKind::kFloat), TypeKind::kText)), "0.1");
  EXPECT_EQ(Eval(Cast(B(false), TypeKind::kText)), "false");
  EXPECT_EQ(Rows(Cast(Col("ts"), TypeKind::kText)),
            (Strings{"2020-01-02 03:04:05.123", "1969-12-31 23:59:59.999", "null",
                     "1970-01-01 00:00:00"}));
  EXPECT_EQ(Rows(Cast(Col("dt"), TypeKind::kText)),
            (Strings{"2020-01-02", "1969-12-31", "null", "1970-01-01"}));
  E u = Expr::Literal(T(TypeKind::kUuid), cql::ParseUuid("123e4567-e89b-12d3-a456-426614174000"));
  EXPECT_EQ(Eval(Cast(u, TypeKind::kText)), "123e4567-e89b-12d3-a456-426614174000");
  E list = Expr::Literal(DataType::List(T(TypeKind::kInt)),
                         cql::EncodeCollection({cql::EncodeInt(1), cql::EncodeInt(2)}));
  EXPECT_EQ(Eval(Cast(list, TypeKind::kText)), "[1, 2]");
}

TEST(ExprTest, CastTemporal) {
  EXPECT_EQ(Rows(Cast(Col("ts"), TypeKind::kBigint)),
            (Strings{"1577934245123", "-1", "null", "0"}));
  EXPECT_EQ(Eval(Cast(I(86400000), TypeKind::kTimestamp)), "1970-01-02T00:00:00.000Z");
  EXPECT_EQ(Rows(Cast(Col("ts"), TypeKind::kDate)),
            (Strings{"2020-01-02", "1969-12-31", "null", "1970-01-01"}));
  EXPECT_EQ(Rows(Cast(Col("dt"), TypeKind::kTimestamp))[0], "2020-01-02T00:00:00.000Z");
  EXPECT_EQ(Eval(Cast(S("2020-01-02 03:04:05"), TypeKind::kTimestamp)), "2020-01-02T03:04:05.000Z");
  EXPECT_EQ(Eval(Cast(S("2020-13-45"), TypeKind::kTimestamp)), "null");
  EXPECT_EQ(Eval(Cast(S("2020-02-29"), TypeKind::kDate)), "2020-02-29");
  EXPECT_EQ(Eval(Cast(S("2020-02-29 23:00:00"), TypeKind::kDate)), "2020-02-29");
  EXPECT_EQ(Eval(Cast(S("garbage"), TypeKind::kDate)), "null");
  EXPECT_EQ(Eval(Cast(S("10:11:12.5"), TypeKind::kTime)), "10:11:12.500000000");
  EXPECT_EQ(Eval(Cast(I(5), TypeKind::kDate)), "1970-01-06");
}

TEST(ExprTest, CastBytesTypes) {
  std::string uuid = "123e4567-e89b-12d3-a456-426614174000";
  EXPECT_EQ(Eval(Cast(S(uuid), TypeKind::kUuid)), uuid);
  EXPECT_EQ(Eval(Cast(S("not-a-uuid"), TypeKind::kUuid)), "null");
  EXPECT_EQ(Eval(Cast(S("127.0.0.1"), TypeKind::kInet)), "127.0.0.1");
  EXPECT_EQ(Eval(Cast(S("1h30m"), TypeKind::kDuration)), "1h30m");
  // blob round trips keep the CQL-serialized value.
  EXPECT_EQ(Eval(Cast(Cast(I(258), TypeKind::kBlob), TypeKind::kInt)), "258");
  EXPECT_EQ(Eval(Cast(I(258), TypeKind::kBlob)), "0x00000102");
  EXPECT_EQ(Eval(Cast(Cast(S("hi"), TypeKind::kBlob), TypeKind::kText)), "hi");
  EXPECT_EQ(Eval(Cast(Cast(S("hi"), TypeKind::kBlob), TypeKind::kBigint)), "null");
  EXPECT_EQ(Eval(Cast(Null(), TypeKind::kUuid)), "null");
  EXPECT_EQ(TypeOfExpr(Cast(Null(), TypeKind::kUuid)).kind, TypeKind::kUuid);
  EXPECT_EQ(Eval(F("int", {S("42")})), "42");
  EXPECT_EQ(Eval(F("string", {I(42)})), "42");
}

// ---- Math ----------------------------------------------------------------------

TEST(ExprTest, Math) {
  EXPECT_EQ(EvalDouble(F("sqrt", {I(16)})), 4.0);
  EXPECT_TRUE(std::isnan(EvalDouble(F("sqrt", {I(-1)}))));
  EXPECT_EQ(Eval(F("ln", {I(0)})), "null");
  EXPECT_EQ(Eval(F("log", {I(-1)})), "null");
  EXPECT_DOUBLE_EQ(EvalDouble(F("log", {I(2), I(8)})), 3.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("log10", {I(1000)})), 3.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("log2", {I(8)})), 3.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("exp", {I(0)})), 1.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("cbrt", {I(27)})), 3.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("pow", {I(2), I(10)})), 1024.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("power", {D(9), D(0.5)})), 3.0);
  EXPECT_DOUBLE_EQ(EvalDouble(F("pi", {})), M_PI);
  EXPECT_EQ(Rows(F("abs", {Col("i")})), (Strings{"1", "2", "null", "7"}));
  EXPECT_EQ(Rows(F("abs", {Col("d")}))[0], "1.5");
  EXPECT_EQ(Eval(F("sign", {D(-3)})), "-1");
  EXPECT_EQ(Eval(F("signum", {I(0)})), "0");
  EXPECT_EQ(Eval(F("floor", {D(-1.5)})), "-2");
  EXPECT_EQ(TypeOfExpr(F("floor", {D(-1.5)})).kind, TypeKind::kBigint);
  EXPECT_EQ(Eval(F("ceil", {D(1.2)})), "2");
  EXPECT_EQ(Eval(F("ceiling", {S("1.2")})), "2");
  EXPECT_EQ(Eval(F("floor", {I(5)})), "5");
  EXPECT_EQ(Eval(F("sqrt", {Null()})), "null");
  EXPECT_EQ(Rows(F("sqrt", {Col("n")})), (Strings{"null", "null", "null", "null"}));
}

TEST(ExprTest, RoundHalfUp) {
  EXPECT_EQ(Eval(F("round", {D(2.5)})), "3");
  EXPECT_EQ(Eval(F("round", {D(-2.5)})), "-3");
  EXPECT_EQ(Eval(F("round", {D(2.4)})), "2");
  EXPECT_EQ(Eval(F("round", {D(1.005), I(2)})), "1.01");
  EXPECT_EQ(Eval(F("round", {D(3.14159), I(3)})), "3.142");
  EXPECT_EQ(Eval(F("round", {D(-0.125), I(2)})), "-0.13");
  EXPECT_EQ(Eval(F("round", {D(9.995), I(2)})), "10");
  EXPECT_EQ(Eval(F("round", {D(1234.5), I(-2)})), "1200");
  EXPECT_EQ(Eval(F("round", {D(0.004), I(2)})), "0");
  EXPECT_EQ(Eval(F("round", {D(1.5), I(5)})), "1.5");
  EXPECT_EQ(Eval(F("round", {I(125), I(-1)})), "130");
  EXPECT_EQ(Eval(F("round", {I(-125), I(-1)})), "-130");
  EXPECT_EQ(Eval(F("round", {I(124), I(-1)})), "120");
  EXPECT_EQ(Eval(F("round", {I(7), I(2)})), "7");
  EXPECT_EQ(TypeOfExpr(F("round", {Col("i")})).kind, TypeKind::kInt);
}

// ---- Strings -------------------------------------------------------------------

TEST(ExprTest, StringFunctions) {
  EXPECT_EQ(Rows(F("upper", {Col("s")})), (Strings{"ABC", "HÉLLO", "null", ""}));
  EXPECT_EQ(Rows(F("lower", {Col("s")})), (Strings{"abc", "héllo", "null", ""}));
  EXPECT_EQ(Eval(F("upper", {S("straße ωμέγα жук")})), "STRAßE ΩΜέΓΑ ЖУК");
  EXPECT_EQ(Rows(F("length", {Col("s")})), (Strings{"3", "5", "null", "0"}));
  EXPECT_EQ(TypeOfExpr(F("length", {Col("s")})).kind, TypeKind::kInt);
  EXPECT_EQ(Eval(F("char_length", {I(12345)})), "5");
  EXPECT_EQ(Eval(F("trim", {S("  a b  ")})), "a b");
  EXPECT_EQ(Eval(F("ltrim", {S("  a b  ")})), "a b  ");
  EXPECT_EQ(Eval(F("rtrim", {S("  a b  ")})), "  a b");
  EXPECT_EQ(Eval(F("trim", {S("   ")})), "");
  EXPECT_EQ(Eval(F("reverse", {S("héllo")})), "olléh");
  EXPECT_EQ(Eval(F("replace", {S("a-b-c"), S("-"), S("+")})), "a+b+c");
  EXPECT_EQ(Eval(F("replace", {S("a-b-c"), S("-")})), "abc");
  EXPECT_EQ(Eval(F("replace", {S("abc"), S("")})), "abc");
  EXPECT_EQ(Eval(F("instr", {S("héllo"), S("l")})), "3");
  EXPECT_EQ(Eval(F("instr", {S("hello"), S("z")})), "0");
  EXPECT_EQ(Eval(F("starts_with", {S("hello"), S("he")})), "true");
  EXPECT_EQ(Eval(F("ends_with", {S("hello"), S("he")})), "false");
  EXPECT_EQ(Eval(F("contains", {S("hello"), S("ell")})), "true");
  EXPECT_EQ(Eval(F("repeat", {S("ab"), I(3)})), "ababab");
  EXPECT_EQ(Eval(F("left", {S("héllo"), I(2)})), "hé");
  EXPECT_EQ(Eval(F("right", {S("héllo"), I(3)})), "llo");
}

TEST(ExprTest, Substring) {
  auto sub = [](std::string_view s, int64_t pos, std::optional<int64_t> len = std::nullopt) {
    std::vector<E> args = {S(s), I(pos)};
    if (len) args.push_back(I(*len));
    return Eval(F("substr", std::move(args)));
  };
  EXPECT_EQ(sub("Spark SQL", 5), "k SQL");
  EXPECT_EQ(sub("Spark SQL", -3), "SQL");
  EXPECT_EQ(sub("Spark SQL", 5, 1), "k");
  EXPECT_EQ(sub("Spark SQL", 0, 2), "Sp");
  EXPECT_EQ(sub("Spark SQL", 1, 0), "");
  EXPECT_EQ(sub("Spark SQL", 1, -1), "");
  EXPECT_EQ(sub("Spark SQL", 20), "");
  EXPECT_EQ(sub("Spark SQL", -20, 3), "");
  EXPECT_EQ(sub("Spark SQL", -10, 3), "Sp");
  EXPECT_EQ(sub("héllo", 2, 3), "éll");
  EXPECT_EQ(Eval(F("substring", {S("abc"), Null()})), "null");
}

TEST(ExprTest, ConcatAndPadding) {
  EXPECT_EQ(Rows(F("concat", {Col("s"), S("!"), Col("i")})),
            (Strings{"abc!1", "Héllo!-2", "null", "!7"}));
  EXPECT_EQ(Rows(F("||", {Col("s"), S("?")})), (Strings{"abc?", "Héllo?", "null", "?"}));
  EXPECT_EQ(Rows(F("concat_ws", {S("-"), Col("s"), Col("i")})),
            (Strings{"abc-1", "Héllo--2", "", "-7"}));
  EXPECT_EQ(Eval(F("concat_ws", {Null(), S("a")})), "null");
  EXPECT_EQ(Eval(F("concat", {})), "");
  EXPECT_EQ(Eval(F("lpad", {S("hi"), I(5), S("ab")})), "abahi");
  EXPECT_EQ(Eval(F("rpad", {S("hi"), I(5), S("ab")})), "hiaba");
  EXPECT_EQ(Eval(F("lpad", {S("hello"), I(3)})), "hel");
  EXPECT_EQ(Eval(F("rpad", {S("é"), I(3)})), "é  ");
  EXPECT_EQ(Eval(F("lpad", {S("hi"), I(5), S("")})), "hi");
  EXPECT_EQ(Eval(F("lpad", {S("hi"), I(-1)})), "");
}

// ---- Dates ---------------------------------------------------------------------

TEST(ExprTest, DateParts) {
  // ts = {2020-01-02T03:04:05.123Z, 1969-12-31T23:59:59.999Z, null, epoch}
  EXPECT_EQ(Rows(F("year", {Col("ts")})), (Strings{"2020", "1969", "null", "1970"}));
  EXPECT_EQ(Rows(F("month", {Col("ts")})), (Strings{"1", "12", "null", "1"}));
  EXPECT_EQ(Rows(F("day", {Col("ts")})), (Strings{"2", "31", "null", "1"}));
  EXPECT_EQ(Rows(F("dayofmonth", {Col("dt")})), (Strings{"2", "31", "null", "1"}));
  EXPECT_EQ(Rows(F("hour", {Col("ts")})), (Strings{"3", "23", "null", "0"}));
  EXPECT_EQ(Rows(F("minute", {Col("ts")})), (Strings{"4", "59", "null", "0"}));
  EXPECT_EQ(Rows(F("second", {Col("ts")})), (Strings{"5", "59", "null", "0"}));
  EXPECT_EQ(Rows(F("hour", {Col("dt")})), (Strings{"0", "0", "null", "0"}));
  // 2020-01-02 was a Thursday, 1969-12-31 a Wednesday, 1970-01-01 a Thursday.
  EXPECT_EQ(Rows(F("dayofweek", {Col("dt")})), (Strings{"5", "4", "null", "5"}));
  EXPECT_EQ(Rows(F("dayofyear", {Col("ts")})), (Strings{"2", "365", "null", "1"}));
  EXPECT_EQ(Rows(F("quarter", {Col("dt")})), (Strings{"1", "4", "null", "1"}));
  EXPECT_EQ(Eval(F("year", {S("2021-06-30")})), "2021");
  EXPECT_EQ(Eval(F("dayofyear", {S("2020-12-31")})), "366");
  EXPECT_EQ(TypeOfExpr(F("year", {Col("ts")})).kind, TypeKind::kInt);
}

TEST(ExprTest, DateFunctions) {
  auto ts = [](std::string_view s) { return Cast(S(s), TypeKind::kTimestamp); };
  E t = ts("2020-05-17 13:14:15.678");
  EXPECT_EQ(Eval(F("date_trunc", {S("year"), t})), "2020-01-01T00:00:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("QUARTER"), t})), "2020-04-01T00:00:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("month"), t})), "2020-05-01T00:00:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("week"), t})), "2020-05-11T00:00:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("day"), t})), "2020-05-17T00:00:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("hour"), t})), "2020-05-17T13:00:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("minute"), t})), "2020-05-17T13:14:00.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("second"), t})), "2020-05-17T13:14:15.000Z");
  EXPECT_EQ(Eval(F("date_trunc", {S("fortnight"), t})), "null");
  EXPECT_EQ(Eval(F("date_trunc", {S("hour"), ts("1969-12-31 23:30:00")})),
            "1969-12-31T23:00:00.000Z");
  EXPECT_EQ(Eval(F("trunc", {S("2020-05-17"), S("month")})), "2020-05-01");
  EXPECT_EQ(Eval(F("to_date", {t})), "2020-05-17");
  EXPECT_EQ(Eval(F("to_date", {S("2020-05-17 10:00:00")})), "2020-05-17");
  EXPECT_EQ(Eval(F("to_date", {S("nope")})), "null");
  EXPECT_EQ(Eval(F("datediff", {S("2020-03-01"), S("2020-02-01")})), "29");
  EXPECT_EQ(Eval(F("datediff", {t, S("2020-05-18")})), "-1");
  EXPECT_EQ(Eval(F("date_add", {S("2020-02-28"), I(2)})), "2020-03-01");
  EXPECT_EQ(Eval(F("date_sub", {S("2020-03-01"), I(1)})), "2020-02-29");
  EXPECT_EQ(Eval(F("unix_timestamp", {t})), "1589721255");
  EXPECT_EQ(Eval(F("unix_timestamp", {ts("1969-12-31 23:59:59.5")})), "-1");
  EXPECT_EQ(Eval(F("from_unixtime", {I(0)})), "1970-01-01 00:00:00");
  EXPECT_EQ(Eval(F("last_day", {S("2020-02-10")})), "2020-02-29");
  EXPECT_EQ(TypeOfExpr(F("current_date", {})).kind, TypeKind::kDate);
  EXPECT_EQ(TypeOfExpr(F("now", {})).kind, TypeKind::kTimestamp);
  EXPECT_EQ(Eval(F("current_timestamp", {}) > ts("2020-01-01")), "true");
  EXPECT_EQ(Eval(F("current_date", {}) >= F("to_date", {F("current_timestamp", {})})), "true");
}

TEST(ExprTest, QualifiedAndAmbiguousColumns) {
  Schema schema;
  schema.fields = {{"id", T(TypeKind::kInt), "a"}, {"id", T(TypeKind::kInt), "b"}};
  Batch batch;
  batch.columns = {IntColumn(TypeKind::kInt, {1}), IntColumn(TypeKind::kInt, {2})};
  batch.num_rows = 1;
  EXPECT_EQ(Bind(*Col("b.id"), schema)->ColumnIndex(), 1);
  EXPECT_EQ(Render(Bind(*(Col("a.id") - Col("b.id")), schema)->Evaluate(batch), 0), "-1");
  EXPECT_THROW(Bind(*Col("id"), schema), CqlError);
}

TEST(ExprTest, UntypedNullTakesContext) {
  EXPECT_EQ(TypeOfExpr(F("coalesce", {Null(), Col("ts")})).kind, TypeKind::kTimestamp);
  EXPECT_EQ(TypeOfExpr(F("greatest", {Col("s"), Null()})).kind, TypeKind::kText);
  EXPECT_EQ(Rows(F("in", {Null(), I(1)})), (Strings{"null", "null", "null", "null"}));
  EXPECT_EQ(Eval(F("upper", {Null()})), "null");
  EXPECT_EQ(Eval(F("like", {Null(), S("%")})), "null");
  EXPECT_EQ(Eval(F("year", {Null()})), "null");
  EXPECT_EQ(Eval(Not(Null())), "null");
  EXPECT_EQ(Eval(Null() < S("a")), "null");
  EXPECT_EQ(TypeOfExpr(Cast(Null(), TypeKind::kDate)).kind, TypeKind::kDate);
}

TEST(ExprTest, DateComparedWithTimestampText) {
  // A timestamp literal against a date compares its day.
  EXPECT_EQ(Rows(Col("dt") == S("2020-01-02 10:00:00")),
            (Strings{"true", "false", "null", "false"}));
  ExpectInvalid(Col("dt") == S("yesterday"), "Unable to coerce 'yesterday'");
}

TEST(ExprTest, ColumnsOfOtherTypes) {
  Schema schema;
  schema.fields = {{"u", T(TypeKind::kTimeuuid), ""},
                   {"v", T(TypeKind::kVarint), ""},
                   {"a", T(TypeKind::kAscii), ""}};
  Batch batch;
  Bytes early = cql::BoundTimeUuid(1000, false);
  Bytes late = cql::BoundTimeUuid(2000, false);
  batch.columns = {StringColumn(TypeKind::kTimeuuid, {early, late}),
                   StringColumn(TypeKind::kVarint, {cql::ParseVarint("-5"), std::nullopt}),
                   StringColumn(TypeKind::kAscii, {"x", "y"})};
  batch.num_rows = 2;
  auto rows = [&](const E& e) {
    Column c = Bind(*e, schema)->Evaluate(batch);
    return Strings{Render(c, 0), Render(c, 1)};
  };
  EXPECT_EQ(rows(Col("u") < Expr::Literal(T(TypeKind::kTimeuuid), late)),
            (Strings{"true", "false"}));
  EXPECT_EQ(rows(Cast(Col("u"), TypeKind::kTimestamp)),
            (Strings{"1970-01-01T00:00:01.000Z", "1970-01-01T00:00:02.000Z"}));
  EXPECT_EQ(rows(Col("v") + I(1)), (Strings{"-4", "null"}));
  EXPECT_EQ(rows(Col("v") < I(0)), (Strings{"true", "null"}));
  EXPECT_EQ(rows(F("abs", {Col("v")})), (Strings{"5", "null"}));
  EXPECT_EQ(rows(Col("a") == S("y")), (Strings{"false", "true"}));
  EXPECT_EQ(rows(F("upper", {Col("a")})), (Strings{"X", "Y"}));
  EXPECT_EQ(rows(F("concat", {Col("a"), Col("v")})), (Strings{"x-5", "null"}));
}

}  // namespace
}  // namespace helenus::exec
