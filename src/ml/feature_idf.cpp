// IDF: term-frequency vectors weighted by inverse document frequency
// log((m + 1) / (df + 1)) (MLlib's IDF / IDFModel).

#include <cmath>

#include "helenus/common/error.h"
#include "helenus/ml/parallel.h"
#include "helenus/ml/predictor.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "idf";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = {
      StringParam("input_col", "", "term-frequency vector column"),
      StringParam("output_col", "", "output vector column ('' = <input_col>_idf)"),
      IntParam("min_doc_freq", 0, "terms in fewer rows get weight 0", 0),
  };
  return spec;
}

class IdfModel final : public FeatureTransformer {
 public:
  IdfModel(Params p, std::vector<double> idf, std::vector<double> doc_freq, double num_docs)
      : FeatureTransformer(kName, Spec(), std::move(p)),
        idf_(std::move(idf)),
        doc_freq_(std::move(doc_freq)),
        num_docs_(num_docs) {
    if (idf_.size() != doc_freq_.size()) ThrowInvalid("Corrupt model: {} sizes differ", kName);
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params(), spec(), "input_col", kName);
    const Vectors& x = input.VectorsOf(in_name);
    CheckDimension(x, idf_.size(), in_name);
    Vectors out = x;
    ForRows(ctx, x.rows, [&](size_t b, size_t e) {
      if (out.sparse) {
        for (uint64_t k = out.offsets[b]; k < out.offsets[e]; ++k) {
          out.values[k] *= idf_[out.indices[k]];
        }
        return;
      }
      for (size_t r = b; r < e; ++r) {
        double* row = out.MutableRow(r);
        for (size_t j = 0; j < out.dim; ++j) row[j] *= idf_[j];
      }
    });
    return WithRescaled(input, params(), spec(), in_name, "_idf", std::move(out));
  }

  std::vector<std::string> Artifacts() const override { return {"idf"}; }

  Frame Artifact(std::string_view name) const override {
    if (name != "idf") return FeatureTransformer::Artifact(name);
    exec::Column feature = exec::Column::Make(DataType::Of(TypeKind::kInt), idf_.size());
    exec::Column doc_freq = exec::Column::Make(DataType::Of(TypeKind::kBigint), idf_.size());
    exec::Column idf = exec::Column::Make(DataType::Of(TypeKind::kDouble), idf_.size());
    for (size_t j = 0; j < idf_.size(); ++j) {
      feature.AppendInt(static_cast<int64_t>(j));
      doc_freq.AppendInt(static_cast<int64_t>(doc_freq_[j]));
      idf.AppendDouble(idf_[j]);
    }
    Frame f;
    f.Add("feature", std::move(feature));
    f.Add("doc_freq", std::move(doc_freq));
    f.Add("idf", std::move(idf));
    return f;
  }

 protected:
  void SaveState(Writer& out) const override {
    out.F64s(idf_);
    out.F64s(doc_freq_);
    out.F64(num_docs_);
  }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    return {{"num_docs", JavaNumber(num_docs_)},
            {"num_features", std::to_string(idf_.size())},
            {"idf", Preview(idf_)}};
  }

 private:
  std::vector<double> idf_, doc_freq_;
  double num_docs_;
};

class Idf final : public Estimator {
 public:
  explicit Idf(Params p) : params_(std::move(p)) {
    RequiredColumn(params_, Spec(), "input_col", kName);
  }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    const std::string in_name = RequiredColumn(params_, Spec(), "input_col", kName);
    const Vectors& x = input.VectorsOf(in_name);
    const size_t dim = x.dim;
    // Document frequency counts rows whose value is positive, like Spark's aggregator.
    std::vector<double> df = SumRows(ctx, x.rows, dim + 1, [&](size_t b, size_t e, double* acc) {
      for (size_t r = b; r < e; ++r) {
        if (x.IsNull(r)) continue;
        acc[dim] += 1;
        x.ForEach(r, [&](uint32_t j, double v) { acc[j] += v > 0 ? 1.0 : 0.0; });
      }
    });
    const double m = df[dim];
    df.pop_back();
    if (m == 0) ThrowInvalid("{}: column {} has no vectors to fit on", kName, in_name);
    const auto min_doc_freq = static_cast<double>(params_.Int(Spec(), "min_doc_freq"));
    std::vector<double> idf(dim);
    for (size_t j = 0; j < dim; ++j) {
      idf[j] = df[j] >= min_doc_freq ? std::log((m + 1.0) / (df[j] + 1.0)) : 0.0;
    }
    ctx.Step(1, 1);
    return std::make_unique<IdfModel>(params_, std::move(idf), std::move(df), m);
  }

 private:
  Params params_;
};

}  // namespace

void RegisterIdf(Registry& r) {
  AddFeatureEstimator(r,
                      EstimatorInfo{
                          kName,
                          Task::kFeature,
                          "weights term frequencies by inverse document frequency",
                          Spec(),
                          [](const Params& p) { return std::make_unique<Idf>(p); },
                      },
                      [](Params p, Reader& in) {
                        std::vector<double> idf = in.F64s();
                        std::vector<double> df = in.F64s();
                        const double m = in.F64();
                        return std::make_unique<IdfModel>(std::move(p), std::move(idf),
                                                          std::move(df), m);
                      });
}

}  // namespace helenus::ml
