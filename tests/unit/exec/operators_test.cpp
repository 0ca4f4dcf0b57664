#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"
#include "helenus/exec/operators.h"
#include "helenus/exec/pool.h"

namespace helenus::exec {
namespace {

DataType Big() {
  return DataType::Of(TypeKind::kBigint);
}
DataType Int() {
  return DataType::Of(TypeKind::kInt);
}
DataType Dbl() {
  return DataType::Of(TypeKind::kDouble);
}
DataType Txt() {
  return DataType::Of(TypeKind::kText);
}
DataType Bool() {
  return DataType::Of(TypeKind::kBoolean);
}

// Test-only expressions, so these tests do not depend on the binder.
class ColRef : public BoundExpr {
 public:
  ColRef(size_t index, DataType type) : BoundExpr(std::move(type)), index_(index) {}
  Column Evaluate(const Batch& input) const override { return input.columns[index_]; }
  int ColumnIndex() const override { return static_cast<int>(index_); }

 private:
  size_t index_;
};

// a < b over numeric columns (NULL when either side is NULL).
class Less : public BoundExpr {
 public:
  Less(BoundExprPtr a, BoundExprPtr b) : BoundExpr(Bool()), a_(std::move(a)), b_(std::move(b)) {}
  Column Evaluate(const Batch& input) const override {
    Column x = a_->Evaluate(input);
    Column y = b_->Evaluate(input);
    Column out = Column::Make(Bool(), input.num_rows);
    for (size_t i = 0; i < input.num_rows; ++i) {
      if (x.IsNull(i) || y.IsNull(i)) {
        out.AppendNull();
      } else {
        out.AppendInt(CompareValues(x, i, y, i) < 0 ? 1 : 0);
      }
    }
    return out;
  }

 private:
  BoundExprPtr a_;
  BoundExprPtr b_;
};

// A bigint constant.
class Const : public BoundExpr {
 public:
  explicit Const(int64_t v) : BoundExpr(Big()), v_(v) {}
  Column Evaluate(const Batch& input) const override {
    Column out = Column::Make(Big(), input.num_rows);
    for (size_t i = 0; i < input.num_rows; ++i) out.AppendInt(v_);
    return out;
  }

 private:
  int64_t v_;
};

// x % m for a bigint column (a computed key).
class Mod : public BoundExpr {
 public:
  Mod(BoundExprPtr x, int64_t m) : BoundExpr(Big()), x_(std::move(x)), m_(m) {}
  Column Evaluate(const Batch& input) const override {
    Column x = x_->Evaluate(input);
    Column out = Column::Make(Big(), input.num_rows);
    for (size_t i = 0; i < input.num_rows; ++i) {
      x.IsNull(i) ? out.AppendNull() : out.AppendInt(x.ints[i] % m_);
    }
    return out;
  }

