#pragma once

// Collaborative filtering by alternating least squares (Spark MLlib's ALS):
// the fitted model and its recommendation queries, which the SQL layer
// calls for RECOMMEND-style statements.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "helenus/ml/model.h"
#include "helenus/ml/recommender.h"

namespace helenus::ml {

// A fitted ALS model: one factor vector per known user and item; a rating
// is predicted as their dot product.
class AlsModel final : public Model, public Recommender {
 public:
  // What the model holds; defined in src/ml (opaque to callers).
  struct State;
  explicit AlsModel(std::shared_ptr<const State> state);
  ~AlsModel() override;

  std::string kind() const override;
  // Adds prediction_col for the (user, item) of every row: NaN for unknown
  // users or items (cold_start_strategy nan) or the row is dropped (drop).
  Frame Transform(const Frame& input, const Context& ctx) const override;
  void Save(Writer& out) const override;
  std::vector<std::pair<std::string, std::string>> Describe() const override;
  // "user_factors", "item_factors": id and features (a vector column).
  std::vector<std::string> Artifacts() const override;
  Frame Artifact(std::string_view name) const override;

  // The n best items of every user: rows (user, item, rating) with the
  // model's user_col and item_col names and original id types, users in id
  // order, items best first (ties by item id). Like Spark, items the user
  // already rated are not excluded. n is capped at the number of items.
  Frame RecommendForAllUsers(size_t n, const Context& ctx = {}) const override;
  // The n best users of every item: rows (item, user, rating), as above.
  Frame RecommendForAllItems(size_t n, const Context& ctx = {}) const override;
  // RecommendForAllUsers for the distinct known users of column user_col of
  // `users` (unknown and NULL ids are skipped).
  Frame RecommendForUserSubset(const Frame& users, size_t n, const Context& ctx = {}) const;
  // RecommendForAllItems for the distinct known items of column item_col of `items`.
  Frame RecommendForItemSubset(const Frame& items, size_t n, const Context& ctx = {}) const;

  // Reads a model written by Save.
  static std::unique_ptr<AlsModel> Load(Reader& in);

 private:
  std::shared_ptr<const State> s_;
};

// The ALS model that `model` is; Invalid when it is another kind of model.
const AlsModel& AsAlsModel(const Model& model);

}  // namespace helenus::ml
