#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/random.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {
namespace {

exec::Column Doubles(const std::vector<double>& v) {
  exec::Column c = exec::Column::Make(DataType::Of(TypeKind::kDouble));
  for (double x : v) c.AppendDouble(x);
  return c;
}

Frame MakeFrame(Vectors x, const std::vector<double>& labels) {
  Frame f;
  f.Add("features", std::move(x));
  f.Add("label", Doubles(labels));
  return f;
}

// n rows of d standard normal features (scaled per column), label from fn(row).
template <typename Fn>
Frame Generate(size_t n, size_t d, uint64_t seed, Fn&& fn) {
  Rng rng(seed);
  Vectors x = Vectors::Dense(0, d);
  std::vector<double> labels;
  std::vector<double> row(d);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) row[j] = rng.Normal() * (1.0 + static_cast<double>(j));
    x.AppendDense(row);
    labels.push_back(fn(row, rng));
  }
  return MakeFrame(std::move(x), labels);
}

std::unique_ptr<Model> Fit(const std::string& name, const Frame& f, Params p = {},
                           exec::ComputePool* pool = nullptr) {
  Context ctx;
  if (pool != nullptr) ctx.pool = pool;
  return Registry::Default().MakeEstimator(name, p)->Fit(f, ctx);
}

std::vector<double> Coefficients(const Model& m) {
  return m.Artifact("coefficients").Numeric("coefficient");
}

double Accuracy(const Model& m, const Frame& f) {
  Frame out = m.Transform(f, Context());
  auto pred = out.Numeric("prediction");
  auto label = f.Numeric("label");
  double ok = 0;
  for (size_t i = 0; i < pred.size(); ++i) ok += pred[i] == label[i];
  return ok / static_cast<double>(pred.size());
}

double Sigmoid(double m) {
  return 1.0 / (1.0 + std::exp(-m));
}

// y ~ Bernoulli(sigmoid(1.5 x0 - 1 x1 + 0.25 x2 + 0.3)); x_j has std j + 1.
Frame BinaryData(size_t n, uint64_t seed, size_t noise_features = 0) {
  return Generate(n, 3 + noise_features, seed, [](const std::vector<double>& r, Rng& rng) {
    return rng.Uniform() < Sigmoid(1.5 * r[0] - 1.0 * r[1] + 0.25 * r[2] + 0.3) ? 1.0 : 0.0;
  });
}

TEST(LogisticRegression, RecoversKnownCoefficients) {
  Frame f = BinaryData(40000, 7);
  auto m = Fit("logistic_regression", f);
  auto c = Coefficients(*m);  // 3 coefficients then the intercept
  ASSERT_EQ(c.size(), 4u);
  EXPECT_NEAR(c[0], 1.5, 0.08);
  EXPECT_NEAR(c[1], -1.0, 0.05);
  EXPECT_NEAR(c[2], 0.25, 0.03);
  EXPECT_NEAR(c[3], 0.3, 0.05);
  Frame out = m->Transform(f, Context());
  const Vectors& raw = out.VectorsOf("raw_prediction");
  const Vectors& prob = out.VectorsOf("probability");
  EXPECT_EQ(raw.Row(0)[0], -raw.Row(0)[1]);
  EXPECT_NEAR(prob.Row(0)[1], Sigmoid(raw.Row(0)[1]), 1e-15);
  bool has_iterations = false;
  for (const auto& [k, v] : m->Describe()) has_iterations |= k == "iterations" && v != "0";
  EXPECT_TRUE(has_iterations);
}

TEST(LogisticRegression, ThresholdMovesPredictions) {
  Frame f = BinaryData(2000, 3);
  Params p;
  p.Set("threshold", 0.9);
  auto strict = Fit("logistic_regression", f, p);
  Frame out = strict->Transform(f, Context());
  auto pred = out.Numeric("prediction");
  const Vectors& prob = out.VectorsOf("probability");
  for (size_t r = 0; r < pred.size(); ++r) EXPECT_EQ(pred[r], prob.Row(r)[1] > 0.9 ? 1.0 : 0.0);
}