 private:
  BoundExprPtr x_;
  int64_t m_;
};

BoundExprPtr C(size_t i, DataType t) {
  return std::make_shared<ColRef>(i, std::move(t));
}

Column Ints(const std::vector<std::optional<int64_t>>& v, DataType t = Big()) {
  Column c = Column::Make(t, v.size());
  for (const auto& x : v) x ? c.AppendInt(*x) : c.AppendNull();
  return c;
}

Column Doubles(const std::vector<std::optional<double>>& v) {
  Column c = Column::Make(Dbl(), v.size());
  for (const auto& x : v) x ? c.AppendDouble(*x) : c.AppendNull();
  return c;
}

Column Texts(const std::vector<std::optional<std::string>>& v) {
  Column c = Column::Make(Txt(), v.size());
  for (const auto& x : v) x ? c.AppendString(*x) : c.AppendNull();
  return c;
}

Batch MakeBatch(std::vector<Column> columns) {
  Batch b;
  b.num_rows = columns.empty() ? 0 : columns[0].size();
  b.columns = std::move(columns);
  return b;
}

Schema MakeSchema(const std::vector<std::pair<std::string, DataType>>& fields) {
  Schema s;
  for (const auto& [name, type] : fields) s.fields.push_back(Field{name, type, ""});
  return s;
}

// Splits one batch into `parts` batches (= Values partitions).
std::vector<Batch> Split(const Batch& b, size_t parts) {
  std::vector<Batch> out;
  size_t step = (b.num_rows + parts - 1) / parts;
  for (size_t begin = 0; begin < b.num_rows; begin += step) {
    out.push_back(b.Slice(begin, std::min(b.num_rows, begin + step)));
  }
  return out;
}

// All rows as "v1|v2|..." strings, in output order (doubles as %g, so the
// tests do not depend on the CQL literal format).
std::vector<std::string> Rows(const std::vector<Batch>& batches) {
  std::vector<std::string> rows;
  for (const Batch& b : batches) {
    for (size_t i = 0; i < b.num_rows; ++i) {
      std::string row;
      for (size_t c = 0; c < b.columns.size(); ++c) {
        if (c > 0) row += "|";
        const Column& column = b.columns[c];
        if (column.physical() == Physical::kDouble && !column.IsNull(i)) {
          char text[32];
          std::snprintf(text, sizeof text, "%g", column.doubles[i]);
          row += text;
        } else {
          row += TextAt(column, i);
        }
      }
      rows.push_back(row);
    }
  }
  return rows;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

Batch Concat(const std::vector<Batch>& batches, const Schema& schema) {
  Batch out = Batch::Empty(schema);
  for (const Batch& b : batches) out.Append(b);
  return out;
}

class OperatorsTest : public ::testing::Test {
 protected:
  std::vector<Batch> Run(const OperatorPtr& op) { return CollectAll(op, ctx_); }
  std::vector<std::string> RunRows(const OperatorPtr& op) { return Rows(Run(op)); }

  ComputePool pool_{4};
  ExecContext ctx_{&pool_};
};

// ---------------------------------------------------------------- compare

TEST(CompareValuesTest, NullsNanZerosAndText) {
  Column d = Doubles({std::nullopt, NAN, -0.0, 0.0, 1.0, -INFINITY, std::nullopt});
  EXPECT_EQ(CompareValues(d, 0, d, 6), 0);  // NULL = NULL
  EXPECT_LT(CompareValues(d, 0, d, 5), 0);  // NULL below everything
  EXPECT_GT(CompareValues(d, 1, d, 0), 0);
  EXPECT_EQ(CompareValues(d, 1, d, 1), 0);  // NaN = NaN
  EXPECT_GT(CompareValues(d, 1, d, 4), 0);  // NaN greatest
  EXPECT_EQ(CompareValues(d, 2, d, 3), 0);  // -0.0 = 0.0
  EXPECT_LT(CompareValues(d, 5, d, 2), 0);
  EXPECT_EQ(HashValue(d, 2), HashValue(d, 3));
  EXPECT_EQ(HashValue(d, 0), HashValue(d, 6));
  Column nan2 = Doubles({-std::nan("7")});
  EXPECT_EQ(CompareValues(d, 1, nan2, 0), 0);
  EXPECT_EQ(HashValue(d, 1), HashValue(nan2, 0));
  EXPECT_NE(HashValue(d, 4, 1), HashValue(d, 4, 2));

  Column t = Texts({"a", "b", "ab", "\xc3\xa9", "a"});
  EXPECT_LT(CompareValues(t, 0, t, 1), 0);
  EXPECT_LT(CompareValues(t, 0, t, 2), 0);
  EXPECT_GT(CompareValues(t, 3, t, 1), 0);  // bytewise: 0xc3 > 'b'
  EXPECT_EQ(CompareValues(t, 0, t, 4), 0);
  EXPECT_EQ(HashValue(t, 0), HashValue(t, 4));

  Column i = Ints({3, -5, std::nullopt});
  EXPECT_GT(CompareValues(i, 0, i, 1), 0);
  EXPECT_LT(CompareValues(i, 2, i, 1), 0);
}

TEST(CompareValuesTest, SerializedTypesUseCqlOrder) {
  Column v = Column::Make(DataType::Of(TypeKind::kVarint));
  v.AppendString(std::string("\xff", 1));      // -1
  v.AppendString(std::string("\x01", 1));      // 1
  v.AppendString(std::string("\x01\x00", 2));  // 256
  EXPECT_LT(CompareValues(v, 0, v, 1), 0);
  EXPECT_LT(CompareValues(v, 1, v, 2), 0);
  EXPECT_EQ(CompareValues(v, 2, v, 2), 0);
}

// ---------------------------------------------------------------- streaming operators

TEST_F(OperatorsTest, ValuesSplitsLargeBatchesAndKeepsOrder) {
  std::vector<std::optional<int64_t>> v;
  for (int64_t i = 0; i < 200000; ++i) v.push_back(i);
  Schema s = MakeSchema({{"x", Big()}});
  auto values = MakeValues(s, {MakeBatch({Ints(v)}), MakeBatch({Ints({7})})});
  EXPECT_GT(values->partitions(), 2u);
  auto out = Run(values);
  Batch all = Concat(out, s);
  ASSERT_EQ(all.num_rows, 200001u);
  for (size_t i = 0; i < 200000; ++i) ASSERT_EQ(all.columns[0].ints[i], static_cast<int64_t>(i));
  EXPECT_EQ(all.columns[0].ints[200000], 7);
  for (const Batch& b : out) EXPECT_LE(b.num_rows, kBatchRows);
}

TEST_F(OperatorsTest, FilterTreatsNullAsFalse) {
  Schema s = MakeSchema({{"a", Big()}, {"b", Big()}});
  Batch b = MakeBatch({Ints({1, 5, std::nullopt, 2, 3}), Ints({2, 4, 1, std::nullopt, 9})});
  auto filter =
      MakeFilter(MakeValues(s, Split(b, 2)), std::make_shared<Less>(C(0, Big()), C(1, Big())));
  EXPECT_EQ(Sorted(RunRows(filter)), (std::vector<std::string>{"1|2", "3|9"}));
  EXPECT_THROW(MakeFilter(MakeValues(s, {b}), C(0, Big())), CqlError);
}

TEST_F(OperatorsTest, ProjectReordersDuplicatesAndComputes) {
  Schema s = MakeSchema({{"a", Big()}, {"b", Txt()}});
  Batch b = MakeBatch({Ints({10, 21, std::nullopt}), Texts({"x", "y", "z"})});
  auto project =
      MakeProject(MakeValues(s, {b}),
                  {C(1, Txt()), C(0, Big()), C(0, Big()), std::make_shared<Mod>(C(0, Big()), 10)},
                  {Field{"b", Txt(), "t"}, Field{"a", Txt(), "t"}, Field{"a2", Txt(), ""},
                   Field{"m", Txt(), ""}});
  EXPECT_EQ(project->schema().fields[1].type, Big());  // types come from the expressions
  EXPECT_EQ(project->schema().fields[0].qualifier, "t");
  EXPECT_EQ(RunRows(project),
            (std::vector<std::string>{"x|10|10|0", "y|21|21|1", "z|null|null|null"}));
}

TEST_F(OperatorsTest, UnionAllConcatenatesPartitions) {
  Schema s = MakeSchema({{"a", Big()}});
  Schema s2 = MakeSchema({{"a", Int()}});
  auto u = MakeUnionAll({MakeValues(s, {MakeBatch({Ints({1, 2})}), MakeBatch({Ints({3})})}),
                         MakeValues(s2, {MakeBatch({Ints({4}, Int())})})});
  EXPECT_EQ(u->partitions(), 3u);
  auto out = Run(u);
  EXPECT_EQ(Rows(out), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(out.back().columns[0].type, Big());
  EXPECT_THROW(MakeUnionAll({MakeValues(s, {}), MakeValues(MakeSchema({{"t", Txt()}}), {})}),
               CqlError);
}

TEST_F(OperatorsTest, LimitAndOffsetFollowPartitionOrder) {
  Schema s = MakeSchema({{"a", Big()}});
  std::vector<Batch> batches;
  for (int64_t p = 0; p < 20; ++p) {
    std::vector<std::optional<int64_t>> v;
    for (int64_t i = 0; i < 1000; ++i) v.push_back(p * 1000 + i);
    batches.push_back(MakeBatch({Ints(v)}));
  }
  auto values = MakeValues(s, batches);
  for (auto [limit, offset] : std::vector<std::pair<int64_t, int64_t>>{
           {5, 0}, {5, 998}, {2500, 1500}, {100000, 19990}, {0, 0}, {3, 30000}}) {
    auto out = Concat(Run(MakeLimit(values, limit, offset)), s);
    int64_t expect = std::max<int64_t>(0, std::min<int64_t>(limit, 20000 - offset));
    ASSERT_EQ(static_cast<int64_t>(out.num_rows), expect) << limit << " " << offset;
    for (size_t i = 0; i < out.num_rows; ++i) {
      ASSERT_EQ(out.columns[0].ints[i], offset + static_cast<int64_t>(i));
    }
  }
  EXPECT_EQ(MakeLimit(values, 5, 2)->partitions(), 1u);
}

TEST_F(OperatorsTest, RandomSplitIsDisjointCompleteAndDeterministic) {
  Schema s = MakeSchema({{"a", Big()}, {"b", Txt()}});
  std::vector<std::optional<int64_t>> a;
  std::vector<std::optional<std::string>> t;
  for (int64_t i = 0; i < 100000; ++i) {
    a.push_back(i);
    t.push_back(i % 7 == 0 ? std::nullopt
                           : std::optional<std::string>("s" + std::to_string(i % 13)));
  }
  Batch b = MakeBatch({Ints(a), Texts(t)});
  auto ids = [&](const std::vector<Batch>& out) {
    std::vector<int64_t> v;
    for (const Batch& x : out)
      v.insert(v.end(), x.columns[0].ints.begin(), x.columns[0].ints.end());
    std::sort(v.begin(), v.end());
    return v;
  };
  std::vector<double> weights = {0.6, 0.3, 0.1};
  ComputePool one(1);
  ExecContext ctx1{&one};
  std::vector<int64_t> all;
  std::vector<size_t> sizes;
  for (size_t k = 0; k < weights.size(); ++k) {
    auto four = ids(Run(MakeRandomSplit(MakeValues(s, Split(b, 7)), weights, 42, k)));
    auto single =
        ids(CollectAll(MakeRandomSplit(MakeValues(s, Split(b, 3)), weights, 42, k), ctx1));
    EXPECT_EQ(four, single);
    sizes.push_back(four.size());
    all.insert(all.end(), four.begin(), four.end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), 100000u);  // complete, and disjoint since every id is unique
  for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i], static_cast<int64_t>(i));
  for (size_t k = 0; k < weights.size(); ++k) {
    EXPECT_NEAR(static_cast<double>(sizes[k]) / 100000, weights[k], 0.01);
  }
  // Another seed gives another split.
  EXPECT_NE(ids(Run(MakeRandomSplit(MakeValues(s, {b}), weights, 43, 0))),
            ids(Run(MakeRandomSplit(MakeValues(s, {b}), weights, 42, 0))));
  // Rows with equal contents go together.
  Batch dup = MakeBatch({Ints({5, 5, 5, 5}), Texts({"x", "x", "x", "x"})});
  for (size_t k = 0; k < 3; ++k) {
    size_t n = RunRows(MakeRandomSplit(MakeValues(s, Split(dup, 4)), weights, 1, k)).size();
    EXPECT_TRUE(n == 0 || n == 4);
  }
  EXPECT_THROW(MakeRandomSplit(MakeValues(s, {b}), {0.5, -1}, 1, 0), CqlError);
  EXPECT_THROW(MakeRandomSplit(MakeValues(s, {b}), {0.5}, 1, 1), CqlError);
}

// ---------------------------------------------------------------- sort

TEST_F(OperatorsTest, SortHonoursDirectionNullsAndNan) {
  Schema s = MakeSchema({{"d", Dbl()}, {"id", Big()}});
  Batch b = MakeBatch({Doubles({2.0, std::nullopt, NAN, -1.0, 2.0, 0.5, std::nullopt}),
                       Ints({1, 2, 3, 4, 5, 6, 7})});
  auto sorted_ids = [&](bool asc, bool nulls_first) {
    auto op = MakeSort(MakeValues(s, Split(b, 3)), {SortKey{C(0, Dbl()), asc, nulls_first}});
    Batch out = Concat(Run(op), s);
    std::vector<int64_t> ids(out.columns[1].ints.begin(), out.columns[1].ints.end());
    return ids;
  };
  EXPECT_EQ(sorted_ids(true, true), (std::vector<int64_t>{2, 7, 4, 6, 1, 5, 3}));
  EXPECT_EQ(sorted_ids(true, false), (std::vector<int64_t>{4, 6, 1, 5, 3, 2, 7}));
  EXPECT_EQ(sorted_ids(false, false), (std::vector<int64_t>{3, 1, 5, 6, 4, 2, 7}));
  EXPECT_EQ(sorted_ids(false, true), (std::vector<int64_t>{2, 7, 3, 1, 5, 6, 4}));
}

TEST_F(OperatorsTest, SortByTwoKeysIsStableAndTopN) {
  Schema s = MakeSchema({{"k", Txt()}, {"v", Big()}, {"seq", Big()}});
  std::mt19937_64 rng(7);
  std::vector<std::optional<std::string>> k;
  std::vector<std::optional<int64_t>> v;
  std::vector<std::optional<int64_t>> seq;
  for (int64_t i = 0; i < 20000; ++i) {
    k.push_back("k" + std::to_string(rng() % 5));
    v.push_back(static_cast<int64_t>(rng() % 50));
    seq.push_back(i);
  }
  Batch b = MakeBatch({Texts(k), Ints(v), Ints(seq)});
  std::vector<size_t> expect(20000);
  for (size_t i = 0; i < expect.size(); ++i) expect[i] = i;
  std::stable_sort(expect.begin(), expect.end(), [&](size_t x, size_t y) {
    if (*k[x] != *k[y]) return *k[x] < *k[y];
    return *v[x] > *v[y];
  });
  std::vector<SortKey> keys = {SortKey{C(0, Txt()), true, true},
                               SortKey{C(1, Big()), false, false}};
  for (std::optional<int64_t> limit :
       {std::optional<int64_t>(), std::optional<int64_t>(10), std::optional<int64_t>(12345)}) {
    auto op = MakeSort(MakeValues(s, Split(b, 6)), keys, limit);
    EXPECT_EQ(op->partitions(), 1u);
    Batch out = Concat(Run(op), s);
    size_t n = limit ? static_cast<size_t>(*limit) : expect.size();
    ASSERT_EQ(out.num_rows, n);
    for (size_t i = 0; i < n; ++i) {
      ASSERT_EQ(out.columns[2].ints[i], static_cast<int64_t>(expect[i])) << i;
    }
  }
  EXPECT_EQ(Run(MakeSort(MakeValues(s, {b}), keys, 0)).size(), 0u);
}

// ---------------------------------------------------------------- aggregate

TEST(AggregateTypesTest, ResultTypes) {
  EXPECT_EQ(AggregateResultType("count", Txt()), Big());
  EXPECT_EQ(AggregateResultType("sum", Int()), Big());
  EXPECT_EQ(AggregateResultType("sum", DataType::Of(TypeKind::kFloat)), Dbl());
  EXPECT_EQ(AggregateResultType("avg", Int()), Dbl());
  EXPECT_EQ(AggregateResultType("stddev_pop", Big()), Dbl());
  EXPECT_EQ(AggregateResultType("variance", Big()), Dbl());
  EXPECT_EQ(AggregateResultType("min", Txt()), Txt());
  EXPECT_EQ(AggregateResultType("max", DataType::Of(TypeKind::kTimestamp)),
            DataType::Of(TypeKind::kTimestamp));
  EXPECT_EQ(AggregateResultType("collect_list", Int()), DataType::List(Int()));
  EXPECT_EQ(AggregateResultType("collect_set", Txt()), DataType::Set(Txt()));
  EXPECT_THROW(AggregateResultType("sum", Txt()), CqlError);
  EXPECT_THROW(AggregateResultType("median_of_medians", Int()), CqlError);
}

AggregateSpec Agg(std::string f, BoundExprPtr arg, std::string name, bool distinct = false) {
  return AggregateSpec{std::move(f), std::move(arg), distinct, std::move(name)};
}

TEST_F(OperatorsTest, GlobalAggregateOnEmptyInput) {
  Schema s = MakeSchema({{"x", Big()}, {"d", Dbl()}});
  for (auto batches : {std::vector<Batch>{}, std::vector<Batch>{Batch::Empty(s)}}) {
    auto op = MakeHashAggregate(
        MakeValues(s, batches), {}, {},
        {Agg("count", nullptr, "n"), Agg("count", C(0, Big()), "nx"), Agg("sum", C(0, Big()), "s"),
         Agg("avg", C(1, Dbl()), "a"), Agg("min", C(0, Big()), "mn"),
         Agg("stddev_pop", C(1, Dbl()), "sd"), Agg("collect_list", C(0, Big()), "l")});
    EXPECT_EQ(op->partitions(), 1u);
    EXPECT_EQ(RunRows(op), (std::vector<std::string>{"0|0|null|null|null|null|[]"}));
  }
}

TEST_F(OperatorsTest, AggregatesIgnoreNullsAndGroupNullKeys) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Big()}});
  Batch b = MakeBatch({Ints({1, 1, std::nullopt, 2, std::nullopt, 1, 2}),
                       Ints({10, std::nullopt, 5, std::nullopt, 7, 30, std::nullopt})});
  auto op = MakeHashAggregate(
      MakeValues(s, Split(b, 3)), {C(0, Big())}, {Field{"k", Big(), ""}},
      {Agg("count", nullptr, "n"), Agg("count", C(1, Big()), "nx"), Agg("sum", C(1, Big()), "s"),
       Agg("min", C(1, Big()), "mn"), Agg("max", C(1, Big()), "mx")});
  EXPECT_EQ(op->schema().fields[3].name, "s");
  EXPECT_EQ(Sorted(RunRows(op)), (std::vector<std::string>{"1|3|2|40|10|30", "2|2|0|null|null|null",
                                                           "null|2|2|12|5|7"}));
}

