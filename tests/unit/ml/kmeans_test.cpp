#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <set>

#include <sys/resource.h>

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

// Three tight blobs far apart, in blob order.
std::vector<double> Blobs(size_t per_blob, uint64_t seed) {
  const double centers[3][2] = {{0, 0}, {50, 50}, {-50, 40}};
  Rng rng(seed);
  std::vector<double> x;
  for (int b = 0; b < 3; ++b) {
    for (size_t i = 0; i < per_blob; ++i) {
      x.push_back(centers[b][0] + rng.Normal());
      x.push_back(centers[b][1] + rng.Normal());
    }
  }
  return x;
}

std::unique_ptr<Model> FitKMeans(const Frame& f, Params p, const Context& ctx = {}) {
  return Registry::Default().MakeEstimator("kmeans", p)->Fit(f, ctx);
}

std::vector<int64_t> Predictions(const Model& m, const Frame& f, const Context& ctx = {}) {
  Frame out = m.Transform(f, ctx);
  const exec::Column& c = out.Scalar("prediction");
  EXPECT_EQ(c.type.kind, TypeKind::kInt);
  std::vector<int64_t> p(c.size());
  for (size_t r = 0; r < p.size(); ++r) p[r] = c.IsNull(r) ? -1 : c.ints[r];
  return p;
}

std::string Describe(const Model& m, std::string_view key) {
  for (const auto& [k, v] : m.Describe()) {
    if (k == key) return v;
  }
  return "";
}

// A plain Lloyd implementation: the reference for assignments.
std::vector<int64_t> HandLloyd(const std::vector<double>& x, size_t dim, std::vector<double> c,
                               int iterations) {
  const size_t n = x.size() / dim, k = c.size() / dim;
  std::vector<int64_t> label(n);
  auto assign = [&] {
    for (size_t r = 0; r < n; ++r) {
      double best = std::numeric_limits<double>::infinity();
      for (size_t j = 0; j < k; ++j) {
        double d = 0;
        for (size_t f = 0; f < dim; ++f) d += std::pow(x[r * dim + f] - c[j * dim + f], 2);
        if (d < best) {
          best = d;
          label[r] = static_cast<int64_t>(j);
        }
      }
    }
  };
  for (int it = 0; it < iterations; ++it) {
    assign();
    std::vector<double> sum(k * dim, 0.0), count(k, 0.0);
    for (size_t r = 0; r < n; ++r) {
      count[label[r]] += 1;
      for (size_t f = 0; f < dim; ++f) sum[label[r] * dim + f] += x[r * dim + f];
    }
    for (size_t j = 0; j < k; ++j) {
      if (count[j] == 0) continue;
      for (size_t f = 0; f < dim; ++f) c[j * dim + f] = sum[j * dim + f] / count[j];
    }
  }
  assign();
  return label;
}

TEST(KMeans, FindsWellSeparatedBlobs) {
  const size_t per = 200;
  Frame f = DenseFrame(Blobs(per, 7), 2);
  for (std::string init : {"k-means||", "random"}) {
    Params p;
    p.Set("k", 3.0).Set("seed", 11.0).Set("init_mode", init);
    auto model = FitKMeans(f, p);
    auto pred = Predictions(*model, f);
    std::set<int64_t> ids;
    for (int b = 0; b < 3; ++b) {
      for (size_t i = 0; i < per; ++i) EXPECT_EQ(pred[b * per + i], pred[b * per]) << init;
      ids.insert(pred[b * per]);
    }
    EXPECT_EQ(ids.size(), 3u) << init;
    // About 2 (the variance of a 2-D standard normal) per row.
    EXPECT_LT(std::stod(Describe(*model, "training_cost")), 3.0 * 3 * per);
    Frame centers = model->Artifact("cluster_centers");
    ASSERT_EQ(centers.num_rows(), 3u);
    EXPECT_EQ(centers.column(0).name, "cluster");
    EXPECT_EQ(centers.column(1).name, "f0");
    EXPECT_EQ(centers.column(2).name, "f1");
    EXPECT_EQ(centers.column(3).name, "size");
    for (size_t c = 0; c < 3; ++c) EXPECT_EQ(centers.Scalar("size").ints[c], int64_t(per));
  }
}

TEST(KMeans, GivenCentresMatchesAPlainLloyd) {
  Rng rng(3);
  const size_t n = 3000, dim = 5, k = 4;
  std::vector<double> x(n * dim);
  for (auto& v : x) v = rng.Normal();
  std::vector<double> init(x.begin(), x.begin() + k * dim);
  for (int iters : {1, 5, 50}) {
    Params p;
    p.Set("k", double(k)).Set("max_iter", double(iters)).Set("tol", 0.0);
    p.Set("initial_centers", init);
    auto model = FitKMeans(DenseFrame(x, dim), p);
    auto got = Predictions(*model, DenseFrame(x, dim));
    auto iterations = std::stoi(Describe(*model, "iterations"));
    EXPECT_EQ(got, HandLloyd(x, dim, init, iterations)) << iters;
  }
}

