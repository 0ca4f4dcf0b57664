#include "helenus/workshop/runner.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "exercises.h"
#include "helenus/client/session.h"
#include "helenus/common/error.h"
#include "helenus/shell/connect.h"
#include "helenus/shell/progress.h"
#include "helenus/shell/repl.h"
#include "helenus/shell/table_printer.h"
#include "helenus/workshop/data.h"

namespace helenus::workshop {
namespace fs = std::filesystem;
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The server may still be opening its data when the job starts it.
std::shared_ptr<client::Session> Connect(const std::string& host, std::ostream& out) {
  const auto start = Clock::now();
  for (;;) {
    try {
      return shell::ConnectTo(host);
    } catch (...) {
      if (Since(start) > 30) {
        ThrowInvalid("Cannot connect to {}: {}", host,
                     shell::DescribeError(std::current_exception()));
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
}

std::vector<client::Row> AllRows(client::Session& session, const std::string& statement) {
  return session.Execute(client::Statement(statement)).All();
}

// What one exercise produced.
struct Outcome {
  const Exercise* exercise = nullptr;
  bool ran = false;
  double wall_s = 0;
  int64_t training_rows = 0, test_rows = 0, training_ms = 0;
  std::vector<std::pair<std::string, std::optional<double>>> figures;
  std::string error;
};

std::string FigureText(const std::string& name, double v) {
  // Counts read best as integers, fractions with four decimals.
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v > 1) {
    return shell::FormatCount(static_cast<uint64_t>(v));
  }
  return fmt::format("{:.4f}", v);
}

// Reads the model's row of system_ml.models and computes the exercise's figures.
void Measure(client::Session& session, Outcome* o) {
  const auto rows = AllRows(
      session, fmt::format("SELECT training_rows, test_rows, training_ms FROM system_ml.models "
                           "WHERE keyspace_name = 'workshop' AND model_name = '{}'",
                           o->exercise->model));
  if (rows.empty()) ThrowInvalid("model workshop.{} was not created", o->exercise->model);
  o->training_rows = rows[0].GetInt64(0);
  o->test_rows = rows[0].GetInt64(1);
  o->training_ms = rows[0].GetInt64(2);
  std::map<std::string, std::vector<client::Row>> cache;  // one EVALUATE serves many figures
  for (const auto& f : o->exercise->figures) {
    try {
      auto it = cache.find(f.statement);
      if (it == cache.end()) it = cache.emplace(f.statement, AllRows(session, f.statement)).first;
      o->figures.emplace_back(f.name, f.reduce(it->second));
    } catch (...) {
      o->figures.emplace_back(f.name, std::nullopt);
      o->error = f.name + ": " + shell::DescribeError(std::current_exception());
    }
  }
}

std::string LastError(const fs::path& log) {
  std::ifstream in(log);
  std::string line, last;
  while (std::getline(in, line)) {
    if (line.find("rror") != std::string::npos) last = line;
  }
  return last;
}

void PrintSummary(const std::vector<Outcome>& outcomes, std::ostream& out) {
  std::vector<std::vector<std::string>> cells;
  for (const auto& o : outcomes) {
    const std::string rows = o.test_rows > 0
                                 ? fmt::format("{} + {}", shell::FormatCount(o.training_rows),
                                               shell::FormatCount(o.test_rows))
                                 : shell::FormatCount(o.training_rows);
    // The store keeps whole milliseconds; the fastest models train in less.
    const std::string training =
        o.training_ms > 0 ? fmt::format("{:.3f}", o.training_ms / 1000.0) : "< 0.001";
    if (!o.ran) {
      cells.push_back({o.exercise->title, "-", "-", "failed", "see logs"});
      continue;
    }
    bool first = true;
    for (const auto& [name, value] : o.figures) {
      cells.push_back({first ? o.exercise->title : "", first ? rows : "", first ? training : "",
                       name, value ? FigureText(name, *value) : "error"});
      first = false;
    }
  }
  out << "\n"
      << shell::FormatTable({"exercise", "rows (train + test)", "training s", "metric", "value"},
                            cells)
      << "\n";
}

void WriteJson(const std::vector<Outcome>& outcomes, double total_s, const fs::path& path) {
  nlohmann::ordered_json j;
  j["total_seconds"] = total_s;
  for (const auto& o : outcomes) {
    nlohmann::ordered_json e;
    e["exercise"] = o.exercise->title;
    e["script"] = o.exercise->script;
    e["model"] = "workshop." + o.exercise->model;
    e["ok"] = o.ran && o.error.empty();
    e["wall_seconds"] = o.wall_s;
    e["training_rows"] = o.training_rows;
    e["test_rows"] = o.test_rows;
    e["training_seconds"] = o.training_ms / 1000.0;
    for (const auto& [name, value] : o.figures) {
      e["metrics"][name] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
    }
    if (!o.error.empty()) e["error"] = o.error;
    j["exercises"].push_back(e);
  }
  std::ofstream(path) << j.dump(2) << "\n";
}

}  // namespace

std::optional<fs::path> FindScripts(const fs::path& executable) {
  std::error_code ec;
  const fs::path rel = fs::path("examples") / "workshop" / "cql";
  for (fs::path dir = fs::weakly_canonical(executable, ec).parent_path(); !dir.empty();
       dir = dir.parent_path()) {
    if (fs::is_directory(dir / rel, ec)) return dir / rel;
    if (dir == dir.parent_path()) break;
  }
  if (fs::is_directory(fs::current_path() / rel, ec)) return fs::current_path() / rel;
  return std::nullopt;
}

int RunWorkshop(const RunOptions& options, std::ostream& out) {
  const auto start = Clock::now();
  const fs::path out_dir = fs::absolute(options.out_dir);
  const fs::path scripts = fs::absolute(options.scripts_dir);

  out << "Preparing the data in " << (out_dir / "data").string() << "\n";
  const auto files = PrepareData(out_dir / "data", options.workshop_dir);
  std::vector<std::vector<std::string>> file_cells;
  for (const auto& f : files) {
    file_cells.push_back({f.name, shell::FormatCount(f.rows), f.source});
  }
  out << shell::FormatTable({"file", "rows", "source"}, file_cells) << "\n";

  auto session = Connect(options.host, out);
  // The scripts name their files relative to the output directory, as a user
  // running `helenus shell -f` from there would.
  fs::create_directories(out_dir / "charts");
  fs::create_directories(out_dir / "logs");
  fs::current_path(out_dir);

  std::vector<Outcome> outcomes;
  const auto& exercises = Exercises();
  for (size_t i = 0; i < exercises.size(); ++i) {
    const Exercise& e = exercises[i];
    Outcome o;
    o.exercise = &e;
    out << fmt::format("[{}/{}] {:<32}", i + 1, exercises.size(), e.title) << std::flush;
    const fs::path script = scripts / e.script;
    std::ifstream in(script, std::ios::binary);
    const fs::path log = out_dir / "logs" / (fs::path(e.script).stem().string() + ".txt");
    if (!in) {
      o.error = "cannot read " + script.string();
      out << "failed: " << o.error << "\n";
      outcomes.push_back(std::move(o));
      continue;
    }
    std::stringstream text;
    text << in.rdbuf();
    std::ofstream log_out(log, std::ios::trunc);
    shell::Shell sh(session, log_out, log_out, /*interactive=*/false);
    const auto t0 = Clock::now();
    o.ran = sh.RunScript(text.str(), script.string());
    o.wall_s = Since(t0);
    log_out.flush();
    if (o.ran) {
      try {
        Measure(*session, &o);
      } catch (...) {
        o.ran = false;
        o.error = shell::DescribeError(std::current_exception());
      }
    } else {
      o.error = LastError(log);
    }
    if (o.ran && o.error.empty()) {
      out << fmt::format("done in {}  (log: logs/{})\n", shell::FormatSeconds(o.wall_s),
                         log.filename().string());
    } else {
      out << "FAILED: " << o.error << "  (log: " << log.string() << ")\n";
    }
    outcomes.push_back(std::move(o));
  }

  PrintSummary(outcomes, out);
  const double total = Since(start);
  WriteJson(outcomes, total, out_dir / "summary.json");

  std::vector<std::string> charts;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out_dir / "charts", ec)) {
    charts.push_back(entry.path().filename().string());
  }
  std::sort(charts.begin(), charts.end());
  out << "Charts in " << (out_dir / "charts").string() << ": "
      << fmt::format("{}", fmt::join(charts, ", ")) << "\n";
  // The tables the scripts left behind, as the server has them.
  std::vector<std::string> tables;
  try {
    for (const auto& row : AllRows(*session,
                                   "SELECT table_name FROM system_schema.tables "
                                   "WHERE keyspace_name = 'workshop'")) {
      tables.push_back(row.GetString(0));
    }
  } catch (...) {
    // A listing is a courtesy; the exercises' own outcome decides the exit code.
  }
  out << "Tables in keyspace workshop: " << fmt::format("{}", fmt::join(tables, ", "))
      << " (models in system_ml.models)\n";
  out << "Summary: " << (out_dir / "summary.json").string() << "; total "
      << shell::FormatSeconds(total) << "\n";
  for (const auto& o : outcomes) {
    if (!o.ran || !o.error.empty()) return 1;
  }
  return 0;
}

}  // namespace helenus::workshop
