#pragma once

// The main job: the six workshop exercises as CQL scripts, run through the
// shell against a server, with one summary table at the end.

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

namespace helenus::workshop {

// Where the workshop reads from and writes to.
struct RunOptions {
  std::filesystem::path out_dir = "workshop-out";     // data/, charts/, logs/, summary.json
  std::filesystem::path scripts_dir;                  // the *.cql exercises
  std::optional<std::filesystem::path> workshop_dir;  // the workshop's CSV files, if any
  std::string host = "127.0.0.1:9042";                // the server, HOST[:PORT]
};

// Prepares the data, runs every exercise script, prints progress and the
// summary table to out and writes out_dir/summary.json. Returns the process
// exit code: 0 when every exercise ran and produced its metrics.
int RunWorkshop(const RunOptions& options, std::ostream& out);

// The exercise scripts next to the binary's source tree: examples/workshop/cql
// found from the executable's directory upwards, or from the working directory.
std::optional<std::filesystem::path> FindScripts(const std::filesystem::path& executable);

}  // namespace helenus::workshop
