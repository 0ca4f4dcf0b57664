// The Helenus side of bench/ml_vs_sklearn.sh: trains the ML estimators on
// the files bench/ml_sklearn.py wrote (and trains its peers on), and prints
// one JSON line per algorithm for the script to put next to the peers'.
//
// Usage: ml_bench --data DIR [--rf-rows N] [--algos gbt,logistic_regression,...]
//
// DIR holds raw little-endian float64 files (see ml_sklearn.py): train_x.f64,
// train_y.f64, test_x.f64, test_y.f64, als_train.f64, als_test.f64 and
// header.json. Timing excludes loading: one Fit, or the best of two when the
// first took under a second ("runs" says which). Progress goes to stderr.

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "helenus/ml/metrics.h"
#include "helenus/ml/registry.h"

using namespace helenus;
using namespace helenus::ml;

namespace {

// A first fit faster than this is repeated and the better time kept.
constexpr double kBestOfTwoBelow = 1.0;

// What header.json says about the files.
struct Header {
  size_t dim = 0;
  size_t n_train = 0;
  size_t n_test = 0;
  size_t als_train = 0;
  size_t als_test = 0;
};

// The integer after "key": in a flat JSON object written by ml_sklearn.py.
size_t JsonInt(const std::string& json, const std::string& key) {
  const size_t at = json.find("\"" + key + "\"");
  if (at == std::string::npos) return 0;
  const size_t colon = json.find(':', at);
  return colon == std::string::npos ? 0 : std::strtoull(json.c_str() + colon + 1, nullptr, 10);
}

Header ReadHeader(const std::string& dir) {
  std::ifstream in(dir + "/header.json");
  if (!in) {
    std::fprintf(stderr, "cannot read %s/header.json\n", dir.c_str());
    std::exit(1);
  }
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return Header{JsonInt(json, "dim"), JsonInt(json, "n_train"), JsonInt(json, "n_test"),
                JsonInt(json, "als_train"), JsonInt(json, "als_test")};
}

// The count doubles of a raw float64 file (the machine is little-endian, as the files are).
std::vector<double> ReadDoubles(const std::string& path, size_t count) {
  std::vector<double> v(count);
  std::ifstream in(path, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * 8))) {
    std::fprintf(stderr, "cannot read %zu doubles from %s\n", count, path.c_str());
    std::exit(1);
  }
  return v;
}

// A features + label frame of the first rows of x (rows x dim) and y.
Frame LabeledFrame(const std::vector<double>& x, const std::vector<double>& y, size_t rows,
                   size_t dim) {
  Vectors v = Vectors::Dense(rows, dim);
  std::copy_n(x.data(), rows * dim, v.values.data());
  exec::Column label = exec::Column::Make(DataType::Of(TypeKind::kDouble), rows);
  for (size_t r = 0; r < rows; ++r) label.AppendDouble(y[r]);
  Frame f;
  f.Add("features", std::move(v));
  f.Add("label", std::move(label));
  return f;
}

