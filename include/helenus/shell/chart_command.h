#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <string_view>

#include "helenus/chart/options.h"
#include "helenus/chart/table.h"
#include "helenus/client/result.h"
#include "helenus/client/statement.h"

namespace helenus::shell {

// A parsed CHART command.
struct ChartCommand {
  std::string kind;             // scatter, line, bar, heatmap
  std::string file;             // where the SVG goes
  chart::ChartOptions options;  // WITH name = 'value' AND ...
  std::string statement;        // everything after AS, sent to the server as is
};

// Runs a statement and returns its first page (the shell passes its progress-bar runner).
using ChartExecutor = std::function<client::Result(const client::Statement&)>;

// True when a statement is a CHART command (case-insensitive first word).
bool IsChartStatement(std::string_view statement);

// Parses "CHART kind TO 'file' [WITH name = 'value' [AND ...]] AS statement"; throws
// CqlError(kSyntax) naming what is wrong, CqlError(kInvalid) for an unknown kind or option.
ChartCommand ParseChart(std::string_view statement);

// The rows of a result, every page, as a chart table: numeric CQL types become numbers,
// null stays null, everything else becomes its text as the shell prints it.
chart::Table ChartTableFromResult(const client::Result& result);

// Runs the command's statement through execute, renders the chart, writes the file
// (creating missing directories) and prints "Wrote <file> (<kind>, N points)" on out.
void RunChart(const ChartCommand& command, client::Consistency consistency,
              const ChartExecutor& execute, std::ostream& out);

}  // namespace helenus::shell
