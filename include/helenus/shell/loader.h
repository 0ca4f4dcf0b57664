#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "helenus/shell/csv.h"

namespace helenus::client {
class Session;
}

namespace helenus::shell {

// What to load and how (cqlsh COPY FROM option names in the comments).
struct LoadOptions {
  std::string keyspace;  // "" = the session's keyspace
  std::string table;
  std::vector<std::string> columns;  // empty: the header (HEADER=true) or all columns
  CsvOptions csv;
  bool header = false;      // HEADER: the first record names the columns
  int64_t skip_rows = 0;    // SKIPROWS: records skipped at the start (after the header)
  int64_t max_rows = -1;    // MAXROWS: -1 = all
  int max_batch_size = 20;  // MAXBATCHSIZE: rows of one partition per unlogged batch
  int max_requests = 512;   // MAXREQUESTS: requests in flight
  int64_t max_errors = -1;  // MAXPARSEERRORS+MAXINSERTERRORS: stop after; -1 = never
  std::string reject_file;  // ERRFILE: "" = <table>.err next to the input
  bool progress = true;     // report on stderr
};

// The outcome of a load.
struct LoadStats {
  int64_t rows_read = 0;      // data records seen (after header/skip)
  int64_t rows_loaded = 0;    // rows the server acknowledged
  int64_t rows_rejected = 0;  // rows written to the reject file
  double seconds = 0;
  std::string reject_file;  // where rejects went ("" when there were none)
};

// Loads path (a CSV file, "-" = stdin) into a table through session with many
// prepared inserts in flight, grouped by partition. Throws CqlError/ClientError
// when the table is unknown or the file cannot be read; bad rows are rejected, not thrown.
LoadStats LoadCsv(client::Session& session, const std::string& path, const LoadOptions& options);

// The one-paragraph summary of a load ("Loaded 100,000 rows ... 0 rejected ...").
std::string LoadSummary(const LoadStats& stats, const std::string& path);

}  // namespace helenus::shell