TEST_F(OperatorsTest, DoubleKeysGroupNanAndSignedZeros) {
  Schema s = MakeSchema({{"k", Dbl()}});
  Batch b = MakeBatch({Doubles({NAN, -0.0, 0.0, -std::nan("3"), 1.5, std::nullopt, 1.5, 0.0})});
  auto op = MakeHashAggregate(MakeValues(s, Split(b, 4)), {C(0, Dbl())}, {Field{"k", Dbl(), ""}},
                              {Agg("count", nullptr, "n")});
  Batch out = Concat(Run(op), op->schema());
  std::map<std::string, int64_t> counts;
  for (size_t i = 0; i < out.num_rows; ++i) {
    const Column& k = out.columns[0];
    std::string key = k.IsNull(i)                ? "null"
                      : std::isnan(k.doubles[i]) ? "nan"
                                                 : std::to_string(k.doubles[i]);
    counts[key] = out.columns[1].ints[i];
  }
  EXPECT_EQ(counts, (std::map<std::string, int64_t>{
                        {"nan", 2}, {"0.000000", 3}, {"1.500000", 2}, {"null", 1}}));
}

TEST_F(OperatorsTest, StringAndMultiColumnKeys) {
  Schema s = MakeSchema({{"a", Txt()}, {"b", Big()}, {"x", Dbl()}});
  Batch b = MakeBatch({Texts({"x", "y", "x", std::nullopt, "x", std::nullopt, ""}),
                       Ints({1, 1, 1, 2, 2, 2, 1}), Doubles({1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0})});
  auto by_text = MakeHashAggregate(MakeValues(s, Split(b, 3)), {C(0, Txt())},
                                   {Field{"a", Txt(), ""}}, {Agg("sum", C(2, Dbl()), "s")});
  EXPECT_EQ(Sorted(RunRows(by_text)), Sorted({"|7", "null|10", "x|9", "y|2"}));
  auto by_two = MakeHashAggregate(MakeValues(s, Split(b, 3)), {C(0, Txt()), C(1, Big())},
                                  {Field{"a", Txt(), ""}, Field{"b", Big(), ""}},
                                  {Agg("count", nullptr, "n")});
  EXPECT_EQ(Sorted(RunRows(by_two)), Sorted({"|1|1", "null|2|2", "x|1|2", "x|2|1", "y|1|1"}));
  auto computed = MakeHashAggregate(MakeValues(s, {b}), {std::make_shared<Mod>(C(1, Big()), 2)},
                                    {Field{"parity", Txt(), ""}}, {Agg("count", nullptr, "n")});
  EXPECT_EQ(computed->schema().fields[0].type, Big());
  EXPECT_EQ(Sorted(RunRows(computed)), (std::vector<std::string>{"0|3", "1|4"}));
}

