// The CQL parser and statement splitter on arbitrary text: only CqlError may escape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "helenus/common/error.h"
#include "helenus/cql/parser.h"

namespace cql = helenus::cql;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    cql::ParsedStatement p = cql::ParseStatement(text);
    // Every marker has a name slot ("" for '?').
    if (p.bind_names.size() != p.bind_count) __builtin_trap();
  } catch (const helenus::CqlError&) {
  }
  try {
    for (const auto& piece : cql::SplitStatements(text)) {
      if (piece.empty()) __builtin_trap();  // empty pieces are dropped
      try {
        cql::ParseStatement(piece);
      } catch (const helenus::CqlError&) {
      }
    }
  } catch (const helenus::CqlError&) {
  }
  return 0;
}
