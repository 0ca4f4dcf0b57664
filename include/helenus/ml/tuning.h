#pragma once

// Model selection like MLlib's tuning package: parameter grids,
// k-fold cross-validation, a train/validation split, and random splits of
// a Frame. Everything is deterministic for a seed whatever the thread count.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/ml/evaluator.h"
#include "helenus/ml/model.h"
#include "helenus/ml/params.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {

// Builds the Cartesian product of parameter values (MLlib's ParamGridBuilder).
class ParamGridBuilder {
 public:
  // Adds (or replaces) the values tried for name (normalized to snake_case).
  ParamGridBuilder& AddGrid(std::string_view name, std::vector<ParamValue> values);
  // Every combination, each on top of base. The first name added varies
  // slowest, the last fastest (nested loops in the order of AddGrid calls).
  // An empty grid gives {base}; a name with no values gives no combination.
  std::vector<Params> Build(const Params& base = {}) const;

 private:
  std::vector<std::pair<std::string, std::vector<ParamValue>>> grid_;
};

// The grid entries of p as text, "max_depth=5, reg_param=0.1" (sorted by name).
std::string ParamMapText(const Params& p);

// Makes the estimator for one parameter map.
using EstimatorFactory = std::function<std::unique_ptr<Estimator>(const Params&)>;
// The factory of a registered estimator (validates each parameter map).
EstimatorFactory RegistryFactory(std::string name, const Registry& registry = Registry::Default());

// The default seed of tuning and splits when none is given.
inline constexpr uint64_t kDefaultTuningSeed = 42;

// Options of CrossValidator and TrainValidationSplit, by MLlib's names:
// num_folds (3), train_ratio (0.75), seed (42), parallelism (1: how many
// models are fitted at the same time; each fit is itself parallel).
std::vector<ParamSpec> CrossValidatorSpecs();
std::vector<ParamSpec> TrainValidationSplitSpecs();

// What a tuning run found.
struct TuningResult {
  std::string metric_name;
  bool larger_is_better = true;
  std::vector<Params> param_maps;   // the grid, as given
  std::vector<double> avg_metrics;  // per param map: mean over folds (CV) or the validation metric
  std::vector<double> std_metrics;  // per param map: standard deviation over folds (CV only)
  size_t best_index = 0;            // the param map with the best avg metric (first on ties)
  ModelPtr best_model;              // the best param map refitted on all the data

  // One row per param map: params (text), metric (double), std_metric
  // (double, CV only), best (boolean).
  Frame ToFrame() const;
};

// k-fold cross-validation (MLlib's CrossValidator): rows are dealt into
// num_folds folds of equal size (+-1) by a seeded shuffle; every param map is
// fitted on each fold's complement and evaluated on the fold; the best map by
// mean metric is refitted on all rows.
class CrossValidator {
 public:
  // options: CrossValidatorSpecs() names; Invalid for bad values or an empty grid.
  CrossValidator(EstimatorFactory make, std::vector<Params> grid, EvaluatorPtr evaluator,
                 const Params& options = {});
  // Runs the search; Invalid when data has fewer rows than folds.
  TuningResult Fit(const Frame& data, const Context& ctx) const;

 private:
  EstimatorFactory make_;
  std::vector<Params> grid_;
  EvaluatorPtr evaluator_;
  size_t num_folds_;
  uint64_t seed_;
  size_t parallelism_;
};

// One train/validation split (MLlib's TrainValidationSplit): RandomSplit
// with weights {train_ratio, 1 - train_ratio}; every param map is fitted on
// the first part and evaluated on the second; the best is refitted on all rows.
class TrainValidationSplit {
 public:
  TrainValidationSplit(EstimatorFactory make, std::vector<Params> grid, EvaluatorPtr evaluator,
                       const Params& options = {});
  TuningResult Fit(const Frame& data, const Context& ctx) const;

 private:
  EstimatorFactory make_;
  std::vector<Params> grid_;
  EvaluatorPtr evaluator_;
  double train_ratio_;
  uint64_t seed_;
  size_t parallelism_;
};

// For each row, the index of the part it falls in: weights are normalized,
// and row r goes to the part where a uniform draw hashed from (seed, r)
// lands, so the result does not depend on threads or on other rows. Invalid
// for negative, non-finite or all-zero weights.
std::vector<uint32_t> RandomSplitAssignment(size_t rows, const std::vector<double>& weights,
                                            uint64_t seed, const Context& ctx = Context());
// MLlib's randomSplit: the rows of f in parts (each row in exactly one part,
// in its original order), by RandomSplitAssignment.
std::vector<Frame> RandomSplit(const Frame& f, const std::vector<double>& weights,
                               uint64_t seed = kDefaultTuningSeed, const Context& ctx = Context());

}  // namespace helenus::ml