TEST_F(OperatorsTest, VarianceAndStddevAreStable) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Dbl()}});
  // Large offset: a naive sum-of-squares formula loses every digit here.
  Batch b = MakeBatch({Ints({1, 1, 1, 1, 2, 3, 3}),
                       Doubles({1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16, 5.0, std::nullopt, 2.0})});
  auto op = MakeHashAggregate(MakeValues(s, Split(b, 3)), {C(0, Big())}, {Field{"k", Big(), ""}},
                              {Agg("variance", C(1, Dbl()), "vs"),
                               Agg("var_pop", C(1, Dbl()), "vp"), Agg("stddev", C(1, Dbl()), "ss"),
                               Agg("stddev_pop", C(1, Dbl()), "sp"), Agg("avg", C(1, Dbl()), "a")});
  Batch out = Concat(Run(op), op->schema());
  ASSERT_EQ(out.num_rows, 3u);
  for (size_t i = 0; i < out.num_rows; ++i) {
    int64_t k = out.columns[0].ints[i];
    if (k == 1) {
      EXPECT_NEAR(out.columns[1].doubles[i], 30.0, 1e-6);
      EXPECT_NEAR(out.columns[2].doubles[i], 22.5, 1e-6);
      EXPECT_NEAR(out.columns[3].doubles[i], std::sqrt(30.0), 1e-6);
      EXPECT_NEAR(out.columns[4].doubles[i], std::sqrt(22.5), 1e-6);
      EXPECT_DOUBLE_EQ(out.columns[5].doubles[i], 1e9 + 10);
    } else if (k == 2) {
      // One row: sample statistics are NULL, population ones 0.
      EXPECT_TRUE(out.columns[1].IsNull(i));
      EXPECT_EQ(out.columns[2].doubles[i], 0.0);
      EXPECT_TRUE(out.columns[3].IsNull(i));
      EXPECT_EQ(out.columns[4].doubles[i], 0.0);
    } else {
      EXPECT_TRUE(out.columns[1].IsNull(i));
      EXPECT_DOUBLE_EQ(out.columns[5].doubles[i], 2.0);
    }
  }
}

