// OneHotEncoder: category indices as sparse 0/1 vectors (MLlib's OneHotEncoder
// and OneHotEncoderModel, Spark 3 semantics).

#include <cmath>

#include "helenus/common/error.h"
#include "ml/feature_common.h"

namespace helenus::ml {
namespace {

constexpr char kName[] = "one_hot_encoder";

const std::vector<ParamSpec>& Spec() {
  static const std::vector<ParamSpec> spec = [] {
    std::vector<ParamSpec> s = MultiColumnSpecs("<input>_vec");
    s.push_back(BoolParam("drop_last", true, "leave out the last category (avoids collinearity)"));
    s.push_back(StringParam("handle_invalid", "error",
                            "unseen, NULL or NaN indices: error, or keep (an extra category)",
                            {"error", "keep"}));
    return s;
  }();
  return spec;
}

// The scalar at row r as a double (NULL -> NaN).
double ValueAt(const exec::Column& c, size_t r) {
  if (c.IsNull(r)) return std::nan("");
  return c.physical() == exec::Physical::kInt64 ? static_cast<double>(c.ints[r]) : c.doubles[r];
}

const exec::Column& NumericColumn(const Frame& f, const std::string& name) {
  const exec::Column& c = f.Scalar(name);
  if (!IsNumericType(c.type)) {
    ThrowInvalid(
        "{}: column {} of type {} must hold category indices (index it with "
        "string_indexer first)",
        kName, name, c.type.ToCql());
  }
  return c;
}

class OneHotEncoderModel final : public FeatureTransformer {
 public:
  // sizes[i]: categories of input i; labels[i]: their names ('' list = 0, 1, ...).
  OneHotEncoderModel(Params p, std::vector<uint64_t> sizes,
                     std::vector<std::vector<std::string>> labels)
      : FeatureTransformer(kName, Spec(), std::move(p)),
        sizes_(std::move(sizes)),
        labels_(std::move(labels)) {
    if (labels_.size() != sizes_.size()) ThrowInvalid("Corrupt model: {} label lists", kName);
    for (size_t i = 0; i < sizes_.size(); ++i) {
      if (sizes_[i] == 0 || (!labels_[i].empty() && labels_[i].size() != sizes_[i])) {
        ThrowInvalid("Corrupt model: {} input {} has {} categories and {} labels", kName, i,
                     sizes_[i], labels_[i].size());
      }
    }
  }

  Frame Transform(const Frame& input, const Context& ctx) const override {
    const auto pairs = ColumnPairs(params(), spec(), kName, "_vec");
    if (pairs.size() != sizes_.size()) {
      ThrowInvalid("Corrupt model: {} has {} inputs, {} category sizes", kName, pairs.size(),
                   sizes_.size());
    }
    const bool keep = Str("handle_invalid") == "keep";
    const bool drop_last = Flag("drop_last");
    Frame result = input;
    for (size_t i = 0; i < pairs.size(); ++i) {
      const auto& [in_name, out_name] = pairs[i];
      const exec::Column& col = NumericColumn(input, in_name);
      const uint64_t size = sizes_[i];
      // Spark's configured vector size: one more slot for invalid values when
      // keeping them, one less when dropping the last.
      const uint64_t dim = size + (keep ? 1 : 0) - (drop_last ? 1 : 0);
      const size_t n = input.num_rows();
      // Invalid values are checked in row order first, so an error names the first one.
      if (!keep) {
        for (size_t r = 0; r < n; ++r) {
          const double v = ValueAt(col, r);
          if (v >= 0 && v < static_cast<double>(size)) continue;
          if (std::isnan(v)) {
            ThrowInvalid("{}: column {} is {} at row {}; set handle_invalid to 'keep'", kName,
                         in_name, col.IsNull(r) ? "NULL" : "NaN", r);
          }
          if (v < 0) {
            ThrowInvalid(
                "{}: negative value {} in column {} at row {}; set handle_invalid to "
                "'keep'",
                kName, JavaNumber(v), in_name, r);
          }
          ThrowInvalid(
              "Unseen value: {} in column {} at row {} ({} categories); set "
              "handle_invalid to 'keep'",
              JavaNumber(v), in_name, r, size);
        }
      }
      Vectors out = BuildSparse(
          ctx, dim, n, [&](size_t r, std::vector<uint32_t>* idx, std::vector<double>* val) {
            const double v = ValueAt(col, r);
            const uint64_t slot =
                v >= 0 && v < static_cast<double>(size) ? static_cast<uint64_t>(v) : size;
            if (slot < dim) {
              idx->push_back(static_cast<uint32_t>(slot));
              val->push_back(1.0);
            }
            return true;
          });
      Attributes attrs;
      for (uint64_t j = 0; j < dim; ++j) {
        const std::string label =
            j == size ? "invalidValues" : (labels_[i].empty() ? std::to_string(j) : labels_[i][j]);
        attrs.feature_names.push_back(in_name + "_" + label);
      }
      result.Add(out_name, std::move(out), std::move(attrs));
    }
    return result;
  }

