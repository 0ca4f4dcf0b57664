// PCA (Spark MLlib's feature estimator): the top k eigenvectors of the
// sample covariance. Like Spark, transform projects the raw vectors (it
// does not subtract the mean, unlike scikit-learn). Each component's sign
// is fixed so that its largest-magnitude coefficient is positive.

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <set>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "helenus/ml/registry.h"

namespace helenus::ml {
namespace {

constexpr std::string_view kKind = "pca";
// Covariance entries accumulated per pass over the rows (bounds SumRows' partials).
constexpr size_t kStatsPerPass = size_t{1} << 16;
// Rows centred and multiplied together at a time.
constexpr size_t kRowBlock = 256;
// Largest dimension (the covariance matrix is dim x dim, like Spark's limit).
constexpr size_t kMaxDim = 65535;

std::vector<ParamSpec> PcaSpec() {
  return {
      IntParam("k", 0, "number of principal components (required)", 0, kMaxDim),
      StringParam("input_col", "features", "feature vector column"),
      StringParam("output_col", "pca_features", "projected vector column"),
  };
}

// Everything a fitted PCA model holds.
struct PcaState {
  std::string input_col;
  std::string output_col;
  size_t k = 0;
  size_t dim = 0;
  std::vector<double> components;  // k x dim, row-major
  std::vector<double> variance;    // k eigenvalues of the covariance
  double total_variance = 0;       // sum of all eigenvalues
  std::vector<double> mean;        // dim
  std::vector<std::string> feature_names;
  int64_t num_rows = 0;
};

class PcaModel final : public Model {
 public:
  explicit PcaModel(PcaState s) : s_(std::move(s)) {}

  std::string kind() const override { return std::string(kKind); }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const Vectors& x = input.VectorsOf(s_.input_col);
    CheckDimension(x, s_.dim, s_.input_col);
    const size_t n = x.rows;
    const size_t k = s_.k;
    Vectors out = Vectors::Dense(n, k);
    ForRows(ctx, n, [&](size_t begin, size_t end) {
      for (size_t r = begin; r < end; ++r) {
        if (x.IsNull(r)) continue;
        double* o = out.MutableRow(r);
        for (size_t c = 0; c < k; ++c) o[c] = x.Dot(r, s_.components.data() + c * s_.dim);
      }
    });
    if (!x.valid.empty()) out.valid = x.valid;
    Frame result = input;
    result.Add(s_.output_col, std::move(out));
    return result;
  }

  void Save(Writer& out) const override {
    out.Str(s_.input_col);
    out.Str(s_.output_col);
    out.U64(s_.k);
    out.U64(s_.dim);
    out.F64s(s_.components);
    out.F64s(s_.variance);
    out.F64(s_.total_variance);
    out.F64s(s_.mean);
    out.Strs(s_.feature_names);
    out.I64(s_.num_rows);
  }

  static std::unique_ptr<Model> Load(Reader& in) {
    PcaState s;
    s.input_col = in.Str();
    s.output_col = in.Str();
    s.k = in.U64();
    s.dim = in.U64();
    s.components = in.F64s();
    s.variance = in.F64s();
    s.total_variance = in.F64();
    s.mean = in.F64s();
    s.feature_names = in.Strs();
    s.num_rows = in.I64();
    if (s.k == 0 || s.dim == 0 || s.k > s.dim || s.dim > kMaxDim ||
        s.components.size() != s.k * s.dim || s.variance.size() != s.k || s.mean.size() != s.dim) {
      ThrowInvalid("Corrupt model: PCA components do not match their dimension");
    }
    return std::make_unique<PcaModel>(std::move(s));
  }

  std::vector<std::pair<std::string, std::string>> Describe() const override {
    return {
        {"k", std::to_string(s_.k)},
        {"num_features", std::to_string(s_.dim)},
        {"num_rows", std::to_string(s_.num_rows)},
        {"explained_variance", fmt::format("{}", fmt::join(s_.variance, ", "))},
        {"explained_variance_ratio", fmt::format("{}", fmt::join(Ratios(), ", "))},
    };
  }

  std::vector<std::string> Artifacts() const override {
    return {"components", "explained_variance"};
  }

