#pragma once

// Alternating least squares on ratings indexed by user and item number:
// each half-iteration fixes one side's factors and solves one small
// rank x rank normal equation per entity of the other side, in parallel.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "helenus/ml/context.h"

namespace helenus::ml {

// What ALS fits (Spark's parameters).
struct AlsOptions {
  size_t rank = 10;
  int64_t max_iter = 10;
  double reg_param = 0.1;
  bool implicit_prefs = false;
  double alpha = 1.0;
  bool nonnegative = false;
  uint64_t seed = 0;
};

// Ratings grouped by one side: entity e rated others[offsets[e] ..
// offsets[e+1]) with the matching values.
struct RatingBlocks {
  std::vector<uint64_t> offsets;
  std::vector<uint32_t> others;
  std::vector<double> values;

  // Number of entities.
  size_t size() const { return offsets.size() - 1; }
};

// Groups (by[r], other[r], rating[r]) by `by` (n entities), keeping row order.
RatingBlocks GroupRatings(const std::vector<uint32_t>& by, const std::vector<uint32_t>& other,
                          const std::vector<double>& rating, size_t n);

// Fits factors (rank values per entity, entity after entity). Like Spark,
// both sides start from random unit vectors and each iteration solves the
// items, then the users. Regularization is reg_param times the entity's
// number of ratings (ALS-WR); implicit feedback follows Hu, Koren and
// Volinsky with Spark's confidence 1 + alpha |r| and preference r > 0.
void TrainAls(const Context& ctx, const RatingBlocks& by_user, const RatingBlocks& by_item,
              const AlsOptions& options, std::vector<double>* user_factors,
              std::vector<double>* item_factors);

}  // namespace helenus::ml
