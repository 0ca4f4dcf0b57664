#include "workshop_data.h"

#include <stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <system_error>

#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/ml/metrics.h"
#include "helenus/ml/registry.h"
#include "helenus/query/processor.h"
#include "helenus/shell/csv.h"
#include "helenus/shell/table_printer.h"
#include "helenus/shell/value_text.h"
#include "helenus/storage/catalog.h"
#include "helenus/storage/store.h"

namespace helenus::workshop {

namespace {

std::string MakeTemporaryDir() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string pattern = (base / "helenus-workshop-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) {
    throw WorkshopError(fmt::format("cannot create a temporary directory under {}", base.string()));
  }
  return pattern;
}

void PrintUsage(std::string_view program, std::string_view title) {
  std::cerr << title << "\n\nusage: " << program << " --data-dir DIR [--db DIR]\n"
            << "  --data-dir DIR  the prepared CSV files (`helenus workshop prepare --out OUT`\n"
            << "                  writes them to OUT/data)\n"
            << "  --db DIR        embedded data directory to create the tables in (default: a\n"
            << "                  fresh temporary directory, removed at exit). Never the\n"
            << "                  directory of a running server.\n";
}

}  // namespace

Workshop::Workshop(Options options) : options_(std::move(options)) {
  std::error_code ec;
  if (!std::filesystem::is_directory(options_.data_dir, ec)) {
    throw WorkshopError(fmt::format(
        "data directory {} does not exist (run `helenus workshop prepare --out OUT` and pass "
        "--data-dir OUT/data)",
        options_.data_dir));
  }
  if (options_.db_dir.empty()) {
    options_.db_dir = MakeTemporaryDir();
    temporary_ = true;
  }
  storage::StoreOptions store_options;
  // A bulk load that is re-run from the CSV files after a crash needs no fsync per write.
  store_options.sync_each_write = false;
  auto store = storage::Store::Open(options_.db_dir, store_options);
  if (!store.ok()) {
    throw WorkshopError(fmt::format(
        "cannot open data directory {}: {}\n(is a server running on it? use another --db)",
        options_.db_dir, store.status().message()));
  }
  store_ = std::move(*store);
  auto catalog = storage::Catalog::Load(store_.get());
  if (!catalog.ok()) {
    throw WorkshopError(fmt::format("cannot load the schema: {}", catalog.status().message()));
  }
  catalog_ = std::move(*catalog);
  processor_ =
      std::make_unique<query::QueryProcessor>(store_.get(), catalog_.get(), query::NodeInfo{});
  engine_ = std::make_unique<exec::Engine>(store_.get(), catalog_.get());
  ml_context_.pool = engine_->pool();
}

Workshop::~Workshop() {
  // The store must be closed before its files can go.
  engine_.reset();
  processor_.reset();
  catalog_.reset();
  store_.reset();
  if (temporary_) {
    std::error_code ec;
    std::filesystem::remove_all(options_.db_dir, ec);
  }
}

void Workshop::Cql(std::string_view statement) {
  query::ClientState state;
  state.keyspace = kKeyspace;
  try {
    processor_->Query(state, statement, cql::QueryParameters{});
  } catch (const CqlError& e) {
    throw WorkshopError(fmt::format("CQL statement failed: {}\n  {}", e.what(), statement));
  }
}

void Workshop::CreateKeyspace() {
  Cql(fmt::format(
      "CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {{'class': 'SimpleStrategy', "
      "'replication_factor': 1}}",
      kKeyspace));
}

void Workshop::CreateTable(std::string_view name, std::string_view columns) {
  // Re-running an exercise on the same --db starts from the same rows.
  Cql(fmt::format("DROP TABLE IF EXISTS {}.{}", kKeyspace, name));
  Cql(fmt::format("CREATE TABLE {}.{} ({})", kKeyspace, name, columns));
}

void Workshop::LoadWines() {
  CreateKeyspace();
  CreateTable("wines",
              "wineid int PRIMARY KEY, fixed_acidity double, volatile_acidity double, "
              "citric_acid double, residual_sugar double, chlorides double, "
              "free_sulfur_dioxide double, total_sulfur_dioxide double, density double, "
              "ph double, sulphates double, alcohol double, quality int");
  LoadCsv("wines.csv", "wines");
}

