#pragma once

// Rows as a readable text table, for DataFrame::show and `helenus sql`.

#include <string>
#include <vector>

#include "helenus/exec/column.h"

namespace helenus::exec {

// An aligned table with a header row and a "(N rows)" footer; numbers are
// right-aligned, NULL prints as "null".
std::string FormatRows(const Schema& schema, const std::vector<Batch>& batches);

}  // namespace helenus::exec
