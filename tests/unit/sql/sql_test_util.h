#pragma once

// Helpers shared by the SQL unit tests: error expectations and AST printing.

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "ast_printer.h"
#include "helenus/common/error.h"
#include "helenus/sql/parser.h"

namespace helenus::sql {

// Expects Parse(text) to throw CqlError(code) whose message contains `want`.
inline void ExpectParseError(std::string_view text, ErrorCode code, std::string_view want) {
  try {
    Parse(text);
    ADD_FAILURE() << "parsed without error: " << text.substr(0, 200);
  } catch (const CqlError& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_NE(std::string(e.what()).find(want), std::string::npos)
        << "message: " << e.what() << "\nwanted: " << want;
  }
}

// Expects a syntax error whose message contains `want`.
inline void ExpectSyntaxError(std::string_view text, std::string_view want) {
  ExpectParseError(text, ErrorCode::kSyntax, want);
}

// Expects an Invalid error whose message contains `want`.
inline void ExpectInvalid(std::string_view text, std::string_view want) {
  ExpectParseError(text, ErrorCode::kInvalid, want);
}

}  // namespace helenus::sql