std::pair<ml::Frame, ml::Frame> Workshop::GoodWinesSplit(uint64_t seed) {
  // Spark: spark.read.table("wines").filter("quality > 5").randomSplit([0.8, 0.2], seed).
  // Helenus splits by a hash of each row, so the split is the same whatever
  // the thread count. Estimators make several passes over the rows: a Frame
  // keeps them in memory once (Spark users would cache() here).
  const auto parts =
      Table("wines").filter(exec::Col("quality") > exec::Lit(5)).random_split({0.8, 0.2}, seed);
  return {ml::Frame::FromDataFrame(parts[0]), ml::Frame::FromDataFrame(parts[1])};
}

std::vector<ml::PipelineStage> WineLabelAndFeatures() {
  const ml::Registry& registry = ml::Registry::Default();
  return {registry.MakeEstimator("string_indexer",
                                 ml::Params()
                                     .Set("input_col", std::string("quality"))
                                     .Set("output_col", std::string("label"))
                                     .Set("string_order_type", std::string("alphabetAsc"))
                                     .Set("handle_invalid", std::string("skip"))),
          registry.MakeTransformer(
              "vector_assembler",
              ml::Params()
                  .Set("input_cols", fmt::format("{}", fmt::join(WineFeatures(), ",")))
                  .Set("output_col", std::string("features")))};
}

uint64_t Workshop::LoadCsv(std::string_view file, std::string_view table) {
  const std::string path = (std::filesystem::path(options_.data_dir) / file).string();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw WorkshopError(fmt::format(
        "cannot read {} (run `helenus workshop prepare --out OUT` and pass --data-dir OUT/data)",
        path));
  }
  auto source = engine_->Source(kKeyspace, table);
  const exec::Schema& columns = source->schema();

  shell::CsvReader reader(in, shell::CsvOptions{});
  auto header = reader.Next();
  if (!header || !header->error.empty()) {
    throw WorkshopError(fmt::format("{}: no header line{}", path,
                                    header ? " (" + header->error + ")" : std::string()));
  }
  // The header decides which table column each field goes to, so a file may
  // list the columns in any order.
  exec::Schema schema;
  for (const auto& field : header->fields) {
    const int at = columns.Find(field.text);
    if (at < 0) {
      std::vector<std::string> names;
      for (const auto& f : columns.fields) names.push_back(f.name);
      throw WorkshopError(fmt::format("{}: header column '{}' is not a column of {}.{} ({})", path,
                                      field.text, kKeyspace, table, fmt::join(names, ", ")));
    }
    schema.fields.push_back(columns.fields[at]);
  }

  std::vector<exec::Batch> batches;
  exec::Batch batch = exec::Batch::Empty(schema, exec::kBatchRows);
  while (auto record = reader.Next()) {
    if (!record->error.empty()) {
      throw WorkshopError(fmt::format("{}:{}: {}", path, record->line, record->error));
    }
    if (record->fields.size() != schema.size()) {
      throw WorkshopError(fmt::format("{}:{}: {} fields, but the header has {}", path, record->line,
                                      record->fields.size(), schema.size()));
    }
    for (size_t i = 0; i < schema.size(); ++i) {
      const shell::CsvField& field = record->fields[i];
      // cqlsh's COPY FROM reads an empty unquoted field as NULL.
      if (field.text.empty() && !field.quoted) {
        batch.columns[i].AppendNull();
        continue;
      }
      try {
        exec::AppendCqlValue(&batch.columns[i],
                             shell::ParseValueText(schema.fields[i].type, field.text));
      } catch (const CqlError& e) {
        throw WorkshopError(fmt::format("{}:{}: column {}: bad value '{}' ({})", path, record->line,
                                        schema.fields[i].name, field.text, e.what()));
      }
    }
    if (++batch.num_rows == exec::kBatchRows) {
      batches.push_back(std::move(batch));
      batch = exec::Batch::Empty(schema, exec::kBatchRows);
    }
  }
  if (batch.num_rows > 0) batches.push_back(std::move(batch));
  // The same write path as df.write: rows go through the LocalSink in atomic chunks.
  uint64_t written = 0;
  try {
    written = engine_->FromBatches(schema, std::move(batches))
                  .write(fmt::format("{}.{}", kKeyspace, table));
  } catch (const CqlError& e) {
    throw WorkshopError(
        fmt::format("{}: cannot write into {}.{}: {}", path, kKeyspace, table, e.what()));
  }
  std::cout << "loaded " << written << " rows from " << file << " into " << kKeyspace << "."
            << table << "\n";
  return written;
}