TEST_F(OperatorsTest, AvgOfLargeIntegersIsExact) {
  Schema s = MakeSchema({{"x", Big()}});
  int64_t big = int64_t{1} << 62;
  Batch b = MakeBatch({Ints({big, big, big, 3})});
  auto op = MakeHashAggregate(MakeValues(s, Split(b, 2)), {}, {},
                              {Agg("avg", C(0, Big()), "a"), Agg("max", C(0, Big()), "m")});
  Batch out = Concat(Run(op), op->schema());
  EXPECT_DOUBLE_EQ(out.columns[0].doubles[0], 3.0 * static_cast<double>(big) / 4.0);
  EXPECT_EQ(out.columns[1].ints[0], big);
}

TEST_F(OperatorsTest, MinMaxOfDoublesAndText) {
  Schema s = MakeSchema({{"d", Dbl()}, {"t", Txt()}});
  Batch b =
      MakeBatch({Doubles({1.0, NAN, -3.0, std::nullopt}), Texts({"b", "ab", std::nullopt, "c"})});
  auto op = MakeHashAggregate(MakeValues(s, Split(b, 2)), {}, {},
                              {Agg("min", C(0, Dbl()), "a"), Agg("max", C(0, Dbl()), "b"),
                               Agg("min", C(1, Txt()), "c"), Agg("max", C(1, Txt()), "d")});
  Batch out = Concat(Run(op), op->schema());
  EXPECT_EQ(out.columns[0].doubles[0], -3.0);
  EXPECT_TRUE(std::isnan(out.columns[1].doubles[0]));
  EXPECT_EQ(out.columns[2].strings[0], "ab");
  EXPECT_EQ(out.columns[3].strings[0], "c");
}

