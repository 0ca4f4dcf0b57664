#include "helenus/chart/table.h"

#include <cmath>

#include <gtest/gtest.h>

#include "helenus/chart/options.h"
#include "helenus/common/error.h"

namespace helenus::chart {
namespace {

TEST(ChartTable, RowsFillColumns) {
  Table t({"id", "Name", "score"});
  t.AddRow({1.0, std::string("a"), 0.5});
  t.AddRow({2.0, std::monostate{}, std::monostate{}});
  EXPECT_EQ(t.num_rows(), 2u);
  EXPECT_EQ(t.Find("name"), 1);
  EXPECT_EQ(t.Find("Name"), 1);
  EXPECT_EQ(t.Find("nope"), -1);
  EXPECT_TRUE(t.column(0).IsNumeric());
  EXPECT_FALSE(t.column(1).IsNumeric());
  EXPECT_TRUE(t.column(1).HasText());
  EXPECT_TRUE(t.column(2).IsNumeric());
  EXPECT_EQ(t.ColumnNames(), "id, Name, score");
  EXPECT_THROW(t.AddRow({1.0}), CqlError);
}

TEST(ChartTable, CellText) {
  EXPECT_EQ(CellText(Cell(1.0)), "1");
  EXPECT_EQ(CellText(Cell(0.25)), "0.25");
  EXPECT_EQ(CellText(Cell(std::string("x"))), "x");
  EXPECT_EQ(CellText(Cell()), "null");
  EXPECT_FALSE(FiniteNumber(Cell(std::nan(""))));
  EXPECT_FALSE(FiniteNumber(Cell(std::string("1"))));
  EXPECT_EQ(*FiniteNumber(Cell(3.0)), 3.0);
}

TEST(ChartOptions, TypedGetters) {
  ChartOptions o{{"Width", "800"}, {"diagonal", "yes"}, {"radius", "1.5"}};
  EXPECT_TRUE(o.Has("width"));
  EXPECT_EQ(o.GetInt("width", 720, 100, 1000), 800);
  EXPECT_EQ(o.GetInt("height", 480, 100, 1000), 480);
  EXPECT_TRUE(o.GetBool("diagonal", false));
  EXPECT_DOUBLE_EQ(o.GetDouble("radius", 3), 1.5);
  EXPECT_THROW(o.GetInt("width", 720, 100, 500), CqlError);
  ChartOptions bad{{"width", "wide"}, {"diagonal", "maybe"}};
  EXPECT_THROW(bad.GetInt("width", 720, 100, 1000), CqlError);
  EXPECT_THROW(bad.GetBool("diagonal", false), CqlError);
  EXPECT_EQ(o.Names(), (std::vector<std::string>{"diagonal", "radius", "width"}));
}

}  // namespace
}  // namespace helenus::chart
