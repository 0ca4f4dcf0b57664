#include "helenus/ml/tuning.h"

#include <atomic>
#include <cmath>
#include <exception>

#include "helenus/common/error.h"
#include "helenus/ml/random.h"
#include "ml/evaluator_columns.h"

namespace helenus::ml {

namespace {

// A training set and the rows its models are scored on.
struct Split {
  Frame train;
  Frame validation;
};

void CheckSetup(const EstimatorFactory& make, const std::vector<Params>& grid,
                const EvaluatorPtr& evaluator) {
  if (!make) ThrowInvalid("Tuning needs an estimator");
  if (grid.empty()) ThrowInvalid("Tuning needs at least one parameter map");
  if (evaluator == nullptr) ThrowInvalid("Tuning needs an evaluator");
}

// metric[s][m] of param map m fitted on split s. Up to `parallelism` fits run
// at once; each result lands in its own slot, so the outcome does not depend
// on which worker ran which fit.
std::vector<std::vector<double>> ScoreGrid(const EstimatorFactory& make,
                                           const std::vector<Params>& grid,
                                           const Evaluator& evaluator,
                                           const std::vector<Split>& splits, size_t parallelism,
                                           const Context& ctx) {
  const size_t maps = grid.size();
  const size_t tasks = splits.size() * maps;
  const size_t total_steps = tasks + 1;  // + the final refit
  std::vector<std::vector<double>> metric(splits.size(), std::vector<double>(maps));
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<bool> failed{false};
  const size_t workers = std::min(parallelism, tasks);
  ctx.pool->ParallelFor(workers, [&](size_t) {
    for (size_t t = next++; t < tasks && !failed.load(); t = next++) {
      try {
        ctx.CheckCancelled();
        const Split& split = splits[t / maps];
        auto estimator = make(grid[t % maps]);
        auto model = estimator->Fit(split.train, ctx);
        metric[t / maps][t % maps] =
            evaluator.Evaluate(model->Transform(split.validation, ctx), ctx);
        ctx.Step(++done, total_steps);
      } catch (...) {
        failed = true;
        throw;
      }
    }
  });
  return metric;
}

// The best of avg (first on ties); NaN never wins.
size_t BestIndex(const std::vector<double>& avg, bool larger_is_better) {
  size_t best = 0;
  for (size_t i = 1; i < avg.size(); ++i) {
    if (std::isnan(avg[i])) continue;
    const bool better =
        std::isnan(avg[best]) || (larger_is_better ? avg[i] > avg[best] : avg[i] < avg[best]);
    if (better) best = i;
  }
  return best;
}

TuningResult Finish(const EstimatorFactory& make, const std::vector<Params>& grid,
                    const Evaluator& evaluator, std::vector<double> avg, std::vector<double> std,
                    const Frame& data, size_t total_steps, const Context& ctx) {
  TuningResult r;
  r.metric_name = evaluator.metric_name();
  r.larger_is_better = evaluator.larger_is_better();
  r.param_maps = grid;
  r.avg_metrics = std::move(avg);
  r.std_metrics = std::move(std);
  r.best_index = BestIndex(r.avg_metrics, r.larger_is_better);
  ctx.CheckCancelled();
  r.best_model = make(grid[r.best_index])->Fit(data, ctx);
  ctx.Step(total_steps, total_steps);
  return r;
}

std::vector<uint32_t> All(size_t n) {
  std::vector<uint32_t> rows(n);
  for (size_t i = 0; i < n; ++i) rows[i] = static_cast<uint32_t>(i);
  return rows;
}

}  // namespace

CrossValidator::CrossValidator(EstimatorFactory make, std::vector<Params> grid,
                               EvaluatorPtr evaluator, const Params& options)
    : make_(std::move(make)), grid_(std::move(grid)), evaluator_(std::move(evaluator)) {
  CheckSetup(make_, grid_, evaluator_);
  const auto spec = CrossValidatorSpecs();
  options.Validate(spec, "cross_validator");
  num_folds_ = static_cast<size_t>(options.Int(spec, "num_folds"));
  seed_ = static_cast<uint64_t>(options.Int(spec, "seed"));
  parallelism_ = static_cast<size_t>(options.Int(spec, "parallelism"));
}

TuningResult CrossValidator::Fit(const Frame& data, const Context& ctx) const {
  const size_t n = data.num_rows();
  if (n < num_folds_) {
    ThrowInvalid("Cross-validation with {} folds needs at least {} rows, got {}", num_folds_,
                 num_folds_, n);
  }
  // A seeded Fisher-Yates shuffle dealt round-robin: folds differ in size by
  // at most one row, and depend only on the seed and the row count.
  std::vector<uint32_t> order = All(n);
  Rng rng = Rng::Stream(seed_, 0);
  for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.Below(i)]);
  std::vector<uint32_t> fold(n);
  for (size_t i = 0; i < n; ++i) fold[order[i]] = static_cast<uint32_t>(i % num_folds_);

  std::vector<Split> splits(num_folds_);
  ctx.pool->ParallelFor(num_folds_, [&](size_t k) {
    std::vector<uint32_t> train, validation;
    train.reserve(n - n / num_folds_);
    validation.reserve(n / num_folds_ + 1);
    for (size_t r = 0; r < n; ++r) {
      (fold[r] == k ? validation : train).push_back(static_cast<uint32_t>(r));
    }
    splits[k] = {data.Take(train), data.Take(validation)};
  });
  const auto metric = ScoreGrid(make_, grid_, *evaluator_, splits, parallelism_, ctx);
  splits.clear();

  const size_t maps = grid_.size();
  std::vector<double> avg(maps, 0.0), sd(maps, 0.0);
  for (size_t m = 0; m < maps; ++m) {
    for (size_t k = 0; k < num_folds_; ++k) avg[m] += metric[k][m];
    avg[m] /= static_cast<double>(num_folds_);
    for (size_t k = 0; k < num_folds_; ++k)
      sd[m] += (metric[k][m] - avg[m]) * (metric[k][m] - avg[m]);
    sd[m] = std::sqrt(sd[m] / static_cast<double>(num_folds_));
  }
  return Finish(make_, grid_, *evaluator_, std::move(avg), std::move(sd), data,
                num_folds_ * maps + 1, ctx);
}

