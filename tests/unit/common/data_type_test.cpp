#include "helenus/common/data_type.h"

#include <gtest/gtest.h>

namespace helenus {
namespace {

TEST(DataTypeTest, RoundTripsCqlSpelling) {
  for (const char* s : {"int", "text", "frozen<list<int>>", "map<text, bigint>",
                        "set<frozen<map<int, text>>>", "frozen<tuple<int, text, double>>"}) {
    auto t = ParseDataType(s);
    ASSERT_TRUE(t) << s;
    EXPECT_EQ(t->ToCql(), s);
  }
}

TEST(DataTypeTest, TuplesAreFrozen) {
  auto t = ParseDataType("tuple<int, text>");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->frozen);
  EXPECT_EQ(t->ToCql(), "frozen<tuple<int, text>>");
}

TEST(DataTypeTest, VarcharIsText) {
  auto t = ParseDataType("VARCHAR");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, TypeKind::kText);
  EXPECT_EQ(t->ToCql(), "text");
}

TEST(DataTypeTest, RejectsMalformed) {
  for (const char* s : {"", "lst<int>", "map<int>", "list<int", "frozen<>", "int x"}) {
    EXPECT_FALSE(ParseDataType(s)) << s;
  }
}

TEST(DataTypeTest, MultiCellOnlyForUnfrozenCollections) {
  EXPECT_TRUE(ParseDataType("list<int>")->IsMultiCell());
  EXPECT_FALSE(ParseDataType("frozen<list<int>>")->IsMultiCell());
  EXPECT_FALSE(ParseDataType("tuple<int>")->IsMultiCell());
}

}  // namespace
}  // namespace helenus
