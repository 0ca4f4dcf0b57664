#include "helenus/shell/csv.h"

#include <sstream>

#include <gtest/gtest.h>

namespace helenus::shell {
namespace {

std::vector<CsvRecord> ReadAll(const std::string& text, CsvOptions o = {}) {
  std::istringstream in(text);
  CsvReader r(in, o);
  std::vector<CsvRecord> out;
  while (auto rec = r.Next()) out.push_back(*rec);
  return out;
}

std::vector<std::string> Texts(const CsvRecord& r) {
  std::vector<std::string> out;
  for (const auto& f : r.fields) out.push_back(f.text);
  return out;
}

TEST(CsvReader, PlainAndQuoted) {
  auto recs = ReadAll("1,\"Toy Story, The (1995)\",Comedy\n2,\"say \"\"hi\"\"\",x\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(Texts(recs[0]), (std::vector<std::string>{"1", "Toy Story, The (1995)", "Comedy"}));
  EXPECT_EQ(Texts(recs[1]), (std::vector<std::string>{"2", "say \"hi\"", "x"}));
  EXPECT_TRUE(recs[0].fields[1].quoted);
  EXPECT_EQ(recs[1].line, 2);
}

TEST(CsvReader, EmbeddedNewlineKeepsLineNumbers) {
  auto recs = ReadAll("a,\"two\nlines\"\nb,c\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields[1].text, "two\nlines");
  EXPECT_EQ(recs[0].line, 1);
  EXPECT_EQ(recs[1].line, 3);
}

TEST(CsvReader, SkipsBomAndCrLf) {
  auto recs = ReadAll("\xEF\xBB\xBFid,name\r\n1,x\r\n");
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_EQ(recs[0].fields[0].text, "id");
  EXPECT_EQ(recs[1].fields[1].text, "x");
}

TEST(CsvReader, SemicolonAndTab) {
  CsvOptions semi;
  semi.delimiter = ';';
  EXPECT_EQ(Texts(ReadAll("7.4;0.7;\"a;b\"\n", semi)[0]),
            (std::vector<std::string>{"7.4", "0.7", "a;b"}));
  CsvOptions tab;
  tab.delimiter = '\t';
  EXPECT_EQ(Texts(ReadAll("1\t2\t3\n", tab)[0]), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(CsvReader, NullMarkersAndEmptyFields) {
  auto recs = ReadAll("1,,\"\"\n");
  ASSERT_EQ(recs[0].fields.size(), 3u);
  EXPECT_FALSE(recs[0].fields[1].quoted);  // unquoted empty: the default null marker
  EXPECT_TRUE(recs[0].fields[2].quoted);   // quoted empty: an empty string
}

TEST(CsvReader, MalformedLinesReportTheirLine) {
  auto recs = ReadAll("ok,1\n\"bad\"x,2\nfine,3\n");
  ASSERT_EQ(recs.size(), 3u);
  EXPECT_TRUE(recs[0].error.empty());
  EXPECT_FALSE(recs[1].error.empty());
  EXPECT_EQ(recs[1].line, 2);
  EXPECT_TRUE(recs[2].error.empty());
  auto open = ReadAll("x,\"never closed\n");
  ASSERT_EQ(open.size(), 1u);
  EXPECT_NE(open[0].error.find("unterminated"), std::string::npos);
}

TEST(CsvReader, BackslashesAreTextUnlessEscapeIsSet) {
  // A movies.csv line: RFC 4180 keeps backslashes and doubles quotes.
  auto recs = ReadAll("7789,\"11'09\\\\\"\"01 - September 11 (2002)\"\"\",Drama\n");
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_TRUE(recs[0].error.empty()) << recs[0].error;
  EXPECT_EQ(recs[0].fields[1].text, "11'09\\\\\"01 - September 11 (2002)\"");
  CsvOptions esc;
  esc.escape = '\\';
  EXPECT_EQ(ReadAll("\"a\\\"b\",c\n", esc)[0].fields[0].text, "a\"b");
}

TEST(CsvWriter, QuotesWhatNeedsIt) {
  CsvOptions o;
  EXPECT_EQ(CsvLine({"a", "b,c", "say \"x\"", std::nullopt, ""}, o),
            "a,\"b,c\",\"say \"\"x\"\"\",,\"\"\n");
  // What the writer writes, the reader reads back.
  std::string line = CsvLine({"multi\nline", "plain"}, o);
  auto recs = ReadAll(line);
  ASSERT_EQ(recs.size(), 1u);
  EXPECT_EQ(recs[0].fields[0].text, "multi\nline");
  // With ESCAPE set, quotes and escapes are escaped and read back intact.
  CsvOptions esc;
  esc.escape = '\\';
  std::string tricky = "a\\b\"c";
  auto back = ReadAll(CsvLine({tricky}, esc), esc);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].fields[0].text, tricky);
}

}  // namespace
}  // namespace helenus::shell