TEST(LogisticRegression, L1GivesExactZeros) {
  Frame f = BinaryData(5000, 11, 4);  // 4 irrelevant features
  Params p;
  p.Set("reg_param", 0.05);
  p.Set("elastic_net_param", 1.0);
  auto c = Coefficients(*Fit("logistic_regression", f, p));
  ASSERT_EQ(c.size(), 8u);
  EXPECT_GT(c[0], 0.5);
  EXPECT_LT(c[1], -0.3);
  for (size_t j = 3; j < 7; ++j) EXPECT_EQ(c[j], 0.0) << j;
  // Ridge shrinks without zeroing.
  p.Set("elastic_net_param", 0.0);
  auto ridge = Coefficients(*Fit("logistic_regression", f, p));
  EXPECT_LT(ridge[0], 1.5);
  EXPECT_NE(ridge[3], 0.0);
}

TEST(LogisticRegression, MultinomialOnThreeClasses) {
  // Class scores: x0, x1, -x0 - x1; the label is the argmax plus noise.
  Frame f = Generate(6000, 2, 5, [](const std::vector<double>& r, Rng& rng) {
    const double s[3] = {2 * r[0], 2 * r[1] / 2, -2 * r[0] - r[1]};
    double p[3], z = 0;
    for (int c = 0; c < 3; ++c) z += (p[c] = std::exp(s[c]));
    double u = rng.Uniform() * z;
    for (int c = 0; c < 3; ++c) {
      if ((u -= p[c]) <= 0) return static_cast<double>(c);
    }
    return 2.0;
  });
  auto m = Fit("logistic_regression", f);
  EXPECT_GT(Accuracy(*m, f), 0.7);
  Frame coef = m->Artifact("coefficients");
  auto c = coef.Numeric("coefficient");
  ASSERT_EQ(c.size(), 9u);  // 3 classes x 2 features, then 3 intercepts
  // No penalty: Spark's centered solution (coefficients and intercepts sum to 0).
  EXPECT_NEAR(c[0] + c[2] + c[4], 0.0, 1e-9);
  EXPECT_NEAR(c[1] + c[3] + c[5], 0.0, 1e-9);
  EXPECT_NEAR(c[6] + c[7] + c[8], 0.0, 1e-9);
  EXPECT_NEAR(c[0] - c[4], 4.0, 0.4);  // class 0 vs class 2 on x0
  Frame out = m->Transform(f, Context());
  const Vectors& prob = out.VectorsOf("probability");
  EXPECT_NEAR(prob.Row(0)[0] + prob.Row(0)[1] + prob.Row(0)[2], 1.0, 1e-12);
  EXPECT_EQ(exec::TextAt(coef.Scalar("class"), 3), "1");
  // family binomial refuses 3 classes.
  Params p;
  p.Set("family", std::string("binomial"));
  EXPECT_THROW(Fit("logistic_regression", f, p), CqlError);
}

TEST(LogisticRegression, WorksOnSparseVectorsLikeDense) {
  Frame dense = BinaryData(3000, 21, 2);
  // Mostly-zero extra columns, stored sparsely.
  Vectors& dx = std::get<Vectors>(dense.column(0).data);
  for (size_t r = 0; r < dx.rows; ++r) {
    for (size_t j = 3; j < dx.dim; ++j) {
      if (dx.MutableRow(r)[j] < 1.0) dx.MutableRow(r)[j] = 0;
    }
  }
  Vectors sx = Vectors::Sparse(dx.dim);
  for (size_t r = 0; r < dx.rows; ++r) {
    std::vector<uint32_t> idx;
    std::vector<double> val;
    for (uint32_t j = 0; j < dx.dim; ++j) {
      if (dx.Row(r)[j] != 0) {
        idx.push_back(j);
        val.push_back(dx.Row(r)[j]);
      }
    }
    sx.AppendSparse(idx, val);
  }
  Frame sparse = MakeFrame(std::move(sx), dense.Numeric("label"));
  Params p;
  p.Set("reg_param", 0.01);
  auto a = Coefficients(*Fit("logistic_regression", dense, p));
  auto b = Coefficients(*Fit("logistic_regression", sparse, p));
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-6);
}