exec::DataFrame Workshop::Table(std::string_view name) const {
  return engine_->Table(fmt::format("{}.{}", kKeyspace, name));
}

uint64_t Workshop::Write(const ml::Frame& f, std::string_view table) const {
  auto source = engine_->Source(kKeyspace, table);
  std::vector<std::string> columns;
  for (const auto& c : f.columns()) {
    if (!c.is_vector() && source->schema().Find(c.name) >= 0) columns.push_back(c.name);
  }
  const uint64_t written =
      f.Select(columns).ToDataFrame(engine_.get()).write(fmt::format("{}.{}", kKeyspace, table));
  std::cout << "wrote " << written << " rows into " << kKeyspace << "." << table << "\n";
  return written;
}

int RunExercise(int argc, char** argv, std::string_view title,
                const std::function<void(Workshop&)>& body) {
  const std::string_view program = argc > 0 ? argv[0] : "workshop";
  Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      PrintUsage(program, title);
      return 0;
    }
    if ((arg == "--data-dir" || arg == "--db") && i + 1 < argc) {
      (arg == "--db" ? options.db_dir : options.data_dir) = argv[++i];
      continue;
    }
    std::cerr << "error: unexpected argument '" << arg << "'\n\n";
    PrintUsage(program, title);
    return 2;
  }
  if (options.data_dir.empty()) {
    std::cerr << "error: --data-dir is required\n\n";
    PrintUsage(program, title);
    return 2;
  }
  std::cout << "# " << title << "\n";
  try {
    Workshop workshop(options);
    std::cout << "(embedded data directory: " << workshop.db_dir()
              << (workshop.temporary() ? ", temporary" : "") << ")\n";
    body(workshop);
    if (workshop.temporary()) {
      std::cout << "\n(the temporary data directory is removed now; pass --db DIR to keep the "
                   "tables)\n";
    }
  } catch (const WorkshopError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const CqlError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

void Section(std::string_view title) {
  std::cout << "\n## " << title << "\n\n";
}

namespace {

// Cells wider than this are cut (a basket of 80 movie ids is no help on a terminal).
constexpr size_t kMaxCellWidth = 100;

bool IsNumber(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

std::string Cut(const std::string& s) {
  if (shell::DisplayWidth(s) <= kMaxCellWidth) return s;
  // Cut on a UTF-8 character boundary.
  size_t bytes = 0, chars = 0;
  while (bytes < s.size() && chars < kMaxCellWidth - 3) {
    ++bytes;
    while (bytes < s.size() && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80) ++bytes;
    ++chars;
  }
  return s.substr(0, bytes) + "...";
}

std::string Pad(const std::string& s, size_t width, bool right) {
  const std::string fill(width - std::min(width, shell::DisplayWidth(s)), ' ');
  return right ? fill + s : s + fill;
}

}  // namespace

void PrintTable(const std::vector<std::string>& headers,
                const std::vector<std::vector<std::string>>& rows) {
  // Numbers right-aligned, text left-aligned, as a notebook renders a DataFrame.
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> width(headers.size());
  std::vector<bool> numeric(headers.size(), !rows.empty());
  for (size_t c = 0; c < headers.size(); ++c) width[c] = shell::DisplayWidth(headers[c]);
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (size_t c = 0; c < headers.size(); ++c) {
      line.push_back(Cut(c < row.size() ? row[c] : std::string()));
      width[c] = std::max(width[c], shell::DisplayWidth(line.back()));
      if (line.back() != "null" && !IsNumber(line.back())) numeric[c] = false;
    }
    cells.push_back(std::move(line));
  }
  std::string out;
  auto emit = [&](const std::vector<std::string>& line, bool header) {
    for (size_t c = 0; c < line.size(); ++c) {
      out += (c == 0 ? " " : " | ") + Pad(line[c], width[c], numeric[c] && !header);
    }
    out += "\n";
  };
  emit(headers, true);
  for (size_t c = 0; c < headers.size(); ++c) {
    out += (c == 0 ? "-" : "-+-") + std::string(width[c], '-');
  }
  out += "-\n";
  for (const auto& line : cells) emit(line, false);
  std::cout << out << "\n";
}

void PrintMetrics(const std::vector<std::pair<std::string, double>>& metrics) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& [name, value] : metrics) {
    // Counts read better without decimals; a metric of exactly 0 or 1 keeps them.
    const bool count = value > 1 && value < 1e15 && value == std::floor(value);
    rows.push_back({name, count ? fmt::format("{}", static_cast<int64_t>(value)) : Fixed(value)});
  }
  PrintTable({"metric", "value"}, rows);
}

