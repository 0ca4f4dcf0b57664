// The SQL operators the CQL lexer gained for the SQL parser.
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

TEST(SqlLexerTest, SqlOperators) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("a/b%c||d<>e"),
            (std::vector<K>{K::kIdentifier, K::kSlash, K::kIdentifier, K::kPercent, K::kIdentifier,
                            K::kConcat, K::kIdentifier, K::kLtGt, K::kIdentifier, K::kEof}));
  EXPECT_EQ(Kinds("< > <= >= <>"),
            (std::vector<K>{K::kLt, K::kGt, K::kLe, K::kGe, K::kLtGt, K::kEof}));
  EXPECT_EQ(TokenKindName(K::kSlash), "'/'");
  EXPECT_EQ(TokenKindName(K::kPercent), "'%'");
  EXPECT_EQ(TokenKindName(K::kConcat), "'||'");
  EXPECT_EQ(TokenKindName(K::kLtGt), "'<>'");
}

TEST(SqlLexerTest, CommentsStayComments) {
  using K = TokenKind;
  EXPECT_EQ(Kinds("a // b / c\n/ d"),
            (std::vector<K>{K::kIdentifier, K::kSlash, K::kIdentifier, K::kEof}));
  EXPECT_EQ(Kinds("a /* / */ / b"),
            (std::vector<K>{K::kIdentifier, K::kSlash, K::kIdentifier, K::kEof}));
  EXPECT_EQ(Kinds("1/2"), (std::vector<K>{K::kInteger, K::kSlash, K::kInteger, K::kEof}));
}

TEST(SqlLexerTest, SingleBarIsAnError) {
  try {
    Tokenize("a | b");
    ADD_FAILURE() << "no error";
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), ErrorCode::kSyntax);
    EXPECT_STREQ(e.what(), "line 1:2 token recognition error at: '|'");
  }
}

}  // namespace
}  // namespace helenus::cql
