// Workshop exercise 4: FP-Growth on movie ratings.
//
// The Spark notebook: every user's set of movies rated above 3 is one
// "basket"; FP-Growth finds movies liked together by at least 10% of users
// and rules "who liked A also liked B" with confidence >= 0.2. Rules hold
// movie ids: a join with the movies table shows them with their titles.
//
//   workshop_fp_growth_movies --data-dir OUT/data [--db DIR]

#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "helenus/cql/value_codec.h"
#include "helenus/ml/registry.h"
#include "workshop_data.h"

namespace {

using helenus::DataType;
using helenus::TypeKind;
using helenus::exec::Col;
using helenus::exec::Expr;
using helenus::exec::Fn;
using helenus::exec::Lit;
namespace cql = helenus::cql;
namespace exec = helenus::exec;
namespace ml = helenus::ml;
namespace workshop = helenus::workshop;

// The movie ids of a CQL set<int> value.
std::vector<int32_t> MovieIds(const std::string& set) {
  std::vector<int32_t> ids;
  for (const auto& element : cql::DecodeCollection(set)) ids.push_back(cql::DecodeInt(element));
  return ids;
}

void Exercise(workshop::Workshop& ws) {
  workshop::Section("Load ratings and movies into tables");
  ws.CreateKeyspace();
  ws.CreateTable("movieratings",
                 "userid int, movieid int, rating double, ts text, PRIMARY KEY (userid, movieid)");
  ws.CreateTable("movies", "movieid int PRIMARY KEY, title text, genres text");
  ws.LoadCsv("movieratings.csv", "movieratings");
  ws.LoadCsv("movies.csv", "movies");

  workshop::Section("One basket per user: the movies rated above 3");
  // Spark: ratings.filter("rating > 3").groupBy("userid")
  //               .agg(collect_set("movieid").alias("movies"))
  const auto baskets = ws.Table("movieratings")
                           .filter(Col("rating") > Lit(3))
                           .group_by({"userid"})
                           .agg({Expr::As(Fn("collect_set", Col("movieid")), "movies")});
  const ml::Frame transactions = ml::Frame::FromDataFrame(baskets);
  std::cout << transactions.num_rows() << " users with at least one movie rated above 3\n\n";
  workshop::Show(transactions, 3);

  workshop::Section("Train: FPGrowth (min_support 0.1, min_confidence 0.2)");
  const auto fp_growth = ml::Registry::Default().MakeEstimator(
      "fp_growth", ml::Params()
                       .Set("items_col", std::string("movies"))
                       .Set("min_support", 0.1)
                       .Set("min_confidence", 0.2));
  const auto start = std::chrono::steady_clock::now();
  const auto model = fp_growth->Fit(transactions, ws.ml_context());
  std::cout << "trained in " << workshop::Fixed(workshop::SecondsSince(start), 3) << " s\n\n";
  const ml::Frame itemsets = model->Artifact("freq_itemsets");
  const ml::Frame rules = model->Artifact("association_rules");
  workshop::PrintMetrics({{"baskets", static_cast<double>(transactions.num_rows())},
                          {"frequent itemsets", static_cast<double>(itemsets.num_rows())},
                          {"association rules", static_cast<double>(rules.num_rows())}});

  workshop::Section("The rules with movie titles");
  // One row per (rule, movie) so that a single join finds every title; the
  // rules are then put back together below.
  auto rule_col = exec::Column::Make(DataType::Of(TypeKind::kInt));
  auto movie_col = exec::Column::Make(DataType::Of(TypeKind::kInt));
  const auto& antecedents = rules.Scalar("antecedent");
  const auto& consequents = rules.Scalar("consequent");
  for (size_t r = 0; r < rules.num_rows(); ++r) {
    for (int32_t id : MovieIds(antecedents.strings[r])) {
      rule_col.AppendInt(static_cast<int64_t>(r));
      movie_col.AppendInt(id);
    }
    for (int32_t id : MovieIds(consequents.strings[r])) {
      rule_col.AppendInt(static_cast<int64_t>(r));
      movie_col.AppendInt(id);
    }
  }
  ml::Frame rule_movies;
  rule_movies.Add("rule", std::move(rule_col));
  rule_movies.Add("movieid", std::move(movie_col));
  // Spark: rule_movies.join(movies, "movieid")
  const exec::Rows titled =
      rule_movies.ToDataFrame(&ws.engine())
          .join(ws.Table("movies").select(std::vector<std::string>{"movieid", "title"}),
                std::vector<std::string>{"movieid"})
          .collect();
  const exec::Batch joined = titled.Concat();
  const size_t id_at = titled.schema.Require("movieid");
  const size_t title_at = titled.schema.Require("title");
  std::map<int32_t, std::string> title_of;
  for (size_t r = 0; r < joined.num_rows; ++r) {
    title_of[static_cast<int32_t>(joined.columns[id_at].ints[r])] =
        joined.columns[title_at].strings[r];
  }
  auto titles = [&](const std::string& set) {
    std::vector<std::string> out;
    for (int32_t id : MovieIds(set)) {
      auto it = title_of.find(id);
      out.push_back(it == title_of.end() ? fmt::format("movie {}", id) : it->second);
    }
    return fmt::format("{}", fmt::join(out, " + "));
  };
  auto antecedent_titles = exec::Column::Make(DataType::Of(TypeKind::kText));
  auto consequent_title = exec::Column::Make(DataType::Of(TypeKind::kText));
  auto consequent_id = exec::Column::Make(DataType::Of(TypeKind::kInt));
  auto rule_id = exec::Column::Make(DataType::Of(TypeKind::kInt));
  std::vector<std::vector<std::string>> shown;
  const std::vector<double> confidence = rules.Numeric("confidence");
  const std::vector<double> lift = rules.Numeric("lift");
  const std::vector<double> support = rules.Numeric("support");
  for (size_t r = 0; r < rules.num_rows(); ++r) {
    rule_id.AppendInt(static_cast<int64_t>(r + 1));
    antecedent_titles.AppendString(titles(antecedents.strings[r]));
    consequent_title.AppendString(titles(consequents.strings[r]));
    consequent_id.AppendInt(MovieIds(consequents.strings[r]).at(0));
    if (shown.size() < 20) {
      shown.push_back({titles(antecedents.strings[r]), titles(consequents.strings[r]),
                       workshop::Fixed(confidence[r], 3), workshop::Fixed(lift[r], 3),
                       workshop::Fixed(support[r], 3)});
    }
  }
  std::cout << "Rules by confidence (first " << shown.size() << " of " << rules.num_rows()
            << "):\n";
  workshop::PrintTable({"if a user liked", "they also liked", "confidence", "lift", "support"},
                       shown);

  workshop::Section("Write the rules back to a table");
  ml::Frame out = rules;
  out.Add("rule_id", std::move(rule_id));
  out.Add("antecedent_titles", std::move(antecedent_titles));
  out.Add("consequent_id", std::move(consequent_id));
  out.Add("consequent_title", std::move(consequent_title));
  ws.CreateTable("movie_rules",
                 "rule_id int PRIMARY KEY, antecedent set<int>, antecedent_titles text, "
                 "consequent_id int, consequent_title text, confidence double, lift double, "
                 "support double");
  ws.Write(out, "movie_rules");
}

}  // namespace

int main(int argc, char** argv) {
  return workshop::RunExercise(argc, argv, "Workshop 4: FP-Growth on movie ratings", Exercise);
}
