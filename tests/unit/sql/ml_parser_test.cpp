#include <gtest/gtest.h>

#include "helenus/common/error.h"
#include "helenus/sql/parser.h"

namespace helenus::sql {
namespace {

template <typename T>
T As(std::string_view text) {
  Statement s = Parse(text);
  const T* t = std::get_if<T>(&s);
  if (t == nullptr) ADD_FAILURE() << "wrong statement kind: " << text;
  return t ? *t : T{};
}

TEST(MlParserTest, CreateModelWithOptionsAndQuery) {
  auto m = As<CreateModel>(
      "CREATE MODEL ks.m USING random_forest_classifier WITH num_trees = 10 AND label = 'quality' "
      "AND seed = 1234 AND bootstrap = false AND impurity = entropy AND weights = [0.5, -1] "
      "AND reg = -0.5 AS SELECT a, b FROM ks.wines WHERE quality > 5 ALLOW FILTERING;");
  EXPECT_EQ(m.model.keyspace, "ks");
  EXPECT_EQ(m.model.name, "m");
  EXPECT_EQ(m.estimator, "random_forest_classifier");
  ASSERT_EQ(m.options.size(), 7u);
  EXPECT_EQ(std::get<double>(m.options[0].value), 10.0);
  EXPECT_EQ(std::get<std::string>(m.options[1].value), "quality");
  EXPECT_EQ(std::get<bool>(m.options[3].value), false);
  EXPECT_EQ(std::get<std::string>(m.options[4].value), "entropy");
  EXPECT_EQ(std::get<std::vector<double>>(m.options[5].value), (std::vector<double>{0.5, -1}));
  EXPECT_EQ(std::get<double>(m.options[6].value), -0.5);
  EXPECT_EQ(m.query_text, "SELECT a, b FROM ks.wines WHERE quality > 5 ALLOW FILTERING");
  EXPECT_TRUE(m.query.allow_filtering);
  EXPECT_FALSE(m.or_replace);
  EXPECT_FALSE(m.if_not_exists);
}

TEST(MlParserTest, CreateOrReplaceAndIfNotExists) {
  auto m = As<CreateModel>("create or replace model m using kmeans as select x from t");
  EXPECT_TRUE(m.or_replace);
  EXPECT_EQ(m.model.keyspace, "");
  EXPECT_TRUE(m.options.empty());
  auto n = As<CreateModel>("CREATE MODEL IF NOT EXISTS m USING kmeans AS SELECT x FROM t");
  EXPECT_TRUE(n.if_not_exists);
}

TEST(MlParserTest, OtherStatements) {
  EXPECT_FALSE(As<EvaluateModel>("EVALUATE MODEL ks.m").on.has_value());
  EXPECT_TRUE(As<EvaluateModel>("EVALUATE MODEL m ON SELECT a FROM t").on.has_value());
  auto p = As<PredictModel>("PREDICT ks.m ON SELECT id, a FROM t WHERE a > 1 INTO ks.out");
  ASSERT_TRUE(p.into.has_value());
  EXPECT_EQ(p.into->keyspace, "ks");
  EXPECT_EQ(p.into->name, "out");
  EXPECT_FALSE(As<PredictModel>("PREDICT MODEL m ON SELECT a FROM t").into.has_value());
  auto held_out = As<PredictModel>("PREDICT ks.m INTO ks.out");  // the held-out rows
  EXPECT_FALSE(held_out.on.has_value());
  EXPECT_TRUE(held_out.into.has_value());
  auto r = As<RecommendModel>("RECOMMEND ks.m FOR ITEMS LIMIT 3 INTO ks.recs");
  EXPECT_FALSE(r.for_users);
  EXPECT_EQ(r.limit, 3);
  EXPECT_TRUE(r.into.has_value());
  EXPECT_EQ(As<RecommendModel>("RECOMMEND m FOR USERS").limit, 10);
  EXPECT_EQ(As<DescribeModel>("DESCRIBE MODEL ks.m ARTIFACT feature_importances").artifact,
            "feature_importances");
  auto rules = As<DescribeModel>("DESCRIBE MODEL ks.m ARTIFACT association_rules INTO ks.rules");
  ASSERT_TRUE(rules.into.has_value());
  EXPECT_EQ(rules.into->name, "rules");
  EXPECT_TRUE(As<DropModel>("DROP MODEL IF EXISTS ks.m").if_exists);
}

TEST(MlParserTest, MalformedStatementsAreSyntaxErrors) {
  for (std::string_view bad : {
           "CREATE MODEL m USING nb",
           "CREATE MODEL m USING nb WITH AS SELECT a FROM t",
           "CREATE MODEL m USING nb WITH a = AS SELECT a FROM t",
           "CREATE MODEL m USING nb WITH a = [1, 'x'] AS SELECT a FROM t",
           "CREATE MODEL m WITH a = 1 AS SELECT a FROM t",
           "PREDICT m SELECT a FROM t",
           "RECOMMEND m FOR everyone",
           "RECOMMEND m FOR USERS LIMIT -1",
           "EVALUATE m",
           "DROP MODEL",
       }) {
    EXPECT_THROW(Parse(bad), CqlError) << bad;
  }
}

}  // namespace
}  // namespace helenus::sql
