#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace helenus::cql {

// Lexical token kinds of CQL.
enum class TokenKind : uint8_t {
  kIdentifier,  // unquoted word, keywords included; text lowercased
  kQuotedName,  // "Name"; text = content with "" unescaped
  kString,      // '...' or $$...$$; text = content with '' unescaped
  kInteger,     // 123 (unsigned; the parser folds a leading '-')
  kFloat,       // 1.5, 1e10, 3.2E-5
  kUuid,        // 123e4567-e89b-12d3-a456-426655440000
  kHex,         // 0xCAFE
  kDuration,    // 12h30m, P1DT2H, P0001-01-01T00:00:00
  kQmark,       // ?
  kLParen,      // (
  kRParen,      // )
  kLBracket,    // [
  kRBracket,    // ]
  kLBrace,      // {
  kRBrace,      // }
  kComma,       // ,
  kSemicolon,   // ;
  kDot,         // .
  kColon,       // :
  kStar,        // *
  kPlus,        // +
  kMinus,       // -
  kPlusEq,      // +=
  kMinusEq,     // -=
  kEq,          // =
  kNe,          // !=
  kLt,          // <
  kLe,          // <=
  kGt,          // >
  kGe,          // >=
  kSlash,       // /  (SQL only; `//` starts a comment)
  kPercent,     // %  (SQL only)
  kConcat,      // || (SQL only)
  kLtGt,        // <> (SQL only; CQL spells it !=)
  kEof,         // end of input
};

// One token with its position (line 1-based, column 0-based as ANTLR reports).
struct Token {
  TokenKind kind = TokenKind::kEof;
  std::string_view raw;  // the source text of the token
  std::string text;      // normalized text (see TokenKind)
  uint32_t line = 1;
  uint32_t column = 0;
  uint32_t offset = 0;
};

// Splits CQL text into tokens ending with one kEof. Whitespace and comments
// (--, //, /* */) are skipped. Throws CqlError(kSyntax) on malformed input
// (unterminated string or comment, unexpected character).
std::vector<Token> Tokenize(std::string_view cql);

// A readable name for a token kind in error messages ("IDENT", "')'", ...).
std::string_view TokenKindName(TokenKind kind);

}  // namespace helenus::cql
