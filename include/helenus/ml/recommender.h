#pragma once

// What a recommendation model (ALS) offers beyond Transform: top-n lists for
// everyone, as RECOMMEND ... FOR USERS | ITEMS returns them.

#include <cstddef>

#include "helenus/ml/context.h"
#include "helenus/ml/frame.h"

namespace helenus::ml {

// A model that recommends items to users and users to items.
class Recommender {
 public:
  virtual ~Recommender() = default;
  // One row per (user, recommended item): columns user_col, item_col (the
  // original id types) and rating (double), best first within each user.
  virtual Frame RecommendForAllUsers(size_t n, const Context& ctx) const = 0;
  // One row per (item, recommended user), best first within each item.
  virtual Frame RecommendForAllItems(size_t n, const Context& ctx) const = 0;
};

}  // namespace helenus::ml
