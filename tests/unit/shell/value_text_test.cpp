#include "helenus/shell/value_text.h"

#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/cql/value_codec.h"

namespace helenus::shell {
namespace {

DataType T(const char* text) {
  return *ParseDataType(text);
}

std::string RoundTrip(const char* type, const char* text, TextStyle style = TextStyle::kCsv) {
  return FormatValue(T(type), ParseValueText(T(type), text), style);
}

TEST(ValueText, Scalars) {
  EXPECT_EQ(ParseValueText(T("int"), "42"), cql::EncodeInt(42));
  EXPECT_EQ(ParseValueText(T("int"), " 42 "), cql::EncodeInt(42));
  EXPECT_EQ(ParseValueText(T("bigint"), "-9000000000"), cql::EncodeBigint(-9000000000LL));
  EXPECT_EQ(ParseValueText(T("float"), "7.4"), cql::EncodeFloat(7.4f));
  EXPECT_EQ(ParseValueText(T("double"), "0.99"), cql::EncodeDouble(0.99));
  EXPECT_EQ(ParseValueText(T("text"), " as is "), " as is ");
  EXPECT_EQ(ParseValueText(T("boolean"), "True"), cql::EncodeBoolean(true));
  EXPECT_EQ(RoundTrip("varint", "123456789012345678901234567890"),
            "123456789012345678901234567890");
  EXPECT_EQ(RoundTrip("decimal", "-1.50"), "-1.50");
}

TEST(ValueText, Errors) {
  EXPECT_THROW(ParseValueText(T("int"), "abc"), CqlError);
  EXPECT_THROW(ParseValueText(T("int"), "99999999999"), CqlError);
  EXPECT_THROW(ParseValueText(T("timestamp"), "4/2/05 23:53"), CqlError);
  EXPECT_THROW(ParseValueText(T("list<int>"), "[1, 2"), CqlError);
}

TEST(ValueText, Timestamps) {
  int64_t ms = 1577934245000;  // 2020-01-02 03:04:05 UTC
  EXPECT_EQ(ParseValueText(T("timestamp"), "2020-01-02 03:04:05+0000"), cql::EncodeBigint(ms));
  EXPECT_EQ(ParseValueText(T("timestamp"), "2020-01-02T03:04:05Z"), cql::EncodeBigint(ms));
  EXPECT_EQ(FormatValue(T("timestamp"), cql::EncodeBigint(ms), TextStyle::kDisplay),
            "2020-01-02 03:04:05.000000+0000");
  EXPECT_EQ(RoundTrip("timestamp", "2020-01-02 03:04:05.123+0000"), "2020-01-02 03:04:05.123+0000");
}

TEST(ValueText, Collections) {
  EXPECT_EQ(RoundTrip("list<int>", "[1,2, 3]"), "[1, 2, 3]");
  EXPECT_EQ(RoundTrip("set<text>", "{'b', 'a'}"), "{'b', 'a'}");
  EXPECT_EQ(RoundTrip("map<text, int>", "{'a': 1, 'it''s': 2}"), "{'a': 1, 'it''s': 2}");
  EXPECT_EQ(RoundTrip("list<frozen<list<int>>>", "[[1], [2, 3]]"), "[[1], [2, 3]]");
  EXPECT_EQ(RoundTrip("tuple<int, text>", "(1, 'x')"), "(1, 'x')");
}

TEST(ValueText, DisplayLikeCqlsh) {
  EXPECT_EQ(FormatValue(T("text"), std::string("abc"), TextStyle::kDisplay), "abc");
  EXPECT_EQ(FormatValue(T("int"), std::nullopt, TextStyle::kDisplay), "null");
  EXPECT_EQ(FormatValue(T("boolean"), cql::EncodeBoolean(false), TextStyle::kDisplay), "False");
  EXPECT_EQ(FormatValue(T("blob"), std::string("\x01\xff", 2), TextStyle::kDisplay), "0x01ff");
  EXPECT_EQ(FormatValue(T("float"), cql::EncodeFloat(7.4f), TextStyle::kDisplay), "7.4");
  EXPECT_EQ(FormatValue(T("double"), cql::EncodeDouble(1.0 / 3), TextStyle::kDisplay), "0.33333");
  EXPECT_EQ(FormatValue(T("double"), cql::EncodeDouble(1234.56789), TextStyle::kDisplay),
            "1234.56789");
  // CSV output keeps every digit that round-trips.
  EXPECT_EQ(FormatValue(T("double"), cql::EncodeDouble(1.0 / 3), TextStyle::kCsv),
            "0.3333333333333333");
  EXPECT_EQ(FormatFloating(1e20, 5), "1e+20");
}

}  // namespace
}  // namespace helenus::shell
