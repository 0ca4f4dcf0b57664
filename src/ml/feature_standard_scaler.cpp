// StandardScaler: features scaled to unit (sample) standard deviation and,
// optionally, zero mean (MLlib's StandardScaler).

#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "standard_scaler";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "feature vector column"),
      StringParam("output_col", "", "output vector column ('' = <input_col>_scaled)"),
      BoolParam("with_mean", false, "subtract the mean (makes sparse vectors dense)"),
      BoolParam("with_std", true, "divide by the sample standard deviation"),
  };
  return spec;
}

class StandardScalerModel final : public FeatureTransformer {
 public:
  StandardScalerModel(Params p, std::vector<double> mean, std::vector<double> sd)
      : FeatureTransformer(kName, Spec(), std::move(p)),
        mean_(std::move(mean)),
        std_(std::move(sd)) {
    if (mean_.size() != std_.size()) ThrowInvalid("Corrupt model: {} sizes differ", kName);
    // Spark scales a constant feature to 0 rather than dividing by zero.
    factor_.resize(std_.size());
    for (size_t j = 0; j < std_.size(); ++j) factor_[j] = std_[j] != 0 ? 1.0 / std_[j] : 0.0;
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const Vectors& x = input.VectorsOf(in_name);
    CheckDimension(x, mean_.size(), in_name);
    const bool with_mean = Flag("with_mean"), with_std = Flag("with_std");
    Vectors out;
    if (x.sparse && !with_mean) {
      out = x;
      if (with_std) {
        ForRows(ctx, x.rows, [&](size_t b, size_t e) {
          for (uint64_t k = x.offsets[b]; k < x.offsets[e]; ++k) {
            out.values[k] *= factor_[out.indices[k]];
          }
        });
      }
    } else {
      out = x.ToDense();
      const size_t dim = x.dim;
      ForRows(ctx, x.rows, [&](size_t b, size_t e) {
        for (size_t r = b; r < e; ++r) {
          if (out.IsNull(r)) continue;
          double* row = out.MutableRow(r);
          for (size_t j = 0; j < dim; ++j) {
            double v = row[j];
            if (with_mean) v -= mean_[j];
            if (with_std) v *= factor_[j];
            row[j] = v;
          }
        }
      });
    }
    return WithRescaled(input, params(), spec(), in_name, "_scaled", std::move(out));
  }

  std::vector<std::string> Artifacts() const override { return {"statistics"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "statistics") return FeatureTransformer::Artifact(name);
    exec::Column feature = exec::Column::Make(DataType::Of(TypeKind::kInt), mean_.size());
    exec::Column mean = exec::Column::Make(DataType::Of(TypeKind::kDouble), mean_.size());
    exec::Column sd = exec::Column::Make(DataType::Of(TypeKind::kDouble), mean_.size());
    for (size_t j = 0; j < mean_.size(); ++j) {
      feature.AppendInt(static_cast<int64_t>(j));
      mean.AppendDouble(mean_[j]);
      sd.AppendDouble(std_[j]);
    }
    Frame f;
    f.Add("feature", std::move(feature));
    f.Add("mean", std::move(mean));
    f.Add("std", std::move(sd));
    return f;
  }

 protected:
  void SaveState(Writer& out) const override {
    out.F64s(mean_);
    out.F64s(std_);
  }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"num_features", std::to_string(mean_.size())},
            {"mean", Preview(mean_)},
            {"std", Preview(std_)}};
  }

 private:
  std::vector<double> mean_, std_, factor_;
};

class StandardScaler final : public Estimator {
 public:
  explicit StandardScaler(Params p) : params_(std::move(p)) {
    RequiredColumn(params_, Spec(), "input_col", kName);
  }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params_, Spec(), "input_col", kName);
    const Vectors& x = input.VectorsOf(in_name);
    CheckFitVectors(x, in_name, kName);
    const size_t dim = x.dim;
    // Two passes (mean, then squared deviations) rather than sums of squares,
    // which lose precision when the mean is large against the spread. Sparse
    // rows also count their stored values per slot: the others are zeros,
    // each adding mean^2 to the squared deviations.
    const size_t width = x.sparse ? 2 * dim + 1 : dim + 1;
    std::vector<double> sums = SumRows(ctx, x.rows, width, [&](size_t b, size_t e, double* acc) {
      for (size_t r = b; r < e; ++r) {
        if (x.IsNull(r)) continue;
        acc[width - 1] += 1;
        if (x.sparse) {
          x.ForEach(r, [&](uint32_t j, double v) {
            acc[j] += v;
            acc[dim + j] += 1;
          });
        } else {
          const double* row = x.Row(r);
          for (size_t j = 0; j < dim; ++j) acc[j] += row[j];
        }
      }
    });
    const double n = sums[width - 1];
    std::vector<double> mean(dim);
    for (size_t j = 0; j < dim; ++j) mean[j] = sums[j] / n;
    ctx.Step(1, 2);
    ctx.CheckCancelled();
    std::vector<double> dev = SumRows(ctx, x.rows, dim, [&](size_t b, size_t e, double* acc) {
      for (size_t r = b; r < e; ++r) {
        if (x.IsNull(r)) continue;
        if (x.sparse) {
          x.ForEach(r, [&](uint32_t j, double v) {
            const double d = v - mean[j];
            acc[j] += d * d;
          });
        } else {
          const double* row = x.Row(r);
          for (size_t j = 0; j < dim; ++j) {
            const double d = row[j] - mean[j];
            acc[j] += d * d;
          }
        }
      }
    });
    std::vector<double> sd(dim, 0.0);
    for (size_t j = 0; j < dim; ++j) {
      const double zeros = x.sparse ? n - sums[dim + j] : 0.0;
      const double ss = dev[j] + zeros * mean[j] * mean[j];
      sd[j] = n > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
    }
    ctx.Step(2, 2);
    return std::make_unique<StandardScalerModel>(params_, std::move(mean), std::move(sd));
  }

 private:
  Params params_;
};

}  // namespace

void RegisterStandardScaler(Registry& r) {
  AddFeatureEstimator(
      r,
      EstimatorInfo{
          kName,
          Task::kFeature,
          "scales features to unit sample standard deviation (and optionally zero mean)",
          Spec(),
          [](const Params& p) { return std::make_unique<StandardScaler>(p); },
      },
      [](Params p, Reader& in) {
        std::vector<double> mean = in.F64s();
        std::vector<double> sd = in.F64s();
        return std::make_unique<StandardScalerModel>(std::move(p), std::move(mean), std::move(sd));
      });
}

}  // namespace helenus::ml