void Show(const ml::Frame& f, size_t n) {
  std::vector<uint32_t> first;
  for (size_t r = 0; r < std::min(n, f.num_rows()); ++r) first.push_back(static_cast<uint32_t>(r));
  const exec::Rows rows = f.Take(first).ToRows();
  std::vector<std::string> headers;
  for (const auto& field : rows.schema.fields) headers.push_back(field.name);
  std::vector<std::vector<std::string>> cells;
  for (const auto& batch : rows.batches) {
    for (size_t r = 0; r < batch.num_rows; ++r) {
      std::vector<std::string> line;
      for (const auto& column : batch.columns) line.push_back(exec::TextAt(column, r));
      cells.push_back(std::move(line));
    }
  }
  PrintTable(headers, cells);
  if (n < f.num_rows()) std::cout << "(first " << n << " of " << f.num_rows() << " rows)\n";
}

namespace {

ml::ConfusionMatrix ConfusionOf(const ml::Frame& f, size_t num_classes) {
  return ml::ComputeConfusionMatrix(f.Numeric("label"), f.Numeric("prediction"), {}, num_classes);
}

}  // namespace

void PrintClassReport(const ml::Frame& f, const std::vector<std::string>& labels) {
  const ml::ConfusionMatrix cm = ConfusionOf(f, labels.size());
  std::vector<std::vector<std::string>> rows;
  for (size_t c = 0; c < labels.size(); ++c) {
    rows.push_back({labels[c], Fixed(ml::Precision(cm, c)), Fixed(ml::Recall(cm, c)),
                    Fixed(ml::FMeasure(cm, c)), fmt::format("{}", cm.Support(c))});
  }
  PrintTable({"class", "precision", "recall", "f1", "support"}, rows);
}

void PrintConfusionMatrix(const ml::Frame& f, const std::vector<std::string>& labels) {
  const ml::ConfusionMatrix cm = ConfusionOf(f, labels.size());
  std::vector<std::string> headers = {"actual \\ predicted"};
  for (const auto& l : labels) headers.push_back(l);
  std::vector<std::vector<std::string>> rows;
  for (size_t t = 0; t < labels.size(); ++t) {
    std::vector<std::string> row = {labels[t]};
    for (size_t p = 0; p < labels.size(); ++p) row.push_back(fmt::format("{}", cm.at(t, p)));
    rows.push_back(std::move(row));
  }
  PrintTable(headers, rows);
}

ml::Frame LabelledPredictions(const ml::Frame& f, const std::vector<std::string>& keep,
                              std::string_view label_column) {
  const std::vector<std::string>& labels = f.AttrsOf("label").labels;
  const DataType& type = f.Scalar(label_column).type;
  // Each class's label once, in the label column's own type.
  std::vector<Value> label_values;
  for (const auto& l : labels) label_values.emplace_back(shell::ParseValueText(type, l));
  const std::vector<double> index = f.Numeric("prediction");
  const ml::Vectors& probability = f.VectorsOf("probability");
  exec::Column prediction = exec::Column::Make(type, f.num_rows());
  exec::Column best = exec::Column::Make(DataType::Of(TypeKind::kDouble), f.num_rows());
  std::vector<double> p(probability.dim);
  for (size_t r = 0; r < f.num_rows(); ++r) {
    if (std::isnan(index[r]) || probability.IsNull(r)) {
      prediction.AppendNull();
      best.AppendNull();
      continue;
    }
    const auto c = static_cast<size_t>(index[r]);
    exec::AppendCqlValue(&prediction, label_values.at(c));
    probability.Densify(r, p.data());
    best.AppendDouble(p.at(c));
  }
  ml::Frame out = f.Select(keep);
  out.Add("prediction", std::move(prediction));
  out.Add("probability", std::move(best));
  return out;
}

std::string Fixed(double v, int digits) {
  return fmt::format("{:.{}f}", v, digits);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace helenus::workshop