TEST_F(OperatorsTest, CollectListAndSet) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Int()}});
  Batch b = MakeBatch({Ints({1, 1, 1, 1, 2, 2}), Ints({3, -1, 3, std::nullopt, 10, 10}, Int())});
  auto op = MakeHashAggregate(
      MakeValues(s, {b}), {C(0, Big())}, {Field{"k", Big(), ""}},
      {Agg("collect_list", C(1, Int()), "l"), Agg("collect_set", C(1, Int()), "s")});
  EXPECT_EQ(op->schema().fields[1].type, DataType::List(Int()));
  EXPECT_EQ(op->schema().fields[2].type, DataType::Set(Int()));
  Batch out = Concat(Run(op), op->schema());
  for (size_t i = 0; i < out.num_rows; ++i) {
    auto set = cql::DecodeCollection(out.columns[2].strings[i]);
    auto list = cql::DecodeCollection(out.columns[1].strings[i]);
    if (out.columns[0].ints[i] == 1) {
      ASSERT_EQ(list.size(), 3u);  // one value per non-NULL row, in input order
      EXPECT_EQ(list[1], cql::EncodeInt(-1));
      // Sets are distinct and sorted by CQL order (-1 before 3).
      EXPECT_EQ(set, (std::vector<Bytes>{cql::EncodeInt(-1), cql::EncodeInt(3)}));
    } else {
      EXPECT_EQ(list.size(), 2u);
      EXPECT_EQ(set, (std::vector<Bytes>{cql::EncodeInt(10)}));
    }
  }
  // Many duplicates across partitions collapse.
  std::vector<std::optional<int64_t>> keys(50000, 7);
  std::vector<std::optional<int64_t>> xs;
  for (int64_t i = 0; i < 50000; ++i) xs.push_back(i % 37);
  auto many = MakeHashAggregate(MakeValues(s, Split(MakeBatch({Ints(keys), Ints(xs, Int())}), 5)),
                                {}, {}, {Agg("collect_set", C(1, Int()), "s")});
  Batch m = Concat(Run(many), many->schema());
  EXPECT_EQ(cql::DecodeCollection(m.columns[0].strings[0]).size(), 37u);
}

TEST_F(OperatorsTest, DistinctAggregates) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Dbl()}});
  Batch b =
      MakeBatch({Ints({1, 1, 1, 1, 1, 2}), Doubles({2.0, 2.0, -0.0, 0.0, std::nullopt, 1.0})});
  auto op =
      MakeHashAggregate(MakeValues(s, Split(b, 3)), {C(0, Big())}, {Field{"k", Big(), ""}},
                        {Agg("count", C(1, Dbl()), "n", true), Agg("sum", C(1, Dbl()), "s", true),
                         Agg("count", C(1, Dbl()), "all")});
  EXPECT_EQ(Sorted(RunRows(op)), (std::vector<std::string>{"1|2|2|4", "2|1|1|1"}));
}

TEST_F(OperatorsTest, AggregateMatchesBruteForceWithAnyThreadCount) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Big()}, {"t", Txt()}});
  std::mt19937_64 rng(11);
  std::vector<std::optional<int64_t>> k;
  std::vector<std::optional<int64_t>> x;
  std::vector<std::optional<std::string>> t;
  std::map<int64_t, std::tuple<int64_t, int64_t, int64_t>> expect;  // count, sum, max
  for (int i = 0; i < 100000; ++i) {
    int64_t key = static_cast<int64_t>(rng() % 5000);
    int64_t v = static_cast<int64_t>(rng() % 1000) - 500;
    k.push_back(key);
    x.push_back(v);
    t.push_back("t" + std::to_string(key));
    auto [it, fresh] = expect.try_emplace(key, 0, 0, INT64_MIN);
    auto& [n, sum, max] = it->second;
    ++n;
    sum += v;
    max = std::max(max, v);
  }
  Batch b = MakeBatch({Ints(k), Ints(x), Texts(t)});
  for (size_t threads : {1, 4}) {
    ComputePool pool(threads);
    ExecContext ctx{&pool};
    for (size_t key_column : {0, 2}) {
      DataType kt = key_column == 0 ? Big() : Txt();
      auto op = MakeHashAggregate(
          MakeValues(s, Split(b, 9)), {C(key_column, kt)}, {Field{"k", kt, ""}},
          {Agg("count", nullptr, "n"), Agg("sum", C(1, Big()), "s"), Agg("max", C(1, Big()), "m")});
      Batch out = Concat(CollectAll(op, ctx), op->schema());
      ASSERT_EQ(out.num_rows, expect.size());
      for (size_t i = 0; i < out.num_rows; ++i) {
        int64_t key = key_column == 0 ? out.columns[0].ints[i]
                                      : std::stoll(out.columns[0].strings[i].substr(1));
        auto [n, sum, max] = expect.at(key);
        ASSERT_EQ(out.columns[1].ints[i], n);
        ASSERT_EQ(out.columns[2].ints[i], sum);
        ASSERT_EQ(out.columns[3].ints[i], max);
      }
    }
  }
}

