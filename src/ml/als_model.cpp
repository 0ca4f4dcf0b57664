// The fitted ALS model: predictions, recommendations, factors, save/load.

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "ml/als_state.h"

namespace helenus::ml {
namespace {

// Entities whose recommendations one task scores at a time.
constexpr size_t kRecommendBlock = 32;

// Top n of `dst` for each of `which` (indices into src): rows (src id, dst
// id, score), best first, ties by dst index.
Frame Recommend(const IdIndex& src_ids, const std::vector<double>& src_f,
                const std::string& src_name, const IdIndex& dst_ids,
                const std::vector<double>& dst_f, const std::string& dst_name,
                const std::vector<uint32_t>& which, size_t n, size_t rank, const Context& ctx) {
  if (n == 0) ThrowInvalid("The number of recommendations must be at least 1");
  const size_t nd = dst_ids.size();
  n = std::min(n, nd);
  const Eigen::Index r = static_cast<Eigen::Index>(rank);
  Eigen::Map<const Eigen::MatrixXd> dst(dst_f.data(), r, static_cast<Eigen::Index>(nd));
  std::vector<uint32_t> best(which.size() * n);
  std::vector<double> score(which.size() * n);
  const size_t blocks = (which.size() + kRecommendBlock - 1) / kRecommendBlock;
  ctx.pool->ParallelFor(blocks, [&](size_t b) {
    const size_t begin = b * kRecommendBlock;
    const size_t end = std::min(which.size(), begin + kRecommendBlock);
    Eigen::MatrixXd src(r, static_cast<Eigen::Index>(end - begin));
    for (size_t s = begin; s < end; ++s) {
      src.col(static_cast<Eigen::Index>(s - begin)) =
          Eigen::Map<const Eigen::VectorXd>(src_f.data() + which[s] * rank, r);
    }
    // One column of scores per source entity.
    const Eigen::MatrixXd scores = dst.transpose() * src;
    std::vector<uint32_t> order(nd);
    for (size_t s = begin; s < end; ++s) {
      const double* col = scores.data() + (s - begin) * nd;
      std::iota(order.begin(), order.end(), 0);
      std::partial_sort(
          order.begin(), order.begin() + static_cast<std::ptrdiff_t>(n), order.end(),
          [&](uint32_t a, uint32_t c) { return col[a] > col[c] || (col[a] == col[c] && a < c); });
      for (size_t k = 0; k < n; ++k) {
        best[s * n + k] = order[k];
        score[s * n + k] = col[order[k]];
      }
    }
  });
  const size_t rows = which.size() * n;
  exec::Column src_col = exec::Column::Make(src_ids.values().type, rows);
  exec::Column dst_col = exec::Column::Make(dst_ids.values().type, rows);
  exec::Column rating = exec::Column::Make(DataType::Of(TypeKind::kDouble), rows);
  for (size_t s = 0; s < which.size(); ++s) {
    for (size_t k = 0; k < n; ++k) {
      src_col.AppendFrom(src_ids.values(), which[s]);
      dst_col.AppendFrom(dst_ids.values(), best[s * n + k]);
      rating.AppendDouble(score[s * n + k]);
    }
  }
  Frame f;
  f.Add(src_name, std::move(src_col));
  f.Add(dst_name, std::move(dst_col));
  f.Add("rating", std::move(rating));
  return f;
}

std::vector<uint32_t> All(size_t n) {
  std::vector<uint32_t> v(n);
  std::iota(v.begin(), v.end(), 0);
  return v;
}

// The distinct known ids of a column, in index order.
std::vector<uint32_t> Known(const IdIndex& ids, const Frame& f, const std::string& name) {
  const exec::Column& col = f.Scalar(name);
  ids.CheckType(col, name);
  std::vector<uint32_t> v;
  for (size_t r = 0; r < col.size(); ++r) {
    const uint32_t i = ids.Lookup(col, r);
    if (i != IdIndex::kUnknown) v.push_back(i);
  }
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

Frame Factors(const IdIndex& ids, const std::vector<double>& factors, size_t rank) {
  Vectors v = Vectors::Dense(ids.size(), rank);
  v.values = factors;
  Frame f;
  f.Add("id", ids.values());
  f.Add("features", std::move(v));
  return f;
}

}  // namespace

AlsModel::AlsModel(std::shared_ptr<const State> state) : s_(std::move(state)) {}
AlsModel::~AlsModel() = default;

std::string AlsModel::kind() const {
  return std::string(kAlsKind);
}

Frame AlsModel::Transform(const Frame& input, const Context& ctx) const {
  const exec::Column& users = input.Scalar(s_->user_col);
  const exec::Column& items = input.Scalar(s_->item_col);
  s_->users.CheckType(users, s_->user_col);
  s_->items.CheckType(items, s_->item_col);
  const size_t n = input.num_rows();
  const size_t rank = s_->options.rank;
  std::vector<double> pred(n);
  ForRows(ctx, n, [&](size_t begin, size_t end) {
    for (size_t r = begin; r < end; ++r) {
      const uint32_t u = s_->users.Lookup(users, r);
      const uint32_t i = s_->items.Lookup(items, r);
      if (u == IdIndex::kUnknown || i == IdIndex::kUnknown) {
        pred[r] = std::numeric_limits<double>::quiet_NaN();
        continue;
      }
      const double* uf = s_->user_factors.data() + static_cast<size_t>(u) * rank;
      const double* vf = s_->item_factors.data() + static_cast<size_t>(i) * rank;
      double p = 0;
      for (size_t k = 0; k < rank; ++k) p += uf[k] * vf[k];
      pred[r] = p;
    }
  });
  if (s_->cold_start_strategy == "drop") {
    std::vector<uint32_t> keep;
    for (size_t r = 0; r < n; ++r) {
      if (!std::isnan(pred[r])) keep.push_back(static_cast<uint32_t>(r));
    }
    Frame out = input.Take(keep);
    exec::Column p = exec::Column::Make(DataType::Of(TypeKind::kDouble), keep.size());
    for (uint32_t r : keep) p.AppendDouble(pred[r]);
    out.Add(s_->prediction_col, std::move(p));
    return out;
  }
  exec::Column p = exec::Column::Make(DataType::Of(TypeKind::kDouble), n);
  for (double v : pred) p.AppendDouble(v);
  Frame out = input;
  out.Add(s_->prediction_col, std::move(p));
  return out;
}

Frame AlsModel::RecommendForAllUsers(size_t n, const Context& ctx) const {
  return Recommend(s_->users, s_->user_factors, s_->user_col, s_->items, s_->item_factors,
                   s_->item_col, All(s_->users.size()), n, s_->options.rank, ctx);
}

Frame AlsModel::RecommendForAllItems(size_t n, const Context& ctx) const {
  return Recommend(s_->items, s_->item_factors, s_->item_col, s_->users, s_->user_factors,
                   s_->user_col, All(s_->items.size()), n, s_->options.rank, ctx);
}

Frame AlsModel::RecommendForUserSubset(const Frame& users, size_t n, const Context& ctx) const {
  return Recommend(s_->users, s_->user_factors, s_->user_col, s_->items, s_->item_factors,
                   s_->item_col, Known(s_->users, users, s_->user_col), n, s_->options.rank, ctx);
}

Frame AlsModel::RecommendForItemSubset(const Frame& items, size_t n, const Context& ctx) const {
  return Recommend(s_->items, s_->item_factors, s_->item_col, s_->users, s_->user_factors,
                   s_->user_col, Known(s_->items, items, s_->item_col), n, s_->options.rank, ctx);
}

void AlsModel::Save(Writer& out) const {
  out.Strs(
      {s_->user_col, s_->item_col, s_->rating_col, s_->prediction_col, s_->cold_start_strategy});
  const AlsOptions& o = s_->options;
  out.U64(o.rank);
  out.I64(o.max_iter);
  out.F64(o.reg_param);
  out.Bool(o.implicit_prefs);
  out.F64(o.alpha);
  out.Bool(o.nonnegative);
  out.U64(o.seed);
  s_->users.Save(out);
  s_->items.Save(out);
  out.F64s(s_->user_factors);
  out.F64s(s_->item_factors);
  out.I64(s_->num_ratings);
  out.F64(s_->training_rmse);
}

std::unique_ptr<AlsModel> AlsModel::Load(Reader& in) {
  auto s = std::make_shared<State>();
  const auto cols = in.Strs();
  if (cols.size() != 5 || (cols[4] != "nan" && cols[4] != "drop")) {
    ThrowInvalid("Corrupt model: ALS columns");
  }
  s->user_col = cols[0];
  s->item_col = cols[1];
  s->rating_col = cols[2];
  s->prediction_col = cols[3];
  s->cold_start_strategy = cols[4];
  AlsOptions& o = s->options;
  o.rank = in.U64();
  o.max_iter = in.I64();
  o.reg_param = in.F64();
  o.implicit_prefs = in.Bool();
  o.alpha = in.F64();
  o.nonnegative = in.Bool();
  o.seed = in.U64();
  s->users = IdIndex::Load(in);
  s->items = IdIndex::Load(in);
  s->user_factors = in.F64s();
  s->item_factors = in.F64s();
  s->num_ratings = in.I64();
  s->training_rmse = in.F64();
  if (o.rank == 0 || o.rank > 4096 || s->user_factors.size() != s->users.size() * o.rank ||
      s->item_factors.size() != s->items.size() * o.rank) {
    ThrowInvalid("Corrupt model: ALS factors do not match the ids");
  }
  return std::make_unique<AlsModel>(std::move(s));
}

std::vector<std::pair<std::string, std::string>> AlsModel::Describe() const {
  const AlsOptions& o = s_->options;
  return {
      {"rank", std::to_string(o.rank)},
      {"max_iter", std::to_string(o.max_iter)},
      {"reg_param", fmt::format("{}", o.reg_param)},
      {"implicit_prefs", o.implicit_prefs ? "true" : "false"},
      {"alpha", fmt::format("{}", o.alpha)},
      {"nonnegative", o.nonnegative ? "true" : "false"},
      {"cold_start_strategy", s_->cold_start_strategy},
      {"seed", std::to_string(static_cast<int64_t>(o.seed))},
      {"user_col", s_->user_col},
      {"item_col", s_->item_col},
      {"num_users", std::to_string(s_->users.size())},
      {"num_items", std::to_string(s_->items.size())},
      {"num_ratings", std::to_string(s_->num_ratings)},
      {"training_rmse", fmt::format("{}", s_->training_rmse)},
  };
}

std::vector<std::string> AlsModel::Artifacts() const {
  return {"user_factors", "item_factors"};
}

Frame AlsModel::Artifact(std::string_view name) const {
  if (name == "user_factors") return Factors(s_->users, s_->user_factors, s_->options.rank);
  if (name == "item_factors") return Factors(s_->items, s_->item_factors, s_->options.rank);
  return Model::Artifact(name);
}

const AlsModel& AsAlsModel(const Model& model) {
  const auto* als = dynamic_cast<const AlsModel*>(&model);
  if (als == nullptr)
    ThrowInvalid("Model is a {} model; recommendations need an als model", model.kind());
  return *als;
}

}  // namespace helenus::ml
