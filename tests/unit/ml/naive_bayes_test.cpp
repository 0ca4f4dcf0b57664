#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

#include "helenus/common/error.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {
namespace {

exec::Column Doubles(const std::vector<double>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (double x : v) c.AppendDouble(x);
  return c;
}

Frame DenseFrame(const std::vector<std::vector<double>>& rows, const std::vector<double>& labels) {
  Vectors v = Vectors::Dense(0, rows.empty() ? 1 : rows[0].size());
  for (const auto& r : rows) v.AppendDense(r);
  Frame f;
  f.Add("features", std::move(v));
  f.Add("label", Doubles(labels));
  return f;
}

std::unique_ptr<Model> FitNb(const Frame& f, const std::string& type, double smoothing = 1.0,
                             exec::ComputePool* pool = nullptr) {
  Params p;
  p.Set("model_type", type);
  p.Set("smoothing", smoothing);
  Context ctx;
  if (pool != nullptr) ctx.pool = pool;
  return Registry::Default().MakeEstimator("naive_bayes", p)->Fit(f, ctx);
}

TEST(NaiveBayes, MultinomialMatchesHandComputedValues) {
  // Class 0 term counts [3, 1, 1] over 2 rows, class 1 [0, 1, 3] over 1 row.
  Frame f = DenseFrame({{2, 1, 0}, {1, 0, 1}, {0, 1, 3}}, {0, 0, 1});
  auto model = FitNb(f, "multinomial");
  Frame out = model->Transform(DenseFrame({{1, 1, 1}}, {0}), Context());
  const Vectors& raw = out.VectorsOf("raw_prediction");
  // log prior + sum x_j log((count_j + 1) / (total + 3)).
  const double raw0 = std::log(2.0 / 3) + std::log(4.0 / 8) + std::log(2.0 / 8) + std::log(2.0 / 8);
  const double raw1 = std::log(1.0 / 3) + std::log(1.0 / 7) + std::log(2.0 / 7) + std::log(4.0 / 7);
  EXPECT_NEAR(raw.Row(0)[0], raw0, 1e-12);
  EXPECT_NEAR(raw.Row(0)[1], raw1, 1e-12);
  const Vectors& prob = out.VectorsOf("probability");
  EXPECT_NEAR(prob.Row(0)[1], 1.0 / (1.0 + std::exp(raw0 - raw1)), 1e-12);
  EXPECT_NEAR(prob.Row(0)[0] + prob.Row(0)[1], 1.0, 1e-15);
  EXPECT_EQ(out.Numeric("prediction")[0], raw0 > raw1 ? 0.0 : 1.0);
  Frame theta = model->Artifact("theta");
  EXPECT_EQ(theta.num_rows(), 6u);
  EXPECT_NEAR(theta.Numeric("theta")[5], std::log(4.0 / 7), 1e-12);
}

TEST(NaiveBayes, SparseRowsGiveTheSameModelAsDenseOnes) {
  const std::vector<std::vector<double>> rows = {{0, 3, 0, 1}, {2, 0, 0, 0}, {0, 0, 5, 1},
                                                 {1, 1, 0, 0}, {0, 0, 2, 2}, {4, 0, 0, 1}};
  const std::vector<double> labels = {0, 1, 2, 0, 2, 1};
  Frame dense = DenseFrame(rows, labels);
  Vectors sv = Vectors::Sparse(4);
  for (const auto& r : rows) {
    std::vector<uint32_t> idx;
    std::vector<double> val;
    for (uint32_t j = 0; j < r.size(); ++j) {
      if (r[j] != 0) {
        idx.push_back(j);
        val.push_back(r[j]);
      }
    }
    sv.AppendSparse(idx, val);
  }
  Frame sparse;
  sparse.Add("features", std::move(sv));
  sparse.Add("label", Doubles(labels));
  for (std::string type : {"multinomial", "complement", "gaussian"}) {
    Frame a = FitNb(dense, type)->Transform(dense, Context());
    Frame b = FitNb(sparse, type)->Transform(sparse, Context());
    for (size_t r = 0; r < rows.size(); ++r) {
      for (size_t c = 0; c < 3; ++c) {
        EXPECT_NEAR(a.VectorsOf("probability").Row(r)[c], b.VectorsOf("probability").Row(r)[c],
                    1e-9)
            << type;
      }
    }
    EXPECT_EQ(a.Numeric("prediction"), b.Numeric("prediction")) << type;
  }
}

TEST(NaiveBayes, GaussianMatchesItsDensities) {
  // Class 0: {0, 2} (mean 1, variance 1); class 1: {4, 6} (mean 5, variance 1).
  Frame f = DenseFrame({{0}, {2}, {4}, {6}}, {0, 0, 1, 1});
  auto model = FitNb(f, "gaussian");
  Frame out = model->Transform(DenseFrame({{2.5}, {3.5}}, {0, 0}), Context());
  const double eps = 1e-9 * 5.0;  // 1e-9 times the variance of all rows
  const double var = 1.0 + eps;
  auto log_joint = [&](double x, double mean) {
    return std::log(0.5) - 0.5 * std::log(2 * std::numbers::pi * var) -
           0.5 * (x - mean) * (x - mean) / var;
  };
  const Vectors& raw = out.VectorsOf("raw_prediction");
  EXPECT_NEAR(raw.Row(0)[0], log_joint(2.5, 1), 1e-12);
  EXPECT_NEAR(raw.Row(0)[1], log_joint(2.5, 5), 1e-12);
  EXPECT_EQ(out.Numeric("prediction"), (std::vector<double>{0, 1}));
  EXPECT_NEAR(model->Artifact("sigma").Numeric("sigma")[0], var, 1e-15);
}

TEST(NaiveBayes, BernoulliAndComplementFollowTheirFormulas) {
  Frame f = DenseFrame({{1, 0}, {1, 1}, {0, 1}}, {0, 0, 1});
  auto bern = FitNb(f, "bernoulli");
  Frame out = bern->Transform(DenseFrame({{0, 1}}, {0}), Context());
  // P(x_j = 1 | c) = (count + 1) / (n_c + 2).
  const double p00 = 3.0 / 4, p01 = 2.0 / 4, p10 = 1.0 / 3, p11 = 2.0 / 3;
  EXPECT_NEAR(out.VectorsOf("raw_prediction").Row(0)[0],
              std::log(2.0 / 3) + std::log(1 - p00) + std::log(p01), 1e-12);
  EXPECT_NEAR(out.VectorsOf("raw_prediction").Row(0)[1],
              std::log(1.0 / 3) + std::log(1 - p10) + std::log(p11), 1e-12);
  EXPECT_THROW(FitNb(DenseFrame({{1, 0.5}, {0, 1}}, {0, 1}), "bernoulli"), CqlError);

  auto comp = FitNb(f, "complement");
  Frame c = comp->Transform(DenseFrame({{1, 0}}, {0}), Context());
  // Class 0's complement is class 1's counts [0, 1]: theta_00 = -log(1 / 3);
  // class 1's is [2, 1]: theta_10 = -log(3 / 5). Raw scores are normalized.
  const double s0 = -std::log(1.0 / 3), s1 = -std::log(3.0 / 5);
  const double lse = std::log(std::exp(s0) + std::exp(s1));
  EXPECT_NEAR(c.VectorsOf("raw_prediction").Row(0)[0], s0 - lse, 1e-12);
  EXPECT_NEAR(c.VectorsOf("raw_prediction").Row(0)[1], s1 - lse, 1e-12);
  EXPECT_EQ(c.Numeric("prediction")[0], 0.0);
}

TEST(NaiveBayes, IsIdenticalWhateverTheThreadCountAndRoundTrips) {
  const size_t n = 40000;
  Vectors v = Vectors::Dense(0, 5);
  std::vector<double> labels;
  uint64_t s = 12345;
  for (size_t i = 0; i < n; ++i) {
    std::vector<double> row(5);
    const double cls = static_cast<double>(i % 3);
    for (auto& x : row) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      x = static_cast<double>((s >> 33) % 7) + cls * (&x == &row[0] ? 2 : 0);
    }
    v.AppendDense(row);
    labels.push_back(cls);
  }
  Frame f;
  f.Add("features", std::move(v));
  f.Add("label", Doubles(labels));
  exec::ComputePool one(1), two(2);
  for (std::string type : {"multinomial", "gaussian"}) {
    auto a = FitNb(f, type, 1.0, &one);
    auto b = FitNb(f, type, 1.0, &two);
    EXPECT_EQ(SaveModel(*a), SaveModel(*b)) << type;
    auto loaded = LoadModel(SaveModel(*a));
    Frame pa = a->Transform(f, Context());
    Frame pb = loaded->Transform(f, Context());
    EXPECT_EQ(pa.Numeric("prediction"), pb.Numeric("prediction"));
    EXPECT_EQ(pa.VectorsOf("probability").values, pb.VectorsOf("probability").values);
    EXPECT_EQ(loaded->Describe(), a->Describe());
  }
}

