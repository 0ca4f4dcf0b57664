#pragma once

// Estimators, transformers and model loaders by name. Each algorithm file
// exports one Register<Name>(Registry&) function; registry.cpp calls them
// all (one line per algorithm), so adding an algorithm is one file plus
// that line.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "helenus/ml/model.h"
#include "helenus/ml/params.h"

namespace helenus::ml {

// What an estimator learns to do (drives defaults of ML statements and evaluation).
enum class Task {
  kClassification,
  kRegression,
  kClustering,
  kRecommendation,
  kAssociation,
  kFeature,  // feature estimators (StringIndexer, StandardScaler, PCA, ...)
};

// Name of a task ("classification", ...).
std::string_view TaskName(Task task);

// A registered estimator.
struct EstimatorInfo {
  std::string name;  // snake_case, e.g. "random_forest_classifier"
  Task task;
  std::string doc;  // one line
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Estimator>(const Params&)> make;  // params already validated
};

// A registered parameter-only transformer (nothing to fit: VectorAssembler, Tokenizer, ...).
struct TransformerInfo {
  std::string name;
  std::string doc;
  std::vector<ParamSpec> params;
  std::function<std::unique_ptr<Transformer>(const Params&)> make;
};

// Reads a saved model of one kind (the bytes after its kind header).
using ModelLoader = std::function<std::unique_ptr<Model>(Reader&)>;

// The catalogue of algorithms.
class Registry {
 public:
  // The registry with every built-in algorithm.
  static const Registry& Default();

  void Add(EstimatorInfo info);
  void Add(TransformerInfo info);
  void AddLoader(std::string kind, ModelLoader loader);

  // nullptr when unknown.
  const EstimatorInfo* FindEstimator(std::string_view name) const;
  const TransformerInfo* FindTransformer(std::string_view name) const;
  // Validates params and builds the estimator; Invalid for an unknown name or bad params.
  std::unique_ptr<Estimator> MakeEstimator(std::string_view name, const Params& params) const;
  std::unique_ptr<Transformer> MakeTransformer(std::string_view name, const Params& params) const;
  // Loads a model of `kind` from r; Invalid when no loader is registered.
  std::unique_ptr<Model> Load(std::string_view kind, Reader& r) const;

  const std::map<std::string, EstimatorInfo, std::less<>>& estimators() const {
    return estimators_;
  }
  const std::map<std::string, TransformerInfo, std::less<>>& transformers() const {
    return transformers_;
  }

 private:
  std::map<std::string, EstimatorInfo, std::less<>> estimators_;
  std::map<std::string, TransformerInfo, std::less<>> transformers_;
  std::map<std::string, ModelLoader, std::less<>> loaders_;
};

// Current version of the saved-model format.
inline constexpr uint32_t kModelFormatVersion = 1;

// A model as bytes: magic "HLNSMODL", format version, kind, then the model's Save().
std::vector<uint8_t> SaveModel(const Model& model);
// A model back from SaveModel's bytes; Invalid for foreign, newer or corrupt bytes.
std::unique_ptr<Model> LoadModel(std::span<const uint8_t> bytes,
                                 const Registry& registry = Registry::Default());

}  // namespace helenus::ml
