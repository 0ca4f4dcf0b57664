#include <cmath>
#include <functional>
#include <string>

#include <gtest/gtest.h>

#include "helenus/chart/chart.h"
#include "helenus/common/error.h"
#include "svg_check.h"

namespace helenus::chart {
namespace {

using testing::CountElements;
using testing::SvgProblem;

std::string InvalidMessage(const std::function<void()>& f) {
  try {
    f();
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalid);
    return e.what();
  }
  ADD_FAILURE() << "no CqlError";
  return "";
}

size_t Count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

// status_type, num_likes, num_comments, prediction: the k-means output's shape.
Table Posts(size_t n) {
  Table t({"status_type", "num_likes", "num_comments", "prediction"});
  for (size_t i = 0; i < n; ++i) {
    t.AddRow({std::string(i % 3 == 0 ? "video" : "photo"), static_cast<double>(i * 7 % 1000),
              static_cast<double>(i % 97), static_cast<double>(i % 2)});
  }
  return t;
}

TEST(Scatter, TenThousandPointsOneCircleEach) {
  ChartResult r = RenderChart("scatter", Posts(10000), {});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(r.points, 10000u);
  EXPECT_EQ(r.skipped, 0u);
  EXPECT_EQ(CountElements(r.svg, "circle"), 10000u);
  // Defaults: x, y = the first two numeric columns, colour = the first text column.
  EXPECT_NE(r.svg.find(">num_likes</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">num_comments</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">status_type</text>"), std::string::npos);  // legend title
  EXPECT_NE(r.svg.find(">video</text>"), std::string::npos);
  EXPECT_EQ(Count(r.svg, "class=\"points\""), 2u);
  EXPECT_LT(r.svg.size(), 1'000'000u);
}

TEST(Scatter, ColourByNumericClusterIds) {
  ChartResult r = RenderChart("scatter", Posts(50),
                              {{"x", "num_likes"}, {"y", "num_comments"}, {"color", "prediction"}});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(Count(r.svg, "class=\"points\""), 2u);
  EXPECT_NE(r.svg.find(">0</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">1</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">prediction</text>"), std::string::npos);
}

TEST(Scatter, NoColourColumnMeansOneGroupAndNoLegend) {
  Table t({"a", "b"});
  t.AddRow({1.0, 2.0});
  t.AddRow({2.0, 4.0});
  ChartResult r = RenderChart("scatter", t, {{"title", "Plain"}});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(Count(r.svg, "class=\"points\""), 1u);
  EXPECT_EQ(CountElements(r.svg, "circle"), 2u);
  EXPECT_NE(r.svg.find("<title>Plain</title>"), std::string::npos);
  ChartResult none = RenderChart("scatter", Posts(10), {{"color", "none"}});
  EXPECT_EQ(Count(none.svg, "class=\"points\""), 1u);
}

TEST(Scatter, NullAndNanRowsAreSkippedAndCounted) {
  Table t({"x", "y"});
  t.AddRow({1.0, 1.0});
  t.AddRow({std::monostate{}, 2.0});
  t.AddRow({3.0, std::nan("")});
  t.AddRow({4.0, 4.0});
  ChartResult r = RenderChart("scatter", t, {});
  EXPECT_EQ(r.points, 2u);
  EXPECT_EQ(r.skipped, 2u);
  EXPECT_EQ(CountElements(r.svg, "circle"), 2u);
}

TEST(Scatter, EscapesEveryText) {
  Table t({"x<&", "y'\""});
  t.AddRow({1.0, 2.0});
  Table colored({"x", "y", "kind"});
  colored.AddRow({1.0, 2.0, std::string("<b>&'\"")});
  ChartResult r = RenderChart("scatter", t, {{"title", "T <&'\"> T"}});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_NE(r.svg.find("T &lt;&amp;&apos;&quot;&gt; T"), std::string::npos);
  EXPECT_NE(r.svg.find("x&lt;&amp;"), std::string::npos);
  ChartResult c = RenderChart("scatter", colored, {});
  EXPECT_EQ(SvgProblem(c.svg), "");
  EXPECT_NE(c.svg.find("&lt;b&gt;&amp;&apos;&quot;"), std::string::npos);
}

TEST(Line, SortsByXPerSeriesAndDrawsTheDiagonal) {
  Table t({"threshold", "fpr", "tpr"});
  t.AddRow({0.9, 0.5, 0.9});
  t.AddRow({1.0, 0.0, 0.0});
  t.AddRow({0.1, 1.0, 1.0});
  t.AddRow({0.5, 0.2, 0.7});
  ChartResult r =
      RenderChart("line", t, {{"x", "fpr"}, {"y", "tpr"}, {"diagonal", "true"}, {"title", "ROC"}});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(r.points, 4u);
  EXPECT_EQ(CountElements(r.svg, "polyline"), 1u);
  EXPECT_EQ(Count(r.svg, "class=\"diagonal\""), 1u);
  // Points in x order: fpr 0, 0.2, 0.5, 1 -> the polyline's x pixels increase.
  size_t at = r.svg.find("points=\"");
  ASSERT_NE(at, std::string::npos);
  std::string pts = r.svg.substr(at + 8, r.svg.find('"', at + 8) - at - 8);
  double last = -1;
  for (size_t p = 0; p < pts.size();) {
    double x = std::stod(pts.substr(p));
    EXPECT_GT(x, last);
    last = x;
    p = pts.find(' ', p);
    if (p == std::string::npos) break;
    ++p;
  }
  // Defaults: the first two numeric columns.
  ChartResult d = RenderChart("line", t, {});
  EXPECT_NE(d.svg.find(">threshold</text>"), std::string::npos);
  EXPECT_EQ(Count(d.svg, "class=\"diagonal\""), 0u);
}

TEST(Line, OneLinePerSeriesWithLegend) {
  Table t({"model", "epoch", "loss"});
  for (int i = 0; i < 10; ++i) {
    t.AddRow({std::string("a"), static_cast<double>(i), 1.0 / (i + 1)});
    t.AddRow({std::string("b"), static_cast<double>(i), 2.0 / (i + 1)});
  }
  ChartResult r = RenderChart("line", t, {{"series", "model"}});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(CountElements(r.svg, "polyline"), 2u);
  EXPECT_EQ(CountElements(r.svg, "circle"), 20u);  // short lines get markers
  EXPECT_NE(r.svg.find(">model</text>"), std::string::npos);
  ChartResult bare = RenderChart("line", t, {{"series", "model"}, {"markers", "false"}});
  EXPECT_EQ(CountElements(bare.svg, "circle"), 0u);
}

TEST(Bar, BarsInRowOrderWithValues) {
  Table t({"feature", "importance"});
  t.AddRow({std::string("alcohol"), 0.31});
  t.AddRow({std::string("sulphates"), 0.12});
  t.AddRow({std::string("ph"), 0.05});
  ChartResult r = RenderChart("bar", t, {});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(r.points, 3u);
  EXPECT_EQ(Count(r.svg, "<rect"), 1u + 3u);  // background + bars
  const size_t a = r.svg.find(">alcohol<"), s = r.svg.find(">sulphates<"), p = r.svg.find(">ph<");
  ASSERT_NE(a, std::string::npos);
  EXPECT_LT(a, s);
  EXPECT_LT(s, p);
  EXPECT_NE(r.svg.find(">0.31</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">importance</text>"), std::string::npos);
}

TEST(Bar, NegativeValuesAndNumericLabels) {
  Table t({"index", "coefficient"});
  t.AddRow({0.0, -1.5});
  t.AddRow({1.0, 2.25});
  // No text column: the label is the first column, the value the first numeric other one.
  ChartResult r = RenderChart("bar", t, {});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_NE(r.svg.find(">-1.5</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">2.25</text>"), std::string::npos);
}

TEST(Bar, ManyRowsGrowTheDefaultHeight) {
  Table t({"f", "v"});
  for (int i = 0; i < 60; ++i) t.AddRow({"feature_" + std::to_string(i), i * 0.01});
  ChartResult r = RenderChart("bar", t, {});
  EXPECT_EQ(r.svg.find("height=\"480\""), std::string::npos);
  ChartResult fixed = RenderChart("bar", t, {{"height", "480"}});
  EXPECT_NE(fixed.svg.find("height=\"480\""), std::string::npos);
}

TEST(Heatmap, ConfusionMatrixCellsInFirstAppearanceOrder) {
  Table t({"actual", "predicted", "count"});
  t.AddRow({std::string("malignant"), std::string("malignant"), 40.0});
  t.AddRow({std::string("malignant"), std::string("benign"), 3.0});
  t.AddRow({std::string("benign"), std::string("malignant"), 2.0});
  t.AddRow({std::string("benign"), std::string("benign"), 69.0});
  ChartResult r = RenderChart("heatmap", t, {{"title", "Confusion"}});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(r.points, 4u);
  EXPECT_EQ(Count(r.svg, "<rect"), 1u + 4u + 1u);  // background, cells, colour scale
  for (const char* v : {">40</text>", ">3</text>", ">2</text>", ">69</text>"}) {
    EXPECT_NE(r.svg.find(v), std::string::npos) << v;
  }
  EXPECT_NE(r.svg.find(">predicted</text>"), std::string::npos);
  EXPECT_NE(r.svg.find(">actual</text>"), std::string::npos);
  // The largest value gets the darkest colour and white text.
  EXPECT_NE(r.svg.find("fill=\"#08306b\""), std::string::npos);
  EXPECT_NE(r.svg.find("fill=\"#ffffff\">69</text>"), std::string::npos);
}

TEST(Heatmap, MissingCellsStayEmptyAndDuplicatesAdd) {
  Table t({"r", "c", "v"});
  t.AddRow({std::string("a"), std::string("x"), 1.0});
  t.AddRow({std::string("a"), std::string("x"), 2.0});
  t.AddRow({std::string("b"), std::string("y"), 5.0});
  t.AddRow({std::string("b"), std::string("y"), std::monostate{}});
  ChartResult r = RenderChart("heatmap", t, {});
  EXPECT_EQ(SvgProblem(r.svg), "");
  EXPECT_EQ(r.points, 2u);
  EXPECT_EQ(r.skipped, 1u);
  EXPECT_NE(r.svg.find(">3</text>"), std::string::npos);
  EXPECT_EQ(Count(r.svg, "#f2f2f2"), 2u);
}

TEST(Heatmap, NumericCategoriesAreSorted) {
  Table t({"quality", "prediction", "n"});
  t.AddRow({7.0, 6.0, 1.0});
  t.AddRow({6.0, 7.0, 2.0});
  t.AddRow({6.0, 6.0, 3.0});
  ChartResult r = RenderChart("heatmap", t, {});
  EXPECT_EQ(SvgProblem(r.svg), "");
  // Row labels are drawn top to bottom: 6 before 7.
  const size_t six = r.svg.find(">6</text>"), seven = r.svg.find(">7</text>");
  ASSERT_NE(six, std::string::npos);
  EXPECT_LT(six, seven);
}

TEST(Errors, NameTheProblem) {
  Table posts = Posts(5);
  EXPECT_NE(
      InvalidMessage([&] { RenderChart("pie", posts, {}); }).find("bar, heatmap, line, scatter"),
      std::string::npos);
  std::string unknown = InvalidMessage([&] { RenderChart("scatter", posts, {{"x", "no_such"}}); });
  EXPECT_NE(unknown.find("no_such"), std::string::npos);
  EXPECT_NE(unknown.find("status_type, num_likes, num_comments, prediction"), std::string::npos);
  std::string text = InvalidMessage([&] { RenderChart("scatter", posts, {{"y", "status_type"}}); });
  EXPECT_NE(text.find("not numeric"), std::string::npos);
  EXPECT_NE(text.find("video"), std::string::npos);
  EXPECT_NE(InvalidMessage([&] {
              RenderChart("bar", Table({"a", "b"}), {});
            }).find("no rows"),
            std::string::npos);
  EXPECT_NE(InvalidMessage([&] {
              RenderChart("line", posts, {{"colour", "x"}});
            }).find("Unknown option 'colour'"),
            std::string::npos);
  Table only_text({"a"});
  only_text.AddRow({std::string("x")});
  EXPECT_NE(InvalidMessage([&] { RenderChart("scatter", only_text, {}); }).find("needs"),
            std::string::npos);
  Table all_null({"x", "y"});
  all_null.AddRow({std::monostate{}, 1.0});
  EXPECT_NE(InvalidMessage([&] {
              RenderChart("scatter", all_null, {{"x", "x"}, {"y", "y"}});
            }).find("null or NaN"),
            std::string::npos);
  EXPECT_THROW(RenderChart("scatter", posts, {{"width", "10"}}), CqlError);
}

TEST(Registry, KindsAreSortedAndFoundCaseInsensitively) {
  std::vector<std::string> names;
  for (const auto& k : ChartKinds()) names.push_back(k.name);
  EXPECT_EQ(names, (std::vector<std::string>{"bar", "heatmap", "line", "scatter"}));
  EXPECT_EQ(FindChartKind("HeatMap").name, "heatmap");
}

}  // namespace
}  // namespace helenus::chart
