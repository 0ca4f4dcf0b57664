#include <fmt/format.h>

#include "helenus/common/error.h"
#include "helenus/ml/tuning.h"

namespace helenus::ml {

ParamGridBuilder& ParamGridBuilder::AddGrid(std::string_view name, std::vector<ParamValue> values) {
  std::string key = SnakeCase(name);
  for (auto& [n, v] : grid_) {
    if (n == key) {
      v = std::move(values);
      return *this;
    }
  }
  grid_.emplace_back(std::move(key), std::move(values));
  return *this;
}

std::vector<Params> ParamGridBuilder::Build(const Params& base) const {
  std::vector<Params> maps = {base};
  for (const auto& [name, values] : grid_) {
    std::vector<Params> next;
    next.reserve(maps.size() * values.size());
    for (const Params& m : maps) {
      for (const ParamValue& v : values) {
        Params p = m;
        p.Set(name, v);
        next.push_back(std::move(p));
      }
    }
    maps = std::move(next);
  }
  return maps;
}

std::string ParamMapText(const Params& p) {
  std::string out;
  for (const auto& [name, value] : p.values()) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{}={}", name, ParamText(value));
  }
  return out;
}

EstimatorFactory RegistryFactory(std::string name, const Registry& registry) {
  if (registry.FindEstimator(name) == nullptr) {
    // Fails now, with the list of known names, rather than inside a fold.
    registry.MakeEstimator(name, Params());
  }
  return [name = std::move(name), &registry](const Params& p) {
    return registry.MakeEstimator(name, p);
  };
}

std::vector<ParamSpec> CrossValidatorSpecs() {
  return {
      IntParam("num_folds", 3, "number of folds", 2, 1e6),
      IntParam("seed", static_cast<int64_t>(kDefaultTuningSeed), "seed of the fold assignment", 0,
               9.007199254740992e15),
      IntParam("parallelism", 1, "models fitted at the same time", 1, 1024),
  };
}

std::vector<ParamSpec> TrainValidationSplitSpecs() {
  return {
      DoubleParam("train_ratio", 0.75, "fraction of rows used for training", 0, 1),
      IntParam("seed", static_cast<int64_t>(kDefaultTuningSeed), "seed of the split", 0,
               9.007199254740992e15),
      IntParam("parallelism", 1, "models fitted at the same time", 1, 1024),
  };
}

}  // namespace helenus::ml
