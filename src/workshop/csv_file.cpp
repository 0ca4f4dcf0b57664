#include "csv_file.h"

#include <fmt/format.h>

#include "helenus/common/error.h"

namespace helenus::workshop {

CsvOut::CsvOut(const std::filesystem::path& path, const std::vector<std::string>& header)
    : path_(path), out_(path, std::ios::binary | std::ios::trunc) {
  if (!out_) ThrowInvalid("Cannot write {}", path.string());
  Row(header);
  rows_ = 0;
}

void CsvOut::Row(const std::vector<std::string>& fields) {
  scratch_.assign(fields.begin(), fields.end());
  out_ << shell::CsvLine(scratch_, shell::CsvOptions{});
  ++rows_;
}

void CsvOut::Close() {
  out_.flush();
  if (!out_) ThrowInvalid("Error writing {}", path_.string());
  out_.close();
}

void ReadCsv(const std::filesystem::path& path, char delimiter, size_t num_fields,
             const std::function<void(const std::vector<shell::CsvField>&)>& fn, int skip_records) {
  std::ifstream in(path, std::ios::binary);
  if (!in) ThrowInvalid("Cannot read {}", path.string());
  shell::CsvOptions options;
  options.delimiter = delimiter;
  shell::CsvReader reader(in, options);
  while (auto record = reader.Next()) {
    if (skip_records > 0) {
      --skip_records;
      continue;
    }
    if (!record->error.empty()) {
      ThrowInvalid("{}:{}: {}", path.string(), record->line, record->error);
    }
    // A trailing empty line is not a record.
    if (record->fields.size() == 1 && record->fields[0].text.empty()) continue;
    if (record->fields.size() != num_fields) {
      ThrowInvalid("{}:{}: expected {} fields, found {}", path.string(), record->line, num_fields,
                   record->fields.size());
    }
    fn(record->fields);
  }
}

std::string Num(double v, int digits) {
  return fmt::format("{:.{}g}", v, digits);
}

}  // namespace helenus::workshop
