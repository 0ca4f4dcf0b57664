#include "helenus/exec/dataframe.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "helenus/common/error.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::exec {
namespace {

DataType Int() {
  return DataType::Of(TypeKind::kInt);
}
DataType Dbl() {
  return DataType::Of(TypeKind::kDouble);
}
DataType Txt() {
  return DataType::Of(TypeKind::kText);
}

// people(id int, name text, dept int, salary double): 6 rows, one NULL dept.
DataFrame People(const Engine& engine) {
  Schema s{{Field{"id", Int(), "people"}, Field{"name", Txt(), "people"},
            Field{"dept", Int(), "people"}, Field{"salary", Dbl(), "people"}}};
  Batch b = Batch::Empty(s);
  auto add = [&](int id, const char* name, std::optional<int> dept, double salary) {
    b.columns[0].AppendInt(id);
    b.columns[1].AppendString(name);
    dept ? b.columns[2].AppendInt(*dept) : b.columns[2].AppendNull();
    b.columns[3].AppendDouble(salary);
    ++b.num_rows;
  };
  add(1, "ann", 10, 100);
  add(2, "bob", 10, 200);
  add(3, "cid", 20, 300);
  add(4, "dan", 20, 500);
  add(5, "eve", 30, 50);
  add(6, "fay", std::nullopt, 70);
  // Two batches so that every operator sees more than one partition.
  return engine.FromBatches(s, {b.Slice(0, 3), b.Slice(3, 6)});
}

DataFrame Depts(const Engine& engine) {
  Schema s{{Field{"dept", Int(), "depts"}, Field{"title", Txt(), "depts"}}};
  Batch b = Batch::Empty(s);
  for (auto [d, t] :
       std::vector<std::pair<int, const char*>>{{10, "eng"}, {20, "ops"}, {40, "hr"}}) {
    b.columns[0].AppendInt(d);
    b.columns[1].AppendString(t);
    ++b.num_rows;
  }
  return engine.FromBatches(s, {b});
}

// Every row rendered as "a|b|c", in result order.
std::vector<std::string> Lines(const DataFrame& df) {
  Rows rows = df.collect();
  std::vector<std::string> out;
  for (const auto& b : rows.batches) {
    for (size_t r = 0; r < b.num_rows; ++r) {
      std::string line;
      for (size_t c = 0; c < b.columns.size(); ++c) {
        line += (c ? "|" : "") + TextAt(b.columns[c], r);
      }
      out.push_back(line);
    }
  }
  return out;
}

std::vector<std::string> SortedLines(const DataFrame& df) {
  auto lines = Lines(df);
  std::sort(lines.begin(), lines.end());
  return lines;
}

class DataFrameTest : public ::testing::Test {
 protected:
  Engine engine_{nullptr, nullptr};
};

TEST_F(DataFrameTest, FilterSelectWithColumn) {
  auto df = People(engine_)
                .filter(Col("salary") >= Lit(100.0))
                .with_column("bonus", Col("salary") * Lit(0.1))
                .select(std::vector<std::string>{"name", "bonus"});
  EXPECT_EQ(df.schema().size(), 2u);
  EXPECT_EQ(df.schema().fields[1].type.kind, TypeKind::kDouble);
  EXPECT_EQ(SortedLines(df),
            (std::vector<std::string>{"ann|10.0", "bob|20.0", "cid|30.0", "dan|50.0"}));
  EXPECT_EQ(People(engine_).count(), 6u);
  EXPECT_EQ(People(engine_).filter(Col("dept") == Lit(10)).count(), 2u);
}

TEST_F(DataFrameTest, DropAndRename) {
  auto df = People(engine_).drop({"salary", "dept"}).with_column_renamed("name", "who");
  ASSERT_EQ(df.schema().size(), 2u);
  EXPECT_EQ(df.schema().fields[1].name, "who");
  EXPECT_THROW(People(engine_).drop({"nope"}), CqlError);
  EXPECT_THROW(People(engine_).select({"nope"}), CqlError);
}

TEST_F(DataFrameTest, GroupByAgg) {
  auto df = People(engine_)
                .group_by({"dept"})
                .agg({Expr::As(Fn("count", Expr::Star()), "n"),
                      Expr::As(Fn("avg", Col("salary")), "mean")})
                .order_by({SortItem{Col("dept"), true, true}});
  EXPECT_EQ(Lines(df),
            (std::vector<std::string>{"null|1|70.0", "10|2|150.0", "20|2|400.0", "30|1|50.0"}));
}

TEST_F(DataFrameTest, GlobalAggregateOnEmptyInput) {
  auto df = People(engine_)
                .filter(Col("id") > Lit(100))
                .group_by(std::vector<ExprPtr>{})
                .agg({Expr::As(Fn("count", Expr::Star()), "n"),
                      Expr::As(Fn("max", Col("salary")), "top")});
  EXPECT_EQ(Lines(df), (std::vector<std::string>{"0|null"}));
  EXPECT_EQ(People(engine_).filter(Col("id") > Lit(100)).count(), 0u);
}

TEST_F(DataFrameTest, JoinsOnConditionAndUsing) {
  auto inner = People(engine_)
                   .join(Depts(engine_), Col("people.dept") == Col("depts.dept"))
                   .select({Col("name"), Col("title")});
  EXPECT_EQ(SortedLines(inner),
            (std::vector<std::string>{"ann|eng", "bob|eng", "cid|ops", "dan|ops"}));
  auto left =
      People(engine_).join(Depts(engine_), std::vector<std::string>{"dept"}, JoinType::kLeft);
  EXPECT_EQ(left.schema().fields[0].name, "dept");
  EXPECT_EQ(left.count(), 6u);
  auto anti =
      People(engine_).join(Depts(engine_), std::vector<std::string>{"dept"}, JoinType::kAnti);
  EXPECT_EQ(SortedLines(anti.select({"name"})), (std::vector<std::string>{"eve", "fay"}));
  auto full =
      People(engine_).join(Depts(engine_), std::vector<std::string>{"dept"}, JoinType::kFull);
  EXPECT_EQ(full.count(), 7u);  // 6 people + the hr department nobody is in
}

TEST_F(DataFrameTest, SelfJoinWithAliases) {
  auto a = People(engine_).alias("a");
  auto b = People(engine_).alias("b");
  auto df = a.join(b, And(Col("a.dept") == Col("b.dept"), Col("a.id") < Col("b.id")))
                .select({Col("a.name"), Col("b.name")});
  EXPECT_EQ(SortedLines(df), (std::vector<std::string>{"ann|bob", "cid|dan"}));
}

TEST_F(DataFrameTest, OrderLimitDistinctUnion) {
  auto top =
      People(engine_).order_by({SortItem{Col("salary"), false, false}}).limit(2).select({"name"});
  EXPECT_EQ(Lines(top), (std::vector<std::string>{"dan", "cid"}));
  auto depts = People(engine_).select({"dept"}).distinct();
  EXPECT_EQ(depts.count(), 4u);
  auto both = People(engine_).select({"id"}).union_all(People(engine_).select({"id"}));
  EXPECT_EQ(both.count(), 12u);
}

TEST_F(DataFrameTest, RandomSplitIsDisjointCompleteAndThreadIndependent) {
  Schema s{{Field{"x", DataType::Of(TypeKind::kBigint), "t"}}};
  std::vector<Batch> batches;
  for (int p = 0; p < 10; ++p) {
    Batch b = Batch::Empty(s);
    for (int i = 0; i < 1000; ++i) b.columns[0].AppendInt(p * 1000 + i);
    b.num_rows = 1000;
    batches.push_back(std::move(b));
  }
  auto run = [&](size_t threads) {
    ComputePool pool(threads);
    Engine engine(nullptr, nullptr, &pool);
    auto parts = engine.FromBatches(s, batches).random_split({0.8, 0.2}, 1234);
    return std::make_pair(SortedLines(parts[0]), SortedLines(parts[1]));
  };
  auto [train1, test1] = run(1);
  auto [train2, test2] = run(2);
  EXPECT_EQ(train1, train2);
  EXPECT_EQ(test1, test2);
  EXPECT_EQ(train1.size() + test1.size(), 10000u);
  EXPECT_NEAR(static_cast<double>(test1.size()) / 10000, 0.2, 0.02);
  std::set<std::string> all(train1.begin(), train1.end());
  for (const auto& t : test1) EXPECT_FALSE(all.count(t)) << t;
}

TEST_F(DataFrameTest, ShowAndExplain) {
  std::ostringstream out;
  People(engine_).filter(Col("dept") == Lit(10)).show(20, &out);
  EXPECT_NE(out.str().find("ann"), std::string::npos);
  EXPECT_NE(out.str().find("(2 rows)"), std::string::npos);
  auto plan = People(engine_).filter(Col("dept") == Lit(10)).explain();
  EXPECT_NE(plan.find("Filter"), std::string::npos);
}

TEST(DataFrameStoreTest, WriteThenReadTable) {
  auto dir = std::filesystem::temp_directory_path() / "helenus_dataframe_test";
  std::filesystem::remove_all(dir);
  auto store = std::move(*storage::Store::Open(dir.string(), storage::StoreOptions{}));
  auto catalog = std::move(*storage::Catalog::Load(store.get()));
  storage::KeyspaceSchema ks;
  ks.name = "ks";
  ks.replication = {{"class", "SimpleStrategy"}, {"replication_factor", "1"}};
  ASSERT_TRUE(catalog->PutKeyspace(ks).ok());
  storage::TableSchema t;
  t.keyspace = "ks";
  t.name = "rich";
  t.columns = {storage::ColumnSchema{"name", Txt(), storage::ColumnKind::kPartitionKey, 0},
               storage::ColumnSchema{"salary", Dbl(), storage::ColumnKind::kRegular, -1, false, 0}};
  t.next_column_id = 1;
  ASSERT_TRUE(catalog->PutTable(t).ok());

  Engine engine(store.get(), catalog.get());
  auto written = People(engine)
                     .filter(Col("salary") > Lit(150.0))
                     .select(std::vector<std::string>{"name", "salary"})
                     .write("ks.rich");
  EXPECT_EQ(written, 3u);
  auto back = engine.Table("rich", "ks");
  EXPECT_EQ(SortedLines(back), (std::vector<std::string>{"bob|200.0", "cid|300.0", "dan|500.0"}));
  EXPECT_EQ(SortedLines(back.filter(Col("name") == Lit("cid"))),
            (std::vector<std::string>{"cid|300.0"}));
  EXPECT_THROW(engine.Table("ks.nope"), CqlError);
  store.reset();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace helenus::exec
