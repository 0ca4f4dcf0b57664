#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <cmath>
#include <cstdlib>
#include <fstream>

#include "helenus/common/error.h"
#include "helenus/ml/random.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {
namespace {

Frame DenseFrame(const std::vector<double>& values, size_t dim) {
  Vectors v = Vectors::Dense(values.size() / dim, dim);
  v.values = values;
  Frame f;
  f.Add("features", std::move(v));
  return f;
}

std::unique_ptr<Model> FitPca(const Frame& f, size_t k, const Context& ctx = {}) {
  Params p;
  p.Set("k", double(k));
  return Registry::Default().MakeEstimator("pca", p)->Fit(f, ctx);
}

// Correlated data: rows = z * mixing + offset, z standard normal.
std::vector<double> Correlated(size_t n, size_t dim, uint64_t seed) {
  Rng rng(seed);
  std::vector<double> mixing(dim * dim);
  for (auto& m : mixing) m = rng.Normal();
  std::vector<double> x(n * dim), z(dim);
  for (size_t r = 0; r < n; ++r) {
    for (auto& v : z) v = rng.Normal();
    for (size_t j = 0; j < dim; ++j) {
      double s = 3.0 * double(j);
      for (size_t i = 0; i < dim; ++i) s += z[i] * mixing[i * dim + j] * (1.0 + double(i));
      x[r * dim + j] = s;
    }
  }
  return x;
}

TEST(Pca, MatchesAnEigenReferenceOfTheCovariance) {
  const size_t n = 500, dim = 4, k = 3;
  std::vector<double> x = Correlated(n, dim, 1);
  // Reference: covariance by hand, Eigen's solver, signs by the same rule.
  Eigen::MatrixXd m(n, dim);
  for (size_t r = 0; r < n; ++r) {
    for (size_t j = 0; j < dim; ++j) m(r, j) = x[r * dim + j];
  }
  Eigen::MatrixXd centred = m.rowwise() - m.colwise().mean();
  Eigen::MatrixXd cov = centred.transpose() * centred / double(n - 1);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
  auto model = FitPca(DenseFrame(x, dim), k);
  Frame comps = model->Artifact("components");
  Frame var = model->Artifact("explained_variance");
  ASSERT_EQ(comps.num_rows(), k);
  const double total = eig.eigenvalues().sum();
  for (size_t c = 0; c < k; ++c) {
    Eigen::VectorXd v = eig.eigenvectors().col(dim - 1 - c);
    Eigen::Index at;
    v.cwiseAbs().maxCoeff(&at);
    if (v(at) < 0) v = -v;
    for (size_t j = 0; j < dim; ++j) {
      EXPECT_NEAR(comps.Scalar("f" + std::to_string(j)).doubles[c], v(j), 1e-9);
    }
    const double lambda = eig.eigenvalues()(dim - 1 - c);
    EXPECT_NEAR(var.Scalar("explained_variance").doubles[c], lambda, 1e-9 * lambda);
    EXPECT_NEAR(var.Scalar("explained_variance_ratio").doubles[c], lambda / total, 1e-12);
  }
  // Spark's transform: raw rows times the components (no centring).
  Frame out = model->Transform(DenseFrame(x, dim), {});
  const Vectors& proj = out.VectorsOf("pca_features");
  ASSERT_EQ(proj.dim, k);
  for (size_t r = 0; r < n; r += 37) {
    for (size_t c = 0; c < k; ++c) {
      double want = 0;
      for (size_t j = 0; j < dim; ++j) {
        want += x[r * dim + j] * comps.Scalar("f" + std::to_string(j)).doubles[c];
      }
      EXPECT_NEAR(proj.Row(r)[c], want, 1e-9 * (1 + std::fabs(want)));
    }
  }
}

TEST(Pca, FindsTheDirectionOfALine) {
  // Points on y = -2x (plus a constant): one component explains everything.
  std::vector<double> x;
  for (int i = -5; i <= 5; ++i) x.insert(x.end(), {double(i), 7 - 2.0 * i});
  auto model = FitPca(DenseFrame(x, 2), 1);
  Frame comps = model->Artifact("components");
  // The largest coefficient (-2/sqrt 5) is made positive.
  EXPECT_NEAR(comps.Scalar("f0").doubles[0], -1 / std::sqrt(5.0), 1e-12);
  EXPECT_NEAR(comps.Scalar("f1").doubles[0], 2 / std::sqrt(5.0), 1e-12);
  Frame var = model->Artifact("explained_variance");
  EXPECT_NEAR(var.Scalar("explained_variance_ratio").doubles[0], 1.0, 1e-12);
  // Variance of i over -5..5 is 11, times |(1, -2)|^2 = 5.
  EXPECT_NEAR(var.Scalar("explained_variance").doubles[0], 55.0, 1e-9);
}

TEST(Pca, SparseRowsGiveTheSameModel) {
  const size_t dim = 5;
  std::vector<double> x = Correlated(200, dim, 2);
  for (size_t i = 0; i < x.size(); i += 3) x[i] = 0;
  Vectors sparse = Vectors::Sparse(dim);
  for (size_t r = 0; r < 200; ++r) {
    std::vector<uint32_t> idx;
    std::vector<double> val;
    for (size_t j = 0; j < dim; ++j) {
      if (x[r * dim + j] != 0) {
        idx.push_back(uint32_t(j));
        val.push_back(x[r * dim + j]);
      }
    }
    sparse.AppendSparse(idx, val);
  }
  Frame sf;
  sf.Add("features", std::move(sparse));
  auto a = FitPca(DenseFrame(x, dim), 2), b = FitPca(sf, 2);
  EXPECT_EQ(SaveModel(*a), SaveModel(*b));
  EXPECT_EQ(a->Transform(DenseFrame(x, dim), {}).VectorsOf("pca_features").values,
            b->Transform(sf, {}).VectorsOf("pca_features").values);
}

TEST(Pca, IsIdenticalWhateverTheThreadCount) {
  std::vector<double> x = Correlated(30000, 6, 3);
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  EXPECT_EQ(SaveModel(*FitPca(DenseFrame(x, 6), 3, c1)),
            SaveModel(*FitPca(DenseFrame(x, 6), 3, c2)));
}

TEST(Pca, SaveAndLoadRoundTripAndNullRows) {
  std::vector<double> x = Correlated(100, 3, 4);
  auto model = FitPca(DenseFrame(x, 3), 2);
  auto bytes = SaveModel(*model);
  auto loaded = LoadModel(bytes);
  EXPECT_EQ(loaded->kind(), "pca");
  EXPECT_EQ(SaveModel(*loaded), bytes);
  Vectors v = Vectors::Dense(0, 3);
  v.AppendDense(std::vector<double>{1, 2, 3});
  v.AppendNull();
  Frame q;
  q.Add("features", std::move(v));
  Frame a = model->Transform(q, {}), b = loaded->Transform(q, {});
  EXPECT_EQ(a.VectorsOf("pca_features").values, b.VectorsOf("pca_features").values);
  EXPECT_TRUE(a.VectorsOf("pca_features").IsNull(1));
  EXPECT_FALSE(a.VectorsOf("pca_features").IsNull(0));
  bytes.resize(bytes.size() - 4);
  EXPECT_THROW(LoadModel(bytes), CqlError);
}

TEST(Pca, BadInputIsInvalid) {
  const auto& reg = Registry::Default();
  EXPECT_THROW(reg.MakeEstimator("pca", Params()), CqlError);  // k is required
  EXPECT_THROW(reg.MakeEstimator("pca", Params().Set("k", 0.0)), CqlError);
  std::vector<double> x = Correlated(10, 3, 5);
  EXPECT_THROW(FitPca(DenseFrame(x, 3), 4), CqlError);
  EXPECT_THROW(FitPca(DenseFrame({1, 2, 3}, 3), 1), CqlError);
  x[4] = std::nan("");
  EXPECT_THROW(FitPca(DenseFrame(x, 3), 1), CqlError);
  Vectors v = Vectors::Dense(0, 2);
  v.AppendDense(std::vector<double>{1, 2});
  v.AppendDense(std::vector<double>{2, 1});
  v.AppendNull();
  Frame nulls;
  nulls.Add("features", std::move(v));
  EXPECT_THROW(FitPca(nulls, 1), CqlError);
  auto model = FitPca(DenseFrame(Correlated(10, 3, 6), 3), 1);
  EXPECT_THROW(model->Transform(DenseFrame({1, 2}, 2), {}), CqlError);
}

// The scikit-learn check, run by hand (see the report): HELENUS_PCA_CHECK=<dir>
// with x.bin (n, dim, doubles) and K; writes components.bin (k x dim),
// variance.bin (k) and projection.bin (n x k) of the mean-centred rows.
TEST(PcaCheck, DISABLED_FromFiles) {
  const char* dir = std::getenv("HELENUS_PCA_CHECK");
  ASSERT_NE(dir, nullptr);
  std::ifstream in(std::string(dir) + "/x.bin", std::ios::binary);
  uint64_t shape[2];
  in.read(reinterpret_cast<char*>(shape), sizeof(shape));
  std::vector<double> x(shape[0] * shape[1]);
  in.read(reinterpret_cast<char*>(x.data()), x.size() * 8);
  const size_t k = std::atoi(std::getenv("K") ? std::getenv("K") : "2");
  auto model = FitPca(DenseFrame(x, shape[1]), k);
  Frame comps = model->Artifact("components");
  std::vector<double> c;
  for (size_t i = 0; i < k; ++i) {
    for (size_t j = 0; j < shape[1]; ++j) {
      c.push_back(comps.Scalar("f" + std::to_string(j)).doubles[i]);
    }
  }
  const auto var = model->Artifact("explained_variance").Scalar("explained_variance").doubles;
  // Centre the rows first: scikit-learn's transform does, Spark's does not.
  std::vector<double> mean(shape[1], 0.0);
  for (size_t r = 0; r < shape[0]; ++r) {
    for (size_t j = 0; j < shape[1]; ++j) mean[j] += x[r * shape[1] + j] / double(shape[0]);
  }
  for (size_t r = 0; r < shape[0]; ++r) {
    for (size_t j = 0; j < shape[1]; ++j) x[r * shape[1] + j] -= mean[j];
  }
  const auto proj = model->Transform(DenseFrame(x, shape[1]), {}).VectorsOf("pca_features").values;
  auto write = [&](const char* name, const std::vector<double>& v) {
    std::ofstream(std::string(dir) + "/" + name, std::ios::binary)
        .write(reinterpret_cast<const char*>(v.data()), v.size() * 8);
  };
  write("components.bin", c);
  write("variance.bin", var);
  write("projection.bin", proj);
}

}  // namespace
}  // namespace helenus::ml
