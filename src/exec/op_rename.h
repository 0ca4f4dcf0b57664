#pragma once

#include "helenus/exec/operator.h"

namespace helenus::exec {

// The child's rows under schema's names and qualifiers (same types and count).
OperatorPtr MakeRename(OperatorPtr child, Schema schema);

}  // namespace helenus::exec
