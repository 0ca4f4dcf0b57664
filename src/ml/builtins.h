#pragma once

// One registration function per algorithm file; builtins.cpp calls them all.

namespace helenus::ml {

class Registry;

// Registers every built-in estimator, transformer and model loader.
void RegisterBuiltins(Registry& r);

}  // namespace helenus::ml
