#pragma once

// Transformers, models and estimators (MLlib's shapes):
//   Estimator::Fit(Frame) -> Model        (a Model is a fitted Transformer)
//   Transformer::Transform(Frame) -> Frame (adds columns to a copy)
// Models save to bytes (see model_io.h) and are loaded back by kind.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/ml/context.h"
#include "helenus/ml/frame.h"
#include "helenus/ml/serialize.h"

namespace helenus::ml {

// Something that adds columns to a Frame: a feature transformer or a fitted model.
class Transformer {
 public:
  virtual ~Transformer() = default;
  // The registry name its loader is found under, e.g. "naive_bayes".
  virtual std::string kind() const = 0;
  // A copy of input with this transformer's output columns added.
  virtual Frame Transform(const Frame& input, const Context& ctx) const = 0;
  // Writes parameters and learned state; the kind's loader reads them back.
  virtual void Save(Writer& out) const = 0;
  // Key/value lines for DESCRIBE MODEL (parameters, sizes, learned values).
  virtual std::vector<std::pair<std::string, std::string>> Describe() const { return {}; }
  // Names of the tables this model can show ("feature_importances", ...).
  virtual std::vector<std::string> Artifacts() const { return {}; }
  // The artifact called name, as a table; Invalid when there is none.
  virtual Frame Artifact(std::string_view name) const;
};

// A fitted model: a transformer that came out of Estimator::Fit.
using Model = Transformer;
using ModelPtr = std::shared_ptr<const Model>;

// Something that learns a Model from a Frame.
class Estimator {
 public:
  virtual ~Estimator() = default;
  // The registry name, e.g. "random_forest_classifier".
  virtual std::string kind() const = 0;
  // Learns from input; throws Invalid for unusable input (empty, one class, ...).
  virtual std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const = 0;
};
using EstimatorPtr = std::shared_ptr<const Estimator>;

}  // namespace helenus::ml