  Frame Artifact(std::string_view name) const override {
    Frame f;
    exec::Column component = exec::Column::Make(DataType::Of(TypeKind::kInt), s_.k);
    for (size_t c = 0; c < s_.k; ++c) component.AppendInt(static_cast<int64_t>(c));
    f.Add("component", std::move(component));
    if (name == "components") {
      const auto names = ColumnNames();
      for (size_t j = 0; j < s_.dim; ++j) {
        f.Add(names[j], Doubles([&](size_t c) { return s_.components[c * s_.dim + j]; }));
      }
      return f;
    }
    if (name == "explained_variance") {
      const auto ratios = Ratios();
      f.Add("explained_variance", Doubles([&](size_t c) { return s_.variance[c]; }));
      f.Add("explained_variance_ratio", Doubles([&](size_t c) { return ratios[c]; }));
      return f;
    }
    return Model::Artifact(name);
  }

 private:
  // Spark's explainedVariance: each eigenvalue over the sum of all of them.
  std::vector<double> Ratios() const {
    std::vector<double> r(s_.k, 0.0);
    if (s_.total_variance > 0) {
      for (size_t c = 0; c < s_.k; ++c) r[c] = s_.variance[c] / s_.total_variance;
    }
    return r;
  }

  template <typename Fn>
  exec::Column Doubles(Fn&& value) const {
    exec::Column col = exec::Column::Make(DataType::Of(TypeKind::kDouble), s_.k);
    for (size_t c = 0; c < s_.k; ++c) col.AppendDouble(value(c));
    return col;
  }

  // Feature names when usable, else f0, f1, ...
  std::vector<std::string> ColumnNames() const {
    std::vector<std::string> out(s_.dim);
    std::set<std::string> seen = {"component"};
    const bool named = s_.feature_names.size() == s_.dim;
    for (size_t j = 0; j < s_.dim; ++j) {
      std::string name = named ? s_.feature_names[j] : "";
      if (name.empty() || !seen.insert(name).second) name = fmt::format("f{}", j);
      out[j] = name;
    }
    return out;
  }

  PcaState s_;
};

// Sample covariance of x around mean, computed in passes over blocks of its
// rows (so SumRows' partial sums stay small), each with dense products of
// centred row blocks.
// rows_total counts the rows of every rank.
Eigen::MatrixXd Covariance(const Context& ctx, const Vectors& x, const std::vector<double>& mean,
                           double rows_total) {
  const size_t n = x.rows, d = x.dim;
  const Eigen::Index di = static_cast<Eigen::Index>(d);
  Eigen::MatrixXd cov(di, di);
  const size_t cols_per_pass = std::max<size_t>(1, std::min(d, kStatsPerPass / d));
  Eigen::Map<const Eigen::RowVectorXd> mu(mean.data(), di);
  for (size_t a = 0; a < d; a += cols_per_pass) {
    ctx.CheckCancelled();
    const size_t b = std::min(d, a + cols_per_pass);
    const Eigen::Index w = static_cast<Eigen::Index>(b - a);
    const std::vector<double> part =
        SumRows(ctx, n, (b - a) * d, [&](size_t begin, size_t end, double* acc) {
          // acc is column-major d x w: entry (j, i - a) sums c_j * c_i.
          Eigen::Map<Eigen::MatrixXd> sums(acc, di, w);
          Eigen::MatrixXd block;
          for (size_t r0 = begin; r0 < end; r0 += kRowBlock) {
            const size_t r1 = std::min(end, r0 + kRowBlock);
            block.resize(static_cast<Eigen::Index>(r1 - r0), di);
            for (size_t r = r0; r < r1; ++r) {
              const Eigen::Index i = static_cast<Eigen::Index>(r - r0);
              if (x.sparse) {
                block.row(i).setZero();
                x.ForEach(r, [&](uint32_t j, double v) { block(i, j) = v; });
              } else {
                block.row(i) = Eigen::Map<const Eigen::RowVectorXd>(x.Row(r), di);
              }
              block.row(i) -= mu;
            }
            sums.noalias() += block.transpose() * block.middleCols(static_cast<Eigen::Index>(a), w);
          }
        });
    cov.middleCols(static_cast<Eigen::Index>(a), w) =
        Eigen::Map<const Eigen::MatrixXd>(part.data(), di, w) / (rows_total - 1);
  }
  // Symmetric up to rounding; make it exactly so for the solver.
  return (cov + cov.transpose()) / 2;
}

class Pca final : public Estimator {
 public:
  explicit Pca(const Params& p) {
    const auto spec = PcaSpec();
    const int64_t k = p.Int(spec, "k");
    if (k < 1) ThrowInvalid("pca needs k, the number of principal components (at least 1)");
    s_.k = static_cast<size_t>(k);
    s_.input_col = p.String(spec, "input_col");
    s_.output_col = p.String(spec, "output_col");
  }

