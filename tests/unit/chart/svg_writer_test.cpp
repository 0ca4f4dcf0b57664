#include "helenus/chart/svg_writer.h"

#include <gtest/gtest.h>

#include "svg_check.h"

namespace helenus::chart {
namespace {

TEST(SvgWriter, EscapesMarkupCharacters) {
  EXPECT_EQ(XmlEscape("a<b & 'c' \"d\">"), "a&lt;b &amp; &apos;c&apos; &quot;d&quot;&gt;");
  EXPECT_EQ(XmlEscape("plain"), "plain");
  EXPECT_EQ(XmlEscape(std::string("a\x01z")), "a z");
}

TEST(SvgWriter, NumbersAreShort) {
  EXPECT_EQ(SvgNumber(12), "12");
  EXPECT_EQ(SvgNumber(12.5), "12.5");
  EXPECT_EQ(SvgNumber(1.23456), "1.23");
  EXPECT_EQ(SvgNumber(-0.001), "0");
}

TEST(SvgWriter, WritesAWellFormedDocument) {
  SvgWriter svg(100, 50);
  svg.Title("<t&>");
  svg.OpenGroup("fill=\"red\"");
  svg.Circle(1, 2, 3);
  svg.Text(5, 6, "x < y & 'z'", "middle");
  svg.OpenGroup("");  // left open: Finish closes it
  svg.Line(0, 0, 10, 10, "#000", 1);
  svg.Polyline({{0, 0}, {1, 2}}, "#111", 2);
  std::string doc = svg.Finish();
  EXPECT_EQ(testing::SvgProblem(doc), "") << doc;
  EXPECT_EQ(testing::CountElements(doc, "g"), 2u);
  EXPECT_EQ(testing::CountElements(doc, "circle"), 1u);
  EXPECT_NE(doc.find("<title>&lt;t&amp;&gt;</title>"), std::string::npos);
  EXPECT_NE(doc.find("x &lt; y &amp; &apos;z&apos;"), std::string::npos);
  EXPECT_NE(doc.find("points=\"0,0 1,2\""), std::string::npos);
}

TEST(SvgCheck, CatchesBrokenMarkup) {
  EXPECT_NE(testing::SvgProblem("<svg><g></svg>"), "");
  EXPECT_NE(testing::SvgProblem("<svg><text>a < b</text></svg>"), "");
  EXPECT_NE(testing::SvgProblem("<svg><text>a & b</text></svg>"), "");
  EXPECT_NE(testing::SvgProblem("<svg x=1/>"), "");
  EXPECT_EQ(testing::SvgProblem("<?xml version=\"1.0\"?><svg a=\"1\"><g/></svg>"), "");
}

}  // namespace
}  // namespace helenus::chart