 protected:
  void SaveState(Writer& out) const override {
    out.U64s(sizes_);
    out.U64(labels_.size());
    for (const auto& l : labels_) out.Strs(l);
  }

  std::vector<std::pair<std::string, std::string>> DescribeState() const override {
    std::vector<std::string> sizes;
    for (uint64_t s : sizes_) sizes.push_back(std::to_string(s));
    return {{"category_sizes", Preview(sizes)}};
  }

 private:
  std::vector<uint64_t> sizes_;
  std::vector<std::vector<std::string>> labels_;
};

class OneHotEncoder final : public Estimator {
 public:
  explicit OneHotEncoder(Params p) : params_(std::move(p)) {
    ColumnPairs(params_, Spec(), kName, "_vec");
  }
  std::string kind() const override { return kName; }

  std::unique_ptr<Model> Fit(const Frame& input, const Context& ctx) const override {
    std::vector<uint64_t> sizes;
    std::vector<std::vector<std::string>> labels;
    for (const auto& [in_name, out_name] : ColumnPairs(params_, Spec(), kName, "_vec")) {
      const exec::Column& col = NumericColumn(input, in_name);
      const Attributes& attrs = input.AttrsOf(in_name);
      // Like Spark: the number of categories comes from the column's labels
      // when it was indexed, else from the largest index seen.
      if (!attrs.labels.empty()) {
        sizes.push_back(attrs.labels.size());
        labels.push_back(attrs.labels);
        continue;
      }
      double max = -1;
      for (size_t r = 0; r < input.num_rows(); ++r) {
        const double v = ValueAt(col, r);
        if (std::isnan(v)) continue;
        if (v < 0 || v != std::floor(v) || v >= 2147483647.0) {
          ThrowInvalid(
              "{}: values of column {} must be category indices (non-negative "
              "integers), got {} at row {}",
              kName, in_name, JavaNumber(v), r);
        }
        max = std::max(max, v);
      }
      std::vector<double> reduced = {max};
      ctx.collective->AllReduceMax(reduced);
      if (reduced[0] < 0) ThrowInvalid("{}: column {} has no index to encode", kName, in_name);
      sizes.push_back(static_cast<uint64_t>(reduced[0]) + 1);
      labels.emplace_back();
    }
    ctx.Step(1, 1);
    return std::make_unique<OneHotEncoderModel>(params_, std::move(sizes), std::move(labels));
  }

 private:
  Params params_;
};

}  // namespace

void RegisterOneHotEncoder(Registry& r) {
  AddFeatureEstimator(r,
                      EstimatorInfo{
                          kName,
                          Task::kFeature,
                          "encodes category indices as sparse 0/1 vectors",
                          Spec(),
                          [](const Params& p) { return std::make_unique<OneHotEncoder>(p); },
                      },
                      [](Params p, Reader& in) {
                        std::vector<uint64_t> sizes = in.U64s();
                        const size_t n = in.Count(8);
                        std::vector<std::vector<std::string>> labels;
                        for (size_t i = 0; i < n; ++i) labels.push_back(in.Strs());
                        return std::make_unique<OneHotEncoderModel>(std::move(p), std::move(sizes),
                                                                    std::move(labels));
                      });
}

}  // namespace helenus::ml