TEST_F(OperatorsTest, DistinctOperator) {
  Schema s = MakeSchema({{"a", Big()}, {"b", Txt()}});
  Batch b = MakeBatch({Ints({1, 1, 2, std::nullopt, std::nullopt, 1}),
                       Texts({"x", "x", "x", std::nullopt, std::nullopt, "y"})});
  auto op = MakeDistinct(MakeValues(s, Split(b, 3)));
  EXPECT_EQ(op->schema().fields[1].name, "b");
  EXPECT_EQ(Sorted(RunRows(op)), (std::vector<std::string>{"1|x", "1|y", "2|x", "null|null"}));
  EXPECT_EQ(op->Describe(), "Distinct");
}

// ---------------------------------------------------------------- join

struct JoinCase {
  std::vector<std::optional<int64_t>> lk;
  std::vector<std::optional<int64_t>> rk;
};

// The expected join of l(k, lid) and r(k, rid) on k (and lid < rid when
// residual), as sorted rows.
std::vector<std::string> BruteJoin(const JoinCase& c, JoinType type, bool residual) {
  auto text = [](const std::optional<int64_t>& v) { return v ? std::to_string(*v) : "null"; };
  std::vector<std::string> rows;
  std::vector<bool> right_matched(c.rk.size(), false);
  for (size_t i = 0; i < c.lk.size(); ++i) {
    bool matched = false;
    for (size_t j = 0; j < c.rk.size(); ++j) {
      if (!c.lk[i] || !c.rk[j] || *c.lk[i] != *c.rk[j]) continue;
      if (residual && !(static_cast<int64_t>(i) < static_cast<int64_t>(j))) continue;
      matched = true;
      right_matched[j] = true;
      if (type != JoinType::kSemi && type != JoinType::kAnti) {
        rows.push_back(text(c.lk[i]) + "|" + std::to_string(i) + "|" + text(c.rk[j]) + "|" +
                       std::to_string(j));
      }
    }
    std::string left = text(c.lk[i]) + "|" + std::to_string(i);
    if (type == JoinType::kSemi && matched) rows.push_back(left);
    if (type == JoinType::kAnti && !matched) rows.push_back(left);
    if ((type == JoinType::kLeft || type == JoinType::kFull) && !matched) {
      rows.push_back(left + "|null|null");
    }
  }
  if (type == JoinType::kRight || type == JoinType::kFull) {
    for (size_t j = 0; j < c.rk.size(); ++j) {
      if (!right_matched[j]) rows.push_back("null|null|" + text(c.rk[j]) + "|" + std::to_string(j));
    }
  }
  return Sorted(rows);
}

Batch KeyedRows(const std::vector<std::optional<int64_t>>& keys) {
  std::vector<std::optional<int64_t>> ids;
  for (size_t i = 0; i < keys.size(); ++i) ids.push_back(static_cast<int64_t>(i));
  return MakeBatch({Ints(keys), Ints(ids)});
}

TEST_F(OperatorsTest, JoinTypesMatchBruteForce) {
  JoinCase c;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 1500; ++i) {
    c.lk.push_back(rng() % 17 == 0 ? std::nullopt : std::optional<int64_t>(rng() % 700));
  }
  for (int i = 0; i < 1000; ++i) {
    c.rk.push_back(rng() % 13 == 0 ? std::nullopt : std::optional<int64_t>(rng() % 900));
  }
  Schema ls = MakeSchema({{"k", Big()}, {"lid", Big()}});
  Schema rs = MakeSchema({{"k", Big()}, {"rid", Big()}});
  for (JoinType type : {JoinType::kInner, JoinType::kLeft, JoinType::kRight, JoinType::kFull,
                        JoinType::kSemi, JoinType::kAnti}) {
    for (bool residual : {false, true}) {
      BoundExprPtr cond;
      if (residual) cond = std::make_shared<Less>(C(1, Big()), C(3, Big()));
      auto op = MakeHashJoin(MakeValues(ls, Split(KeyedRows(c.lk), 5)),
                             MakeValues(rs, Split(KeyedRows(c.rk), 3)), type, {C(0, Big())},
                             {C(0, Big())}, cond);
      bool pairs = type != JoinType::kSemi && type != JoinType::kAnti;
      EXPECT_EQ(op->schema().size(), pairs ? 4u : 2u);
      EXPECT_EQ(Sorted(RunRows(op)), BruteJoin(c, type, residual))
          << static_cast<int>(type) << " residual=" << residual;
    }
  }
}

TEST_F(OperatorsTest, RightJoinWithoutLeftPartitions) {
  Schema ls = MakeSchema({{"k", Big()}, {"lid", Big()}});
  Schema rs = MakeSchema({{"k", Big()}, {"rid", Big()}});
  auto op = MakeHashJoin(MakeValues(ls, {}), MakeValues(rs, {KeyedRows({1, std::nullopt})}),
                         JoinType::kFull, {C(0, Big())}, {C(0, Big())}, nullptr);
  EXPECT_EQ(Sorted(RunRows(op)), (std::vector<std::string>{"null|null|1|0", "null|null|null|1"}));
  auto inner = MakeHashJoin(MakeValues(ls, {KeyedRows({1})}), MakeValues(rs, {}), JoinType::kInner,
                            {C(0, Big())}, {C(0, Big())}, nullptr);
  EXPECT_TRUE(RunRows(inner).empty());
}

