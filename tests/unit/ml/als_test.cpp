#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "helenus/common/error.h"
#include "helenus/ml/als.h"
#include "helenus/ml/random.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {
namespace {

struct Rating {
  int64_t user, item;
  double rating;
};

Frame RatingsFrame(const std::vector<Rating>& rows) {
  exec::Column u = exec::Column::Make(DataType::Of(TypeKind::kInt));
  exec::Column i = exec::Column::Make(DataType::Of(TypeKind::kBigint));
  exec::Column r = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (const auto& x : rows) {
    u.AppendInt(x.user);
    i.AppendInt(x.item);
    r.AppendDouble(x.rating);
  }
  Frame f;
  f.Add("user", std::move(u));
  f.Add("item", std::move(i));
  f.Add("rating", std::move(r));
  return f;
}

std::unique_ptr<Model> FitAls(const Frame& f, const Params& p, const Context& ctx = {}) {
  return Registry::Default().MakeEstimator("als", p)->Fit(f, ctx);
}

double DescribeNumber(const Model& m, std::string_view key) {
  for (const auto& [k, v] : m.Describe()) {
    if (k == key) return std::stod(v);
  }
  return std::nan("");
}

// Ratings of a rank-3 matrix (users x items), each seen with probability `seen`.
std::vector<Rating> LowRank(int users, int items, double seen, uint64_t seed,
                            std::vector<Rating>* unseen = nullptr) {
  Rng rng(seed);
  const int rank = 3;
  std::vector<double> u(users * rank), v(items * rank);
  for (auto& x : u) x = rng.Normal();
  for (auto& x : v) x = rng.Normal();
  std::vector<Rating> out;
  for (int a = 0; a < users; ++a) {
    for (int b = 0; b < items; ++b) {
      double r = 0;
      for (int k = 0; k < rank; ++k) r += u[a * rank + k] * v[b * rank + k];
      Rating x{a * 10 + 1, 1000 + b, r};
      if (rng.Uniform() < seen) {
        out.push_back(x);
      } else if (unseen != nullptr) {
        unseen->push_back(x);
      }
    }
  }
  return out;
}

TEST(Als, RecoversALowRankMatrix) {
  std::vector<Rating> held_out;
  auto train = LowRank(80, 50, 0.6, 1, &held_out);
  Params p;
  p.Set("rank", 3.0).Set("max_iter", 30.0).Set("reg_param", 0.001);
  auto model = FitAls(RatingsFrame(train), p);
  EXPECT_LT(DescribeNumber(*model, "training_rmse"), 0.02);
  Frame out = model->Transform(RatingsFrame(held_out), {});
  const auto& pred = out.Scalar("prediction").doubles;
  double sse = 0, var = 0;
  for (size_t r = 0; r < held_out.size(); ++r) {
    sse += std::pow(pred[r] - held_out[r].rating, 2);
    var += std::pow(held_out[r].rating, 2);
  }
  // Unseen entries are predicted too: the matrix was recovered, not memorized.
  EXPECT_LT(sse / var, 0.01);
  EXPECT_EQ(DescribeNumber(*model, "num_users"), 80);
  EXPECT_EQ(DescribeNumber(*model, "num_items"), 50);
}

TEST(Als, ImplicitPrefersObservedItems) {
  // Two communities, each using its own half of the items.
  std::vector<Rating> rows;
  Rng rng(4);
  std::set<std::pair<int64_t, int64_t>> seen;
  for (int u = 0; u < 60; ++u) {
    for (int i = 0; i < 40; ++i) {
      if ((i < 20) == (u < 30) && rng.Uniform() < 0.5) {
        rows.push_back({u, i, double(1 + rng.Below(5))});
        seen.insert({u, i});
      }
    }
  }
  Params p;
  p.Set("implicit_prefs", true).Set("rank", 4.0).Set("alpha", 2.0);
  auto model = FitAls(RatingsFrame(rows), p);
  std::vector<Rating> all;
  for (int u = 0; u < 60; ++u) {
    for (int i = 0; i < 40; ++i) all.push_back({u, i, 0});
  }
  Frame out = model->Transform(RatingsFrame(all), {});
  const auto& pred = out.Scalar("prediction").doubles;
  double in_sum = 0, out_sum = 0;
  size_t in_n = 0, out_n = 0;
  for (size_t r = 0; r < all.size(); ++r) {
    const bool own_half = (all[r].item < 20) == (all[r].user < 30);
    if (seen.count({all[r].user, all[r].item})) {
      in_sum += pred[r];
      ++in_n;
    } else if (!own_half) {
      out_sum += pred[r];
      ++out_n;
    }
  }
  // Preferences are near 1 for observed items and near 0 for the other community's.
  EXPECT_GT(in_sum / in_n, 0.6);
  EXPECT_LT(std::fabs(out_sum / out_n), 0.2);
}

TEST(Als, ColdStartGivesNanOrDropsTheRow) {
  auto train = LowRank(10, 8, 0.8, 2);
  std::vector<Rating> query = {{1, 1000, 0}, {999, 1000, 0}, {1, 5, 0}, {11, 1001, 0}};
  auto nan_model = FitAls(RatingsFrame(train), Params());
  Frame out = nan_model->Transform(RatingsFrame(query), {});
  const auto& pred = out.Scalar("prediction").doubles;
  ASSERT_EQ(pred.size(), 4u);
  EXPECT_FALSE(std::isnan(pred[0]));
  EXPECT_TRUE(std::isnan(pred[1]));
  EXPECT_TRUE(std::isnan(pred[2]));
  EXPECT_FALSE(std::isnan(pred[3]));
  auto drop_model =
      FitAls(RatingsFrame(train), Params().Set("cold_start_strategy", std::string("drop")));
  Frame dropped = drop_model->Transform(RatingsFrame(query), {});
  ASSERT_EQ(dropped.num_rows(), 2u);
  EXPECT_EQ(dropped.Scalar("user").ints, (std::vector<int64_t>{1, 11}));
  EXPECT_EQ(dropped.Scalar("prediction").doubles[0], pred[0]);
  EXPECT_EQ(dropped.Scalar("prediction").doubles[1], pred[3]);
}

TEST(Als, RecommendsTheBestItemsOfEveryUserInScoreOrder) {
  auto train = LowRank(30, 25, 0.5, 3);
  auto model = FitAls(RatingsFrame(train), Params().Set("rank", 3.0));
  const AlsModel& als = AsAlsModel(*model);
  const size_t n = 5;
  Frame recs = als.RecommendForAllUsers(n);
  ASSERT_EQ(recs.num_rows(), 30 * n);
  EXPECT_EQ(recs.column(0).name, "user");
  EXPECT_EQ(recs.column(1).name, "item");
  EXPECT_EQ(recs.column(2).name, "rating");
  EXPECT_EQ(recs.Scalar("user").type.kind, TypeKind::kInt);
  EXPECT_EQ(recs.Scalar("item").type.kind, TypeKind::kBigint);
  // Reference: every (user, item) pair scored by Transform.
  std::vector<Rating> all;
  for (int u = 0; u < 30; ++u) {
    for (int i = 0; i < 25; ++i) all.push_back({u * 10 + 1, 1000 + i, 0});
  }
  const auto pred = model->Transform(RatingsFrame(all), {}).Scalar("prediction").doubles;
  for (int u = 0; u < 30; ++u) {
    std::vector<std::pair<double, int64_t>> scores;
    for (int i = 0; i < 25; ++i) scores.push_back({-pred[u * 25 + i], 1000 + i});
    std::sort(scores.begin(), scores.end());
    std::set<int64_t> distinct;
    for (size_t k = 0; k < n; ++k) {
      const size_t row = u * n + k;
      EXPECT_EQ(recs.Scalar("user").ints[row], u * 10 + 1);
      EXPECT_EQ(recs.Scalar("item").ints[row], scores[k].second);
      EXPECT_NEAR(recs.Scalar("rating").doubles[row], -scores[k].first, 1e-9);
      distinct.insert(recs.Scalar("item").ints[row]);
    }
    EXPECT_EQ(distinct.size(), n);
  }
  // Per item, and n capped at the number of users.
  Frame by_item = als.RecommendForAllItems(100);
  EXPECT_EQ(by_item.num_rows(), 25u * 30u);
  EXPECT_EQ(by_item.column(0).name, "item");
  // A subset of users, unknown ones skipped.
  exec::Column some = exec::Column::Make(DataType::Of(TypeKind::kInt));
  for (int64_t id : {11, 1, 11, 424242}) some.AppendInt(id);
  Frame users;
  users.Add("user", std::move(some));
  Frame subset = als.RecommendForUserSubset(users, 2);
  ASSERT_EQ(subset.num_rows(), 4u);
  EXPECT_EQ(subset.Scalar("user").ints, (std::vector<int64_t>{1, 1, 11, 11}));
  EXPECT_THROW(als.RecommendForAllUsers(0), CqlError);
}

TEST(Als, TextIdsAreKeptAndWrittenBack) {
  exec::Column u = exec::Column::Make(DataType::Of(TypeKind::kText));
  exec::Column i = exec::Column::Make(DataType::Of(TypeKind::kText));
  exec::Column r = exec::Column::Make(DataType::Of(TypeKind::kInt));
  const char* users[] = {"ann", "bob", "cy"};
  const char* items[] = {"apple", "pear", "plum", "fig"};
  for (int a = 0; a < 3; ++a) {
    for (int b = 0; b < 4; ++b) {
      if ((a + b) % 3 == 0) continue;
      u.AppendString(users[a]);
      i.AppendString(items[b]);
      r.AppendInt(1 + (a * b) % 5);
    }
  }
  Frame f;
  f.Add("who", std::move(u));
  f.Add("what", std::move(i));
  f.Add("stars", std::move(r));
  Params p;
  p.Set("user_col", std::string("who")).Set("item_col", std::string("what"));
  p.Set("rating_col", std::string("stars")).Set("rank", 2.0);
  auto model = FitAls(f, p);
  Frame recs = AsAlsModel(*model).RecommendForAllUsers(2);
  EXPECT_EQ(recs.Scalar("who").strings[0], "ann");
  EXPECT_EQ(recs.Scalar("who").type.kind, TypeKind::kText);
  Frame factors = model->Artifact("item_factors");
  EXPECT_EQ(factors.Scalar("id").strings,
            (std::vector<std::string>{"apple", "fig", "pear", "plum"}));
  EXPECT_EQ(factors.VectorsOf("features").dim, 2u);
  // Integer ids cannot be looked up in a text-id model.
  EXPECT_THROW(model->Transform(RatingsFrame({{1, 2, 3}}).Select({"user", "item"}), {}), CqlError);
}

TEST(Als, IsIdenticalWhateverTheThreadCount) {
  auto train = LowRank(300, 200, 0.3, 6);
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  for (bool implicit : {false, true}) {
    Params p;
    p.Set("implicit_prefs", implicit).Set("seed", 77.0);
    auto m1 = FitAls(RatingsFrame(train), p, c1);
    auto m2 = FitAls(RatingsFrame(train), p, c2);
    EXPECT_EQ(SaveModel(*m1), SaveModel(*m2));
  }
}

TEST(Als, NonnegativeFactorsAreNonnegative) {
  std::vector<Rating> rows;
  Rng rng(8);
  for (int u = 0; u < 40; ++u) {
    for (int i = 0; i < 30; ++i) {
      if (rng.Uniform() < 0.5) rows.push_back({u, i, 1 + 4 * rng.Uniform()});
    }
  }
  auto model = FitAls(RatingsFrame(rows), Params().Set("nonnegative", true).Set("rank", 4.0));
  for (const char* side : {"user_factors", "item_factors"}) {
    const Frame factors = model->Artifact(side);
    for (double v : factors.VectorsOf("features").values) EXPECT_GE(v, 0.0);
  }
  EXPECT_LT(DescribeNumber(*model, "training_rmse"), 1.5);
}

TEST(Als, SaveAndLoadRoundTrip) {
  auto train = LowRank(20, 15, 0.6, 9);
  auto model =
      FitAls(RatingsFrame(train), Params().Set("cold_start_strategy", std::string("drop")));
  auto bytes = SaveModel(*model);
  auto loaded = LoadModel(bytes);
  EXPECT_EQ(loaded->kind(), "als");
  EXPECT_EQ(SaveModel(*loaded), bytes);
  Frame q = RatingsFrame(LowRank(25, 15, 0.5, 10));
  EXPECT_EQ(model->Transform(q, {}).Scalar("prediction").doubles,
            loaded->Transform(q, {}).Scalar("prediction").doubles);
  EXPECT_EQ(AsAlsModel(*model).RecommendForAllItems(3).Scalar("rating").doubles,
            AsAlsModel(*loaded).RecommendForAllItems(3).Scalar("rating").doubles);
  bytes.resize(bytes.size() - 9);
  EXPECT_THROW(LoadModel(bytes), CqlError);
}

TEST(Als, BadInputIsInvalid) {
  auto ok = RatingsFrame(LowRank(5, 5, 1.0, 1));
  EXPECT_THROW(FitAls(RatingsFrame({}), Params()), CqlError);
  EXPECT_THROW(FitAls(RatingsFrame({{1, 2, std::nan("")}}), Params()), CqlError);
  EXPECT_THROW(FitAls(ok, Params().Set("rating_col", std::string("nope"))), CqlError);
  EXPECT_THROW(Registry::Default().MakeEstimator("als", Params().Set("rank", 0.0)), CqlError);
  EXPECT_THROW(Registry::Default().MakeEstimator(
                   "als", Params().Set("cold_start_strategy", std::string("keep"))),
               CqlError);
  Frame null_user = ok;
  exec::Column u = exec::Column::Make(DataType::Of(TypeKind::kInt));
  for (size_t r = 0; r < ok.num_rows(); ++r) {
    if (r == 3) {
      u.AppendNull();
    } else {
      u.AppendInt(int64_t(r));
    }
  }
  null_user.Add("user", std::move(u));
  EXPECT_THROW(FitAls(null_user, Params()), CqlError);
  Frame text_rating = ok;
  exec::Column t = exec::Column::Make(DataType::Of(TypeKind::kText));
  for (size_t r = 0; r < ok.num_rows(); ++r) t.AppendString("5");
  text_rating.Add("rating", std::move(t));
  EXPECT_THROW(FitAls(text_rating, Params()), CqlError);
  Vectors v = Vectors::Dense(4, 1);
  v.values = {0, 1, 5, 6};
  Frame points;
  points.Add("features", std::move(v));
  auto kmeans = Registry::Default().MakeEstimator("kmeans", Params())->Fit(points, {});
  EXPECT_THROW(AsAlsModel(*kmeans), CqlError);
}

// Benchmark, run by hand (see the report): HELENUS_ALS_BENCH=<csv of
// user,item,rating[,...]>, RANK / MAX_ITER / REG / IMPLICIT from the
// environment; prints seconds per iteration and the training RMSE.
TEST(AlsBench, DISABLED_FromCsv) {
  const char* path = std::getenv("HELENUS_ALS_BENCH");
  ASSERT_NE(path, nullptr);
  std::ifstream in(path);
  std::vector<Rating> rows;
  std::string line;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string a, b, c;
    if (!std::getline(ss, a, ',') || !std::getline(ss, b, ',') || !std::getline(ss, c, ',')) {
      continue;
    }
    rows.push_back({std::stoll(a), std::stoll(b), std::stod(c)});
  }
  auto env = [](const char* name, double def) {
    return std::getenv(name) ? std::atof(std::getenv(name)) : def;
  };
  Params p;
  p.Set("rank", env("RANK", 10)).Set("max_iter", env("MAX_ITER", 10));
  p.Set("reg_param", env("REG", 0.1)).Set("implicit_prefs", env("IMPLICIT", 0) != 0);
  Frame f = RatingsFrame(rows);
  const auto t0 = std::chrono::steady_clock::now();
  auto model = FitAls(f, p);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("ratings %zu fit %.3f s (%.4f s/iteration) training_rmse %.6f\n", rows.size(), secs,
              secs / env("MAX_ITER", 10), DescribeNumber(*model, "training_rmse"));
}

}  // namespace
}  // namespace helenus::ml