// Least squares with an intercept via QR, for comparison.
Eigen::VectorXd ClosedForm(const Frame& f, double ridge_over_std_y = 0) {
  const Vectors& x = f.VectorsOf("features");
  auto y = f.Numeric("label");
  const size_t n = x.rows, d = x.dim;
  Eigen::MatrixXd a(n, d);
  Eigen::VectorXd b(n);
  for (size_t r = 0; r < n; ++r) {
    for (size_t j = 0; j < d; ++j) a(r, j) = x.Row(r)[j];
    b(r) = y[r];
  }
  Eigen::RowVectorXd mean = a.colwise().mean();
  const double y_mean = b.mean();
  Eigen::MatrixXd ac = a.rowwise() - mean;
  Eigen::VectorXd bc = b.array() - y_mean;
  Eigen::MatrixXd gram = ac.transpose() * ac / static_cast<double>(n);
  gram.diagonal().array() += ridge_over_std_y;
  Eigen::VectorXd coef = gram.ldlt().solve(ac.transpose() * bc / static_cast<double>(n));
  Eigen::VectorXd out(d + 1);
  out.head(d) = coef;
  out(d) = y_mean - mean.dot(coef);
  return out;
}

Frame RegressionData(size_t n, uint64_t seed) {
  return Generate(n, 4, seed, [](const std::vector<double>& r, Rng& rng) {
    return 3.0 + 2.0 * r[0] - 0.5 * r[1] + 0.1 * r[3] + rng.Normal();
  });
}

TEST(LinearRegression, EqualsClosedFormLeastSquares) {
  Frame f = RegressionData(500, 9);
  Eigen::VectorXd expected = ClosedForm(f);
  for (std::string solver : {"normal", "l-bfgs"}) {
    Params p;
    p.Set("solver", solver);
    p.Set("tol", 1e-12);
    auto c = Coefficients(*Fit("linear_regression", f, p));
    ASSERT_EQ(c.size(), 5u);
    for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(c[i], expected(i), 1e-7) << solver << " " << i;
  }
}

TEST(LinearRegression, RidgeMatchesSparkObjective) {
  // Without standardization Spark minimizes 1/(2n) ||y - Xb - c||^2 + reg / std_y / 2 ||b||^2.
  Frame f = RegressionData(400, 4);
  auto y = f.Numeric("label");
  double mean = 0, m2 = 0;
  for (double v : y) mean += v / static_cast<double>(y.size());
  for (double v : y) m2 += (v - mean) * (v - mean);
  const double std_y = std::sqrt(m2 / static_cast<double>(y.size() - 1));
  Eigen::VectorXd expected = ClosedForm(f, 0.3 / std_y);
  for (std::string solver : {"normal", "l-bfgs"}) {
    Params p;
    p.Set("solver", solver);
    p.Set("reg_param", 0.3);
    p.Set("standardization", false);
    p.Set("tol", 1e-12);
    auto c = Coefficients(*Fit("linear_regression", f, p));
    for (size_t i = 0; i < 5; ++i) EXPECT_NEAR(c[i], expected(i), 1e-7) << solver << " " << i;
  }
}

TEST(LinearRegression, LassoZerosAndTrainingMetrics) {
  Frame f = RegressionData(1000, 2);
  Params p;
  p.Set("reg_param", 0.5);  // L1 weight 0.5 / std_y ~ 0.2 on standardized coefficients
  p.Set("elastic_net_param", 1.0);
  auto m = Fit("linear_regression", f, p);
  auto c = Coefficients(*m);
  EXPECT_EQ(c[2], 0.0);  // irrelevant
  EXPECT_EQ(c[3], 0.0);  // standardized coefficient 0.16, below the threshold
  EXPECT_GT(c[0], 1.0);  // shrunk from 2
  EXPECT_LT(c[1], -0.2);
  auto plain = Fit("linear_regression", f);
  double r2 = 0, rmse = 0;
  for (const auto& [k, v] : plain->Describe()) {
    if (k == "training_r2") r2 = std::stod(v);
    if (k == "training_rmse") rmse = std::stod(v);
  }
  EXPECT_GT(r2, 0.8);
  EXPECT_NEAR(rmse, 1.0, 0.1);  // the noise
}