// A user, item, rating frame from rows of three doubles.
Frame RatingsFrame(const std::vector<double>& rows) {
  const size_t n = rows.size() / 3;
  exec::Column user = exec::Column::Make(DataType::Of(TypeKind::kInt), n);
  exec::Column item = exec::Column::Make(DataType::Of(TypeKind::kInt), n);
  exec::Column rating = exec::Column::Make(DataType::Of(TypeKind::kDouble), n);
  for (size_t r = 0; r < n; ++r) {
    user.AppendInt(static_cast<int64_t>(rows[3 * r]));
    item.AppendInt(static_cast<int64_t>(rows[3 * r + 1]));
    rating.AppendDouble(rows[3 * r + 2]);
  }
  Frame f;
  f.Add("user", std::move(user));
  f.Add("item", std::move(item));
  f.Add("rating", std::move(rating));
  return f;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// A fitted model and how long the fit took.
struct Fitted {
  std::unique_ptr<Model> model;
  double seconds = 0;
  int runs = 1;
};

Fitted TimedFit(std::string_view name, const Params& params, const Frame& train) {
  const auto estimator = Registry::Default().MakeEstimator(name, params);
  Fitted out;
  auto start = std::chrono::steady_clock::now();
  out.model = estimator->Fit(train, {});
  out.seconds = Seconds(start);
  if (out.seconds < kBestOfTwoBelow) {
    start = std::chrono::steady_clock::now();
    out.model = estimator->Fit(train, {});
    out.seconds = std::min(out.seconds, Seconds(start));
    out.runs = 2;
  }
  return out;
}

// A Describe() value as a number (0 when absent).
double Described(const Model& m, std::string_view key) {
  for (const auto& [k, v] : m.Describe()) {
    if (k == key) return std::strtod(v.c_str(), nullptr);
  }
  return 0;
}

// Test accuracy (and AUC of P(class 1)) of a binary classifier, as a JSON tail.
std::string ClassifierMetrics(const Model& m, const Frame& test, const std::vector<double>& y,
                              bool auc, double* predict_seconds) {
  const auto start = std::chrono::steady_clock::now();
  const Frame out = m.Transform(test, {});
  *predict_seconds = Seconds(start);
  const std::vector<double> pred = out.Numeric("prediction");
  double right = 0;
  for (size_t r = 0; r < y.size(); ++r) right += pred[r] == y[r] ? 1 : 0;
  std::string json = "\"accuracy\": " + std::to_string(right / static_cast<double>(y.size()));
  if (auc) {
    const Vectors& prob = out.VectorsOf("probability");
    std::vector<double> score(y.size());
    for (size_t r = 0; r < y.size(); ++r) score[r] = prob.Row(r)[1];
    const double area = AreaUnderRoc(ComputeBinaryConfusions(score, y));
    json += ", \"auc\": " + std::to_string(area);
  }
  return json;
}

void Emit(std::string_view algo, size_t rows, const Fitted& f, double predict_seconds,
          const std::string& metrics) {
  std::printf(
      "{\"algo\": \"%.*s\", \"side\": \"helenus\", \"rows\": %zu, \"fit_s\": %.6f, "
      "\"runs\": %d, \"predict_s\": %.6f, %s}\n",
      static_cast<int>(algo.size()), algo.data(), rows, f.seconds, f.runs, predict_seconds,
      metrics.c_str());
  std::fflush(stdout);
}

void Progress(const char* what) {
  std::fprintf(stderr, "training %s (helenus)...\n", what);
}

// The k-means cost of the test rows: squared distance to the assigned centre,
// which Transform picks as the nearest.
double KMeansTestCost(const Model& m, const Frame& test, size_t dim, double* predict_seconds) {
  const auto start = std::chrono::steady_clock::now();
  const Frame out = m.Transform(test, {});
  *predict_seconds = Seconds(start);
  const Frame centers = m.Artifact("cluster_centers");
  const size_t k = centers.num_rows();
  std::vector<double> c(k * dim);
  // Columns: cluster, one per feature, size.
  for (size_t j = 0; j < dim; ++j) {
    const std::vector<double> col = centers.Numeric(centers.column(j + 1).name);
    for (size_t i = 0; i < k; ++i) c[i * dim + j] = col[i];
  }
  const std::vector<double> assigned = out.Numeric("prediction");
  const Vectors& x = test.VectorsOf("features");
  double cost = 0;
  for (size_t r = 0; r < x.rows; ++r) {
    const double* row = x.Row(r);
    const double* centre = c.data() + static_cast<size_t>(assigned[r]) * dim;
    for (size_t j = 0; j < dim; ++j) cost += (row[j] - centre[j]) * (row[j] - centre[j]);
  }
  return cost;
}

void RunAls(const std::string& dir, const Header& h) {
  if (h.als_train == 0) {
    std::fprintf(stderr, "no ratings in %s: skipping als\n", dir.c_str());
    return;
  }
  const Frame train = RatingsFrame(ReadDoubles(dir + "/als_train.f64", h.als_train * 3));
  const Frame test = RatingsFrame(ReadDoubles(dir + "/als_test.f64", h.als_test * 3));
  constexpr int64_t kIters = 10;
  Params p;
  p.Set("rank", 10.0).Set("max_iter", static_cast<double>(kIters)).Set("reg_param", 0.1);
  p.Set("user_col", "user").Set("item_col", "item").Set("rating_col", "rating");
  Progress("als");
  const Fitted f = TimedFit("als", p, train);
  const auto start = std::chrono::steady_clock::now();
  const Frame out = f.model->Transform(test, {});
  const double predict_seconds = Seconds(start);
  const std::vector<double> pred = out.Numeric("prediction");
  const std::vector<double> truth = out.Numeric("rating");
  double sse = 0;
  size_t scored = 0;
  for (size_t r = 0; r < pred.size(); ++r) {
    if (!std::isfinite(pred[r])) continue;  // user or item unseen in training
    sse += (pred[r] - truth[r]) * (pred[r] - truth[r]);
    ++scored;
  }
  const double rmse = std::sqrt(sse / static_cast<double>(scored));
  Emit("als", h.als_train, f, predict_seconds,
       "\"iterations\": " + std::to_string(kIters) + ", \"rmse\": " + std::to_string(rmse) +
           ", \"scored\": " + std::to_string(scored));
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir;
  size_t rf_rows = 200000;
  std::string algos = "gbt,logistic_regression,kmeans,naive_bayes,random_forest,als";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--data")) {
      dir = argv[i + 1];
    } else if (!std::strcmp(argv[i], "--rf-rows")) {
      rf_rows = std::strtoull(argv[i + 1], nullptr, 10);
    } else if (!std::strcmp(argv[i], "--algos")) {
      algos = argv[i + 1];
    }
  }
  if (dir.empty()) {
    std::fprintf(stderr, "usage: ml_bench --data DIR [--rf-rows N] [--algos a,b,...]\n");
    return 2;
  }
  std::set<std::string> wanted;
  std::stringstream ss(algos);
  for (std::string a; std::getline(ss, a, ',');) wanted.insert(a);

  const Header h = ReadHeader(dir);
  const size_t d = h.dim;
  const std::vector<double> x = ReadDoubles(dir + "/train_x.f64", h.n_train * d);
  const std::vector<double> y = ReadDoubles(dir + "/train_y.f64", h.n_train);
  const std::vector<double> xt = ReadDoubles(dir + "/test_x.f64", h.n_test * d);
  const std::vector<double> yt = ReadDoubles(dir + "/test_y.f64", h.n_test);
  const Frame train = LabeledFrame(x, y, h.n_train, d);
  const Frame test = LabeledFrame(xt, yt, h.n_test, d);
  double predict_seconds = 0;

  if (wanted.count("gbt")) {
    Progress("gbt_classifier");
    Params p;
    p.Set("max_iter", 20.0).Set("max_depth", 5.0).Set("step_size", 0.1);
    const Fitted f = TimedFit("gbt_classifier", p, train);
    const std::string m = ClassifierMetrics(*f.model, test, yt, true, &predict_seconds);
    Emit("gbt", h.n_train, f, predict_seconds, m + ", \"iterations\": 20");
  }
  if (wanted.count("logistic_regression")) {
    Progress("logistic_regression");
    Params p;
    p.Set("max_iter", 100.0).Set("reg_param", 0.0);
    const Fitted f = TimedFit("logistic_regression", p, train);
    const std::string m = ClassifierMetrics(*f.model, test, yt, true, &predict_seconds);
    const int64_t iters = static_cast<int64_t>(Described(*f.model, "iterations"));
    Emit("logistic_regression", h.n_train, f, predict_seconds,
         m + ", \"iterations\": " + std::to_string(iters));
  }
  if (wanted.count("kmeans")) {
    Progress("kmeans");
    Params p;
    // The first 8 training rows as the initial centres (the peer's init array);
    // tol 0 runs every iteration unless the centres stop moving.
    p.Set("k", 8.0).Set("max_iter", 20.0).Set("tol", 0.0);
    p.Set("initial_centers", std::vector<double>(x.begin(), x.begin() + 8 * d));
    const Fitted f = TimedFit("kmeans", p, train);
    const double cost = KMeansTestCost(*f.model, test, d, &predict_seconds);
    const int64_t iters = static_cast<int64_t>(Described(*f.model, "iterations"));
    char buf[128];
    std::snprintf(buf, sizeof buf, "\"test_cost\": %.10g, \"iterations\": %lld", cost,
                  static_cast<long long>(iters));
    Emit("kmeans", h.n_train, f, predict_seconds, buf);
  }
  if (wanted.count("naive_bayes")) {
    Progress("naive_bayes (gaussian)");
    Params p;
    p.Set("model_type", "gaussian");
    const Fitted f = TimedFit("naive_bayes", p, train);
    const std::string m = ClassifierMetrics(*f.model, test, yt, false, &predict_seconds);
    Emit("naive_bayes", h.n_train, f, predict_seconds, m);
  }
  if (wanted.count("random_forest")) {
    const size_t n = std::min(rf_rows, h.n_train);
    std::fprintf(stderr, "training random_forest_classifier on %zu rows (helenus)...\n", n);
    const Frame rf_train = LabeledFrame(x, y, n, d);
    Params p;
    p.Set("num_trees", 100.0).Set("max_depth", 5.0);
    const Fitted f = TimedFit("random_forest_classifier", p, rf_train);
    const std::string m = ClassifierMetrics(*f.model, test, yt, false, &predict_seconds);
    Emit("random_forest", n, f, predict_seconds, m);
  }
  if (wanted.count("als")) RunAls(dir, h);
  return 0;
}
