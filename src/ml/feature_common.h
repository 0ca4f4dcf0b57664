#pragma once

// What the feature transformers (src/ml/feature_*.cpp) share: their
// registration functions, saved parameters, column-name options, the
// handle_invalid choice and parallel builders of output columns.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "helenus/exec/column.h"
#include "helenus/ml/context.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/model.h"
#include "helenus/ml/params.h"
#include "helenus/ml/registry.h"
#include "helenus/ml/serialize.h"

namespace helenus::ml {

// Registers every feature transformer and estimator (the one call builtins.cpp makes).
void RegisterFeatures(Registry& r);

// One registration function per feature file (each adds its transformer or
// estimator and model loader).
void RegisterVectorAssembler(Registry& r);
void RegisterStringIndexer(Registry& r);
void RegisterIndexToString(Registry& r);
void RegisterOneHotEncoder(Registry& r);
void RegisterStandardScaler(Registry& r);
void RegisterMinMaxScaler(Registry& r);
void RegisterImputer(Registry& r);
void RegisterBucketizer(Registry& r);
void RegisterTokenizer(Registry& r);
void RegisterRegexTokenizer(Registry& r);
void RegisterStopWordsRemover(Registry& r);
void RegisterHashingTf(Registry& r);
void RegisterCountVectorizer(Registry& r);
void RegisterIdf(Registry& r);

// How a transformer treats NULL, NaN and unseen values (MLlib's handleInvalid).
enum class HandleInvalid { kError, kSkip, kKeep };

// The handle_invalid option's value as the enum.
HandleInvalid ParseHandleInvalid(std::string_view s);

// Names in a comma-separated list, trimmed of blanks; empty entries dropped.
std::vector<std::string> SplitNames(std::string_view list);

// Writes every set parameter (name and typed value).
void SaveParams(Writer& out, const Params& params);
// Reads parameters SaveParams wrote; Invalid when corrupt.
Params LoadParams(Reader& in);

// A column-name option that must be given; Invalid naming `what` when empty.
std::string RequiredColumn(const Params& p, const std::vector<ParamSpec>& spec,
                           std::string_view option, std::string_view what);
// output_col, or input + suffix when it is empty.
std::string OutputColumn(const Params& p, const std::vector<ParamSpec>& spec,
                         const std::string& input, std::string_view suffix);
// input plus out, a rescaled copy of the vector column in_name, as the column
// OutputColumn names; out keeps in_name's feature names.
Frame WithRescaled(const Frame& input, const Params& p, const std::vector<ParamSpec>& spec,
                   const std::string& in_name, std::string_view suffix, Vectors out);
// Input/output column pairs from input_col/output_col or input_cols/output_cols
// (comma-separated); outputs default to input + suffix. Invalid when neither or
// both forms are given, or the lists differ in length.
std::vector<std::pair<std::string, std::string>> ColumnPairs(const Params& p,
                                                             const std::vector<ParamSpec>& spec,
                                                             std::string_view what,
                                                             std::string_view suffix);
// The input_col/output_col/input_cols/output_cols declarations ColumnPairs reads.
std::vector<ParamSpec> MultiColumnSpecs(std::string_view output_doc);

// Spark's text of a double (Java Double.toString: 1.0, 0.5, 1.0E10, -Infinity, NaN).
std::string JavaNumber(double v);
// Up to `max` items joined by ", ", with "... (n in all)" when there are more.
std::string Preview(const std::vector<std::string>& items, size_t max = 20);
std::string Preview(const std::vector<double>& items, size_t max = 20);

// s lower-cased like Java's toLowerCase for ASCII, Latin-1, Latin Extended-A,
// Greek and Cyrillic letters (other characters pass unchanged).
std::string LowerUtf8(std::string_view s);

// A scalar column as text the way Spark casts it to a string (5 -> "5",
// 5.0 -> "5.0", true -> "true"): text columns themselves, others cast into *scratch.
const exec::Column& AsText(const exec::Column& column, exec::Column* scratch);
// `column` cast to `type` with the engine's CAST semantics.
exec::Column CastColumn(const exec::Column& column, const DataType& type);

// A hash and equality that let unordered maps keyed by std::string find string_views.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
// Index of each string of a vocabulary (labels, terms), looked up by string_view.
using TextIndex = std::unordered_map<std::string, uint32_t, TextHash, std::equal_to<>>;

// Builds a scalar column of `rows` rows in parallel chunks: fn(r, out) appends row r.
exec::Column BuildColumn(const Context& ctx, const DataType& type, size_t rows,
                         const std::function<void(size_t, exec::Column*)>& fn);
// Builds a sparse vector column in parallel chunks: fn(r, idx, val) appends row
// r's entries (ascending slots) and returns false for a NULL vector.
Vectors BuildSparse(
    const Context& ctx, size_t dim, size_t rows,
    const std::function<bool(size_t, std::vector<uint32_t>*, std::vector<double>*)>& fn);

// Rows of vector column x that are not NULL, with Invalid naming `what` when a
// value is NaN (impute first) or no row is left.
size_t CheckFitVectors(const Vectors& x, std::string_view column, std::string_view what);

// Base of the feature transformers: a kind, its parameter spec and the values
// set. Saves the parameters; subclasses append their learned state.
class FeatureTransformer : public Transformer {
 public:
  FeatureTransformer(std::string kind, const std::vector<ParamSpec>& spec, Params params)
      : kind_(std::move(kind)), spec_(&spec), params_(std::move(params)) {}
  std::string kind() const override { return kind_; }
  void Save(Writer& out) const override;
  // Every parameter with its value (set or default), then DescribeState().
  std::vector<std::pair<std::string, std::string>> Describe() const override;
  // The parameters as set.
  const Params& params() const { return params_; }

 protected:
  // Appends learned state after the parameters (nothing for parameter-only transformers).
  virtual void SaveState(Writer& out) const {}
  // Key/value lines of learned state.
  virtual std::vector<std::pair<std::string, std::string>> DescribeState() const { return {}; }
  // Typed reads with the spec's defaults.
  std::string Str(std::string_view name) const { return params_.String(*spec_, name); }
  int64_t Int(std::string_view name) const { return params_.Int(*spec_, name); }
  double Dbl(std::string_view name) const { return params_.Double(*spec_, name); }
  bool Flag(std::string_view name) const { return params_.Bool(*spec_, name); }
  const std::vector<ParamSpec>& spec() const { return *spec_; }

 private:
  std::string kind_;
  const std::vector<ParamSpec>* spec_;
  Params params_;
};

// Adds a parameter-only transformer and a loader that rebuilds it from its saved parameters.
void AddParamTransformer(Registry& r, TransformerInfo info);

// Adds a feature estimator (Task::kFeature) and the loader of its model:
// load(params, reader) reads the learned state SaveState wrote.
void AddFeatureEstimator(Registry& r, EstimatorInfo info,
                         std::function<std::unique_ptr<Model>(Params, Reader&)> load);

// Term counts of a fitted vocabulary (StringIndexer labels, CountVectorizer terms).
struct TermCount {
  int64_t count = 0;  // occurrences
  int64_t docs = 0;   // rows it occurs in
};
// Counts by term.
using TermCounts = std::unordered_map<std::string, TermCount, TextHash, std::equal_to<>>;
// Adds `from` into `into`.
void MergeCounts(TermCounts* into, const TermCounts& from);
// Sums the counts of every rank of the collective (no-op in one process).
void AllReduceCounts(const Context& ctx, TermCounts* counts);

}  // namespace helenus::ml
