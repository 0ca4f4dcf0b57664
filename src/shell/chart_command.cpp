// CHART: render a query result or model artifact as an SVG file, on the client side.
#include "helenus/shell/chart_command.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "helenus/chart/chart.h"
#include "helenus/common/error.h"
#include "helenus/common/strings.h"
#include "helenus/shell/value_text.h"

namespace helenus::shell {
namespace {

constexpr const char* kUsage =
    "CHART <kind> TO '<file.svg>' [WITH <name> = '<value>' [AND ...]] AS <statement>";

// Reads the CHART prefix left to right; the statement after AS is kept verbatim.
class ChartScanner {
 public:
  explicit ChartScanner(std::string_view s) : s_(s) {}

  // A bare word (letters, digits, _), or "" when none starts here.
  std::string Word() {
    Skip();
    size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_')) {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }
  // The next word if it equals keyword (case-insensitive); otherwise nothing is consumed.
  bool Keyword(std::string_view keyword) {
    const size_t save = i_;
    if (AsciiUpper(Word()) == keyword) return true;
    i_ = save;
    return false;
  }
  void Expect(char c, std::string_view what) {
    Skip();
    if (i_ >= s_.size() || s_[i_] != c) Fail(fmt::format("expected {}", what));
    ++i_;
  }
  bool AtQuote() {
    Skip();
    return i_ < s_.size() && s_[i_] == '\'';
  }
  // A 'string' with '' for a quote inside.
  std::string Quoted() {
    Expect('\'', "a quoted string");
    std::string out;
    for (; i_ < s_.size(); ++i_) {
      if (s_[i_] != '\'') {
        out += s_[i_];
      } else if (i_ + 1 < s_.size() && s_[i_ + 1] == '\'') {
        out += '\'';
        ++i_;
      } else {
        ++i_;
        return out;
      }
    }
    Fail("unterminated string");
  }
  // An option value: a 'string', or a bare number or word (800, true, -1.5).
  std::string Value() {
    if (AtQuote()) return Quoted();
    size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '_' ||
                              s_[i_] == '.' || s_[i_] == '-' || s_[i_] == '+')) {
      ++i_;
    }
    if (start == i_) Fail("expected an option value");
    return std::string(s_.substr(start, i_ - start));
  }
  // Everything not read yet, trimmed.
  std::string Rest() {
    Skip();
    std::string_view rest = s_.substr(i_);
    while (!rest.empty() && std::isspace(static_cast<unsigned char>(rest.back()))) {
      rest.remove_suffix(1);
    }
    return std::string(rest);
  }
  [[noreturn]] void Fail(std::string_view why) {
    ThrowSyntax("Improper CHART command: {} at position {}; usage: {}", why, i_ + 1, kUsage);
  }

 private:
  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::string_view s_;
  size_t i_ = 0;
};

bool IsNumericType(TypeKind kind) {
  switch (kind) {
    case TypeKind::kInt:
    case TypeKind::kBigint:
    case TypeKind::kSmallint:
    case TypeKind::kTinyint:
    case TypeKind::kCounter:
    case TypeKind::kFloat:
    case TypeKind::kDouble:
    case TypeKind::kDecimal:
    case TypeKind::kVarint:
      return true;
    default:
      return false;
  }
}

chart::Cell ToCell(const DataType& type, const Value& value) {
  if (!value) return std::monostate{};
  if (IsNumericType(type.kind)) {
    // The CSV form has every digit (decimal and varint included); an empty or
    // malformed value becomes null rather than failing the whole chart.
    const std::string text = FormatValue(type, value, TextStyle::kCsv);
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end != '\0') return std::monostate{};
    return v;
  }
  return FormatValue(type, value, TextStyle::kDisplay);
}

void WriteFile(const std::string& path, const std::string& text) {
  std::error_code ec;
  const auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) ThrowInvalid("Could not write '{}': {}", path, std::strerror(errno));
}

}  // namespace

bool IsChartStatement(std::string_view statement) {
  ChartScanner scan(statement);
  return scan.Keyword("CHART");
}

ChartCommand ParseChart(std::string_view statement) {
  ChartScanner scan(statement);
  if (!scan.Keyword("CHART")) scan.Fail("expected CHART");
  ChartCommand cmd;
  cmd.kind = AsciiLower(scan.Word());
  if (cmd.kind.empty()) scan.Fail("expected a chart kind");
  const chart::ChartKind& kind = chart::FindChartKind(cmd.kind);
  if (!scan.Keyword("TO")) scan.Fail("expected TO");
  if (!scan.AtQuote()) scan.Fail("expected the file name in quotes");
  cmd.file = scan.Quoted();
  if (cmd.file.empty()) scan.Fail("empty file name");
  if (scan.Keyword("WITH")) {
    do {
      std::string name = scan.Word();
      if (name.empty()) scan.Fail("expected an option name");
      scan.Expect('=', "'=' after the option name");
      cmd.options.Set(name, scan.Value());
    } while (scan.Keyword("AND"));
  }
  if (!scan.Keyword("AS")) scan.Fail("expected AS before the statement");
  cmd.statement = scan.Rest();
  if (cmd.statement.empty()) scan.Fail("expected a statement after AS");
  chart::CheckChartOptions(kind, cmd.options);
  return cmd;
}

chart::Table ChartTableFromResult(const client::Result& result) {
  const auto& columns = result.columns();
  std::vector<std::string> names;
  for (const auto& c : columns) names.push_back(c.name);
  chart::Table table(names);
  client::Result page = result;
  while (true) {
    for (size_t i = 0; i < page.page_size(); ++i) {
      const auto& values = page.page()->rows[i];
      std::vector<chart::Cell> row;
      row.reserve(columns.size());
      for (size_t c = 0; c < columns.size(); ++c) {
        row.push_back(c < values.size() ? ToCell(columns[c].type, values[c]) : std::monostate{});
      }
      table.AddRow(std::move(row));
    }
    if (!page.has_more_pages()) break;
    page = page.NextPage();
  }
  return table;
}

void RunChart(const ChartCommand& command, client::Consistency consistency,
              const ChartExecutor& execute, std::ostream& out) {
  client::Statement stmt(command.statement);
  stmt.consistency = consistency;
  stmt.page_size = 5000;
  const client::Result result = execute(stmt);
  if (result.kind() != client::ResultKind::kRows) {
    ThrowInvalid("CHART needs a statement that returns rows: {}", command.statement);
  }
  const chart::Table table = ChartTableFromResult(result);
  const chart::ChartResult chart = chart::RenderChart(command.kind, table, command.options);
  WriteFile(command.file, chart.svg);
  out << "Wrote " << command.file << " (" << command.kind << ", " << chart.points
      << (chart.points == 1 ? " point" : " points");
  if (chart.skipped > 0) {
    out << ", " << chart.skipped << (chart.skipped == 1 ? " row" : " rows")
        << " skipped for a null or NaN";
  }
  out << ")\n";
  out.flush();
}

}  // namespace helenus::shell
