#include "helenus/shell/table_printer.h"

#include <gtest/gtest.h>

namespace helenus::shell {
namespace {

TEST(TablePrinter, AlignsLikeCqlsh) {
  std::string t = FormatTable({"userid", "title"}, {{"1", "Toy Story"}, {"100", "Héat"}});
  EXPECT_EQ(t,
            " userid | title    \n"
            "--------+-----------\n"
            "      1 | Toy Story\n"
            "    100 |      Héat\n");
}

TEST(TablePrinter, EmptyResultKeepsHeader) {
  EXPECT_EQ(FormatTable({"a"}, {}), " a\n---\n");
}

TEST(TablePrinter, Expanded) {
  std::string t = FormatExpanded({"id", "name"}, {{"1", "x"}}, 1);
  EXPECT_EQ(t, "\n@ Row 1\n------+---\n id   | 1\n name | x\n");
}

TEST(TablePrinter, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(DisplayWidth("héat"), 4u);
  EXPECT_EQ(DisplayWidth(""), 0u);
}

}  // namespace
}  // namespace helenus::shell
