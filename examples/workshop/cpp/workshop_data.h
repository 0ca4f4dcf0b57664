#pragma once

// What the six C++ workshop programs share: an embedded Helenus (store,
// catalog, CQL processor and DataFrame engine on one data directory), CSV
// loading through the DataFrame write path, and result printing.
//
// A Spark user reads this as the notebook's first cells: "connect to
// Cassandra", "create keyspace and table", "load the CSV", "show()".

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/exec/dataframe.h"
#include "helenus/ml/context.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/pipeline.h"
#include "helenus/workshop/data.h"

namespace helenus::storage {
class Store;
class Catalog;
}  // namespace helenus::storage

namespace helenus::query {
class QueryProcessor;
}  // namespace helenus::query

namespace helenus::workshop {

// The keyspace every exercise works in.
inline constexpr char kKeyspace[] = "workshop";

// An error worth a message and a non-zero exit (bad arguments, missing file, bad row).
class WorkshopError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Command-line options of every exercise program.
struct Options {
  std::string data_dir;  // directory holding the prepared CSV files
  std::string db_dir;    // embedded data directory; "" = a fresh temporary one
};

// An embedded Helenus on one data directory: no server, no network.
class Workshop {
 public:
  // Opens (or creates) the data directory of options; throws WorkshopError.
  explicit Workshop(Options options);
  // Closes the store; removes the directory when it was a temporary one.
  ~Workshop();
  Workshop(const Workshop&) = delete;
  Workshop& operator=(const Workshop&) = delete;

  // Runs one CQL statement (DDL, INSERT, ...) as cqlsh would; throws WorkshopError.
  void Cql(std::string_view statement);
  // CREATE KEYSPACE IF NOT EXISTS workshop (SimpleStrategy, rf 1).
  void CreateKeyspace();
  // Drops and recreates table workshop.<name> with the given CQL column list.
  void CreateTable(std::string_view name, std::string_view columns);
  // Appends the rows of <data_dir>/<file> (a CSV with a header line naming the
  // table's columns) to workshop.<table>; prints and returns rows written. Throws
  // WorkshopError naming the file and line for a bad header or value.
  uint64_t LoadCsv(std::string_view file, std::string_view table);
  // Creates workshop.wines and loads wines.csv into it (exercises 2 and 3).
  void LoadWines();
  // The good wines (quality > 5) split 80/20 with seed, as CREATE MODEL ...
  // WITH test_fraction = 0.2 AND seed = <seed> splits them (exercises 2 and 3).
  std::pair<ml::Frame, ml::Frame> GoodWinesSplit(uint64_t seed);
  // The table workshop.<name> as a DataFrame (Spark: spark.read.table(...)).
  exec::DataFrame Table(std::string_view name) const;
  // Appends the scalar columns of f that the table has to workshop.<table>;
  // prints and returns rows written.
  uint64_t Write(const ml::Frame& f, std::string_view table) const;

  // The DataFrame engine (its pool also runs the ML work).
  const exec::Engine& engine() const { return *engine_; }
  // Where ML work runs.
  const ml::Context& ml_context() const { return ml_context_; }
  // The data directory in use.
  const std::string& db_dir() const { return options_.db_dir; }
  // True when db_dir is a temporary directory removed at exit.
  bool temporary() const { return temporary_; }

 private:
  Options options_;
  bool temporary_ = false;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::Catalog> catalog_;
  std::unique_ptr<query::QueryProcessor> processor_;
  std::unique_ptr<exec::Engine> engine_;
  ml::Context ml_context_;
};

// Parses the command line, opens the Workshop, runs body and reports any
// error on stderr; returns the process exit code (0, 1 for a failure, 2 for
// bad arguments).
// The wine exercises' first two pipeline stages: StringIndexer(quality) ->
// label, ascending as the ML statements number classes (unseen qualities of
// the test rows skipped), and VectorAssembler(the 11 measurements) -> features.
std::vector<ml::PipelineStage> WineLabelAndFeatures();

int RunExercise(int argc, char** argv, std::string_view title,
                const std::function<void(Workshop&)>& body);

// Prints a section heading, like a notebook's markdown cell.
void Section(std::string_view title);
// Prints a text table: headers, then rows.
void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows);
// Prints (metric, value) rows as a two-column table.
void PrintMetrics(const std::vector<std::pair<std::string, double>>& metrics);
// Prints the first n rows of a Frame (vector columns as lists).
void Show(const ml::Frame& f, size_t n = 20);
// Per-class precision, recall, F1 and support of a classifier's output f
// (columns label and prediction hold class indices; labels names them).
void PrintClassReport(const ml::Frame& f, const std::vector<std::string>& labels);
// The confusion matrix of f: one row per actual class, one column per predicted class.
void PrintConfusionMatrix(const ml::Frame& f, const std::vector<std::string>& labels);
// A classifier's output as the ML statements' PREDICT writes it: the columns
// `keep` of f, `prediction` as the class label in the type of f's column
// `label_column` (Spark's IndexToString, then a cast) and `probability` of
// the predicted class.
ml::Frame LabelledPredictions(const ml::Frame& f, const std::vector<std::string>& keep,
                              std::string_view label_column);
// A number with `digits` decimals.
std::string Fixed(double v, int digits = 4);

// Seconds since start, for "training took" lines.
double SecondsSince(std::chrono::steady_clock::time_point start);

}  // namespace helenus::workshop
