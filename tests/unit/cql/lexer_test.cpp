#include "helenus/cql/lexer.h"

#include <gtest/gtest.h>

#include "helenus/common/error.h"

namespace helenus::cql {
namespace {

std::vector<TokenKind> Kinds(std::string_view s) {
  std::vector<TokenKind> out;
  for (const auto& t : Tokenize(s)) out.push_back(t.kind);
  return out;
}

TEST(LexerTest, EndsWithEof) {
  auto toks = Tokenize("");
  ASSERT_EQ(toks.size(), 1u);
  EXPECT_EQ(toks[0].kind, TokenKind::kEof);
}

TEST(LexerTest, IdentifiersAreLowercased) {
  auto toks = Tokenize("SELECT FooBar");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0].text, "select");
  EXPECT_EQ(toks[1].text, "foobar");
  EXPECT_EQ(toks[1].raw, "FooBar");
}

TEST(LexerTest, QuotedNameKeepsCaseAndUnescapes) {
  auto toks = Tokenize(R"("MyKs" "a""b")");
  EXPECT_EQ(toks[0].kind, TokenKind::kQuotedName);
  EXPECT_EQ(toks[0].text, "MyKs");
  EXPECT_EQ(toks[1].text, "a\"b");
}

TEST(LexerTest, Strings) {
  auto toks = Tokenize("'it''s' $$a'b$$ ''");
  EXPECT_EQ(toks[0].kind, TokenKind::kString);
  EXPECT_EQ(toks[0].text, "it's");
  EXPECT_EQ(toks[1].kind, TokenKind::kString);
  EXPECT_EQ(toks[1].text, "a'b");
  EXPECT_EQ(toks[2].kind, TokenKind::kString);
  EXPECT_EQ(toks[2].text, "");
}

TEST(LexerTest, Numbers) {
  auto toks = Tokenize("42 1.5 1e10 3.2E-5 2. 0xCAFE 0x");
  EXPECT_EQ(toks[0].kind, TokenKind::kInteger);
  EXPECT_EQ(toks[1].kind, TokenKind::kFloat);
  EXPECT_EQ(toks[2].kind, TokenKind::kFloat);
  EXPECT_EQ(toks[3].kind, TokenKind::kFloat);
  EXPECT_EQ(toks[3].text, "3.2E-5");
  EXPECT_EQ(toks[4].kind, TokenKind::kFloat);
  EXPECT_EQ(toks[5].kind, TokenKind::kHex);
  EXPECT_EQ(toks[5].text, "0xCAFE");
  EXPECT_EQ(toks[6].kind, TokenKind::kHex);
}

TEST(LexerTest, MinusIsSeparateToken) {
  EXPECT_EQ(Kinds("-3"), (std::vector{TokenKind::kMinus, TokenKind::kInteger, TokenKind::kEof}));
}

TEST(LexerTest, UuidsWinOverNumbersAndIdentifiers) {
  auto toks = Tokenize("123e4567-e89b-12d3-a456-426655440000 abcdef01-2345-6789-abcd-ef0123456789");
  ASSERT_EQ(toks.size(), 3u);
  EXPECT_EQ(toks[0].kind, TokenKind::kUuid);
  EXPECT_EQ(toks[0].text, "123e4567-e89b-12d3-a456-426655440000");
  EXPECT_EQ(toks[1].kind, TokenKind::kUuid);
}

TEST(LexerTest, Durations) {
  for (const char* d : {"12h30m", "1y2mo", "3w", "10ms", "5us", "7ns", "1d", "P1DT2H", "P2W",
                        "PT5M", "P1Y2M3D", "P0001-01-01T00:00:00", "1µs"}) {
    auto toks = Tokenize(d);
    ASSERT_EQ(toks.size(), 2u) << d;
    EXPECT_EQ(toks[0].kind, TokenKind::kDuration) << d;
    EXPECT_EQ(toks[0].text, d);
  }
}

TEST(LexerTest, IdentifiersThatLookLikeDurationsPrefixes) {
  for (const char* w : {"p", "pk", "pt", "price", "p1dx", "PT"}) {
    auto toks = Tokenize(w);
    ASSERT_EQ(toks.size(), 2u) << w;
    EXPECT_EQ(toks[0].kind, TokenKind::kIdentifier) << w;
  }
}

TEST(LexerTest, Operators) {
  EXPECT_EQ(Kinds("= != < <= > >= += -= + - ? : . , ; * ( ) [ ] { }"),
            (std::vector{
                TokenKind::kEq,     TokenKind::kNe,     TokenKind::kLt,        TokenKind::kLe,
                TokenKind::kGt,     TokenKind::kGe,     TokenKind::kPlusEq,    TokenKind::kMinusEq,
                TokenKind::kPlus,   TokenKind::kMinus,  TokenKind::kQmark,     TokenKind::kColon,
                TokenKind::kDot,    TokenKind::kComma,  TokenKind::kSemicolon, TokenKind::kStar,
                TokenKind::kLParen, TokenKind::kRParen, TokenKind::kLBracket,  TokenKind::kRBracket,
                TokenKind::kLBrace, TokenKind::kRBrace, TokenKind::kEof}));
}

TEST(LexerTest, NestedTypeClosersAreSeparate) {
  EXPECT_EQ(Kinds("list<int>>"),
            (std::vector{TokenKind::kIdentifier, TokenKind::kLt, TokenKind::kIdentifier,
                         TokenKind::kGt, TokenKind::kGt, TokenKind::kEof}));
}

TEST(LexerTest, CommentsAreSkipped) {
  auto toks = Tokenize("a -- one\n b // two\n /* three\n */ c");
  ASSERT_EQ(toks.size(), 4u);
  EXPECT_EQ(toks[2].text, "c");
  EXPECT_EQ(toks[2].line, 4u);
  EXPECT_EQ(toks[2].column, 4u);
}

TEST(LexerTest, PositionsAreLineAndZeroBasedColumn) {
  auto toks = Tokenize("SELECT *\n  FROM t");
  EXPECT_EQ(toks[2].line, 2u);
  EXPECT_EQ(toks[2].column, 2u);
  EXPECT_EQ(toks[2].offset, 11u);
}

void ExpectSyntaxError(std::string_view s, std::string_view fragment) {
  try {
    Tokenize(s);
    ADD_FAILURE() << "no error for " << s;
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kSyntax);
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(LexerTest, Errors) {
  ExpectSyntaxError("'abc", "line 1:4");
  ExpectSyntaxError("\"abc", "<EOF>");
  ExpectSyntaxError("/* abc", "unterminated comment");
  ExpectSyntaxError("a # b", "line 1:2 token recognition error at: '#'");
  ExpectSyntaxError("a !b", "'!'");
  ExpectSyntaxError("$$abc", "<EOF>");
  ExpectSyntaxError("x \"\"", "line 1:2");
}

}  // namespace
}  // namespace helenus::cql