TEST(KMeans, ManyCentresAndDuplicateCentresMatchAPlainLloyd) {
  // More than 16 centres (the tiled kernel), and two identical initial
  // centres: every row ties between them and goes to the first, as in Lloyd.
  Rng rng(12);
  const size_t n = 4000, dim = 3, k = 21;
  std::vector<double> x(n * dim);
  for (auto& v : x) v = rng.Normal();
  std::vector<double> init(x.begin(), x.begin() + k * dim);
  std::copy_n(init.begin(), dim, init.begin() + dim);
  for (int iters : {1, 30}) {
    Params p;
    p.Set("k", double(k)).Set("max_iter", double(iters)).Set("tol", 0.0);
    p.Set("initial_centers", init);
    auto model = FitKMeans(DenseFrame(x, dim), p);
    auto got = Predictions(*model, DenseFrame(x, dim));
    EXPECT_EQ(got, HandLloyd(x, dim, init, std::stoi(Describe(*model, "iterations")))) << iters;
  }
}

TEST(KMeans, SparseRowsGiveTheSameClustersAsDense) {
  Frame dense = DenseFrame(Blobs(100, 5), 2);
  Vectors sparse = Vectors::Sparse(2);
  const Vectors& d = dense.VectorsOf("features");
  for (size_t r = 0; r < d.rows; ++r) {
    std::vector<uint32_t> idx = {0, 1};
    sparse.AppendSparse(idx, std::span<const double>(d.Row(r), 2));
  }
  Frame sf;
  sf.Add("features", std::move(sparse));
  Params p;
  p.Set("k", 3.0).Set("seed", 2.0);
  EXPECT_EQ(Predictions(*FitKMeans(dense, p), dense), Predictions(*FitKMeans(sf, p), sf));
}

TEST(KMeans, IsIdenticalWhateverTheThreadCount) {
  Rng rng(9);
  const size_t n = 40000, dim = 3;
  std::vector<double> x(n * dim);
  for (size_t r = 0; r < n; ++r) {
    const double shift = double(r % 5) * 4;
    for (size_t j = 0; j < dim; ++j) x[r * dim + j] = shift + rng.Normal();
  }
  Frame f = DenseFrame(x, dim);
  exec::ComputePool one(1), two(2);
  Context c1, c2;
  c1.pool = &one;
  c2.pool = &two;
  for (std::string distance : {"euclidean", "cosine"}) {
    Params p;
    p.Set("k", 5.0).Set("seed", 4.0).Set("distance_measure", distance);
    auto m1 = FitKMeans(f, p, c1);
    auto m2 = FitKMeans(f, p, c2);
    EXPECT_EQ(SaveModel(*m1), SaveModel(*m2)) << distance;
    EXPECT_EQ(Predictions(*m1, f, c1), Predictions(*m2, f, c2)) << distance;
  }
}

TEST(KMeans, CosineGroupsByDirection) {
  // Two rays: direction decides the cluster, length does not.
  std::vector<double> x;
  Rng rng(1);
  for (int i = 0; i < 100; ++i) {
    const double len = 0.1 + 100 * rng.Uniform();
    x.insert(x.end(), {len, len * 0.05 * rng.Uniform()});
    x.insert(x.end(), {len * 0.05 * rng.Uniform(), len});
  }
  Params p;
  p.Set("k", 2.0).Set("distance_measure", std::string("cosine"));
  auto model = FitKMeans(DenseFrame(x, 2), p);
  auto pred = Predictions(*model, DenseFrame(x, 2));
  for (size_t r = 0; r < pred.size(); ++r) EXPECT_EQ(pred[r], pred[r % 2]);
  EXPECT_NE(pred[0], pred[1]);
}

TEST(KMeans, SaveAndLoadGiveIdenticalPredictions) {
  Frame f = DenseFrame(Blobs(50, 3), 2);
  Params p;
  p.Set("k", 3.0).Set("prediction_col", std::string("cluster"));
  auto model = FitKMeans(f, p);
  auto bytes = SaveModel(*model);
  auto loaded = LoadModel(bytes);
  EXPECT_EQ(loaded->kind(), "kmeans");
  EXPECT_EQ(SaveModel(*loaded), bytes);
  Frame a = model->Transform(f, {}), b = loaded->Transform(f, {});
  EXPECT_EQ(a.Scalar("cluster").ints, b.Scalar("cluster").ints);
  EXPECT_EQ(model->Describe(), loaded->Describe());
  bytes.resize(bytes.size() - 3);
  EXPECT_THROW(LoadModel(bytes), CqlError);
}

