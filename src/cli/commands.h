#pragma once

#include <CLI/CLI.hpp>

namespace helenus::cli {

// Adds `helenus serve` to app; the callback runs the server until a signal.
void AddServeCommand(CLI::App& app);

}  // namespace helenus::cli
