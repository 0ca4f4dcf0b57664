#include <gtest/gtest.h>

#include <cmath>

#include "ml/optim.h"

namespace helenus::ml {
namespace {

TEST(Lbfgs, MinimizesRosenbrock) {
  const DiffFunction rosenbrock = [](const std::vector<double>& x, std::vector<double>& g) {
    double f = 0;
    std::fill(g.begin(), g.end(), 0.0);
    for (size_t i = 0; i + 1 < x.size(); ++i) {
      const double a = x[i + 1] - x[i] * x[i];
      const double b = 1 - x[i];
      f += 100 * a * a + b * b;
      g[i] += -400 * a * x[i] - 2 * b;
      g[i + 1] += 200 * a;
    }
    return f;
  };
  LbfgsOptions o;
  o.max_iter = 500;
  o.tol = 1e-12;
  LbfgsResult r = MinimizeLbfgs(rosenbrock, std::vector<double>(6, -1.0), o);
  for (double v : r.x) EXPECT_NEAR(v, 1.0, 1e-5);
  EXPECT_LT(r.value, 1e-10);
  EXPECT_GT(r.iterations, 10);
  ASSERT_EQ(r.history.size(), static_cast<size_t>(r.iterations) + 1);
  for (size_t i = 1; i < r.history.size(); ++i) EXPECT_LE(r.history[i], r.history[i - 1]);
}

TEST(Lbfgs, SolvesAQuadraticInAFewIterations) {
  // f = 0.5 x^T A x - b^T x with A = diag(1, 10, 100): minimum at b / diag(A).
  const std::vector<double> a = {1, 10, 100}, b = {1, 2, 3};
  const DiffFunction f = [&](const std::vector<double>& x, std::vector<double>& g) {
    double v = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      g[i] = a[i] * x[i] - b[i];
      v += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i];
    }
    return v;
  };
  LbfgsOptions o;
  o.tol = 1e-12;
  LbfgsResult r = MinimizeLbfgs(f, {0, 0, 0}, o);
  for (size_t i = 0; i < 3; ++i) EXPECT_NEAR(r.x[i], b[i] / a[i], 1e-8);
  EXPECT_LE(r.iterations, 12);
}

TEST(OwlQn, GivesTheSoftThresholdingSolutionWithExactZeros) {
  // min 0.5 (x_i - c_i)^2 + l |x_i|: x_i = sign(c_i) max(|c_i| - l, 0).
  const std::vector<double> c = {3.0, -0.5, 0.8, -4.0};
  const DiffFunction f = [&](const std::vector<double>& x, std::vector<double>& g) {
    double v = 0;
    for (size_t i = 0; i < x.size(); ++i) {
      g[i] = x[i] - c[i];
      v += 0.5 * g[i] * g[i];
    }
    return v;
  };
  LbfgsOptions o;
  o.l1 = {1.0, 1.0, 1.0, 0.0};
  o.tol = 1e-12;
  LbfgsResult r = MinimizeLbfgs(f, {0, 0, 0, 0}, o);
  EXPECT_NEAR(r.x[0], 2.0, 1e-8);
  EXPECT_EQ(r.x[1], 0.0);
  EXPECT_EQ(r.x[2], 0.0);
  EXPECT_NEAR(r.x[3], -4.0, 1e-8);  // weight 0: not penalized
  EXPECT_NEAR(r.value, 0.5 + 2.0 + 0.5 * 0.25 + 0.5 * 0.64, 1e-8);
}

TEST(Lbfgs, StopsAtMaxIterAndReportsIterations) {
  int calls = 0;
  const DiffFunction f = [&](const std::vector<double>& x, std::vector<double>& g) {
    g[0] = 4 * x[0] * x[0] * x[0];
    return x[0] * x[0] * x[0] * x[0];
  };
  LbfgsOptions o;
  o.max_iter = 3;
  o.tol = 0;
  o.on_iteration = [&](int it) { calls = it; };
  LbfgsResult r = MinimizeLbfgs(f, {5.0}, o);
  EXPECT_EQ(r.iterations, 3);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(r.stop_reason, "max iterations");
  LbfgsOptions zero;
  zero.max_iter = 0;
  EXPECT_EQ(MinimizeLbfgs(f, {5.0}, zero).x[0], 5.0);
}

TEST(Lbfgs, StartingAtTheMinimumStopsImmediately) {
  const DiffFunction f = [](const std::vector<double>& x, std::vector<double>& g) {
    g[0] = 2 * (x[0] - 1);
    return (x[0] - 1) * (x[0] - 1) + 1;
  };
  LbfgsResult r = MinimizeLbfgs(f, {1.0}, LbfgsOptions());
  EXPECT_EQ(r.iterations, 0);
  EXPECT_EQ(r.stop_reason, "gradient converged");
}

}  // namespace
}  // namespace helenus::ml
