// Workshop exercise 5: ALS collaborative filtering on movie ratings.
//
// The Spark notebook: learn a latent factor vector per user and per movie
// from 80% of the ratings (alternating least squares: 5 iterations,
// regParam 0.01), check the predicted ratings of the other 20% (RMSE), then
// recommend every user their 10 best movies and write them to a table.
//
//   workshop_als_movies --data-dir OUT/data [--db DIR]

#include <iostream>
#include <string>
#include <vector>

#include "helenus/ml/als.h"
#include "helenus/ml/evaluator.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

using helenus::exec::Col;
using helenus::exec::Lit;
namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

// The seed of the split and of the initial factors: CREATE MODEL ... WITH
// seed = 1234 hands its seed to ALS too, so both forms learn the same factors.
constexpr uint64_t kSeed = 1234;

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load ratings and movies into tables");
  ws.CreateKeyspace();
  ws.CreateTable("movieratings",
                 "userid int, movieid int, rating double, ts text, PRIMARY KEY (userid, movieid)");
  ws.CreateTable("movies", "movieid int PRIMARY KEY, title text, genres text");
  ws.LoadCsv("movieratings.csv", "movieratings");
  ws.LoadCsv("movies.csv", "movies");

  workshop::Section("Read the ratings and split them 80/20");
  // The columns ALS reads (the split hashes whole rows: the CQL form selects these three too).
  const auto ratings =
      ws.Table("movieratings").select(std::vector<std::string>{"userid", "movieid", "rating"});
  const auto parts = ratings.random_split({0.8, 0.2}, kSeed);
  const ml::Frame train = ml::Frame::FromDataFrame(parts[0]);
  const ml::Frame test = ml::Frame::FromDataFrame(parts[1]);
  std::cout << "training ratings: " << train.num_rows() << ", test ratings: " << test.num_rows()
            << "\n";

  workshop::Section("Train: ALS (max_iter 5, reg_param 0.01, cold_start_strategy drop)");
  // cold_start_strategy 'drop': test ratings of a user or movie the training
  // rows never saw get no prediction and leave the RMSE alone (else NaN).
  const auto als = ml::Registry::Default().MakeEstimator(
      "als", ml::Params()
                 .Set("user_col", std::string("userid"))
                 .Set("item_col", std::string("movieid"))
                 .Set("rating_col", std::string("rating"))
                 .Set("max_iter", 5.0)
                 .Set("reg_param", 0.01)
                 .Set("cold_start_strategy", std::string("drop"))
                 .Set("seed", static_cast<double>(kSeed)));
  const auto start = std::chrono::steady_clock::now();
  const auto model = als->Fit(train, ws.ml_context());
  std::cout << "trained in " << workshop::Fixed(workshop::SecondsSince(start), 3) << " s\n";

  workshop::Section("Predict the held-out ratings");
  const ml::Frame predictions = model->Transform(test, ws.ml_context());
  // Spark: RegressionEvaluator(metricName="rmse", labelCol="rating")
  auto metric = [&](const std::string& name) {
    return ml::MakeEvaluator(
               "regression_evaluator",
               ml::Params().Set("metric_name", name).Set("label_col", std::string("rating")))
        ->Evaluate(predictions, ws.ml_context());
  };
  workshop::PrintMetrics({{"test ratings scored", static_cast<double>(predictions.num_rows())},
                          {"rmse", metric("rmse")},
                          {"mae", metric("mae")}});
  std::cout << "\n";
  workshop::Show(predictions.Select({"userid", "movieid", "rating", "prediction"}), 5);

  workshop::Section("Top-10 recommendations for every user");
  // Spark: model.recommendForAllUsers(10) (one row per user and movie here,
  // best first within each user, instead of an array per user).
  const ml::Frame top = ml::AsAlsModel(*model).RecommendForAllUsers(10, ws.ml_context());
  // rating is the predicted rating of a movie the user may not have seen.
  ws.CreateTable("movie_recommendations",
                 "userid int, movieid int, rating double, PRIMARY KEY (userid, movieid)");
  ws.Write(top, "movie_recommendations");

  // Read one user's list back with the titles: the table joined with movies.
  const auto& users = top.Scalar("userid");
  const auto first_user = users.ints.empty() ? 1 : users.ints.front();
  std::cout << "\nRecommendations for user " << first_user << ":\n";
  const auto titled =
      ws.Table("movie_recommendations")
          .filter(Col("userid") == Lit(first_user))
          .join(ws.Table("movies").select(std::vector<std::string>{"movieid", "title"}),
                std::vector<std::string>{"movieid"})
          .select(std::vector<std::string>{"movieid", "title", "rating"})
          .order_by({helenus::exec::SortItem{Col("rating"), /*ascending=*/false}});
  workshop::Show(ml::Frame::FromDataFrame(titled), 10);
}

}  // namespace

int main(int argc, char** argv) {
  return workshop::RunExercise(argc, argv, "Workshop 5: ALS recommendations on movie ratings",
                               Exercise);
}
