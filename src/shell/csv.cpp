// RFC 4180 CSV reading and writing for COPY and `helenus load`.
#include "helenus/shell/csv.h"

namespace helenus::shell {

CsvReader::CsvReader(std::istream& in, CsvOptions options)
    : in_(in), options_(std::move(options)) {}

bool CsvReader::ReadLine(std::string* line) {
  if (!std::getline(in_, *line)) return false;
  bytes_read_ += line->size() + 1;
  ++line_;
  if (first_) {
    first_ = false;
    if (line->size() >= 3 && line->compare(0, 3, "\xEF\xBB\xBF") == 0) line->erase(0, 3);
  }
  // Files written on Windows end lines with \r\n; a \r inside quotes is kept below.
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

std::optional<CsvRecord> CsvReader::Next() {
  std::string line;
  // Blank lines carry no record, as in cqlsh.
  do {
    if (!ReadLine(&line)) return std::nullopt;
  } while (line.empty());
  CsvRecord rec;
  rec.line = line_;
  rec.raw = line;
  bool incomplete = false;
  // A quoted field may hold newlines: keep appending lines until the quotes close;
  // give up after a bound so one stray quote cannot swallow the whole file.
  constexpr int kMaxLinesPerRecord = 10000;
  for (int extra = 0;; ++extra) {
    rec.fields.clear();
    rec.error = ParseCsvRecord(rec.raw, options_, &rec.fields, &incomplete);
    if (!incomplete) break;
    std::string more;
    if (extra >= kMaxLinesPerRecord || !ReadLine(&more)) {
      rec.error = "unterminated quoted field";
      break;
    }
    rec.raw += '\n';
    rec.raw += more;
  }
  return rec;
}

std::string ParseCsvRecord(std::string_view text, const CsvOptions& o,
                           std::vector<CsvField>* fields, bool* incomplete) {
  *incomplete = false;
  size_t i = 0, n = text.size();
  while (true) {
    CsvField f;
    if (i < n && text[i] == o.quote) {
      f.quoted = true;
      ++i;
      bool closed = false;
      while (i < n) {
        char c = text[i];
        if (o.escape != '\0' && c == o.escape && o.escape != o.quote && i + 1 < n) {
          f.text += text[i + 1];
          i += 2;
        } else if (c == o.quote) {
          if (i + 1 < n && text[i + 1] == o.quote) {
            f.text += o.quote;
            i += 2;
          } else {
            ++i;
            closed = true;
            break;
          }
        } else {
          f.text += c;
          ++i;
        }
      }
      if (!closed) {
        *incomplete = true;
        return "unterminated quoted field";
      }
      if (i < n && text[i] != o.delimiter) {
        return "unexpected character after closing quote at column " + std::to_string(i + 1);
      }
    } else {
      size_t end = text.find(o.delimiter, i);
      if (end == std::string_view::npos) end = n;
      f.text.assign(text.substr(i, end - i));
      i = end;
    }
    fields->push_back(std::move(f));
    if (i >= n) break;
    ++i;  // the delimiter
  }
  return "";
}

std::string CsvQuote(std::string_view field, const CsvOptions& o) {
  // A field equal to the null marker (e.g. "" with NULL='') is quoted, or it reads back as null.
  bool needs = field == o.null_marker;
  for (char c : field) {
    if (c == o.delimiter || c == o.quote || c == '\n' || c == '\r') needs = true;
    if (o.escape != '\0' && c == o.escape) needs = true;
  }
  if (!field.empty() && (field.front() == ' ' || field.back() == ' ')) needs = true;
  if (!needs) return std::string(field);
  std::string out(1, o.quote);
  for (char c : field) {
    // With an ESCAPE character the reader takes escape + c as c, so escape it too.
    if (c == o.quote || (o.escape != '\0' && c == o.escape)) {
      out += o.escape != '\0' && o.escape != o.quote ? o.escape : o.quote;
    }
    out += c;
  }
  out += o.quote;
  return out;
}

std::string CsvLine(const std::vector<std::optional<std::string>>& fields, const CsvOptions& o) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i) out += o.delimiter;
    out += fields[i] ? CsvQuote(*fields[i], o) : o.null_marker;
  }
  out += '\n';
  return out;
}

}  // namespace helenus::shell