TEST(LinearRegression, HuberResistsOutliers) {
  Frame f = Generate(2000, 1, 8, [](const std::vector<double>& r, Rng& rng) {
    return 1.0 + 2.0 * r[0] + 0.1 * rng.Normal() + (rng.Uniform() < 0.05 ? 50.0 : 0.0);
  });
  Params p;
  p.Set("loss", std::string("huber"));
  auto c = Coefficients(*Fit("linear_regression", f, p));
  EXPECT_NEAR(c[0], 2.0, 0.05);
  EXPECT_NEAR(c[1], 1.0, 0.1);
  auto ls = Coefficients(*Fit("linear_regression", f));
  EXPECT_GT(ls[1], 2.0);  // squared error is pulled by the outliers
  p.Set("solver", std::string("normal"));
  EXPECT_THROW(Fit("linear_regression", f, p), CqlError);
}

TEST(LinearSvc, SeparatesSeparableData) {
  Frame f = Generate(
      1000, 2, 6, [](const std::vector<double>& r, Rng&) { return r[0] + r[1] > 0 ? 1.0 : 0.0; });
  // Open a margin around the boundary.
  Vectors& x = std::get<Vectors>(f.column(0).data);
  auto y = f.Numeric("label");
  for (size_t r = 0; r < x.rows; ++r) x.MutableRow(r)[0] += y[r] > 0 ? 1.0 : -1.0;
  auto m = Fit("linear_svc", f);
  EXPECT_EQ(Accuracy(*m, f), 1.0);
  Frame out = m->Transform(f, Context());
  const Vectors& raw = out.VectorsOf("raw_prediction");
  const Vectors& prob = out.VectorsOf("probability");
  auto pred = out.Numeric("prediction");
  for (size_t r = 0; r < 20; ++r) {
    EXPECT_EQ(raw.Row(r)[0], -raw.Row(r)[1]);
    EXPECT_EQ(prob.Row(r)[1], pred[r]);
    EXPECT_EQ(pred[r], raw.Row(r)[1] > 0 ? 1.0 : 0.0);
  }
  Frame three = MakeFrame(Vectors::Dense(3, 1), {0, 1, 2});
  EXPECT_THROW(Fit("linear_svc", three), CqlError);
}

TEST(Linear, IdenticalWhateverTheThreadCount) {
  Frame f = BinaryData(50000, 17, 3);  // several row chunks
  exec::ComputePool one(1), two(2);
  Params l1;
  l1.Set("reg_param", 0.01);
  l1.Set("elastic_net_param", 0.5);
  for (std::string name : {"logistic_regression", "linear_svc", "linear_regression"}) {
    for (const Params& p : {Params(), l1}) {
      if (name == "linear_svc" && p.Has("elastic_net_param")) continue;
      auto a = Fit(name, f, p, &one);
      auto b = Fit(name, f, p, &two);
      EXPECT_EQ(Coefficients(*a), Coefficients(*b)) << name;
      EXPECT_EQ(SaveModel(*a), SaveModel(*b)) << name;
    }
  }
  Params lbfgs;
  lbfgs.Set("solver", std::string("l-bfgs"));
  EXPECT_EQ(Coefficients(*Fit("linear_regression", f, lbfgs, &one)),
            Coefficients(*Fit("linear_regression", f, lbfgs, &two)));
}

TEST(Linear, SaveLoadRoundTrip) {
  Frame f = BinaryData(3000, 12);
  Frame multi = Generate(600, 2, 2, [](const std::vector<double>& r, Rng&) {
    return r[0] > 0.5 ? 2.0 : (r[1] > 0 ? 1.0 : 0.0);
  });
  std::vector<std::pair<std::string, const Frame*>> cases = {{"logistic_regression", &f},
                                                             {"logistic_regression", &multi},
                                                             {"linear_svc", &f},
                                                             {"linear_regression", &f}};
  for (const auto& [name, data] : cases) {
    auto m = Fit(name, *data);
    auto bytes = SaveModel(*m);
    auto loaded = LoadModel(bytes);
    EXPECT_EQ(loaded->kind(), name);
    Frame a = m->Transform(*data, Context());
    Frame b = loaded->Transform(*data, Context());
    EXPECT_EQ(a.Numeric("prediction"), b.Numeric("prediction")) << name;
    if (name != "linear_regression") {
      EXPECT_EQ(a.VectorsOf("probability").values, b.VectorsOf("probability").values);
      EXPECT_EQ(a.VectorsOf("raw_prediction").values, b.VectorsOf("raw_prediction").values);
    }
    EXPECT_EQ(loaded->Describe(), m->Describe());
    EXPECT_EQ(SaveModel(*loaded), bytes);
    bytes.resize(bytes.size() - 3);
    EXPECT_THROW(LoadModel(bytes), CqlError);
  }
}