TEST(NaiveBayes, RowWeightsActLikeRepeatedRows) {
  Frame dup = DenseFrame({{2, 1, 0}, {1, 0, 1}, {0, 1, 3}, {0, 1, 3}, {1, 4, 0}}, {0, 0, 1, 1, 2});
  Frame weighted = DenseFrame({{2, 1, 0}, {1, 0, 1}, {0, 1, 3}, {1, 4, 0}}, {0, 0, 1, 2});
  weighted.Add("w", Doubles({1, 1, 2, 1}));
  for (std::string type : {"multinomial", "gaussian", "complement"}) {
    Params p;
    p.Set("model_type", type);
    auto a = Registry::Default().MakeEstimator("naive_bayes", p)->Fit(dup, Context());
    p.Set("weight_col", std::string("w"));
    auto b = Registry::Default().MakeEstimator("naive_bayes", p)->Fit(weighted, Context());
    Frame pa = a->Transform(weighted, Context());
    Frame pb = b->Transform(weighted, Context());
    for (size_t i = 0; i < pa.VectorsOf("probability").values.size(); ++i) {
      EXPECT_NEAR(pa.VectorsOf("probability").values[i], pb.VectorsOf("probability").values[i],
                  1e-12)
          << type;
    }
  }
}

TEST(NaiveBayes, RejectsBadInput) {
  EXPECT_THROW(FitNb(DenseFrame({{1, -1}, {0, 1}}, {0, 1}), "multinomial"), CqlError);
  EXPECT_THROW(FitNb(DenseFrame({{1, -1}, {0, 1}}, {0, 1}), "complement"), CqlError);
  EXPECT_THROW(FitNb(DenseFrame({{1, 1}, {0, 1}}, {0, 0}), "multinomial"), CqlError);
  EXPECT_THROW(FitNb(DenseFrame({}, {}), "multinomial"), CqlError);
  EXPECT_THROW(FitNb(DenseFrame({{1, NAN}, {0, 1}}, {0, 1}), "gaussian"), CqlError);
  EXPECT_THROW(FitNb(DenseFrame({{1, INFINITY}, {0, 1}}, {0, 1}), "multinomial"), CqlError);
  auto model = FitNb(DenseFrame({{1, 2}, {0, 1}}, {0, 1}), "multinomial");
  EXPECT_THROW(model->Transform(DenseFrame({{1, -2}}, {0}), Context()), CqlError);
  EXPECT_THROW(model->Transform(DenseFrame({{1, 2, 3}}, {0}), Context()), CqlError);
  Params bad;
  bad.Set("model_type", std::string("poisson"));
  EXPECT_THROW(Registry::Default().MakeEstimator("naive_bayes", bad), CqlError);
  try {
    FitNb(DenseFrame({{1, -1}, {0, 1}}, {0, 1}), "multinomial");
  } catch (const CqlError& e) {
    EXPECT_NE(std::string(e.what()).find("non-negative"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace helenus::ml
