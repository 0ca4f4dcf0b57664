// ALS (Spark MLlib's collaborative filtering estimator): learns user and
// item factors from (user, item, rating) rows; see ml/als_solver.h for the
// algorithm and include/helenus/ml/als.h for the model.

#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/registry.h"
#include "ml/als_state.h"

namespace helenus::ml {
namespace {

std::vector<ParamSpec> AlsSpec() {
  return {
      IntParam("rank", 10, "number of latent factors", 1, 4096),
      IntParam("max_iter", 10, "number of iterations (items then users each)", 0, 1e6),
      DoubleParam("reg_param", 0.1, "regularization, scaled by each entity's rating count", 0),
      BoolParam("implicit_prefs", false, "ratings are implicit feedback (counts, clicks)"),
      DoubleParam("alpha", 1.0, "implicit feedback: confidence is 1 + alpha * |rating|", 0),
      BoolParam("nonnegative", false, "constrain factors to be non-negative"),
      StringParam("cold_start_strategy", "nan",
                  "unknown user or item at prediction: NaN, or drop the row", {"nan", "drop"}),
      StringParam("user_col", "user", "user id column (integers or text)"),
      StringParam("item_col", "item", "item id column (integers or text)"),
      StringParam("rating_col", "rating", "rating column"),
      StringParam("prediction_col", "prediction", "predicted rating column"),
      IntParam("seed", 0, "random seed of the initial factors"),
      IntParam("num_user_blocks", 10, "accepted for Spark compatibility; ignored", 1, 1e9),
      IntParam("num_item_blocks", 10, "accepted for Spark compatibility; ignored", 1, 1e9),
  };
}

class Als final : public Estimator {
 public:
  explicit Als(const Params& p) {
    const auto spec = AlsSpec();
    s_.options.rank = static_cast<size_t>(p.Int(spec, "rank"));
    s_.options.max_iter = p.Int(spec, "max_iter");
    s_.options.reg_param = p.Double(spec, "reg_param");
    s_.options.implicit_prefs = p.Bool(spec, "implicit_prefs");
    s_.options.alpha = p.Double(spec, "alpha");
    s_.options.nonnegative = p.Bool(spec, "nonnegative");
    s_.options.seed = static_cast<uint64_t>(p.Int(spec, "seed"));
    s_.cold_start_strategy = p.String(spec, "cold_start_strategy");
    s_.user_col = p.String(spec, "user_col");
    s_.item_col = p.String(spec, "item_col");
    s_.rating_col = p.String(spec, "rating_col");
    s_.prediction_col = p.String(spec, "prediction_col");
  }

  std::string kind() const override { return std::string(kAlsKind); }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const exec::Column& user_col = input.Scalar(s_.user_col);
    const exec::Column& item_col = input.Scalar(s_.item_col);
    const std::vector<double> ratings = input.Numeric(s_.rating_col);
    const size_t n = input.num_rows();
    if (n == 0) ThrowInvalid("The training set is empty");
    for (size_t r = 0; r < n; ++r) {
      if (!std::isfinite(ratings[r])) {
        ThrowInvalid("Rating column {} has NULL, NaN or infinity at row {}", s_.rating_col, r);
      }
    }
    auto state = std::make_shared<AlsModel::State>(s_);
    std::vector<uint32_t> user_of, item_of;
    state->users = IdIndex::Build(ctx, user_col, s_.user_col, &user_of);
    state->items = IdIndex::Build(ctx, item_col, s_.item_col, &item_of);
    const RatingBlocks by_user = GroupRatings(user_of, item_of, ratings, state->users.size());
    const RatingBlocks by_item = GroupRatings(item_of, user_of, ratings, state->items.size());
    TrainAls(ctx, by_user, by_item, state->options, &state->user_factors, &state->item_factors);

    // Root mean squared error on the training ratings, summed per chunk and
    // the chunks in order, so it does not depend on threads.
    const size_t rank = state->options.rank;
    std::vector<double> chunk_sums(NumChunks(n), 0.0);
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      double sum = 0;
      for (size_t r = begin; r < end; ++r) {
        const double* u = state->user_factors.data() + user_of[r] * rank;
        const double* i = state->item_factors.data() + item_of[r] * rank;
        double p = 0;
        for (size_t k = 0; k < rank; ++k) p += u[k] * i[k];
        sum += (ratings[r] - p) * (ratings[r] - p);
      }
      chunk_sums[begin / kChunkRows] = sum;
    });
    double sse = 0;
    for (double s : chunk_sums) sse += s;
    state->num_ratings = static_cast<int64_t>(n);
    state->training_rmse = std::sqrt(sse / static_cast<double>(n));
    return std::make_unique<AlsModel>(std::move(state));
  }

 private:
  AlsModel::State s_;
};

}  // namespace

void RegisterAls(Registry& r) {
  r.Add(EstimatorInfo{
      .name = std::string(kAlsKind),
      .task = Task::kRecommendation,
      .doc = "alternating least squares collaborative filtering (explicit or implicit ratings)",
      .params = AlsSpec(),
      .make = [](const Params& p) { return std::make_unique<Als>(p); },
  });
  r.AddLoader(std::string(kAlsKind), [](Reader& in) { return AlsModel::Load(in); });
}

}  // namespace helenus::ml