TEST(KMeans, NullRowsPredictNull) {
  Frame f = DenseFrame(Blobs(20, 3), 2);
  auto model = FitKMeans(f, Params().Set("k", 3.0));
  Vectors v = Vectors::Dense(0, 2);
  v.AppendDense(std::vector<double>{0, 0});
  v.AppendNull();
  Frame g;
  g.Add("features", std::move(v));
  auto pred = Predictions(*model, g);
  EXPECT_GE(pred[0], 0);
  EXPECT_EQ(pred[1], -1);
  Frame wrong = DenseFrame({1, 2, 3}, 3);
  EXPECT_THROW(model->Transform(wrong, {}), CqlError);
}

TEST(KMeans, BadInputIsInvalid) {
  const auto& reg = Registry::Default();
  EXPECT_THROW(reg.MakeEstimator("kmeans", Params().Set("k", 1.0)), CqlError);
  EXPECT_THROW(reg.MakeEstimator("kmeans", Params().Set("init_mode", std::string("x"))), CqlError);
  EXPECT_THROW(FitKMeans(DenseFrame({}, 2), Params()), CqlError);
  EXPECT_THROW(FitKMeans(DenseFrame({1, 2, std::nan(""), 4}, 2), Params()), CqlError);
  Params cos;
  cos.Set("distance_measure", std::string("cosine"));
  EXPECT_THROW(FitKMeans(DenseFrame({1, 2, 0, 0, 3, 1}, 2), cos), CqlError);
  Params init;
  init.Set("initial_centers", std::vector<double>{1, 2, 3});
  EXPECT_THROW(FitKMeans(DenseFrame({1, 2, 0, 0, 3, 1}, 2), init), CqlError);
  Vectors v = Vectors::Dense(0, 2);
  v.AppendDense(std::vector<double>{0, 0});
  v.AppendNull();
  Frame nulls;
  nulls.Add("features", std::move(v));
  EXPECT_THROW(FitKMeans(nulls, Params()), CqlError);
  Frame no_features;
  EXPECT_THROW(FitKMeans(no_features, Params()), CqlError);
}

TEST(KMeans, FewerDistinctRowsThanKGiveFewerClusters) {
  auto model = FitKMeans(DenseFrame({1, 1, 1, 1, 2, 2}, 2), Params().Set("k", 5.0));
  EXPECT_EQ(Describe(*model, "num_clusters"), "2");
}

// Benchmark and sklearn check, run by hand through the script described in
// the report: HELENUS_KMEANS_BENCH=<dir> with x.bin (n, dim, doubles) and
// init.bin (k, doubles); writes labels.bin (int64) and seconds.txt (wall
// seconds, iterations, cost, CPU seconds).
TEST(KMeansBench, DISABLED_FromFiles) {
  const char* dir = std::getenv("HELENUS_KMEANS_BENCH");
  ASSERT_NE(dir, nullptr);
  auto read = [&](const std::string& name, std::vector<uint64_t>* header, size_t fields) {
    std::ifstream in(std::string(dir) + "/" + name, std::ios::binary);
    header->resize(fields);
    in.read(reinterpret_cast<char*>(header->data()), fields * 8);
    size_t count = 1;
    for (auto h : *header) count *= h;
    std::vector<double> v(count);
    in.read(reinterpret_cast<char*>(v.data()), count * 8);
    return v;
  };
  std::vector<uint64_t> xh, ch;
  std::vector<double> x = read("x.bin", &xh, 2);
  std::vector<double> init = read("init.bin", &ch, 2);
  Frame f = DenseFrame(x, xh[1]);
  Params p;
  p.Set("k", double(ch[0])).Set("initial_centers", init).Set("tol", 0.0);
  p.Set("max_iter", std::getenv("MAX_ITER") ? std::atof(std::getenv("MAX_ITER")) : 300.0);
  auto cpu = [] {
    rusage u;
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           1e-6 * double(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
  };
  const double cpu0 = cpu();
  const auto t0 = std::chrono::steady_clock::now();
  auto model = FitKMeans(f, p);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double cpu_secs = cpu() - cpu0;
  auto pred = Predictions(*model, f);
  std::ofstream(std::string(dir) + "/labels.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(pred.data()), pred.size() * 8);
  std::ofstream(std::string(dir) + "/seconds.txt")
      << secs << " " << Describe(*model, "iterations") << " " << Describe(*model, "training_cost")
      << " " << cpu_secs << "\n";
}

}  // namespace
}  // namespace helenus::ml
