#pragma once

// Name resolution shared by the analytic and ML statements.

#include <string>
#include <string_view>

#include "helenus/common/error.h"
#include "helenus/query/processor.h"

namespace helenus::sql {

// ks, or the session's keyspace when ks is empty (Invalid when there is none).
inline std::string KeyspaceFor(const query::ClientState& state, std::string_view ks) {
  if (!ks.empty()) return std::string(ks);
  if (state.keyspace.empty()) {
    ThrowInvalid(
        "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
  }
  return state.keyspace;
}

}  // namespace helenus::sql
