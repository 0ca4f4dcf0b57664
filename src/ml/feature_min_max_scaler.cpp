// MinMaxScaler: each feature rescaled linearly to [min, max] (MLlib's MinMaxScaler).

#include <algorithm>
#include <cmath>
#include <limits>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "min_max_scaler";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "feature vector column"),
      StringParam("output_col", "", "output vector column ('' = <input_col>_scaled)"),
      DoubleParam("min", 0.0, "lower bound of the rescaled range"),
      DoubleParam("max", 1.0, "upper bound of the rescaled range"),
  };
  return spec;
}

void CheckRange(const Params& p) {
  const double lo = p.Double(Spec(), "min"), hi = p.Double(Spec(), "max");
  if (!(lo < hi)) ThrowInvalid("{}: min ({}) must be below max ({})", kName, lo, hi);
}

class MinMaxScalerModel final : public FeatureTransformer {
 public:
  MinMaxScalerModel(Params p, std::vector<double> original_min, std::vector<double> original_max)
      : FeatureTransformer(kName, Spec(), std::move(p)),
        min_(std::move(original_min)),
        max_(std::move(original_max)) {
    if (min_.size() != max_.size()) ThrowInvalid("Corrupt model: {} sizes differ", kName);
    CheckRange(params());
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const Vectors& x = input.VectorsOf(in_name);
    CheckDimension(x, min_.size(), in_name);
    const double lo = Dbl("min"), hi = Dbl("max");
    const double scale = hi - lo, constant = (lo + hi) / 2;
    const size_t dim = x.dim;
    Vectors out = x.ToDense();
    ForRows(ctx, x.rows, [&](size_t b, size_t e) {
      for (size_t r = b; r < e; ++r) {
        if (out.IsNull(r)) continue;
        double* row = out.MutableRow(r);
        for (size_t j = 0; j < dim; ++j) {
          if (std::isnan(row[j])) continue;
          const double range = max_[j] - min_[j];
          // A constant feature goes to the middle of the range, like Spark.
          row[j] = range != 0 ? (row[j] - min_[j]) / range * scale + lo : constant;
        }
      }
    });
    return WithRescaled(input, params(), spec(), in_name, "_scaled", std::move(out));
  }

 protected:
  void SaveState(Writer& out) const override {
    out.F64s(min_);
    out.F64s(max_);
  }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"num_features", std::to_string(min_.size())},
            {"original_min", Preview(min_)},
            {"original_max", Preview(max_)}};
  }

 private:
  std::vector<double> min_, max_;
};

class MinMaxScaler final : public Estimator {
 public:
  explicit MinMaxScaler(Params p) : params_(std::move(p)) {
    RequiredColumn(params_, Spec(), "input_col", kName);
    CheckRange(params_);
  }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params_, Spec(), "input_col", kName);
    const Vectors& x = input.VectorsOf(in_name);
    const size_t dim = x.dim;
    constexpr double kInf = std::numeric_limits<double>::infinity();
    // NaN values are ignored, as Spark's summary does.
    // Per partial: dim minima, dim maxima, dim stored-value counts, then rows.
    std::vector<std::vector<double>> partial(NumPartials(x.rows));
    for (auto& acc : partial) {
      acc.assign(3 * dim + 1, 0.0);
      std::fill_n(acc.begin(), dim, kInf);
      std::fill_n(acc.begin() + dim, dim, -kInf);
    }
    ForPartials(ctx, x.rows, [&](size_t p, size_t begin, size_t end) {
      std::vector<double>& acc = partial[p];
      for (size_t r = begin; r < end; ++r) {
        if (x.IsNull(r)) continue;
        acc[3 * dim] += 1;
        x.ForEach(r, [&](uint32_t j, double v) {
          acc[2 * dim + j] += 1;
          if (std::isnan(v)) return;
          acc[j] = std::min(acc[j], v);
          acc[dim + j] = std::max(acc[dim + j], v);
        });
      }
    });
    // -min and max, so that both combine across ranks as maxima.
    std::vector<double> neg_lo(dim, -kInf), hi(dim, -kInf), counts(dim + 1, 0.0);
    for (const auto& acc : partial) {
      for (size_t j = 0; j < dim; ++j) {
        neg_lo[j] = std::max(neg_lo[j], -acc[j]);
        hi[j] = std::max(hi[j], acc[dim + j]);
        counts[j] += acc[2 * dim + j];
      }
      counts[dim] += acc[3 * dim];
    }
    ctx.collective->AllReduceMax(neg_lo);
    ctx.collective->AllReduceMax(hi);
    ctx.collective->AllReduceSum(counts);
    const double rows = counts[dim];
    if (rows == 0) ThrowInvalid("{}: column {} has no vectors to fit on", kName, in_name);
    std::vector<double> mins(dim), maxs(dim);
    for (size_t j = 0; j < dim; ++j) {
      mins[j] = -neg_lo[j];
      maxs[j] = hi[j];
      // Slots a sparse row does not store are zeros.
      if (counts[j] < rows) {
        mins[j] = std::min(mins[j], 0.0);
        maxs[j] = std::max(maxs[j], 0.0);
      }
      if (mins[j] > maxs[j]) mins[j] = maxs[j] = std::numeric_limits<double>::quiet_NaN();
    }
    ctx.Step(1, 1);
    return std::make_unique<MinMaxScalerModel>(params_, std::move(mins), std::move(maxs));
  }

 private:
  Params params_;
};

}  // namespace

void RegisterMinMaxScaler(Registry& r) {
  AddFeatureEstimator(r,
                      EstimatorInfo{
                          kName,
                          Task::kFeature,
                          "rescales each feature linearly to [min, max]",
                          Spec(),
                          [](const Params& p) { return std::make_unique<MinMaxScaler>(p); },
                      },
                      [](Params p, Reader& in) {
                        std::vector<double> lo = in.F64s();
                        std::vector<double> hi = in.F64s();
                        return std::make_unique<MinMaxScalerModel>(std::move(p), std::move(lo),
                                                                   std::move(hi));
                      });
}

}  // namespace helenus::ml
