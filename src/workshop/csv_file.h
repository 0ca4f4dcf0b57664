#pragma once

// Reading the workshop's source files and writing the prepared ones.

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "helenus/shell/csv.h"

namespace helenus::workshop {

// Writes a prepared CSV file: a header line, then one line per row.
class CsvOut {
 public:
  // Creates path (truncating) and writes the header; throws when it cannot.
  CsvOut(const std::filesystem::path& path, const std::vector<std::string>& header);
  // Writes one row of already formatted fields.
  void Row(const std::vector<std::string>& fields);
  // Rows written so far.
  int64_t rows() const { return rows_; }
  // Flushes and checks the stream; throws on a write error.
  void Close();

 private:
  std::filesystem::path path_;
  std::ofstream out_;
  std::vector<std::optional<std::string>> scratch_;
  int64_t rows_ = 0;
};

// Calls fn with the fields of every record of path (BOM skipped) after the
// first skip_records; throws with the file and line on a malformed record or a
// wrong number of fields.
void ReadCsv(const std::filesystem::path& path, char delimiter, size_t num_fields,
             const std::function<void(const std::vector<shell::CsvField>&)>& fn,
             int skip_records = 0);

// A number printed with at most `digits` significant digits, without trailing zeros.
std::string Num(double v, int digits = 6);

}  // namespace helenus::workshop
