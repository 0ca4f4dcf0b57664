#pragma once

// What a fitted ALS model holds (shared by the estimator and the model).

#include <string>
#include <vector>

#include "helenus/ml/als.h"
#include "ml/als_ids.h"
#include "ml/als_solver.h"

namespace helenus::ml {

// The registry name of ALS and its models.
inline constexpr std::string_view kAlsKind = "als";

struct AlsModel::State {
  std::string user_col = "user";
  std::string item_col = "item";
  std::string rating_col = "rating";
  std::string prediction_col = "prediction";
  std::string cold_start_strategy = "nan";
  AlsOptions options;
  IdIndex users;
  IdIndex items;
  std::vector<double> user_factors;  // rank values per user, in id order
  std::vector<double> item_factors;  // rank values per item, in id order
  int64_t num_ratings = 0;
  double training_rmse = 0;
};

}  // namespace helenus::ml