TEST(Linear, RejectsBadInput) {
  for (std::string name : {"logistic_regression", "linear_svc", "linear_regression"}) {
    EXPECT_THROW(Fit(name, MakeFrame(Vectors::Dense(0, 2), {})), CqlError) << name;
    Vectors nan = Vectors::Dense(0, 2);
    nan.AppendDense(std::vector<double>{1, 2});
    nan.AppendDense(std::vector<double>{NAN, 1});
    nan.AppendDense(std::vector<double>{0, 1});
    EXPECT_THROW(Fit(name, MakeFrame(std::move(nan), {0, 1, 1})), CqlError) << name;
  }
  EXPECT_THROW(Fit("logistic_regression", MakeFrame(Vectors::Dense(3, 1), {1, 1, 1})), CqlError);
  EXPECT_THROW(Fit("logistic_regression", MakeFrame(Vectors::Dense(2, 1), {0, 0.5})), CqlError);
  Params p;
  p.Set("elastic_net_param", 2.0);
  EXPECT_THROW(Registry::Default().MakeEstimator("logistic_regression", p), CqlError);
  Params q;
  q.Set("family", std::string("poisson"));
  EXPECT_THROW(Registry::Default().MakeEstimator("logistic_regression", q), CqlError);
  auto m = Fit("logistic_regression", BinaryData(100, 1));
  EXPECT_THROW(m->Transform(MakeFrame(Vectors::Dense(1, 5), {0}), Context()), CqlError);
}

// The first rows of f again, and f with those rows weighing 2.
std::pair<Frame, Frame> DuplicatedAndWeighted(const Frame& f, size_t dup) {
  const Vectors& x = f.VectorsOf("features");
  auto y = f.Numeric("label");
  Vectors xd = x;
  std::vector<double> yd = y, w(y.size(), 1.0);
  for (size_t r = 0; r < dup; ++r) {
    xd.AppendDense(std::vector<double>(x.Row(r), x.Row(r) + x.dim));
    yd.push_back(y[r]);
    w[r] = 2.0;
  }
  Frame weighted = f;
  weighted.Add("w", Doubles(w));
  return {MakeFrame(std::move(xd), yd), std::move(weighted)};
}

TEST(Linear, RowWeightsActLikeRepeatedRows) {
  Params p;
  p.Set("tol", 1e-12);
  Params pw = p;
  pw.Set("weight_col", std::string("w"));
  auto [dup, weighted] = DuplicatedAndWeighted(RegressionData(300, 5), 100);
  auto a = Coefficients(*Fit("linear_regression", dup, p));
  auto b = Coefficients(*Fit("linear_regression", weighted, pw));
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-9);
  auto [dup2, weighted2] = DuplicatedAndWeighted(BinaryData(500, 5), 200);
  a = Coefficients(*Fit("logistic_regression", dup2, p));
  b = Coefficients(*Fit("logistic_regression", weighted2, pw));
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-5);
}

TEST(Linear, ConstantFeaturesGetZeroCoefficients) {
  Frame f =
      Generate(500, 3, 3, [](const std::vector<double>& r, Rng&) { return r[0] > 0 ? 1.0 : 0.0; });
  Vectors& x = std::get<Vectors>(f.column(0).data);
  for (size_t r = 0; r < x.rows; ++r) x.MutableRow(r)[2] = 0.1;
  Params p;
  p.Set("reg_param", 0.01);
  for (std::string name : {"logistic_regression", "linear_regression"}) {
    auto c = Coefficients(*Fit(name, f, p));
    EXPECT_EQ(c[2], 0.0) << name;
    EXPECT_TRUE(std::isfinite(c[3])) << name;
  }
}

}  // namespace
}  // namespace helenus::ml
