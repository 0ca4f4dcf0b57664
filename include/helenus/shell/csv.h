#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace helenus::shell {

// How a CSV file is spelled (cqlsh's COPY option names in the comments).
struct CsvOptions {
  char delimiter = ',';  // DELIMITER
  char quote = '"';      // QUOTE
  // ESCAPE: inside quotes, escape + any character is that character. Off ('\0') by
  // default: RFC 4180 files double their quotes and keep backslashes as text.
  char escape = '\0';
  std::string null_marker;  // NULL: an unquoted field equal to it is null
};

// One CSV field: its text and whether it was the null marker.
struct CsvField {
  std::string text;
  bool quoted = false;  // a quoted field is never null, even if it equals the marker
};

// One parsed record: the fields, the line it started on, or a parse error.
struct CsvRecord {
  std::vector<CsvField> fields;
  int64_t line = 0;   // 1-based line number of the record's first line
  std::string raw;    // the record's text as read (for reject files)
  std::string error;  // set when the record is malformed
};

// Reads RFC 4180 records (quoted fields with delimiters, "" quotes and
// newlines) from a stream; skips a UTF-8 BOM at the start.
class CsvReader {
 public:
  // Reads from in (not owned) with options.
  CsvReader(std::istream& in, CsvOptions options);
  // The next record, or nullopt at the end of input.
  std::optional<CsvRecord> Next();
  // Bytes consumed so far (for progress).
  uint64_t bytes_read() const { return bytes_read_; }

 private:
  bool ReadLine(std::string* line);
  std::istream& in_;
  CsvOptions options_;
  int64_t line_ = 0;
  uint64_t bytes_read_ = 0;
  bool first_ = true;
};

// Parses one whole record text (which may span lines) into fields; returns an error or "".
std::string ParseCsvRecord(std::string_view text, const CsvOptions& options,
                           std::vector<CsvField>* fields, bool* incomplete);

// Formats one field, quoting it when it holds the delimiter, a quote, a newline or
// leading/trailing spaces, or when it equals the null marker.
std::string CsvQuote(std::string_view field, const CsvOptions& options);

// Formats one record (nullopt fields become the null marker) with a trailing "\n".
std::string CsvLine(const std::vector<std::optional<std::string>>& fields,
                    const CsvOptions& options);

}  // namespace helenus::shell