TrainValidationSplit::TrainValidationSplit(EstimatorFactory make, std::vector<Params> grid,
                                           EvaluatorPtr evaluator, const Params& options)
    : make_(std::move(make)), grid_(std::move(grid)), evaluator_(std::move(evaluator)) {
  CheckSetup(make_, grid_, evaluator_);
  const auto spec = TrainValidationSplitSpecs();
  options.Validate(spec, "train_validation_split");
  train_ratio_ = options.Double(spec, "train_ratio");
  seed_ = static_cast<uint64_t>(options.Int(spec, "seed"));
  parallelism_ = static_cast<size_t>(options.Int(spec, "parallelism"));
}

TuningResult TrainValidationSplit::Fit(const Frame& data, const Context& ctx) const {
  auto parts = RandomSplit(data, {train_ratio_, 1 - train_ratio_}, seed_, ctx);
  if (parts[0].num_rows() == 0 || parts[1].num_rows() == 0) {
    ThrowInvalid("train_ratio {} over {} rows leaves an empty training or validation set",
                 train_ratio_, data.num_rows());
  }
  std::vector<Split> splits(1);
  splits[0] = {std::move(parts[0]), std::move(parts[1])};
  const auto metric = ScoreGrid(make_, grid_, *evaluator_, splits, parallelism_, ctx);
  splits.clear();
  return Finish(make_, grid_, *evaluator_, metric[0], {}, data, grid_.size() + 1, ctx);
}

Frame TuningResult::ToFrame() const {
  using namespace evaluation;
  std::vector<std::string> text;
  for (const Params& p : param_maps) text.push_back(ParamMapText(p));
  exec::Column best = exec::Column::Make(DataType::Of(TypeKind::kBoolean), param_maps.size());
  for (size_t i = 0; i < param_maps.size(); ++i) best.AppendInt(i == best_index ? 1 : 0);
  Frame f;
  f.Add("params", TextColumn(text));
  f.Add("metric", DoubleColumn(avg_metrics));
  if (!std_metrics.empty()) f.Add("std_metric", DoubleColumn(std_metrics));
  f.Add("best", std::move(best));
  return f;
}

}  // namespace helenus::ml
