#include "helenus/chart/scale.h"

#include <cmath>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "helenus/chart/palette.h"

namespace helenus::chart {
namespace {

TEST(NiceTicks, UnitRangeStepsByTwoTenths) {
  Ticks t = NiceTicks(0, 1, 5);
  EXPECT_DOUBLE_EQ(t.step, 0.2);
  ASSERT_EQ(t.values.size(), 6u);
  EXPECT_DOUBLE_EQ(t.lo, 0);
  EXPECT_DOUBLE_EQ(t.hi, 1);
  EXPECT_EQ(FormatTick(t.values[3], t.step), "0.6");
}

TEST(NiceTicks, CoversTheRangeWithOneTwoFiveSteps) {
  for (auto [lo, hi] : std::vector<std::pair<double, double>>{
           {0, 97}, {-3.2, 7.9}, {0.001, 0.0042}, {12345, 98765}, {-50, -10}, {0.3, 0.9}}) {
    Ticks t = NiceTicks(lo, hi, 5);
    EXPECT_LE(t.lo, lo);
    EXPECT_GE(t.hi, hi);
    double mantissa = t.step / std::pow(10.0, std::floor(std::log10(t.step)));
    EXPECT_TRUE(std::fabs(mantissa - 1) < 1e-9 || std::fabs(mantissa - 2) < 1e-9 ||
                std::fabs(mantissa - 5) < 1e-9)
        << t.step;
    EXPECT_GE(t.values.size(), 3u);
    EXPECT_LE(t.values.size(), 12u);
  }
  Ticks t = NiceTicks(0, 97, 5);
  EXPECT_DOUBLE_EQ(t.step, 20);
  EXPECT_DOUBLE_EQ(t.hi, 100);
}

TEST(NiceTicks, ExactBoundsStayTicks) {
  Ticks t = NiceTicks(0.3, 0.9, 6);
  EXPECT_NEAR(t.lo, 0.3, 1e-12);
  EXPECT_NEAR(t.hi, 0.9, 1e-12);
}

TEST(NiceTicks, OneValueGetsRoom) {
  Ticks t = NiceTicks(5, 5, 5);
  EXPECT_LT(t.lo, 5);
  EXPECT_GT(t.hi, 5);
  Ticks z = NiceTicks(0, 0, 5);
  EXPECT_LT(z.lo, 0);
  EXPECT_GT(z.hi, 0);
}

TEST(NiceTicks, ZeroIsExactlyZero) {
  Ticks t = NiceTicks(-0.3, 0.3, 6);
  bool has_zero = false;
  for (double v : t.values) has_zero = has_zero || v == 0;
  EXPECT_TRUE(has_zero);
  EXPECT_EQ(FormatTick(-1e-18, t.step), "0");
}

TEST(FormatTick, DecimalsFollowTheStep) {
  EXPECT_EQ(FormatTick(1000, 200), "1000");
  EXPECT_EQ(FormatTick(0.05, 0.05), "0.05");
  EXPECT_EQ(FormatTick(2.5, 0.5), "2.5");
  EXPECT_EQ(FormatTick(20000000, 5000000), "2e+07");
}

TEST(FormatNumber, IntegersWholeOthersFourDigits) {
  EXPECT_EQ(FormatNumber(42), "42");
  EXPECT_EQ(FormatNumber(0.123456), "0.1235");
  EXPECT_EQ(FormatNumber(-3.14159), "-3.142");
  EXPECT_EQ(FormatNumber(1234.56), "1234.6");
  EXPECT_EQ(FormatNumber(0), "0");
}

TEST(LinearScale, MapsAndInverts) {
  LinearScale s(0, 10, 100, 200);
  EXPECT_DOUBLE_EQ(s(5), 150);
  LinearScale flipped(0, 1, 400, 0);
  EXPECT_DOUBLE_EQ(flipped(0.25), 300);
  LinearScale flat(3, 3, 0, 10);
  EXPECT_DOUBLE_EQ(flat(3), 5);
}

TEST(Palette, CategoricalRepeatsAndRampIsMonotone) {
  EXPECT_EQ(CategoricalColor(0), "#4e79a7");
  EXPECT_EQ(CategoricalColor(10), CategoricalColor(0));
  EXPECT_EQ(SequentialColor(0), "#f7fbff");
  EXPECT_EQ(SequentialColor(1), "#08306b");
  EXPECT_EQ(SequentialColor(2), SequentialColor(1));
  EXPECT_EQ(TextColorOn(0.1), "#1a1a1a");
  EXPECT_EQ(TextColorOn(0.9), "#ffffff");
}

}  // namespace
}  // namespace helenus::chart
