#include "helenus/common/strings.h"

#include <gtest/gtest.h>

namespace helenus {
namespace {

TEST(StringsTest, CaseChangesOnlyAsciiLetters) {
  EXPECT_EQ(AsciiUpper("Copy ks.t_1 FROM 'é'"), "COPY KS.T_1 FROM 'é'");
  EXPECT_EQ(AsciiLower("WITH Header=TRUE"), "with header=true");
}

TEST(StringsTest, HexEncodesEveryByte) {
  EXPECT_EQ(HexEncode(std::string("\x00\x0f\xa0\xff", 4)), "000fa0ff");
  EXPECT_EQ(HexEncode(""), "");
}

}  // namespace
}  // namespace helenus
