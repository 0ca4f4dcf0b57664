#pragma once

#include <CLI/CLI.hpp>

namespace helenus::cli {

// Adds `helenus serve` to app; the callback runs the server until a signal.
void AddServeCommand(CLI::App& app);
// Adds `helenus shell`: the interactive CQL shell (also -e / -f scripts).
void AddShellCommand(CLI::App& app);
// Adds `helenus load`: bulk-loads a CSV file into a table.
void AddLoadCommand(CLI::App& app);
// Adds `helenus sql`: CQL and analytic SQL embedded on a data directory.
void AddSqlCommand(CLI::App& app);
// Adds `helenus bench`: a cassandra-stress-like load generator.
void AddBenchCommand(CLI::App& app);
// Adds `helenus workshop prepare|run`: the ML workshop's data and exercises.
void AddWorkshopCommand(CLI::App& app);

}  // namespace helenus::cli