TEST_F(OperatorsTest, JoinOnTextAndTwoKeys) {
  Schema ls = MakeSchema({{"a", Txt()}, {"b", Big()}, {"lv", Big()}});
  Schema rs = MakeSchema({{"a", Txt()}, {"b", Big()}, {"rv", Big()}});
  Batch l = MakeBatch({Texts({"x", "x", "y", std::nullopt, ""}), Ints({1, 2, 1, 1, 5}),
                       Ints({10, 20, 30, 40, 50})});
  Batch r = MakeBatch({Texts({"x", "y", "y", std::nullopt, ""}), Ints({1, 1, 1, 1, 5}),
                       Ints({100, 200, 300, 400, 500})});
  auto one = MakeHashJoin(MakeValues(ls, Split(l, 2)), MakeValues(rs, {r}), JoinType::kInner,
                          {C(0, Txt())}, {C(0, Txt())}, nullptr);
  EXPECT_EQ(Sorted(RunRows(one)), Sorted({"|5|50||5|500", "x|1|10|x|1|100", "x|2|20|x|1|100",
                                          "y|1|30|y|1|200", "y|1|30|y|1|300"}));
  auto two = MakeHashJoin(MakeValues(ls, Split(l, 2)), MakeValues(rs, Split(r, 2)), JoinType::kLeft,
                          {C(0, Txt()), C(1, Big())}, {C(0, Txt()), C(1, Big())}, nullptr);
  EXPECT_EQ(Sorted(RunRows(two)),
            Sorted({"|5|50||5|500", "null|1|40|null|null|null", "x|1|10|x|1|100",
                    "x|2|20|null|null|null", "y|1|30|y|1|200", "y|1|30|y|1|300"}));
  EXPECT_THROW(MakeHashJoin(MakeValues(ls, {l}), MakeValues(rs, {r}), JoinType::kInner,
                            {C(0, Txt())}, {C(1, Big())}, nullptr),
               CqlError);
}

TEST_F(OperatorsTest, NestedLoopJoinWithoutKeys) {
  Schema ls = MakeSchema({{"a", Big()}});
  Schema rs = MakeSchema({{"b", Big()}});
  Batch l = MakeBatch({Ints({1, 5, 9})});
  Batch r = MakeBatch({Ints({4, 6, std::nullopt})});
  auto cross = MakeHashJoin(MakeValues(ls, Split(l, 2)), MakeValues(rs, {r}), JoinType::kInner, {},
                            {}, nullptr);
  EXPECT_EQ(RunRows(cross).size(), 9u);
  auto less = std::make_shared<Less>(C(0, Big()), C(1, Big()));
  auto left =
      MakeHashJoin(MakeValues(ls, Split(l, 2)), MakeValues(rs, {r}), JoinType::kLeft, {}, {}, less);
  EXPECT_EQ(Sorted(RunRows(left)), (std::vector<std::string>{"1|4", "1|6", "5|6", "9|null"}));
  auto right = MakeHashJoin(MakeValues(ls, Split(l, 3)), MakeValues(rs, {r}), JoinType::kRight, {},
                            {}, less);
  EXPECT_EQ(Sorted(RunRows(right)), (std::vector<std::string>{"1|4", "1|6", "5|6", "null|null"}));
  auto anti =
      MakeHashJoin(MakeValues(ls, Split(l, 2)), MakeValues(rs, {r}), JoinType::kAnti, {}, {}, less);
  EXPECT_EQ(RunRows(anti), (std::vector<std::string>{"9"}));
  EXPECT_EQ(left->Describe(), "NestedLoopJoin left residual");
}

TEST_F(OperatorsTest, LargeFanOutJoinStreamsInBatches) {
  Schema s = MakeSchema({{"k", Big()}, {"id", Big()}});
  std::vector<std::optional<int64_t>> lk(30, 1);
  std::vector<std::optional<int64_t>> rk(3000, 1);
  auto op = MakeHashJoin(MakeValues(s, {KeyedRows(lk)}), MakeValues(s, {KeyedRows(rk)}),
                         JoinType::kInner, {C(0, Big())}, {C(0, Big())}, nullptr);
  auto out = Run(op);
  size_t rows = 0;
  for (const Batch& b : out) {
    EXPECT_LE(b.num_rows, kBatchRows);
    rows += b.num_rows;
  }
  EXPECT_EQ(rows, 90000u);
}

// ---------------------------------------------------------------- explain

TEST_F(OperatorsTest, ExplainTreeIndentsChildren) {
  Schema s = MakeSchema({{"k", Big()}, {"x", Dbl()}});
  auto values = MakeValues(s, {MakeBatch({Ints({1}), Doubles({2.0})})});
  auto agg = MakeHashAggregate(values, {C(0, Big())}, {Field{"k", Big(), ""}},
                               {Agg("avg", C(1, Dbl()), "avg(x)")});
  auto join = MakeHashJoin(agg, values, JoinType::kInner, {C(0, Big())}, {C(0, Big())}, nullptr);
  auto plan = MakeLimit(MakeSort(join, {SortKey{C(0, Big()), false, false}}), 10);
  EXPECT_EQ(ExplainTree(plan),
            "Limit 10\n"
            "  Sort [k DESC NULLS LAST]\n"
            "    HashJoin inner keys=[k]\n"
            "      HashAggregate keys=[k] aggs=[avg(x)]\n"
            "        Values rows=1 partitions=1\n"
            "      Values rows=1 partitions=1\n");
  EXPECT_EQ(Rows(CollectAll(plan, ctx_)), (std::vector<std::string>{"1|2|1|2"}));
}

}  // namespace
}  // namespace helenus::exec
