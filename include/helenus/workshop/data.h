#pragma once

// The workshop's data sets, normalized into CSV files with a header line that
// the examples (CQL, Python, C++) load with COPY, the driver or a DataFrame.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace helenus::workshop {

// One prepared file and where its rows came from.
struct PreparedFile {
  std::string name;    // e.g. "wines.csv"
  int64_t rows = 0;    // data rows (the header not counted)
  std::string source;  // the workshop file, the Debian file, or "generated"
};

// The 11 chemical measurements of a wine, in the order of wines.csv: the
// features of the wine exercises in every form.
const std::vector<std::string>& WineFeatures();

// Writes wines.csv, socialmedia.csv, movieratings.csv, movies.csv and
// tumours.csv into out_dir (created), plus SOURCES.txt. The workshop's files
// are read from workshop_dir when given and present there; otherwise rows of
// the same shape are generated (deterministically). Tumours come from the
// breast cancer data Debian's python3-sklearn ships. Throws on I/O errors.
std::vector<PreparedFile> PrepareData(const std::filesystem::path& out_dir,
                                      const std::optional<std::filesystem::path>& workshop_dir);

}  // namespace helenus::workshop