  std::string kind() const override { return std::string(kKind); }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const Vectors& x = input.VectorsOf(s_.input_col);
    const size_t n = x.rows, d = x.dim;
    if (d > kMaxDim) ThrowInvalid("pca supports at most {} features, got {}", kMaxDim, d);
    if (s_.k > d) ThrowInvalid("pca k = {} exceeds the number of features, {}", s_.k, d);
    // Sums, then NULL rows, then rows (over every rank).
    std::vector<double> mean = SumRows(ctx, n, d + 2, [&](size_t begin, size_t end, double* acc) {
      for (size_t r = begin; r < end; ++r) {
        acc[d + 1] += 1;
        if (x.IsNull(r)) {
          acc[d] += 1;
          continue;
        }
        x.ForEach(r, [&](uint32_t j, double v) { acc[j] += v; });
      }
    });
    const double rows_total = mean[d + 1];
    if (rows_total < 2) ThrowInvalid("pca needs at least 2 rows, got {}", rows_total);
    if (mean[d] > 0) ThrowInvalid("Features column {} has NULL vectors", s_.input_col);
    mean.resize(d);
    for (double& m : mean) {
      if (!std::isfinite(m)) ThrowInvalid("Features column {} has NaN or infinity", s_.input_col);
      m /= rows_total;
    }
    ctx.Step(1, 3);
    const Eigen::MatrixXd cov = Covariance(ctx, x, mean, rows_total);
    if (!cov.allFinite()) ThrowInvalid("Features column {} has NaN or infinity", s_.input_col);
    ctx.Step(2, 3);
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(cov);
    if (eig.info() != Eigen::Success) ThrowInvalid("pca: the eigen decomposition failed");

    PcaState s = s_;
    s.dim = d;
    s.mean = std::move(mean);
    s.num_rows = static_cast<int64_t>(rows_total);
    s.feature_names = input.AttrsOf(s_.input_col).feature_names;
    const Eigen::VectorXd& values = eig.eigenvalues();  // ascending
    s.total_variance = 0;
    for (Eigen::Index i = 0; i < values.size(); ++i) s.total_variance += std::max(0.0, values(i));
    s.components.resize(s.k * d);
    s.variance.resize(s.k);
    for (size_t c = 0; c < s.k; ++c) {
      const Eigen::Index col = static_cast<Eigen::Index>(d - 1 - c);
      Eigen::VectorXd v = eig.eigenvectors().col(col);
      Eigen::Index largest = 0;
      for (Eigen::Index j = 1; j < v.size(); ++j) {
        if (std::fabs(v(j)) > std::fabs(v(largest))) largest = j;
      }
      if (v(largest) < 0) v = -v;
      std::copy_n(v.data(), d, s.components.data() + c * d);
      s.variance[c] = std::max(0.0, values(col));
    }
    ctx.Step(3, 3);
    return std::make_unique<PcaModel>(std::move(s));
  }

 private:
  PcaState s_;
};

}  // namespace

void RegisterPca(Registry& r) {
  r.Add(EstimatorInfo{
      .name = std::string(kKind),
      .task = Task::kFeature,
      .doc = "principal component analysis: projects vectors on the top k components",
      .params = PcaSpec(),
      .make = [](const Params& p) { return std::make_unique<Pca>(p); },
  });
  r.AddLoader(std::string(kKind), [](Reader& in) { return PcaModel::Load(in); });
}

}  // namespace helenus::ml
